/* Transport of the API Impôt particulier client: one blocking libcurl easy
 * handle per exchange, with the timeouts, the TLS client certificate and
 * the response headers the client needs. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/xalloc.h"
#include "providers/impots_internal.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init_once(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int ip_http_init(void)
{
	pthread_once(&curl_once, curl_init_once);
	return curl_init_rc == CURLE_OK ? 0 : -1;
}

long ip_connect_ms(const struct ip_config *cfg)
{
	return cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : IP_DEFAULT_CONNECT_MS;
}

long ip_total_ms(const struct ip_config *cfg)
{
	return cfg->total_timeout_ms > 0 ? cfg->total_timeout_ms : IP_DEFAULT_TOTAL_MS;
}

void ip_fail(struct ip_result *r, enum ip_kind kind, const char *message)
{
	r->kind = kind;
	free(r->message);
	r->message = xstrdup(message);
}

void ip_uuid_v4(char out[37])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10 */
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void ip_http_free_headers(struct curl_slist *list)
{
	for (struct curl_slist *h = list; h; h = h->next)
		sodium_memzero(h->data, strlen(h->data));
	curl_slist_free_all(list);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct ip_exchange *x = ud;
	return buf_append(&x->body, p, size * n) == 0 ? size * n : 0;
}

/* Copies the value of header line h into out when its name is name. */
static int header_value(const char *h, size_t len, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(h, name, nl) != 0 || h[nl] != ':')
		return 0;
	const char *v = h + nl + 1;
	const char *end = h + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	size_t n = (size_t)(end - v) < outsz - 1 ? (size_t)(end - v) : outsz - 1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 1;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	static const char *const id_headers[] = {"X-Request-Id", "Request-Id", "X-Transaction-Id",
	                                         "activityid"};
	struct ip_exchange *x = ud;
	size_t len = size * n;
	if (len > 6 && strncmp(p, "HTTP/", 5) == 0) { /* a new response: forget the last */
		x->request_id[0] = '\0';
		x->has_retry_after = 0;
	}
	for (size_t i = 0; i < sizeof(id_headers) / sizeof(id_headers[0]); i++)
		if (!x->request_id[0] &&
		    header_value(p, len, id_headers[i], x->request_id, sizeof(x->request_id)))
			break;
	if (header_value(p, len, "Retry-After", x->retry_after, sizeof(x->retry_after)))
		x->has_retry_after = 1;
	return len;
}

static void set_tls(CURL *c, const struct ip_config *cfg)
{
	if (cfg->cert_file && *cfg->cert_file) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, cfg->cert_file);
		curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
	}
	if (cfg->key_file && *cfg->key_file) {
		curl_easy_setopt(c, CURLOPT_SSLKEY, cfg->key_file);
		curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (cfg->ca_file && *cfg->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
}

int ip_http_perform(const struct ip_config *cfg, const struct ip_request *req,
                    struct ip_exchange *x)
{
	memset(x, 0, sizeof(*x));
	buf_init(&x->body, IP_MAX_BODY);
	x->rc = CURLE_FAILED_INIT;
	CURL *c = curl_easy_init();
	if (!c)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, req->headers);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ip_connect_ms(cfg));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ip_total_ms(cfg));
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	set_tls(c, cfg);
	if (req->post_body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->post_body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(req->post_body));
	}
	if (req->user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, req->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, req->password ? req->password : "");
	}
	x->rc = curl_easy_perform(c);
	if (x->rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x->status);
	curl_easy_getinfo(c, CURLINFO_CONNECT_TIME, &x->connect_s);
	curl_easy_cleanup(c);
	return x->rc == CURLE_OK ? 0 : -1;
}

static const char *network_reason(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST: return "adresse introuvable";
	case CURLE_COULDNT_CONNECT: return "connexion refusée";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE: return "connexion sécurisée impossible";
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT: return "adresse mal formée";
	default: return "connexion interrompue";
	}
}

void ip_http_failure(struct ip_result *r, const struct ip_exchange *x, long total_ms,
                     const char *service)
{
	char text[640];
	if (x->rc == CURLE_OPERATION_TIMEDOUT && x->connect_s <= 0) {
		snprintf(text, sizeof(text),
		         "Impossible de joindre %s : la connexion n'a pas abouti à temps. "
		         "Réessayez dans quelques minutes ; si cela se répète, signalez-le à "
		         "l'administrateur (accès du serveur au réseau de la DGFiP).",
		         service);
		ip_fail(r, IP_TIMEOUT, text);
	} else if (x->rc == CURLE_OPERATION_TIMEDOUT) {
		snprintf(text, sizeof(text),
		         "%s n'a pas répondu dans les %ld secondes. Réessayez dans quelques "
		         "minutes ; si cela se répète, demandez à la personne son dernier avis "
		         "d'impôt.",
		         service, (total_ms + 999) / 1000);
		text[0] = (char)toupper((unsigned char)text[0]);
		ip_fail(r, IP_TIMEOUT, text);
	} else if (x->rc == CURLE_WRITE_ERROR) {
		snprintf(text, sizeof(text),
		         "La réponse de %s est trop volumineuse pour être lue. Réessayez ; si cela "
		         "se répète, signalez-le à l'administrateur.",
		         service);
		ip_fail(r, IP_MALFORMED, text);
	} else if (x->rc == CURLE_SSL_CERTPROBLEM || x->rc == CURLE_SSL_CACERT_BADFILE) {
		snprintf(text, sizeof(text),
		         "Le certificat client ou sa clé, configurés pour joindre %s, sont "
		         "illisibles. Contactez l'administrateur de Cassis.",
		         service);
		ip_fail(r, IP_INTERNAL, text);
	} else {
		snprintf(text, sizeof(text),
		         "Impossible de joindre %s (%s). Réessayez dans quelques minutes ; si cela "
		         "se répète, signalez-le à l'administrateur.",
		         service, network_reason(x->rc));
		ip_fail(r, IP_NETWORK, text);
	}
}
