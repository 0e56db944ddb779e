#include "store/access_store.h"

#include <stdio.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/db.h"
#include "store/query.h"

#define ROW_VALUES                                                                                 \
	"(?, ?, nullif(CAST(? AS BIGINT), 0), nullif(CAST(? AS BIGINT), 0), ?, ?, ?, "             \
	"nullif(CAST(? AS BIGINT), 0), ?)"
#define INSERT_HEAD                                                                                \
	"INSERT INTO access_log (tenant_id, at, actor_id, api_key_id, actor_label, object_type, "  \
	"object_id, person_id, route) VALUES "

static int bind_row(struct stmt *st, int base, const struct access_row *r)
{
	int rc = stmt_bind_int(st, base + 1, r->tenant_id);
	rc = rc ? rc : stmt_bind_int(st, base + 2, r->at);
	rc = rc ? rc : stmt_bind_int(st, base + 3, r->actor_id);
	rc = rc ? rc : stmt_bind_int(st, base + 4, r->api_key_id);
	rc = rc ? rc : stmt_bind_text(st, base + 5, r->actor_label);
	rc = rc ? rc : stmt_bind_text(st, base + 6, r->object_type);
	rc = rc ? rc : stmt_bind_int(st, base + 7, r->object_id);
	rc = rc ? rc : stmt_bind_int(st, base + 8, r->person_id);
	return rc ? rc : stmt_bind_text(st, base + 9, r->route ? r->route : "");
}

/* One INSERT of k rows (k among a few sizes: one prepared text each). */
static int insert_chunk(struct db *db, const struct access_row *rows, int k)
{
	struct buf sql;
	buf_init(&sql, 64 * 1024);
	buf_puts(&sql, INSERT_HEAD);
	for (int i = 0; i < k; i++)
		buf_puts(&sql, i ? ", " ROW_VALUES : ROW_VALUES);
	struct stmt *st;
	int rc = sql.err ? sql.err : db_prepare(db, buf_cstr(&sql), &st);
	buf_free(&sql);
	if (rc != 0)
		return rc;
	for (int i = 0; rc == 0 && i < k; i++)
		rc = bind_row(st, i * 9, &rows[i]);
	if (rc == 0)
		rc = stmt_step(st);
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

int access_store_insert_many(struct db *db, const struct access_row *rows, size_t n)
{
	static const int sizes[] = {64, 16, 4, 1};
	size_t done = 0;
	while (done < n) {
		int k = 1;
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			if ((size_t)sizes[i] <= n - done) {
				k = sizes[i];
				break;
			}
		}
		int rc = insert_chunk(db, rows + done, k);
		if (rc != 0)
			return rc;
		done += (size_t)k;
	}
	return 0;
}

int64_t access_store_document_person(struct db *db, int64_t tenant_id, int64_t document_id)
{
	int64_t person = 0;
	int rc = q_int(db, &person,
	               "SELECT d.applicant_id FROM documents doc JOIN dossiers d ON d.id = "
	               "doc.dossier_id AND d.tenant_id = doc.tenant_id WHERE doc.id = ? AND "
	               "doc.tenant_id = ?",
	               "ii", document_id, tenant_id);
	return rc == 1 ? person : 0;
}

/* The filters, the same placeholders in every variant: a filter that is set
 * is a plain condition, so that its index serves. */
static void where_of(const struct access_filter *f, char *out, size_t size)
{
	snprintf(out, size,
	         "WHERE a.tenant_id = ? AND %s AND %s AND (CAST(? AS BIGINT) = 0 OR a.at >= ?) "
	         "AND (CAST(? AS BIGINT) = 0 OR a.at < ?) ",
	         f->person_id ? "CAST(? AS BIGINT) <> 0 AND a.person_id = ?"
	                      : "(CAST(? AS BIGINT) = 0 OR a.person_id = ?)",
	         f->actor_id ? "CAST(? AS BIGINT) <> 0 AND a.actor_id = ?"
	                     : "(CAST(? AS BIGINT) = 0 OR a.actor_id = ?)");
}

#define FILTER_TYPES "iiiiiiiii"
#define FILTER_ARGS(t, f)                                                                          \
	(t), (f)->person_id, (f)->person_id, (f)->actor_id, (f)->actor_id, (f)->from, (f)->from,   \
	    (f)->until, (f)->until

static int count_of(struct db *db, int64_t tenant_id, const struct access_filter *f,
                    const char *where, int64_t *total)
{
	char sql[768];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM access_log a %s", where);
	int rc = q_int(db, total, sql, FILTER_TYPES, FILTER_ARGS(tenant_id, f));
	return rc < 0 ? rc : 0;
}

json_t *access_store_search(struct db *db, int64_t tenant_id, const struct access_filter *f,
                            int64_t *total)
{
	char where[512], sql[1536];
	where_of(f, where, sizeof(where));
	if (total && count_of(db, tenant_id, f, where, total) != 0)
		return NULL;
	snprintf(sql, sizeof(sql),
	         "SELECT a.id, a.at, a.actor_id, a.api_key_id, a.actor_label, "
	         "u.display_name AS actor_name, a.object_type, a.object_id, a.person_id, "
	         "p.nom_naissance, p.nom_usage, p.prenom1, a.route FROM access_log a "
	         "LEFT JOIN persons p ON p.id = a.person_id AND p.tenant_id = a.tenant_id "
	         "LEFT JOIN users u ON u.id = a.actor_id AND u.tenant_id = a.tenant_id "
	         "%sORDER BY a.at %s, a.id %s LIMIT ? OFFSET ?",
	         where, f->asc ? "ASC" : "DESC", f->asc ? "ASC" : "DESC");
	return q_rows(db, sql, FILTER_TYPES "ii", FILTER_ARGS(tenant_id, f), (int64_t)f->limit,
	              f->offset);
}

json_t *access_store_agents(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT id, display_name, email FROM users WHERE tenant_id = ? "
	              "ORDER BY lower(display_name), id",
	              "i", tenant_id);
}

json_t *access_store_retentions(struct db *db)
{
	return q_rows(
	    db, "SELECT id, conservation_journal_acces AS months FROM tenants ORDER BY id", "");
}

int access_store_purge_batch(struct db *db, int64_t tenant_id, int64_t before, int batch,
                             int64_t *n)
{
	return q_count(db, n,
	               "DELETE FROM access_log WHERE id IN (SELECT id FROM access_log WHERE "
	               "tenant_id = ? AND at < ? ORDER BY at LIMIT ?) RETURNING 1",
	               "iii", tenant_id, before, (int64_t)batch);
}
