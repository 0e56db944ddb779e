/* Consulting the CAF / MSA quotient familial (API Particulier v3) for a
 * dossier: the identity of the dossier's applicant is sent, the answer is
 * reduced to the keys the aid type's scopes grant, and every consultation,
 * successful or not, is recorded with its audit entry and signed by the
 * server's key (base/proof.h). The call itself runs outside any
 * transaction; a failed consultation never changes the dossier.
 *
 * The tenant's settings (tenant_providers: base URL and token FILE, set by
 * the operator with `cassis tenant set-provider`) are read at each call;
 * the token is read from its file at call time, used, then wiped. The
 * recipient sent is the tenant's SIRET. */
#ifndef CAS_CONSULT_CAF_H
#define CAS_CONSULT_CAF_H
#include <stdint.h>

struct actor;
struct db;
struct proof_key;

#define CONSULT_API_PARTICULIER "particulier"

/* The server's signing key, installed once at start-up (copied). Before
 * that, consult_caf refuses (CAS_EIO). */
void consult_set_signing_key(const struct proof_key *k);
/* The installed key or NULL. */
const struct proof_key *consult_signing_key(void);

struct consult_outcome {
	int64_t consultation_id; /* the record (always written when 0 is returned) */
	int ok;                  /* the provider answered with data */
	char kind[16];           /* "ok" or the error kind (providers/particulier.h) */
};

/* Consults for dossier_id of the actor's tenant and records the
 * consultation. Returns 0 when it was recorded (whatever the provider
 * said: see out->ok), CAS_EPERM (PERM_PARTICULIER_CONSULT), CAS_ENOTFOUND
 * (no such dossier in the tenant), CAS_ECONFLICT (closed dossier: nothing
 * is asked nor recorded), CAS_EIO (no signing key) or a database error. */
int consult_caf(struct db *db, const struct actor *who, int64_t dossier_id,
                struct consult_outcome *out);

#endif
