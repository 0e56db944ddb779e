/* SQL for the audit log (append only). */
#ifndef CAS_AUDIT_STORE_H
#define CAS_AUDIT_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* tenant_id 0: platform-level entry. changes is JSON text. */
int audit_store_insert(struct db *db, int64_t tenant_id, int64_t actor_id, const char *actor_label,
                       const char *action, const char *object_type, int64_t object_id,
                       const char *changes, int64_t at);
/* Newest first; before_id 0 starts at the newest. object_type/object_id
 * filter when non-NULL / non-zero. */
json_t *audit_store_list(struct db *db, int64_t tenant_id, const char *object_type,
                         int64_t object_id, int64_t before_id, int limit);

#endif
