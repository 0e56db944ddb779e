/* Signed proofs of the consultations of State APIs: the server's Ed25519
 * key (libsodium), the canonical text it signs, and the proof document
 * anyone can check later with `cassis proof verify`.
 *
 * Signed fields (all strings, in this order; see PROOF_FIELDS):
 *   api, endpoint, request_id (X-Request-Id of the answer), time (RFC 3339,
 *   UTC), http_status, result ("ok" or the error kind), error_code,
 *   response_sha256 (of the exact response bytes), siret (the recipient),
 *   agent ("<user id>:<e-mail>" or the label of the key or command),
 *   scopes, parameters_sha256 and minimised_sha256 (SHA-256 of the
 *   canonical JSON of the parameters sent and of the minimised response).
 *
 * Canonical text: the line "cassis-preuve-consultation-v1", then one line
 * "name=value" per field in the order above, each ending with "\n". In
 * values, bytes below 0x20, 0x7f and '%' are written %XX (upper-case hex),
 * so that a value never spans lines.
 *
 * Canonical JSON (for the digests): jansson's compact form with the keys
 * sorted (no spaces, UTF-8 kept, integers in decimal); JSON null for an
 * absent value.
 *
 * Proof document (JSON): {"type": "cassis-preuve-consultation",
 * "version": 1, "champs": {the signed fields}, "parametres": {...},
 * "reponse_minimisee": {...} or null, "algorithme": "Ed25519",
 * "cle_publique": base64, "identifiant_cle": key id, "signature": base64,
 * "informations": {...}} — "informations" is not signed (consultation
 * number, dossier, labels for a reader).
 *
 * Key files: text; lines starting with '#' are comments; the key line is
 * "ed25519-secret:<base64 of the 32-byte seed>" (secret key file, mode
 * 0600) or "ed25519-public:<base64 of the 32-byte public key>" (a bare
 * base64 public key is accepted too). The key id is the first 16 hex
 * digits of the SHA-256 of the public key.
 *
 * crypto_init() must have succeeded first. */
#ifndef CAS_PROOF_H
#define CAS_PROOF_H
#include <stddef.h>

#include <jansson.h>
#include <sodium.h>

#define PROOF_B64_KEY 45 /* base64 of 32 bytes + NUL */
#define PROOF_B64_SIG 89 /* base64 of 64 bytes + NUL */
#define PROOF_KEY_ID  17

struct proof_key {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	char pk_b64[PROOF_B64_KEY];
	char key_id[PROOF_KEY_ID];
};

/* The signed field names, in canonical order, NULL-terminated. */
extern const char *const proof_fields[];

/* Creates a new key in path (the file must not exist; created with mode
 * 0600). 0, CAS_ECONFLICT when the file exists, CAS_EIO otherwise. */
int proof_key_create(const char *path, struct proof_key *k);

/* Reads the secret key of path. When the file does not exist and create is
 * set, creates it (proof_key_create; *created = 1). 0, CAS_ENOTFOUND
 * (absent, create not set), CAS_EINVAL (not a key file), CAS_EIO. */
int proof_key_load(const char *path, int create, struct proof_key *k, int *created);

/* Erases the secret part. */
void proof_key_wipe(struct proof_key *k);

/* A public key from a file: a public key file, or a secret key file (its
 * public half). 0, CAS_EINVAL, CAS_EIO. */
int proof_public_key_read(const char *path, unsigned char pk[crypto_sign_PUBLICKEYBYTES]);

/* The key id of a public key into out. */
void proof_key_id(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], char out[PROOF_KEY_ID]);

/* Lowercase hex SHA-256 of the canonical JSON of v (NULL counts as JSON
 * null). */
void proof_json_sha256(const json_t *v, char out[65]);

/* The canonical text of fields (an object holding every name of
 * proof_fields as a string; other keys are ignored): new string the
 * caller frees, or NULL when a field is missing or not a string. */
char *proof_canonical(const json_t *fields);

/* Signs the canonical text of fields: base64 signature into sig. 0 or
 * CAS_EINVAL (fields incomplete). */
int proof_sign(const struct proof_key *k, const json_t *fields, char sig[PROOF_B64_SIG]);

/* 0 when sig_b64 is pk's signature of the canonical text of fields,
 * CAS_EAUTH otherwise (CAS_EINVAL when fields are incomplete or the
 * signature is not base64 of 64 bytes). */
int proof_check(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const json_t *fields,
                const char *sig_b64);

/* The proof document (new object; every argument borrowed; parameters and
 * minimised may be NULL; info may be NULL). */
json_t *proof_document(const json_t *fields, const json_t *parameters, const json_t *minimised,
                       const char *pk_b64, const char *sig_b64, const json_t *info);

/* Checks a proof document: its shape, the digests of "parametres" and
 * "reponse_minimisee" against the signed ones, the signature with the
 * document's public key, and, when pk is not NULL, that the document's key
 * is pk. 0 when valid; otherwise CAS_EINVAL (not a proof document) or
 * CAS_EAUTH (altered, or signed by another key), with a static French
 * reason in *why. */
int proof_verify(const json_t *doc, const unsigned char *pk, const char **why);

#endif
