/* The stand-in of API Particulier (DINUM): GET
 * /v3/dss/quotient_familial/identite replayed from fixture files in the
 * sandbox's format, with the real API's behaviour around the replay
 * (tokens and scopes, recipient and parameter checks with their error
 * codes, rate limit headers and 429, X-Request-Id, scope filtering),
 * /api/introspect, the 410 answers of the retired v2 endpoints and the
 * plain-text 404 of unknown paths. */
#ifndef CAS_STANDIN_PARTICULIER_H
#define CAS_STANDIN_PARTICULIER_H

#include "standin/standin_server.h"
#include "standin/tokens.h"

/* The operation folder of the QF identity endpoint, as in the sandbox. */
#define PARTICULIER_QF_OPERATION "api_particulier_v3_cnav_quotient_familial_with_civility"
#define PARTICULIER_RATE_DEFAULT 20

struct particulier_config {
	/* The fixtures: a folder holding the operation folders (as in the
	 * State's sandbox), or the operation folder itself. */
	const char *fixtures_dir;
	const struct token_table *tokens; /* NULL: any token, every scope */
	int rate;                         /* requests a second per token; 0: no limit */
};

struct particulier;

/* The stand-in's state and its API for standin_run (api filled here).
 * Free with particulier_free after the server stopped. */
struct particulier *particulier_new(const struct particulier_config *cfg, struct standin_api *api);
void particulier_free(struct particulier *pa);

/* The folder read for the QF identity endpoint (owned by pa). */
const char *particulier_qf_folder(const struct particulier *pa);
/* Number of usable QF fixtures in it now. */
int particulier_qf_count(struct particulier *pa);

#endif
