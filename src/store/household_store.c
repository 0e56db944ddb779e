#include "store/household_store.h"

#include "base/err.h"
#include "store/query.h"

/* Display name of a person row p: used name (or birth name), first name. */
#define PNAME "coalesce(nullif(p.nom_usage, ''), p.nom_naissance)"

#define CURRENT_DEMANDEUR                                                                          \
	"FROM household_members m JOIN persons p ON p.id = m.person_id AND p.tenant_id = "         \
	"m.tenant_id WHERE m.tenant_id = h.tenant_id AND m.household_id = h.id AND "               \
	"m.relation = 'demandeur' AND m.date_sortie IS NULL ORDER BY m.id LIMIT 1"

#define LIST_COLS                                                                                  \
	"SELECT h.id, h.label, h.created_at, (SELECT m.person_id " CURRENT_DEMANDEUR               \
	") AS demandeur_id, (SELECT " PNAME " || ' ' || p.prenom1 " CURRENT_DEMANDEUR              \
	") AS demandeur, (SELECT count(*) FROM household_members m WHERE m.tenant_id = "           \
	"h.tenant_id AND m.household_id = h.id AND m.date_sortie IS NULL) AS members "             \
	"FROM households h WHERE h.tenant_id = ? "

int household_store_insert(struct db *db, int64_t tenant_id, const char *label, int64_t now,
                           int64_t *id)
{
	int rc = q_int(db, id,
	               "INSERT INTO households (tenant_id, label, created_at) VALUES (?, ?, ?) "
	               "RETURNING id",
	               "iti", tenant_id, label, now);
	return rc < 0 ? rc : 0;
}

json_t *household_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err,
	             "SELECT id, label, created_at FROM households WHERE tenant_id = ? AND id = ?",
	             "ii", tenant_id, id);
}

int household_store_set_label(struct db *db, int64_t tenant_id, int64_t id, const char *label)
{
	return q_exec(db, "UPDATE households SET label = ? WHERE tenant_id = ? AND id = ?", "tii",
	              label, tenant_id, id);
}

json_t *household_store_list(struct db *db, int64_t tenant_id, enum household_sort sort, int desc,
                             int64_t offset, int limit)
{
	static const char *const sql[2][2] = {
	    {LIST_COLS "ORDER BY h.label, h.id LIMIT ? OFFSET ?",
	     LIST_COLS "ORDER BY h.label DESC, h.id DESC LIMIT ? OFFSET ?"},
	    {LIST_COLS "ORDER BY h.created_at, h.id LIMIT ? OFFSET ?",
	     LIST_COLS "ORDER BY h.created_at DESC, h.id DESC LIMIT ? OFFSET ?"},
	};
	return q_rows(db, sql[sort == HSORT_DATE][desc != 0], "iii", tenant_id, (int64_t)limit,
	              offset);
}

int household_store_count(struct db *db, int64_t tenant_id, int64_t *n)
{
	int rc =
	    q_int(db, n, "SELECT count(*) FROM households WHERE tenant_id = ?", "i", tenant_id);
	return rc < 0 ? rc : 0;
}

json_t *household_store_page(struct db *db, int64_t tenant_id, int64_t after_id, int limit)
{
	return q_rows(db, LIST_COLS "AND h.id > ? ORDER BY h.id LIMIT ?", "iii", tenant_id,
	              after_id, (int64_t)limit);
}

#define MEMBER_COLS                                                                                \
	"SELECT m.id, m.person_id, m.relation, m.date_entree, m.date_sortie, " PNAME               \
	" AS nom, p.prenom1 AS prenom, p.date_naissance FROM household_members m JOIN persons "    \
	"p ON p.id = m.person_id AND p.tenant_id = m.tenant_id "

json_t *household_store_members(struct db *db, int64_t tenant_id, int64_t household_id)
{
	return q_rows(db,
	              MEMBER_COLS "WHERE m.tenant_id = ? AND m.household_id = ? "
	                          "ORDER BY m.date_sortie IS NOT NULL, m.relation <> 'demandeur', "
	                          "m.date_entree, m.id",
	              "ii", tenant_id, household_id);
}

json_t *household_store_member_get(struct db *db, int64_t tenant_id, int64_t household_id,
                                   int64_t member_id, int *err)
{
	return q_row(db, err,
	             MEMBER_COLS "WHERE m.tenant_id = ? AND m.household_id = ? AND m.id = ?", "iii",
	             tenant_id, household_id, member_id);
}

int household_store_member_insert(struct db *db, int64_t tenant_id, int64_t household_id,
                                  int64_t person_id, const char *relation, const char *date_entree,
                                  int64_t *id)
{
	int rc = q_int(db, id,
	               "INSERT INTO household_members (tenant_id, household_id, person_id, "
	               "relation, date_entree) VALUES (?, ?, ?, ?, ?) RETURNING id",
	               "iiitt", tenant_id, household_id, person_id, relation, date_entree);
	return rc < 0 ? rc : 0;
}

int household_store_member_set_exit(struct db *db, int64_t tenant_id, int64_t member_id,
                                    const char *date_sortie)
{
	return q_exec(db,
	              "UPDATE household_members SET date_sortie = ? WHERE tenant_id = ? AND id = ?",
	              "tii", date_sortie, tenant_id, member_id);
}

int household_store_count_current(struct db *db, int64_t tenant_id, int64_t household_id,
                                  const char *relation, int64_t person_id, int64_t *n)
{
	int rc = q_int(db, n,
	               "SELECT count(*) FROM household_members WHERE tenant_id = ? AND "
	               "household_id = ? AND date_sortie IS NULL AND (? = '' OR relation = ?) "
	               "AND (CAST(? AS BIGINT) = 0 OR person_id = ?)",
	               "iittii", tenant_id, household_id, relation ? relation : "",
	               relation ? relation : "", person_id, person_id);
	return rc < 0 ? rc : 0;
}

json_t *household_store_by_person(struct db *db, int64_t tenant_id, int64_t person_id)
{
	return q_rows(db,
	              "SELECT h.id, h.label, m.relation, m.date_entree, m.date_sortie FROM "
	              "household_members m JOIN households h ON h.id = m.household_id AND "
	              "h.tenant_id = m.tenant_id WHERE m.tenant_id = ? AND m.person_id = ? "
	              "ORDER BY m.date_sortie IS NOT NULL, m.date_entree DESC, m.id DESC",
	              "ii", tenant_id, person_id);
}

json_t *household_store_person(struct db *db, int64_t tenant_id, int64_t person_id, int *err)
{
	return q_row(db, err,
	             "SELECT p.id, " PNAME " AS nom, p.nom_naissance, p.nom_usage, p.prenom1 AS "
	             "prenom, p.date_naissance FROM persons p WHERE p.tenant_id = ? AND p.id = ?",
	             "ii", tenant_id, person_id);
}
