/* SQLite backend of db.h (see db_backend.h). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/db_backend.h"

/* Each connection belongs to one thread, so SQLite's own mutexes and its
 * global memory statistics (one more mutex on every allocation) are spared. */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

static int lite_exec(void *conn, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_msg(LOG_ERROR, "sql: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return CAS_EDB;
	}
	return 0;
}

static int lite_open(const char *path, void **conn)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(
	    path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_msg(LOG_ERROR, "cannot open database: %s", sqlite3_errstr(rc));
		sqlite3_close(h);
		return CAS_EDB;
	}
	sqlite3_busy_timeout(h, 5000);
	if (lite_exec(h, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	                 "PRAGMA synchronous=NORMAL;") != 0) {
		sqlite3_close(h);
		return CAS_EDB;
	}
	*conn = h;
	return 0;
}

static void lite_close(void *conn)
{
	sqlite3_close(conn);
}

static const char *lite_errmsg(void *conn)
{
	return sqlite3_errmsg(conn);
}

static int lite_in_transaction(void *conn)
{
	return !sqlite3_get_autocommit(conn);
}

static int lite_prepare(void *conn, const char *sql, void **st)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(conn, sql, -1, &s, NULL) != SQLITE_OK) {
		log_msg(LOG_ERROR, "sql prepare: %s", sqlite3_errmsg(conn));
		return CAS_EDB;
	}
	*st = s;
	return 0;
}

static void lite_finalize(void *conn, void *st, int closing)
{
	sqlite3_finalize(st);
}

static void lite_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int lite_bind_text(void *st, int i, const char *s)
{
	int rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
	return rc == SQLITE_OK ? 0 : CAS_EDB;
}

static int lite_bind_int(void *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st, i, v) == SQLITE_OK ? 0 : CAS_EDB;
}

static int lite_bind_null(void *st, int i)
{
	return sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : CAS_EDB;
}

static int lite_bind_blob(void *st, int i, const void *p, size_t n)
{
	if (n > (size_t)INT32_MAX)
		return CAS_ETOOBIG;
	/* a zero-length blob, not NULL, even when p is NULL */
	int rc = sqlite3_bind_blob(st, i, n ? p : "", (int)n, SQLITE_TRANSIENT);
	return rc == SQLITE_OK ? 0 : CAS_EDB;
}

static int lite_step(void *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	sqlite3 *h = sqlite3_db_handle(st);
	if (rc == SQLITE_CONSTRAINT) {
		log_msg(LOG_WARN, "sql constraint: %s", sqlite3_errmsg(h));
		return CAS_ECONFLICT;
	}
	log_msg(LOG_ERROR, "sql step: %s", sqlite3_errmsg(h));
	return CAS_EDB;
}

static int lite_columns(void *st)
{
	return sqlite3_column_count(st);
}

static const char *lite_column_name(void *st, int col)
{
	return sqlite3_column_name(st, col);
}

static const char *lite_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static int64_t lite_int64(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static int lite_is_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static const void *lite_blob(void *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st, col); /* before the size: it may convert */
	int len = sqlite3_column_bytes(st, col);
	*n = p && len > 0 ? (size_t)len : 0;
	return *n ? p : NULL;
}

/* A blob as PostgreSQL prints a bytea: "\x" and lowercase hex digits, so
 * that rows read the same on both engines (and copy from one to the other). */
static json_t *blob_hex(void *st, int col)
{
	static const char digits[] = "0123456789abcdef";
	size_t n;
	const unsigned char *p = lite_blob(st, col, &n);
	char *hex = xmalloc(2 * n + 3);
	hex[0] = '\\';
	hex[1] = 'x';
	for (size_t i = 0; i < n; i++) {
		hex[2 + 2 * i] = digits[p[i] >> 4];
		hex[3 + 2 * i] = digits[p[i] & 15];
	}
	json_t *v = json_stringn(hex, 2 * n + 2);
	free(hex);
	return v;
}

static json_t *lite_value_json(void *st, int col)
{
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL: return json_null();
	case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(st, col));
	case SQLITE_BLOB: return blob_hex(st, col);
	default: return json_string((const char *)sqlite3_column_text(st, col));
	}
}

const struct db_ops db_sqlite_ops = {
    .name = "sqlite",
    .begin_sql = "BEGIN IMMEDIATE",
    .read_sql = "BEGIN",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .lock_sql = NULL, /* BEGIN IMMEDIATE has serialized the writers already */
    .open = lite_open,
    .close = lite_close,
    .errmsg = lite_errmsg,
    .exec = lite_exec,
    .in_transaction = lite_in_transaction,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .reset = lite_reset,
    .bind_text = lite_bind_text,
    .bind_int = lite_bind_int,
    .bind_null = lite_bind_null,
    .bind_blob = lite_bind_blob,
    .step = lite_step,
    .columns = lite_columns,
    .column_name = lite_column_name,
    .text = lite_text,
    .int64 = lite_int64,
    .is_null = lite_is_null,
    .blob = lite_blob,
    .value_json = lite_value_json,
};
