#include "store/commission_store.h"

#include <stdlib.h>

#include "base/err.h"
#include "store/db.h"
#include "store/dossier_cols.h"
#include "store/query.h"

/* ---- sessions ---- */

#define SESSION_COLS                                                                               \
	"SELECT c.id, c.date_seance, c.heure, c.lieu, c.membres, c.state, c.created_at, "          \
	"c.updated_at, c.closed_at, (SELECT count(*) FROM commission_items i WHERE i.tenant_id = " \
	"c.tenant_id AND i.commission_id = c.id) AS nb_items, (SELECT count(*) FROM "              \
	"commission_items i WHERE i.tenant_id = c.tenant_id AND i.commission_id = c.id AND "       \
	"i.decision IS NOT NULL) AS nb_decides, (SELECT count(*) FROM commission_minutes m WHERE " \
	"m.tenant_id = c.tenant_id AND m.commission_id = c.id) AS has_pv FROM commissions c "

int commission_store_insert(struct db *db, int64_t tenant_id, const struct commission_row *c,
                            int64_t created_by, int64_t now, int64_t *id)
{
	int rc =
	    q_int(db, id,
	          "INSERT INTO commissions (tenant_id, date_seance, heure, lieu, membres, state, "
	          "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'planifiee', "
	          "nullif(CAST(? AS BIGINT), 0), ?, ?) RETURNING id",
	          "ittttiii", tenant_id, c->date_seance, c->heure, c->lieu, c->membres, created_by,
	          now, now);
	return rc < 0 ? rc : 0;
}

int commission_store_update(struct db *db, int64_t tenant_id, int64_t id,
                            const struct commission_row *c, int64_t now)
{
	return q_exec(db,
	              "UPDATE commissions SET date_seance = ?, heure = ?, lieu = ?, membres = ?, "
	              "updated_at = ? WHERE tenant_id = ? AND id = ?",
	              "ttttiii", c->date_seance, c->heure, c->lieu, c->membres, now, tenant_id, id);
}

int commission_store_set_state(struct db *db, int64_t tenant_id, int64_t id, const char *from,
                               const char *to, int64_t now)
{
	int64_t n = 0;
	int rc = q_count(db, &n,
	                 "UPDATE commissions SET state = ?, updated_at = ?, closed_at = CASE WHEN "
	                 "CAST(? AS TEXT) = 'close' THEN CAST(? AS BIGINT) ELSE closed_at END "
	                 "WHERE tenant_id = ? AND id = ? AND state = ? RETURNING 1",
	                 "titiiit", to, now, to, now, tenant_id, id, from);
	if (rc != 0)
		return rc;
	return n == 1 ? 0 : CAS_ECONFLICT;
}

json_t *commission_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err, SESSION_COLS "WHERE c.tenant_id = ? AND c.id = ?", "ii", tenant_id,
	             id);
}

json_t *commission_store_list(struct db *db, int64_t tenant_id, int desc, int64_t offset, int limit)
{
	if (desc)
		return q_rows(db,
		              SESSION_COLS "WHERE c.tenant_id = ? ORDER BY c.date_seance DESC, "
		                           "c.id DESC LIMIT ? OFFSET ?",
		              "iii", tenant_id, (int64_t)limit, offset);
	return q_rows(db,
	              SESSION_COLS "WHERE c.tenant_id = ? ORDER BY c.date_seance, c.id "
	                           "LIMIT ? OFFSET ?",
	              "iii", tenant_id, (int64_t)limit, offset);
}

int commission_store_count(struct db *db, int64_t tenant_id, int64_t *n)
{
	int rc =
	    q_int(db, n, "SELECT count(*) FROM commissions WHERE tenant_id = ?", "i", tenant_id);
	return rc < 0 ? rc : 0;
}

/* ---- agenda ---- */

#define ITEM_COLS                                                                                  \
	"SELECT i.id, i.commission_id, i.dossier_id, i.ordre, i.a_rapporter, i.decision, "         \
	"i.montant, i.motif, i.vote, i.decided_at, i.decided_by_label, d.numero, d.state, "        \
	"a.label AS aide, a.urgence AS aide_urgence, " PNAME " AS demandeur, d.applicant_id, "     \
	"d.household_id, d.montant_demande, d.motif AS dossier_motif, d.proposition, "             \
	"d.montant_propose, d.appreciation, d.evaluation_id, d.instructed_by_label, "              \
	"d.decision AS dossier_decision, d.montant_accorde, d.motif_decision, "                    \
	"d.decided_by_label AS dossier_decided_by_label FROM commission_items i JOIN dossiers d "  \
	"ON d.id = i.dossier_id AND d.tenant_id = i.tenant_id JOIN persons p ON p.id = "           \
	"d.applicant_id AND p.tenant_id = d.tenant_id JOIN aid_types a ON a.id = d.aid_type_id "   \
	"AND a.tenant_id = d.tenant_id "

json_t *commission_store_items(struct db *db, int64_t tenant_id, int64_t commission_id)
{
	return q_rows(db,
	              ITEM_COLS "WHERE i.tenant_id = ? AND i.commission_id = ? ORDER BY i.ordre, "
	                        "i.id",
	              "ii", tenant_id, commission_id);
}

json_t *commission_store_item(struct db *db, int64_t tenant_id, int64_t commission_id,
                              int64_t item_id, int *err)
{
	return q_row(db, err,
	             ITEM_COLS "WHERE i.tenant_id = ? AND i.commission_id = ? AND i.id = ?", "iii",
	             tenant_id, commission_id, item_id);
}

int commission_store_item_insert(struct db *db, int64_t tenant_id, int64_t commission_id,
                                 int64_t dossier_id, int a_rapporter, int64_t now, int64_t *id)
{
	int64_t last = 0;
	int rc = q_int(db, &last,
	               "SELECT coalesce(max(ordre), 0) FROM commission_items WHERE tenant_id = ? "
	               "AND commission_id = ?",
	               "ii", tenant_id, commission_id);
	if (rc < 0)
		return rc;
	rc = q_int(db, id,
	           "INSERT INTO commission_items (tenant_id, commission_id, dossier_id, ordre, "
	           "a_rapporter, added_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	           "iiiiii", tenant_id, commission_id, dossier_id, last + 1,
	           (int64_t)(a_rapporter != 0), now);
	return rc < 0 ? rc : 0;
}

int commission_store_item_delete(struct db *db, int64_t tenant_id, int64_t commission_id,
                                 int64_t item_id)
{
	return q_exec(db,
	              "DELETE FROM commission_items WHERE tenant_id = ? AND commission_id = ? AND "
	              "id = ?",
	              "iii", tenant_id, commission_id, item_id);
}

int commission_store_item_decide(struct db *db, int64_t tenant_id, int64_t item_id,
                                 const struct commission_decision *d, int64_t now)
{
	int64_t n = 0;
	int rc =
	    q_count(db, &n,
	            "UPDATE commission_items SET decision = ?, montant = nullif(CAST(? AS "
	            "BIGINT), -1), motif = ?, vote = ?, decided_at = ?, decided_by = "
	            "nullif(CAST(? AS BIGINT), 0), decided_by_label = ? WHERE tenant_id = ? "
	            "AND id = ? AND decision IS NULL RETURNING 1",
	            "tittiitii", d->decision, d->montant < 0 ? (int64_t)-1 : d->montant, d->motif,
	            d->vote, now, d->decided_by, d->decided_by_label, tenant_id, item_id);
	if (rc != 0)
		return rc;
	return n == 1 ? 0 : CAS_ECONFLICT;
}

#define NOT_ON_OPEN_AGENDA                                                                         \
	"NOT EXISTS (SELECT 1 FROM commission_items i WHERE i.tenant_id = d.tenant_id AND "        \
	"i.dossier_id = d.id AND i.en_cours = 1) "

json_t *commission_store_candidates(struct db *db, int64_t tenant_id, int limit)
{
	return q_rows(db,
	              SELECT_COLS "WHERE d.tenant_id = ? AND (d.state IN ('instruit', "
	                          "'en_commission') OR d.a_rapporter = 1) AND " NOT_ON_OPEN_AGENDA
	                          "ORDER BY d.id LIMIT ?",
	              "ii", tenant_id, (int64_t)limit);
}

json_t *commission_store_open_item_of(struct db *db, int64_t tenant_id, int64_t dossier_id,
                                      int *err)
{
	return q_row(db, err,
	             "SELECT i.commission_id, i.id AS item_id, c.date_seance, c.state FROM "
	             "commission_items i JOIN commissions c ON c.id = i.commission_id AND "
	             "c.tenant_id = i.tenant_id WHERE i.tenant_id = ? AND i.dossier_id = ? AND "
	             "i.en_cours = 1",
	             "ii", tenant_id, dossier_id);
}

int commission_store_clear_reported(struct db *db, int64_t tenant_id, int64_t commission_id)
{
	int rc = q_exec(db,
	                "UPDATE commission_items SET en_cours = 0 WHERE tenant_id = ? AND "
	                "commission_id = ?",
	                "ii", tenant_id, commission_id);
	if (rc != 0)
		return rc;
	return q_exec(db,
	              "UPDATE dossiers SET a_rapporter = 0 WHERE tenant_id = ? AND a_rapporter = 1 "
	              "AND id IN (SELECT dossier_id FROM commission_items WHERE tenant_id = ? AND "
	              "commission_id = ? AND a_rapporter = 1)",
	              "iii", tenant_id, tenant_id, commission_id);
}

/* ---- what the anonymised agenda reads ---- */

json_t *commission_store_members(struct db *db, int64_t tenant_id, int64_t household_id)
{
	return q_rows(db,
	              "SELECT m.relation, m.date_sortie, p.date_naissance, p.nom_naissance, "
	              "p.nom_usage, p.prenom1, p.prenom2, p.prenom3, p.adresse, p.code_postal, "
	              "p.commune, p.telephone, p.email FROM household_members m JOIN persons p ON "
	              "p.id = m.person_id AND p.tenant_id = m.tenant_id WHERE m.tenant_id = ? AND "
	              "m.household_id = ? ORDER BY m.id",
	              "ii", tenant_id, household_id);
}

json_t *commission_store_totals(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	return q_row(
	    db, NULL,
	    "SELECT coalesce(sum(CASE WHEN kind = 'ressource' THEN montant ELSE 0 END), 0) "
	    "AS ressources, coalesce(sum(CASE WHEN kind = 'charge' THEN montant ELSE 0 "
	    "END), 0) AS charges, count(*) AS nb_lignes FROM dossier_lines WHERE "
	    "tenant_id = ? AND dossier_id = ?",
	    "ii", tenant_id, dossier_id);
}

json_t *commission_store_evaluation(struct db *db, int64_t tenant_id, int64_t evaluation_id,
                                    int *err)
{
	return q_row(db, err,
	             "SELECT inputs, result FROM evaluations WHERE tenant_id = ? AND id = ?", "ii",
	             tenant_id, evaluation_id);
}

/* ---- minutes ---- */

json_t *commission_store_letterhead(struct db *db, int64_t tenant_id, int *err)
{
	return q_row(
	    db, err,
	    "SELECT t.name, t.colour, coalesce(l.adresse, '') AS adresse, "
	    "coalesce(l.contact, '') AS contact FROM tenants t LEFT JOIN letter_settings l "
	    "ON l.tenant_id = t.id WHERE t.id = ?",
	    "i", tenant_id);
}

int commission_store_pv_insert(struct db *db, int64_t tenant_id, int64_t commission_id,
                               const struct commission_pv *pv)
{
	return q_exec(db,
	              "INSERT INTO commission_minutes (tenant_id, commission_id, pdf, pdf_size, "
	              "pdf_sha256, generated_at, generated_by_label) VALUES (?, ?, ?, ?, ?, ?, ?)",
	              "iibitit", tenant_id, commission_id, (const void *)pv->pdf, pv->size,
	              (int64_t)pv->size, pv->sha256, pv->generated_at, pv->generated_by_label);
}

int commission_store_pv(struct db *db, int64_t tenant_id, int64_t commission_id,
                        unsigned char **pdf, size_t *n)
{
	void *out = NULL;
	int rc =
	    q_blob(db, &out, n,
	           "SELECT pdf FROM commission_minutes WHERE tenant_id = ? AND commission_id = ?",
	           "ii", tenant_id, commission_id);
	if (rc != 1) {
		free(out);
		*pdf = NULL;
		return rc < 0 ? rc : CAS_ENOTFOUND;
	}
	*pdf = out;
	return 0;
}

json_t *commission_store_pv_info(struct db *db, int64_t tenant_id, int64_t commission_id, int *err)
{
	return q_row(db, err,
	             "SELECT pdf_size, pdf_sha256, generated_at, generated_by_label FROM "
	             "commission_minutes WHERE tenant_id = ? AND commission_id = ?",
	             "ii", tenant_id, commission_id);
}
