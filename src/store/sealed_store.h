/* Sealed columns (encryption at rest, base/seal.h) and the data keys of
 * the database (migration 014).
 *
 * A store that keeps a sealed value inserts its row first (without the
 * value), then writes the value sealed for "table.column:<row id>" with
 * sealed_put_text / sealed_put_blob, in the same transaction; it opens
 * what it reads with sealed_open_field / sealed_open_rows /
 * sealed_open_blob. A value written in clear before encryption existed is
 * read as it is (cassis keys rotate seals it). Every failure to seal or
 * open is logged (place, key id, reason; never the value) and returned as
 * CAS_EIO: a server error, never a value in clear, never garbage. */
#ifndef CAS_SEALED_STORE_H
#define CAS_SEALED_STORE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* A column holding sealed values. */
struct sealed_column {
	const char *table, *column;
	int binary;         /* BLOB / BYTEA, binary form; else TEXT, text form */
	const char *filter; /* further SQL condition on the rows, or NULL */
	const char *label;  /* French, for the reports of cassis keys rotate */
};

/* Every sealed column; the list ends with a NULL table. */
extern const struct sealed_column sealed_columns[];

/* Seals plain (NULL: writes SQL NULL) into table.column of the tenant's
 * row id. 0, CAS_EIO (cannot seal), or a database error. */
int sealed_put_text(struct db *db, const char *table, const char *column, int64_t tenant_id,
                    int64_t id, const char *plain);
int sealed_put_blob(struct db *db, const char *table, const char *column, int64_t tenant_id,
                    int64_t id, const void *p, size_t n);

/* Replaces row[field] (a string) by its opened value when it is sealed,
 * for table.column of row id. 0 or CAS_EIO. */
int sealed_open_field(json_t *row, const char *field, const char *table, const char *column,
                      int64_t id);
/* The same on every object of the array rows, each with its "id". */
int sealed_open_rows(json_t *rows, const char *field, const char *table, const char *column);
/* *p, *n: bytes read from table.column of row id (allocated with malloc);
 * when sealed, replaced by the opened bytes (the old buffer freed). 0 or
 * CAS_EIO (then *p is freed and NULL). */
int sealed_open_blob(const char *table, const char *column, int64_t id, void **p, size_t *n);

/* --- data keys (migration 014) --- */

/* [{key_id, state, created_at, retired_at}], oldest first. NULL on error. */
json_t *sealed_store_keys(struct db *db);
/* key_id becomes the 'actif' key (added when unknown); the previous
 * 'actif' one becomes 'ancien'. Inside the caller's transaction. */
int sealed_store_key_activate(struct db *db, const char *key_id, int64_t now);
/* Every 'ancien' key becomes 'retire'. */
int sealed_store_keys_retire(struct db *db, int64_t now);

/* --- rotation: scanning a sealed column --- */

/* The ids of every tenant, [{id}]. */
json_t *sealed_store_tenants(struct db *db);
/* Rows of the tenant with id > after_id and a value, by id, at most limit:
 * [{id, v}] (v the stored text) for a text column, [{id, h}] for a
 * binary one (h: its first 5 bytes as hex text "\x01aabbccdd"). */
json_t *sealed_store_batch(struct db *db, const struct sealed_column *c, int64_t tenant_id,
                           int64_t after_id, int limit);
/* The stored bytes of a binary column (caller frees): 1, 0 no row, or an
 * error. */
int sealed_store_blob(struct db *db, const struct sealed_column *c, int64_t tenant_id, int64_t id,
                      void **out, size_t *len);
/* Replaces the stored value old (oldn bytes; text columns: NUL-terminated,
 * oldn ignored) by new, only if it is still old: 1 replaced, 0 changed
 * meanwhile, or an error. */
int sealed_store_swap(struct db *db, const struct sealed_column *c, int64_t tenant_id, int64_t id,
                      const void *old, size_t oldn, const void *new_value, size_t newn);

#endif
