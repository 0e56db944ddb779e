/* User accounts of a tenant (and platform administrators). */
#ifndef CAS_USERS_H
#define CAS_USERS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* in: {email, name, role, password}. A tenant administrator creates
 * accounts in its own tenant; the platform administrator may create a
 * tenant's first accounts; the command line may also create platform
 * accounts (tenant_id 0, role "plateforme"). CAS_EINVAL with *errors
 * (object field -> French message). */
int user_create(struct db *db, const struct actor *who, int64_t tenant_id, json_t *in, int64_t *id,
                json_t **errors);
json_t *user_list(struct db *db, const struct actor *who, int64_t tenant_id, int *err);
/* Sets a new password (checked like at creation); ends the user's sessions. */
int user_set_password(struct db *db, const struct actor *who, const char *email,
                      const char *password, const char **why);
int user_set_active(struct db *db, const struct actor *who, int64_t user_id, int active);
/* A tenant administrator sets a new password for an account of its tenant,
 * found by id (CAS_ENOTFOUND for another tenant's account). CAS_EINVAL with
 * *errors ({"password": French message}) when too weak. Unlocks the account
 * and ends its sessions. */
int user_reset_password(struct db *db, const struct actor *who, int64_t user_id,
                        const char *password, json_t **errors);

#endif
