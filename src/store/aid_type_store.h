/* SQL for the catalogue of aid types of a tenant. Returned json_t are new
 * references (caller decrefs); NULL on a database error. */
#ifndef CAS_AID_TYPE_STORE_H
#define CAS_AID_TYPE_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* CAS_ECONFLICT when the code is taken in this tenant. */
int aid_type_store_insert(struct db *db, int64_t tenant_id, const char *code, const char *label,
                          const char *description, int64_t *id);
/* {id, code, label, description, active}; NULL with *err CAS_ENOTFOUND
 * when the id is not one of this tenant's. */
json_t *aid_type_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
json_t *aid_type_store_by_code(struct db *db, int64_t tenant_id, const char *code, int *err);
/* The whole catalogue by label; active_only keeps the active types. */
json_t *aid_type_store_list(struct db *db, int64_t tenant_id, int active_only);
/* Up to limit rows with id > after_id, by id (API pages). */
json_t *aid_type_store_page(struct db *db, int64_t tenant_id, int64_t after_id, int limit);
int aid_type_store_set_active(struct db *db, int64_t tenant_id, int64_t id, int active);

/* The descriptive fields of an aid type besides its code (migration 005).
 * deliberation_date NULL when unknown; champs_declares and pieces are JSON
 * array texts. */
struct aid_type_fields {
	const char *label, *description;
	const char *deliberation_numero, *deliberation_date;
	const char *categorie;
	const char *champs_declares, *pieces;
};
/* Inserts a type with all its fields, active. CAS_ECONFLICT when the code
 * is taken in this tenant. */
int aid_type_store_insert_full(struct db *db, int64_t tenant_id, const char *code,
                               const struct aid_type_fields *f, int64_t *id);
/* {id, code, label, description, active, deliberation_numero,
 * deliberation_date, categorie, champs_declares, pieces} (the last two as
 * JSON texts). */
json_t *aid_type_store_detail(struct db *db, int64_t tenant_id, int64_t id, int *err);
int aid_type_store_update(struct db *db, int64_t tenant_id, int64_t id,
                          const struct aid_type_fields *f);

#endif
