/* Database connection and prepared statements. SQL text uses '?' placeholders
 * and portable constructs; this is the only file that talks to the engine.
 * One connection per thread: never share a struct db between threads. */
#ifndef CAS_DB_H
#define CAS_DB_H
#include <jansson.h>
#include <stdint.h>

struct db;
struct stmt;

/* url: "sqlite:PATH" or a bare PATH. Applies pragmas (WAL, foreign keys,
 * busy timeout). *out freed with db_close. */
int db_open(const char *url, struct db **out);
void db_close(struct db *db);
const char *db_errmsg(struct db *db);

int db_exec(struct db *db, const char *sql); /* no parameters; may hold several statements */
int db_begin(struct db *db);                 /* BEGIN IMMEDIATE: writers queue up front */
int db_commit(struct db *db);
/* One consistent snapshot for the reads of a request (and one lock on the
 * WAL index instead of one per statement). db_begin ends it first, so a
 * write inside stays correct. */
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

/* 1 when a row is ready, 0 when done, negative on error. */
int stmt_step(struct stmt *st);
int stmt_columns(struct stmt *st);
const char *stmt_text(struct stmt *st, int col); /* NULL for SQL NULL; valid until next step */
int64_t stmt_int(struct stmt *st, int col);
int stmt_is_null(struct stmt *st, int col);
/* The current row as a new JSON object keyed by column name (caller decrefs). */
json_t *stmt_row_json(struct stmt *st);

#endif
