#include "standin/standin_server.h"

#include <microhttpd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/log.h"
#include "base/xalloc.h"

#define REPLY_BODY_MAX   (8 * 1024 * 1024)
#define REQUEST_BODY_MAX (64 * 1024)

struct server {
	const struct standin_api *api;
	const struct standin_config *cfg;
};

static atomic_int stopping;

/* ---- requests ---------------------------------------------------------- */

const char *standin_header(const struct standin_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

struct arg_search {
	const char *name;
	const char *value;
};

static enum MHD_Result last_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	struct arg_search *s = cls;
	if (strcmp(key, s->name) == 0)
		s->value = value ? value : "";
	return MHD_YES;
}

const char *standin_arg(const struct standin_req *r, const char *name)
{
	struct arg_search s = {name, NULL};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, last_arg, &s);
	return s.value;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	struct sp_params *out = cls;
	size_t n = strlen(key);
	if (n > 2 && strcmp(key + n - 2, "[]") == 0) {
		char *name = xstrndup(key, n - 2);
		sp_add_list(out, name, value);
		free(name);
	} else {
		sp_set(out, key, value);
	}
	return MHD_YES;
}

void standin_args(const struct standin_req *r, struct sp_params *out)
{
	sp_init(out);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_arg, out);
}

/* ---- replies ----------------------------------------------------------- */

void standin_reply_header(struct standin_reply *rep, const char *name, const char *value)
{
	if (rep->nheaders == STANDIN_MAX_HEADERS)
		return;
	struct standin_header *h = &rep->headers[rep->nheaders++];
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->value, sizeof(h->value), "%s", value);
}

void standin_reply_text(struct standin_reply *rep, int status, const char *text)
{
	rep->status = status;
	rep->content_type = "text/plain; charset=utf-8";
	rep->json = 0;
	buf_reset(&rep->body);
	buf_puts(&rep->body, text);
}

void standin_reply_json(struct standin_reply *rep, int status, const char *content_type, json_t *j)
{
	rep->status = status;
	rep->content_type = content_type;
	rep->json = 1;
	buf_reset(&rep->body);
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	buf_puts(&rep->body, s ? s : "null");
	json_free_text(s);
	json_decref(j);
}

/* ---- request ids ------------------------------------------------------- */

/* The caller's X-Request-Id when it is a sane one (as Rails keeps it),
 * else a new UUID v4. */
static void request_id(struct standin_req *r)
{
	const char *given = standin_header(r, "X-Request-Id");
	size_t n = given ? strlen(given) : 0;
	if (n > 0 && n < sizeof(r->request_id) &&
	    strspn(given, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_@") ==
	        n) {
		memcpy(r->request_id, given, n + 1);
		return;
	}
	uuid_v4(r->request_id);
}

/* ---- dispatch ---------------------------------------------------------- */

/* 1 when path matches pattern: equal segments, a "{name}" pattern segment
 * matching any one segment (possibly empty). */
static int path_matches(const char *pattern, const char *path)
{
	while (*pattern && *path) {
		size_t pn = strcspn(pattern, "/"), qn = strcspn(path, "/");
		int any = pn > 1 && pattern[0] == '{' && pattern[pn - 1] == '}';
		if (!any && (pn != qn || strncmp(pattern, path, pn) != 0))
			return 0;
		pattern += pn;
		path += qn;
		if (*pattern != *path)
			return 0;
		if (*pattern) {
			pattern++;
			path++;
		}
	}
	return *pattern == *path || (*pattern == '{' && strcspn(pattern, "/") == strlen(pattern));
}

static const struct standin_route *find_route(const struct standin_api *api, const char *method,
                                              const char *path)
{
	for (size_t i = 0; i < api->nroutes; i++)
		if (path_matches(api->routes[i].path, path) &&
		    strcmp(api->routes[i].method, method) == 0)
			return &api->routes[i];
	return NULL;
}

/* Sleeps ms milliseconds, or less when the server stops. */
static void delay(int ms)
{
	struct timespec step = {0, 20 * 1000 * 1000};
	for (int waited = 0; waited < ms && !atomic_load(&stopping); waited += 20)
		nanosleep(&step, NULL);
}

/* Runs the route with the faults of the configuration around it. Returns
 * the name of the injected fault, or NULL. */
static const char *run_route(const struct server *srv, const struct standin_route *route,
                             const struct standin_req *r, struct standin_reply *rep)
{
	const struct faults *f = &srv->cfg->faults;
	if (!route->faults) {
		route->handle(r, rep, srv->api->ctx);
		return NULL;
	}
	if (f->latency_ms > 0)
		delay(f->latency_ms);
	if (faults_draw(f->reset_pct)) {
		rep->reset = 1;
		return "reset";
	}
	int status = faults_draw_error(f);
	if (status) {
		srv->api->fault_reply(status, r, rep, srv->api->ctx);
		return "error";
	}
	route->handle(r, rep, srv->api->ctx);
	if (rep->json && rep->body.len > 0 && faults_draw(f->malformed_pct)) {
		rep->body.len = faults_cut_length(rep->body.len);
		rep->body.data[rep->body.len] = '\0';
		return "malformed";
	}
	return NULL;
}

/* Closes the connection at once, with a reset rather than a clean end. */
static enum MHD_Result reset_connection(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci) {
		struct linger lg = {1, 0};
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	return MHD_NO;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, const struct standin_req *r,
                                  struct standin_reply *rep)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(
	    rep->body.len, rep->body.data ? rep->body.data : (char *)"", MHD_RESPMEM_MUST_COPY);
	if (!res)
		return MHD_NO;
	if (rep->content_type)
		MHD_add_response_header(res, "Content-Type", rep->content_type);
	for (int i = 0; i < rep->nheaders; i++)
		MHD_add_response_header(res, rep->headers[i].name, rep->headers[i].value);
	MHD_add_response_header(res, "X-Request-Id", r->request_id);
	enum MHD_Result ok = MHD_queue_response(conn, (unsigned)rep->status, res);
	MHD_destroy_response(res);
	return ok;
}

static void log_request(const struct server *srv, const struct standin_req *r, int status,
                        const char *fault, int64_t started_ms)
{
	char shown[512];
	if (srv->api->log_path)
		srv->api->log_path(r->path, shown, sizeof(shown));
	json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I}", "api", srv->api->name, "request_id",
	                      r->request_id, "method", r->method, "path",
	                      srv->api->log_path ? shown : r->path, "status", status, "duration_ms",
	                      (json_int_t)(clock_real_ms() - started_ms));
	if (fault)
		json_object_set_new(f, "fault", json_string(fault));
	log_event(LOG_INFO, "request", f);
}

static enum MHD_Result handle(const struct server *srv, struct MHD_Connection *conn,
                              const char *url, const char *method, struct buf *body)
{
	int64_t started = clock_real_ms();
	struct standin_req r = {.conn = conn,
	                        .method = method,
	                        .path = url,
	                        .body = buf_cstr(body),
	                        .body_len = body->len};
	struct standin_reply rep;
	memset(&rep, 0, sizeof(rep));
	buf_init(&rep.body, REPLY_BODY_MAX);
	request_id(&r);
	const struct standin_route *route = find_route(srv->api, method, url);
	const char *fault = NULL;
	if (route)
		fault = run_route(srv, route, &r, &rep);
	else
		srv->api->not_found(&r, &rep, srv->api->ctx);
	int answer = !rep.reset && !atomic_load(&stopping) && rep.status != 0;
	enum MHD_Result ok = answer ? send_reply(conn, &r, &rep) : reset_connection(conn);
	log_request(srv, &r, answer ? rep.status : 0, fault, started);
	buf_free(&rep.body);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	struct buf *body = *con_cls;
	if (!body) {
		body = xmalloc(sizeof(*body));
		buf_init(body, REQUEST_BODY_MAX);
		*con_cls = body;
		return MHD_YES; /* answer on the next call, or keep-alive is lost */
	}
	if (*upload_size) {
		buf_append(body, upload_data, *upload_size); /* cut past the maximum */
		*upload_size = 0;
		return MHD_YES;
	}
	return handle(cls, conn, url, method, body);
}

/* Frees the request body kept between the calls of on_request. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct buf *body = *con_cls;
	if (body) {
		buf_free(body);
		free(body);
		*con_cls = NULL;
	}
}

/* ---- life cycle -------------------------------------------------------- */

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\r\n")] = '\0';
	log_event(LOG_WARN, "http", json_pack("{s:s}", "detail", msg));
}

static struct MHD_Daemon *start(struct server *srv)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
	                           .sin_port = htons((uint16_t)srv->cfg->port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	                            MHD_USE_ITC | MHD_USE_ERROR_LOG,
	                        0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
	                        NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	                        MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
	                        MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_END);
}

static void wait_for_signal(void)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigwait(&set, &sig);
}

int standin_run(const struct standin_api *api, const struct standin_config *cfg)
{
	struct server srv = {api, cfg};
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread inherits the mask */
	signal(SIGPIPE, SIG_IGN);
	atomic_store(&stopping, 0);
	struct MHD_Daemon *d = start(&srv);
	if (!d)
		return CAS_EIO;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	int port = info && info->port ? info->port : cfg->port;
	log_event(LOG_INFO, "listening", json_pack("{s:s, s:i}", "api", api->name, "port", port));
	printf("listening on http://127.0.0.1:%d\n", port);
	fflush(stdout);
	wait_for_signal();
	atomic_store(&stopping, 1);
	MHD_stop_daemon(d);
	log_event(LOG_INFO, "stopped", json_pack("{s:s}", "api", api->name));
	return 0;
}
