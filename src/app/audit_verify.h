/* Verification of the audit log's hash chains (store/audit_chain.h), the
 * seal of `cassis audit verify` and of the daily "audit_head" job. */
#ifndef CAS_AUDIT_VERIFY_H
#define CAS_AUDIT_VERIFY_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

#define AUDIT_VERIFY_ALL        (-1) /* every chain (the system only) */
#define AUDIT_VERIFY_MAX_ERRORS 50   /* reported per chain; the others counted */

/* An entry whose hash was kept elsewhere (the daily "audit_head" line):
 * the chain must still hold it, with that hash. id 0: none. */
struct audit_anchor {
	int64_t id;
	const char *hash;
};

/* Walks the chain of tenant_id (0: the platform's; AUDIT_VERIFY_ALL: every
 * chain) and recomputes every link. *report, a new object:
 *   {intact: bool, errors: total, chains: [{tenant_id, siret, name,
 *    entries, redacted, last_id, hash, intact, error_count,
 *    errors: [{id, kind, expected, found, message}]}]}
 * kinds: "contenu" (the entry no longer matches its hash: modified or
 * renumbered), "maillon" (its previous hash is not the hash of the entry
 * before it: an entry was deleted, inserted or moved), "sans_empreinte"
 * (no hash: inserted outside Cassis), "modifications" (the changes no
 * longer match their digest), "caviardage" (redacted changes that are not
 * only "[effacé]" markers), "ancre" (the anchor's entry is missing or
 * differs: entries removed at the end or the chain rewritten); message in
 * French. anchor (may be NULL) applies to a single chain.
 * Users with PERM_AUDIT_READ verify their own tenant's chain only (any
 * other tenant_id is CAS_EPERM); the system any. 0 or a negative cas_err
 * (*report NULL then). */
int audit_verify(struct db *db, const struct actor *who, int64_t tenant_id,
                 const struct audit_anchor *anchor, json_t **report);

/* The work of the daily job "audit_head" (app/jobs.h): verifies every chain
 * and writes its head to the server log, one line per chain:
 *   {"msg":"audit_head","event":"audit_head","tenant":SIRET or
 *    "plateforme","tenant_id":n,"last_id":n,"hash":"...","entries":n,
 *    "intact":bool}
 * (level error when the chain is broken), so that the heads can be kept
 * elsewhere and given back to `cassis audit verify --head`. *result:
 * {"chains": n, "broken": n}. PERM_MAINTENANCE. */
int audit_heads_job(struct db *db, const struct actor *who, int64_t now, json_t **result);

/* Redacts the changes of the tenant's audit entries about one object (the
 * purge of a person: their values become "[effacé]"; the chain still
 * verifies). *n (may be NULL) gets how many entries changed. In the
 * caller's transaction when one is open. PERM_MAINTENANCE. */
int audit_redact_object(struct db *db, const struct actor *who, int64_t tenant_id,
                        const char *object_type, int64_t object_id, int64_t *n);

#endif
