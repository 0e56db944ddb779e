/* The HTTP server: libmicrohttpd with a thread pool, one database
 * connection per worker thread, graceful shutdown. */
#ifndef CAS_SERVER_H
#define CAS_SERVER_H
#include <stddef.h>

#define SERVER_API_RATE_DEFAULT   600
#define SERVER_UPLOAD_MAX_DEFAULT ((size_t)10 * 1024 * 1024) /* a pièce justificative */

struct server_config {
	const char *db_url;
	const char *host; /* listen address, 127.0.0.1 by default */
	int port;
	int threads;        /* 0: one per core */
	int secure_cookies; /* behind a TLS reverse proxy */
	int test_mode;      /* honours CASSIS_NOW */
	int api_rate;       /* API requests a minute per key (all processes); 0: none */
	size_t upload_max;  /* bytes of an uploaded file (web/upload.h) */
};

extern struct server_config server_cfg;

/* Runs until SIGTERM or SIGINT; in-flight requests finish first. */
int server_run(void);

#endif
