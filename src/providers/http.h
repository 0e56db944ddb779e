/* The HTTP pieces both State API clients share (particulier.c and the
 * impots*.c files): one blocking libcurl easy exchange with the timeouts,
 * the TLS files and the response headers the clients read, wiping of
 * header lists that carry a secret, URL encoding and Retry-After. Not part
 * of the clients' interfaces. */
#ifndef CAS_PROVIDERS_HTTP_H
#define CAS_PROVIDERS_HTTP_H
#include <stddef.h>

#include <curl/curl.h>

#include "base/buf.h"

/* The request of an exchange. Strings are borrowed; NULL means none. */
struct http_request {
	const char *url;
	struct curl_slist *headers;
	const char *post_body; /* NULL: GET */
	const char *user;      /* HTTP Basic */
	const char *password;
	const char *cert_file; /* TLS client certificate (PEM) */
	const char *key_file;  /* its private key (PEM) */
	const char *ca_file;   /* CA bundle; NULL: the system's */
	long connect_ms, total_ms;
};

/* One HTTP exchange: what came back. */
struct http_exchange {
	struct buf body;
	long status;      /* 0 when no answer */
	CURLcode rc;      /* CURLE_OK when an answer came */
	double connect_s; /* time to connect, 0 when it did not */
	/* the first response id header seen: X-Request-Id, Request-Id,
	 * X-Transaction-Id or activityid ("" when none) */
	char request_id[128];
	char retry_after[64];
	int has_retry_after;
};

/* libsodium and libcurl's global initialisation, once per process: 0, or
 * -1 when either fails. */
int http_init(void);

/* Performs one exchange; x is initialised here with a body of at most
 * max_body bytes (more is a CURLE_WRITE_ERROR); free x->body with
 * buf_free. Returns 0 when an answer came, -1 otherwise (x->rc tells
 * why). */
int http_perform(const struct http_request *req, size_t max_body, struct http_exchange *x);

/* Wipes every header line of list (a bearer token...), then frees it. */
void http_free_headers(struct curl_slist *list);

/* Appends s percent-encoded (RFC 3986 unreserved characters kept). */
void http_put_encoded(struct buf *b, const char *s);

/* Appends the base URL without its trailing slashes. */
void http_put_base(struct buf *b, const char *base);

/* Seconds of a Retry-After value: a number of seconds or an HTTP date; 0
 * when absent, past or unreadable, at most one day. */
int http_parse_retry_after(const char *value);

#endif
