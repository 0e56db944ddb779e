/* "Vérifier la situation" (app/verify.h): the section of the dossier page
 * (the form: numéro fiscal and year), the step itself (POST, page and JSON
 * API), the result view with both sources next to the declared household,
 * and the DGFiP data each aid type keeps. The numéro fiscal is never put
 * in a page, a redirect or a log: the request's copies are wiped after
 * the call. */
#include "web/page_verifications.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/input.h"
#include "app/verify.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/household.h"
#include "domain/money.h"
#include "web/api.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_consultations.h"
#include "web/reply.h"
#include "web/req.h"

#define HISTORY_SIZE 10

static const char *const dgfip_labels[][2] = {
    {"ok", "Réponse reçue"},
    {"bad_spi", "Numéro fiscal refusé"},
    {"bad_year", "Année refusée"},
    {"bad_request", "Requête refusée"},
    {"no_data", "Aucune donnée pour cette année"},
    {"unknown_spi", "Numéro fiscal inconnu"},
    {"credentials", "Identifiants refusés"},
    {"forbidden", "Droits d'accès insuffisants"},
    {"rate", "Trop de requêtes"},
    {"provider", "DGFiP indisponible"},
    {"timeout", "Délai dépassé"},
    {"network", "Service injoignable"},
    {"malformed", "Réponse illisible"},
    {"internal", "Consultation impossible"},
};

const char *verification_kind_label(const char *kind)
{
	for (size_t i = 0; i < sizeof(dgfip_labels) / sizeof(dgfip_labels[0]); i++)
		if (kind && strcmp(kind, dgfip_labels[i][0]) == 0)
			return dgfip_labels[i][1];
	return "Échec";
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *vpath(struct req *r, int64_t dossier, int64_t vid)
{
	return arena_printf(r->arena, "/dossiers/%lld/verifications/%lld", (long long)dossier,
	                    (long long)vid);
}

/* Wipes every copy of the numéro fiscal the request holds: the raw body
 * and the parsed fields. */
static void wipe_request(struct req *r)
{
	verify_wipe_input(r->form);
	verify_wipe_input(r->json);
	if (r->body.data)
		sodium_memzero(r->body.data, r->body.len);
}

static void set_times(json_t *o, int64_t at)
{
	char fr[FR_DATETIME_SIZE], iso[32];
	fr_datetime(at, fr);
	clock_rfc3339(at, iso);
	json_object_set_new(o, "at_fr", json_string(fr));
	json_object_set_new(o, "at_iso", json_string(iso));
}

/* --- the section of the dossier page --- */

/* The year the DGFiP serves today, for the hint. */
static int default_year(void)
{
	int y, m, d;
	paris_ymd(clock_now(), &y, &m, &d);
	return y - ((m > 7 || (m == 7 && d >= 22)) ? 1 : 2);
}

static json_t *form_ctx(int64_t dossier_id)
{
	return json_pack("{s:I, s:i}", "dossier_id", (json_int_t)dossier_id, "annee_defaut",
	                 default_year());
}

void page_verifications_dossier_ctx(struct req *r, json_t *ctx, const json_t *d)
{
	int err;
	int64_t did = json_integer_value(json_object_get(d, "id"));
	json_t *rows = verification_list(r->db, &r->who, did, HISTORY_SIZE, &err);
	if (!rows)
		return; /* not allowed to see the instruction */
	int open = strcmp(str(d, "state"), "cloture") != 0;
	json_t *v = form_ctx(did);
	json_object_set_new(
	    v, "can_verify",
	    json_boolean(open && perm_allows(r->who.role, PERM_PARTICULIER_CONSULT)));
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		set_times(row, json_integer_value(json_object_get(row, "at")));
		json_object_set_new(
		    row, "href",
		    json_string(vpath(r, did, json_integer_value(json_object_get(row, "id")))));
		json_object_set_new(row, "caf_label",
		                    json_string(consultation_kind_label(str(row, "caf_kind"))));
		json_object_set_new(row, "dgfip_label",
		                    json_string(verification_kind_label(str(row, "dgfip_kind"))));
	}
	json_object_set_new(v, "has_history", json_boolean(json_array_size(rows) > 0));
	json_object_set(v, "latest", json_array_get(rows, 0));
	json_object_set_new(v, "history", rows);
	json_object_set_new(ctx, "verif", v);
}

/* --- the step --- */

static void render_form(struct req *r, int status, json_t *errors)
{
	json_t *ctx = json_pack("{s:o, s:s}", "verif", form_ctx(r->ids[0]), "dossier_href",
	                        arena_printf(r->arena, "/dossiers/%lld", (long long)r->ids[0]));
	json_object_set_new(json_object_get(ctx, "verif"), "can_verify", json_true());
	json_t *values = json_pack("{s:s}", "annee", input_str(r->form, "annee"));
	if (errors)
		page_add_form_errors(ctx, errors, values);
	json_decref(values);
	reply_page(r, status, "verifications/new", "Vérifier la situation", ctx);
}

static const char *flash_of(const struct verify_outcome *o)
{
	if (o->caf_ok && o->dgfip_ok)
		return "verif_ok";
	return o->caf_ok || o->dgfip_ok ? "verif_partiel" : "verif_echec";
}

/* The refusals common to the page and the API; 1 when a reply is queued. */
static int refused(struct req *r, int rc)
{
	if (rc == CAS_ECONFLICT) {
		reply_error(r, 409,
		            "Ce dossier est clôturé : la CAF, la MSA et la DGFiP ne sont plus "
		            "interrogées.");
		return 1;
	}
	if (rc == CAS_EIO) {
		reply_error(
		    r, 503,
		    "La clé de signature des preuves ou celle des numéros fiscaux manque : la "
		    "vérification n'est pas faite. Prévenez l'administrateur de la plateforme.");
		return 1;
	}
	if (rc != 0) {
		reply_cas_err(r, rc);
		return 1;
	}
	return 0;
}

void h_verification_create(struct req *r)
{
	struct verify_outcome out;
	json_t *errors = NULL;
	int rc = verify_situation(r->db, &r->who, r->ids[0], r->form, &out, &errors);
	wipe_request(r);
	if (rc == CAS_EINVAL && errors) {
		render_form(r, 422, errors);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (refused(r, rc))
		return;
	const char *to = vpath(r, r->ids[0], out.verification_id);
	if (out.spi_warning)
		to = arena_printf(r->arena, "%s?avertissement=cle", to);
	reply_redirect_flash(r, to, flash_of(&out));
}

/* --- the result view --- */

/* "48 583 €" from whole euros. */
static json_t *euros(const json_t *v)
{
	char s[MONEY_FMT_SIZE];
	money_format(json_integer_value(v) * 100, s, sizeof(s));
	char *cents = strstr(s, ",00");
	if (cents)
		memmove(cents, cents + 3, strlen(cents + 3) + 1);
	return json_string(s);
}

static const char *const pac_labels[][2] = {
    {"F", "enfants à charge"},
    {"G", "dont enfants invalides"},
    {"H", "enfants en résidence alternée"},
    {"I", "dont enfants invalides en résidence alternée"},
    {"J", "enfants majeurs rattachés"},
    {"N", "enfants majeurs mariés ou chargés de famille rattachés"},
    {"P", "personnes de la case P"},
    {"R", "personnes invalides vivant au foyer"},
};

static json_t *pac_rows(const json_t *detail)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < sizeof(pac_labels) / sizeof(pac_labels[0]); i++) {
		const json_t *n = json_object_get(detail, pac_labels[i][0]);
		if (json_is_integer(n) && json_integer_value(n) > 0)
			json_array_append_new(rows,
			                      json_pack("{s:s, s:O, s:s}", "code", pac_labels[i][0],
			                                "nombre", n, "libelle", pac_labels[i][1]));
	}
	return rows;
}

static void shape_dgfip_data(json_t *c)
{
	json_t *d = json_object_get(c, "reponse");
	json_t *view = json_object();
	static const char *const amounts[] = {
	    "rfr",          "montant_impot",    "impot_avant_corrections",
	    "impot_bareme", "revenu_imposable", "revenu_brut_global"};
	for (size_t i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++)
		if (json_is_integer(json_object_get(d, amounts[i])))
			json_object_set_new(view, amounts[i],
			                    euros(json_object_get(d, amounts[i])));
	char parts[32];
	snprintf(parts, sizeof(parts), "%s", str(d, "nombre_parts"));
	for (char *p = parts; *p; p++)
		*p = *p == '.' ? ',' : *p;
	if (*parts)
		json_object_set_new(view, "parts", json_string(parts));
	const json_t *pac = json_object_get(d, "personnes_a_charge");
	if (json_is_object(pac))
		json_object_set_new(view, "pac",
		                    json_pack("{s:O?, s:o}", "nombre",
		                              json_object_get(pac, "nombre"), "detail",
		                              pac_rows(json_object_get(pac, "detail"))));
	json_object_set_new(view, "has_impot",
	                    json_boolean(json_object_get(view, "montant_impot") ||
	                                 json_object_get(view, "impot_avant_corrections") ||
	                                 json_object_get(view, "impot_bareme")));
	json_object_set(view, "annee_revenus", json_object_get(d, "annee_revenus"));
	json_object_set(view, "situation_famille",
	                json_object_get(json_object_get(d, "situation_famille"), "libelle"));
	json_object_set(view, "parent_isole", json_object_get(d, "parent_isole"));
	json_object_set_new(c, "fiscal", view);
}

static void shape_caf_qf(json_t *c)
{
	json_t *qf = json_object_get(json_object_get(c, "reponse"), "quotient_familial");
	if (!json_is_object(qf))
		return;
	char period[16];
	snprintf(period, sizeof(period), "%02lld/%04lld",
	         (long long)json_integer_value(json_object_get(qf, "mois")),
	         (long long)json_integer_value(json_object_get(qf, "annee")));
	json_object_set_new(c, "qf",
	                    json_pack("{s:O, s:s, s:s}", "valeur", json_object_get(qf, "valeur"),
	                              "periode", period, "fournisseur",
	                              strcmp(str(qf, "fournisseur"), "MSA") == 0 ? "MSA" : "CAF"));
}

/* Common shape of one side: label, link to the justificatif. */
static void shape_side(struct req *r, json_t *c, int dgfip)
{
	if (!json_is_object(c))
		return;
	int64_t id = json_integer_value(json_object_get(c, "id"));
	const char *kind = json_is_true(json_object_get(c, "ok")) ? "ok" : str(c, "error_kind");
	json_object_set_new(
	    c, "result_label",
	    json_string(dgfip ? verification_kind_label(kind) : consultation_kind_label(kind)));
	json_object_set_new(c, "href",
	                    json_string(arena_printf(r->arena, "/dossiers/%lld/consultations/%lld",
	                                             (long long)r->ids[0], (long long)id)));
	json_object_set_new(
	    c, "proof_href",
	    json_string(arena_printf(r->arena, "/dossiers/%lld/consultations/%lld/preuve",
	                             (long long)r->ids[0], (long long)id)));
	if (!json_is_true(json_object_get(c, "ok")))
		return;
	if (dgfip)
		shape_dgfip_data(c);
	else
		shape_caf_qf(c);
}

/* key_txt: the value as text, "non communiqué" when null. */
static void as_text(json_t *part, const char *key)
{
	char k[48], buf[32];
	const json_t *v = json_object_get(part, key);
	snprintf(k, sizeof(k), "%s_txt", key);
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		json_object_set_new(part, k, json_string(buf));
	} else {
		json_object_set_new(part, k,
		                    json_string(json_is_string(v) && *json_string_value(v)
		                                    ? json_string_value(v)
		                                    : "non communiqué"));
	}
}

static void flag(json_t *part, const char *const *keys)
{
	const char *st = str(part, "statut");
	json_object_set_new(part, "difference", json_boolean(strcmp(st, "difference") == 0));
	json_object_set_new(part, "compare", json_boolean(strcmp(st, "non_compare") != 0));
	for (; *keys; keys++)
		as_text(part, *keys);
}

static void shape_comparison(json_t *v)
{
	json_t *cmp = json_object_get(v, "comparaison");
	static const char *const kids[] = {"declares", "caf", "dgfip", NULL};
	static const char *const family[] = {"caf", "dgfip", NULL};
	flag(json_object_get(cmp, "enfants"), kids);
	flag(json_object_get(cmp, "situation_famille"), family);
	flag(json_object_get(cmp, "adresses"), family);
	int64_t n = json_integer_value(json_object_get(cmp, "differences"));
	json_object_set_new(cmp, "differences_label",
	                    json_string(n == 0 ? "Aucune différence relevée avec le foyer déclaré."
	                                : n == 1
	                                    ? "1 point à vérifier avec le demandeur."
	                                    : "Plusieurs points à vérifier avec le demandeur."));
	json_t *members = json_object_get(v, "membres");
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m)
	{
		char label[400];
		snprintf(label, sizeof(label), "%s %s", str(m, "prenom1"),
		         *str(m, "nom_usage") ? str(m, "nom_usage") : str(m, "nom_naissance"));
		json_object_set_new(m, "libelle", json_string(label));
		enum relation rel;
		json_object_set_new(m, "relation_label",
		                    json_string(relation_from_code(str(m, "relation"), &rel) == 0
		                                    ? relation_label(rel)
		                                    : str(m, "relation")));
	}
}

json_t *page_verification_view(struct req *r, json_t *v)
{
	set_times(v, json_integer_value(json_object_get(v, "at")));
	shape_side(r, json_object_get(v, "caf"), 0);
	shape_side(r, json_object_get(v, "dgfip"), 1);
	shape_comparison(v);
	json_object_del(v, "spi_hash");
	return v;
}

void h_verification_show(struct req *r)
{
	int err;
	json_t *v = verification_get(r->db, &r->who, r->ids[0], r->ids[1], &err);
	if (!v) {
		reply_cas_err(r, err);
		return;
	}
	page_verification_view(r, v);
	const char *warn = req_query(r, "avertissement");
	json_t *ctx = json_pack("{s:o, s:s, s:b}", "v", v, "dossier_href",
	                        arena_printf(r->arena, "/dossiers/%lld", (long long)r->ids[0]),
	                        "spi_warning", warn && strcmp(warn, "cle") == 0);
	reply_page(r, 200, "verifications/show", "Situation vérifiée", ctx);
}

/* --- the JSON API --- */

static int api_body_ok(struct req *r)
{
	json_t *errors = json_object();
	const char *k;
	json_t *val;
	if (!json_is_object(r->json)) {
		reply_api_error(
		    r, 400, "bad_request",
		    "Le corps de la requête est un objet JSON {\"spi\": ..., \"annee\": ...}.",
		    NULL);
		json_decref(errors);
		return 0;
	}
	json_object_foreach(r->json, k, val)
	{
		if (strcmp(k, "spi") == 0 && !json_is_string(val))
			input_error(errors, k, "Le numéro fiscal est une chaîne de 13 chiffres.");
		else if (strcmp(k, "annee") == 0 && !json_is_integer(val) && !json_is_string(val) &&
		         !json_is_null(val))
			input_error(errors, k, "L'année est un nombre entier, par exemple 2024.");
		else if (strcmp(k, "spi") != 0 && strcmp(k, "annee") != 0)
			input_error(errors, k, "Ce champ n'est pas accepté ici.");
	}
	int ok = json_object_size(errors) == 0;
	if (!ok)
		api_reply_field_errors(r, errors);
	json_decref(errors);
	return ok;
}

/* The API representation of one side. */
static json_t *api_side(const json_t *c)
{
	if (!json_is_object(c))
		return json_null();
	int ok = json_is_true(json_object_get(c, "ok"));
	json_t *s =
	    json_pack("{s:O, s:b, s:O?, s:O?, s:O?}", "consultation_id", json_object_get(c, "id"),
	              "ok", ok, "http_status", json_object_get(c, "http_status"), "request_id",
	              json_object_get(c, "request_id"), "data",
	              ok ? json_object_get(c, "reponse") : json_null());
	json_object_set_new(s, "error",
	                    ok ? json_null()
	                       : json_pack("{s:O?, s:O?, s:O?}", "kind",
	                                   json_object_get(c, "error_kind"), "code",
	                                   json_object_get(c, "error_code"), "message",
	                                   json_object_get(c, "error_message")));
	json_object_set_new(s, "proof_id",
	                    json_integer(json_integer_value(json_object_get(c, "id"))));
	return s;
}

static json_t *api_view(const json_t *v)
{
	char iso[32];
	clock_rfc3339(json_integer_value(json_object_get(v, "at")), iso);
	return json_pack("{s:O, s:O, s:s, s:O?, s:O?, s:o, s:o, s:O?}", "id",
	                 json_object_get(v, "id"), "dossier_id", json_object_get(v, "dossier_id"),
	                 "at", iso, "agent", json_object_get(v, "agent"), "annee",
	                 json_object_get(v, "annee"), "caf", api_side(json_object_get(v, "caf")),
	                 "dgfip", api_side(json_object_get(v, "dgfip")), "comparaison",
	                 json_object_get(v, "comparaison"));
}

static void reply_verification(struct req *r, int status, int64_t vid, const char *warning)
{
	int err;
	json_t *v = verification_get(r->db, &r->who, r->ids[0], vid, &err);
	if (!v) {
		reply_cas_err(r, err);
		return;
	}
	json_t *out = api_view(v);
	json_decref(v);
	json_object_set_new(out, "avertissements",
	                    warning ? json_pack("[s]", warning) : json_array());
	if (status == 201)
		r->location = arena_printf(r->arena, "/api/v1/dossiers/%lld/verifications/%lld",
		                           (long long)r->ids[0], (long long)vid);
	reply_json(r, status, out);
}

void h_api_verification_create(struct req *r)
{
	if (!api_body_ok(r)) {
		wipe_request(r);
		return;
	}
	struct verify_outcome out;
	json_t *errors = NULL;
	int rc = verify_situation(r->db, &r->who, r->ids[0], r->json, &out, &errors);
	wipe_request(r);
	if (rc == CAS_EINVAL && errors)
		api_reply_field_errors(r, errors);
	else if (rc == CAS_ECONFLICT)
		reply_api_error(r, 409, "closed",
		                "Ce dossier est clôturé : la CAF, la MSA et la DGFiP ne sont plus "
		                "interrogées.",
		                NULL);
	else if (!refused(r, rc))
		reply_verification(r, 201, out.verification_id, out.spi_warning);
	json_decref(errors);
}

void h_api_verification_get(struct req *r)
{
	reply_verification(r, 200, r->ids[1], NULL);
}

/* --- the DGFiP data an aid type keeps --- */

static const struct aid_scopes_page dgfip_scopes_page = {aid_impots_scopes_get,
                                                         aid_impots_scopes_set,
                                                         impots_scopes,
                                                         "verifications/aid_scopes",
                                                         "Données demandées à la DGFiP",
                                                         "donnees-dgfip",
                                                         "donnees_dgfip"};

void h_aid_impots_scopes_form(struct req *r)
{
	aid_scopes_page_form(r, &dgfip_scopes_page);
}

void h_aid_impots_scopes_update(struct req *r)
{
	aid_scopes_page_update(r, &dgfip_scopes_page);
}
