#include "standin/particulier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "standin/fixtures.h"
#include "standin/particulier_params.h"
#include "standin/ratelimit.h"

#define VND_JSON             "application/vnd.api+json"
#define PLAIN_JSON           "application/json"
#define MAX_PARAM_ERRORS     16
#define MAINTENANCE_RETRY_IN 60

struct particulier {
	const struct token_table *tokens;
	struct ratelimit *rl; /* NULL: no limit */
	int rate;
	char *qf_dir;
	struct fixture_folder *qf;
};

/* The four scopes of the QF endpoint and the data key each one grants. */
static const struct {
	const char *scope;
	const char *key;
} qf_scopes[] = {
    {"cnaf_quotient_familial", "quotient_familial"},
    {"cnaf_allocataires", "allocataires"},
    {"cnaf_enfants", "enfants"},
    {"cnaf_adresse", "adresse"},
};
#define NB_QF_SCOPES  (sizeof(qf_scopes) / sizeof(qf_scopes[0]))
#define ALL_QF_SCOPES ((1u << NB_QF_SCOPES) - 1)

static const char qf_v1_gone[] =
    "L'API Quotient Familial v1 n'est plus disponible depuis le 31/10/2025. Veuillez utiliser "
    "l'API v2 : https://particulier.api.gouv.fr/catalogue/cnav/quotient_familial";
static const char svair_gone[] = "Cette URL n'existe plus sur API Particulier depuis le 8 janvier "
                                 "2024. Veuillez mettre à jour votre application.";
static const char unknown_url[] =
    "Cette URL n'existe pas sur Api particulier, veuillez vérifier votre URL.";

/* ---- error bodies ------------------------------------------------------ */

/* One member of "errors"; meta is stolen (NULL: {}). */
static json_t *error_json(const struct pp_error *e, json_t *meta)
{
	json_t *source = e->parameter ? json_pack("{s:s}", "parameter", e->parameter) : json_null();
	return json_pack("{s:s, s:s, s:s, s:o, s:o}", "code", e->code, "title", e->title, "detail",
	                 e->detail, "source", source, "meta", meta ? meta : json_object());
}

static json_t *errors_body(json_t *list)
{
	return json_pack("{s:o}", "errors", list);
}

static void reply_error(struct standin_reply *rep, int status, const char *code, json_t *meta,
                        const char *content_type)
{
	json_t *list = json_array();
	json_array_append_new(list, error_json(pp_error_of(code), meta));
	standin_reply_json(rep, status, content_type, errors_body(list));
}

static json_t *provider_meta(void)
{
	return json_pack("{s:s}", "provider", "CNAV");
}

static void rate_headers(struct standin_reply *rep, const struct rl_state *st)
{
	char v[32];
	snprintf(v, sizeof(v), "%d", st->limit);
	standin_reply_header(rep, "RateLimit-Limit", v);
	snprintf(v, sizeof(v), "%d", st->remaining);
	standin_reply_header(rep, "RateLimit-Remaining", v);
	snprintf(v, sizeof(v), "%lld", (long long)st->reset);
	standin_reply_header(rep, "RateLimit-Reset", v);
}

static void reply_too_many(struct standin_reply *rep, const struct rl_state *st)
{
	char v[16];
	rate_headers(rep, st);
	snprintf(v, sizeof(v), "%d", st->retry_after);
	standin_reply_header(rep, "Retry-After", v);
	reply_error(rep, 429, "00429", NULL, PLAIN_JSON);
}

/* ---- tokens ------------------------------------------------------------ */

/* The caller's token: Authorization: Bearer, else X-Api-Key, else
 * ?token= (as the real user resolution does); NULL when none. */
static const char *request_token(const struct standin_req *r)
{
	const char *auth = standin_header(r, "Authorization");
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		auth += 7;
		while (*auth == ' ')
			auth++;
		return *auth ? auth : NULL;
	}
	const char *key = standin_header(r, "X-Api-Key");
	if (key && *key)
		return key;
	const char *q = standin_arg(r, "token");
	return q && *q ? q : NULL;
}

/* The QF scopes of token as a bit set, or a 401 error code in *code. */
static unsigned granted_scopes(const struct particulier *pa, const char *token, const char **code)
{
	*code = NULL;
	if (!token) {
		*code = "00101";
		return 0;
	}
	if (!pa->tokens)
		return ALL_QF_SCOPES;
	const struct token_entry *e = tokens_find(pa->tokens, token);
	if (!e || e->state != TOKEN_VALID) {
		*code = !e ? "00101" : e->state == TOKEN_EXPIRED ? "00103" : "00105";
		return 0;
	}
	unsigned set = 0;
	for (unsigned i = 0; i < NB_QF_SCOPES; i++)
		if (token_has_scope(e, qf_scopes[i].scope))
			set |= 1u << i;
	return set;
}

/* ---- the QF identity endpoint ------------------------------------------ */

/* 1 when the parameters are valid; else the 422 is in rep. */
static int check_params(const struct sp_params *q, struct standin_reply *rep)
{
	const struct pp_error *errs[MAX_PARAM_ERRORS];
	int y, m, d;
	clock_ymd(clock_now(), &y, &m, &d);
	int n = pp_validate(q, y, m, d, errs, MAX_PARAM_ERRORS);
	if (n == 0)
		return 1;
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, error_json(errs[i], NULL));
	standin_reply_json(rep, 422, VND_JSON, errors_body(list));
	return 0;
}

/* Removes from a 200 body the data keys of the scopes not granted. */
static void filter_scopes(json_t *body, unsigned granted)
{
	json_t *data = json_object_get(body, "data");
	if (!json_is_object(data))
		return;
	for (unsigned i = 0; i < NB_QF_SCOPES; i++)
		if (!(granted & (1u << i)))
			json_object_del(data, qf_scopes[i].key);
}

static void replay(struct particulier *pa, const struct sp_params *q, unsigned granted,
                   struct standin_reply *rep)
{
	struct fixture_hit hit;
	char *key = pp_match_key(q);
	int rc = fixture_folder_find(pa->qf, key, &hit);
	free(key);
	if (rc != 0) {
		reply_error(rep, 404, "37003", provider_meta(), VND_JSON);
		return;
	}
	json_t *body = json_loads(hit.payload, JSON_DECODE_ANY, NULL);
	free(hit.payload);
	if (hit.status == 200)
		filter_scopes(body, granted);
	standin_reply_json(rep, hit.status, VND_JSON, body ? body : json_object());
	standin_reply_header(rep, "X-Response-Cached", "false");
	standin_reply_header(rep, "X-Standin-Fixture", hit.file);
}

/* Rate limit, token, scopes, recipient, parameters, then the replay: the
 * order of the real API. */
static void h_qf_identite(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	struct particulier *pa = ctx;
	const char *token = request_token(r), *code;
	struct rl_state st;
	if (token && pa->rl) {
		if (!rl_hit(pa->rl, token, clock_real_ms(), &st)) {
			reply_too_many(rep, &st);
			return;
		}
		rate_headers(rep, &st);
	}
	unsigned granted = granted_scopes(pa, token, &code);
	if (code || !granted) {
		reply_error(rep, code ? 401 : 403, code ? code : "00100", NULL, VND_JSON);
		return;
	}
	if (!pp_recipient_valid(standin_arg(r, "recipient"))) {
		reply_error(rep, 422, "00210", NULL, VND_JSON);
		return;
	}
	struct sp_params q;
	standin_args(r, &q);
	if (check_params(&q, rep))
		replay(pa, &q, granted, rep);
	sp_free(&q);
}

/* ---- other routes ------------------------------------------------------ */

static void h_introspect(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	struct particulier *pa = ctx;
	const char *token = request_token(r), *code;
	unsigned granted = granted_scopes(pa, token, &code);
	if (code) {
		const char *msg = pp_error_of(code)->detail;
		standin_reply_json(rep, 401, PLAIN_JSON,
		                   json_pack("{s:s, s:s, s:s}", "error", "access_denied", "reason",
		                             msg, "message", msg));
		return;
	}
	char id[37];
	token_id(token, id);
	const struct token_entry *e = pa->tokens ? tokens_find(pa->tokens, token) : NULL;
	json_t *scopes = json_array();
	for (int i = 0; e && i < e->nscopes; i++)
		json_array_append_new(scopes, json_string(e->scopes[i]));
	for (unsigned i = 0; !e && i < NB_QF_SCOPES; i++)
		if (granted & (1u << i))
			json_array_append_new(scopes, json_string(qf_scopes[i].scope));
	standin_reply_json(
	    rep, 200, PLAIN_JSON,
	    json_pack("{s:s, s:s, s:o}", "_id", id, "name", e ? e->name : "", "scopes", scopes));
}

static void h_qf_v1_gone(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	standin_reply_text(rep, 410, qf_v1_gone);
}

static void h_svair_gone(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	standin_reply_text(rep, 410, svair_gone);
}

static void h_not_found(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	standin_reply_text(rep, 404, unknown_url);
}

/* The answer of an injected error, as the real API writes it. */
static void fault_reply(int status, const struct standin_req *r, struct standin_reply *rep,
                        void *ctx)
{
	struct particulier *pa = ctx;
	switch (status) {
	case 429: {
		struct rl_state st = {pa->rate, 0, 0, 1};
		st.reset = clock_real_ms() / 1000 + 1;
		reply_too_many(rep, &st);
		return;
	}
	case 409: reply_error(rep, 409, "00015", NULL, VND_JSON); return;
	case 502: reply_error(rep, 502, "37999", provider_meta(), VND_JSON); return;
	case 503: {
		json_t *meta = provider_meta();
		json_object_set_new(meta, "retry_in", json_integer(MAINTENANCE_RETRY_IN));
		reply_error(rep, 503, "37020", meta, VND_JSON);
		return;
	}
	case 504: reply_error(rep, 504, "37002", provider_meta(), VND_JSON); return;
	default: reply_error(rep, 500, "00500", NULL, VND_JSON); return;
	}
}

static const struct standin_route routes[] = {
    {"GET", "/v3/dss/quotient_familial/identite", 1, h_qf_identite},
    {"GET", "/api/introspect", 0, h_introspect},
    {"GET", "/api/v2/composition-familiale", 0, h_qf_v1_gone},
    {"GET", "/api/caf/famille", 0, h_qf_v1_gone},
    {"GET", "/api/v2/avis-imposition", 0, h_svair_gone},
    {"GET", "/api/impots/svair", 0, h_svair_gone},
};

/* ---- set-up ------------------------------------------------------------ */

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *qf_folder(const char *root)
{
	size_t n = strlen(root) + sizeof(PARTICULIER_QF_OPERATION) + 2;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/%s", root, PARTICULIER_QF_OPERATION);
	if (is_dir(path))
		return path;
	free(path);
	return xstrdup(root);
}

struct particulier *particulier_new(const struct particulier_config *cfg, struct standin_api *api)
{
	struct particulier *pa = xcalloc(1, sizeof(*pa));
	pa->tokens = cfg->tokens;
	pa->rate = cfg->rate;
	pa->rl = cfg->rate > 0 ? rl_new(cfg->rate, 1) : NULL;
	pa->qf_dir = qf_folder(cfg->fixtures_dir);
	pa->qf = fixture_folder_open(pa->qf_dir, pp_match_key);
	*api = (struct standin_api){.name = "particulier",
	                            .routes = routes,
	                            .nroutes = sizeof(routes) / sizeof(routes[0]),
	                            .not_found = h_not_found,
	                            .fault_reply = fault_reply,
	                            .ctx = pa};
	return pa;
}

void particulier_free(struct particulier *pa)
{
	if (!pa)
		return;
	fixture_folder_close(pa->qf);
	rl_free(pa->rl);
	free(pa->qf_dir);
	free(pa);
}

const char *particulier_qf_folder(const struct particulier *pa)
{
	return pa->qf_dir;
}

int particulier_qf_count(struct particulier *pa)
{
	return fixture_folder_count(pa->qf);
}
