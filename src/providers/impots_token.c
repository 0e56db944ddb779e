/* OAuth2 client credentials of API Impôt particulier: POST {gateway}/token
 * with a form body, the credentials as form fields or HTTP Basic. Tokens
 * are cached per credential and scope for the life of the process, shared
 * by every thread; concurrent callers of one credential wait for a single
 * fetch. The cache itself is a pure function of the time it is given. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "providers/impots_internal.h"
#include "providers/throttle.h"

#define TOKEN_MAX_LEN      8192
#define TOKEN_DEFAULT_LIFE 300.0
#define TOKEN_MAX_MARGIN   60.0

static const char auth_service[] = "le service d'authentification de la DGFiP";

struct tentry {
	char key[65];
	char *token;        /* NULL when none */
	double valid_until; /* time after which the token is not used */
	pthread_mutex_t fetch_mu;
	struct tentry *link;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tentry *cache;

double ip_token_lifetime(long expires_in)
{
	if (expires_in <= 0)
		return TOKEN_DEFAULT_LIFE;
	double e = (double)expires_in;
	double margin = e / 4.0 < TOKEN_MAX_MARGIN ? e / 4.0 : TOKEN_MAX_MARGIN;
	return e - margin;
}

/* The entry of key, created when absent. Called with cache_mu held. */
static struct tentry *find_entry(const char *key)
{
	for (struct tentry *e = cache; e; e = e->link)
		if (strcmp(e->key, key) == 0)
			return e;
	struct tentry *e = xcalloc(1, sizeof(*e));
	snprintf(e->key, sizeof(e->key), "%s", key);
	pthread_mutex_init(&e->fetch_mu, NULL);
	e->link = cache;
	cache = e;
	return e;
}

static void forget_token(struct tentry *e)
{
	if (!e->token)
		return;
	sodium_memzero(e->token, strlen(e->token));
	free(e->token);
	e->token = NULL;
}

char *ip_token_cache_get(const char *key, double now)
{
	char *copy = NULL;
	pthread_mutex_lock(&cache_mu);
	struct tentry *e = find_entry(key);
	if (e->token && now < e->valid_until)
		copy = xstrdup(e->token);
	pthread_mutex_unlock(&cache_mu);
	return copy;
}

void ip_token_cache_put(const char *key, const char *token, long expires_in, double now)
{
	pthread_mutex_lock(&cache_mu);
	struct tentry *e = find_entry(key);
	forget_token(e);
	e->token = xstrdup(token);
	e->valid_until = now + ip_token_lifetime(expires_in);
	pthread_mutex_unlock(&cache_mu);
}

void ip_token_cache_drop(const char *key, const char *token)
{
	pthread_mutex_lock(&cache_mu);
	struct tentry *e = find_entry(key);
	if (e->token && token && strcmp(e->token, token) == 0)
		forget_token(e);
	pthread_mutex_unlock(&cache_mu);
}

void ip_token_cache_reset(void)
{
	pthread_mutex_lock(&cache_mu);
	while (cache) {
		struct tentry *e = cache;
		cache = e->link;
		forget_token(e);
		pthread_mutex_destroy(&e->fetch_mu);
		free(e);
	}
	pthread_mutex_unlock(&cache_mu);
}

static pthread_mutex_t *fetch_lock(const char *key)
{
	pthread_mutex_lock(&cache_mu);
	struct tentry *e = find_entry(key);
	pthread_mutex_unlock(&cache_mu);
	return &e->fetch_mu;
}

/* ---- the token answer ---- */

static int token_usable(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n == 0 || n > TOKEN_MAX_LEN)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t < 0x21 || (unsigned char)*t >= 0x7f)
			return 0;
	return 1;
}

static long read_expires_in(const json_t *v)
{
	long long e = 0;
	if (json_is_integer(v))
		e = json_integer_value(v);
	else if (json_is_real(v) && isfinite(json_real_value(v)))
		e = (long long)json_real_value(v);
	else if (json_is_string(v))
		e = strtoll(json_string_value(v), NULL, 10);
	if (e < 0)
		return 0;
	return e > 31536000 ? 31536000 : (long)e;
}

int ip_token_parse(const char *body, size_t len, char **token, long *expires_in)
{
	*token = NULL;
	*expires_in = 0;
	json_t *root = body ? json_loadb(body, len, 0, NULL) : NULL;
	const char *t = json_string_value(json_object_get(root, "access_token"));
	if (!token_usable(t)) {
		json_decref(root);
		return CAS_EINVAL;
	}
	*token = xstrdup(t);
	*expires_in = read_expires_in(json_object_get(root, "expires_in"));
	/* the copy jansson holds is freed with the tree; wipe it first */
	sodium_memzero((char *)t, strlen(t));
	json_decref(root);
	return 0;
}

/* ---- the key of a credential ---- */

static const char *token_url(const struct ip_config *cfg, struct buf *b)
{
	if (cfg->token_url && *cfg->token_url)
		return cfg->token_url;
	http_put_base(b, cfg->base_url);
	buf_puts(b, IP_TOKEN_PATH);
	return buf_cstr(b);
}

void ip_credential_key(const struct ip_config *cfg, const char *scope, char out[65])
{
	struct buf url, all;
	buf_init(&url, 16384);
	buf_init(&all, 65536);
	buf_puts(&all, token_url(cfg, &url));
	buf_putc(&all, '\n');
	buf_puts(&all, cfg->client_id ? cfg->client_id : "");
	buf_putc(&all, '\n');
	buf_puts(&all, cfg->client_secret ? cfg->client_secret : "");
	buf_putc(&all, '\n');
	buf_puts(&all, scope ? scope : "(quota)");
	sha256_hex(all.data, all.len, out);
	if (all.data)
		sodium_memzero(all.data, all.len);
	buf_free(&all);
	buf_free(&url);
}

/* ---- the token request ---- */

static void build_form(const struct ip_config *cfg, const char *scope, struct buf *b)
{
	buf_puts(b, "grant_type=client_credentials&scope=");
	http_put_encoded(b, scope);
	if (cfg->basic_auth)
		return;
	buf_puts(b, "&client_id=");
	http_put_encoded(b, cfg->client_id);
	buf_puts(b, "&client_secret=");
	http_put_encoded(b, cfg->client_secret);
}

/* Types a token answer other than a usable 200. */
static void token_refused(struct ip_result *r, const struct http_exchange *x)
{
	char text[512];
	json_t *root = json_loadb(x->body.data ? x->body.data : "", x->body.len, 0, NULL);
	const char *err = json_string_value(json_object_get(root, "error"));
	long st = x->status;
	if (st == 200) {
		ip_fail(
		    r, IP_MALFORMED,
		    "La réponse du service d'authentification de la DGFiP est illisible (pas de "
		    "jeton d'accès). Réessayez ; si cela se répète, signalez-le à "
		    "l'administrateur.");
	} else if (err && strcmp(err, "invalid_scope") == 0) {
		ip_fail(r, IP_FORBIDDEN,
		        "La DGFiP refuse le périmètre demandé (scope) pour les identifiants de "
		        "Cassis : l'habilitation ne couvre pas cette ressource. Contactez "
		        "l'administrateur pour qu'il vérifie l'habilitation (DataPass) et la "
		        "configuration.");
	} else if (st == 400 || st == 401 || st == 403) {
		ip_fail(r, IP_CREDENTIALS,
		        "La DGFiP refuse les identifiants de Cassis (client_id / client_secret) "
		        "pour l'API Impôt particulier. Contactez l'administrateur pour qu'il "
		        "vérifie les identifiants, le certificat et l'habilitation.");
	} else if (st == 429) {
		r->retry_after = http_parse_retry_after(x->has_retry_after ? x->retry_after : NULL);
		if (r->retry_after <= 0)
			r->retry_after = 60;
		snprintf(text, sizeof(text),
		         "Le service d'authentification de la DGFiP limite les demandes : "
		         "réessayez dans %d secondes.",
		         r->retry_after);
		ip_fail(r, IP_RATE, text);
	} else if (st >= 500) {
		snprintf(text, sizeof(text),
		         "Le service d'authentification de la DGFiP n'a pas pu répondre (erreur "
		         "%ld). Réessayez dans quelques minutes.",
		         st);
		ip_fail(r, st == 504 ? IP_TIMEOUT : IP_PROVIDER, text);
	} else {
		snprintf(text, sizeof(text),
		         "Le service d'authentification de la DGFiP a répondu par une erreur "
		         "inattendue (HTTP %ld). Contactez l'administrateur pour qu'il vérifie "
		         "l'adresse du service.",
		         st);
		ip_fail(r, IP_INTERNAL, text);
	}
	json_decref(root);
}

static void log_fetch(const struct ip_result *r, const char *key, long status, int ok)
{
	char key_short[13];
	memcpy(key_short, key, 12);
	key_short[12] = '\0';
	json_t *f = json_pack("{s:s, s:i, s:s, s:s}", "provider", "api_impot_particulier", "status",
	                      (int)status, "kind", ok ? "ok" : ip_kind_name(r->kind),
	                      "credential_digest", key_short);
	log_event(ok ? LOG_INFO : LOG_WARN, "api_impot_particulier.token", f);
}

/* Asks the token endpoint; a new token, or NULL with r filled. */
static char *fetch_token(const struct ip_config *cfg, const char *scope, const char *key,
                         struct ip_result *r, long *expires_in)
{
	struct buf url, form;
	buf_init(&url, 16384);
	buf_init(&form, 65536);
	build_form(cfg, scope, &form);
	struct curl_slist *h =
	    curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, "User-Agent: Cassis/0.1 (logiciel libre pour les CCAS)");
	struct http_request req = {.url = token_url(cfg, &url),
	                           .headers = h,
	                           .post_body = buf_cstr(&form),
	                           .user = cfg->basic_auth ? cfg->client_id : NULL,
	                           .password = cfg->basic_auth ? cfg->client_secret : NULL};
	struct http_exchange x;
	char *token = NULL;
	r->token_requests++;
	if (ip_http_perform(cfg, &req, &x) != 0)
		ip_http_failure(r, &x, ip_total_ms(cfg), auth_service);
	else if (x.status != 200 ||
	         ip_token_parse(x.body.data, x.body.len, &token, expires_in) != 0)
		token_refused(r, &x);
	r->token_status = (int)x.status;
	log_fetch(r, key, x.status, token != NULL);
	if (x.body.data)
		sodium_memzero(x.body.data, x.body.len);
	buf_free(&x.body);
	if (form.data)
		sodium_memzero(form.data, form.len);
	buf_free(&form);
	buf_free(&url);
	curl_slist_free_all(h);
	return token;
}

char *ip_token_get(const struct ip_config *cfg, const char *scope, int force, struct ip_result *r)
{
	char key[65];
	ip_credential_key(cfg, scope, key);
	char *token = force ? NULL : ip_token_cache_get(key, throttle_now());
	if (token)
		return token;
	pthread_mutex_t *mu = fetch_lock(key);
	pthread_mutex_lock(mu);
	token = ip_token_cache_get(key, throttle_now()); /* fetched meanwhile by another thread */
	if (!token) {
		long expires_in = 0;
		double asked = throttle_now();
		token = fetch_token(cfg, scope, key, r, &expires_in);
		if (token)
			ip_token_cache_put(key, token, expires_in, asked);
	}
	pthread_mutex_unlock(mu);
	return token;
}
