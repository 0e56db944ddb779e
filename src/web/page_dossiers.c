/* Pages of the dossiers (demandes d'aide): list with filters, opening a
 * dossier for a household, the dossier with its timeline, and the
 * instruction forms (state, budget lines, notes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/input.h"
#include "app/aid_types.h"
#include "app/dossiers.h"
#include "app/households.h"
#include "app/workflow.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/money.h"
#include "base/fr_time.h"
#include "web/aid_pages.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_workflow.h"
#include "web/page_consultations.h"
#include "web/page_documents.h"
#include "web/page_verifications.h"
#include "web/page_letters.h"
#include "web/page_payments.h"
#include "web/page_commission.h"
#include "web/page_retention.h"
#include "web/reply.h"
#include "web/req.h"

#define PAGE_SIZE 25

static json_t *money_fr(json_t *o, const char *key)
{
	char out[MONEY_FMT_SIZE];
	money_format(json_integer_value(json_object_get(o, key)), out, sizeof(out));
	return json_string(out);
}

static json_t *timestamp_fr(json_t *o, const char *key)
{
	char out[FR_DATETIME_SIZE];
	fr_date(json_integer_value(json_object_get(o, key)), out);
	return json_string(out);
}

/* Only codes and ids travel in the list's links. */
static int safe_token(const char *s)
{
	return s && strlen(s) <= 40 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(s);
}

/* --- list --- */

struct list_params {
	const char *etat, *aide; /* "" for any */
	const char *tri;         /* "numero", "date", "etat" */
	int desc;
	int64_t page;
};

static void read_list_params(struct req *r, struct list_params *lp, struct dossier_query *q)
{
	const char *tri = req_query(r, "tri"), *ordre = req_query(r, "ordre");
	lp->etat = req_query(r, "etat") ? req_query(r, "etat") : "";
	lp->aide = req_query(r, "aide") ? req_query(r, "aide") : "";
	lp->tri = tri && strcmp(tri, "date") == 0   ? "date"
	          : tri && strcmp(tri, "etat") == 0 ? "etat"
	                                            : "numero";
	/* Newest first unless asked otherwise. */
	lp->desc = !(ordre && strcmp(ordre, "asc") == 0);
	lp->page = req_query_int(r, "page", 1);
	if (lp->page < 1 || lp->page > 1000000)
		lp->page = 1;
	memset(q, 0, sizeof(*q));
	q->etat = lp->etat;
	q->aide = lp->aide;
	q->order = strcmp(lp->tri, "date") == 0   ? DOSSIER_ORDER_DATE
	           : strcmp(lp->tri, "etat") == 0 ? DOSSIER_ORDER_ETAT
	                                          : DOSSIER_ORDER_NUMERO;
	q->desc = lp->desc;
	q->offset = (lp->page - 1) * PAGE_SIZE;
	q->limit = PAGE_SIZE;
}

static json_t *list_url(struct req *r, const struct list_params *lp, const char *tri, int desc,
                        int64_t page)
{
	return json_string(
	    arena_printf(r->arena, "/dossiers?etat=%s&aide=%s&tri=%s&ordre=%s&page=%lld",
	                 safe_token(lp->etat) ? lp->etat : "", safe_token(lp->aide) ? lp->aide : "",
	                 tri, desc ? "desc" : "asc", (long long)page));
}

static json_t *sort_link(struct req *r, const struct list_params *lp, const char *tri)
{
	int current = strcmp(lp->tri, tri) == 0;
	json_t *o = json_pack("{s:o}", "href", list_url(r, lp, tri, current ? !lp->desc : 0, 1));
	if (current) {
		json_object_set_new(o, "aria", json_string(lp->desc ? "descending" : "ascending"));
		json_object_set_new(o, "arrow", json_string(lp->desc ? "▼" : "▲"));
	}
	return o;
}

static json_t *state_options(const char *selected)
{
	json_t *states = dossier_states();
	size_t i;
	json_t *s;
	json_array_foreach(states, i, s)
	{
		json_object_set_new(s, "selected",
		                    json_boolean(strcmp(input_str(s, "state"), selected) == 0));
	}
	return states;
}

/* The catalogue as options; active_only for the creation form. */
static json_t *aid_options(struct req *r, int active_only, const char *selected, int *err)
{
	json_t *aides = aid_type_list(r->db, &r->who, active_only, err);
	size_t i;
	json_t *a;
	json_array_foreach(aides, i, a)
	{
		char id[24];
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(a, "id")));
		json_object_set_new(a, "selected", json_boolean(strcmp(id, selected) == 0));
	}
	return aides;
}

static json_t *list_rows(json_t *found)
{
	size_t i;
	json_t *d;
	json_array_foreach(found, i, d)
	{
		json_object_set_new(d, "created_fr", timestamp_fr(d, "created_at"));
		json_object_set_new(d, "montant_fr", money_fr(d, "montant_demande"));
	}
	return found;
}

static void add_counts(struct req *r, json_t *ctx, const struct list_params *lp, int64_t total)
{
	int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	int filtered = *lp->etat || *lp->aide;
	const char *label = total == 0 ? (filtered ? "Aucun dossier ne correspond aux filtres."
	                                           : "Aucun dossier n'est encore ouvert.")
	                    : total == 1
	                        ? "1 dossier."
	                        : arena_printf(r->arena, "%lld dossiers.", (long long)total);
	static const char *const by[][2] = {
	    {"numéro croissant", "numéro décroissant"},
	    {"date d'ouverture, la plus ancienne d'abord",
	     "date d'ouverture, la plus récente d'abord"},
	    {"état, du brouillon au clôturé", "état, du clôturé au brouillon"}};
	int s = strcmp(lp->tri, "date") == 0 ? 1 : strcmp(lp->tri, "etat") == 0 ? 2 : 0;
	json_object_set_new(ctx, "count_label", json_string(label));
	json_object_set_new(ctx, "page", json_integer(lp->page));
	json_object_set_new(ctx, "pages", json_integer(pages));
	json_object_set_new(
	    ctx, "caption",
	    json_string(arena_printf(r->arena, "Dossiers, page %lld sur %lld, par %s",
	                             (long long)lp->page, (long long)pages, by[s][lp->desc != 0])));
	if (lp->page > 1)
		json_object_set_new(ctx, "prev_href",
		                    list_url(r, lp, lp->tri, lp->desc, lp->page - 1));
	if (lp->page < pages)
		json_object_set_new(ctx, "next_href",
		                    list_url(r, lp, lp->tri, lp->desc, lp->page + 1));
}

void h_dossiers(struct req *r)
{
	struct list_params lp;
	struct dossier_query q;
	read_list_params(r, &lp, &q);
	int64_t total = 0;
	int err;
	json_t *errors = NULL;
	json_t *found = dossier_list(r->db, &r->who, &q, &total, &err, &errors);
	json_t *aides = found || err == CAS_EINVAL ? aid_options(r, 0, lp.aide, &err) : NULL;
	if (!aides) {
		json_decref(found);
		json_decref(errors);
		reply_cas_err(r, err);
		return;
	}
	json_t *rows = found ? list_rows(found) : json_array();
	json_t *ctx = json_pack(
	    "{s:b, s:o, s:o, s:o, s:s, s:s, s:b}", "has_rows", json_array_size(rows) > 0, "rows",
	    rows, "states", state_options(lp.etat), "aides", aides, "tri", lp.tri, "ordre",
	    lp.desc ? "desc" : "asc", "can_create", perm_allows(r->who.role, PERM_DOSSIER_CREATE));
	json_object_set_new(ctx, "sort",
	                    json_pack("{s:o, s:o, s:o}", "numero", sort_link(r, &lp, "numero"),
	                              "date", sort_link(r, &lp, "date"), "etat",
	                              sort_link(r, &lp, "etat")));
	add_counts(r, ctx, &lp, total);
	page_exports_dossier_list_ctx(r, ctx);
	int status = errors ? 400 : 200;
	if (errors)
		page_add_form_errors(ctx, errors, NULL);
	json_decref(errors);
	reply_page(r, status, "dossiers/list", "Dossiers", ctx);
}

/* --- opening --- */

/* Current members of the household, the chosen one (or the demandeur)
 * selected. */
static json_t *applicant_options(json_t *h, const char *selected)
{
	json_t *list = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(h, "members"), i, m)
	{
		if (!json_is_true(json_object_get(m, "current")))
			continue;
		char id[24];
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_integer_value(json_object_get(m, "person_id")));
		int sel = *selected ? strcmp(id, selected) == 0
		                    : strcmp(input_str(m, "relation"), "demandeur") == 0;
		json_t *o = json_deep_copy(m);
		json_object_set_new(o, "selected", json_boolean(sel));
		json_array_append_new(list, o);
	}
	return list;
}

/* The form for household hid; errors and values borrowed. */
static void render_new(struct req *r, int status, int64_t hid, json_t *errors, json_t *values)
{
	int err;
	json_t *h = household_get(r->db, &r->who, hid, &err);
	json_t *aides = h ? aid_options(r, 1, input_str(values, "aid_type_id"), &err) : NULL;
	if (!aides) {
		json_decref(h);
		reply_cas_err(r, err);
		return;
	}
	json_t *ctx = json_pack("{s:o, s:o, s:b, s:o}", "applicants",
	                        applicant_options(h, input_str(values, "applicant_id")), "aides",
	                        aides, "has_aides", json_array_size(aides) > 0, "household", h);
	if (errors)
		page_add_form_errors(ctx, errors, values);
	reply_page(r, status, "dossiers/new", "Nouveau dossier", ctx);
}

void h_dossier_new(struct req *r)
{
	int64_t hid = req_query_int(r, "foyer", 0);
	if (!hid) {
		reply_redirect(r, "/foyers");
		return;
	}
	render_new(r, 200, hid, NULL, NULL);
}

void h_dossier_create(struct req *r)
{
	int64_t id;
	json_t *errors = NULL;
	int rc = dossier_create(r->db, &r->who, r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors && json_object_get(errors, "household_id")) {
		json_decref(errors);
		reply_not_found(r);
		return;
	}
	if (rc == CAS_EINVAL && errors) {
		render_new(r, 422, strtoll(req_form(r, "household_id"), NULL, 10), errors, r->form);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, arena_printf(r->arena, "/dossiers/%lld", (long long)id),
	                     "dossier_cree");
}

/* --- the dossier --- */

/* A refused instruction form: which ("etat", "ligne", "note"), its errors
 * and values. */
struct refused {
	const char *form;
	json_t *errors, *values;
};

static json_t *line_type_options(const char *selected)
{
	json_t *res = json_array(), *chg = json_array();
	json_t *types = dossier_line_types();
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
	{
		json_object_set_new(t, "selected",
		                    json_boolean(strcmp(input_str(t, "code"), selected) == 0));
		json_array_append(strcmp(input_str(t, "kind"), "ressource") == 0 ? res : chg, t);
	}
	json_decref(types);
	return json_pack("{s:o, s:o}", "ressources", res, "charges", chg);
}

static void shape_detail(json_t *ctx, json_t *d)
{
	json_t *lines = json_object_get(d, "lines");
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l)
	{
		json_object_set_new(l, "montant_fr", money_fr(l, "montant"));
	}
	json_t *totals = json_object_get(d, "totals");
	json_object_set_new(totals, "ressources_fr", money_fr(totals, "ressources"));
	json_object_set_new(totals, "charges_fr", money_fr(totals, "charges"));
	json_object_set_new(totals, "reste_a_vivre_fr", money_fr(totals, "reste_a_vivre"));
	json_object_set(ctx, "lines", lines);
	json_object_set_new(ctx, "has_lines", json_boolean(json_array_size(lines) > 0));
	json_object_set(ctx, "totals", totals);
}

static void shape_events(json_t *ctx, json_t *d)
{
	json_t *events = json_object_get(d, "events");
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e)
	{
		char fr[FR_DATETIME_SIZE], iso[32];
		int64_t t = json_integer_value(json_object_get(e, "created_at"));
		fr_datetime(t, fr);
		clock_rfc3339(t, iso);
		json_object_set_new(e, "at_fr", json_string(fr));
		json_object_set_new(e, "at_iso", json_string(iso));
	}
	json_object_set(ctx, "events", events);
}

/* Summary anchors: the line form's label field has its own id. */
static void add_refused(json_t *ctx, const struct refused *f)
{
	char key[32];
	page_add_form_errors(ctx, f->errors, NULL);
	snprintf(key, sizeof(key), "%s_errors", f->form);
	json_object_set(ctx, key, f->errors);
	snprintf(key, sizeof(key), "%s_values", f->form);
	json_object_set(ctx, key, f->values);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(ctx, "error_list"), i, e)
	{
		if (strcmp(f->form, "ligne") == 0 && strcmp(input_str(e, "field"), "label") == 0)
			json_object_set_new(e, "anchor", json_string("line-label"));
	}
}

static void render_dossier(struct req *r, int status, int64_t id, const struct refused *f)
{
	int err;
	json_t *d = dossier_get(r->db, &r->who, id, &err);
	if (!d) {
		reply_cas_err(r, err);
		return;
	}
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:b, s:o}", "montant_fr", money_fr(d, "montant_demande"), "created_fr",
	    timestamp_fr(d, "created_at"), "has_transitions",
	    json_array_size(json_object_get(d, "transitions")) > 0, "line_types",
	    line_type_options(f && strcmp(f->form, "ligne") == 0 ? input_str(f->values, "category")
	                                                         : ""));
	if (json_is_true(json_object_get(d, "detail")))
		shape_detail(ctx, d);
	shape_events(ctx, d);
	if (f)
		add_refused(ctx, f);
	page_consultations_dossier_ctx(r, ctx, d);
	page_verifications_dossier_ctx(r, ctx, d);
	page_documents_dossier_ctx(r, ctx, id);
	page_letters_dossier_ctx(r, ctx, d);
	evaluation_page_ctx(r, ctx, id);
	page_payments_dossier_ctx(r, ctx, id);
	page_commission_dossier_ctx(r, ctx, id);
	page_retention_dossier_ctx(r, ctx, id);
	page_workflow_dossier_ctx(r, ctx, d, f && strcmp(f->form, "etat") == 0 ? f->errors : NULL,
	                          f ? f->values : NULL);
	const char *title = arena_printf(r->arena, "Dossier %s", input_str(d, "numero"));
	json_object_set_new(ctx, "d", d);
	reply_page(r, status, "dossiers/show", title, ctx);
}

void h_dossier_show(struct req *r)
{
	render_dossier(r, 200, r->ids[0], NULL);
}

/* Common ending of the instruction forms. */
static void after_form(struct req *r, int rc, json_t *errors, const char *form, const char *flash)
{
	if (rc == CAS_EINVAL && errors) {
		struct refused f = {form, errors, r->form};
		render_dossier(r, 422, r->ids[0], &f);
	} else if (rc == CAS_ECONFLICT) {
		reply_error(r, 409, "Un dossier clôturé ne peut plus être modifié.");
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(
		    r, arena_printf(r->arena, "/dossiers/%lld", (long long)r->ids[0]), flash);
	}
	json_decref(errors);
}

/* An action of the workflow: "etat" the state to go to, the other fields
 * those it requires (app/workflow.h). */
void h_dossier_state(struct req *r)
{
	json_t *errors = NULL;
	int rc =
	    workflow_transition(r->db, &r->who, r->ids[0], req_form(r, "etat"), r->form, &errors);
	if (rc == CAS_ECONFLICT) {
		json_decref(errors);
		reply_error(r, 409,
		            "Le dossier vient de changer d'état : rechargez la page pour voir les "
		            "actions possibles.");
		return;
	}
	after_form(r, rc, errors, "etat", "etat");
}

void h_dossier_line_add(struct req *r)
{
	int64_t line_id;
	json_t *errors = NULL;
	int rc = dossier_add_line(r->db, &r->who, r->ids[0], r->form, &line_id, &errors);
	after_form(r, rc, errors, "ligne", "ligne_ajoutee");
}

void h_dossier_note_add(struct req *r)
{
	json_t *errors = NULL;
	int rc = dossier_add_note(r->db, &r->who, r->ids[0], r->form, &errors);
	after_form(r, rc, errors, "note", "note_ajoutee");
}
