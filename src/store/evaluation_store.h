/* SQL for the evaluations of dossiers (table evaluations): each one the
 * result of a rule version on the dossier's data, kept with the dossier.
 * Every query is scoped by tenant_id. Returned json_t are new references
 * (caller decrefs); NULL on a database error, or with *err CAS_ENOTFOUND
 * for a missing row. */
#ifndef CAS_EVALUATION_STORE_H
#define CAS_EVALUATION_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Fields written. inputs and result are JSON texts; montant_centimes < 0
 * is stored NULL (no amount). created_by 0: not a user, stored NULL. */
struct evaluation_row {
	int64_t dossier_id, rule_version_id;
	const char *date_reference;
	const char *inputs, *result;
	const char *issue;
	int64_t montant_centimes;
	int64_t created_by;
	const char *created_by_label;
};

int evaluation_store_insert(struct db *db, int64_t tenant_id, const struct evaluation_row *e,
                            int64_t now, int64_t *id);

/* The latest evaluation of the dossier, CAS_ENOTFOUND when none: {id,
 * dossier_id, rule_version_id, version_numero, aid_type_id,
 * date_reference, inputs, result, issue, montant_centimes, created_by,
 * created_by_label, created_at} (inputs and result as JSON texts). */
json_t *evaluation_store_latest(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err);

#endif
