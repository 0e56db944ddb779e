/* API Impôt particulier client: one consultation of the income-tax
 * situation of a foyer. The call is paced under the quota of the
 * credential (throttle.c, shared by every thread), carries a bearer token
 * from the cache of impots_token.c (refreshed once on 401), a fresh
 * X-Correlation-ID and the ID_Teleservice of the configuration. The SPI
 * only lives in local buffers that are wiped before returning; the result
 * keeps the path with the SPI redacted. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "providers/impots_internal.h"
#include "providers/throttle.h"

#define IP_MAX_QUEUE_MS 150000L /* a burst of 120 calls at 50 per minute */
#define IP_RETRY_MAX_S  5       /* a 429 asking to wait longer is reported */
#define IP_RATE_MARGIN  0.95    /* paced 5 % under the quota */

static const char data_service[] = "l'API Impôt particulier";

/* ---- SPI and year ---- */

int ip_spi_normalise(const char *spi, char out[IP_SPI_LEN + 1])
{
	size_t n = 0;
	for (const char *p = spi ? spi : ""; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '\t')
			continue;
		if (!isdigit((unsigned char)*p) || n == IP_SPI_LEN) {
			sodium_memzero(out, IP_SPI_LEN + 1);
			return CAS_EINVAL;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
	if (n != IP_SPI_LEN) {
		sodium_memzero(out, IP_SPI_LEN + 1);
		return CAS_EINVAL;
	}
	return 0;
}

int ip_spi_hash(const unsigned char *key, size_t key_len, const char *spi,
                char out_hex[IP_SPI_HASH_HEX])
{
	static const char domain[] = "cassis:spi:v1:";
	char n[IP_SPI_LEN + 1];
	unsigned char msg[sizeof(domain) - 1 + IP_SPI_LEN];
	unsigned char digest[32];
	out_hex[0] = '\0';
	if (!key || key_len < IP_SPI_HASH_KEY_MIN || key_len > crypto_generichash_KEYBYTES_MAX)
		return CAS_EINVAL;
	if (ip_spi_normalise(spi, n) != 0)
		return CAS_EINVAL;
	memcpy(msg, domain, sizeof(domain) - 1);
	memcpy(msg + sizeof(domain) - 1, n, IP_SPI_LEN);
	crypto_generichash(digest, sizeof(digest), msg, sizeof(msg), key, key_len);
	sodium_bin2hex(out_hex, IP_SPI_HASH_HEX, digest, sizeof(digest));
	sodium_memzero(n, sizeof(n));
	sodium_memzero(msg, sizeof(msg));
	return 0;
}

int ip_default_year(const char *today_ymd)
{
	int y = 0, m = 0, d = 0;
	char tail;
	if (!today_ymd || sscanf(today_ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    strlen(today_ymd) != 10 || y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	return (m > 7 || (m == 7 && d >= 22)) ? y - 1 : y - 2;
}

/* ---- the request ---- */

static int text_usable(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int config_usable(const struct ip_config *cfg, struct ip_result *r)
{
	if (!cfg || !cfg->base_url || strncmp(cfg->base_url, "http", 4) != 0) {
		ip_fail(r, IP_INTERNAL,
		        "L'adresse de la passerelle de l'API Impôt particulier n'est pas "
		        "configurée. Contactez l'administrateur de Cassis.");
		return 0;
	}
	if (!text_usable(cfg->client_id) || !text_usable(cfg->client_secret)) {
		ip_fail(r, IP_CREDENTIALS,
		        "Les identifiants de Cassis pour l'API Impôt particulier (client_id, "
		        "client_secret) ne sont pas configurés. Contactez l'administrateur.");
		return 0;
	}
	if (cfg->id_teleservice && *cfg->id_teleservice && !text_usable(cfg->id_teleservice)) {
		ip_fail(r, IP_INTERNAL,
		        "L'identifiant de téléservice (ID_Teleservice) configuré est invalide. "
		        "Contactez l'administrateur de Cassis.");
		return 0;
	}
	return 1;
}

/* The URL with the SPI (wiped by the caller) and the redacted path. */
static char *build_url(const char *base, const char *spi, int year, int deux_ans, char **path)
{
	struct buf b, p;
	char tail[96];
	if (deux_ans)
		snprintf(tail, sizeof(tail), "/dernieresituation/ir/assiettes/deuxans");
	else
		snprintf(tail, sizeof(tail), "/situations/ir/assiettes/annrev/%d", year);
	buf_init(&b, 16384);
	http_put_base(&b, base);
	buf_printf(&b, "%s/spi/%s%s", IP_BASE_PATH, spi, tail);
	buf_init(&p, 1024);
	buf_printf(&p, "%s/spi/{spi}%s", IP_BASE_PATH, tail);
	*path = buf_steal(&p);
	return buf_steal(&b);
}

static struct curl_slist *make_headers(const struct ip_config *cfg, const char *token,
                                       const char *correlation_id)
{
	struct buf line;
	buf_init(&line, 16384);
	buf_printf(&line, "Authorization: Bearer %s", token);
	struct curl_slist *h = curl_slist_append(NULL, buf_cstr(&line));
	sodium_memzero(line.data, line.len);
	buf_reset(&line);
	buf_printf(&line, "X-Correlation-ID: %s", correlation_id);
	h = curl_slist_append(h, buf_cstr(&line));
	if (cfg->id_teleservice && *cfg->id_teleservice) {
		buf_reset(&line);
		buf_printf(&line, "ID_Teleservice: %s", cfg->id_teleservice);
		h = curl_slist_append(h, buf_cstr(&line));
	}
	buf_free(&line);
	h = curl_slist_append(h, "Accept: */*");
	h = curl_slist_append(h, "User-Agent: Cassis/0.1 (logiciel libre pour les CCAS)");
	return h;
}

/* ---- the answer ---- */

/* Keeps the exact bytes and their digest, then types the answer. */
static void read_answer(struct ip_result *r, struct http_exchange *x)
{
	free(r->body);
	r->body_len = x->body.len;
	r->body = x->body.data ? buf_steal(&x->body) : xstrdup("");
	sha256_hex(r->body, r->body_len, r->body_sha256);
	r->code[0] = '\0';
	r->retry_after = 0;
	json_decref(r->data);
	r->data = NULL;
	if (r->http_status == 200) {
		r->data = ip_parse_situation(r->body, r->body_len, r->year_asked);
		if (r->data) {
			r->kind = IP_OK;
			free(r->message);
			r->message = NULL;
			json_int_t y =
			    json_integer_value(json_object_get(r->data, "annee_revenus"));
			r->year_answered = y > 0 ? (int)y : r->year_asked;
			return;
		}
	}
	ip_classify(r, x->has_retry_after ? x->retry_after : NULL);
}

static int return_code(enum ip_kind k)
{
	switch (k) {
	case IP_OK: return 0;
	case IP_BAD_SPI:
	case IP_BAD_YEAR:
	case IP_BAD_REQUEST: return CAS_EINVAL;
	case IP_NO_DATA:
	case IP_UNKNOWN_SPI: return CAS_ENOTFOUND;
	case IP_CREDENTIALS: return CAS_EAUTH;
	case IP_FORBIDDEN: return CAS_EPERM;
	default: return CAS_EIO;
	}
}

static void log_call(const struct ip_result *r, const char *qkey, double started)
{
	char key_short[13];
	memcpy(key_short, qkey, 12);
	key_short[12] = '\0';
	json_t *f = json_pack(
	    "{s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:i, s:i}", "provider",
	    "api_impot_particulier", "route", r->deux_ans ? "deuxans" : "annrev", "year",
	    r->year_asked, "status", r->http_status, "kind", ip_kind_name(r->kind),
	    "correlation_id", r->correlation_id, "request_id", r->request_id, "credential_digest",
	    key_short, "attempt", r->attempts, "ms", (int)((throttle_now() - started) * 1000.0));
	log_event(r->kind == IP_OK ? LOG_INFO : LOG_WARN, "api_impot_particulier.situation", f);
}

/* ---- the consultation ---- */

struct call {
	const struct ip_config *cfg;
	const char *url; /* holds the SPI */
	const char *scope;
	char qkey[65]; /* quota key of the credential */
	double rate;   /* requests per second */
};

/* Waits for a slot of the quota; 0, or -1 with r filled. */
static int wait_quota(const struct call *c, struct ip_result *r)
{
	if (throttle_acquire(c->qkey, c->rate, IP_MAX_QUEUE_MS) == 0)
		return 0;
	r->retry_after = 60;
	ip_fail(r, IP_RATE,
	        "Trop de consultations de la DGFiP sont en attente (quota par minute). "
	        "Réessayez dans une minute.");
	return -1;
}

/* One data request with token; returns 1 to try again (401, short 429). */
static int attempt(const struct call *c, struct ip_result *r, int force_token)
{
	if (wait_quota(c, r) != 0)
		return 0;
	char *token = ip_token_get(c->cfg, c->scope, force_token, r);
	if (!token)
		return 0;
	double started = throttle_now();
	uuid_v4(r->correlation_id);
	struct curl_slist *h = make_headers(c->cfg, token, r->correlation_id);
	struct http_request req = {.url = c->url, .headers = h};
	struct http_exchange x;
	r->attempts++;
	r->http_status = 0;
	int answered = ip_http_perform(c->cfg, &req, &x) == 0;
	snprintf(r->request_id, sizeof(r->request_id), "%s", x.request_id);
	http_free_headers(h);
	if (answered) {
		r->http_status = (int)x.status;
		read_answer(r, &x);
	} else {
		ip_http_failure(r, &x, ip_total_ms(c->cfg), data_service);
	}
	buf_free(&x.body);
	log_call(r, c->qkey, started);
	int again = 0;
	if (answered && r->http_status == 401 && !force_token) {
		char key[65];
		ip_credential_key(c->cfg, c->scope, key);
		ip_token_cache_drop(key, token);
		again = 1;
	} else if (answered && r->http_status == 429) {
		throttle_block(c->qkey, r->retry_after);
		again = x.has_retry_after && r->retry_after <= IP_RETRY_MAX_S && r->attempts < 3;
	}
	sodium_memzero(token, strlen(token));
	free(token);
	return again;
}

static void consult(struct call *c, struct ip_result *r)
{
	int force = 0;
	while (attempt(c, r, force)) {
		if (r->http_status == 401)
			force = 1;
	}
}

/* Checks the year; 0, or -1 with r filled. */
static int resolve_year(int year, int deux_ans, const char *today, struct ip_result *r)
{
	char buf[32];
	if (deux_ans)
		return 0;
	if (year == 0) {
		if (!today) {
			int y, m, d;
			clock_ymd(clock_now(), &y, &m, &d);
			snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
			today = buf;
		}
		year = ip_default_year(today);
	}
	r->year_asked = year;
	if (year < 1900 || year > 2999) {
		ip_fail(r, IP_BAD_YEAR,
		        "L'année de revenus demandée est invalide : indiquez une année sur quatre "
		        "chiffres (par exemple celle des revenus du dernier avis d'impôt).");
		return -1;
	}
	return 0;
}

int ip_situation(const struct ip_config *cfg, const char *spi, int year, int deux_ans,
                 const char *today_ymd, struct ip_result *out)
{
	char n[IP_SPI_LEN + 1];
	memset(out, 0, sizeof(*out));
	out->kind = IP_INTERNAL;
	out->deux_ans = deux_ans ? 1 : 0;
	if (http_init() != 0) {
		ip_fail(out, IP_INTERNAL,
		        "Erreur interne : libcurl ou libsodium ne s'initialise pas.");
		return CAS_EIO;
	}
	if (!config_usable(cfg, out) || resolve_year(year, deux_ans, today_ymd, out) != 0)
		return return_code(out->kind);
	if (ip_spi_normalise(spi, n) != 0) {
		ip_fail(out, IP_BAD_SPI,
		        "Le numéro fiscal doit comporter 13 chiffres. Recopiez-le depuis l'avis "
		        "d'impôt de la personne.");
		return CAS_EINVAL;
	}
	struct call c = {.cfg = cfg};
	char *url = build_url(cfg->base_url, n, out->year_asked, out->deux_ans, &out->path);
	sodium_memzero(n, sizeof(n));
	c.url = url;
	c.scope = cfg->scope && *cfg->scope ? cfg->scope
	          : out->deux_ans           ? IP_SCOPE_DEUXANS
	                                    : IP_SCOPE_ANNREV;
	ip_credential_key(cfg, NULL, c.qkey);
	int quota = cfg->quota_per_minute > 0 ? cfg->quota_per_minute : IP_DEFAULT_QUOTA;
	c.rate = IP_RATE_MARGIN * (double)quota / 60.0;
	consult(&c, out);
	sodium_memzero(url, strlen(url));
	free(url);
	return return_code(out->kind);
}
