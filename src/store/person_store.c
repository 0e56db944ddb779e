#include "store/person_store.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/query.h"

const char *const person_store_columns[] = {
    "nom_naissance",
    "nom_usage",
    "prenom1",
    "prenom2",
    "prenom3",
    "sexe",
    "date_naissance",
    "lieu_type",
    "commune_naissance",
    "pays_naissance",
    "nationalite",
    "telephone",
    "email",
    "adresse",
    "code_postal",
    "commune",
    "nom_fold",
    "nom_usage_fold",
    "prenom_fold",
    "nom_phon",
    "nom_usage_phon",
    NULL,
};

#define SELECT_COLS                                                                                \
	"SELECT id, nom_naissance, nom_usage, prenom1, prenom2, prenom3, sexe, date_naissance, "   \
	"lieu_type, commune_naissance, pays_naissance, nationalite, telephone, email, adresse, "   \
	"code_postal, commune, created_at, updated_at FROM persons"

/* The highest code point: any folded key starting with a prefix sorts below
 * prefix followed by it, so that a prefix is also an index range. */
#define MAX_CHAR "\xf4\x8f\xbf\xbf"

#define MAX_BINDS 128

/* A statement under construction: SQL text and its parameters. */
struct sqlb {
	struct buf sql;
	char types[MAX_BINDS];
	const char *text[MAX_BINDS];
	int64_t num[MAX_BINDS];
	char *owned[MAX_BINDS];
	int n, nowned;
	int err;
};

static void b_init(struct sqlb *b)
{
	memset(b, 0, sizeof(*b));
	buf_init(&b->sql, 16 * 1024);
}

static void b_free(struct sqlb *b)
{
	buf_free(&b->sql);
	for (int i = 0; i < b->nowned; i++)
		free(b->owned[i]);
}

static void b_text(struct sqlb *b, const char *s)
{
	if (b->n == MAX_BINDS) {
		b->err = CAS_ETOOBIG;
		return;
	}
	b->types[b->n] = 't';
	b->text[b->n++] = s;
}

static void b_int(struct sqlb *b, int64_t v)
{
	if (b->n == MAX_BINDS) {
		b->err = CAS_ETOOBIG;
		return;
	}
	b->types[b->n] = 'i';
	b->num[b->n++] = v;
}

/* Binds a string built here, freed with the builder. */
static void b_owned(struct sqlb *b, char *s)
{
	if (b->nowned == MAX_BINDS) {
		free(s);
		b->err = CAS_ETOOBIG;
		return;
	}
	b->owned[b->nowned++] = s;
	b_text(b, s);
}

static int b_prepare(struct db *db, struct sqlb *b, struct stmt **st)
{
	if (b->err || b->sql.err)
		return b->err ? b->err : b->sql.err;
	int rc = db_prepare(db, buf_cstr(&b->sql), st);
	for (int i = 0; rc == 0 && i < b->n; i++)
		rc = b->types[i] == 't' ? stmt_bind_text(*st, i + 1, b->text[i])
		                        : stmt_bind_int(*st, i + 1, b->num[i]);
	if (rc != 0 && *st)
		stmt_done(*st);
	return rc;
}

/* "pre%" with LIKE wildcards and the escape character escaped. */
static char *like_prefix(const char *prefix)
{
	size_t n = strlen(prefix);
	char *p = xmalloc(2 * n + 2);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (prefix[i] == '%' || prefix[i] == '_' || prefix[i] == '\\')
			p[o++] = '\\';
		p[o++] = prefix[i];
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

static char *range_end(const char *prefix)
{
	size_t n = strlen(prefix);
	char *p = xmalloc(n + sizeof(MAX_CHAR));
	memcpy(p, prefix, n);
	memcpy(p + n, MAX_CHAR, sizeof(MAX_CHAR));
	return p;
}

/* One indexable term: tenant_id = ? AND col starts with prefix. */
static void term_prefix(struct sqlb *b, int64_t tenant_id, const char *col, const char *prefix)
{
	buf_printf(&b->sql, "(tenant_id = ? AND %s >= ? AND %s < ? AND %s LIKE ? ESCAPE '\\'", col,
	           col, col);
	b_int(b, tenant_id);
	b_text(b, prefix);
	b_owned(b, range_end(prefix));
	b_owned(b, like_prefix(prefix));
}

static void term_equal(struct sqlb *b, int64_t tenant_id, const char *col, const char *v)
{
	buf_printf(&b->sql, "(tenant_id = ? AND %s = ?", col);
	b_int(b, tenant_id);
	b_text(b, v);
}

static void term_end(struct sqlb *b, const struct person_name_alt *a)
{
	if (a->prenom_prefix && *a->prenom_prefix) {
		buf_puts(&b->sql, " AND prenom_fold LIKE ? ESCAPE '\\'");
		b_owned(b, like_prefix(a->prenom_prefix));
	}
	buf_puts(&b->sql, ")");
}

/* The terms of one name alternative, OR-ed. */
static void where_alt(struct sqlb *b, int64_t tenant_id, const struct person_name_alt *a)
{
	term_prefix(b, tenant_id, "nom_fold", a->nom_prefix);
	term_end(b, a);
	buf_puts(&b->sql, " OR ");
	term_prefix(b, tenant_id, "nom_usage_fold", a->nom_prefix);
	term_end(b, a);
	if (!a->nom_phon || !*a->nom_phon)
		return;
	buf_puts(&b->sql, " OR ");
	term_equal(b, tenant_id, "nom_phon", a->nom_phon);
	term_end(b, a);
	buf_puts(&b->sql, " OR ");
	term_equal(b, tenant_id, "nom_usage_phon", a->nom_phon);
	term_end(b, a);
}

/* The filters are disjunctions of terms that each hold "tenant_id = ?", so
 * that SQLite answers them with one index range per term (its OR
 * optimisation) instead of scanning the tenant's persons. */
static void where_query(struct sqlb *b, int64_t tenant_id, const struct person_query *q)
{
	buf_puts(&b->sql, " WHERE ");
	if (q->nalts <= 0 && q->ndates <= 0) {
		buf_puts(&b->sql, "tenant_id = ?");
		b_int(b, tenant_id);
	}
	for (int i = 0; i < q->nalts && i < PERSON_QUERY_ALTS; i++) {
		buf_puts(&b->sql, i ? " OR " : "(");
		where_alt(b, tenant_id, &q->alts[i]);
	}
	if (q->nalts > 0)
		buf_puts(&b->sql, ")");
	for (int i = 0; i < q->ndates && i < PERSON_QUERY_DATES; i++) {
		buf_puts(&b->sql, i ? " OR " : q->nalts > 0 ? " AND (" : "(");
		buf_puts(&b->sql, "(tenant_id = ? AND date_naissance BETWEEN ? AND ?)");
		b_int(b, tenant_id);
		b_text(b, q->dates[i].lo);
		b_text(b, q->dates[i].hi);
	}
	if (q->ndates > 0)
		buf_puts(&b->sql, ")");
	if (q->after_id > 0) {
		buf_puts(&b->sql, " AND id > ?");
		b_int(b, q->after_id);
	}
}

static void order_by(struct sqlb *b, const struct person_query *q)
{
	const char *dir = q->desc ? " DESC" : "";
	switch (q->sort) {
	case PERSON_SORT_NOM:
		buf_printf(&b->sql, " ORDER BY nom_fold%s, prenom_fold%s, id%s", dir, dir, dir);
		break;
	case PERSON_SORT_NAISSANCE:
		buf_printf(&b->sql, " ORDER BY date_naissance%s, id%s", dir, dir);
		break;
	case PERSON_SORT_CREATION:
		buf_printf(&b->sql, " ORDER BY created_at%s, id%s", dir, dir);
		break;
	default: buf_printf(&b->sql, " ORDER BY id%s", dir); break;
	}
}

json_t *person_store_search(struct db *db, int64_t tenant_id, const struct person_query *q)
{
	struct sqlb b;
	struct stmt *st = NULL;
	b_init(&b);
	buf_puts(&b.sql, SELECT_COLS);
	where_query(&b, tenant_id, q);
	order_by(&b, q);
	buf_puts(&b.sql, " LIMIT ? OFFSET ?");
	b_int(&b, q->limit > 0 ? q->limit : 1);
	b_int(&b, q->offset > 0 ? q->offset : 0);
	int rc = b_prepare(db, &b, &st);
	json_t *rows = NULL;
	if (rc == 0) {
		rows = json_array();
		while ((rc = stmt_step(st)) == 1)
			json_array_append_new(rows, stmt_row_json(st));
		stmt_done(st);
		if (rc < 0) {
			json_decref(rows);
			rows = NULL;
		}
	}
	b_free(&b);
	return rows;
}

int person_store_count(struct db *db, int64_t tenant_id, const struct person_query *q, int64_t *n)
{
	struct sqlb b;
	struct stmt *st = NULL;
	b_init(&b);
	buf_puts(&b.sql, "SELECT count(*) FROM persons");
	where_query(&b, tenant_id, q);
	int rc = b_prepare(db, &b, &st);
	if (rc == 0) {
		rc = stmt_step(st);
		*n = rc == 1 ? stmt_int(st, 0) : 0;
		rc = rc < 0 ? rc : 0;
		stmt_done(st);
	}
	b_free(&b);
	return rc;
}

static void bind_cols(struct sqlb *b, json_t *cols)
{
	for (int i = 0; person_store_columns[i]; i++)
		b_text(b, json_string_value(json_object_get(cols, person_store_columns[i])));
}

/* Runs b, whose first result column is an id: 0, CAS_ENOTFOUND without a
 * row, or a negative error. */
static int run_returning_id(struct db *db, struct sqlb *b, int64_t *id)
{
	struct stmt *st = NULL;
	int rc = b_prepare(db, b, &st);
	if (rc != 0)
		return rc;
	rc = stmt_step(st);
	if (rc == 1 && id)
		*id = stmt_int(st, 0);
	if (rc == 1) /* finish the statement before reusing it */
		while ((rc = stmt_step(st)) == 1)
			;
	else if (rc == 0)
		rc = CAS_ENOTFOUND;
	stmt_done(st);
	return rc;
}

int person_store_insert(struct db *db, int64_t tenant_id, json_t *cols, int64_t now, int64_t *id)
{
	struct sqlb b;
	b_init(&b);
	buf_puts(&b.sql, "INSERT INTO persons (tenant_id");
	for (int i = 0; person_store_columns[i]; i++)
		buf_printf(&b.sql, ", %s", person_store_columns[i]);
	buf_puts(&b.sql, ", created_at, updated_at) VALUES (?");
	for (int i = 0; person_store_columns[i]; i++)
		buf_puts(&b.sql, ", ?");
	buf_puts(&b.sql, ", ?, ?) RETURNING id");
	b_int(&b, tenant_id);
	bind_cols(&b, cols);
	b_int(&b, now);
	b_int(&b, now);
	int rc = run_returning_id(db, &b, id);
	b_free(&b);
	return rc == CAS_ENOTFOUND ? CAS_EDB : rc;
}

int person_store_update(struct db *db, int64_t tenant_id, int64_t id, json_t *cols, int64_t now)
{
	struct sqlb b;
	b_init(&b);
	buf_puts(&b.sql, "UPDATE persons SET ");
	for (int i = 0; person_store_columns[i]; i++)
		buf_printf(&b.sql, "%s = ?, ", person_store_columns[i]);
	buf_puts(&b.sql, "updated_at = ? WHERE id = ? AND tenant_id = ? RETURNING id");
	bind_cols(&b, cols);
	b_int(&b, now);
	b_int(&b, id);
	b_int(&b, tenant_id);
	int rc = run_returning_id(db, &b, NULL);
	b_free(&b);
	return rc;
}

json_t *person_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err, SELECT_COLS " WHERE id = ? AND tenant_id = ?", "ii", id, tenant_id);
}
