/* Whole tables, for `cassis migrate-data`: the tables of a SQLite database
 * read from its catalogue, rows copied in batches from one connection to
 * another, and a checksum that reads the same on SQLite and PostgreSQL. */
#ifndef CAS_TABLE_COPY_H
#define CAS_TABLE_COPY_H
#include <stdint.h>

struct db;

struct table_def {
	char *name;
	int ncols;
	char **cols; /* in declaration order */
	int *blob;   /* per column: 1 when declared BLOB (BYTEA on PostgreSQL) */
	int nparents;
	char **parents; /* tables it references by foreign key, itself excluded */
	int batch;      /* rows per multi-row INSERT; 1 for a table with a BLOB column */
	/* SQL texts */
	char *select_sql;  /* the rows in primary key order */
	char *sum_sql;     /* the rows in no order */
	char *count_sql;   /* SELECT count(*) */
	char *insert1_sql; /* one row */
	char *insertn_sql; /* batch rows */
};

struct table_set {
	struct table_def *t;
	int n;
};

/* The tables of the SQLite database behind db, schema_migrations and
 * SQLite's own excepted, in name order, read from sqlite_master and the
 * table_info and foreign_key_list pragmas: SQLite only. A table or column
 * name other than [a-z_][a-z0-9_]* is refused (CAS_EINVAL). 0 or a negative
 * cas_err. Free with table_set_free. */
int table_set_read(struct db *db, struct table_set *out);
void table_set_free(struct table_set *set);

/* The number of rows of t in db. */
int table_count(struct db *db, const struct table_def *t, int64_t *rows);

/* Inserts every row of t read from src into the same columns of dst, in
 * primary key order, batch rows per statement; ids are kept. Runs inside
 * the callers' transactions; BLOB columns are bound as bytes. *copied gets
 * the number of rows. */
int table_copy(struct db *src, struct db *dst, const struct table_def *t, int64_t *copied);

/* The rows of t in db and their checksum (lowercase hex): every row is
 * rendered canonically from stmt_row_json (each column in declaration
 * order, NULL apart, any other value as its text: an integer reads the
 * same whether the backend returns it as a number or as text; a BLOB as
 * its "\x" hex text on both engines), the SHA-256
 * of each rendering is taken, and the SHA-256 of these digests sorted
 * bytewise is the checksum. Independent of the row order and of collations,
 * so equal on both backends for equal contents. */
int table_checksum(struct db *db, const struct table_def *t, int64_t *rows, char hex[65]);

#endif
