#include "store/audit_chain.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "store/db.h"
#include "store/query.h"

#define CANONICAL_MAX (1024 * 1024)

static void put_field(struct buf *b, const char *name, const char *value)
{
	const char *v = value ? value : "";
	buf_printf(b, "\n%s=%zu:", name, strlen(v));
	buf_puts(b, v);
}

static void put_int(struct buf *b, const char *name, int64_t value)
{
	char v[24];
	snprintf(v, sizeof(v), "%lld", (long long)value);
	put_field(b, name, v);
}

char *audit_chain_canonical(const struct audit_entry *e, const char *changes_sha256)
{
	struct buf b;
	buf_init(&b, CANONICAL_MAX);
	buf_puts(&b, "cassis-audit-1");
	put_int(&b, "id", e->id);
	put_int(&b, "tenant", e->tenant_id);
	put_int(&b, "at", e->at);
	put_int(&b, "actor", e->actor_id);
	put_field(&b, "actor_label", e->actor_label);
	put_field(&b, "action", e->action);
	put_field(&b, "object_type", e->object_type);
	put_int(&b, "object_id", e->object_id);
	put_field(&b, "changes_sha256", changes_sha256);
	if (b.err) { /* labels are short: only a forged row gets here */
		buf_free(&b);
		return strdup("");
	}
	return buf_steal(&b);
}

void audit_chain_link(const char *prev, const char *canonical, char out[AUDIT_HASH_SIZE])
{
	crypto_hash_sha256_state st;
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)prev, strlen(prev));
	crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)canonical, strlen(canonical));
	crypto_hash_sha256_final(&st, d);
	sodium_bin2hex(out, AUDIT_HASH_SIZE, d, sizeof(d));
}

static int64_t int_of(const json_t *row, const char *key)
{
	return json_integer_value(json_object_get(row, key)); /* null: 0 */
}

static const char *str_of(const json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	return s ? s : "";
}

void audit_chain_row_hash(const json_t *row, const char *prev, char out[AUDIT_HASH_SIZE])
{
	struct audit_entry e = {
	    .id = int_of(row, "id"),
	    .tenant_id = int_of(row, "tenant_id"),
	    .at = int_of(row, "at"),
	    .actor_id = int_of(row, "actor_id"),
	    .actor_label = str_of(row, "actor_label"),
	    .action = str_of(row, "action"),
	    .object_type = str_of(row, "object_type"),
	    .object_id = int_of(row, "object_id"),
	};
	char *canon = audit_chain_canonical(&e, str_of(row, "changes_sha256"));
	audit_chain_link(prev, canon, out);
	free(canon);
}

int audit_chain_head(struct db *db, int64_t tenant_id, int64_t *id, char hash[AUDIT_HASH_SIZE])
{
	int err = 0;
	json_t *row = tenant_id ? q_row(db, &err,
	                                "SELECT id, hash FROM audit_log WHERE tenant_id = ? "
	                                "ORDER BY id DESC LIMIT 1",
	                                "i", tenant_id)
	                        : q_row(db, &err,
	                                "SELECT id, hash FROM audit_log WHERE tenant_id IS NULL "
	                                "ORDER BY id DESC LIMIT 1",
	                                "");
	if (!row)
		return err == CAS_ENOTFOUND ? 0 : (err ? err : CAS_EDB);
	*id = int_of(row, "id");
	snprintf(hash, AUDIT_HASH_SIZE, "%s", str_of(row, "hash"));
	json_decref(row);
	return 1;
}

/* The hash the next entry of the chain links to: the head's, or the
 * genesis for an empty chain (or a head without a hash: verify reports it). */
static int chain_prev(struct db *db, int64_t tenant_id, char prev[AUDIT_HASH_SIZE])
{
	int64_t id = 0;
	int rc = audit_chain_head(db, tenant_id, &id, prev);
	if (rc < 0)
		return rc;
	if (rc == 0 || strlen(prev) != AUDIT_HASH_SIZE - 1)
		snprintf(prev, AUDIT_HASH_SIZE, "%s", AUDIT_GENESIS);
	return 0;
}

static int insert_entry(struct db *db, struct audit_entry *e, const char *digest, const char *prev)
{
	int rc =
	    q_int(db, &e->id,
	          "INSERT INTO audit_log (tenant_id, actor_id, actor_label, action, object_type, "
	          "object_id, changes, at, changes_sha256, prev_hash) VALUES "
	          "(nullif(CAST(? AS BIGINT), 0), nullif(CAST(? AS BIGINT), 0), ?, ?, ?, "
	          "nullif(CAST(? AS BIGINT), 0), ?, ?, ?, ?) RETURNING id",
	          "iitttititt", e->tenant_id, e->actor_id, e->actor_label, e->action,
	          e->object_type, e->object_id, e->changes, e->at, digest, prev);
	return rc == 1 ? 0 : (rc < 0 ? rc : CAS_EDB);
}

int audit_chain_append(struct db *db, struct audit_entry *e, char *hash)
{
	char prev[AUDIT_HASH_SIZE], digest[AUDIT_HASH_SIZE], h[AUDIT_HASH_SIZE];
	if (!e->changes)
		e->changes = "{}";
	sha256_hex(e->changes, strlen(e->changes), digest);
	int rc = chain_prev(db, e->tenant_id, prev);
	if (rc == 0)
		rc = insert_entry(db, e, digest, prev);
	if (rc != 0)
		return rc;
	char *canon = audit_chain_canonical(e, digest);
	audit_chain_link(prev, canon, h);
	free(canon);
	rc = q_exec(db, "UPDATE audit_log SET hash = ? WHERE id = ?", "ti", h, e->id);
	if (rc == 0 && hash)
		memcpy(hash, h, AUDIT_HASH_SIZE);
	return rc;
}

#define ROW_COLUMNS                                                                                \
	"SELECT id, coalesce(tenant_id, 0) AS tenant_id, at, coalesce(actor_id, 0) AS actor_id, "  \
	"actor_label, action, object_type, coalesce(object_id, 0) AS object_id, changes, "         \
	"changes_sha256, prev_hash, hash, redacted_at FROM audit_log "

json_t *audit_chain_rows(struct db *db, int64_t tenant_id, int64_t after_id, int limit)
{
	if (tenant_id)
		return q_rows(db, ROW_COLUMNS "WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?",
		              "iii", tenant_id, after_id, (int64_t)limit);
	return q_rows(db, ROW_COLUMNS "WHERE tenant_id IS NULL AND id > ? ORDER BY id LIMIT ?",
	              "ii", after_id, (int64_t)limit);
}

json_t *audit_chain_list(struct db *db)
{
	return q_rows(db,
	              "SELECT c.tenant_id AS tenant_id, t.siret AS siret, t.name AS name FROM "
	              "(SELECT DISTINCT coalesce(tenant_id, 0) AS tenant_id FROM audit_log) c "
	              "LEFT JOIN tenants t ON t.id = c.tenant_id ORDER BY c.tenant_id",
	              "");
}

/* Seals the rows of one chain that have no hash, after its sealed part. */
static int seal_chain(struct db *db, int64_t tenant_id)
{
	char prev[AUDIT_HASH_SIZE] = AUDIT_GENESIS, digest[AUDIT_HASH_SIZE], h[AUDIT_HASH_SIZE];
	int64_t after = 0;
	for (;;) {
		json_t *rows = audit_chain_rows(db, tenant_id, after, 500);
		if (!rows)
			return CAS_EDB;
		size_t i;
		json_t *row;
		int rc = 0;
		json_array_foreach(rows, i, row)
		{
			after = int_of(row, "id");
			if (json_is_string(json_object_get(row, "hash"))) {
				snprintf(prev, sizeof(prev), "%s", str_of(row, "hash"));
				continue;
			}
			const char *changes = str_of(row, "changes");
			sha256_hex(changes, strlen(changes), digest);
			json_object_set_new(row, "changes_sha256", json_string(digest));
			audit_chain_row_hash(row, prev, h);
			rc = q_exec(
			    db,
			    "UPDATE audit_log SET changes_sha256 = ?, prev_hash = ?, hash = ? "
			    "WHERE id = ?",
			    "ttti", digest, prev, h, after);
			if (rc != 0)
				break;
			memcpy(prev, h, sizeof(prev));
		}
		size_t n = json_array_size(rows);
		json_decref(rows);
		if (rc != 0)
			return rc;
		if (n < 500)
			return 0;
	}
}

int audit_chain_seal(struct db *db)
{
	json_t *chains = audit_chain_list(db);
	if (!chains)
		return CAS_EDB;
	size_t i;
	json_t *c;
	int rc = 0;
	json_array_foreach(chains, i, c)
	{
		rc = seal_chain(db, int_of(c, "tenant_id"));
		if (rc != 0)
			break;
	}
	json_decref(chains);
	return rc;
}

char *audit_chain_redacted_text(const char *text)
{
	json_t *o = json_loads(text ? text : "", 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) json_object_set_new(o, key, json_string(AUDIT_REDACTED));
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	char *out = s ? strdup(s) : NULL;
	json_free_text(s);
	return out;
}

int audit_chain_is_redacted_form(const char *text)
{
	json_t *o = json_loads(text ? text : "", 0, NULL);
	int ok = json_is_object(o);
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		if (!json_is_string(v) || strcmp(json_string_value(v), AUDIT_REDACTED) != 0)
			ok = 0;
	}
	json_decref(o);
	return ok;
}

int audit_chain_redact(struct db *db, int64_t tenant_id, const char *object_type, int64_t object_id,
                       int64_t at, int64_t *n)
{
	json_t *rows =
	    q_rows(db,
	           "SELECT id, changes FROM audit_log WHERE tenant_id = ? AND "
	           "object_type = ? AND object_id = ? AND redacted_at IS NULL ORDER BY id",
	           "iti", tenant_id, object_type, object_id);
	if (!rows)
		return CAS_EDB;
	size_t i;
	json_t *row;
	int rc = 0;
	int64_t count = 0;
	json_array_foreach(rows, i, row)
	{
		char *text = audit_chain_redacted_text(str_of(row, "changes"));
		rc = q_exec(db, "UPDATE audit_log SET changes = ?, redacted_at = ? WHERE id = ?",
		            "tii", text ? text : "{}", at, int_of(row, "id"));
		free(text);
		if (rc != 0)
			break;
		count++;
	}
	json_decref(rows);
	if (n)
		*n = count;
	return rc;
}
