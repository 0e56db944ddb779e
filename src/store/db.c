/* The backend-neutral front of db.h: picks the engine from the URL, caches
 * prepared statements by SQL text, keeps the read snapshot contract, and
 * forwards the rest to the backend (db_backend.h). */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "store/db_backend.h"

#define STMT_CACHE 96

struct stmt {
	void *s;       /* the backend's statement */
	char *sql;     /* the key: the caller's text, owned */
	uint64_t hash; /* of sql, checked before comparing */
	struct db *db;
};

struct db {
	const struct db_ops *ops;
	void *conn;
	struct stmt cache[STMT_CACHE];
	int ncache;
	int reading; /* inside db_read_begin */
};

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum db_kind db_url_kind(const char *url)
{
	if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://"))
		return DB_POSTGRESQL;
	return DB_SQLITE;
}

int db_open(const char *url, struct db **out)
{
	struct db *db = xcalloc(1, sizeof(*db));
	const char *target = url;
	if (db_url_kind(url) == DB_POSTGRESQL) {
		db->ops = &db_pg_ops;
	} else {
		db->ops = &db_sqlite_ops;
		if (has_prefix(url, "sqlite:"))
			target = url + 7;
	}
	int rc = db->ops->open(target, &db->conn);
	if (rc != 0) {
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

enum db_kind db_kind(struct db *db)
{
	return db->ops == &db_pg_ops ? DB_POSTGRESQL : DB_SQLITE;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < db->ncache; i++) {
		db->ops->finalize(db->conn, db->cache[i].s, 1);
		free(db->cache[i].sql);
	}
	db->ops->close(db->conn);
	free(db);
}

const char *db_errmsg(struct db *db)
{
	return db->ops->errmsg(db->conn);
}

int db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db->conn, sql);
}

int db_begin(struct db *db)
{
	db_read_end(db); /* a write ends the read snapshot first */
	return db->ops->exec(db->conn, db->ops->begin_sql);
}

/* Runs a cached statement without parameters or rows. */
static int run_cached(struct db *db, const char *sql)
{
	struct stmt *st;
	int rc = db_prepare(db, sql, &st);
	if (rc != 0)
		return rc;
	while ((rc = stmt_step(st)) == 1)
		;
	stmt_done(st);
	return rc;
}

int db_lock(struct db *db, int64_t key)
{
	if (!db->ops->lock_sql)
		return 0;
	struct stmt *st;
	int rc = db_prepare(db, db->ops->lock_sql, &st);
	if (rc != 0)
		return rc;
	rc = stmt_bind_int(st, 1, key);
	if (rc == 0)
		while ((rc = stmt_step(st)) == 1)
			;
	stmt_done(st);
	return rc;
}

int db_in_transaction(struct db *db)
{
	return !db->reading && db->ops->in_transaction(db->conn);
}

int db_read_begin(struct db *db)
{
	if (db->reading || db->ops->in_transaction(db->conn))
		return 0;
	int rc = run_cached(db, db->ops->read_sql); /* prepared once per connection */
	db->reading = rc == 0;
	return rc;
}

void db_read_end(struct db *db)
{
	if (!db->reading)
		return;
	db->reading = 0;
	if (db->ops->in_transaction(db->conn))
		run_cached(db, db->ops->commit_sql);
}

/* A failed COMMIT rolls back, so the connection never stays inside a
 * transaction (holding the write lock) after an error. */
int db_commit(struct db *db)
{
	int rc = db->ops->exec(db->conn, db->ops->commit_sql);
	if (rc != 0)
		db_rollback(db);
	return rc;
}

void db_rollback(struct db *db)
{
	if (db->ops->in_transaction(db->conn))
		db->ops->exec(db->conn, db->ops->rollback_sql);
}

/* FNV-1a: cheap, and spares a strcmp of long common prefixes. */
static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int db_prepare(struct db *db, const char *sql, struct stmt **out)
{
	uint64_t h = sql_hash(sql);
	for (int i = db->ncache - 1; i >= 0; i--) {
		if (db->cache[i].hash == h && strcmp(db->cache[i].sql, sql) == 0) {
			*out = &db->cache[i];
			return 0;
		}
	}
	void *s;
	int rc = db->ops->prepare(db->conn, sql, &s);
	if (rc != 0)
		return rc;
	if (db->ncache == STMT_CACHE) { /* full: evict the oldest */
		db->ops->finalize(db->conn, db->cache[0].s, 0);
		free(db->cache[0].sql);
		memmove(&db->cache[0], &db->cache[1], sizeof(db->cache[0]) * (STMT_CACHE - 1));
		db->ncache--;
	}
	struct stmt *st = &db->cache[db->ncache++];
	st->s = s;
	st->sql = xstrdup(sql);
	st->hash = h;
	st->db = db;
	*out = st;
	return 0;
}

void stmt_done(struct stmt *st)
{
	st->db->ops->reset(st->s);
}

int stmt_bind_text(struct stmt *st, int i, const char *s)
{
	return st->db->ops->bind_text(st->s, i, s);
}

int stmt_bind_int(struct stmt *st, int i, int64_t v)
{
	return st->db->ops->bind_int(st->s, i, v);
}

int stmt_bind_null(struct stmt *st, int i)
{
	return st->db->ops->bind_null(st->s, i);
}

int stmt_bind_blob(struct stmt *st, int i, const void *p, size_t n)
{
	return st->db->ops->bind_blob(st->s, i, p, n);
}

int stmt_step(struct stmt *st)
{
	return st->db->ops->step(st->s);
}

int stmt_columns(struct stmt *st)
{
	return st->db->ops->columns(st->s);
}

const char *stmt_text(struct stmt *st, int col)
{
	return st->db->ops->text(st->s, col);
}

int64_t stmt_int(struct stmt *st, int col)
{
	return st->db->ops->int64(st->s, col);
}

int stmt_is_null(struct stmt *st, int col)
{
	return st->db->ops->is_null(st->s, col);
}

const void *stmt_blob(struct stmt *st, int col, size_t *n)
{
	return st->db->ops->blob(st->s, col, n);
}

json_t *stmt_row_json(struct stmt *st)
{
	const struct db_ops *ops = st->db->ops;
	json_t *o = json_object();
	int n = ops->columns(st->s);
	for (int i = 0; i < n; i++) {
		json_t *v = ops->value_json(st->s, i);
		json_object_set_new(o, ops->column_name(st->s, i), v ? v : json_null());
	}
	return o;
}
