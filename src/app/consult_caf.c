#include "app/consult_caf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/consult_record.h"
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

/* --- the call --- */

/* Calls the provider for ctx with the tenant's settings (provider may be
 * NULL: not configured); res always filled. */
static void call_provider(const json_t *ctx, const json_t *provider, struct pa_result *res)
{
	struct pa_identity id;
	struct identity_text text;
	identity_of(ctx, &id, &text);
	const char *token_file = opt(provider, "token_file");
	char *token = consult_secret_read(token_file);
	if (provider && !token)
		log_msg(LOG_WARN, "api_particulier: token file %s unreadable or empty",
		        token_file ? token_file : "(none)");
	struct pa_config cfg = {
	    .base_url = opt(provider, "base_url"),
	    .token = token,
	    .recipient = opt(ctx, "siret"),
	};
	pa_qf(&cfg, &id, res);
	consult_secret_free(token);
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

int caf_call_prepare(struct db *db, const struct actor *who, int64_t dossier_id, struct caf_call *c)
{
	int rc = 0;
	memset(c, 0, sizeof(*c));
	c->ctx = load_context(db, who, dossier_id, &rc);
	if (!c->ctx)
		return rc;
	c->provider = consultation_store_provider(db, who->tenant_id, CONSULT_API_PARTICULIER, &rc);
	if (!c->provider && rc != CAS_ENOTFOUND) {
		caf_call_free(c);
		return rc;
	}
	return 0;
}

void caf_call_run(struct caf_call *c)
{
	char scopes[256];
	const char *list[32];
	snprintf(scopes, sizeof(scopes), "%s", opt(c->ctx, "scopes") ? opt(c->ctx, "scopes") : "");
	int nscopes = consult_split_scopes(scopes, list);
	c->at = clock_now();
	call_provider(c->ctx, c->provider, &c->res);
	c->minimised = c->res.kind == PA_OK ? pa_minimise(c->res.data, list, nscopes) : NULL;
}

json_t *caf_call_record(const struct actor *who, const struct caf_call *c)
{
	const struct pa_result *res = &c->res;
	json_t *params = query_json(res->query);
	int ok = res->kind == PA_OK;
	struct consult_call call = {
	    .at = c->at,
	    .api = CONSULT_API_PARTICULIER,
	    .endpoint = PA_QF_PATH,
	    .recipient = opt(c->ctx, "siret"),
	    .scopes = opt(c->ctx, "scopes"),
	    .parameters = params,
	    .http_status = res->http_status,
	    .error_kind = ok ? NULL : pa_kind_name(res->kind),
	    .error_code = res->code,
	    .error_message = res->message,
	    .request_id = res->request_id,
	    .body_sha256 = res->body_sha256,
	    .minimised = c->minimised,
	};
	json_t *rec = consult_record_signed(who, &call);
	json_decref(params);
	return rec;
}

void caf_call_free(struct caf_call *c)
{
	json_decref(c->ctx);
	json_decref(c->provider);
	json_decref(c->minimised);
	pa_result_free(&c->res);
	memset(c, 0, sizeof(*c));
}

int consult_caf(struct db *db, const struct actor *who, int64_t dossier_id,
                struct consult_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if (!perm_allows(who->role, PERM_PARTICULIER_CONSULT))
		return CAS_EPERM;
	struct caf_call c;
	int rc = caf_call_prepare(db, who, dossier_id, &c);
	if (rc != 0)
		return rc;
	if (!have_key) {
		caf_call_free(&c);
		log_msg(LOG_ERROR, "consultation refused: no signing key installed");
		return CAS_EIO;
	}
	caf_call_run(&c); /* outside any transaction */
	out->ok = c.res.kind == PA_OK;
	snprintf(out->kind, sizeof(out->kind), "%s", pa_kind_name(c.res.kind));
	json_t *rec = caf_call_record(who, &c);
	struct consult_place place = {
	    .dossier_id = dossier_id,
	    .person_id = json_integer_value(json_object_get(c.ctx, "applicant_id"))};
	rc = rec ? consult_record_store(db, who, &place, rec, &out->consultation_id) : CAS_EIO;
	json_decref(rec);
	caf_call_free(&c);
	return rc;
}
