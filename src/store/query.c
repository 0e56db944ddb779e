#include "store/query.h"

#include <stdarg.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "store/db.h"

static int bind_all(struct stmt *st, const char *types, va_list ap)
{
	for (int i = 0; types[i]; i++) {
		int rc;
		switch (types[i]) {
		case 't': rc = stmt_bind_text(st, i + 1, va_arg(ap, const char *)); break;
		case 'i': rc = stmt_bind_int(st, i + 1, va_arg(ap, int64_t)); break;
		case 'n': rc = stmt_bind_null(st, i + 1); break;
		case 'b': {
			const void *p = va_arg(ap, const void *);
			rc = stmt_bind_blob(st, i + 1, p, va_arg(ap, size_t));
			break;
		}
		default: rc = CAS_EINVAL; break;
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int start(struct db *db, struct stmt **st, const char *sql, const char *types, va_list ap)
{
	int rc = db_prepare(db, sql, st);
	if (rc != 0)
		return rc;
	rc = bind_all(*st, types, ap);
	if (rc != 0)
		stmt_done(*st);
	return rc;
}

/* Steps through every row; *n (may be NULL) gets how many there were. */
static int step_all(struct stmt *st, int64_t *n)
{
	int rc;
	int64_t count = 0;
	while ((rc = stmt_step(st)) == 1)
		count++;
	stmt_done(st);
	if (n)
		*n = count;
	return rc;
}

int q_exec(struct db *db, const char *sql, const char *types, ...)
{
	struct stmt *st;
	va_list ap;
	va_start(ap, types);
	int rc = start(db, &st, sql, types, ap);
	va_end(ap);
	return rc != 0 ? rc : step_all(st, NULL);
}

int q_int(struct db *db, int64_t *out, const char *sql, const char *types, ...)
{
	struct stmt *st;
	va_list ap;
	va_start(ap, types);
	int rc = start(db, &st, sql, types, ap);
	va_end(ap);
	if (rc != 0)
		return rc;
	rc = stmt_step(st);
	if (rc == 1)
		*out = stmt_int(st, 0);
	stmt_done(st);
	return rc;
}

int q_count(struct db *db, int64_t *n, const char *sql, const char *types, ...)
{
	struct stmt *st;
	va_list ap;
	va_start(ap, types);
	int rc = start(db, &st, sql, types, ap);
	va_end(ap);
	*n = 0;
	return rc != 0 ? rc : step_all(st, n);
}

json_t *q_row(struct db *db, int *err, const char *sql, const char *types, ...)
{
	struct stmt *st;
	va_list ap;
	va_start(ap, types);
	int rc = start(db, &st, sql, types, ap);
	va_end(ap);
	json_t *row = NULL;
	if (rc == 0) {
		rc = stmt_step(st);
		if (rc == 1) {
			row = stmt_row_json(st);
			rc = 0;
		} else if (rc == 0) {
			rc = CAS_ENOTFOUND;
		}
		stmt_done(st);
	}
	if (err)
		*err = rc;
	return row;
}

json_t *q_rows(struct db *db, const char *sql, const char *types, ...)
{
	struct stmt *st;
	va_list ap;
	va_start(ap, types);
	int rc = start(db, &st, sql, types, ap);
	va_end(ap);
	if (rc != 0)
		return NULL;
	json_t *rows = json_array();
	while ((rc = stmt_step(st)) == 1)
		json_array_append_new(rows, stmt_row_json(st));
	stmt_done(st);
	if (rc < 0) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}

int q_blob(struct db *db, void **out, size_t *len, const char *sql, const char *types, ...)
{
	struct stmt *st;
	va_list ap;
	va_start(ap, types);
	int rc = start(db, &st, sql, types, ap);
	va_end(ap);
	*out = NULL;
	*len = 0;
	if (rc != 0)
		return rc;
	rc = stmt_step(st);
	if (rc == 1) {
		size_t n;
		const void *p = stmt_blob(st, 0, &n);
		char *copy = xmalloc(n + 1);
		if (n)
			memcpy(copy, p, n);
		copy[n] = '\0';
		*out = copy;
		*len = n;
	}
	stmt_done(st);
	return rc;
}
