#include "store/session_store.h"

#include "base/err.h"
#include "store/query.h"

int session_store_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
                         int64_t now)
{
	return q_exec(db,
	              "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) "
	              "VALUES (?, ?, ?, ?, ?)",
	              "titii", token_hash, user_id, csrf, now, now);
}

json_t *session_store_get(struct db *db, const char *token_hash, int *err)
{
	return q_row(db, err,
	             "SELECT s.user_id, coalesce(u.tenant_id, 0) AS tenant_id, u.role, u.email, "
	             "u.display_name, u.active, s.csrf, s.created_at, s.last_seen, "
	             "t.name AS tenant_name, t.colour AS tenant_colour "
	             "FROM sessions s JOIN users u ON u.id = s.user_id "
	             "LEFT JOIN tenants t ON t.id = u.tenant_id WHERE s.token_hash = ?",
	             "t", token_hash);
}

int session_store_touch(struct db *db, const char *token_hash, int64_t now)
{
	return q_exec(db, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", "it", now,
	              token_hash);
}

int session_store_delete(struct db *db, const char *token_hash)
{
	return q_exec(db, "DELETE FROM sessions WHERE token_hash = ?", "t", token_hash);
}

int session_store_delete_user(struct db *db, int64_t user_id)
{
	return q_exec(db, "DELETE FROM sessions WHERE user_id = ?", "i", user_id);
}

int session_store_delete_expired(struct db *db, int64_t idle_before, int64_t created_before)
{
	int64_t n = 0;
	int rc = q_count(db, &n,
	                 "DELETE FROM sessions WHERE last_seen < ? OR created_at < ? RETURNING 1",
	                 "ii", idle_before, created_before);
	return rc < 0 ? rc : (int)n;
}

int apikey_store_insert(struct db *db, int64_t tenant_id, const char *label, const char *role,
                        const char *prefix, const char *key_hash, int64_t created_by, int64_t now,
                        int64_t *id)
{
	int rc =
	    q_int(db, id,
	          "INSERT INTO api_keys (tenant_id, label, role, prefix, key_hash, created_by, "
	          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	          "ittttii", tenant_id, label, role, prefix, key_hash, created_by, now);
	return rc < 0 ? rc : 0;
}

json_t *apikey_store_by_hash(struct db *db, const char *key_hash, int *err)
{
	return q_row(
	    db, err,
	    "SELECT k.id, k.tenant_id, k.role, k.label, k.prefix, t.name AS tenant_name, "
	    "t.colour AS tenant_colour FROM api_keys k JOIN tenants t ON t.id = k.tenant_id "
	    "WHERE k.key_hash = ? AND k.revoked_at IS NULL",
	    "t", key_hash);
}

json_t *apikey_store_list(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT id, label, role, prefix, created_at, revoked_at FROM api_keys "
	              "WHERE tenant_id = ? ORDER BY id DESC",
	              "i", tenant_id);
}

int apikey_store_revoke(struct db *db, int64_t tenant_id, int64_t id, int64_t now)
{
	int64_t n;
	int rc = q_int(db, &n,
	               "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND tenant_id = ? "
	               "AND revoked_at IS NULL RETURNING id",
	               "iii", now, id, tenant_id);
	return rc < 0 ? rc : (rc == 0 ? CAS_ENOTFOUND : 0);
}
