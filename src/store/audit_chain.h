/* The hash chain of the audit log (table audit_log, migration 013).
 *
 * One chain per tenant (tenant 0: the platform's own entries), in id order.
 * Each entry stores
 *   changes_sha256 = SHA-256 of its changes text, as written (canonical
 *                    JSON: compact, keys sorted; "{}" for none),
 *   prev_hash      = the hash of the previous entry of its chain
 *                    (AUDIT_GENESIS for the first),
 *   hash           = SHA-256 of prev_hash, "\n" and the canonical form,
 * all lowercase hexadecimal. The canonical form (version 1) is the line
 * "cassis-audit-1" followed, for each field in this order, by "\n", the
 * field's name, "=", the length of its value in bytes, ":" and the value:
 *   id, tenant (0: platform), at (unix seconds), actor (user id, 0: none),
 *   actor_label, action, object_type, object_id (0: none), changes_sha256
 * (integers in decimal). The chain covers the digest of the changes, not
 * the changes themselves: a purge may replace the changes of an entry by
 * "[effacé]" markers (audit_chain_redact) and the chain still verifies.
 *
 * Writers append under the tenant's lock (DB_LOCK_AUDIT) inside their
 * transaction, so that two writers never fork a chain. */
#ifndef CAS_AUDIT_CHAIN_H
#define CAS_AUDIT_CHAIN_H
#include <jansson.h>
#include <stdint.h>

struct db;

#define AUDIT_HASH_SIZE 65 /* 64 hex digits and a NUL */
#define AUDIT_GENESIS   "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_REDACTED  "[effacé]"

struct audit_entry {
	int64_t id;        /* set by audit_chain_append */
	int64_t tenant_id; /* 0: platform */
	int64_t at;
	int64_t actor_id; /* 0: none (API key, system, unknown address) */
	const char *actor_label;
	const char *action;
	const char *object_type;
	int64_t object_id;   /* 0: none */
	const char *changes; /* JSON text, canonical */
};

/* The canonical form of e with the digest of its changes: a new string,
 * caller frees (free). */
char *audit_chain_canonical(const struct audit_entry *e, const char *changes_sha256);
/* hash = SHA-256(prev "\n" canonical), hex. */
void audit_chain_link(const char *prev, const char *canonical, char out[AUDIT_HASH_SIZE]);
/* The hash of a row as audit_chain_rows returns it, recomputed from its
 * fields, its stored changes_sha256 (empty when NULL) and prev. */
void audit_chain_row_hash(const json_t *row, const char *prev, char out[AUDIT_HASH_SIZE]);

/* Appends e to the chain of its tenant: inside a transaction that holds
 * db_lock(DB_LOCK_AUDIT(e->tenant_id)). Sets e->id; hash (may be NULL)
 * receives the entry's hash. 0 or a negative cas_err. */
int audit_chain_append(struct db *db, struct audit_entry *e, char *hash);

/* The newest entry of a chain: 1 with *id and hash set, 0 when the chain is
 * empty, negative on error. */
int audit_chain_head(struct db *db, int64_t tenant_id, int64_t *id, char hash[AUDIT_HASH_SIZE]);

/* Up to limit entries of a chain with id > after_id, by id: a new array of
 * {id, tenant_id, at, actor_id, actor_label, action, object_type,
 * object_id, changes, changes_sha256, prev_hash, hash, redacted_at}, NULL
 * on error. */
json_t *audit_chain_rows(struct db *db, int64_t tenant_id, int64_t after_id, int limit);

/* The chains present: a new array of {tenant_id (0: platform), siret,
 * name} (siret and name null for the platform), by tenant id. */
json_t *audit_chain_list(struct db *db);

/* Chains the entries that have no hash yet, in id order, onto each chain's
 * head: the step of migration 013 for the entries written before it. Inside
 * the migration's transaction. */
int audit_chain_seal(struct db *db);

/* The changes text with every value replaced by AUDIT_REDACTED, keys kept:
 * a new string (caller frees with free), NULL when text is not a JSON
 * object. */
char *audit_chain_redacted_text(const char *text);
/* 1 when text is a JSON object whose values are all AUDIT_REDACTED. */
int audit_chain_is_redacted_form(const char *text);

/* Redacts the changes of every entry of the tenant about the object
 * (object_type, object_id) not yet redacted: the values become
 * AUDIT_REDACTED, redacted_at = at; the digests stay. *n (may be NULL)
 * gets how many entries changed. Inside the caller's transaction. */
int audit_chain_redact(struct db *db, int64_t tenant_id, const char *object_type, int64_t object_id,
                       int64_t at, int64_t *n);

#endif
