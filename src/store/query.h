/* Short forms over db.h for the usual shapes of query. Parameters are
 * described by a type string, one letter per '?' placeholder:
 *   't' const char * (NULL binds SQL NULL), 'i' int64_t, 'n' no argument, binds NULL,
 *   'b' two arguments, const void * and size_t: bytes for a binary column
 *       (BLOB / BYTEA), copied.
 * Pass int64_t values for 'i' (cast literals) and size_t for 'b'. */
#ifndef CAS_QUERY_H
#define CAS_QUERY_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* Runs a statement that returns no row. 0, or a negative cas_err
 * (CAS_ECONFLICT on a constraint violation). */
int q_exec(struct db *db, const char *sql, const char *types, ...);

/* Runs a statement whose first column of the first row is an integer
 * (SELECT count(*), INSERT ... RETURNING id). Returns 1 with *out set,
 * 0 when there is no row, negative on error. */
int q_int(struct db *db, int64_t *out, const char *sql, const char *types, ...);

/* Runs a statement and counts the rows it returns into *n: with
 * "DELETE ... RETURNING 1", the rows deleted (the same on both engines).
 * 0, or a negative cas_err. */
int q_count(struct db *db, int64_t *n, const char *sql, const char *types, ...);

/* The first row as a new JSON object, or NULL when there is none or on error
 * (*err, when not NULL, tells which). Caller decrefs. */
json_t *q_row(struct db *db, int *err, const char *sql, const char *types, ...);

/* All rows as a new JSON array of objects, NULL on error. Caller decrefs. */
json_t *q_rows(struct db *db, const char *sql, const char *types, ...);

/* The first column of the first row as bytes (a binary column): 1 with
 * *out a new buffer of *len bytes (caller frees; one byte more, a NUL, so
 * that it is never NULL), 0 when there is no row, negative on error. */
int q_blob(struct db *db, void **out, size_t *len, const char *sql, const char *types, ...);

#endif
