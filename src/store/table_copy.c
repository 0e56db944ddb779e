#include "store/table_copy.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/query.h"

#define PARAMS_PER_BATCH 1000 /* below SQLite's and PostgreSQL's limits */
#define MAX_BATCH        200
#define SQL_MAX          (1u << 20)
#define ROW_MAX          (256u << 20)

/* Names go into SQL text unquoted: only plain lowercase identifiers, which
 * both backends read the same way. */
static int plain_identifier(const char *s)
{
	if (!s || !*s || strlen(s) > 63 || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static char **names_of(json_t *rows, const char *key, const char *skip, int *n)
{
	char **out = xcalloc(json_array_size(rows) + 1, sizeof(*out));
	size_t i;
	json_t *row;
	*n = 0;
	json_array_foreach(rows, i, row)
	{
		const char *s = json_string_value(json_object_get(row, key));
		if (s && (!skip || strcmp(s, skip) != 0))
			out[(*n)++] = xstrdup(s);
	}
	return out;
}

static void free_names(char **names, int n)
{
	for (int i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static void put_list(struct buf *b, char **names, int n)
{
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", names[i]);
}

static char *insert_sql(const struct table_def *t, int rows)
{
	struct buf b;
	buf_init(&b, SQL_MAX);
	buf_printf(&b, "INSERT INTO %s (", t->name);
	put_list(&b, t->cols, t->ncols);
	buf_puts(&b, ") VALUES ");
	for (int r = 0; r < rows; r++) {
		buf_puts(&b, r ? ", (" : "(");
		for (int c = 0; c < t->ncols; c++)
			buf_puts(&b, c ? ", ?" : "?");
		buf_putc(&b, ')');
	}
	return buf_steal(&b);
}

static char *select_sql(const struct table_def *t, const char *order)
{
	struct buf b;
	buf_init(&b, SQL_MAX);
	buf_puts(&b, "SELECT ");
	put_list(&b, t->cols, t->ncols);
	buf_printf(&b, " FROM %s", t->name);
	if (order && *order)
		buf_printf(&b, " ORDER BY %s", order);
	return buf_steal(&b);
}

/* The primary key columns in key order, comma separated ("" without). */
static char *pk_order(json_t *cols)
{
	struct buf b;
	buf_init(&b, SQL_MAX);
	for (int64_t k = 1; k <= (int64_t)json_array_size(cols); k++) {
		size_t i;
		json_t *c;
		json_array_foreach(cols, i, c)
		{
			if (json_integer_value(json_object_get(c, "pk")) == k)
				buf_printf(&b, "%s%s", b.len ? ", " : "",
				           json_string_value(json_object_get(c, "name")));
		}
	}
	return buf_steal(&b);
}

/* Which columns are declared BLOB; 1 when any is. */
static int mark_blobs(struct table_def *t, json_t *cols)
{
	int any = 0;
	t->blob = xcalloc((size_t)t->ncols + 1, sizeof(*t->blob));
	for (int i = 0; i < t->ncols; i++) {
		const char *type =
		    json_string_value(json_object_get(json_array_get(cols, (size_t)i), "type"));
		t->blob[i] = type && strcasecmp(type, "BLOB") == 0;
		any |= t->blob[i];
	}
	return any;
}

static void build_sql(struct table_def *t, json_t *cols)
{
	char *order = pk_order(cols);
	t->batch = PARAMS_PER_BATCH / (t->ncols > 0 ? t->ncols : 1);
	t->batch = t->batch < 1 ? 1 : t->batch > MAX_BATCH ? MAX_BATCH : t->batch;
	if (mark_blobs(t, cols))
		t->batch = 1; /* a row may weigh megabytes (the pièces justificatives) */
	t->select_sql = select_sql(t, order);
	t->sum_sql = select_sql(t, NULL);
	struct buf b;
	buf_init(&b, SQL_MAX);
	buf_printf(&b, "SELECT count(*) FROM %s", t->name);
	t->count_sql = buf_steal(&b);
	t->insert1_sql = insert_sql(t, 1);
	t->insertn_sql = insert_sql(t, t->batch);
	free(order);
}

static int read_table(struct db *db, const char *name, struct table_def *t)
{
	t->name = xstrdup(name);
	json_t *cols =
	    q_rows(db, "SELECT name, pk, type FROM pragma_table_info(?) ORDER BY cid", "t", name);
	json_t *fks = q_rows(
	    db, "SELECT DISTINCT \"table\" AS parent FROM pragma_foreign_key_list(?)", "t", name);
	int rc = cols && fks ? 0 : CAS_EDB;
	if (rc == 0) {
		t->cols = names_of(cols, "name", NULL, &t->ncols);
		t->parents = names_of(fks, "parent", name, &t->nparents);
		for (int i = 0; i < t->ncols; i++)
			if (!plain_identifier(t->cols[i]))
				rc = CAS_EINVAL;
		if (t->ncols == 0)
			rc = CAS_EINVAL;
	}
	if (rc == CAS_EINVAL)
		log_msg(LOG_ERROR, "table %s: unexpected column names", name);
	if (rc == 0)
		build_sql(t, cols);
	json_decref(cols);
	json_decref(fks);
	return rc;
}

int table_set_read(struct db *db, struct table_set *out)
{
	memset(out, 0, sizeof(*out));
	json_t *names = q_rows(db,
	                       "SELECT name FROM sqlite_master WHERE type = 'table' "
	                       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
	                       "AND name <> 'schema_migrations' ORDER BY name",
	                       "");
	if (!names)
		return CAS_EDB;
	out->t = xcalloc(json_array_size(names) + 1, sizeof(*out->t));
	int rc = 0;
	size_t i;
	json_t *row;
	json_array_foreach(names, i, row)
	{
		const char *name = json_string_value(json_object_get(row, "name"));
		if (!plain_identifier(name)) {
			log_msg(LOG_ERROR, "unexpected table name in the schema");
			rc = CAS_EINVAL;
			break;
		}
		rc = read_table(db, name, &out->t[out->n++]);
		if (rc != 0)
			break;
	}
	json_decref(names);
	if (rc != 0)
		table_set_free(out);
	return rc;
}

void table_set_free(struct table_set *set)
{
	for (int i = 0; set->t && i < set->n; i++) {
		struct table_def *t = &set->t[i];
		free(t->name);
		free_names(t->cols, t->ncols);
		free_names(t->parents, t->nparents);
		free(t->blob);
		free(t->select_sql);
		free(t->sum_sql);
		free(t->count_sql);
		free(t->insert1_sql);
		free(t->insertn_sql);
	}
	free(set->t);
	memset(set, 0, sizeof(*set));
}

int table_count(struct db *db, const struct table_def *t, int64_t *rows)
{
	int rc = q_int(db, rows, t->count_sql, "");
	return rc == 1 ? 0 : rc < 0 ? rc : CAS_EDB;
}

/* --- copy --- */

static int bind_value(struct stmt *st, int i, json_t *v)
{
	char num[40];
	switch (json_typeof(v ? v : json_null())) {
	case JSON_INTEGER: return stmt_bind_int(st, i, json_integer_value(v));
	case JSON_STRING: return stmt_bind_text(st, i, json_string_value(v));
	case JSON_TRUE: return stmt_bind_int(st, i, 1);
	case JSON_FALSE: return stmt_bind_int(st, i, 0);
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		return stmt_bind_text(st, i, num);
	default: return stmt_bind_null(st, i);
	}
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A BLOB read as "\x0aff" (stmt_row_json), bound as its bytes. */
static int bind_blob_hex(struct stmt *st, int i, json_t *v)
{
	const char *s = json_string_value(v);
	if (!s)
		return stmt_bind_null(st, i);
	size_t len = strlen(s);
	if (len < 2 || s[0] != '\\' || s[1] != 'x' || len % 2)
		return CAS_EINVAL;
	size_t n = (len - 2) / 2;
	unsigned char *bytes = xmalloc(n + 1);
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < n; k++) {
		int h = hexval(s[2 + 2 * k]), l = hexval(s[3 + 2 * k]);
		if (h < 0 || l < 0)
			rc = CAS_EINVAL;
		bytes[k] = (unsigned char)(h << 4 | (l & 15));
	}
	if (rc == 0)
		rc = stmt_bind_blob(st, i, bytes, n);
	free(bytes);
	return rc;
}

/* rows[from .. from+count) through sql, which has count row tuples. */
static int insert_rows(struct db *dst, const char *sql, const struct table_def *t, json_t *rows,
                       size_t from, size_t count)
{
	struct stmt *st;
	int rc = db_prepare(dst, sql, &st), p = 1;
	if (rc != 0)
		return rc;
	for (size_t r = from; rc == 0 && r < from + count; r++) {
		json_t *row = json_array_get(rows, r);
		for (int c = 0; rc == 0 && c < t->ncols; c++)
			rc = t->blob[c] ? bind_blob_hex(st, p++, json_object_get(row, t->cols[c]))
			                : bind_value(st, p++, json_object_get(row, t->cols[c]));
	}
	if (rc == 0)
		rc = stmt_step(st);
	stmt_done(st);
	return rc > 0 ? 0 : rc;
}

static int flush(struct db *dst, const struct table_def *t, json_t *pending, int64_t *copied)
{
	size_t n = json_array_size(pending);
	int rc = 0;
	if ((int)n == t->batch)
		rc = insert_rows(dst, t->insertn_sql, t, pending, 0, n);
	else
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = insert_rows(dst, t->insert1_sql, t, pending, i, 1);
	if (rc == 0)
		*copied += (int64_t)n;
	json_array_clear(pending);
	return rc;
}

int table_copy(struct db *src, struct db *dst, const struct table_def *t, int64_t *copied)
{
	struct stmt *st;
	*copied = 0;
	int rc = db_prepare(src, t->select_sql, &st);
	if (rc != 0)
		return rc;
	json_t *pending = json_array();
	while ((rc = stmt_step(st)) == 1) {
		json_array_append_new(pending, stmt_row_json(st));
		if ((int)json_array_size(pending) == t->batch &&
		    (rc = flush(dst, t, pending, copied)))
			break;
	}
	stmt_done(st);
	if (rc == 0)
		rc = flush(dst, t, pending, copied);
	json_decref(pending);
	return rc;
}

/* --- checksum --- */

static void render_value(struct buf *b, json_t *v)
{
	char num[40];
	const char *s = NULL;
	switch (json_typeof(v ? v : json_null())) {
	case JSON_NULL: buf_putc(b, 'N'); return;
	case JSON_STRING: s = json_string_value(v); break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		s = num;
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE: s = "1"; break;
	case JSON_FALSE: s = "0"; break;
	default: s = ""; break;
	}
	size_t len = strlen(s);
	buf_printf(b, "V%zu:", len); /* length-prefixed: no separator can be forged */
	buf_append(b, s, len);
}

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, crypto_hash_sha256_BYTES);
}

int table_checksum(struct db *db, const struct table_def *t, int64_t *rows, char hex[65])
{
	struct stmt *st;
	int rc = db_prepare(db, t->sum_sql, &st);
	if (rc != 0)
		return rc;
	unsigned char *digests = NULL;
	size_t n = 0, cap = 0;
	struct buf line;
	buf_init(&line, ROW_MAX);
	while ((rc = stmt_step(st)) == 1) {
		json_t *row = stmt_row_json(st);
		buf_reset(&line);
		for (int c = 0; c < t->ncols; c++)
			render_value(&line, json_object_get(row, t->cols[c]));
		json_decref(row);
		if (line.err) {
			rc = line.err;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			digests = xrealloc(digests, cap * crypto_hash_sha256_BYTES);
		}
		crypto_hash_sha256(digests + n++ * crypto_hash_sha256_BYTES,
		                   (const unsigned char *)line.data, line.len);
	}
	stmt_done(st);
	buf_free(&line);
	if (rc == 0) {
		if (n > 0)
			qsort(digests, n, crypto_hash_sha256_BYTES, cmp_digest);
		sha256_hex(n ? (const void *)digests : "", n * crypto_hash_sha256_BYTES, hex);
		*rows = (int64_t)n;
	}
	free(digests);
	return rc;
}
