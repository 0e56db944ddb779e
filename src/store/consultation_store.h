/* SQL for the consultations of State APIs (migration 006), the tenants'
 * provider settings and the aid types' API Particulier scopes. Every query
 * is scoped by tenant_id. Returned json_t are new references (caller
 * decrefs); NULL on a database error, or with *err CAS_ENOTFOUND for a
 * missing row. */
#ifndef CAS_CONSULTATION_STORE_H
#define CAS_CONSULTATION_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* A consultation as written (see 006_consultations.sql, and
 * 007_verifications.sql for verification_id and spi_hash). NULL strings
 * bind SQL NULL; agent_id, person_id and verification_id 0 are stored
 * NULL. The response is sealed at rest for its row (store/sealed_store.h):
 * the insert seals it, get and list open it (CAS_EIO / NULL when it does
 * not open). */
struct consultation_row {
	int64_t dossier_id, person_id, agent_id, verification_id;
	const char *spi_hash; /* keyed hash of the numéro fiscal (DGFiP), or NULL */
	const char *agent_label;
	int64_t at;
	const char *api, *endpoint, *recipient, *scopes, *parameters;
	int64_t http_status;
	const char *error_kind, *error_code, *error_message;
	const char *request_id, *response_sha256, *response;
	const char *signature, *key_id, *public_key;
};

int consultation_store_insert(struct db *db, int64_t tenant_id, const struct consultation_row *c,
                              int64_t *id);
/* Every column, with agent (the user's display name, else agent_label),
 * dossier_numero and person (nom prénom). Only a consultation of that
 * dossier. */
json_t *consultation_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                               int *err);
/* The dossier's consultations, newest first, at most limit, columns as
 * consultation_store_get. */
json_t *consultation_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id, int limit);

/* What a consultation of the dossier needs: {dossier_id, numero, state,
 * household_id, applicant_id, aid_type_id, scopes, siret, and the
 * applicant's nom_naissance, nom_usage, prenom1, prenom2, prenom3, sexe,
 * date_naissance, lieu_type, commune_naissance, pays_naissance, adresse,
 * code_postal, commune}. */
json_t *consultation_store_context(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err);
/* Current members of the household with their état civil: [{person_id,
 * relation, nom_naissance, nom_usage, prenom1, prenom2, prenom3, sexe,
 * date_naissance}] by membership. */
json_t *consultation_store_members(struct db *db, int64_t tenant_id, int64_t household_id);
/* Persons of the tenant with this folded nom de naissance born in year:
 * [{id, prenom_fold, date_naissance}]. */
json_t *consultation_store_persons_like(struct db *db, int64_t tenant_id, const char *nom_fold,
                                        int year);

/* Provider settings of the tenant for api ("particulier"): {base_url,
 * token_file, updated_at}. */
json_t *consultation_store_provider(struct db *db, int64_t tenant_id, const char *api, int *err);
/* Inserts or replaces them. */
int consultation_store_set_provider(struct db *db, int64_t tenant_id, const char *api,
                                    const char *base_url, const char *token_file, int64_t now);

/* The aid type's scopes: {id, code, label, scopes}. */
json_t *consultation_store_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      int *err);
int consultation_store_set_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      const char *scopes);

#endif
