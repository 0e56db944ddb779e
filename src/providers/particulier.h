/* Client of API Particulier v3, quotient familial CAF / MSA
 * (GET /v3/dss/quotient_familial/identite). Thread-safe: every call uses its
 * own handle; the per-token rate limiter (throttle.h) is shared by every
 * thread of the process. The bearer token is never logged. */
#ifndef CAS_PROVIDERS_PARTICULIER_H
#define CAS_PROVIDERS_PARTICULIER_H
#include <stddef.h>

#include <jansson.h>

#define PA_DEFAULT_BASE_URL   "https://particulier.api.gouv.fr"
#define PA_QF_PATH            "/v3/dss/quotient_familial/identite"
#define PA_DEFAULT_RATE       20.0
#define PA_DEFAULT_CONNECT_MS 3000L
#define PA_DEFAULT_TOTAL_MS   12000L

/* Identity sent to GET /v3/dss/quotient_familial/identite. Strings are borrowed. */
struct pa_identity {
	const char *nom_naissance; /* required */
	const char *nom_usage;     /* NULL when none */
	const char *prenoms[3];    /* 1..3 */
	int nb_prenoms;
	char sexe;                                           /* 'F' or 'M' */
	int annee_naissance, mois_naissance, jour_naissance; /* 0 = unknown part */
	const char *cog_pays;    /* "99100" France, else 99xxx; NULL = France */
	const char *cog_commune; /* COG of the birth commune (France) or NULL */
	const char *nom_commune; /* alternative: name + departement */
	const char *cog_departement;
	int annee, mois; /* 0 = current period */
};

struct pa_config {
	const char *base_url;   /* e.g. https://particulier.api.gouv.fr or http://127.0.0.1:8081 */
	const char *token;      /* bearer token (read from a file by the caller, never logged) */
	const char *recipient;  /* the tenant's SIRET */
	double rate_per_second; /* the limit: 0 = default 20 (paced 5 % under it) */
	long connect_timeout_ms, total_timeout_ms; /* 0 = defaults 3000 / 12000 */
};

enum pa_kind {
	PA_OK,
	PA_PARAMS,    /* 422 / 400: a parameter to fix (see param) */
	PA_NOT_FOUND, /* 404, or 422 00355: nobody identified */
	PA_TOKEN,     /* 401: token invalid, expired, revoked */
	PA_SCOPE,     /* 403: token without the rights */
	PA_CONFLICT,  /* 409: same request already in flight */
	PA_GONE,      /* 410: endpoint withdrawn */
	PA_RATE,      /* 429: see retry_after */
	PA_PROVIDER,  /* 502, 503 (maintenance), 500: the provider failed */
	PA_TIMEOUT,   /* 504 or our own timeout */
	PA_NETWORK,   /* no answer: DNS, connection refused or reset, TLS */
	PA_MALFORMED, /* an answer that cannot be read */
	PA_INTERNAL   /* our side: memory, bad configuration, bad identity */
};

struct pa_result {
	enum pa_kind kind;
	int http_status;      /* 0 when no answer */
	char request_id[128]; /* X-Request-Id ("" when none) */
	char body_sha256[65]; /* hex SHA-256 of the exact response bytes */
	char *body;           /* exact response bytes (owned), NUL-terminated */
	size_t body_len;
	char *query;     /* the query string sent, for the record (owned) */
	json_t *data;    /* PA_OK: normalised result (owned), see below */
	char code[16];   /* error code from the body ("" when none) */
	char *message;   /* French message telling the agent what to do (owned) */
	char *param;     /* source.parameter of the error, or NULL (owned) */
	int retry_after; /* seconds, 0 when none */
	int attempts;    /* HTTP requests sent (a short 429 is retried) */
};

/* Consults the quotient familial. out is always filled (free it with
 * pa_result_free, even on error). Returns 0 on PA_OK, a negative CAS_E*
 * otherwise: CAS_EINVAL (PA_PARAMS), CAS_ENOTFOUND (PA_NOT_FOUND),
 * CAS_EAUTH (PA_TOKEN), CAS_EPERM (PA_SCOPE), CAS_ECONFLICT (PA_CONFLICT),
 * CAS_EIO (the rest). Decide on out->kind, not on the return value. Blocks while the
 * rate limiter of the token asks to wait. */
int pa_qf(const struct pa_config *cfg, const struct pa_identity *id, struct pa_result *out);

/* Frees what out owns and zeroes it. Safe on a zeroed result. */
void pa_result_free(struct pa_result *r);

/* CLI / API representation, new reference:
 * PA_OK: {"status","request_id","body_sha256","data"}; otherwise
 * {"kind","status","code","message","request_id","param"?,"retry_after"?,
 * "body_sha256" (when an answer came)}. */
json_t *pa_result_json(const struct pa_result *r);

/* A copy of data keeping only the keys granted by scopes (new reference):
 * cnaf_quotient_familial → quotient_familial, cnaf_allocataires →
 * allocataires, cnaf_enfants → enfants, cnaf_adresse → adresse. */
json_t *pa_minimise(const json_t *data, const char *const *scopes, int nb);

/* Builds the query string (without '?') of a QF call, URL-encoded: new
 * string the caller frees, or NULL when id is unusable (no name, no first
 * name, bad sex, more than 3 first names). */
char *pa_build_query(const struct pa_identity *id, const char *recipient);

/* Stable English name of a kind ("ok", "params", "not_found", "token",
 * "scope", "conflict", "gone", "rate", "provider", "timeout", "network",
 * "malformed", "internal"). Static string. */
const char *pa_kind_name(enum pa_kind k);

/* ---- Pieces used by pa_qf, exposed for tests and fuzzing ---- */

/* Parses a 200 body into the normalised data (pa_parse.c). Unknown keys are
 * ignored, dates with 00 parts become partial dates, valeur may be an
 * integer or a string, CAF/CNAF/MSA providers are normalised. Returns a new
 * object, or NULL when the body is not a usable answer (invalid JSON, no
 * "data" object, a value of the wrong type). */
json_t *pa_parse_qf(const char *body, size_t len);

/* Normalises "YYYY-MM-DD" with 00 parts: "1980-11-15" → "1980-11-15",
 * "2020-05-00" → "2020-05", "2020-00-00" → "2020", "0000-00-00" or
 * anything unreadable → NULL (JSON null). New reference. */
json_t *pa_parse_date(const char *s);

/* Fills kind, code, message, param and retry_after of r from its
 * http_status, body and the Retry-After header value (NULL when absent)
 * (pa_errors.c). Never called for a 200 that parsed. */
void pa_classify(struct pa_result *r, const char *retry_after_header);

#endif
