/* Pieces shared by the files of the API Impôt particulier client
 * (impots.c, impots_token.c, impots_http.c, impots_errors.c). Not part of
 * the interface: include providers/impots.h instead. */
#ifndef CAS_PROVIDERS_IMPOTS_INTERNAL_H
#define CAS_PROVIDERS_IMPOTS_INTERNAL_H
#include <stddef.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "providers/impots.h"

#define IP_MAX_BODY (1024 * 1024)

/* One HTTP exchange: what came back. */
struct ip_exchange {
	struct buf body;
	long status;          /* 0 when no answer */
	CURLcode rc;          /* CURLE_OK when an answer came */
	double connect_s;     /* time to connect, 0 when it did not */
	char request_id[128]; /* the first response id header seen */
	char retry_after[64];
	int has_retry_after;
};

/* The request of an exchange. Strings are borrowed. */
struct ip_request {
	const char *url;
	struct curl_slist *headers;
	const char *post_body; /* NULL: GET */
	const char *user;      /* HTTP Basic, NULL: none */
	const char *password;
};

/* libcurl's global initialisation, once per process: 0 or CAS_EIO. */
int ip_http_init(void);

/* Performs one exchange with the timeouts and TLS files of cfg. x is
 * initialised here; free x->body with buf_free. Returns 0 when an answer
 * came, -1 otherwise (x->rc tells why). */
int ip_http_perform(const struct ip_config *cfg, const struct ip_request *req,
                    struct ip_exchange *x);

/* Types a failure without answer (x->rc) into r: timeout, network, body
 * too large. service names who did not answer ("l'API Impôt particulier",
 * "le service d'authentification de la DGFiP"). */
void ip_http_failure(struct ip_result *r, const struct ip_exchange *x, long total_ms,
                     const char *service);

/* Wipes every header line of list, then frees it. */
void ip_http_free_headers(struct curl_slist *list);

/* Sets kind and a copy of message. */
void ip_fail(struct ip_result *r, enum ip_kind kind, const char *message);

/* Effective timeouts of cfg, in milliseconds. */
long ip_connect_ms(const struct ip_config *cfg);
long ip_total_ms(const struct ip_config *cfg);

/* A fresh random UUID v4, lowercase, into out. */
void ip_uuid_v4(char out[37]);

/* Seconds of a Retry-After value: a number of seconds or an HTTP date; 0
 * when absent or unreadable, at most one day. */
int ip_parse_retry_after(const char *value);

#endif
