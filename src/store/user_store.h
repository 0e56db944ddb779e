/* SQL for user accounts. Returned json_t are new references. */
#ifndef CAS_USER_STORE_H
#define CAS_USER_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* tenant_id 0 inserts a platform administrator (NULL tenant). */
int user_store_insert(struct db *db, int64_t tenant_id, const char *email, const char *name,
                      const char *role, const char *hash, int64_t now, int64_t *id);
/* With the password hash and lockout counters: for authentication only. */
json_t *user_store_auth_by_email(struct db *db, const char *email, int *err);
/* Within a tenant (tenant_id 0: platform accounts). No secrets. */
json_t *user_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
json_t *user_store_list(struct db *db, int64_t tenant_id);
/* Adds one failed attempt unless the account is locked at now; at max
 * failures, locks it until locked_until and starts counting again. *failed
 * gets the count reached (0 when locked). */
int user_store_count_failure(struct db *db, int64_t id, int64_t now, int64_t locked_until,
                             int64_t max, int64_t *failed);
/* Clears the failures after a good password, unless the account is locked at
 * now (CAS_ELOCKED: another attempt locked it meanwhile). */
int user_store_reset_failures(struct db *db, int64_t id, int64_t now);
int user_store_set_failures(struct db *db, int64_t id, int64_t failed, int64_t locked_until);
int user_store_set_password(struct db *db, int64_t id, const char *hash);
int user_store_set_active(struct db *db, int64_t tenant_id, int64_t id, int active);

#endif
