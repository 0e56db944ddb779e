#include "app/consult_caf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/consultations.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/log.h"
#include "base/proof.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/fold.h"
#include "domain/pdate.h"
#include "providers/particulier.h"
#include "store/consultation_store.h"
#include "store/db.h"

#define TOKEN_MAX 4096

static struct proof_key server_key;
static int have_key;

void consult_set_signing_key(const struct proof_key *k)
{
	server_key = *k;
	have_key = 1;
}

const struct proof_key *consult_signing_key(void)
{
	return have_key ? &server_key : NULL;
}

/* --- the identity sent --- */

static const char *opt(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : NULL;
}

/* Characters API Particulier accepts in names: letters of ISO 8859-1
 * (A-Z, À-Ö, Ø-ö, ø-ÿ), space, apostrophe and hyphen. */
static int api_name_char(long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == ' ' || cp == '\'' ||
	       cp == '-' || (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7);
}

/* A name as the API accepts it: ligatures spelt out (Lecœur -> Lecoeur),
 * the typographic apostrophe made straight, other Latin letters without
 * their diacritics (fold.h); anything else is kept for the API to judge. */
static void api_name(const char *in, char *out, size_t outsz)
{
	size_t i = 0, o = 0;
	long cp;
	while ((cp = utf8_next(in, &i)) != 0 && o + 5 < outsz) {
		char enc[8];
		size_t n;
		if (cp < 0)
			continue;
		if (cp == 0x152 || cp == 0x153 || cp == 0xC6 || cp == 0xE6 || cp == 0xDF) {
			static const char *const spelt[] = {"OE", "oe", "AE", "ae", "ss"};
			int k = cp == 0x152   ? 0
			        : cp == 0x153 ? 1
			        : cp == 0xC6  ? 2
			        : cp == 0xE6  ? 3
			                      : 4;
			n = (size_t)snprintf(enc, sizeof(enc), "%s", spelt[k]);
		} else if (cp == 0x2019) {
			n = (size_t)snprintf(enc, sizeof(enc), "'");
		} else if (!api_name_char(cp) && cp >= 0x100 && cp <= 0x24F) {
			char one[8];
			one[utf8_encode(cp, one)] = '\0';
			fold_text(one, enc, sizeof(enc));
			n = strlen(enc);
		} else {
			n = utf8_encode(cp, enc);
		}
		memcpy(out + o, enc, n);
		o += n;
	}
	out[o] = '\0';
}

#define NAME_BUF 256

/* The strings of an identity that had to be rewritten. */
struct identity_text {
	char nom[NAME_BUF], usage[NAME_BUF], prenoms[3][NAME_BUF];
};

/* The applicant's état civil (ctx: consultation_store_context) as an
 * identity; strings borrowed from ctx and t. */
static void identity_of(const json_t *ctx, struct pa_identity *id, struct identity_text *t)
{
	static const char *const pkeys[] = {"prenom1", "prenom2", "prenom3"};
	struct pdate d;
	const char *why;
	memset(id, 0, sizeof(*id));
	if (opt(ctx, "nom_naissance")) {
		api_name(opt(ctx, "nom_naissance"), t->nom, sizeof(t->nom));
		id->nom_naissance = t->nom;
	}
	if (opt(ctx, "nom_usage")) {
		api_name(opt(ctx, "nom_usage"), t->usage, sizeof(t->usage));
		id->nom_usage = t->usage;
	}
	for (int i = 0; i < 3; i++)
		if (opt(ctx, pkeys[i])) {
			api_name(opt(ctx, pkeys[i]), t->prenoms[id->nb_prenoms], NAME_BUF);
			id->prenoms[id->nb_prenoms] = t->prenoms[id->nb_prenoms];
			id->nb_prenoms++;
		}
	const char *sexe = opt(ctx, "sexe");
	id->sexe = sexe ? sexe[0] : '\0';
	if (opt(ctx, "date_naissance") && pdate_parse(opt(ctx, "date_naissance"), &d, &why) == 0) {
		id->annee_naissance = d.year;
		id->mois_naissance = d.month;
		id->jour_naissance = d.day;
	}
	const char *lieu = opt(ctx, "lieu_type");
	if (lieu && strcmp(lieu, "etranger") == 0) {
		id->cog_pays = opt(ctx, "pays_naissance");
	} else {
		id->cog_pays = "99100";
		id->cog_commune = opt(ctx, "commune_naissance");
	}
}

/* --- the parameters sent, for the record --- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes n bytes of s ('+' is a space) into a new string. */
static char *url_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* "a=1&prenoms[]=X&prenoms[]=Y" -> {"a":"1","prenoms":["X","Y"]}. */
static json_t *query_json(const char *q)
{
	json_t *o = json_object();
	for (const char *p = q; p && *p;) {
		size_t n = strcspn(p, "&"), k = strcspn(p, "=");
		if (k > n)
			k = n;
		char *key = url_decode(p, k);
		char *val = url_decode(p + k + (k < n), n - k - (k < n));
		size_t kl = strlen(key);
		if (kl > 2 && strcmp(key + kl - 2, "[]") == 0) {
			key[kl - 2] = '\0';
			json_t *arr = json_object_get(o, key);
			if (!json_is_array(arr)) {
				arr = json_array();
				json_object_set_new(o, key, arr);
			}
			json_array_append_new(arr, json_string(val));
		} else {
			json_object_set_new(o, key, json_string(val));
		}
		free(key);
		free(val);
		p += n + (p[n] == '&');
	}
	return o;
}

static char *canonical_text(const json_t *v)
{
	char *t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	char *copy = xstrdup(t ? t : "{}");
	json_free_text(t);
	return copy;
}

/* --- the call --- */

/* Space-separated scopes into list (at most 8, borrowed from buf). */
static int split_scopes(char *buf, const char *list[8])
{
	int n = 0;
	for (char *p = buf; *p && n < 8;) {
		p += strspn(p, " ");
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		list[n++] = p;
		p += len;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* Reads the token file's first line into a new string (NULL when
 * unreadable or empty). */
static char *read_token(const char *path)
{
	FILE *f = path ? fopen(path, "re") : NULL;
	if (!f)
		return NULL;
	char *line = xmalloc(TOKEN_MAX);
	char *ok = fgets(line, TOKEN_MAX, f);
	fclose(f);
	if (ok)
		line[strcspn(line, "\r\n")] = '\0';
	if (!ok || !line[0]) {
		sodium_memzero(line, TOKEN_MAX);
		free(line);
		return NULL;
	}
	return line;
}

/* Calls the provider for ctx with the tenant's settings (provider may be
 * NULL: not configured); res always filled. */
static void call_provider(const json_t *ctx, const json_t *provider, struct pa_result *res)
{
	struct pa_identity id;
	struct identity_text text;
	identity_of(ctx, &id, &text);
	const char *token_file = opt(provider, "token_file");
	char *token = read_token(token_file);
	if (provider && !token)
		log_msg(LOG_WARN, "api_particulier: token file %s unreadable or empty",
		        token_file ? token_file : "(none)");
	struct pa_config cfg = {
	    .base_url = opt(provider, "base_url"),
	    .token = token,
	    .recipient = opt(ctx, "siret"),
	};
	pa_qf(&cfg, &id, res);
	if (token) {
		sodium_memzero(token, TOKEN_MAX);
		free(token);
	}
}

/* --- the record --- */

static json_t *record_of(const struct actor *who, const json_t *ctx, const char *scopes,
                         const struct pa_result *res, int64_t at, const json_t *minimised)
{
	json_t *params = query_json(res->query);
	char *ptext = canonical_text(params);
	json_decref(params);
	int ok = res->kind == PA_OK;
	json_t *rec = json_pack(
	    "{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "agent_id", (json_int_t)who->user_id,
	    "agent_label", who->label, "at", (json_int_t)at, "api", CONSULT_API_PARTICULIER,
	    "endpoint", PA_QF_PATH, "recipient", opt(ctx, "siret") ? opt(ctx, "siret") : "",
	    "scopes", scopes, "parameters", ptext, "http_status", (json_int_t)res->http_status);
	free(ptext);
	json_object_set_new(rec, "error_kind",
	                    ok ? json_null() : json_string(pa_kind_name(res->kind)));
	json_object_set_new(rec, "error_code", res->code[0] ? json_string(res->code) : json_null());
	json_object_set_new(rec, "error_message",
	                    !ok && res->message ? json_string(res->message) : json_null());
	json_object_set_new(rec, "request_id",
	                    res->request_id[0] ? json_string(res->request_id) : json_null());
	json_object_set_new(rec, "response_sha256",
	                    res->http_status && res->body_sha256[0] ? json_string(res->body_sha256)
	                                                            : json_null());
	if (minimised) {
		char *mtext = canonical_text(minimised);
		json_object_set_new(rec, "response", json_string(mtext));
		free(mtext);
	} else {
		json_object_set_new(rec, "response", json_null());
	}
	return rec;
}

static int sign_record(json_t *rec)
{
	char sig[PROOF_B64_SIG];
	json_t *fields = consultation_signed_fields(rec);
	int rc = proof_sign(&server_key, fields, sig);
	json_decref(fields);
	if (rc != 0)
		return rc;
	json_object_set_new(rec, "signature", json_string(sig));
	json_object_set_new(rec, "key_id", json_string(server_key.key_id));
	json_object_set_new(rec, "public_key", json_string(server_key.pk_b64));
	return 0;
}

static const char *s_or_null(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t int_of(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Writes the record and its audit entry in one transaction. */
static int store_record(struct db *db, const struct actor *who, int64_t dossier_id,
                        int64_t person_id, const json_t *rec, int64_t *id)
{
	struct consultation_row row = {
	    .dossier_id = dossier_id,
	    .person_id = person_id,
	    .agent_id = who->user_id,
	    .agent_label = who->label,
	    .at = int_of(rec, "at"),
	    .api = s_or_null(rec, "api"),
	    .endpoint = s_or_null(rec, "endpoint"),
	    .recipient = s_or_null(rec, "recipient"),
	    .scopes = s_or_null(rec, "scopes"),
	    .parameters = s_or_null(rec, "parameters"),
	    .http_status = int_of(rec, "http_status"),
	    .error_kind = s_or_null(rec, "error_kind"),
	    .error_code = s_or_null(rec, "error_code"),
	    .error_message = s_or_null(rec, "error_message"),
	    .request_id = s_or_null(rec, "request_id"),
	    .response_sha256 = s_or_null(rec, "response_sha256"),
	    .response = s_or_null(rec, "response"),
	    .signature = s_or_null(rec, "signature"),
	    .key_id = s_or_null(rec, "key_id"),
	    .public_key = s_or_null(rec, "public_key"),
	};
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = consultation_store_insert(db, who->tenant_id, &row, id);
	if (rc == 0)
		rc = audit_write(db, who, "consultation", "consultation", *id,
		                 json_pack("{s:[nI], s:[ns], s:[ns], s:[nI], s:[ns?]}",
		                           "dossier_id", (json_int_t)dossier_id, "api", row.api,
		                           "resultat", row.error_kind ? row.error_kind : "ok",
		                           "http_status", (json_int_t)row.http_status, "request_id",
		                           row.request_id));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* The dossier's context, or an error (closed dossier: CAS_ECONFLICT). */
static json_t *load_context(struct db *db, const struct actor *who, int64_t dossier_id, int *rc)
{
	json_t *ctx = consultation_store_context(db, who->tenant_id, dossier_id, rc);
	if (ctx && strcmp(json_string_value(json_object_get(ctx, "state")), "cloture") == 0) {
		json_decref(ctx);
		*rc = CAS_ECONFLICT;
		return NULL;
	}
	return ctx;
}

int consult_caf(struct db *db, const struct actor *who, int64_t dossier_id,
                struct consult_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if (!perm_allows(who->role, PERM_PARTICULIER_CONSULT))
		return CAS_EPERM;
	int rc = 0;
	json_t *ctx = load_context(db, who, dossier_id, &rc);
	if (!ctx)
		return rc;
	if (!have_key) {
		json_decref(ctx);
		log_msg(LOG_ERROR, "consultation refused: no signing key installed");
		return CAS_EIO;
	}
	json_t *provider =
	    consultation_store_provider(db, who->tenant_id, CONSULT_API_PARTICULIER, &rc);
	if (!provider && rc != CAS_ENOTFOUND) {
		json_decref(ctx);
		return rc;
	}
	char scopes[256];
	const char *list[8];
	snprintf(scopes, sizeof(scopes), "%s", opt(ctx, "scopes") ? opt(ctx, "scopes") : "");
	char kept[256];
	snprintf(kept, sizeof(kept), "%s", scopes);
	int nscopes = split_scopes(scopes, list);
	/* the call, outside any transaction */
	struct pa_result res;
	int64_t at = clock_now();
	call_provider(ctx, provider, &res);
	json_decref(provider);
	json_t *minimised = res.kind == PA_OK ? pa_minimise(res.data, list, nscopes) : NULL;
	json_t *rec = record_of(who, ctx, kept, &res, at, minimised);
	json_decref(minimised);
	out->ok = res.kind == PA_OK;
	snprintf(out->kind, sizeof(out->kind), "%s", pa_kind_name(res.kind));
	pa_result_free(&res);
	rc = sign_record(rec);
	if (rc == 0)
		rc = store_record(db, who, dossier_id, int_of(ctx, "applicant_id"), rec,
		                  &out->consultation_id);
	json_decref(rec);
	json_decref(ctx);
	return rc;
}
