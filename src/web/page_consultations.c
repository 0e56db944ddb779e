/* Pages of the consultations of API Particulier (CAF / MSA quotient
 * familial): the section of the dossier page, the consultation itself
 * (POST), the printable "Justificatif de consultation" and its proof
 * document, applying the CAF composition to the household, and the data
 * each aid type asks for. */
#include "web/page_consultations.h"

#include <stdio.h>
#include <string.h>

#include "app/consult_caf.h"
#include "app/consultations.h"
#include "app/input.h"
#include "app/verify.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/json_alloc.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_verifications.h"
#include "web/reply.h"
#include "web/req.h"

#define HISTORY_SIZE 10

static const char *const kind_labels[][2] = {
    {"ok", "Réponse reçue"},
    {"params", "Paramètres refusés"},
    {"not_found", "Personne non trouvée"},
    {"token", "Jeton d'accès refusé"},
    {"scope", "Droits d'accès insuffisants"},
    {"conflict", "Requête identique en cours"},
    {"gone", "Service retiré"},
    {"rate", "Trop de requêtes"},
    {"provider", "Organisme indisponible"},
    {"timeout", "Délai dépassé"},
    {"network", "Service injoignable"},
    {"malformed", "Réponse illisible"},
    {"internal", "Consultation impossible"},
};

const char *consultation_kind_label(const char *kind)
{
	for (size_t i = 0; i < sizeof(kind_labels) / sizeof(kind_labels[0]); i++)
		if (kind && strcmp(kind, kind_labels[i][0]) == 0)
			return kind_labels[i][1];
	return "Échec";
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *path_of(struct req *r, int64_t dossier, int64_t cid, const char *rest)
{
	return arena_printf(r->arena, "/dossiers/%lld/consultations/%lld%s", (long long)dossier,
	                    (long long)cid, rest);
}

/* "cnaf_quotient_familial cnaf_enfants" -> "Quotient familial ..., Enfants ...";
 * the DGFiP's scopes for a consultation of API Impôt particulier. */
static json_t *scopes_label(const char *scopes, int impots)
{
	char out[1024] = "";
	size_t o = 0;
	json_t *all = impots ? impots_scopes() : particulier_scopes();
	size_t i;
	json_t *s;
	json_array_foreach(all, i, s)
	{
		const char *code = str(s, "code");
		const char *hit = strstr(scopes, code);
		size_t n = strlen(code);
		if (hit && (hit[n] == '\0' || hit[n] == ' ') && o < sizeof(out))
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", o ? " ; " : "",
			                      str(s, "label"));
	}
	json_decref(all);
	return json_string(o ? out : "aucune");
}

/* --- shaping a consultation for the templates --- */

static void shape_qf(json_t *c)
{
	json_t *qf = json_object_get(json_object_get(c, "reponse"), "quotient_familial");
	if (!json_is_object(qf))
		return;
	char period[16], calc[16];
	snprintf(period, sizeof(period), "%02lld/%04lld",
	         (long long)json_integer_value(json_object_get(qf, "mois")),
	         (long long)json_integer_value(json_object_get(qf, "annee")));
	snprintf(calc, sizeof(calc), "%02lld/%04lld",
	         (long long)json_integer_value(json_object_get(qf, "mois_calcul")),
	         (long long)json_integer_value(json_object_get(qf, "annee_calcul")));
	const char *f = str(qf, "fournisseur");
	json_object_set_new(
	    c, "qf",
	    json_pack("{s:O, s:s, s:s, s:s}", "valeur", json_object_get(qf, "valeur"), "periode",
	              period, "calcul", calc, "fournisseur",
	              strcmp(f, "MSA") == 0 ? "MSA (Mutualité sociale agricole)" : "CAF (CNAF)"));
}

static json_t *shape_consultation(struct req *r, json_t *c)
{
	char fr[FR_DATETIME_SIZE], iso[32];
	int64_t at = json_integer_value(json_object_get(c, "at"));
	fr_datetime(at, fr);
	clock_rfc3339(at, iso);
	int64_t id = json_integer_value(json_object_get(c, "id"));
	int64_t did = json_integer_value(json_object_get(c, "dossier_id"));
	const char *kind = json_is_true(json_object_get(c, "ok")) ? "ok" : str(c, "error_kind");
	int impots = strcmp(str(c, "api"), VERIFY_API_IMPOTS) == 0;
	json_object_set_new(c, "impots", json_boolean(impots));
	json_object_set_new(
	    c, "api_label",
	    json_string(impots ? "API Impôt particulier (DGFiP)" : "API Particulier"));
	json_object_set_new(c, "at_fr", json_string(fr));
	json_object_set_new(c, "at_iso", json_string(iso));
	json_object_set_new(c, "href", json_string(path_of(r, did, id, "")));
	json_object_set_new(c, "proof_href", json_string(path_of(r, did, id, "/preuve")));
	json_object_set_new(
	    c, "result_label",
	    json_string(impots ? verification_kind_label(kind) : consultation_kind_label(kind)));
	json_object_set_new(c, "scopes_label", scopes_label(str(c, "scopes"), impots));
	shape_qf(c);
	return c;
}

/* Marks the rows of a comparison part with "difference" for the template. */
static void mark_rows(json_t *part)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(part, "lignes"), i, l)
	{
		json_object_set_new(l, "difference",
		                    json_boolean(strcmp(str(l, "statut"), "ok") != 0));
	}
	json_object_set_new(part, "has_en_plus",
	                    json_boolean(json_array_size(json_object_get(part, "en_plus")) > 0));
}

static json_t *differences_label(struct req *r, json_t *cmp)
{
	int64_t n = json_integer_value(json_object_get(cmp, "differences"));
	if (n == 0)
		return json_string("Aucune différence avec le foyer déclaré.");
	return json_string(arena_printf(r->arena, "%lld différence%s avec le foyer déclaré.",
	                                (long long)n, n > 1 ? "s" : ""));
}

static void add_comparison(struct req *r, json_t *latest, int64_t dossier_id)
{
	int err;
	int64_t id = json_integer_value(json_object_get(latest, "id"));
	json_t *cmp = consultation_compare(r->db, &r->who, dossier_id, id, &err);
	if (!cmp)
		return;
	mark_rows(json_object_get(cmp, "allocataires"));
	mark_rows(json_object_get(cmp, "enfants"));
	int compared = 0;
	static const char *const parts[] = {"allocataires", "enfants", "adresse"};
	for (size_t i = 0; i < 3; i++)
		compared |=
		    json_is_true(json_object_get(json_object_get(cmp, parts[i]), "compare"));
	json_object_set_new(cmp, "compared", json_boolean(compared));
	json_object_set_new(cmp, "differences_label", differences_label(r, cmp));
	json_object_set_new(
	    cmp, "has_differences",
	    json_boolean(json_integer_value(json_object_get(cmp, "differences")) > 0));
	json_object_set_new(cmp, "apply_href",
	                    json_string(path_of(r, dossier_id, id, "/appliquer")));
	json_object_set_new(latest, "cmp", cmp);
}

void page_consultations_dossier_ctx(struct req *r, json_t *ctx, const json_t *d)
{
	int err;
	int64_t did = json_integer_value(json_object_get(d, "id"));
	json_t *rows = consultation_list(r->db, &r->who, did, 3 * HISTORY_SIZE, &err);
	if (!rows)
		return; /* not allowed to see the instruction */
	/* the CAF / MSA only: the DGFiP's are shown by "Vérifier la situation" */
	for (size_t k = json_array_size(rows); k-- > 0;)
		if (strcmp(str(json_array_get(rows, k), "api"), CONSULT_API_PARTICULIER) != 0 ||
		    k >= HISTORY_SIZE)
			json_array_remove(rows, k);
	int open = strcmp(str(d, "state"), "cloture") != 0;
	json_t *caf =
	    json_pack("{s:I, s:b, s:b, s:b}", "dossier_id", (json_int_t)did, "can_consult",
	              open && perm_allows(r->who.role, PERM_PARTICULIER_CONSULT), "can_apply",
	              open && perm_allows(r->who.role, PERM_PARTICULIER_APPLY), "has_history",
	              json_array_size(rows) > 0);
	size_t i;
	json_t *c;
	json_array_foreach(rows, i, c) shape_consultation(r, c);
	json_t *latest = json_array_get(rows, 0);
	if (latest) {
		if (json_is_true(json_object_get(latest, "ok")))
			add_comparison(r, latest, did);
		json_object_set(caf, "latest", latest);
	}
	json_object_set_new(caf, "history", rows);
	json_object_set_new(ctx, "caf", caf);
}

/* --- consulting --- */

void h_consultation_create(struct req *r)
{
	struct consult_outcome out;
	int rc = consult_caf(r->db, &r->who, r->ids[0], &out);
	if (rc == CAS_ECONFLICT) {
		reply_error(r, 409,
		            "Ce dossier est clôturé : la CAF et la MSA ne sont plus interrogées.");
		return;
	}
	if (rc == CAS_EIO) {
		reply_error(
		    r, 503,
		    "La clé de signature des preuves manque : la consultation n'est pas faite. "
		    "Prévenez l'administrateur de la plateforme.");
		return;
	}
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(
	    r, arena_printf(r->arena, "/dossiers/%lld#consultation-caf", (long long)r->ids[0]),
	    out.ok ? "caf_ok" : "caf_echec");
}

/* --- the justificatif and the proof --- */

static json_t *parameters_rows(const json_t *params)
{
	json_t *rows = json_array();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)params, k, v)
	{
		char *text =
		    json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		json_array_append_new(rows, json_pack("{s:s, s:s}", "nom", k, "valeur",
		                                      text ? text : str(params, k)));
		json_free_text(text);
	}
	return rows;
}

void h_consultation_show(struct req *r)
{
	int err;
	json_t *c = consultation_get(r->db, &r->who, r->ids[0], r->ids[1], &err);
	if (!c) {
		reply_cas_err(r, err);
		return;
	}
	shape_consultation(r, c);
	char *pretty = json_dumps(json_object_get(c, "reponse"), JSON_INDENT(2) | JSON_ENCODE_ANY);
	json_object_set_new(c, "reponse_texte", json_string(pretty ? pretty : "null"));
	json_free_text(pretty);
	json_object_set_new(c, "parametres_lignes",
	                    parameters_rows(json_object_get(c, "parametres")));
	json_t *ctx = json_pack("{s:o, s:s}", "c", c, "dossier_href",
	                        arena_printf(r->arena, "/dossiers/%lld", (long long)r->ids[0]));
	reply_page(r, 200, "consultations/show", "Justificatif de consultation", ctx);
}

void h_consultation_proof(struct req *r)
{
	int err;
	json_t *doc = consultation_proof(r->db, &r->who, r->ids[0], r->ids[1], &err);
	if (!doc) {
		reply_cas_err(r, err);
		return;
	}
	reply_json(r, 200, doc);
}

/* --- applying the CAF composition --- */

static json_t *nationalites(const char *selected)
{
	static const char *const n[][2] = {{"francaise", "Française"},
	                                   {"ue", "Union européenne"},
	                                   {"hors_ue", "Hors Union européenne"}};
	json_t *out = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", n[i][0], "label",
		                                     n[i][1], "selected",
		                                     strcmp(selected, n[i][0]) == 0));
	return out;
}

/* The children to add, with their form fields (values and errors). */
static json_t *children_rows(json_t *missing, json_t *values, json_t *errors)
{
	size_t i;
	json_t *l;
	json_array_foreach(missing, i, l)
	{
		char lk[48], nk[48], ek[48];
		long idx = (long)json_integer_value(json_object_get(l, "index"));
		snprintf(lk, sizeof(lk), "lieu_naissance_%ld", idx);
		snprintf(nk, sizeof(nk), "nationalite_%ld", idx);
		snprintf(ek, sizeof(ek), "enfant_%ld", idx);
		json_object_set_new(
		    l, "f",
		    json_pack("{s:s, s:s, s:s, s:s, s:o}", "lieu", lk, "nat", nk, "enfant", ek,
		              "lieu_value", input_str(values, lk), "nationalites",
		              nationalites(*input_str(values, nk) ? input_str(values, nk)
		                                                  : "francaise")));
		json_t *e =
		    json_pack("{s:O?, s:O?, s:O?}", "lieu", json_object_get(errors, lk), "nat",
		              json_object_get(errors, nk), "enfant", json_object_get(errors, ek));
		json_object_set_new(l, "e", e);
	}
	return missing;
}

static void render_apply(struct req *r, int status, json_t *errors, json_t *values)
{
	int err;
	json_t *c = consultation_get(r->db, &r->who, r->ids[0], r->ids[1], &err);
	json_t *missing =
	    c && json_is_true(json_object_get(c, "ok"))
	        ? consultation_missing_children(r->db, &r->who, r->ids[0], r->ids[1], &err)
	        : NULL;
	if (!c || (!missing && json_is_true(json_object_get(c, "ok")))) {
		json_decref(c);
		reply_cas_err(r, err);
		return;
	}
	shape_consultation(r, c);
	size_t n = json_array_size(missing);
	json_t *ctx = json_pack(
	    "{s:o, s:o, s:b, s:s, s:s}", "c", c, "children",
	    missing ? children_rows(missing, values, errors) : json_array(), "has_children", n > 0,
	    "dossier_href", arena_printf(r->arena, "/dossiers/%lld", (long long)r->ids[0]),
	    "confirm",
	    n == 1 ? "Ajouter cet enfant au foyer du dossier ?"
	           : arena_printf(r->arena, "Ajouter ces %zu enfants au foyer du dossier ?", n));
	if (errors)
		page_add_form_errors(ctx, errors, values);
	reply_page(r, status, "consultations/apply", "Appliquer la composition CAF au foyer", ctx);
}

void h_consultation_apply_form(struct req *r)
{
	render_apply(r, 200, NULL, NULL);
}

void h_consultation_apply(struct req *r)
{
	int added = 0;
	json_t *errors = NULL;
	int rc = consultation_apply_children(r->db, &r->who, r->ids[0], r->ids[1], r->form, &added,
	                                     &errors);
	if (rc == CAS_EINVAL && errors) {
		render_apply(r, 422, errors, r->form);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(
	    r, arena_printf(r->arena, "/dossiers/%lld#consultation-caf", (long long)r->ids[0]),
	    added ? "caf_applique" : "caf_rien");
}

/* --- the data an aid type asks for --- */

/* chosen: the codes submitted (shown again after a refusal), or NULL for
 * the stored ones. */
static void render_scopes(struct req *r, const struct aid_scopes_page *p, int status,
                          json_t *errors, json_t *chosen)
{
	int err;
	json_t *aid = p->get(r->db, &r->who, r->ids[0], &err);
	if (!aid) {
		reply_cas_err(r, err);
		return;
	}
	size_t i, j;
	json_t *c, *code;
	json_array_foreach(chosen ? json_object_get(aid, "choices") : NULL, i, c)
	{
		int on = 0;
		json_array_foreach(chosen, j, code) on |=
		    strcmp(json_string_value(code), str(c, "code")) == 0;
		json_object_set_new(c, "checked", json_boolean(on));
	}
	json_t *ctx = json_pack("{s:o}", "aid", aid);
	if (errors)
		page_add_form_errors(ctx, errors, NULL);
	reply_page(r, status, p->tmpl, p->title, ctx);
}

void aid_scopes_page_form(struct req *r, const struct aid_scopes_page *p)
{
	render_scopes(r, p, 200, NULL, NULL);
}

void aid_scopes_page_update(struct req *r, const struct aid_scopes_page *p)
{
	json_t *chosen = json_array();
	json_t *all = p->all();
	size_t i;
	json_t *s;
	json_array_foreach(all, i, s)
	{
		if (*req_form(r, str(s, "code")))
			json_array_append_new(chosen, json_string(str(s, "code")));
	}
	json_decref(all);
	json_t *in = json_pack("{s:O}", "scopes", chosen);
	json_t *errors = NULL;
	int rc = p->set(r->db, &r->who, r->ids[0], in, &errors);
	json_decref(in);
	if (rc == CAS_EINVAL && errors)
		render_scopes(r, p, 422, errors, chosen);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(
		    r,
		    arena_printf(r->arena, "/admin/aides/%lld/%s", (long long)r->ids[0], p->slug),
		    p->flash);
	json_decref(errors);
	json_decref(chosen);
}

static const struct aid_scopes_page caf_scopes_page = {aid_scopes_get,
                                                       aid_scopes_set,
                                                       particulier_scopes,
                                                       "consultations/aid_scopes",
                                                       "Données demandées à la CAF / MSA",
                                                       "donnees-caf",
                                                       "donnees_caf"};

void h_aid_scopes_form(struct req *r)
{
	aid_scopes_page_form(r, &caf_scopes_page);
}

void h_aid_scopes_update(struct req *r)
{
	aid_scopes_page_update(r, &caf_scopes_page);
}
