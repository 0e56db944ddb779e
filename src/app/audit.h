/* Audit entries, written by every mutation inside its own transaction. */
#ifndef CAS_AUDIT_H
#define CAS_AUDIT_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* changes: object field -> [old, new] (stolen; NULL for none). */
int audit_write(struct db *db, const struct actor *who, const char *action, const char *object_type,
                int64_t object_id, json_t *changes);

/* The same, in the log of another tenant than the actor's (the platform
 * administrator acting for a CCAS). */
int audit_write_in(struct db *db, const struct actor *who, int64_t tenant_id, const char *action,
                   const char *object_type, int64_t object_id, json_t *changes);

/* Adds field -> [old, new] to changes when the values differ. old/new: the
 * object's fields before and after (borrowed). */
void audit_diff(json_t *changes, json_t *before, json_t *after);

/* Entries of the actor's tenant, newest first, as a new array. */
json_t *audit_list(struct db *db, const struct actor *who, const char *object_type,
                   int64_t object_id, int64_t before_id, int limit, int *err);

#endif
