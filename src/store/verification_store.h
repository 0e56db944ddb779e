/* SQL of "Vérifier la situation" (migration 007): the verifications that
 * group a CAF / MSA and a DGFiP consultation, the tenants' API Impôt
 * particulier settings and the aid types' DGFiP scopes. Every query is
 * scoped by tenant_id. Returned json_t are new references (caller
 * decrefs); NULL on a database error, or with *err CAS_ENOTFOUND for a
 * missing row. */
#ifndef CAS_VERIFICATION_STORE_H
#define CAS_VERIFICATION_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* A verification as written; agent_id 0 is stored NULL. */
struct verification_row {
	int64_t dossier_id, agent_id;
	const char *agent_label;
	int64_t at, annee;
	const char *spi_hash;
};

int verification_store_insert(struct db *db, int64_t tenant_id, const struct verification_row *v,
                              int64_t *id);
/* {id, dossier_id, dossier_numero, agent_id, agent_label, agent (display
 * name, else label), at, annee, spi_hash} of a verification of that
 * dossier. */
json_t *verification_store_get(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t id,
                               int *err);
/* The dossier's verifications, newest first, at most limit (columns as
 * verification_store_get). */
json_t *verification_store_list(struct db *db, int64_t tenant_id, int64_t dossier_id, int limit);
/* The consultations of a verification: [{id, api, error_kind}] by id. */
json_t *verification_store_consultations(struct db *db, int64_t tenant_id, int64_t dossier_id,
                                         int64_t verification_id);

/* API Impôt particulier settings of the tenant: {base_url,
 * client_id_file, client_secret_file, cert_file, key_file,
 * id_teleservice, updated_at}. */
json_t *verification_store_impots(struct db *db, int64_t tenant_id, int *err);
/* Inserts or replaces them (s: the keys above but updated_at, strings). */
int verification_store_set_impots(struct db *db, int64_t tenant_id, const json_t *s, int64_t now);

/* The aid type's DGFiP scopes: {id, code, label, scopes}. */
json_t *verification_store_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      int *err);
int verification_store_set_aid_scopes(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      const char *scopes);

#endif
