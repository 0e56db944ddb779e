/* SQL for tenants (CCAS). Returned json_t are new references. */
#ifndef CAS_TENANT_STORE_H
#define CAS_TENANT_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

int tenant_store_insert(struct db *db, const char *name, const char *siret, const char *communes,
                        const char *colour, int64_t now, int64_t *id);
/* Name, communes and colour of tenant id (the SIRET does not change here). */
int tenant_store_update(struct db *db, int64_t id, const char *name, const char *communes,
                        const char *colour);
json_t *tenant_store_get(struct db *db, int64_t id, int *err);
json_t *tenant_store_by_siret(struct db *db, const char *siret, int *err);
json_t *tenant_store_list(struct db *db);

#endif
