#include "store/db.h"
#include "store/query.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"

#define STMT_CACHE 96

struct stmt {
	sqlite3_stmt *s;
	const char *sql;
	struct db *db;
};

struct db {
	sqlite3 *h;
	struct stmt cache[STMT_CACHE];
	int ncache;
	int reading; /* inside db_read_begin: a deferred, read-only transaction */
};

static const char *sqlite_path(const char *url)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		return url + 7;
	return url;
}

/* Each connection belongs to one thread, so SQLite's own mutexes and its
 * global memory statistics (one more mutex on every allocation) are spared. */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

int db_open(const char *url, struct db **out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	struct db *db = xcalloc(1, sizeof(*db));
	int rc =
	    sqlite3_open_v2(sqlite_path(url), &db->h,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_msg(LOG_ERROR, "cannot open database: %s", sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return CAS_EDB;
	}
	sqlite3_busy_timeout(db->h, 5000);
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	                "PRAGMA synchronous=NORMAL;") != 0) {
		db_close(db);
		return CAS_EDB;
	}
	*out = db;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].s);
	sqlite3_close(db->h);
	free(db);
}

const char *db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_msg(LOG_ERROR, "sql: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return CAS_EDB;
	}
	return 0;
}

int db_begin(struct db *db)
{
	db_read_end(db); /* a write ends the read snapshot first */
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_read_begin(struct db *db)
{
	if (db->reading || !sqlite3_get_autocommit(db->h))
		return 0;
	int rc = q_exec(db, "BEGIN", ""); /* prepared once per connection */
	db->reading = rc == 0;
	return rc;
}

void db_read_end(struct db *db)
{
	if (!db->reading)
		return;
	db->reading = 0;
	if (!sqlite3_get_autocommit(db->h))
		q_exec(db, "COMMIT", "");
}

/* A failed COMMIT rolls back, so the connection never stays inside a
 * transaction (holding the write lock) after an error. */
int db_commit(struct db *db)
{
	int rc = db_exec(db, "COMMIT");
	if (rc != 0)
		db_rollback(db);
	return rc;
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		db_exec(db, "ROLLBACK");
}

int db_prepare(struct db *db, const char *sql, struct stmt **out)
{
	for (int i = 0; i < db->ncache; i++) {
		if (db->cache[i].sql == sql || strcmp(db->cache[i].sql, sql) == 0) {
			*out = &db->cache[i];
			return 0;
		}
	}
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) != SQLITE_OK) {
		log_msg(LOG_ERROR, "sql prepare: %s", sqlite3_errmsg(db->h));
		return CAS_EDB;
	}
	if (db->ncache == STMT_CACHE) { /* full: evict the oldest */
		sqlite3_finalize(db->cache[0].s);
		memmove(&db->cache[0], &db->cache[1], sizeof(db->cache[0]) * (STMT_CACHE - 1));
		db->ncache--;
	}
	struct stmt *st = &db->cache[db->ncache++];
	st->s = s;
	st->sql = sqlite3_sql(s);
	st->db = db;
	*out = st;
	return 0;
}

void stmt_done(struct stmt *st)
{
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
}

int stmt_bind_text(struct stmt *st, int i, const char *s)
{
	int rc =
	    s ? sqlite3_bind_text(st->s, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st->s, i);
	return rc == SQLITE_OK ? 0 : CAS_EDB;
}

int stmt_bind_int(struct stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st->s, i, v) == SQLITE_OK ? 0 : CAS_EDB;
}

int stmt_bind_null(struct stmt *st, int i)
{
	return sqlite3_bind_null(st->s, i) == SQLITE_OK ? 0 : CAS_EDB;
}

int stmt_step(struct stmt *st)
{
	int rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT) {
		log_msg(LOG_WARN, "sql constraint: %s", sqlite3_errmsg(st->db->h));
		return CAS_ECONFLICT;
	}
	log_msg(LOG_ERROR, "sql step: %s", sqlite3_errmsg(st->db->h));
	return CAS_EDB;
}

int stmt_columns(struct stmt *st)
{
	return sqlite3_column_count(st->s);
}

const char *stmt_text(struct stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->s, col);
}

int64_t stmt_int(struct stmt *st, int col)
{
	return sqlite3_column_int64(st->s, col);
}

int stmt_is_null(struct stmt *st, int col)
{
	return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

json_t *stmt_row_json(struct stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st->s);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st->s, i);
		json_t *v;
		switch (sqlite3_column_type(st->s, i)) {
		case SQLITE_NULL: v = json_null(); break;
		case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(st->s, i)); break;
		default: v = json_string((const char *)sqlite3_column_text(st->s, i)); break;
		}
		json_object_set_new(o, name, v ? v : json_null());
	}
	return o;
}
