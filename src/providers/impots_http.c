/* Transport of the API Impôt particulier client over providers/http.h:
 * the timeouts and the TLS client certificate of the configuration, and
 * the French messages of a failure without answer. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "providers/impots_internal.h"

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

int ip_http_perform(const struct ip_config *cfg, struct http_request *req, struct http_exchange *x)
{
	req->cert_file = cfg->cert_file;
	req->key_file = cfg->key_file;
	req->ca_file = cfg->ca_file;
	req->connect_ms = ip_connect_ms(cfg);
	req->total_ms = ip_total_ms(cfg);
	return http_perform(req, IP_MAX_BODY, x);
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

void ip_http_failure(struct ip_result *r, const struct http_exchange *x, long total_ms,
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
