/* SQL for reading the audit log (append only). */
#ifndef CAS_AUDIT_STORE_H
#define CAS_AUDIT_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Entries are written through store/audit_chain.h (the hash chain). */
/* Newest first; before_id 0 starts at the newest. object_type/object_id
 * filter when non-NULL / non-zero. */
json_t *audit_store_list(struct db *db, int64_t tenant_id, const char *object_type,
                         int64_t object_id, int64_t before_id, int limit);

#endif
