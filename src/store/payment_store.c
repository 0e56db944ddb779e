#include "store/payment_store.h"

#include <string.h>

#include "base/err.h"
#include "store/db.h"
#include "store/query.h"
#include "store/sealed_store.h"

#define PERSON_NAME "coalesce(nullif(p.nom_usage, ''), p.nom_naissance) || ' ' || p.prenom1"

/* ---- the IBAN at rest: the only two places that touch the column ---- */

/* Writes the normalised IBAN of the payee row id, sealed at rest for that
 * row (store/sealed_store.h). */
static int iban_seal(struct db *db, int64_t tenant_id, int64_t id, const char *iban)
{
	return sealed_put_text(db, "payees", "iban", tenant_id, id, iban);
}

/* Turns the stored value of row["iban"] back into the IBAN (in place), the
 * payee being row["payee_id"], else row["id"]. Every row that carries an
 * IBAN out of this file goes through here. NULL (row released) when it
 * does not open. */
static int iban_open(json_t *row)
{
	json_t *payee = json_object_get(row, "payee_id");
	int64_t id = json_integer_value(payee ? payee : json_object_get(row, "id"));
	return sealed_open_field(row, "iban", "payees", "iban", id);
}

static json_t *iban_unseal(json_t *row)
{
	if (iban_open(row) == 0)
		return row;
	json_decref(row);
	return NULL;
}

static json_t *unseal_all(json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (iban_open(r) != 0) {
			json_decref(rows);
			return NULL;
		}
	}
	return rows;
}

/* ---- payees ---- */

#define PAYEE_COLS "id, kind, nom, iban, bic, person_id, created_at"

int payee_store_insert(struct db *db, int64_t tenant_id, const struct payee_row *p, int64_t now,
                       int64_t *id)
{
	int rc = q_int(
	    db, id,
	    "INSERT INTO payees (tenant_id, kind, nom, iban, bic, person_id, created_by, "
	    "created_at) VALUES (?, ?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), "
	    "nullif(CAST(? AS BIGINT), 0), ?) RETURNING id",
	    "ittttiii", tenant_id, p->kind, p->nom, "", p->bic, p->person_id, p->created_by, now);
	return rc < 0 ? rc : iban_seal(db, tenant_id, *id, p->iban);
}

json_t *payee_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	json_t *row =
	    q_row(db, err, "SELECT " PAYEE_COLS " FROM payees WHERE tenant_id = ? AND id = ?", "ii",
	          tenant_id, id);
	if (row && !(row = iban_unseal(row)) && err)
		*err = CAS_EIO;
	return row;
}

json_t *payee_store_for_person(struct db *db, int64_t tenant_id, int64_t person_id)
{
	json_t *rows = q_rows(db,
	                      "SELECT " PAYEE_COLS " FROM payees WHERE tenant_id = ? AND "
	                      "(kind <> 'beneficiaire' OR person_id = ?) ORDER BY kind, nom, id",
	                      "ii", tenant_id, person_id);
	return rows ? unseal_all(rows) : NULL;
}

/* ---- the dossier ---- */

json_t *payment_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err)
{
	return q_row(db, err,
	             "SELECT d.id, d.numero, d.state, d.decision, d.montant_accorde, "
	             "d.aid_type_id, d.applicant_id, " PERSON_NAME " AS demandeur "
	             "FROM dossiers d JOIN persons p ON p.id = d.applicant_id AND p.tenant_id = "
	             "d.tenant_id WHERE d.tenant_id = ? AND d.id = ?",
	             "ii", tenant_id, dossier_id);
}

/* ---- payments ---- */

int payment_store_insert(struct db *db, int64_t tenant_id, const struct payment_row *p, int64_t now,
                         int64_t *id, int64_t *echeance)
{
	int rc = q_int(db, echeance,
	               "SELECT coalesce(max(echeance), 0) + 1 FROM payments "
	               "WHERE tenant_id = ? AND dossier_id = ?",
	               "ii", tenant_id, p->dossier_id);
	if (rc < 0)
		return rc;
	rc = q_int(
	    db, id,
	    "INSERT INTO payments (tenant_id, dossier_id, mode, payee_id, montant, echeance, "
	    "objet, date_prevue, state, created_by, created_at, updated_at) VALUES (?, ?, ?, "
	    "nullif(CAST(? AS BIGINT), 0), ?, ?, ?, ?, 'prevu', nullif(CAST(? AS BIGINT), 0), "
	    "?, ?) RETURNING id",
	    "iitiiittiii", tenant_id, p->dossier_id, p->mode, p->payee_id, p->montant, *echeance,
	    p->objet, p->date_prevue, p->created_by, now, now);
	return rc < 0 ? rc : 0;
}

int payment_store_voucher_insert(struct db *db, int64_t tenant_id, int64_t payment_id,
                                 const char *numero, int64_t valeur)
{
	return q_exec(db,
	              "INSERT INTO payment_vouchers (tenant_id, payment_id, numero, valeur) "
	              "VALUES (?, ?, ?, ?)",
	              "iiti", tenant_id, payment_id, numero, valeur);
}

int payment_store_vouchers_delete(struct db *db, int64_t tenant_id, int64_t payment_id)
{
	return q_exec(db, "DELETE FROM payment_vouchers WHERE tenant_id = ? AND payment_id = ?",
	              "ii", tenant_id, payment_id);
}

json_t *payment_store_vouchers(struct db *db, int64_t tenant_id, int64_t payment_id)
{
	return q_rows(db,
	              "SELECT numero, valeur FROM payment_vouchers WHERE tenant_id = ? AND "
	              "payment_id = ? ORDER BY id",
	              "ii", tenant_id, payment_id);
}

#define PAYMENT_COLS                                                                               \
	"SELECT y.id, y.dossier_id, y.mode, y.payee_id, y.montant, y.echeance, y.objet, "          \
	"y.date_prevue, y.state, y.mandate_le, y.paye_le, y.remis_le, y.created_at, "              \
	"y.updated_at, e.nom AS payee_nom, e.kind AS payee_kind "

#define PAYMENT_FROM                                                                               \
	"FROM payments y LEFT JOIN payees e ON e.id = y.payee_id AND e.tenant_id = y.tenant_id "

json_t *payment_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err, PAYMENT_COLS PAYMENT_FROM "WHERE y.tenant_id = ? AND y.id = ?", "ii",
	             tenant_id, id);
}

json_t *payment_store_for_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	return q_rows(db,
	              PAYMENT_COLS PAYMENT_FROM "WHERE y.tenant_id = ? AND y.dossier_id = ? "
	                                        "ORDER BY y.echeance, y.id",
	              "ii", tenant_id, dossier_id);
}

int payment_store_sums(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t *engaged,
                       int64_t *paid)
{
	int rc = q_int(db, engaged,
	               "SELECT coalesce(sum(montant), 0) FROM payments WHERE tenant_id = ? AND "
	               "dossier_id = ? AND state <> 'annule'",
	               "ii", tenant_id, dossier_id);
	if (rc >= 0)
		rc = q_int(db, paid,
		           "SELECT coalesce(sum(montant), 0) FROM payments WHERE tenant_id = ? AND "
		           "dossier_id = ? AND state IN ('paye', 'remis')",
		           "ii", tenant_id, dossier_id);
	return rc < 0 ? rc : 0;
}

int payment_store_set_state(struct db *db, int64_t tenant_id, int64_t id, const char *from,
                            const char *to, const char *date_column, const char *date, int64_t now)
{
	static const char *const sql[] = {
	    "UPDATE payments SET state = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND "
	    "state = ? RETURNING id",
	    "UPDATE payments SET state = ?, updated_at = ?, mandate_le = ? WHERE tenant_id = ? AND "
	    "id = ? AND state = ? RETURNING id",
	    "UPDATE payments SET state = ?, updated_at = ?, paye_le = ? WHERE tenant_id = ? AND "
	    "id = ? AND state = ? RETURNING id",
	    "UPDATE payments SET state = ?, updated_at = ?, remis_le = ? WHERE tenant_id = ? AND "
	    "id = ? AND state = ? RETURNING id",
	};
	int k = !date_column                             ? 0
	        : strcmp(date_column, "mandate_le") == 0 ? 1
	        : strcmp(date_column, "paye_le") == 0    ? 2
	        : strcmp(date_column, "remis_le") == 0   ? 3
	                                                 : -1;
	int64_t n = 0;
	int rc;
	if (k < 0)
		return CAS_EINVAL;
	if (k == 0)
		rc = q_count(db, &n, sql[0], "tiiit", to, now, tenant_id, id, from);
	else
		rc = q_count(db, &n, sql[k], "titiit", to, now, date, tenant_id, id, from);
	if (rc != 0)
		return rc;
	return n == 1 ? 0 : CAS_ECONFLICT;
}

/* ---- the list and the treasury file ---- */

#define LIST_FROM                                                                                  \
	PAYMENT_FROM "JOIN dossiers d ON d.id = y.dossier_id AND d.tenant_id = y.tenant_id "       \
	             "JOIN aid_types a ON a.id = d.aid_type_id AND a.tenant_id = y.tenant_id "     \
	             "JOIN persons p ON p.id = d.applicant_id AND p.tenant_id = y.tenant_id "

#define OPERATION_DATE "coalesce(y.mandate_le, y.remis_le)"

#define LIST_FILTER                                                                                \
	"WHERE y.tenant_id = ? AND (CAST(? AS TEXT) = '' OR y.state = ?) "                         \
	"AND (CAST(? AS BIGINT) = 0 OR d.aid_type_id = ?) "                                        \
	"AND (CAST(? AS TEXT) = '' OR " OPERATION_DATE " >= ?) "                                   \
	"AND (CAST(? AS TEXT) = '' OR " OPERATION_DATE " <= ?) "

#define LIST_TYPES "ittiitttt"
#define S(x)       ((x) ? (x) : "")
#define LIST_ARGS(t, f)                                                                            \
	(t), S((f)->state), S((f)->state), (f)->aid_type_id, (f)->aid_type_id, S((f)->du),         \
	    S((f)->du), S((f)->au), S((f)->au)

json_t *payment_store_list(struct db *db, int64_t tenant_id, const struct payment_filter *f,
                           int64_t offset, int limit)
{
	return q_rows(db,
	              PAYMENT_COLS ", d.numero, a.label AS aide, " PERSON_NAME
	                           " AS demandeur, " OPERATION_DATE
	                           " AS date_operation " LIST_FROM LIST_FILTER
	                           "ORDER BY y.id DESC LIMIT ? OFFSET ?",
	              LIST_TYPES "ii", LIST_ARGS(tenant_id, f), (int64_t)limit, offset);
}

int payment_store_count(struct db *db, int64_t tenant_id, const struct payment_filter *f,
                        int64_t *n, int64_t *total_montant)
{
	int err;
	json_t *row = q_row(
	    db, &err,
	    "SELECT count(*) AS n, coalesce(sum(y.montant), 0) AS total " LIST_FROM LIST_FILTER,
	    LIST_TYPES, LIST_ARGS(tenant_id, f));
	if (!row)
		return err ? err : CAS_EDB;
	*n = json_integer_value(json_object_get(row, "n"));
	if (total_montant)
		*total_montant = json_integer_value(json_object_get(row, "total"));
	json_decref(row);
	return 0;
}

json_t *payment_store_treasury(struct db *db, int64_t tenant_id, const char *du, const char *au)
{
	json_t *rows = q_rows(
	    db,
	    "SELECT y.id, y.payee_id, e.nom AS beneficiaire, e.iban, e.bic, y.montant, y.objet, "
	    "d.numero, "
	    "y.echeance, y.mandate_le, y.state FROM payments y JOIN payees e ON e.id = y.payee_id "
	    "AND e.tenant_id = y.tenant_id JOIN dossiers d ON d.id = y.dossier_id AND d.tenant_id "
	    "= "
	    "y.tenant_id WHERE y.tenant_id = ? AND y.mode = 'virement' AND y.state IN ('mandate', "
	    "'paye') AND y.mandate_le >= ? AND y.mandate_le <= ? ORDER BY y.mandate_le, d.numero, "
	    "y.echeance",
	    "itt", tenant_id, du, au);
	return rows ? unseal_all(rows) : NULL;
}
