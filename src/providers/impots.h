/* Client of API Impôt particulier (DGFiP): the income-tax situation of a
 * foyer fiscal from the numéro fiscal (SPI) of one declarant.
 *
 *   GET {base}/impotparticulier/1.0/spi/{spi}/situations/ir/assiettes/annrev/{year}
 *   GET {base}/impotparticulier/1.0/spi/{spi}/dernieresituation/ir/assiettes/deuxans
 *
 * OAuth2 client credentials on POST {base}/token (impots_token.c), one
 * token per credential and scope cached for the whole process; calls are
 * paced under the quota of the credential (throttle.h), shared by every
 * thread. Thread-safe: every call uses its own libcurl handle.
 *
 * The SPI is personal data that must not be kept after the call: it is
 * never logged, never stored in a result (the path sent is kept with the
 * SPI replaced by "{spi}") and every copy made here is wiped. Callers keep
 * ip_spi_hash() of it when two consultations must be linked. The client
 * secret is never logged either. */
#ifndef CAS_PROVIDERS_IMPOTS_H
#define CAS_PROVIDERS_IMPOTS_H
#include <stddef.h>

#include <jansson.h>

#define IP_BASE_PATH          "/impotparticulier/1.0"
#define IP_TOKEN_PATH         "/token"
#define IP_SCOPE_ANNREV       "RessourceIR"
#define IP_SCOPE_DEUXANS      "RessourceIRDerniere2"
#define IP_DEFAULT_QUOTA      50 /* calls per minute and credential */
#define IP_DEFAULT_CONNECT_MS 3000L
#define IP_DEFAULT_TOTAL_MS   12000L
#define IP_SPI_LEN            13
#define IP_SPI_HASH_KEY_MIN   16 /* bytes of the key of ip_spi_hash */
#define IP_SPI_HASH_HEX       65 /* 32 bytes in hex + NUL */

struct ip_config {
	const char *base_url;  /* the gateway, e.g. https://gw.example or http://127.0.0.1:8082 */
	const char *token_url; /* NULL = {base_url}/token */
	const char *client_id; /* read from a file by the caller */
	const char *client_secret;  /* read from a file by the caller, wiped by it after use */
	int basic_auth;             /* 1: credentials as HTTP Basic; 0: form fields */
	const char *scope;          /* OAuth2 scope; NULL = RessourceIR (annrev) or
	                               RessourceIRDerniere2 (deuxans) */
	const char *cert_file;      /* TLS client certificate (PEM), NULL = none */
	const char *key_file;       /* its private key (PEM), NULL = in cert_file */
	const char *ca_file;        /* CA bundle to verify the gateway, NULL = system */
	const char *id_teleservice; /* ID_Teleservice header, NULL or "" = not sent */
	int quota_per_minute;       /* 0 = 50; calls are paced 5 % under it */
	long connect_timeout_ms, total_timeout_ms; /* 0 = defaults 3000 / 12000 */
};

enum ip_kind {
	IP_OK,
	IP_BAD_SPI,     /* our format check, or 400/4001: the numéro fiscal is refused */
	IP_BAD_YEAR,    /* 400/4002, or a year out of range here */
	IP_BAD_REQUEST, /* another 400: something in the request to fix */
	IP_NO_DATA,     /* 204, 404, 410/4101: nothing for this SPI and year */
	IP_UNKNOWN_SPI, /* 410/4102: the SPI matches no taxpayer */
	IP_CREDENTIALS, /* the token endpoint refuses the client, or 401 twice */
	IP_FORBIDDEN,   /* 403/4031: the habilitation does not cover it */
	IP_RATE,        /* 429 (after our own pacing): see retry_after */
	IP_PROVIDER,    /* 5xx: the DGFiP failed */
	IP_TIMEOUT,     /* our timeout, or 504 */
	IP_NETWORK,     /* no answer: DNS, connection refused or reset, TLS */
	IP_MALFORMED,   /* an answer that cannot be read */
	IP_INTERNAL     /* our side: configuration, memory, unexpected status */
};

struct ip_result {
	enum ip_kind kind;
	int http_status;         /* of the data call; 0 when no answer */
	char correlation_id[37]; /* X-Correlation-ID sent (UUID v4), "" before sending */
	char request_id[128];    /* X-Request-Id (or another response id header), "" */
	char body_sha256[65];    /* hex SHA-256 of the exact response bytes */
	char *body;              /* exact response bytes (owned), NUL-terminated */
	size_t body_len;
	char *path;         /* path sent with the SPI redacted as "{spi}" (owned) */
	json_t *data;       /* IP_OK: normalised result (owned), see ip_parse_situation */
	char code[16];      /* erreur.code of the body ("" when none) */
	char *message;      /* French message telling the agent what to do (owned) */
	int retry_after;    /* seconds, 0 when none */
	int year_asked;     /* annrev sent; 0 for deuxans */
	int year_answered;  /* annRevenu, else year_asked when OK; 0 unknown */
	int deux_ans;       /* 1 when the deuxans route was used */
	int attempts;       /* data requests sent (401 refresh, short 429 retry) */
	int token_requests; /* token requests made by this call (0 = cache hit) */
	int token_status;   /* HTTP status of the last token request, 0 when none */
};

/* Consults the situation of the foyer of spi (13 digits; spaces, dots and
 * hyphens are ignored) for income year `year`, or, when year is 0, for the
 * year of the DGFiP calendar at today_ymd ("YYYY-MM-DD"; NULL = today,
 * clock_now()); deux_ans = 1 uses the deuxans route instead (year ignored).
 * out is always filled (free with ip_result_free, even on error). Returns 0
 * on IP_OK, otherwise a negative CAS_E*: CAS_EINVAL (bad SPI, year,
 * request), CAS_ENOTFOUND (no data, unknown SPI), CAS_EAUTH (credentials),
 * CAS_EPERM (forbidden), CAS_EIO (the rest). Decide on out->kind. Blocks
 * while the quota of the credential asks to wait. The SPI is not kept. */
int ip_situation(const struct ip_config *cfg, const char *spi, int year, int deux_ans,
                 const char *today_ymd, struct ip_result *out);

/* Frees what r owns (wiping the body) and zeroes it. Safe on a zeroed result. */
void ip_result_free(struct ip_result *r);

/* CLI / API representation, new reference:
 * IP_OK: {"status","correlation_id","request_id","body_sha256","chemin",
 *   "annee_demandee","annee_revenus","data"};
 * otherwise {"kind","status","code","message","correlation_id","request_id",
 *   "annee_demandee","retry_after"?,"body_sha256" (when an answer came)}. */
json_t *ip_result_json(const struct ip_result *r);

/* A copy of data keeping only what scopes grant (new reference). Scopes
 * are the DataPass names: dgfip_rfr → rfr, dgfip_nbpart → nombre_parts,
 * dgfip_sitfam → situation_famille, dgfip_pac_nbPac → personnes_a_charge
 * .nombre, dgfip_pac → personnes_a_charge.detail, dgfip_aft → adresse,
 * dgfip_pariso → parent_isole, dgfip_nmNaiDec1 / dgfip_nmUsaDec1 /
 * dgfip_prnmDec1 / dgfip_dateNaisDec1 → declarant1.nom_naissance /
 * nom_usage / prenoms / date_naissance (same with 2), dgfip_mntRevbareme →
 * impot_bareme, dgfip_rbg → revenu_brut_global; the avis data without a
 * DataPass checkbox use Cassis names: dgfip_montTotIr → montant_impot,
 * dgfip_impAvImput → impot_avant_corrections, dgfip_revImposable →
 * revenu_imposable, dgfip_avis → date_recouvrement, date_etablissement.
 * annee_revenus is always kept. */
json_t *ip_minimise(const json_t *data, const char *const *scopes, int nb);

/* The income year the DGFiP serves at today_ymd ("YYYY-MM-DD"): N-1 from
 * 22 July of year N (date the new year opened in 2024 and 2025), N-2
 * before. 0 when today_ymd is unreadable. */
int ip_default_year(const char *today_ymd);

/* Keyed BLAKE2b-256 (libsodium crypto_generichash) of the normalised SPI,
 * in lowercase hex: the same SPI under the same key always gives the same
 * digest, which links two consultations without keeping the SPI. key_len
 * from 16 to 64 bytes. Returns 0, or CAS_EINVAL (bad SPI or key). */
int ip_spi_hash(const unsigned char *key, size_t key_len, const char *spi,
                char out_hex[IP_SPI_HASH_HEX]);

/* Copies spi into out without spaces, dots and hyphens and checks it is
 * 13 digits. Returns 0 or CAS_EINVAL (out then wiped). The mod-511 check is
 * not done here (see domain/ident.h, a warning only). */
int ip_spi_normalise(const char *spi, char out[IP_SPI_LEN + 1]);

/* Stable English name of a kind ("ok", "bad_spi", "bad_year",
 * "bad_request", "no_data", "unknown_spi", "credentials", "forbidden",
 * "rate", "provider", "timeout", "network", "malformed", "internal").
 * Static string. */
const char *ip_kind_name(enum ip_kind k);

/* French label of a sitFam code: M "marié(e)", O "pacsé(e)", C
 * "célibataire", D "divorcé(e) ou séparé(e)", V "veuf ou veuve"; NULL when
 * unknown. Static string. */
const char *ip_sitfam_label(const char *code);

/* ---- Pieces used by ip_situation, exposed for tests and fuzzing ---- */

/* Parses a 200 body (impots_parse.c) into the normalised data, only the
 * keys present (absent or null = not granted):
 *   {"annee_revenus":int (annRevenu, else year_asked; absent when 0),
 *    "rfr":int, "nombre_parts":"2.5" (exact decimal string),
 *    "situation_famille":{"code":"M","libelle":"marié(e)"},
 *    "personnes_a_charge":{"nombre":int,"detail":{"F":int,"G":...}},
 *    "parent_isole":string,
 *    "adresse":{"ligne","complement","voie","code_postal","commune",
 *               "bureau_distributeur"},
 *    "declarant1":{"nom_naissance","nom_usage","prenoms",
 *                  "date_naissance":"YYYY-MM-DD"|"YYYY-MM"|"YYYY"},
 *    "declarant2":{...},
 *    "montant_impot":int, "impot_avant_corrections":int,
 *    "impot_bareme":int, "revenu_imposable":int, "revenu_brut_global":int,
 *    "date_recouvrement":"YYYY-MM-DD", "date_etablissement":"YYYY-MM-DD"}
 * Integers may arrive negative or as strings; unknown keys are ignored.
 * Returns a new object, or NULL when the body is not a usable answer
 * (invalid JSON, not an object, a value of the wrong type). */
json_t *ip_parse_situation(const char *body, size_t len, int year_asked);

/* Fills kind, code, message and retry_after of r from its http_status,
 * body and the Retry-After header value (NULL when absent)
 * (impots_errors.c). Never called for a 200 that parsed. */
void ip_classify(struct ip_result *r, const char *retry_after_header);

/* ---- The token cache (impots_token.c), a pure function of time ---- */

/* Seconds a token of lifetime expires_in is used: expires_in minus a
 * margin of a quarter of it, at most 60 s; expires_in <= 0 (absent) counts
 * as 300 s. */
double ip_token_lifetime(long expires_in);

/* A copy of the token cached under key if it is still usable at now
 * (seconds, any monotonic origin), else NULL. Caller wipes and frees. */
char *ip_token_cache_get(const char *key, double now);

/* Caches token under key, obtained at now with lifetime expires_in. */
void ip_token_cache_put(const char *key, const char *token, long expires_in, double now);

/* Forgets the token of key if it is still `token` (a 401 proved it
 * stale; a token another thread has refreshed since is kept). */
void ip_token_cache_drop(const char *key, const char *token);

/* Forgets every token (tests). */
void ip_token_cache_reset(void);

/* Parses a token answer: a new access_token (caller wipes and frees) and
 * expires_in (0 when absent). Returns 0, or CAS_EINVAL when unusable. */
int ip_token_parse(const char *body, size_t len, char **token, long *expires_in);

/* The access token for cfg and scope: from the cache, or fetched (and
 * cached) when absent, stale or force is set. On failure fills r (kind
 * IP_CREDENTIALS, IP_NETWORK, IP_TIMEOUT, IP_PROVIDER, IP_MALFORMED...)
 * and returns NULL. Caller wipes and frees the token. Concurrent callers
 * of one credential wait for a single fetch. */
char *ip_token_get(const struct ip_config *cfg, const char *scope, int force, struct ip_result *r);

/* The cache key of a credential and scope: hex SHA-256 of token URL,
 * client id, client secret and scope (never the secret in clear). scope
 * NULL gives the key of the credential alone, the key of its quota. */
void ip_credential_key(const struct ip_config *cfg, const char *scope, char out[65]);

#endif
