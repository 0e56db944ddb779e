/* Database connection and prepared statements. SQL text uses '?' placeholders
 * and portable constructs, the same text on both engines: SQLite
 * (db_sqlite.c) and PostgreSQL through libpq (db_pg.c), the only files that
 * talk to an engine. One connection per thread: never share a struct db
 * between threads.
 *
 * On PostgreSQL: '?' becomes $1..$n once, when a text is first prepared
 * (a server-side prepared statement per connection); parameters travel as
 * text, so a parameter whose type the server cannot infer from its context
 * (`? IS NULL`, `? = 0` with a 64-bit value, `nullif(?, 0)`) is written
 * `CAST(? AS TEXT)` / `CAST(? AS BIGINT)`, which SQLite accepts as well.
 * Errors of SQLSTATE class 23 (constraints), 40001 (serialization failure)
 * and 40P01 (deadlock) are CAS_ECONFLICT, as SQLite's constraint errors:
 * the caller may retry the whole transaction. */
#ifndef CAS_DB_H
#define CAS_DB_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct stmt;

enum db_kind { DB_SQLITE, DB_POSTGRESQL };

/* url: "sqlite:PATH" or a bare PATH (SQLite: applies the pragmas WAL,
 * foreign keys, busy timeout), or "postgresql://..." / "postgres://..."
 * (a libpq connection URI; the database must be UTF8). *out freed with
 * db_close. */
int db_open(const char *url, struct db **out);
enum db_kind db_url_kind(const char *url);
enum db_kind db_kind(struct db *db);
void db_close(struct db *db);
const char *db_errmsg(struct db *db);

int db_exec(struct db *db, const char *sql); /* no parameters; may hold several statements */
/* SQLite: BEGIN IMMEDIATE, writers queue up front. PostgreSQL: BEGIN (read
 * committed): writers run side by side, a conflict is CAS_ECONFLICT. */
int db_begin(struct db *db);
int db_commit(struct db *db);
/* Inside a db_begin transaction: waits for, then holds until the
 * transaction ends, the lock named key, so that transactions taking the same
 * key run one after the other (a read-then-write such as numbering stays
 * free of conflicts). PostgreSQL: pg_advisory_xact_lock; SQLite: nothing to
 * do, BEGIN IMMEDIATE has serialized every writer already. Keys: see
 * DB_LOCK_* below. */
int db_lock(struct db *db, int64_t key);
/* 1 inside a db_begin transaction (not a db_read_begin snapshot), else 0. */
int db_in_transaction(struct db *db);
#define DB_LOCK_DOSSIER_NUMBERING(tenant_id) ((int64_t)0x4341530100000000LL + (tenant_id))
#define DB_LOCK_HOUSEHOLD(household_id)      ((int64_t)0x4341530200000000LL + (household_id))
/* payments of one dossier (their sum stays within the amount granted) and
 * the budget envelope of one aid type (concurrent decisions never overspend it) */
#define DB_LOCK_PAYMENTS(dossier_id) ((int64_t)0x4341531000000000LL + (dossier_id))
#define DB_LOCK_BUDGET(aid_type_id)  ((int64_t)0x4341531100000000LL + (aid_type_id))
/* the audit chain of one tenant (0: the platform's), store/audit_chain.h */
#define DB_LOCK_AUDIT(tenant_id) ((int64_t)0x4341531300000000LL + (tenant_id))
/* One consistent snapshot for the reads of a request (SQLite: BEGIN, one
 * lock on the WAL index instead of one per statement; PostgreSQL: BEGIN
 * ISOLATION LEVEL REPEATABLE READ, not read-only). db_begin ends it first,
 * so a write inside stays correct. */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);
void db_rollback(struct db *db);

/* Prepared statements are cached per connection by SQL text; stmt_done
 * resets one for reuse. Do not free them. */
int db_prepare(struct db *db, const char *sql, struct stmt **out);
void stmt_done(struct stmt *st);

/* Binding: index from 1. A NULL text binds SQL NULL. */
int stmt_bind_text(struct stmt *st, int i, const char *s);
int stmt_bind_int(struct stmt *st, int i, int64_t v);
int stmt_bind_null(struct stmt *st, int i);
/* n bytes at p into a binary column (BLOB on SQLite, BYTEA on PostgreSQL,
 * where it travels in binary format); the bytes are copied. */
int stmt_bind_blob(struct stmt *st, int i, const void *p, size_t n);

/* 1 when a row is ready, 0 when done, negative on error. */
int stmt_step(struct stmt *st);
int stmt_columns(struct stmt *st);
const char *stmt_text(struct stmt *st, int col); /* NULL for SQL NULL; valid until next step */
int64_t stmt_int(struct stmt *st, int col);
int stmt_is_null(struct stmt *st, int col);
/* The bytes of a binary column, valid until the next step; NULL with *n 0
 * for SQL NULL or no bytes. */
const void *stmt_blob(struct stmt *st, int col, size_t *n);
/* The current row as a new JSON object keyed by column name (caller
 * decrefs). The same JSON on both engines: integers (PostgreSQL int2, int4,
 * int8, and numeric without a fraction) are JSON integers, booleans 0 or 1,
 * NULL null, binary values (BLOB, BYTEA) PostgreSQL's hex text "\x0aff",
 * anything else a string. Name computed columns with AS: the
 * engines name them differently. stmt_int and stmt_text read a boolean as
 * 1 / "1" and 0 / "0" too. */
json_t *stmt_row_json(struct stmt *st);

#endif
