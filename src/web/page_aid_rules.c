/* The catalogue's aid pages (administrateur): an aid type with its dated
 * rule versions and its description; the rule editor with live validation
 * and the tester pane; import and export of an aid as JSON; the CAF parts
 * table of the CCAS. */
#include <stdlib.h>
#include <string.h>

#include "app/aid_rules.h"
#include "app/input.h"
#include "app/simulate.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "web/page_payments.h"
#include "web/aid_pages.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_workflow.h"
#include "web/reply.h"
#include "web/req.h"
#include "web/result_view.h"

/* The household of the tester pane until the user writes another one. */
static const char sample_situation[] =
    "{\n"
    "  \"situation_familiale\": \"marie\",\n"
    "  \"personnes\": [\n"
    "    {\"role\": \"demandeur\", \"date_naissance\": \"1984-05-12\"},\n"
    "    {\"role\": \"conjoint\", \"date_naissance\": \"1986-11-02\"},\n"
    "    {\"role\": \"enfant\", \"date_naissance\": \"2014-03-20\"},\n"
    "    {\"role\": \"enfant\", \"date_naissance\": \"2017-09-08\"}\n"
    "  ],\n"
    "  \"ressources\": {\"mensuelles\": \"2100.00\", \"annuelles\": \"24000.00\"},\n"
    "  \"prestations_familiales_mois\": \"150.00\",\n"
    "  \"charges\": {\"mensuelles\": \"950.00\"},\n"
    "  \"rfr\": \"24000.00\",\n"
    "  \"statuts\": [],\n"
    "  \"montant_demande\": \"200.00\"\n"
    "}";

/* A new version starts from this skeleton when the aid has none. */
static const char skeleton[] =
    "{\n"
    "  \"conditions\": [\n"
    "    {\"libelle\": \"Quotient familial CAF de 800 € au plus\",\n"
    "     \"expression\": \"qf_caf <= 800\"}\n"
    "  ],\n"
    "  \"montant\": \"bareme(\\\"montants\\\", qf_caf)\",\n"
    "  \"baremes\": {\n"
    "    \"montants\": {\n"
    "      \"libelle\": \"Montant selon le quotient familial CAF\",\n"
    "      \"unite\": \"euros\",\n"
    "      \"tranches\": [\n"
    "        {\"min\": 0, \"max\": 500, \"max_inclus\": true, \"valeur\": \"150\"},\n"
    "        {\"min\": 500, \"min_inclus\": false, \"max\": 800, \"max_inclus\": true,\n"
    "         \"valeur\": \"80\"}\n"
    "      ]\n"
    "    }\n"
    "  }\n"
    "}";

#define AIDS_PATH  "/admin/aides"
#define IMPORT_MAX (900 * 1024) /* bytes of an imported aid document */

static const char *aid_path(struct req *r, int64_t id)
{
	return arena_printf(r->arena, AIDS_PATH "/%lld", (long long)id);
}

json_t *aid_date_fr(struct req *r, const char *iso)
{
	if (!iso || strlen(iso) != 10)
		return iso ? json_string(iso) : json_null();
	return json_string(arena_printf(r->arena, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso));
}

/* ---- the aid page ---- */

static void shape_versions(struct req *r, json_t *aid)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(aid, "versions"), i, v)
	{
		const char *st = input_str(v, "status");
		json_object_set_new(v, "du_fr", aid_date_fr(r, input_str(v, "du")));
		json_object_set_new(v, "au_fr",
		                    aid_date_fr(r, json_string_value(json_object_get(v, "au"))));
		json_object_set_new(v, "can_activate", json_boolean(strcmp(st, "actif") != 0));
		json_object_set_new(v, "can_retire", json_boolean(strcmp(st, "retire") != 0));
	}
}

static json_t *join_lines(json_t *list)
{
	struct buf b;
	buf_init(&b, 1024 * 1024);
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		buf_puts(&b, json_string_value(x));
		buf_putc(&b, '\n');
	}
	json_t *out = json_string(buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* The form's values from the stored aid. */
static json_t *aid_values(json_t *aid)
{
	json_t *v = json_pack("{s:O, s:O, s:O, s:O}", "label", json_object_get(aid, "label"),
	                      "description", json_object_get(aid, "description"),
	                      "deliberation_numero", json_object_get(aid, "deliberation_numero"),
	                      "categorie", json_object_get(aid, "categorie"));
	json_t *d = json_object_get(aid, "deliberation_date");
	json_object_set_new(v, "deliberation_date",
	                    json_is_string(d) ? json_incref(d) : json_string(""));
	json_object_set_new(v, "champs_text", join_lines(json_object_get(aid, "champs_declares")));
	json_object_set_new(v, "pieces_text", join_lines(json_object_get(aid, "pieces")));
	return v;
}

static json_t *category_options(const char *selected)
{
	json_t *cats = aid_categories();
	size_t i;
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		json_object_set_new(c, "selected",
		                    json_boolean(strcmp(input_str(c, "code"), selected) == 0));
	}
	return cats;
}

/* values and errors borrowed (NULL: the stored fields). */
static void render_aid(struct req *r, int status, json_t *errors, json_t *values)
{
	int err;
	json_t *aid = aid_rules_get(r->db, &r->who, r->ids[0], &err);
	if (!aid) {
		reply_cas_err(r, err);
		return;
	}
	shape_versions(r, aid);
	json_t *vals = values ? json_deep_copy(values) : aid_values(aid);
	if (values) {
		json_object_set(vals, "champs_text", json_object_get(values, "champs_declares"));
		json_object_set(vals, "pieces_text", json_object_get(values, "pieces"));
	}
	json_t *ctx = json_pack("{s:I, s:o}", "version_count",
	                        (json_int_t)json_array_size(json_object_get(aid, "versions")),
	                        "categories", category_options(input_str(vals, "categorie")));
	page_add_form_errors(ctx, errors ? errors : json_object(), vals);
	if (!errors)
		json_object_del(ctx, "errors");
	json_decref(vals);
	const char *title = arena_printf(r->arena, "Aide « %s »", input_str(aid, "label"));
	json_object_set_new(ctx, "aid", aid);
	page_budgets_aid_ctx(r, ctx, r->ids[0]);
	page_workflow_aid_ctx(r, ctx, r->ids[0]); /* emergency short path */
	reply_page(r, status, "aid_types/show", title, ctx);
}

void h_aid_type_show(struct req *r)
{
	render_aid(r, 200, NULL, NULL);
}

void h_aid_type_update(struct req *r)
{
	json_t *errors = NULL;
	int rc = aid_rules_update(r->db, &r->who, r->ids[0], r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_aid(r, 422, errors, values);
		json_decref(values);
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, aid_path(r, r->ids[0]), "enregistre");
	}
	json_decref(errors);
}

void h_aid_type_export(struct req *r)
{
	int err;
	json_t *doc = aid_rules_export(r->db, &r->who, r->ids[0], &err);
	if (!doc) {
		reply_cas_err(r, err);
		return;
	}
	char *text =
	    json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(doc);
	if (!text) {
		reply_cas_err(r, CAS_ENOMEM);
		return;
	}
	reply_bytes(r, 200, "application/json; charset=utf-8", text, strlen(text), "no-store");
	json_free_text(text);
}

/* ---- the rule editor ---- */

struct editor {
	int64_t vid;            /* 0: a new version */
	json_t *values;         /* borrowed; NULL: the stored version (or defaults) */
	json_t *errors;         /* borrowed */
	json_t *test;           /* borrowed: the tester's result */
	const char *anchor_fix; /* field whose summary link targets another id */
};

/* Values of a new version: the latest version's rule, else the skeleton. */
static json_t *new_values(struct req *r, json_t *aid)
{
	json_t *latest = json_array_get(json_object_get(aid, "versions"), 0);
	json_t *v = NULL;
	int err;
	if (latest)
		v = rule_version_get(r->db, &r->who, r->ids[0],
		                     json_integer_value(json_object_get(latest, "id")), &err);
	json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "du", "", "au", "", "note", "",
	                        "document", v ? input_str(v, "document") : skeleton, "situation",
	                        sample_situation, "date_test", "");
	json_decref(v);
	return out;
}

static json_t *stored_values(json_t *v)
{
	json_t *au = json_object_get(v, "au");
	return json_pack("{s:O, s:s, s:O, s:O, s:s, s:s}", "du", json_object_get(v, "du"), "au",
	                 json_is_string(au) ? json_string_value(au) : "", "note",
	                 json_object_get(v, "note"), "document", json_object_get(v, "document"),
	                 "situation", sample_situation, "date_test", "");
}

static void version_flags(json_t *ctx, json_t *v)
{
	const char *st = input_str(v, "status");
	char lower[64];
	snprintf(lower, sizeof(lower), "%s", rule_status_label(st));
	if (lower[0] >= 'A' && lower[0] <= 'Z')
		lower[0] = (char)(lower[0] - 'A' + 'a');
	json_object_set_new(v, "status_label_lower", json_string(lower));
	json_object_set_new(ctx, "editable", json_boolean(strcmp(st, "brouillon") == 0));
	json_object_set_new(ctx, "can_activate", json_boolean(strcmp(st, "actif") != 0));
	json_object_set_new(ctx, "can_close", json_boolean(strcmp(st, "actif") == 0));
	json_object_set_new(ctx, "can_retire", json_boolean(strcmp(st, "retire") != 0));
}

static void render_version(struct req *r, int status, const struct editor *e)
{
	int err;
	json_t *aid = aid_rules_get(r->db, &r->who, r->ids[0], &err);
	json_t *v =
	    aid && e->vid ? rule_version_get(r->db, &r->who, r->ids[0], e->vid, &err) : NULL;
	if (!aid || (e->vid && !v)) {
		json_decref(aid);
		reply_cas_err(r, err);
		return;
	}
	json_t *ctx = json_object();
	json_t *values = e->values ? json_incref(e->values)
	                 : v       ? stored_values(v)
	                           : new_values(r, aid);
	if (v)
		version_flags(ctx, v);
	else
		json_object_set_new(ctx, "editable", json_true());
	const char *base = aid_path(r, r->ids[0]);
	json_object_set_new(
	    ctx, "action",
	    json_string(v ? arena_printf(r->arena, "%s/versions/%lld", base, (long long)e->vid)
	                  : arena_printf(r->arena, "%s/versions", base)));
	page_add_form_errors(ctx, e->errors ? e->errors : json_object(), values);
	if (!e->errors)
		json_object_del(ctx, "errors");
	if (e->anchor_fix) {
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(ctx, "error_list"), i, x)
		{
			if (strcmp(input_str(x, "field"), "au") == 0)
				json_object_set_new(x, "anchor", json_string(e->anchor_fix));
		}
	}
	json_decref(values);
	if (e->test)
		json_object_set(ctx, "test", e->test);
	const char *title =
	    v ? arena_printf(r->arena, "Règle de « %s », version n° %lld", input_str(aid, "label"),
	                     (long long)json_integer_value(json_object_get(v, "numero")))
	      : arena_printf(r->arena, "Nouvelle version de la règle de « %s »",
	                     input_str(aid, "label"));
	json_object_set_new(ctx, "aid", aid);
	json_object_set_new(ctx, "version", v ? v : json_object());
	reply_page(r, status, "aid_types/version", title, ctx);
}

void h_rule_version_new(struct req *r)
{
	struct editor e = {0};
	render_version(r, 200, &e);
}

void h_rule_version_show(struct req *r)
{
	struct editor e = {.vid = r->ids[1]};
	render_version(r, 200, &e);
}

static const char *version_path(struct req *r, int64_t vid)
{
	return arena_printf(r->arena, AIDS_PATH "/%lld/versions/%lld", (long long)r->ids[0],
	                    (long long)vid);
}

/* Common ending of the version forms: the page again with the errors, or
 * a redirection. */
static void after_version_form(struct req *r, int rc, json_t *errors, int64_t vid, const char *to,
                               const char *flash)
{
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		struct editor e = {.vid = vid, .values = values, .errors = errors};
		if (!input_has(values, "document"))
			e.values = NULL, e.anchor_fix = "close_au";
		render_version(r, 422, &e);
		json_decref(values);
	} else if (rc == CAS_ECONFLICT) {
		reply_error(r, 409,
		            "Cette version n'est plus un brouillon : sa règle ne se modifie plus.");
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, to, flash);
	}
	json_decref(errors);
}

void h_rule_version_create(struct req *r)
{
	int64_t vid = 0;
	json_t *errors = NULL;
	int rc = rule_version_create(r->db, &r->who, r->ids[0], r->form, &vid, &errors, NULL);
	after_version_form(r, rc, errors, 0, rc == 0 ? version_path(r, vid) : "", "version_creee");
}

void h_rule_version_update(struct req *r)
{
	json_t *errors = NULL;
	int rc = rule_version_update(r->db, &r->who, r->ids[0], r->ids[1], r->form, &errors, NULL);
	after_version_form(r, rc, errors, r->ids[1], version_path(r, r->ids[1]), "enregistre");
}

void h_rule_version_activate(struct req *r)
{
	json_t *errors = NULL;
	int rc = rule_version_activate(r->db, &r->who, r->ids[0], r->ids[1], &errors);
	if (rc == CAS_EINVAL && errors) {
		struct editor e = {.vid = r->ids[1], .errors = errors};
		render_version(r, 422, &e);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	after_version_form(r, rc, NULL, r->ids[1], aid_path(r, r->ids[0]), "version_activee");
}

void h_rule_version_close(struct req *r)
{
	json_t *errors = NULL;
	int rc = rule_version_close(r->db, &r->who, r->ids[0], r->ids[1], r->form, &errors);
	after_version_form(r, rc, errors, r->ids[1], version_path(r, r->ids[1]), "enregistre");
}

void h_rule_version_retire(struct req *r)
{
	int rc = rule_version_retire(r->db, &r->who, r->ids[0], r->ids[1]);
	after_version_form(r, rc, NULL, r->ids[1], aid_path(r, r->ids[0]), "version_retiree");
}

/* ---- live validation and the tester ---- */

void h_rule_validate(struct req *r)
{
	struct rule_problem p;
	if (rule_document_check(req_form(r, "document"), NULL, &p) == 0) {
		reply_json(
		    r, 200,
		    json_pack("{s:b, s:s}", "ok", 1, "message",
		              "La règle est valide : elle peut être enregistrée et testée."));
		return;
	}
	reply_json(r, 200, json_pack("{s:b, s:o}", "ok", 0, "problem", rule_problem_json(&p)));
}

/* {view, variables, has_variables, sources, has_sources} of a result. */
static json_t *test_view(json_t *out)
{
	json_t *vars = variables_view(json_object_get(out, "variables"), NULL);
	return json_pack("{s:o, s:b, s:o, s:b, s:[], s:b, s:O}", "view", result_view(out),
	                 "has_variables", json_array_size(vars) > 0, "variables", vars,
	                 "has_sources", 0, "sources", "has_test", 1, "date",
	                 json_object_get(out, "date"));
}

void h_rule_test(struct req *r)
{
	int err;
	json_t *aid = aid_rules_get(r->db, &r->who, r->ids[0], &err);
	if (!aid) {
		reply_cas_err(r, err);
		return;
	}
	json_decref(aid);
	json_t *out = NULL, *errors = NULL;
	struct rule_problem p;
	memset(&p, 0, sizeof(p));
	int rc =
	    simulation_test_draft(r->db, &r->who, req_form(r, "document"), req_form(r, "situation"),
	                          req_form(r, "date_test"), &out, &errors, &p);
	int json = strcmp(req_form(r, "format"), "json") == 0;
	if (rc != 0 && rc != CAS_EINVAL) {
		reply_cas_err(r, rc);
		return;
	}
	json_t *test = rc == 0 ? test_view(out) : NULL;
	json_decref(out);
	if (json) {
		json_t *body = rc == 0 ? json_pack("{s:b, s:O}", "ok", 1, "test", test)
		                       : json_pack("{s:b, s:O}", "ok", 0, "errors", errors);
		if (rc != 0 && *p.kind)
			json_object_set_new(body, "problem", rule_problem_json(&p));
		reply_json(r, rc == 0 ? 200 : 422, body);
	} else {
		json_t *values = page_form_values(r);
		struct editor e = {.vid = input_id(r->form, "version_id"),
		                   .values = values,
		                   .errors = errors,
		                   .test = test};
		render_version(r, rc == 0 ? 200 : 422, &e);
		json_decref(values);
	}
	json_decref(test);
	json_decref(errors);
}

/* ---- import ---- */

static void render_import(struct req *r, int status, json_t *errors)
{
	json_t *ctx = json_object();
	json_t *values = json_pack("{s:s}", "document", req_form(r, "document"));
	if (errors) {
		page_add_form_errors(ctx, errors, values);
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(ctx, "error_list"), i, x)
		{
			/* the whole document is the one field of the form */
			const char *f = input_str(x, "field");
			if (strcmp(f, "document") != 0)
				json_object_set_new(
				    x, "message",
				    json_string(arena_printf(r->arena, "%s : %s", f,
				                             input_str(x, "message"))));
			json_object_set_new(x, "anchor", json_string("document"));
		}
	} else {
		json_object_set_new(ctx, "values", json_incref(values));
	}
	json_decref(values);
	reply_page(r, status, "aid_types/import", "Importer une aide", ctx);
}

void h_aid_import_form(struct req *r)
{
	render_import(r, 200, NULL);
}

void h_aid_import(struct req *r)
{
	json_error_t je;
	const char *text = req_form(r, "document");
	int too_big = strlen(text) > IMPORT_MAX;
	json_t *doc = too_big ? NULL : json_loads(text, JSON_REJECT_DUPLICATES, &je);
	json_t *errors = NULL;
	int64_t id = 0;
	int rc;
	if (!doc) {
		errors = json_pack(
		    "{s:s}", "document",
		    too_big ? "Le document dépasse la taille permise (900 Kio)."
		    : *text ? arena_printf(
		                  r->arena,
		                  "Le document n'est pas du JSON valide (ligne %d, colonne %d).",
		                  je.line, je.column)
		            : "Collez le document de l'aide ou choisissez un fichier.");
		rc = CAS_EINVAL;
	} else {
		rc = aid_rules_import(r->db, &r->who, doc, &id, &errors);
	}
	json_decref(doc);
	if (rc == CAS_EINVAL && errors)
		render_import(r, 422, errors);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, aid_path(r, id), "aide_importee");
	json_decref(errors);
}

/* ---- the CAF parts table ---- */

void h_caf_parts_update(struct req *r)
{
	json_t *errors = NULL;
	int rc = caf_parts_set(r->db, &r->who, req_form(r, "caf_parts"), &errors);
	if (rc == CAS_EINVAL && errors) {
		aid_types_render_list(r, 422, errors, r->form);
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, AIDS_PATH, "parts_caf");
	}
	json_decref(errors);
}
