/* Tenants (CCAS), managed by the platform administrator. */
#ifndef CAS_TENANTS_H
#define CAS_TENANTS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* in: {name, siret, communes ("75056, 75101"), colour ("#rrggbb", optional)}.
 * CAS_EINVAL with *errors (new object field -> French message) when a field
 * is wrong; nothing is written then. */
int tenant_create(struct db *db, const struct actor *who, json_t *in, int64_t *id, json_t **errors);
json_t *tenant_list(struct db *db, const struct actor *who, int *err);

#endif
