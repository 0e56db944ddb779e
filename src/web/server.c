#include "web/server.h"

#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "web/dispatch.h"
#include "web/req.h"
#include "web/reply.h"
#include "web/upload.h"

struct server_config server_cfg = {.host = "127.0.0.1",
                                   .port = 8080,
                                   .api_rate = SERVER_API_RATE_DEFAULT,
                                   .upload_max = SERVER_UPLOAD_MAX_DEFAULT};

/* Every worker connection, closed once the daemon has stopped. */
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *dbs[256];
static int ndbs;
static _Thread_local struct db *thread_db;
static atomic_int in_flight;
static atomic_ulong next_id;

static struct db *worker_db(void)
{
	if (thread_db)
		return thread_db;
	if (db_open(server_cfg.db_url, &thread_db) != 0)
		return NULL;
	pthread_mutex_lock(&dbs_lock);
	if (ndbs < (int)(sizeof(dbs) / sizeof(dbs[0])))
		dbs[ndbs++] = thread_db;
	pthread_mutex_unlock(&dbs_lock);
	return thread_db;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct req *req_new(struct MHD_Connection *conn, const char *method, const char *url)
{
	struct req *r = xcalloc(1, sizeof(*r));
	r->conn = conn;
	r->arena = arena_new();
	r->method = arena_strdup(r->arena, method);
	r->path = arena_strdup(r->arena, url);
	r->started_us = now_us();
	unsigned long n = atomic_fetch_add(&next_id, 1);
	snprintf(r->id, sizeof(r->id), "%08lx%08x", n & 0xffffffffUL,
	         (unsigned)(r->started_us & 0xffffffff));
	buf_init(&r->body, REQ_BODY_MAX);
	atomic_fetch_add(&in_flight, 1);
	return r;
}

/* The Content-Length announced, 0 when absent. */
static unsigned long long announced_length(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	return cl ? strtoull(cl, NULL, 10) : 0;
}

/* A body too big is read and dropped up to this size before the 413 goes out:
 * answering while the client still sends makes the kernel reset the
 * connection, and the client sees an error instead of the 413. Clients that
 * wait for "100 Continue", and bodies announced bigger than this, get the
 * 413 at once. */
#define REQ_DISCARD_MAX (16 * 1024 * 1024)

/* An upload route reads and drops more: a file a little too big still gets
 * its answer (the form and the message) rather than a reset connection. */
static size_t discard_max(const struct req *r)
{
	size_t up = 4 * server_cfg.upload_max;
	return r->upload && up > REQ_DISCARD_MAX ? up : REQ_DISCARD_MAX;
}

static int expects_continue(struct MHD_Connection *conn)
{
	const char *e = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
	return e && strcasecmp(e, "100-continue") == 0;
}

/* Takes one piece of the body; 1 while more is wanted before answering. */
static int take_upload(struct req *r, const char *data, size_t size)
{
	if (!r->body_too_big &&
	    (r->upload ? upload_feed(r, data, size) : buf_append(&r->body, data, size)) != 0)
		r->body_too_big = 1;
	if (r->body_too_big)
		r->body_discarded += size;
	return !r->replied && r->body_discarded <= discard_max(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	if (!r) {
		*con_cls = r = req_new(conn, method, url);
		unsigned long long len = announced_length(conn);
		if (len <= upload_begin(r))
			return MHD_YES; /* answer on a later call, or keep-alive is lost */
		r->body_too_big = 1;
		if (len <= discard_max(r) && !expects_continue(conn))
			return MHD_YES; /* read and drop the body, then answer 413 */
	}
	if (*upload_size) {
		int more = take_upload(r, upload_data, *upload_size);
		*upload_size = 0;
		if (more || r->replied)
			return MHD_YES;
	}
	if (r->replied)
		return MHD_YES;
	r->db = worker_db();
	json_alloc_use_arena(r->arena);
	dispatch(r);
	json_alloc_use_arena(NULL);
	return r->replied ? MHD_YES : MHD_NO;
}

/* Why a request ended before its response was sent, or NULL. */
static const char *abort_reason(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK: return NULL;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED: return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN: return "shutdown";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT: return "client";
	default: return "error";
	}
}

/* status is 0 when the request ended before a response was queued; then
 * "aborted" says why. */
static void log_request(struct req *r, enum MHD_RequestTerminationCode toe)
{
	json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:f}", "request_id", r->id, "method", r->method,
	                      "route", r->route_label ? r->route_label : "-", "status", r->status,
	                      "duration_ms", (now_us() - r->started_us) / 1000.0);
	const char *why = abort_reason(toe);
	if (why)
		json_object_set_new(f, "aborted", json_string(why));
	log_event(r->status >= 500 ? LOG_ERROR : LOG_INFO, "request", f);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;
	if (!r)
		return;
	log_request(r, toe);
	json_decref(r->form);
	json_decref(r->json);
	upload_free(r);
	buf_free(&r->body);
	arena_free(r->arena);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

/* libmicrohttpd's own messages (malformed requests, socket errors) become
 * log lines like the others instead of free text on stderr. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\r\n")] = '\0';
	log_event(LOG_WARN, "http", json_pack("{s:s}", "detail", msg));
}

static struct MHD_Daemon *start_daemon(void)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(server_cfg.port)};
	if (inet_pton(AF_INET, server_cfg.host, &addr.sin_addr) != 1) {
		log_msg(LOG_ERROR, "invalid listen address");
		return NULL;
	}
	/* Default: four workers per core. A worker waits on the network and on
	 * SQLite's file locks; on 2 cores, 8 workers served 35k fiche pages/s
	 * against 25k for 2 (bench/run). */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = server_cfg.threads > 0
	                       ? (unsigned)server_cfg.threads
	                       : (unsigned)(cores > 0 && cores < 16 ? 4 * cores : 64);
	return MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_TURBO |
	        MHD_USE_ERROR_LOG,
	    0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, &addr,
	    MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1u, MHD_OPTION_EXTERNAL_LOGGER,
	    mhd_log, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_END);
}

static void wait_for_signal(void)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigwait(&set, &sig);
	log_msg(LOG_INFO, "signal %d: stopping, waiting for requests in progress", sig);
}

static void drain_and_stop(struct MHD_Daemon *d)
{
	MHD_quiesce_daemon(d); /* no new connections; those in progress go on */
	for (int i = 0; i < 300 && atomic_load(&in_flight) > 0; i++)
		usleep(100 * 1000);
	MHD_stop_daemon(d);
	for (int i = 0; i < ndbs; i++)
		db_close(dbs[i]);
	ndbs = 0;
}

int server_run(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit the mask */
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = start_daemon();
	if (!d) {
		log_msg(LOG_ERROR, "cannot listen on %s:%d", server_cfg.host, server_cfg.port);
		return CAS_EIO;
	}
	log_event(LOG_INFO, "listening",
	          json_pack("{s:s, s:i}", "host", server_cfg.host, "port", server_cfg.port));
	wait_for_signal();
	drain_and_stop(d);
	log_msg(LOG_INFO, "stopped");
	return 0;
}
