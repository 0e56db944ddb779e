/* The interface between the backend-neutral front (db.c) and one engine
 * (db_sqlite.c, db_pg.c). Private to src/store: callers use db.h.
 *
 * The front owns the connection object, the statement cache (by SQL text)
 * and the read snapshot flag; a backend only wraps its engine's handles,
 * passed as opaque pointers. */
#ifndef CAS_DB_BACKEND_H
#define CAS_DB_BACKEND_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db_ops {
	const char *name;         /* "sqlite", "postgresql" */
	const char *begin_sql;    /* a write transaction: writers queue up front */
	const char *read_sql;     /* one snapshot for the reads of a request */
	const char *commit_sql;   /* ends either */
	const char *rollback_sql; /* likewise */
	const char *lock_sql;     /* db_lock, one BIGINT parameter; NULL: nothing to do */

	/* url is the part the backend understands (a path for SQLite, the
	 * whole URL for PostgreSQL). */
	int (*open)(const char *url, void **conn);
	void (*close)(void *conn);
	const char *(*errmsg)(void *conn);
	int (*exec)(void *conn, const char *sql); /* several statements, no parameters */
	int (*in_transaction)(void *conn);

	/* sql is the front's '?' text; *st is owned by the front's cache
	 * and released with finalize. */
	int (*prepare)(void *conn, const char *sql, void **st);
	/* closing: the connection closes next, server-side cleanup is moot */
	void (*finalize)(void *conn, void *st, int closing);
	void (*reset)(void *st); /* ends the execution, clears the bindings */
	int (*bind_text)(void *st, int i, const char *s);
	int (*bind_int)(void *st, int i, int64_t v);
	int (*bind_null)(void *st, int i);
	/* n bytes at p, copied (p may be NULL when n is 0) */
	int (*bind_blob)(void *st, int i, const void *p, size_t n);
	int (*step)(void *st); /* 1 row, 0 done, negative cas_err */
	int (*columns)(void *st);
	const char *(*column_name)(void *st, int col);
	const char *(*text)(void *st, int col);
	int64_t (*int64)(void *st, int col);
	int (*is_null)(void *st, int col);
	/* The bytes of a binary column, valid until the next step or reset;
	 * NULL with *n 0 for SQL NULL or no bytes. */
	const void *(*blob)(void *st, int col, size_t *n);
	json_t *(*value_json)(void *st, int col); /* a new reference */
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
