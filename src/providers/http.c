/* One blocking libcurl easy handle per exchange (callers run it from worker
 * threads), and the small wire helpers of the State API clients. */
#include "providers/http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"

#define RETRY_AFTER_MAX 86400

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void init_libraries(void)
{
	init_rc = crypto_init() == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int http_init(void)
{
	pthread_once(&init_once, init_libraries);
	return init_rc;
}

void http_free_headers(struct curl_slist *list)
{
	for (struct curl_slist *h = list; h; h = h->next)
		sodium_memzero(h->data, strlen(h->data));
	curl_slist_free_all(list);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct http_exchange *x = ud;
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
	struct http_exchange *x = ud;
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

static void set_tls(CURL *c, const struct http_request *req)
{
	if (req->cert_file && *req->cert_file) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, req->cert_file);
		curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
	}
	if (req->key_file && *req->key_file) {
		curl_easy_setopt(c, CURLOPT_SSLKEY, req->key_file);
		curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (req->ca_file && *req->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
}

static void set_body_and_auth(CURL *c, const struct http_request *req)
{
	if (req->post_body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->post_body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(req->post_body));
	}
	if (req->user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, req->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, req->password ? req->password : "");
	}
}

int http_perform(const struct http_request *req, size_t max_body, struct http_exchange *x)
{
	memset(x, 0, sizeof(*x));
	buf_init(&x->body, max_body);
	x->rc = CURLE_FAILED_INIT;
	CURL *c = curl_easy_init();
	if (!c)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, req->headers);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->total_ms);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	set_tls(c, req);
	set_body_and_auth(c, req);
	x->rc = curl_easy_perform(c);
	if (x->rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x->status);
	curl_easy_getinfo(c, CURLINFO_CONNECT_TIME, &x->connect_s);
	curl_easy_cleanup(c);
	return x->rc == CURLE_OK ? 0 : -1;
}

void http_put_encoded(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
			buf_putc(b, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_append(b, e, 3);
		}
	}
}

void http_put_base(struct buf *b, const char *base)
{
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_append(b, base, n);
}

int http_parse_retry_after(const char *h)
{
	if (!h)
		return 0;
	while (isspace((unsigned char)*h))
		h++;
	if (isdigit((unsigned char)*h)) {
		long v = strtol(h, NULL, 10);
		return v < 0 ? 0 : v > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : (int)v;
	}
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!strptime(h, "%a, %d %b %Y %H:%M:%S GMT", &tm))
		return 0;
	time_t when = timegm(&tm);
	time_t now = time(NULL);
	if (when <= now)
		return 0;
	return when - now > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : (int)(when - now);
}
