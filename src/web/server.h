/* The HTTP server: libmicrohttpd with a thread pool, one database
 * connection per worker thread, graceful shutdown. */
#ifndef CAS_SERVER_H
#define CAS_SERVER_H

#define SERVER_API_RATE_DEFAULT 600

struct server_config {
	const char *db_url;
	const char *host; /* listen address, 127.0.0.1 by default */
	int port;
	int threads;        /* 0: one per core */
	int secure_cookies; /* behind a TLS reverse proxy */
	int test_mode;      /* honours CASSIS_NOW */
	int api_rate;       /* API requests a minute per key (all processes); 0: none */
};

extern struct server_config server_cfg;

/* Runs until SIGTERM or SIGINT; in-flight requests finish first. */
int server_run(void);

#endif
