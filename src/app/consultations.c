#include "app/consultations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/access_log.h"
#include "app/aid_scopes.h"
#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/proof.h"
#include "domain/caf_compare.h"
#include "store/consultation_store.h"
#include "store/db.h"
#include "store/tenant_store.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* --- signed fields --- */

static json_t *parsed(const json_t *rec, const char *key)
{
	const char *text = json_string_value(json_object_get(rec, key));
	return text ? json_loads(text, 0, NULL) : NULL;
}

json_t *consultation_signed_fields(const json_t *rec)
{
	char time[32], status[24], agent[300], pd[65], md[65];
	clock_rfc3339(json_integer_value(json_object_get(rec, "at")), time);
	snprintf(status, sizeof(status), "%lld",
	         (long long)json_integer_value(json_object_get(rec, "http_status")));
	snprintf(agent, sizeof(agent), "%lld:%s",
	         (long long)json_integer_value(json_object_get(rec, "agent_id")),
	         str(rec, "agent_label"));
	json_t *params = parsed(rec, "parameters"), *resp = parsed(rec, "response");
	proof_json_sha256(params, pd);
	proof_json_sha256(resp, md);
	json_decref(params);
	json_decref(resp);
	const char *kind = json_string_value(json_object_get(rec, "error_kind"));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "api",
	                 str(rec, "api"), "endpoint", str(rec, "endpoint"), "request_id",
	                 str(rec, "request_id"), "time", time, "http_status", status, "result",
	                 kind ? kind : "ok", "error_code", str(rec, "error_code"),
	                 "response_sha256", str(rec, "response_sha256"), "siret",
	                 str(rec, "recipient"), "agent", agent, "scopes", str(rec, "scopes"),
	                 "parameters_sha256", pd, "minimised_sha256", md);
}

/* --- reading --- */

static int can_read(const struct actor *who, int *err)
{
	if (perm_allows(who->role, PERM_DOSSIER_DETAIL))
		return 1;
	*err = CAS_EPERM;
	return 0;
}

/* Adds the parsed parts of a row (in place). */
static json_t *shape(json_t *row)
{
	json_t *resp = parsed(row, "response"), *params = parsed(row, "parameters");
	json_object_set_new(row, "reponse", resp ? resp : json_null());
	json_object_set_new(row, "parametres", params ? params : json_null());
	json_object_set_new(row, "ok",
	                    json_boolean(json_is_null(json_object_get(row, "error_kind"))));
	return row;
}

json_t *consultation_list(struct db *db, const struct actor *who, int64_t dossier_id, int limit,
                          int *err)
{
	if (!can_read(who, err))
		return NULL;
	json_t *rows = consultation_store_list(db, who->tenant_id, dossier_id, limit);
	if (!rows) {
		*err = CAS_EDB;
		return NULL;
	}
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) shape(r);
	*err = 0;
	return rows;
}

static int signature_ok(const json_t *row)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	size_t n = 0;
	const char *b64 = str(row, "public_key");
	if (sodium_base642bin(pk, sizeof(pk), b64, strlen(b64), NULL, &n, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != sizeof(pk))
		return 0;
	json_t *fields = consultation_signed_fields(row);
	int rc = proof_check(pk, fields, str(row, "signature"));
	json_decref(fields);
	return rc == 0;
}

json_t *consultation_get(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                         int *err)
{
	if (!can_read(who, err))
		return NULL;
	json_t *row = consultation_store_get(db, who->tenant_id, dossier_id, id, err);
	if (!row)
		return NULL;
	json_object_set_new(row, "signature_valide", json_boolean(signature_ok(row)));
	access_log_read_about(db, who, "consultation", id,
	                      json_integer_value(json_object_get(row, "person_id")));
	return shape(row);
}

json_t *consultation_proof(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                           int *err)
{
	json_t *row = consultation_get(db, who, dossier_id, id, err);
	if (!row)
		return NULL;
	json_t *fields = consultation_signed_fields(row);
	json_t *info = json_pack(
	    "{s:O, s:O, s:O, s:O, s:O, s:O}", "consultation", json_object_get(row, "id"), "dossier",
	    json_object_get(row, "dossier_numero"), "agent", json_object_get(row, "agent"),
	    "http_status", json_object_get(row, "http_status"), "message_erreur",
	    json_object_get(row, "error_message"), "horodatage_unix", json_object_get(row, "at"));
	json_t *doc = proof_document(fields, json_object_get(row, "parametres"),
	                             json_object_get(row, "reponse"), str(row, "public_key"),
	                             str(row, "signature"), info);
	json_decref(info);
	json_decref(fields);
	json_decref(row);
	return doc;
}

json_t *consultation_compare(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                             int *err)
{
	json_t *row = consultation_get(db, who, dossier_id, id, err);
	if (!row)
		return NULL;
	json_t *ctx = json_is_true(json_object_get(row, "ok"))
	                  ? consultation_store_context(db, who->tenant_id, dossier_id, err)
	                  : NULL;
	if (!ctx) {
		if (json_is_true(json_object_get(row, "ok")) == 0)
			*err = CAS_ECONFLICT;
		json_decref(row);
		return NULL;
	}
	json_t *members = consultation_store_members(
	    db, who->tenant_id, json_integer_value(json_object_get(ctx, "household_id")));
	json_t *addr = json_pack("{s:s, s:s, s:s}", "adresse", str(ctx, "adresse"), "code_postal",
	                         str(ctx, "code_postal"), "commune", str(ctx, "commune"));
	json_t *cmp = caf_compare(json_object_get(row, "reponse"), members, addr);
	json_object_set_new(cmp, "membres", members ? members : json_array());
	json_decref(addr);
	json_decref(ctx);
	json_decref(row);
	*err = 0;
	return cmp;
}

/* --- scopes --- */

static const char *const scope_table[][3] = {
    {"cnaf_quotient_familial", "Quotient familial (montant, mois, organisme)", "quotient_familial"},
    {"cnaf_allocataires", "Allocataires (identité des parents)", "allocataires"},
    {"cnaf_enfants", "Enfants à charge (identité)", "enfants"},
    {"cnaf_adresse", "Adresse connue de la CAF ou de la MSA", "adresse"},
};
#define NSCOPES (sizeof(scope_table) / sizeof(scope_table[0]))

json_t *particulier_scopes(void)
{
	json_t *out = json_array();
	for (size_t i = 0; i < NSCOPES; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "code", scope_table[i][0],
		                                     "label", scope_table[i][1], "key",
		                                     scope_table[i][2]));
	return out;
}

static const char *read_scopes(json_t *in, char *out, size_t outsz);

static const struct aid_scopes_kind particulier_kind = {consultation_store_aid_scopes,
                                                        consultation_store_set_aid_scopes,
                                                        particulier_scopes,
                                                        " ,",
                                                        read_scopes,
                                                        256,
                                                        "scopes"};

json_t *aid_scopes_get(struct db *db, const struct actor *who, int64_t aid_type_id, int *err)
{
	return aid_scopes_read(db, who, aid_type_id, &particulier_kind, err);
}

/* The codes of in["scopes"] (array, or string separated by spaces or
 * commas) into given, separated by spaces; 0 or a French message. */
static const char *gather_scopes(json_t *in, char *given, size_t gsz)
{
	json_t *v = json_object_get(in, "scopes");
	size_t o = 0;
	given[0] = '\0';
	if (json_is_string(v)) {
		snprintf(given, gsz, "%s", json_string_value(v));
		return NULL;
	}
	size_t i;
	json_t *s;
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s))
			return "Les données demandées sont des codes de droits d'accès.";
		o += (size_t)snprintf(given + o, gsz - o, "%s ", json_string_value(s));
		if (o >= gsz)
			return "Trop de données demandées.";
	}
	return NULL;
}

/* The chosen codes of in["scopes"] in table order, into out; NULL or a
 * French message. */
static const char *read_scopes(json_t *in, char *out, size_t outsz)
{
	char given[512];
	int chosen[NSCOPES] = {0};
	const char *why = gather_scopes(in, given, sizeof(given));
	if (why)
		return why;
	for (char *p = given; *p; p++)
		if (*p == ',')
			*p = ' ';
	for (char *p = given; *p;) {
		p += strspn(p, " ");
		size_t n = strcspn(p, " "), i;
		if (!n)
			break;
		for (i = 0; i < NSCOPES; i++)
			if (strlen(scope_table[i][0]) == n && strncmp(p, scope_table[i][0], n) == 0)
				break;
		if (i == NSCOPES)
			return "Une des données demandées n'existe pas dans API Particulier.";
		chosen[i] = 1;
		p += n;
	}
	out[0] = '\0';
	for (size_t i = 0, o = 0; i < NSCOPES; i++)
		if (chosen[i])
			o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? " " : "",
			                      scope_table[i][0]);
	return out[0] ? NULL
	              : "Choisissez au moins une donnée : sans elle, la consultation est inutile.";
}

int aid_scopes_set(struct db *db, const struct actor *who, int64_t aid_type_id, json_t *in,
                   json_t **errors)
{
	return aid_scopes_update(db, who, aid_type_id, &particulier_kind, in, errors);
}

/* --- provider settings --- */

static int url_ok(const char *u)
{
	if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
		return 0;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return strlen(u) < 500;
}

static json_t *provider_errors(const char *base_url, const char *token_file)
{
	json_t *errs = json_object();
	if (!url_ok(base_url))
		input_error(errs, "base_url",
		            "L'adresse d'API Particulier commence par https:// (ou http:// pour un "
		            "service local), sans espace.");
	if (token_file[0] != '/')
		input_error(errs, "token_file", "Indiquez le chemin absolu du fichier du jeton.");
	else if (access(token_file, R_OK) != 0)
		input_error(errs, "token_file",
		            "Le fichier du jeton n'existe pas ou n'est pas lisible par Cassis.");
	if (json_object_size(errs))
		return errs;
	json_decref(errs);
	return NULL;
}

static json_t *tenant_of(struct db *db, const char *siret, int *err)
{
	return tenant_store_by_siret(db, siret, err);
}

int provider_set_particulier(struct db *db, const struct actor *who, const char *siret,
                             const char *base_url, const char *token_file, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_PROVIDER_CONFIG))
		return CAS_EPERM;
	int rc;
	json_t *t = tenant_of(db, siret, &rc);
	if (!t)
		return rc;
	int64_t tid = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	*errors = provider_errors(base_url, token_file);
	if (*errors)
		return CAS_EINVAL;
	json_t *before = consultation_store_provider(db, tid, "particulier", &rc);
	json_t *after = json_pack("{s:s, s:s}", "base_url", base_url, "token_file", token_file);
	json_t *changes = json_object();
	if (before)
		json_object_del(before, "updated_at");
	audit_diff(changes, before, after);
	json_decref(before);
	json_decref(after);
	rc = db_begin(db);
	if (rc == 0)
		rc = consultation_store_set_provider(db, tid, "particulier", base_url, token_file,
		                                     clock_now());
	if (rc == 0)
		rc = audit_write_in(db, who, tid, "modification", "tenant_provider", tid,
		                    json_incref(changes));
	json_decref(changes);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

json_t *provider_get_particulier(struct db *db, const struct actor *who, const char *siret,
                                 int *err)
{
	if (!perm_allows(who->role, PERM_PROVIDER_CONFIG)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *t = tenant_of(db, siret, err);
	if (!t)
		return NULL;
	int64_t tid = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	return consultation_store_provider(db, tid, "particulier", err);
}

int provider_is_demo(struct db *db, int64_t tenant_id)
{
	static const char *const local[] = {"127.0.0.1", "localhost", "[::1]"};
	int err;
	if (!tenant_id)
		return 0;
	json_t *p = consultation_store_provider(db, tenant_id, "particulier", &err);
	if (!p)
		return 0;
	const char *u = str(p, "base_url");
	const char *host = strstr(u, "://");
	int demo = 0;
	host = host ? host + 3 : u;
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		size_t n = strlen(local[i]);
		if (strncmp(host, local[i], n) == 0 &&
		    (host[n] == '\0' || host[n] == ':' || host[n] == '/'))
			demo = 1;
	}
	json_decref(p);
	return demo;
}
