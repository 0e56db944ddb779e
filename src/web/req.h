/* One HTTP request as the handlers see it. Everything hangs off the
 * request's arena, released when libmicrohttpd completes the request. */
#ifndef CAS_REQ_H
#define CAS_REQ_H
#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/auth.h"
#include "base/buf.h"

struct MHD_Connection;
struct arena;
struct upload;
struct db;
struct route;

#define REQ_MAX_IDS  3
#define REQ_BODY_MAX (1024 * 1024)

struct req {
	struct MHD_Connection *conn;
	struct arena *arena;
	struct db *db; /* this worker thread's connection */
	const char *method;
	const char *path;
	char id[17]; /* request id, also sent as X-Request-Id */
	int64_t started_us;
	struct buf body;
	int body_too_big;
	size_t body_discarded;     /* bytes read past REQ_BODY_MAX and dropped */
	struct upload *upload;     /* a file upload being parsed (web/upload.h), or NULL */
	const struct route *route; /* NULL when no route matched */
	const char *route_label;   /* pattern, for the log: never the raw path */
	int64_t ids[REQ_MAX_IDS];  /* the {id} segments of the path, in order */
	json_t *form;              /* urlencoded body as an object of strings (owned) */
	json_t *json;              /* JSON body of API calls (owned) */
	struct actor who;
	int signed_in;
	char token[AUTH_TOKEN_LEN]; /* session cookie value */
	char csrf[AUTH_TOKEN_LEN];
	const char *cookies[4]; /* Set-Cookie values for the response */
	int ncookies;
	const char *location; /* Location header of a 201 response, or NULL */
	int retry_after;      /* Retry-After header (seconds) of a 429 response, or 0 */
	int status;           /* of the response queued, for the log */
	int replied;
};

/* Query-string value (decoded, valid UTF-8) or NULL. */
const char *req_query(struct req *r, const char *key);
/* Form field, trimmed of surrounding white space; "" when absent. */
const char *req_form(struct req *r, const char *key);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
/* Positive integer from the query string, or def when absent or invalid. */
int64_t req_query_int(struct req *r, const char *key, int64_t def);

#endif
