/* API Particulier v3 client: quotient familial from an identity. One
 * blocking exchange of providers/http.h per call (callers run it from
 * worker threads); the per-token pacing of throttle.c keeps every thread of the
 * process under the rate limit. The token only goes into the
 * Authorization header; logs carry the first 12 hex digits of its SHA-256
 * at most. */
#include "providers/particulier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "providers/http.h"
#include "providers/throttle.h"

#define PA_MAX_BODY     (1024 * 1024)
#define PA_MAX_QUEUE_MS 30000L
#define PA_RETRY_MAX_S  5 /* a 429 asking to wait longer is reported, not retried */
#define PA_RETRIES      2
/* Requests are paced 5 % under the limit: the server counts them in fixed
 * one-second windows of its own clock, and network jitter must never push
 * one request too many into a window. */
#define PA_RATE_MARGIN 0.95

static const char *const kind_names[] = {
    "ok",   "params",   "not_found", "token",   "scope",     "conflict", "gone",
    "rate", "provider", "timeout",   "network", "malformed", "internal",
};

const char *pa_kind_name(enum pa_kind k)
{
	if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "internal";
	return kind_names[k];
}

/* ---- query ---- */

static void put_param(struct buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	if (b->len)
		buf_putc(b, '&');
	buf_puts(b, key);
	buf_putc(b, '=');
	http_put_encoded(b, value);
}

static void put_int(struct buf *b, const char *key, int v)
{
	char s[16];
	if (v <= 0)
		return;
	snprintf(s, sizeof(s), "%d", v);
	put_param(b, key, s);
}

static int identity_usable(const struct pa_identity *id)
{
	if (!id || !id->nom_naissance || !*id->nom_naissance)
		return 0;
	if (id->nb_prenoms < 1 || id->nb_prenoms > 3)
		return 0;
	for (int i = 0; i < id->nb_prenoms; i++)
		if (!id->prenoms[i] || !*id->prenoms[i])
			return 0;
	return id->sexe == 'F' || id->sexe == 'M';
}

char *pa_build_query(const struct pa_identity *id, const char *recipient)
{
	if (!identity_usable(id))
		return NULL;
	struct buf b;
	buf_init(&b, 8192);
	char sexe[2] = {id->sexe, '\0'};
	put_param(&b, "nomNaissance", id->nom_naissance);
	put_param(&b, "nomUsage", id->nom_usage);
	for (int i = 0; i < id->nb_prenoms; i++)
		put_param(&b, "prenoms[]", id->prenoms[i]);
	put_int(&b, "anneeDateNaissance", id->annee_naissance);
	if (id->annee_naissance > 0) {
		put_int(&b, "moisDateNaissance", id->mois_naissance);
		if (id->mois_naissance > 0)
			put_int(&b, "jourDateNaissance", id->jour_naissance);
	}
	put_param(&b, "sexeEtatCivil", sexe);
	put_param(&b, "codeCogInseePaysNaissance",
	          id->cog_pays && *id->cog_pays ? id->cog_pays : "99100");
	if (id->cog_commune && *id->cog_commune) {
		put_param(&b, "codeCogInseeCommuneNaissance", id->cog_commune);
	} else if (id->nom_commune && *id->nom_commune) {
		put_param(&b, "nomCommuneNaissance", id->nom_commune);
		put_param(&b, "codeCogInseeDepartementNaissance", id->cog_departement);
	}
	put_int(&b, "annee", id->annee);
	put_int(&b, "mois", id->mois);
	put_param(&b, "recipient", recipient);
	if (b.err) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* ---- result ---- */

void pa_result_free(struct pa_result *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->query);
	json_decref(r->data);
	free(r->message);
	free(r->param);
	memset(r, 0, sizeof(*r));
}

static void result_fail(struct pa_result *r, enum pa_kind kind, const char *param,
                        const char *message)
{
	r->kind = kind;
	free(r->message);
	r->message = xstrdup(message);
	free(r->param);
	r->param = param ? xstrdup(param) : NULL;
}

json_t *pa_result_json(const struct pa_result *r)
{
	json_t *o = json_object();
	if (r->kind == PA_OK) {
		json_object_set_new(o, "status", json_integer(r->http_status));
		json_object_set_new(o, "request_id", json_string(r->request_id));
		json_object_set_new(o, "body_sha256", json_string(r->body_sha256));
		json_object_set(o, "data", r->data ? r->data : json_null());
		return o;
	}
	json_object_set_new(o, "kind", json_string(pa_kind_name(r->kind)));
	json_object_set_new(o, "status", json_integer(r->http_status));
	json_object_set_new(o, "code", json_string(r->code));
	json_object_set_new(o, "message", json_string(r->message ? r->message : ""));
	json_object_set_new(o, "request_id", json_string(r->request_id));
	if (r->param)
		json_object_set_new(o, "param", json_string(r->param));
	if (r->retry_after > 0)
		json_object_set_new(o, "retry_after", json_integer(r->retry_after));
	if (r->http_status)
		json_object_set_new(o, "body_sha256", json_string(r->body_sha256));
	return o;
}

json_t *pa_minimise(const json_t *data, const char *const *scopes, int nb)
{
	static const char *const map[][2] = {
	    {"cnaf_quotient_familial", "quotient_familial"},
	    {"cnaf_allocataires", "allocataires"},
	    {"cnaf_enfants", "enfants"},
	    {"cnaf_adresse", "adresse"},
	};
	json_t *out = json_object();
	for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++) {
		json_t *v = json_object_get(data, map[m][1]);
		if (!v)
			continue;
		for (int i = 0; i < nb; i++)
			if (scopes[i] && strcmp(scopes[i], map[m][0]) == 0) {
				json_object_set_new(out, map[m][1], json_deep_copy(v));
				break;
			}
	}
	return out;
}

/* ---- transport ---- */

static int token_usable(const char *t)
{
	if (!t || !*t)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t < 0x21 || *t == 0x7f)
			return 0;
	return 1;
}

static struct curl_slist *make_headers(const char *token)
{
	struct buf auth;
	buf_init(&auth, 16384);
	buf_printf(&auth, "Authorization: Bearer %s", token);
	struct curl_slist *h = curl_slist_append(NULL, buf_cstr(&auth));
	sodium_memzero(auth.data, auth.len);
	buf_free(&auth);
	h = curl_slist_append(h, "Accept: application/json, application/vnd.api+json");
	h = curl_slist_append(h, "User-Agent: Cassis/0.1 (logiciel libre pour les CCAS)");
	return h;
}

static void network_failure(struct pa_result *r, const struct http_exchange *x, long total_ms)
{
	char text[512];
	CURLcode rc = x->rc;
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		if (x->connect_s <= 0)
			snprintf(
			    text, sizeof(text),
			    "Impossible de joindre API Particulier : la connexion n'a pas abouti à "
			    "temps. Vérifiez l'accès du serveur à Internet, ou réessayez plus "
			    "tard.");
		else
			snprintf(
			    text, sizeof(text),
			    "API Particulier n'a pas répondu dans les %ld secondes. Réessayez dans "
			    "quelques minutes ; si cela se répète, demandez à la personne son "
			    "attestation de quotient familial.",
			    (total_ms + 999) / 1000);
		result_fail(r, PA_TIMEOUT, NULL, text);
		return;
	}
	if (rc == CURLE_FAILED_INIT) {
		result_fail(r, PA_INTERNAL, NULL,
		            "Erreur interne : le client HTTP ne démarre pas.");
		return;
	}
	if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL) {
		result_fail(r, PA_INTERNAL, NULL,
		            "L'adresse d'API Particulier configurée est mal formée. Contactez "
		            "l'administrateur de Cassis pour qu'il la corrige.");
		return;
	}
	if (rc == CURLE_WRITE_ERROR) {
		result_fail(r, PA_MALFORMED, NULL,
		            "La réponse d'API Particulier est trop volumineuse pour être lue. "
		            "Réessayez ; si cela se répète, signalez-le à l'administrateur.");
		return;
	}
	snprintf(text, sizeof(text),
	         "Impossible de joindre API Particulier (%s). Vérifiez l'accès du serveur au "
	         "réseau, ou réessayez dans quelques minutes.",
	         rc == CURLE_COULDNT_RESOLVE_HOST ? "adresse introuvable"
	         : rc == CURLE_COULDNT_CONNECT    ? "connexion refusée"
	         : rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION
	             ? "connexion sécurisée impossible"
	             : "connexion interrompue");
	result_fail(r, PA_NETWORK, NULL, text);
}

/* One HTTP exchange; fills status and request id, or a network failure.
 * Returns 0 when an answer came (x then holds it). */
static int exchange_once(const struct pa_config *cfg, const char *url, struct pa_result *r,
                         struct http_exchange *x)
{
	struct http_request req = {
	    .url = url,
	    .headers = make_headers(cfg->token),
	    .connect_ms =
	        cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : PA_DEFAULT_CONNECT_MS,
	    .total_ms = cfg->total_timeout_ms > 0 ? cfg->total_timeout_ms : PA_DEFAULT_TOTAL_MS,
	};
	r->http_status = 0;
	int rc = http_perform(&req, PA_MAX_BODY, x);
	if (rc != 0)
		network_failure(r, x, req.total_ms);
	else
		r->http_status = (int)x->status;
	snprintf(r->request_id, sizeof(r->request_id), "%s", x->request_id);
	http_free_headers(req.headers);
	return rc;
}

static char *build_url(const char *base, const char *query)
{
	struct buf b;
	buf_init(&b, 16384);
	http_put_base(&b, base);
	buf_puts(&b, PA_QF_PATH);
	buf_putc(&b, '?');
	buf_puts(&b, query);
	return buf_steal(&b);
}

/* Keeps the exact bytes and their digest, then types the answer. */
static void read_answer(struct pa_result *r, struct http_exchange *x)
{
	r->body_len = x->body.len;
	r->body = x->body.data ? buf_steal(&x->body) : xstrdup("");
	sha256_hex(r->body, r->body_len, r->body_sha256);
	if (r->http_status >= 200 && r->http_status < 300) {
		r->data = pa_parse_qf(r->body, r->body_len);
		if (r->data) {
			r->kind = PA_OK;
			return;
		}
		result_fail(r, PA_MALFORMED, NULL,
		            "La réponse d'API Particulier est illisible. Réessayez dans quelques "
		            "minutes ; si cela se répète, signalez-le à l'administrateur avec "
		            "l'identifiant de requête.");
		return;
	}
	pa_classify(r, x->has_retry_after ? x->retry_after : NULL);
}

static int config_usable(const struct pa_config *cfg, struct pa_result *r)
{
	if (!cfg || !cfg->base_url || strncmp(cfg->base_url, "http", 4) != 0) {
		result_fail(r, PA_INTERNAL, NULL,
		            "L'adresse d'API Particulier n'est pas configurée. Contactez "
		            "l'administrateur de Cassis.");
		return 0;
	}
	if (!token_usable(cfg->token)) {
		result_fail(r, PA_TOKEN, NULL,
		            "Aucun jeton d'accès à API Particulier utilisable n'est configuré. "
		            "Contactez l'administrateur de Cassis.");
		return 0;
	}
	if (!cfg->recipient || !*cfg->recipient) {
		result_fail(r, PA_PARAMS, "recipient",
		            "Le SIRET du CCAS (paramètre recipient) manque. L'administrateur doit "
		            "renseigner le SIRET du CCAS dans Cassis.");
		return 0;
	}
	return 1;
}

/* The first missing or unusable part of the identity, as a typed error. */
static void identity_failure(const struct pa_identity *id, struct pa_result *r)
{
	if (!id || !id->nom_naissance || !*id->nom_naissance)
		result_fail(r, PA_PARAMS, "nomNaissance",
		            "Le nom de naissance manque. Complétez l'état civil de la personne.");
	else if (id->nb_prenoms < 1 || id->nb_prenoms > 3 || !id->prenoms[0] || !*id->prenoms[0])
		result_fail(r, PA_PARAMS, "prenoms",
		            "Les prénoms manquent ou sont trop nombreux : indiquez de un à trois "
		            "prénoms dans l'ordre de l'état civil.");
	else if (id->sexe != 'F' && id->sexe != 'M')
		result_fail(
		    r, PA_PARAMS, "sexeEtatCivil",
		    "Le sexe à l'état civil manque : il doit valoir F ou M. Complétez l'état "
		    "civil de la personne.");
	else
		result_fail(r, PA_PARAMS, "prenoms",
		            "Un des prénoms est vide. Corrigez les prénoms de la personne.");
}

static int return_code(enum pa_kind k)
{
	switch (k) {
	case PA_OK: return 0;
	case PA_PARAMS: return CAS_EINVAL;
	case PA_NOT_FOUND: return CAS_ENOTFOUND;
	case PA_TOKEN: return CAS_EAUTH;
	case PA_SCOPE: return CAS_EPERM;
	case PA_CONFLICT: return CAS_ECONFLICT;
	default: return CAS_EIO;
	}
}

static void log_call(const struct pa_result *r, const char *key, double started, int attempt)
{
	char key_short[13];
	memcpy(key_short, key, 12);
	key_short[12] = '\0';
	json_t *f = json_pack("{s:s, s:i, s:s, s:s, s:s, s:i, s:i}", "provider", "api_particulier",
	                      "status", r->http_status, "kind", pa_kind_name(r->kind), "request_id",
	                      r->request_id, "token_digest", key_short, "attempt", attempt, "ms",
	                      (int)((throttle_now() - started) * 1000.0));
	log_event(r->kind == PA_OK ? LOG_INFO : LOG_WARN, "api_particulier.qf", f);
}

/* Sends the request, retrying a 429 that asks for a short wait. */
static void consult(const struct pa_config *cfg, const char *url, const char *key,
                    struct pa_result *r)
{
	double rate =
	    PA_RATE_MARGIN * (cfg->rate_per_second > 0 ? cfg->rate_per_second : PA_DEFAULT_RATE);
	for (int attempt = 1;; attempt++) {
		double started = throttle_now();
		if (throttle_acquire(key, rate, PA_MAX_QUEUE_MS) != 0) {
			r->retry_after = (int)(PA_MAX_QUEUE_MS / 1000);
			result_fail(
			    r, PA_RATE, NULL,
			    "Trop de consultations sont en attente vers API Particulier. Réessayez "
			    "dans 30 secondes.");
			return;
		}
		struct http_exchange x;
		r->attempts = attempt;
		if (exchange_once(cfg, url, r, &x) == 0)
			read_answer(r, &x);
		buf_free(&x.body);
		log_call(r, key, started, attempt);
		if (r->kind != PA_RATE || r->http_status != 429)
			return;
		throttle_block(key, r->retry_after);
		if (attempt > PA_RETRIES || !x.has_retry_after || r->retry_after > PA_RETRY_MAX_S)
			return;
		free(r->body);
		free(r->message);
		free(r->param);
		r->body = r->message = r->param = NULL;
		r->body_len = 0;
		r->retry_after = 0;
		r->code[0] = '\0';
	}
}

int pa_qf(const struct pa_config *cfg, const struct pa_identity *id, struct pa_result *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = PA_INTERNAL;
	if (http_init() != 0) {
		result_fail(out, PA_INTERNAL, NULL,
		            "Erreur interne : libcurl ou libsodium ne s'initialise pas.");
		return CAS_EIO;
	}
	if (!config_usable(cfg, out))
		return return_code(out->kind);
	out->query = pa_build_query(id, cfg->recipient);
	if (!out->query) {
		identity_failure(id, out);
		return return_code(out->kind);
	}
	char key[65];
	sha256_hex(cfg->token, strlen(cfg->token), key);
	char *url = build_url(cfg->base_url, out->query);
	consult(cfg, url, key, out);
	free(url);
	return return_code(out->kind);
}
