#include "standin/impots.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "standin/impots_fixtures.h"
#include "standin/ratelimit.h"

#define JSON_TYPE      "application/json"
#define MEDIA_ASSIETTE "application/prs.dgfip.part.situations.ir.assiettes.v1+json"
#define MEDIA_DERNIERE "application/prs.dgfip.part.derniere.situations.ir.assiettes.v1+json"
#define BASE           "/impotparticulier/1.0/spi/"
#define MAX_ISSUED     1024
#define MAX_FIELD      256
#define CODE_HEADER    4000 /* X-Correlation-ID refused: no documented code */

/* A token given by POST /token. */
struct issued {
	char token[RANDOM_TOKEN_SIZE];
	char client[MAX_FIELD];
	unsigned resources;
	const struct imr_hab *hab;
	int64_t expires_ms; /* real time */
	int refused;        /* the client is marked "expire" */
};

struct impots {
	struct imf_folder *fx;
	const struct token_table *clients;
	struct imr_hab all;        /* the default habilitation when none is given */
	const struct imr_hab *hab; /* the default habilitation */
	struct imr_hab *habs;      /* one per client of the clients table */
	struct ratelimit *rl;      /* NULL: no quota */
	int quota, period, ttl;
	pthread_mutex_t lock;
	struct issued issued[MAX_ISSUED];
	int nissued;
};

/* ---- answers ----------------------------------------------------------- */

/* The DGFiP's error envelope. */
static void reply_erreur(struct standin_reply *rep, int status, int code, const char *message)
{
	char now[32];
	clock_rfc3339(clock_now(), now);
	standin_reply_json(rep, status, JSON_TYPE,
	                   json_pack("{s:{s:i, s:s, s:s}}", "erreur", "code", code, "message",
	                             message && *message ? message : imf_message(code),
	                             "horodatage", now));
}

/* An error of the gateway (WSO2 API Manager's shape). */
static void reply_fault(struct standin_reply *rep, int status, int code, const char *message,
                        const char *description)
{
	standin_reply_json(rep, status, JSON_TYPE,
	                   json_pack("{s:{s:i, s:s, s:s}}", "fault", "code", code, "message",
	                             message, "description", description));
}

static void reply_oauth(struct standin_reply *rep, int status, const char *error,
                        const char *description)
{
	standin_reply_json(
	    rep, status, JSON_TYPE,
	    json_pack("{s:s, s:s}", "error", error, "error_description", description));
}

static void reply_throttled(struct standin_reply *rep, int retry_after)
{
	char v[16];
	snprintf(v, sizeof(v), "%d", retry_after > 0 ? retry_after : 1);
	standin_reply_header(rep, "Retry-After", v);
	reply_fault(rep, 429, 900802, "Message throttled out",
	            "You have exceeded your quota. You can access the API after the current "
	            "minute.");
}

static void reply_unauthorized(struct standin_reply *rep, int missing)
{
	standin_reply_header(rep, "WWW-Authenticate",
	                     "Bearer realm=\"DGFiP\", error=\"invalid_token\"");
	if (missing)
		reply_fault(
		    rep, 401, 900902, "Missing Credentials",
		    "Make sure your API invocation call has a header: \"Authorization: Bearer "
		    "ACCESS_TOKEN\"");
	else
		reply_fault(rep, 401, 900901, "Invalid Credentials",
		            "Access failure for API: /impotparticulier/1.0. Make sure you have "
		            "provided a valid access token");
}

/* ---- the token endpoint ------------------------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes application/x-www-form-urlencoded text of n bytes into out. */
static void form_decode(const char *s, size_t n, char *out, size_t outsz)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		int hi, lo;
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		           (lo = hexval(s[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

/* The value of field name in a form body, decoded; 0 when absent. */
static int form_field(const char *body, const char *name, char *out, size_t outsz)
{
	size_t nlen = strlen(name);
	const char *p = body;
	out[0] = '\0';
	while (p && *p) {
		size_t len = strcspn(p, "&");
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			form_decode(p + nlen + 1, len - nlen - 1, out, outsz);
			return 1;
		}
		p += len + (p[len] == '&');
	}
	return 0;
}

/* Copies s into out, cut to outsz - 1 bytes. */
static void copy_cut(char *out, size_t outsz, const char *s)
{
	size_t n = strlen(s);
	n = n < outsz ? n : outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* The client id and secret from HTTP Basic, else from the form. */
static int client_credentials(const struct standin_req *r, char *id, char *secret, size_t sz)
{
	const char *auth = standin_header(r, "Authorization");
	if (auth && strncasecmp(auth, "Basic ", 6) == 0) {
		char pair[2 * MAX_FIELD + 2];
		size_t len = 0;
		const char *b64 = auth + 6 + strspn(auth + 6, " ");
		if (sodium_base642bin((unsigned char *)pair, sizeof(pair) - 1, b64, strlen(b64),
		                      NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			return 0;
		pair[len] = '\0';
		char *colon = strchr(pair, ':');
		if (!colon)
			return 0;
		*colon = '\0';
		copy_cut(id, sz, pair);
		copy_cut(secret, sz, colon + 1);
		sodium_memzero(pair, sizeof(pair));
		return *id != '\0';
	}
	form_field(r->body, "client_id", id, sz);
	form_field(r->body, "client_secret", secret, sz);
	return *id != '\0';
}

/* The habilitation of a client, or NULL when it is refused. */
static const struct imr_hab *client_hab(const struct impots *im, const char *id, const char *secret,
                                        int *refused)
{
	*refused = 0;
	if (!im->clients)
		return im->hab;
	char pair[2 * MAX_FIELD + 2];
	snprintf(pair, sizeof(pair), "%s:%s", id, secret);
	const struct token_entry *e = tokens_find(im->clients, pair);
	sodium_memzero(pair, sizeof(pair));
	if (!e || e->state == TOKEN_REVOKED)
		return NULL;
	*refused = e->state == TOKEN_EXPIRED;
	return &im->habs[e - im->clients->items];
}

/* Keeps a new token; an expired one, else the oldest, makes room. */
static void remember(struct impots *im, const struct issued *t)
{
	int64_t now = clock_real_ms();
	pthread_mutex_lock(&im->lock);
	int slot = im->nissued;
	for (int i = 0; i < im->nissued && slot == MAX_ISSUED; i++)
		if (im->issued[i].expires_ms <= now)
			slot = i;
	if (slot == MAX_ISSUED) {
		memmove(&im->issued[0], &im->issued[1], (MAX_ISSUED - 1) * sizeof(im->issued[0]));
		slot = MAX_ISSUED - 1;
	}
	if (slot == im->nissued)
		im->nissued++;
	im->issued[slot] = *t;
	pthread_mutex_unlock(&im->lock);
}

static void h_token(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	struct impots *im = ctx;
	char grant[MAX_FIELD], scope[MAX_FIELD], id[MAX_FIELD], secret[MAX_FIELD];
	if (!form_field(r->body, "grant_type", grant, sizeof(grant))) {
		reply_oauth(rep, 400, "invalid_request", "Missing grant_type parameter value");
		return;
	}
	if (strcmp(grant, "client_credentials") != 0) {
		reply_oauth(rep, 400, "unsupported_grant_type", "Unsupported grant_type value");
		return;
	}
	int refused = 0;
	const struct imr_hab *hab = NULL;
	if (client_credentials(r, id, secret, sizeof(id)))
		hab = client_hab(im, id, secret, &refused);
	sodium_memzero(secret, sizeof(secret));
	if (!hab) {
		reply_oauth(rep, 401, "invalid_client", "Client Authentication failed.");
		return;
	}
	form_field(r->body, "scope", scope, sizeof(scope));
	struct issued t = {.resources = imr_token_resources(hab, scope),
	                   .hab = hab,
	                   .expires_ms = clock_real_ms() + (int64_t)im->ttl * 1000,
	                   .refused = refused};
	random_token(t.token, sizeof(t.token));
	snprintf(t.client, sizeof(t.client), "%s", id);
	remember(im, &t);
	char names[MAX_FIELD];
	imr_resources_text(t.resources, names, sizeof(names));
	standin_reply_header(rep, "Cache-Control", "no-store");
	standin_reply_header(rep, "Pragma", "no-cache");
	standin_reply_json(rep, 200, JSON_TYPE,
	                   json_pack("{s:s, s:s, s:s, s:i}", "access_token", t.token, "scope",
	                             names, "token_type", "Bearer", "expires_in", im->ttl));
	sodium_memzero(&t, sizeof(t));
}

/* ---- the data routes --------------------------------------------------- */

/* The token of the call: state, and the token's record in *out. */
static enum imr_token find_token(struct impots *im, const struct standin_req *r, struct issued *out)
{
	const char *auth = standin_header(r, "Authorization");
	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		return IMR_TOKEN_NONE;
	auth += 7 + strspn(auth + 7, " ");
	if (!*auth)
		return IMR_TOKEN_NONE;
	enum imr_token state = IMR_TOKEN_REFUSED;
	int64_t now = clock_real_ms();
	pthread_mutex_lock(&im->lock);
	for (int i = 0; i < im->nissued; i++)
		if (ct_streq(im->issued[i].token, auth)) {
			*out = im->issued[i];
			if (out->expires_ms > now && !out->refused)
				state = IMR_TOKEN_VALID;
		}
	pthread_mutex_unlock(&im->lock);
	return state;
}

/* Segment n of path (0 is the one after the first "/"), cut to outsz. */
static void segment(const char *path, int n, char *out, size_t outsz)
{
	const char *p = path + (*path == '/');
	for (int i = 0; i < n && p; i++) {
		p = strchr(p, '/');
		p = p ? p + 1 : NULL;
	}
	size_t len = p ? strcspn(p, "/") : 0;
	snprintf(out, outsz, "%.*s", (int)len, p ? p : "");
}

static void reply_step(struct standin_reply *rep, enum imr_step step, int retry_after)
{
	switch (step) {
	case IMR_NO_TOKEN: reply_unauthorized(rep, 1); return;
	case IMR_BAD_TOKEN: reply_unauthorized(rep, 0); return;
	case IMR_QUOTA: reply_throttled(rep, retry_after); return;
	case IMR_CORRELATION:
		reply_erreur(rep, 400, CODE_HEADER,
		             "En-tête X-Correlation-ID absent ou invalide (UUID attendu)");
		return;
	case IMR_RESOURCE:
	case IMR_YEAR_RIGHTS: reply_erreur(rep, 403, 4031, NULL); return;
	case IMR_SPI: reply_erreur(rep, 400, 4001, NULL); return;
	case IMR_YEAR: reply_erreur(rep, 400, 4002, NULL); return;
	case IMR_OK: return;
	}
}

/* The situation with annRevenu first (dernieresituation routes). */
static json_t *with_year(json_t *situation, int year)
{
	json_t *out = json_pack("{s:i}", "annRevenu", year);
	const char *key;
	json_t *v;
	json_object_foreach(situation, key, v)
	{
		if (strcmp(key, "annRevenu") != 0)
			json_object_set(out, key, v);
	}
	json_decref(situation);
	return out;
}

static void reply_answer(struct standin_reply *rep, enum imf_route route, struct imf_answer *a,
                         const struct imr_hab *hab)
{
	if (a->status == 200) {
		json_t *s = a->situation;
		a->situation = NULL;
		json_object_del(s, "annRevenu");
		if (route != IMF_ANNREV)
			s = with_year(s, a->year);
		imr_hab_filter(hab, s);
		standin_reply_json(rep, 200, route == IMF_ANNREV ? MEDIA_ASSIETTE : MEDIA_DERNIERE,
		                   s);
	} else if (a->status == 204 || a->status == 304) {
		rep->status = a->status;
	} else {
		reply_erreur(rep, a->status, a->code, a->message);
	}
	if (a->file[0])
		standin_reply_header(rep, "X-Standin-Fixture", a->file);
}

static void h_data(struct impots *im, const struct standin_req *r, struct standin_reply *rep,
                   enum imf_route route)
{
	struct issued t;
	char spi[64], year[64];
	int y, m, d, asked;
	struct rl_state st = {0};
	memset(&t, 0, sizeof(t));
	clock_ymd(clock_now(), &y, &m, &d);
	segment(r->path, 3, spi, sizeof(spi));
	segment(r->path, 8, year, sizeof(year));
	struct imr_call c = {.route = route,
	                     .token = find_token(im, r, &t),
	                     .quota_ok = 1,
	                     .resources = t.resources,
	                     .hab = t.hab,
	                     .spi = spi,
	                     .year = route == IMF_DEUXANS ? NULL : year,
	                     .this_year = y,
	                     .correlation_id = standin_header(r, "X-Correlation-ID")};
	if (c.token == IMR_TOKEN_VALID && im->rl)
		c.quota_ok = rl_hit(im->rl, t.client, clock_real_ms(), &st);
	enum imr_step step = imr_check(&c, &asked);
	if (step != IMR_OK) {
		reply_step(rep, step, st.retry_after);
		return;
	}
	struct imf_answer a;
	imf_folder_answer(im->fx, spi, route, asked, y, m, d, &a);
	reply_answer(rep, route, &a, t.hab);
	imf_answer_clear(&a);
	sodium_memzero(spi, sizeof(spi));
}

static void h_annrev(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	h_data(ctx, r, rep, IMF_ANNREV);
}

static void h_derniere(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	h_data(ctx, r, rep, IMF_DERNIERE_ANNREV);
}

static void h_deuxans(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	h_data(ctx, r, rep, IMF_DEUXANS);
}

static void h_not_found(const struct standin_req *r, struct standin_reply *rep, void *ctx)
{
	reply_fault(rep, 404, 900906, "No matching resource found for given API Request",
	            "Check the API documentation and add a proper REST resource path to the "
	            "invocation URL");
}

/* The answer of an injected error. */
static void fault_reply(int status, const struct standin_req *r, struct standin_reply *rep,
                        void *ctx)
{
	switch (status) {
	case 429: reply_throttled(rep, 60 - (int)(clock_real_ms() / 1000 % 60)); return;
	case 502:
		reply_fault(rep, 502, 101503, "Runtime Error", "Error connecting to the back end");
		return;
	case 503: reply_fault(rep, 503, 101503, "Runtime Error", "Service unavailable"); return;
	case 504: reply_fault(rep, 504, 101504, "Runtime Error", "Send timeout"); return;
	case 409: reply_erreur(rep, 409, 409, "Conflit"); return;
	default: reply_erreur(rep, 500, 500, "Erreur technique"); return;
	}
}

/* The path for the log, the SPI replaced by "{spi}". */
static void log_path(const char *path, char *out, size_t outsz)
{
	size_t n = strlen(BASE);
	if (strncmp(path, BASE, n) != 0) {
		snprintf(out, outsz, "%s", path);
		return;
	}
	const char *rest = path + n + strcspn(path + n, "/");
	snprintf(out, outsz, "%s{spi}%s", BASE, rest);
}

static const struct standin_route routes[] = {
    {"POST", "/token", 0, h_token},
    {"GET", BASE "{spi}/situations/ir/assiettes/annrev/{annrev}", 1, h_annrev},
    {"GET", BASE "{spi}/dernieresituation/ir/assiettes/annrev/{annrev}", 1, h_derniere},
    {"GET", BASE "{spi}/dernieresituation/ir/assiettes/deuxans", 1, h_deuxans},
};

/* ---- set-up ------------------------------------------------------------ */

static void hab_copy(struct imr_hab *to, const struct imr_hab *from)
{
	*to = *from;
	to->keys = xcalloc((size_t)(from->nkeys ? from->nkeys : 1), sizeof(char *));
	for (int k = 0; k < from->nkeys; k++)
		to->keys[k] = xstrdup(from->keys[k]);
}

/* The habilitation of each client of the table. */
static int client_habs(struct impots *im, char *err, size_t errsz)
{
	const struct token_table *t = im->clients;
	im->habs = xcalloc((size_t)(t->n ? t->n : 1), sizeof(*im->habs));
	for (int i = 0; i < t->n; i++) {
		const struct token_entry *e = &t->items[i];
		struct imr_hab *h = &im->habs[i];
		if (e->nscopes == 1 && strcmp(e->scopes[0], "*") == 0) {
			hab_copy(h, im->hab);
			continue;
		}
		char list[4096] = "";
		size_t used = 0;
		for (int k = 0; k < e->nscopes && used < sizeof(list); k++)
			used +=
			    (size_t)snprintf(list + used, sizeof(list) - used, "%s ", e->scopes[k]);
		if (imr_hab_parse(list, h, err, errsz) != 0)
			return CAS_EINVAL;
		if (e->nscopes == 0)
			h->resources = 0; /* "-": no right at all */
	}
	return 0;
}

int impots_parse_quota(const char *s, int *calls, int *period)
{
	char *end = NULL;
	long v = s ? strtol(s, &end, 10) : -1;
	if (!s || end == s || v < 0 || v > 1000000)
		return CAS_EINVAL;
	if (!*end || strcmp(end, "/min") == 0)
		*period = 60;
	else if (strcmp(end, "/s") == 0)
		*period = 1;
	else if (strcmp(end, "/h") == 0)
		*period = 3600;
	else
		return CAS_EINVAL;
	*calls = (int)v;
	return 0;
}

int impots_new(const struct impots_config *cfg, struct standin_api *api, struct impots **out,
               char *err, size_t errsz)
{
	struct impots *im = xcalloc(1, sizeof(*im));
	imr_hab_all(&im->all);
	im->hab = cfg->hab ? cfg->hab : &im->all;
	im->clients = cfg->clients;
	im->quota = cfg->quota;
	im->period = cfg->quota_period > 0 ? cfg->quota_period : 60;
	im->ttl = cfg->token_ttl >= 0 ? cfg->token_ttl : IMPOTS_TTL_DEFAULT;
	pthread_mutex_init(&im->lock, NULL);
	if (im->clients && client_habs(im, err, errsz) != 0) {
		impots_free(im);
		return CAS_EINVAL;
	}
	im->rl = im->quota > 0 ? rl_new(im->quota, im->period) : NULL;
	im->fx = imf_folder_open(cfg->fixtures_dir);
	*api = (struct standin_api){.name = "impots",
	                            .routes = routes,
	                            .nroutes = sizeof(routes) / sizeof(routes[0]),
	                            .not_found = h_not_found,
	                            .fault_reply = fault_reply,
	                            .log_path = log_path,
	                            .ctx = im};
	*out = im;
	return 0;
}

void impots_free(struct impots *im)
{
	if (!im)
		return;
	for (int i = 0; im->clients && im->habs && i < im->clients->n; i++)
		imr_hab_free(&im->habs[i]);
	free(im->habs);
	imf_folder_close(im->fx);
	rl_free(im->rl);
	pthread_mutex_destroy(&im->lock);
	sodium_memzero(im->issued, sizeof(im->issued));
	free(im);
}

int impots_count(struct impots *im)
{
	return imf_folder_count(im->fx);
}
