#include "store/purge_store.h"

#include "base/err.h"
#include "store/query.h"
#include "store/sealed_store.h"

void purge_count_add(json_t *counts, const char *key, int64_t n)
{
	if (!n)
		return;
	json_int_t old = json_integer_value(json_object_get(counts, key));
	json_object_set_new(counts, key, json_integer(old + n));
}

/* --- the facts of the statistics row --- */

json_t *purge_store_facts(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err)
{
	return q_row(
	    db, err,
	    "SELECT d.id, d.aid_type_id, d.decision, d.montant_demande, d.montant_accorde, "
	    "d.decided_at, coalesce(d.state_since, d.updated_at) AS closed_at, "
	    "d.household_id, d.applicant_id, (SELECT coalesce(sum(p.montant), 0) FROM "
	    "payments p WHERE p.tenant_id = d.tenant_id AND p.dossier_id = d.id AND "
	    "p.state IN ('paye', 'remis')) AS verse FROM dossiers d WHERE d.tenant_id = ? "
	    "AND d.id = ?",
	    "ii", tenant_id, dossier_id);
}

json_t *purge_store_members_at(struct db *db, int64_t tenant_id, int64_t household_id,
                               const char *date)
{
	return q_rows(db,
	              "SELECT relation FROM household_members WHERE tenant_id = ? AND "
	              "household_id = ? AND date_entree <= ? AND (date_sortie IS NULL OR "
	              "date_sortie = '' OR date_sortie > ?)",
	              "iitt", tenant_id, household_id, date, date);
}

/* The JSON object in row[field], or NULL. */
static json_t *object_of(json_t *row, const char *field)
{
	const char *text = json_string_value(json_object_get(row, field));
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;
	if (v && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

json_t *purge_store_last_inputs(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	json_t *row = q_row(db, NULL,
	                    "SELECT inputs FROM evaluations WHERE tenant_id = ? AND dossier_id = ? "
	                    "ORDER BY id DESC LIMIT 1",
	                    "ii", tenant_id, dossier_id);
	json_t *v = row ? object_of(row, "inputs") : NULL;
	json_decref(row);
	return v;
}

json_t *purge_store_last_caf(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	json_t *row =
	    q_row(db, NULL,
	          "SELECT id, response FROM consultations WHERE tenant_id = ? AND "
	          "dossier_id = ? AND api = 'particulier' AND response IS NOT NULL ORDER BY "
	          "id DESC LIMIT 1",
	          "ii", tenant_id, dossier_id);
	json_t *v = NULL;
	if (row && sealed_open_field(row, "response", "consultations", "response",
	                             json_integer_value(json_object_get(row, "id"))) == 0)
		v = object_of(row, "response");
	json_decref(row);
	return v;
}

/* --- deletions --- */

/* Runs sql (a statement returning the ids it removed) with the types and
 * two or three ids; counts them under key and, with type, appends each id
 * to objects. *rows (may be NULL) receives the rows. */
static int removed(struct db *db, const char *sql, const char *types, int64_t a, int64_t b,
                   int64_t c, json_t *counts, const char *key, json_t *objects, const char *type,
                   json_t **rows)
{
	json_t *r = q_rows(db, sql, types, a, b, c); /* c is not read with two ids */
	if (!r)
		return CAS_EDB;
	purge_count_add(counts, key, (int64_t)json_array_size(r));
	size_t i;
	json_t *row;
	json_array_foreach(r, i, row)
	{
		if (type)
			json_array_append_new(objects,
			                      json_pack("[sO]", type, json_object_get(row, "id")));
	}
	if (rows)
		*rows = r;
	else
		json_decref(r);
	return 0;
}

#define BY_DOSSIER(table)                                                                          \
	"DELETE FROM " table " WHERE tenant_id = ? AND dossier_id = ? RETURNING id"

/* One table of the dossier: key the count, type the audit object. */
struct part {
	const char *sql, *key, *type;
};

/* The rows of the dossier, in an order the foreign keys accept: the
 * consultations before their verifications, the requests for documents
 * before their letters, the vouchers and the payments before the payees. */
static const struct part parts[] = {
    {BY_DOSSIER("consultations"), "consultations", "consultation"},
    {BY_DOSSIER("verifications"), "verifications", "verification"},
    {BY_DOSSIER("evaluations"), "evaluations", NULL},
    {BY_DOSSIER("document_requests"), "demandes_pieces", "document_request"},
    {BY_DOSSIER("documents"), "pieces", "document"},
    {BY_DOSSIER("letters"), "courriers", "courrier"},
    {BY_DOSSIER("commission_items"), "ordre_du_jour", NULL},
    {BY_DOSSIER("dossier_lines"), "lignes", NULL},
    {BY_DOSSIER("dossier_events"), "evenements", NULL},
    {BY_DOSSIER("legal_holds"), "gels", NULL},
};

static int keep_traces(struct db *db, int64_t tenant_id, int64_t dossier_id, json_t *counts)
{
	int64_t n = 0;
	int rc =
	    q_count(db, &n,
	            "INSERT INTO consultation_traces (id, tenant_id, at, agent_id, agent_label, "
	            "api, endpoint, recipient, http_status, error_kind, request_id) SELECT id, "
	            "tenant_id, at, agent_id, agent_label, api, endpoint, recipient, "
	            "http_status, error_kind, request_id FROM consultations WHERE tenant_id = ? "
	            "AND dossier_id = ? RETURNING id",
	            "ii", tenant_id, dossier_id);
	purge_count_add(counts, "traces_api", n);
	return rc;
}

/* The payments, their vouchers, then the third-party payees they used
 * that nothing else uses. */
static int purge_payments(struct db *db, int64_t t, int64_t d, json_t *counts, json_t *objects)
{
	int rc =
	    removed(db,
	            "DELETE FROM payment_vouchers WHERE tenant_id = ? AND payment_id IN (SELECT "
	            "id FROM payments WHERE tenant_id = ? AND dossier_id = ?) RETURNING id",
	            "iii", t, t, d, counts, "bons", NULL, NULL, NULL);
	json_t *rows = NULL;
	if (rc == 0)
		rc = removed(
		    db,
		    "DELETE FROM payments WHERE tenant_id = ? AND dossier_id = ? RETURNING id, "
		    "payee_id",
		    "ii", t, d, 0, counts, "paiements", objects, "payment", &rows);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_int_t payee = json_integer_value(json_object_get(row, "payee_id"));
		if (rc == 0 && payee)
			rc = purge_store_payee(db, t, payee, counts, objects);
	}
	json_decref(rows);
	return rc;
}

int purge_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, json_t *counts,
                        json_t *objects)
{
	int rc =
	    q_exec(db, "UPDATE dossiers SET evaluation_id = NULL WHERE tenant_id = ? AND id = ?",
	           "ii", tenant_id, dossier_id);
	if (rc == 0)
		rc = keep_traces(db, tenant_id, dossier_id, counts);
	for (size_t i = 0; rc == 0 && i < sizeof(parts) / sizeof(parts[0]); i++)
		rc = removed(db, parts[i].sql, "ii", tenant_id, dossier_id, 0, counts, parts[i].key,
		             objects, parts[i].type, NULL);
	if (rc == 0)
		rc = purge_payments(db, tenant_id, dossier_id, counts, objects);
	if (rc == 0)
		rc = removed(db, "DELETE FROM dossiers WHERE tenant_id = ? AND id = ? RETURNING id",
		             "ii", tenant_id, dossier_id, 0, counts, "dossiers", objects, "dossier",
		             NULL);
	return rc;
}

int purge_store_household(struct db *db, int64_t tenant_id, int64_t household_id, json_t *persons,
                          json_t *counts, json_t *objects)
{
	int64_t left = 0;
	int rc = q_int(db, &left,
	               "SELECT count(*) FROM dossiers WHERE tenant_id = ? AND household_id = ?",
	               "ii", tenant_id, household_id);
	if (rc < 0)
		return rc;
	if (left)
		return 0;
	json_t *rows = NULL;
	rc = removed(db,
	             "DELETE FROM household_members WHERE tenant_id = ? AND household_id = ? "
	             "RETURNING id, person_id",
	             "ii", tenant_id, household_id, 0, counts, "membres", NULL, NULL, &rows);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	    json_array_append(persons, json_object_get(row, "person_id"));
	json_decref(rows);
	if (rc == 0)
		rc = removed(
		    db, "DELETE FROM households WHERE tenant_id = ? AND id = ? RETURNING id", "ii",
		    tenant_id, household_id, 0, counts, "foyers", objects, "household", NULL);
	return rc;
}

int purge_store_person(struct db *db, int64_t tenant_id, int64_t person_id, json_t *counts,
                       json_t *objects)
{
	int64_t used = 1;
	int rc = q_int(db, &used,
	               "SELECT CASE WHEN EXISTS (SELECT 1 FROM dossiers WHERE tenant_id = ? AND "
	               "applicant_id = ?) OR EXISTS (SELECT 1 FROM household_members WHERE "
	               "tenant_id = ? AND person_id = ?) OR EXISTS (SELECT 1 FROM consultations "
	               "WHERE tenant_id = ? AND person_id = ?) OR EXISTS (SELECT 1 FROM payments p "
	               "JOIN payees y ON y.id = p.payee_id WHERE y.tenant_id = ? AND y.person_id = "
	               "?) THEN 1 ELSE 0 END AS used",
	               "iiiiiiii", tenant_id, person_id, tenant_id, person_id, tenant_id, person_id,
	               tenant_id, person_id);
	if (rc < 0)
		return rc;
	if (used)
		return 0;
	rc = removed(db, "DELETE FROM payees WHERE tenant_id = ? AND person_id = ? RETURNING id",
	             "ii", tenant_id, person_id, 0, counts, "titulaires", objects, "payee", NULL);
	if (rc == 0)
		rc = removed(db, "DELETE FROM persons WHERE tenant_id = ? AND id = ? RETURNING id",
		             "ii", tenant_id, person_id, 0, counts, "usagers", objects, "person",
		             NULL);
	return rc;
}

int purge_store_payee(struct db *db, int64_t tenant_id, int64_t payee_id, json_t *counts,
                      json_t *objects)
{
	return removed(db,
	               "DELETE FROM payees WHERE tenant_id = ? AND id = ? AND kind <> "
	               "'beneficiaire' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.payee_id "
	               "= payees.id) RETURNING id",
	               "ii", tenant_id, payee_id, 0, counts, "titulaires", objects, "payee", NULL);
}

int purge_store_erase_bodies(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t now,
                             int64_t *n)
{
	return q_count(db, n,
	               "UPDATE consultations SET parameters = '{}', response = NULL, error_message "
	               "= NULL, spi_hash = NULL, corps_efface_le = ? WHERE tenant_id = ? AND "
	               "dossier_id = ? AND corps_efface_le IS NULL RETURNING id",
	               "iii", now, tenant_id, dossier_id);
}

/* --- what no dossier holds any more --- */

json_t *purge_store_dormant_households(struct db *db, int64_t tenant_id, int64_t cutoff,
                                       int64_t after_id, int limit)
{
	return q_rows(db,
	              "SELECT h.id FROM households h WHERE h.tenant_id = ? AND h.id > ? AND "
	              "h.created_at < ? AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE "
	              "d.household_id = h.id) AND NOT EXISTS (SELECT 1 FROM household_members m "
	              "JOIN persons p ON p.id = m.person_id WHERE m.household_id = h.id AND "
	              "p.updated_at >= ?) ORDER BY h.id LIMIT ?",
	              "iiiii", tenant_id, after_id, cutoff, cutoff, (int64_t)limit);
}

json_t *purge_store_dormant_persons(struct db *db, int64_t tenant_id, int64_t cutoff,
                                    int64_t after_id, int limit)
{
	return q_rows(
	    db,
	    "SELECT p.id FROM persons p WHERE p.tenant_id = ? AND p.id > ? AND "
	    "p.updated_at < ? AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE "
	    "d.applicant_id = p.id) AND NOT EXISTS (SELECT 1 FROM household_members m "
	    "WHERE m.person_id = p.id) AND NOT EXISTS (SELECT 1 FROM consultations c "
	    "WHERE c.person_id = p.id) AND NOT EXISTS (SELECT 1 FROM payments x JOIN "
	    "payees y ON y.id = x.payee_id WHERE y.person_id = p.id) ORDER BY p.id LIMIT ?",
	    "iiii", tenant_id, after_id, cutoff, (int64_t)limit);
}

json_t *purge_store_unused_payees(struct db *db, int64_t tenant_id, int64_t cutoff,
                                  int64_t after_id, int limit)
{
	return q_rows(db,
	              "SELECT y.id FROM payees y WHERE y.tenant_id = ? AND y.id > ? AND y.kind <> "
	              "'beneficiaire' AND y.created_at < ? AND NOT EXISTS (SELECT 1 FROM payments "
	              "p WHERE p.payee_id = y.id) ORDER BY y.id LIMIT ?",
	              "iiii", tenant_id, after_id, cutoff, (int64_t)limit);
}

int purge_store_expired_traces(struct db *db, int64_t tenant_id, int64_t before, int limit,
                               int64_t *n)
{
	return q_count(
	    db, n,
	    "DELETE FROM consultation_traces WHERE tenant_id = ? AND id IN (SELECT id FROM "
	    "consultation_traces WHERE tenant_id = ? AND at < ? ORDER BY id LIMIT ?) "
	    "RETURNING id",
	    "iiii", tenant_id, tenant_id, before, (int64_t)limit);
}
