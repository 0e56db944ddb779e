/* SQL for login sessions and API keys. Tokens are stored as SHA-256 hex. */
#ifndef CAS_SESSION_STORE_H
#define CAS_SESSION_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

int session_store_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
                         int64_t now);
/* The session joined with its user and tenant: user_id, tenant_id, role,
 * email, display_name, active, csrf, created_at, last_seen, tenant_name,
 * tenant_colour. */
json_t *session_store_get(struct db *db, const char *token_hash, int *err);
int session_store_touch(struct db *db, const char *token_hash, int64_t now);
int session_store_delete(struct db *db, const char *token_hash);
int session_store_delete_user(struct db *db, int64_t user_id);
/* Deletes the sessions idle since before idle_before or opened before
 * created_before: the number deleted (>= 0), or a negative cas_err. */
int session_store_delete_expired(struct db *db, int64_t idle_before, int64_t created_before);

int apikey_store_insert(struct db *db, int64_t tenant_id, const char *label, const char *role,
                        const char *prefix, const char *key_hash, int64_t created_by, int64_t now,
                        int64_t *id);
/* Live key joined with its tenant: id, tenant_id, role, label, prefix, tenant_name. */
json_t *apikey_store_by_hash(struct db *db, const char *key_hash, int *err);
json_t *apikey_store_list(struct db *db, int64_t tenant_id);
int apikey_store_revoke(struct db *db, int64_t tenant_id, int64_t id, int64_t now);

#endif
