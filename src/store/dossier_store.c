#include "store/dossier_store.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "store/db.h"
#include "store/dossier_cols.h"
#include "store/query.h"
#include "store/sealed_store.h"

#define FILTER                                                                                     \
	"WHERE d.tenant_id = ? AND (? = '' OR d.state = ?) "                                       \
	"AND (CAST(? AS BIGINT) = 0 OR d.aid_type_id = ?) "                                        \
	"AND (CAST(? AS BIGINT) = 0 OR d.household_id = ?) "

#define FILTER_TYPES "ittiiii"
#define FILTER_ARGS(t, f)                                                                          \
	(t), (f)->state ? (f)->state : "", (f)->state ? (f)->state : "", (f)->aid_type_id,         \
	    (f)->aid_type_id, (f)->household_id, (f)->household_id

#define STATE_RANK                                                                                 \
	"CASE d.state WHEN 'brouillon' THEN 0 WHEN 'depose' THEN 1 WHEN 'en_instruction' "         \
	"THEN 2 WHEN 'en_attente_pieces' THEN 3 WHEN 'instruit' THEN 4 WHEN 'en_commission' "      \
	"THEN 5 WHEN 'decide' THEN 6 WHEN 'notifie' THEN 7 WHEN 'paiement' THEN 8 ELSE 9 END"

int dossier_store_last_seq(struct db *db, int64_t tenant_id, int year, int64_t *seq)
{
	char pattern[16];
	snprintf(pattern, sizeof(pattern), "%04d-%%", year);
	/* one numbering at a time per tenant until the dossier is inserted */
	int rc = db_lock(db, DB_LOCK_DOSSIER_NUMBERING(tenant_id));
	if (rc != 0)
		return rc;
	rc = q_int(db, seq,
	           "SELECT coalesce(max(CAST(substr(numero, 6) AS BIGINT)), 0) FROM dossiers "
	           "WHERE tenant_id = ? AND numero LIKE ?",
	           "it", tenant_id, pattern);
	return rc < 0 ? rc : 0;
}

int dossier_store_insert(struct db *db, int64_t tenant_id, const struct dossier_row *d, int64_t now,
                         int64_t *id)
{
	int rc;
	if (d->created_by)
		rc = q_int(db, id,
		           "INSERT INTO dossiers (tenant_id, numero, household_id, applicant_id, "
		           "aid_type_id, motif, montant_demande, state, created_by, created_at, "
		           "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		           "itiiititiii", tenant_id, d->numero, d->household_id, d->applicant_id,
		           d->aid_type_id, d->motif, d->montant_demande, d->state, d->created_by,
		           now, now);
	else
		rc = q_int(db, id,
		           "INSERT INTO dossiers (tenant_id, numero, household_id, applicant_id, "
		           "aid_type_id, motif, montant_demande, state, created_by, created_at, "
		           "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) RETURNING id",
		           "itiiititii", tenant_id, d->numero, d->household_id, d->applicant_id,
		           d->aid_type_id, d->motif, d->montant_demande, d->state, now, now);
	return rc < 0 ? rc : 0;
}

json_t *dossier_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err, SELECT_COLS "WHERE d.tenant_id = ? AND d.id = ?", "ii", tenant_id,
	             id);
}

int dossier_store_touch(struct db *db, int64_t tenant_id, int64_t id, int64_t now)
{
	return q_exec(db, "UPDATE dossiers SET updated_at = ? WHERE tenant_id = ? AND id = ?",
	              "iii", now, tenant_id, id);
}

int dossier_store_update(struct db *db, int64_t tenant_id, int64_t id, const char *motif,
                         int64_t montant_demande, const char *state, int64_t now)
{
	return q_exec(
	    db,
	    "UPDATE dossiers SET motif = ?, montant_demande = ?, state = ?, updated_at = ? "
	    "WHERE tenant_id = ? AND id = ?",
	    "titiii", motif, montant_demande, state, now, tenant_id, id);
}

json_t *dossier_store_list(struct db *db, int64_t tenant_id, const struct dossier_filter *f,
                           enum dossier_sort sort, int desc, int64_t offset, int limit)
{
	static const char *const sql[3][2] = {
	    {SELECT_COLS FILTER "ORDER BY d.numero, d.id LIMIT ? OFFSET ?",
	     SELECT_COLS FILTER "ORDER BY d.numero DESC, d.id DESC LIMIT ? OFFSET ?"},
	    {SELECT_COLS FILTER "ORDER BY d.created_at, d.id LIMIT ? OFFSET ?",
	     SELECT_COLS FILTER "ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?"},
	    {SELECT_COLS FILTER "ORDER BY " STATE_RANK ", d.id LIMIT ? OFFSET ?",
	     SELECT_COLS FILTER "ORDER BY " STATE_RANK " DESC, d.id DESC LIMIT ? OFFSET ?"},
	};
	int s = sort == DSORT_DATE ? 1 : sort == DSORT_ETAT ? 2 : 0;
	return q_rows(db, sql[s][desc != 0], FILTER_TYPES "ii", FILTER_ARGS(tenant_id, f),
	              (int64_t)limit, offset);
}

int dossier_store_count(struct db *db, int64_t tenant_id, const struct dossier_filter *f,
                        int64_t *n)
{
	int rc = q_int(db, n, "SELECT count(*) FROM dossiers d " FILTER, FILTER_TYPES,
	               FILTER_ARGS(tenant_id, f));
	return rc < 0 ? rc : 0;
}

json_t *dossier_store_page(struct db *db, int64_t tenant_id, const struct dossier_filter *f,
                           int64_t after_id, int limit)
{
	return q_rows(db, SELECT_COLS FILTER "AND d.id > ? ORDER BY d.id LIMIT ?",
	              FILTER_TYPES "ii", FILTER_ARGS(tenant_id, f), after_id, (int64_t)limit);
}

int dossier_store_line_insert(struct db *db, int64_t tenant_id, int64_t dossier_id,
                              const char *kind, const char *category, const char *label,
                              int64_t montant, int64_t *id)
{
	int rc = q_int(db, id,
	               "INSERT INTO dossier_lines (tenant_id, dossier_id, kind, category, label, "
	               "montant) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	               "iittti", tenant_id, dossier_id, kind, category, label, montant);
	return rc < 0 ? rc : 0;
}

json_t *dossier_store_lines(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	return q_rows(db,
	              "SELECT id, kind, category, label, montant FROM dossier_lines "
	              "WHERE tenant_id = ? AND dossier_id = ? "
	              "ORDER BY CASE kind WHEN 'ressource' THEN 0 ELSE 1 END, id",
	              "ii", tenant_id, dossier_id);
}

int dossier_store_event_insert(struct db *db, int64_t tenant_id, int64_t dossier_id,
                               int64_t actor_id, const char *actor_label, const char *kind,
                               const char *detail, int64_t now)
{
	int64_t id = 0;
	int note = strcmp(kind, "note") == 0; /* notes are confidential: sealed at rest */
	int rc = q_int(
	    db, &id,
	    "INSERT INTO dossier_events (tenant_id, dossier_id, actor_id, actor_label, kind, "
	    "detail, created_at) VALUES (?, ?, nullif(CAST(? AS BIGINT), 0), ?, ?, ?, ?) "
	    "RETURNING id",
	    "iiittti", tenant_id, dossier_id, actor_id, actor_label, kind, note ? "" : detail, now);
	if (rc < 0)
		return rc;
	return note ? sealed_put_text(db, "dossier_events", "detail", tenant_id, id, detail) : 0;
}

json_t *dossier_store_events(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	json_t *rows = q_rows(db,
	                      "SELECT e.id, e.kind, e.detail, e.created_at, "
	                      "coalesce(u.display_name, e.actor_label) AS actor "
	                      "FROM dossier_events e LEFT JOIN users u ON u.id = e.actor_id "
	                      "WHERE e.tenant_id = ? AND e.dossier_id = ? ORDER BY e.id",
	                      "ii", tenant_id, dossier_id);
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e)
	{
		/* only notes are sealed: another event's text is never taken for one */
		if (strcmp(json_string_value(json_object_get(e, "kind")), "note") != 0)
			continue;
		if (sealed_open_field(e, "detail", "dossier_events", "detail",
		                      json_integer_value(json_object_get(e, "id"))) != 0) {
			json_decref(rows);
			return NULL;
		}
	}
	return rows;
}

json_t *dossier_store_count_by_state(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT state, count(*) AS n FROM dossiers WHERE tenant_id = ? "
	              "GROUP BY state ORDER BY state",
	              "i", tenant_id);
}

json_t *dossier_store_recent_by_user(struct db *db, int64_t tenant_id, int64_t user_id, int limit)
{
	return q_rows(db,
	              "SELECT d.id, d.numero, a.label AS aide, " PNAME " AS demandeur, d.state "
	              "FROM dossiers d JOIN aid_types a ON a.id = d.aid_type_id AND a.tenant_id = "
	              "d.tenant_id JOIN persons p ON p.id = d.applicant_id AND p.tenant_id = "
	              "d.tenant_id WHERE d.tenant_id = ? AND (d.created_by = ? OR EXISTS (SELECT 1 "
	              "FROM dossier_events e WHERE e.tenant_id = d.tenant_id AND e.dossier_id = "
	              "d.id AND e.actor_id = ?)) ORDER BY d.updated_at DESC, d.id DESC LIMIT ?",
	              "iiii", tenant_id, user_id, user_id, (int64_t)limit);
}
