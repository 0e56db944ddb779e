/* SQL for the dated rule versions of aid types (table rule_versions) and
 * the CAF parts table of a tenant (tenants.caf_parts). Every query is
 * scoped by tenant_id. Returned json_t are new references (caller decrefs);
 * NULL on a database error, or with *err CAS_ENOTFOUND for a missing row. */
#ifndef CAS_RULE_VERSION_STORE_H
#define CAS_RULE_VERSION_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Fields written at creation. au NULL: open-ended. created_by 0: not a
 * user (API key, command line), stored NULL. */
struct rule_version_row {
	int64_t aid_type_id;
	const char *du, *au;
	const char *document; /* JSON text accepted by rule_parse */
	const char *status;   /* "brouillon", "actif", "retire" */
	const char *note;
	int64_t created_by;
	const char *created_by_label;
};

/* Numbers the version (greatest numero of the aid type + 1) and inserts
 * it. Call inside a transaction. */
int rule_version_store_insert(struct db *db, int64_t tenant_id, const struct rule_version_row *v,
                              int64_t now, int64_t *id, int64_t *numero);

/* {id, aid_type_id, numero, du, au, document, status, note, created_by,
 * created_by_label, created_at, updated_at}; created_by_label is the
 * user's display name when the author is a user. */
json_t *rule_version_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
/* The versions of an aid type, newest numero first, same columns. */
json_t *rule_version_store_list(struct db *db, int64_t tenant_id, int64_t aid_type_id);

/* Replaces the dates, document and note of a version (the caller checks
 * that it is a brouillon). */
int rule_version_store_update(struct db *db, int64_t tenant_id, int64_t id, const char *du,
                              const char *au, const char *document, const char *note, int64_t now);
int rule_version_store_set_status(struct db *db, int64_t tenant_id, int64_t id, const char *status,
                                  int64_t now);
/* Sets the last day of validity only (closing an active version). */
int rule_version_store_set_au(struct db *db, int64_t tenant_id, int64_t id, const char *au,
                              int64_t now);

/* The active version of the aid type in force at date ('YYYY-MM-DD'):
 * du <= date and (au NULL or date <= au); the latest du wins. CAS_ENOTFOUND
 * when none. */
json_t *rule_version_store_at(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                              const char *date, int *err);

/* Number of active versions of the aid type other than except_id whose
 * period meets [du, au] (au NULL: open). */
int rule_version_store_count_overlaps(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      int64_t except_id, const char *du, const char *au,
                                      int64_t *n);

/* Number of evaluations that used the version. */
int rule_version_store_count_uses(struct db *db, int64_t tenant_id, int64_t id, int64_t *n);

/* The tenant's CAF parts table as JSON text, or NULL (*err 0) for the
 * CNAF table; a new string the caller frees. */
char *rule_store_caf_parts_get(struct db *db, int64_t tenant_id, int *err);
/* parts NULL restores the CNAF table. */
int rule_store_caf_parts_set(struct db *db, int64_t tenant_id, const char *parts);

#endif
