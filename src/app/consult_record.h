/* The record of one call to a State API, shared by the consultations of
 * API Particulier (consult_caf.c) and "Vérifier la situation" (verify.c):
 * the fields kept (what was sent, what came back, the response reduced to
 * the granted keys), the server's Ed25519 signature over them
 * (consultations.h consultation_signed_fields, base/proof.h), and the row
 * written with its audit entry. Internal to src/app. */
#ifndef CAS_CONSULT_RECORD_H
#define CAS_CONSULT_RECORD_H
#include <jansson.h>
#include <stdint.h>

#include "providers/particulier.h"

struct actor;
struct db;

/* One call as it is recorded. Everything borrowed. */
struct consult_call {
	int64_t at;
	const char *api, *endpoint, *recipient, *scopes; /* scopes: space-separated */
	const json_t *parameters; /* what was sent: never a secret, never a numéro fiscal */
	int http_status;          /* 0: no answer */
	const char *error_kind;   /* NULL on success */
	const char *error_code, *error_message, *request_id, *body_sha256;
	const json_t *minimised; /* the answer reduced to the granted keys; NULL on failure */
};

/* The record of c (the columns of the consultations table as JSON, with
 * "parameters" and "response" as canonical JSON text), signed with the
 * server's key: new object, or NULL when no signing key is installed. */
json_t *consult_record_signed(const struct actor *who, const struct consult_call *c);

/* Where a record belongs: the dossier, whose identity was sent, and, for
 * "Vérifier la situation", the verification and the keyed hash of the
 * numéro fiscal (0 / NULL otherwise). */
struct consult_place {
	int64_t dossier_id, person_id, verification_id;
	const char *spi_hash;
};

/* Writes rec and its audit entry; the caller holds the transaction. */
int consult_record_insert(struct db *db, const struct actor *who, const struct consult_place *at,
                          const json_t *rec, int64_t *id);

/* consult_record_insert in its own transaction. */
int consult_record_store(struct db *db, const struct actor *who, const struct consult_place *at,
                         const json_t *rec, int64_t *id);

/* Reads the first line of a secret file (token, client id or secret) into
 * a new string: NULL when unreadable or empty. The caller wipes it with
 * consult_secret_free. */
char *consult_secret_read(const char *path);
void consult_secret_free(char *s);

/* Space-separated scopes of buf into list (at most 32, pointing into buf,
 * which is cut). Returns how many. */
int consult_split_scopes(char *buf, const char *list[32]);

/* --- API Particulier, in three steps (consult_caf.c), so that
 * "Vérifier la situation" can run the call beside another one --- */

struct caf_call {
	json_t *ctx;      /* consultation_store_context of the dossier */
	json_t *provider; /* the tenant's settings, NULL when not configured */
	int64_t at;
	struct pa_result res;
	json_t *minimised;
};

/* Loads what the call needs (no permission check: the caller's). 0,
 * CAS_ENOTFOUND (no such dossier), CAS_ECONFLICT (closed dossier), or a
 * database error. */
int caf_call_prepare(struct db *db, const struct actor *who, int64_t dossier_id,
                     struct caf_call *c);
/* The call itself: no database, thread-safe. */
void caf_call_run(struct caf_call *c);
/* The signed record of the call (NULL without a signing key). */
json_t *caf_call_record(const struct actor *who, const struct caf_call *c);
void caf_call_free(struct caf_call *c);

#endif
