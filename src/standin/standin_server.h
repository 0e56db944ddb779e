/* The HTTP server of the stand-ins: libmicrohttpd on 127.0.0.1 only, one
 * thread per connection (answers can be delayed on purpose), a route table
 * given by the API, an X-Request-Id on every answer, fault injection, a
 * clean stop on SIGTERM or SIGINT. Each stand-in (API Particulier, API
 * Impôt particulier...) brings its routes; the server is shared. */
#ifndef CAS_STANDIN_SERVER_H
#define CAS_STANDIN_SERVER_H
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "standin/faults.h"
#include "standin/params.h"

struct MHD_Connection;

struct standin_req {
	struct MHD_Connection *conn;
	const char *method;
	const char *path; /* without the query string */
	char request_id[256];
	const char *body; /* the request body, NUL-terminated ("" when none) */
	size_t body_len;
};

#define STANDIN_MAX_HEADERS 12

struct standin_header {
	char name[48];
	char value[208];
};

struct standin_reply {
	int status;               /* 0 until set */
	const char *content_type; /* static string */
	struct buf body;
	struct standin_header headers[STANDIN_MAX_HEADERS];
	int nheaders;
	int json;  /* the body is JSON: --malformed-rate may cut it */
	int reset; /* close the connection without answering */
};

/* A request header (case-insensitive name), or NULL. */
const char *standin_header(const struct standin_req *r, const char *name);
/* A query argument (the last one given), or NULL. */
const char *standin_arg(const struct standin_req *r, const char *name);
/* Every query argument into out (initialised here; sp_free): "name[]" lists
 * become lists called "name"; a name given twice keeps its last value. */
void standin_args(const struct standin_req *r, struct sp_params *out);

/* Adds a response header (value truncated to fit). */
void standin_reply_header(struct standin_reply *rep, const char *name, const char *value);
/* A plain-text answer (text/plain; charset=utf-8). */
void standin_reply_text(struct standin_reply *rep, int status, const char *text);
/* A JSON answer, compact; j is stolen. */
void standin_reply_json(struct standin_reply *rep, int status, const char *content_type, json_t *j);

typedef void (*standin_handler)(const struct standin_req *r, struct standin_reply *rep, void *ctx);

struct standin_route {
	const char *method;
	const char *path; /* exact path; a segment "{name}" matches any one segment */
	int faults;       /* fault injection applies to this route */
	standin_handler handle;
};

struct standin_api {
	const char *name; /* for the log: "particulier" */
	const struct standin_route *routes;
	size_t nroutes;
	standin_handler not_found; /* any other method or path */
	/* The answer of an injected error of this status. */
	void (*fault_reply)(int status, const struct standin_req *r, struct standin_reply *rep,
	                    void *ctx);
	void *ctx; /* passed to the handlers */
	/* The path as the log shows it (personal data removed); NULL: as is. */
	void (*log_path)(const char *path, char *out, size_t outsz);
};

struct standin_config {
	int port; /* 0: a free port chosen by the system */
	struct faults faults;
};

/* Listens on 127.0.0.1, prints "listening on http://127.0.0.1:PORT" on
 * standard output once ready, serves until SIGTERM or SIGINT, then stops
 * (requests in progress are cut). 0, or CAS_EIO when it cannot listen. */
int standin_run(const struct standin_api *api, const struct standin_config *cfg);

#endif
