/* The catalogue of aid types of a tenant (aide alimentaire, aide à
 * l'énergie...), managed by its administrator. Dossiers are only opened on
 * active types. */
#ifndef CAS_AID_TYPES_H
#define CAS_AID_TYPES_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* in: {code, label, description}. The code is 2 to 40 lower-case ASCII
 * letters, digits, '_' or '-', unique in the tenant. CAS_EINVAL with
 * *errors (new object field -> French message) when a field is wrong;
 * nothing is written then. */
int aid_type_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                    json_t **errors);
/* The catalogue by label, as a new array of {id, code, label, description,
 * active}; active_only keeps the active types. For those who read dossiers
 * or manage the catalogue. */
json_t *aid_type_list(struct db *db, const struct actor *who, int active_only, int *err);
/* Up to limit + 1 types with id > after_id, by id (API pages). */
json_t *aid_type_page(struct db *db, const struct actor *who, int64_t after_id, int limit,
                      int *err);
/* Deactivates (active 0) or reactivates a type. */
int aid_type_set_active(struct db *db, const struct actor *who, int64_t id, int active);

#endif
