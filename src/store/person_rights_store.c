#include "store/person_rights_store.h"

#include <string.h>

#include "base/err.h"
#include "store/db.h"
#include "store/query.h"
#include "store/sealed_store.h"

/* Opens, in rows read from table, every column of that table that is
 * sealed at rest (sealed_columns), so that a column sealed later is still
 * exported in clear. NULL (rows released) when a value does not open. */
static json_t *opened(json_t *rows, const char *table)
{
	for (const struct sealed_column *c = sealed_columns; rows && c->table; c++) {
		if (c->binary || strcmp(c->table, table) != 0)
			continue;
		if (sealed_open_rows(rows, c->column, c->table, c->column) != 0) {
			json_decref(rows);
			return NULL;
		}
	}
	return rows;
}

json_t *prs_dossiers(struct db *db, int64_t tenant_id, int64_t person_id)
{
	return q_rows(db,
	              "SELECT d.id, d.numero, d.state, d.state_since, d.applicant_id, "
	              "d.household_id, d.aid_type_id, d.created_at, d.decision, "
	              "CASE WHEN EXISTS (SELECT 1 FROM consultations c WHERE c.tenant_id = "
	              "d.tenant_id AND c.dossier_id = d.id AND c.person_id = ?) THEN 1 ELSE 0 END "
	              "AS consulted FROM dossiers d WHERE d.tenant_id = ? AND (d.applicant_id = ? "
	              "OR d.household_id IN (SELECT m.household_id FROM household_members m WHERE "
	              "m.tenant_id = ? AND m.person_id = ?) OR d.id IN (SELECT c.dossier_id FROM "
	              "consultations c WHERE c.tenant_id = ? AND c.person_id = ?)) ORDER BY d.id",
	              "iiiiiii", person_id, tenant_id, person_id, tenant_id, person_id, tenant_id,
	              person_id);
}

json_t *prs_evaluations(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	json_t *rows =
	    q_rows(db,
	           "SELECT e.id, e.rule_version_id, r.numero AS version_numero, "
	           "e.date_reference, e.inputs, e.result, e.issue, e.montant_centimes, "
	           "e.created_by_label, e.created_at FROM evaluations e LEFT JOIN "
	           "rule_versions r ON r.id = e.rule_version_id AND r.tenant_id = "
	           "e.tenant_id WHERE e.tenant_id = ? AND e.dossier_id = ? ORDER BY e.id",
	           "ii", tenant_id, dossier_id);
	return opened(rows, "evaluations");
}

json_t *prs_commission_items(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	json_t *rows =
	    q_rows(db,
	           "SELECT i.id, i.commission_id, c.date_seance, c.lieu, i.ordre, "
	           "i.a_rapporter, i.decision, i.montant, i.motif, i.vote, i.decided_at, "
	           "i.decided_by_label FROM commission_items i JOIN commissions c ON "
	           "c.id = i.commission_id AND c.tenant_id = i.tenant_id WHERE "
	           "i.tenant_id = ? AND i.dossier_id = ? ORDER BY c.date_seance, i.id",
	           "ii", tenant_id, dossier_id);
	return opened(rows, "commission_items");
}

/* The dossiers the person applied for (two parameters: tenant, person). */
#define OWN "SELECT id FROM dossiers WHERE tenant_id = ? AND applicant_id = ?"
/* The rows of table belonging to those dossiers (three parameters). */
#define OF_OWN(table) "SELECT id FROM " table " WHERE tenant_id = ? AND dossier_id IN (" OWN ")"

json_t *prs_audit(struct db *db, int64_t tenant_id, int64_t person_id)
{
	int64_t t = tenant_id, p = person_id;
	json_t *rows = q_rows(
	    db,
	    "SELECT id, at, actor_label, action, object_type, object_id, changes, redacted_at "
	    "FROM audit_log WHERE tenant_id = ? AND ((object_type = 'person' AND object_id = ?) "
	    "OR (object_type = 'household' AND object_id IN (SELECT household_id FROM "
	    "household_members WHERE tenant_id = ? AND person_id = ?)) "
	    "OR (object_type = 'payee' AND object_id IN (SELECT id FROM payees WHERE "
	    "tenant_id = ? AND person_id = ?)) "
	    "OR (object_type = 'dossier' AND object_id IN (" OWN ")) "
	    "OR (object_type = 'consultation' AND object_id IN (SELECT id FROM consultations "
	    "WHERE tenant_id = ? AND (person_id = ? OR dossier_id IN (" OWN ")))) "
	    "OR (object_type = 'verification' AND object_id IN (" OF_OWN(
	        "verifications") ")) "
	                         "OR (object_type = 'courrier' AND object_id IN (" OF_OWN(
	                             "letters") ")) "
	                                        "OR (object_type = 'document' AND object_id IN "
	                                        "(" OF_OWN(
	                                            "documents") ")) "
	                                                         "OR (object_type = "
	                                                         "'document_request' AND object_id "
	                                                         "IN (" OF_OWN(
	                                                             "document_requests") ")) "
	                                                                                  "OR "
	                                                                                  "(object_"
	                                                                                  "type = "
	                                                                                  "'payment"
	                                                                                  "' AND "
	                                                                                  "object_"
	                                                                                  "id IN "
	                                                                                  "(" OF_OWN(
	                                                                                      "paym"
	                                                                                      "ent"
	                                                                                      "s") "))) ORDER BY id",
	    "ii"
	    "ii"
	    "ii"
	    "ii"
	    "iiii"
	    "iii"
	    "iii"
	    "iii"
	    "iii"
	    "iii",
	    t, p, t, p, t, p, t, p, t, p, t, p, t, t, p, t, t, p, t, t, p, t, t, p, t, t, p);
	return opened(rows, "audit_log");
}

json_t *prs_consulted_elsewhere(struct db *db, int64_t tenant_id, int64_t person_id)
{
	return q_rows(db,
	              "SELECT c.id, c.dossier_id, d.numero FROM consultations c JOIN dossiers d ON "
	              "d.id = c.dossier_id AND d.tenant_id = c.tenant_id WHERE c.tenant_id = ? AND "
	              "c.person_id = ? AND d.applicant_id <> ? ORDER BY c.id",
	              "iii", tenant_id, person_id, person_id);
}

json_t *prs_payees_in_use(struct db *db, int64_t tenant_id, int64_t person_id)
{
	return q_rows(db,
	              "SELECT y.id, y.nom FROM payees y WHERE y.tenant_id = ? AND y.person_id = ? "
	              "AND EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = y.tenant_id AND "
	              "p.payee_id = y.id) ORDER BY y.id",
	              "ii", tenant_id, person_id);
}

/* Appends the "id" of every row to ids; releases rows. */
static int collect_ids(json_t *rows, json_t *ids)
{
	size_t i;
	json_t *row;
	if (!rows)
		return CAS_EDB;
	json_array_foreach(rows, i, row) json_array_append(ids, json_object_get(row, "id"));
	json_decref(rows);
	return 0;
}

/* Deletes those of the households (rows {household_id}) left without
 * member and without dossier. */
static int delete_empty_households(struct db *db, int64_t tenant_id, json_t *rows, json_t *out)
{
	size_t i;
	json_t *row;
	int rc = 0;
	json_array_foreach(rows, i, row)
	{
		int64_t hid = json_integer_value(json_object_get(row, "household_id"));
		json_t *gone =
		    q_rows(db,
		           "DELETE FROM households WHERE tenant_id = ? AND id = ? AND NOT "
		           "EXISTS (SELECT 1 FROM household_members m WHERE m.household_id "
		           "= households.id) AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE "
		           "d.household_id = households.id) RETURNING id",
		           "ii", tenant_id, hid);
		rc = collect_ids(gone, out);
		if (rc != 0)
			break;
	}
	return rc;
}

int prs_erase(struct db *db, int64_t tenant_id, int64_t person_id, json_t *payees,
              json_t *households)
{
	json_t *homes = q_rows(db,
	                       "SELECT DISTINCT household_id FROM household_members WHERE "
	                       "tenant_id = ? AND person_id = ? ORDER BY household_id",
	                       "ii", tenant_id, person_id);
	if (!homes)
		return CAS_EDB;
	int rc = q_exec(db, "DELETE FROM household_members WHERE tenant_id = ? AND person_id = ?",
	                "ii", tenant_id, person_id);
	if (rc == 0)
		rc = collect_ids(
		    q_rows(db,
		           "DELETE FROM payees WHERE tenant_id = ? AND person_id = ? AND "
		           "NOT EXISTS (SELECT 1 FROM payments p WHERE p.payee_id = "
		           "payees.id) RETURNING id",
		           "ii", tenant_id, person_id),
		    payees);
	if (rc == 0)
		rc = delete_empty_households(db, tenant_id, homes, households);
	json_decref(homes);
	int64_t n = 0;
	if (rc == 0)
		rc = q_count(db, &n,
		             "DELETE FROM persons WHERE tenant_id = ? AND id = ? RETURNING 1", "ii",
		             tenant_id, person_id);
	if (rc == 0 && n == 0)
		rc = CAS_ENOTFOUND;
	return rc;
}
