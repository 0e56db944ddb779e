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
/* The settings of the actor's own CCAS (administrateur): in {name,
 * communes, colour ("#rrggbb"; empty keeps the current one)}, validated as
 * on creation; the SIRET does not change. CAS_EINVAL with *errors as above;
 * the change and its audit entry ("modification") in one transaction. */
int tenant_update(struct db *db, const struct actor *who, json_t *in, json_t **errors);
/* The actor's own CCAS {id, name, siret, communes, colour, created_at}: a
 * new object, or NULL with *err (CAS_EPERM without PERM_SETTINGS_ADMIN). */
json_t *tenant_get_own(struct db *db, const struct actor *who, int *err);
json_t *tenant_list(struct db *db, const struct actor *who, int *err);

#endif
