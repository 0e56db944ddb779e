/* "Vérifier la situation" of a dossier: the CAF / MSA (API Particulier,
 * from the applicant's identity) and the DGFiP (API Impôt particulier,
 * from the numéro fiscal the agent types) consulted at the same time, each
 * recorded and signed like any consultation (consult_caf.h) under one
 * verification, and shown side by side with the household as declared
 * (domain/situation_compare.h).
 *
 * Concurrency: the two calls run in two threads (each provider client uses
 * a blocking libcurl easy handle), outside any transaction; the records
 * are written afterwards in one transaction. One source failing does not
 * hide the other: each consultation is recorded with its own result.
 *
 * The numéro fiscal (SPI) lives only in memory for the call and is wiped
 * (sodium_memzero) afterwards; it is never written to the database, the
 * logs, the audit or a page. Only its keyed hash (ip_spi_hash, with the
 * installation's key: verify_set_spi_key) is kept, on the DGFiP
 * consultation and the verification, so that two consultations of the
 * same foyer fiscal can be linked.
 *
 * The tenant's DGFiP settings (tenant_impots: gateway, client id and
 * secret FILES, TLS certificate and key files, ID_Teleservice) are set by
 * the platform operator only (provider_set_impots) and read at each call;
 * the credentials are read from their files at call time, used, then
 * wiped. The data kept are those the aid type's DGFiP scopes grant
 * (aid_types.scopes_impots, DataPass names). */
#ifndef CAS_VERIFY_H
#define CAS_VERIFY_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct db;

#define VERIFY_API_IMPOTS "impots"

/* The installation's key of the SPI hash (16 to 64 bytes, copied),
 * installed once at start-up. Before that, verify_situation refuses
 * (CAS_EIO). */
void verify_set_spi_key(const unsigned char *key, size_t len);
int verify_spi_key_ready(void);

struct verify_outcome {
	int64_t verification_id;
	int64_t caf_id, dgfip_id; /* the two consultations recorded */
	int caf_ok, dgfip_ok;     /* each provider answered with data */
	char caf_kind[16], dgfip_kind[16];
	int annee;               /* income year asked of the DGFiP */
	const char *spi_warning; /* static French sentence (mod-511 check) or NULL */
};

/* Verifies dossier_id of the actor's tenant. in: {"spi": the numéro
 * fiscal (13 digits; spaces, dots and hyphens allowed), "annee": the
 * income year (optional; string or integer; default: the DGFiP calendar,
 * N-1 from 22 July, N-2 before)}. Returns 0 when both consultations were
 * recorded (whatever the providers said: see out), CAS_EINVAL with
 * *errors (field -> French message; nothing asked nor recorded),
 * CAS_EPERM (PERM_PARTICULIER_CONSULT), CAS_ENOTFOUND (no such dossier in
 * the tenant), CAS_ECONFLICT (closed dossier), CAS_EIO (no signing or SPI
 * key) or a database error. The SPI copies made here are wiped; the
 * caller wipes in with verify_wipe_input. */
int verify_situation(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                     struct verify_outcome *out, json_t **errors);

/* Overwrites the "spi" string of in with zero bytes, in place. */
void verify_wipe_input(json_t *in);

/* One verification of the dossier (PERM_DOSSIER_DETAIL): {id, dossier_id,
 * dossier_numero, agent, at, annee, "caf" and "dgfip": the consultation as
 * consultation_get returns it (null when absent), "comparaison":
 * situation_compare of the successful answers, "membres": the current
 * members, "adresse_declaree": {adresse, code_postal, commune}}. New
 * object, or NULL with *err. */
json_t *verification_get(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                         int *err);

/* The dossier's verifications, newest first, at most limit
 * (PERM_DOSSIER_DETAIL): [{id, at, agent, annee, caf_ok, dgfip_ok,
 * caf_kind, dgfip_kind}]. */
json_t *verification_list(struct db *db, const struct actor *who, int64_t dossier_id, int limit,
                          int *err);

/* The id of the dossier's latest successful DGFiP consultation's record
 * fields needed by the evaluation: {id, at, reponse} or NULL (none, or a
 * database error). No permission check (the caller's). */
json_t *verification_latest_dgfip(struct db *db, int64_t tenant_id, int64_t dossier_id);

/* --- settings --- */

/* The DGFiP scopes an aid may keep: [{code, label}] (new array). */
json_t *impots_scopes(void);

/* The operator sets how the CCAS of SIRET siret reaches API Impôt
 * particulier. s: {base_url (http:// or https://), client_id_file,
 * client_secret_file (absolute paths of readable files), cert_file,
 * key_file (absolute paths, optional, both or none), id_teleservice
 * (optional, printable)}. PERM_PROVIDER_CONFIG (the command line only).
 * CAS_EINVAL with *errors; CAS_ENOTFOUND for an unknown SIRET. Audited in
 * the tenant's log (paths only; the files are never read here but to
 * check they are readable). */
int provider_set_impots(struct db *db, const struct actor *who, const char *siret, json_t *s,
                        json_t **errors);
/* The settings of the tenant, or NULL with *err (CAS_ENOTFOUND when not
 * configured). PERM_PROVIDER_CONFIG. */
json_t *provider_get_impots(struct db *db, const struct actor *who, const char *siret, int *err);

/* The aid type's DGFiP scopes: {id, code, label, scopes, choices: [{code,
 * label, checked}]}. PERM_AIDS_ADMIN. */
json_t *aid_impots_scopes_get(struct db *db, const struct actor *who, int64_t aid_type_id,
                              int *err);
/* in: {"scopes": array of codes or a string of codes}; at least one;
 * unknown codes refused (CAS_EINVAL with *errors). PERM_AIDS_ADMIN;
 * audited. */
int aid_impots_scopes_set(struct db *db, const struct actor *who, int64_t aid_type_id, json_t *in,
                          json_t **errors);

#endif
