/* Reading the consultations of State APIs recorded for a dossier (see
 * consult_caf.h), their proofs, the comparison of the CAF household with
 * the declared one, applying the CAF composition to the household, and the
 * settings around them: the tenants' provider settings (operator only) and
 * the scopes of each aid type (administrateur).
 *
 * Returned objects are new (caller decrefs); NULL with *err on failure
 * (CAS_ENOTFOUND outside the tenant or for a consultation of another
 * dossier, CAS_EPERM without the permission). */
#ifndef CAS_CONSULTATIONS_H
#define CAS_CONSULTATIONS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* The signed fields (base/proof.h) of a record holding the columns of the
 * consultations table (agent_id, agent_label, at, api, endpoint,
 * recipient, scopes, parameters, http_status, error_kind, error_code,
 * request_id, response_sha256, response). New object. */
json_t *consultation_signed_fields(const json_t *rec);

/* The dossier's consultations, newest first, at most limit (for those who
 * see the instruction, PERM_DOSSIER_DETAIL): the columns of the table with
 * agent (name), dossier_numero, person, and "reponse" / "parametres"
 * parsed (null when none), "ok" (bool). */
json_t *consultation_list(struct db *db, const struct actor *who, int64_t dossier_id, int limit,
                          int *err);

/* One consultation of the dossier, as in the list, with "signature_valide"
 * (checked now against its stored public key). */
json_t *consultation_get(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                         int *err);

/* The proof document (base/proof.h) of one consultation. */
json_t *consultation_proof(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                           int *err);

/* A successful consultation's household next to the dossier's current
 * household and the applicant's address (domain/caf_compare.h), with
 * "membres": the current members. CAS_ECONFLICT for a failed
 * consultation. */
json_t *consultation_compare(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                             int *err);

/* The children the CAF lists and the household lacks, each with what the
 * agent must complete: [{index, libelle, naissance_fr, nom_naissance,
 * prenoms, sexe, date_naissance, existing_person_id (a person of the
 * tenant with this identity, or null), needs_details (bool: a new person
 * must be created: birth place and nationality are asked)}]. */
json_t *consultation_missing_children(struct db *db, const struct actor *who, int64_t dossier_id,
                                      int64_t id, int *err);

/* Adds the missing children to the dossier's household (relation
 * "enfant", from today): an existing person of the tenant with the same
 * identity is reused, otherwise a person is created from the CAF identity
 * and, from in, "lieu_naissance_<index>" (COG of the commune, or 99xxx for
 * a country) and "nationalite_<index>". Everything is validated first:
 * CAS_EINVAL with *errors (field -> French message) writes nothing. Each
 * person and membership is written and audited by the persons and
 * households use cases. *added: how many children were added. Needs
 * PERM_PARTICULIER_APPLY. */
int consultation_apply_children(struct db *db, const struct actor *who, int64_t dossier_id,
                                int64_t id, json_t *in, int *added, json_t **errors);

/* --- settings --- */

/* The scopes of API Particulier: [{code, label, key}] (new array). */
json_t *particulier_scopes(void);

/* The operator sets how the CCAS of SIRET siret reaches API Particulier:
 * base_url (http:// or https://) and the path of the token file (absolute,
 * a readable file). PERM_PROVIDER_CONFIG (the command line only).
 * CAS_EINVAL with *errors; CAS_ENOTFOUND for an unknown SIRET. Audited in
 * the tenant's log (without the token, which is never read here). */
int provider_set_particulier(struct db *db, const struct actor *who, const char *siret,
                             const char *base_url, const char *token_file, json_t **errors);

/* {base_url, token_file, updated_at} of the tenant for API Particulier, or
 * NULL with *err (CAS_ENOTFOUND when not configured). PERM_PROVIDER_CONFIG. */
json_t *provider_get_particulier(struct db *db, const struct actor *who, const char *siret,
                                 int *err);

/* 1 when the tenant's API Particulier points to a local stand-in (host
 * 127.0.0.1, localhost or [::1]): the pages then say that this is a
 * demonstration environment. No permission: a yes or no for the layout. */
int provider_is_demo(struct db *db, int64_t tenant_id);

/* The aid type's scopes: {id, code, label, scopes, choices: [{code,
 * label, key, checked}]}. PERM_AIDS_ADMIN. */
json_t *aid_scopes_get(struct db *db, const struct actor *who, int64_t aid_type_id, int *err);
/* in: {"scopes": array of codes, or a string of codes separated by spaces
 * or commas}, at least one; unknown codes are refused (CAS_EINVAL with
 * *errors). PERM_AIDS_ADMIN; audited. */
int aid_scopes_set(struct db *db, const struct actor *who, int64_t aid_type_id, json_t *in,
                   json_t **errors);

#endif
