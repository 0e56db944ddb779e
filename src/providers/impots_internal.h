/* Pieces shared by the files of the API Impôt particulier client
 * (impots.c, impots_token.c, impots_http.c, impots_errors.c). Not part of
 * the interface: include providers/impots.h instead. */
#ifndef CAS_PROVIDERS_IMPOTS_INTERNAL_H
#define CAS_PROVIDERS_IMPOTS_INTERNAL_H
#include "providers/http.h"
#include "providers/impots.h"

#define IP_MAX_BODY (1024 * 1024)

/* Performs one exchange (http_perform) with the timeouts and TLS files of
 * cfg, which it sets in req. Free x->body with buf_free. Returns 0 when an
 * answer came, -1 otherwise (x->rc tells why). */
int ip_http_perform(const struct ip_config *cfg, struct http_request *req, struct http_exchange *x);

/* Types a failure without answer (x->rc) into r: timeout, network, body
 * too large. service names who did not answer ("l'API Impôt particulier",
 * "le service d'authentification de la DGFiP"). */
void ip_http_failure(struct ip_result *r, const struct http_exchange *x, long total_ms,
                     const char *service);

/* Sets kind and a copy of message. */
void ip_fail(struct ip_result *r, enum ip_kind kind, const char *message);

/* Effective timeouts of cfg, in milliseconds. */
long ip_connect_ms(const struct ip_config *cfg);
long ip_total_ms(const struct ip_config *cfg);

#endif
