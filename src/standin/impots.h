/* The stand-in of API Impôt particulier (DGFiP): the OAuth2 token endpoint
 * of the gateway (POST /token, client credentials as form fields or HTTP
 * Basic) and the data routes
 *
 *   GET /impotparticulier/1.0/spi/{spi}/situations/ir/assiettes/annrev/{annrev}
 *   GET /impotparticulier/1.0/spi/{spi}/dernieresituation/ir/assiettes/annrev/{annrev}
 *   GET /impotparticulier/1.0/spi/{spi}/dernieresituation/ir/assiettes/deuxans
 *
 * answered from household files (impots_fixtures.h) after the checks of
 * impots_rules.h: token, quota per client (429), X-Correlation-ID, scope
 * of the token, SPI and year formats, habilitation of the year, then the
 * household; 200 answers carry the vendor media type and only the keys the
 * client's habilitation grants. */
#ifndef CAS_STANDIN_IMPOTS_H
#define CAS_STANDIN_IMPOTS_H
#include <stddef.h>

#include "standin/impots_rules.h"
#include "standin/standin_server.h"
#include "standin/tokens.h"

#define IMPOTS_PORT_DEFAULT  8082
#define IMPOTS_QUOTA_DEFAULT 50 /* calls per minute and client */
#define IMPOTS_TTL_DEFAULT   3600

struct impots_config {
	const char *fixtures_dir;
	/* The clients accepted, in the tokens file format: "CLIENT_ID:SECRET
	 * SCOPES [OPTIONS]", SCOPES being habilitation names separated by
	 * commas, "*" for the default habilitation or "-" for none; option
	 * "expire": the tokens of this client are refused by the data routes;
	 * "liste-noire": the client is refused. NULL: any client is accepted,
	 * with the default habilitation. */
	const struct token_table *clients;
	const struct imr_hab *hab; /* the default habilitation; NULL: everything */
	int quota;                 /* calls per quota_period seconds and client; 0: none */
	int quota_period;          /* seconds (60 for a quota per minute) */
	int token_ttl;             /* expires_in of the tokens, seconds; 0: expired at once */
};

struct impots;

/* The stand-in's state and its API for standin_run (api filled here). 0,
 * or CAS_EINVAL with a French reason in err (a client's habilitation that
 * cannot be read). Free with impots_free after the server stopped. */
int impots_new(const struct impots_config *cfg, struct standin_api *api, struct impots **out,
               char *err, size_t errsz);
void impots_free(struct impots *im);

/* Number of usable household files now. */
int impots_count(struct impots *im);

/* Parses a quota "N", "N/min", "N/s" or "N/h" into calls and period
 * (seconds). 0 or CAS_EINVAL. */
int impots_parse_quota(const char *s, int *calls, int *period);

#endif
