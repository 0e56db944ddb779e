#include "store/user_store.h"

#include "base/err.h"
#include "store/query.h"

#define PUBLIC_COLS "id, tenant_id, email, display_name, role, active, created_at, locked_until"

int user_store_insert(struct db *db, int64_t tenant_id, const char *email, const char *name,
                      const char *role, const char *hash, int64_t now, int64_t *id)
{
	int rc;
	if (tenant_id)
		rc =
		    q_int(db, id,
		          "INSERT INTO users (tenant_id, email, display_name, role, password_hash, "
		          "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		          "itttti", tenant_id, email, name, role, hash, now);
	else
		rc =
		    q_int(db, id,
		          "INSERT INTO users (tenant_id, email, display_name, role, password_hash, "
		          "created_at) VALUES (NULL, ?, ?, ?, ?, ?) RETURNING id",
		          "tttti", email, name, role, hash, now);
	return rc < 0 ? rc : 0;
}

json_t *user_store_auth_by_email(struct db *db, const char *email, int *err)
{
	return q_row(db, err,
	             "SELECT " PUBLIC_COLS ", password_hash, failed_logins FROM users "
	             "WHERE email = ?",
	             "t", email);
}

json_t *user_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err,
	             "SELECT " PUBLIC_COLS " FROM users WHERE id = ? AND "
	             "coalesce(tenant_id, 0) = ?",
	             "ii", id, tenant_id);
}

json_t *user_store_list(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT " PUBLIC_COLS " FROM users WHERE coalesce(tenant_id, 0) = ? "
	              "ORDER BY display_name, id",
	              "i", tenant_id);
}

int user_store_count_failure(struct db *db, int64_t id, int64_t now, int64_t locked_until,
                             int64_t max, int64_t *failed)
{
	int rc = q_int(db, failed,
	               "UPDATE users SET failed_logins = failed_logins + 1 "
	               "WHERE id = ? AND locked_until <= ? RETURNING failed_logins",
	               "ii", id, now);
	if (rc <= 0) { /* no row: locked meanwhile, the lock ends on time */
		*failed = 0;
		return rc;
	}
	if (*failed < max)
		return 0;
	return user_store_set_failures(db, id, 0, locked_until);
}

int user_store_reset_failures(struct db *db, int64_t id, int64_t now)
{
	int64_t got;
	int rc = q_int(db, &got,
	               "UPDATE users SET failed_logins = 0, locked_until = 0 "
	               "WHERE id = ? AND locked_until <= ? RETURNING id",
	               "ii", id, now);
	return rc < 0 ? rc : rc == 0 ? CAS_ELOCKED : 0;
}

int user_store_set_failures(struct db *db, int64_t id, int64_t failed, int64_t locked_until)
{
	return q_exec(db, "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
	              "iii", failed, locked_until, id);
}

int user_store_set_password(struct db *db, int64_t id, const char *hash)
{
	return q_exec(db,
	              "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 "
	              "WHERE id = ?",
	              "ti", hash, id);
}

int user_store_set_active(struct db *db, int64_t tenant_id, int64_t id, int active)
{
	return q_exec(db, "UPDATE users SET active = ? WHERE id = ? AND tenant_id = ?", "iii",
	              (int64_t)active, id, tenant_id);
}
