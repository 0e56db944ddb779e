/* Shared between aid_rules.c and rule_versions.c only. */
#ifndef CAS_AID_RULES_INTERNAL_H
#define CAS_AID_RULES_INTERNAL_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* Inserts one version of an imported document (an object: du, au,
 * statut, note and the rule keys) inside the caller's transaction. A
 * wrong version adds errors keyed prefix/... to errs and returns 0; a
 * database failure returns it. */
int rule_version_import_one(struct db *db, const struct actor *who, int64_t aid_id, const json_t *v,
                            const char *prefix, json_t *errs);
/* Adds an error on "versions" when two active versions of the aid type
 * overlap. */
int rule_versions_check_overlaps(struct db *db, int64_t tenant_id, int64_t aid_id, json_t *errs);

#endif
