/* SQL for households (foyers) and their members. Every query is scoped by
 * tenant_id. Returned json_t are new references (caller decrefs); NULL on
 * a database error, or with *err CAS_ENOTFOUND for a missing row. */
#ifndef CAS_HOUSEHOLD_STORE_H
#define CAS_HOUSEHOLD_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Sort orders of household_store_list. */
enum household_sort { HSORT_LABEL, HSORT_DATE };

int household_store_insert(struct db *db, int64_t tenant_id, const char *label, int64_t now,
                           int64_t *id);
/* {id, label, created_at} */
json_t *household_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
int household_store_set_label(struct db *db, int64_t tenant_id, int64_t id, const char *label);

/* A page of households (offset, limit) with demandeur (name of the current
 * demandeur, may be null), demandeur_id and members (current count). */
json_t *household_store_list(struct db *db, int64_t tenant_id, enum household_sort sort, int desc,
                             int64_t offset, int limit);
int household_store_count(struct db *db, int64_t tenant_id, int64_t *n);
/* Up to limit households with id > after_id, by id, same columns. */
json_t *household_store_page(struct db *db, int64_t tenant_id, int64_t after_id, int limit);

/* Members, current ones first then by entry date: {id, person_id,
 * relation, date_entree, date_sortie, nom, prenom, date_naissance}. */
json_t *household_store_members(struct db *db, int64_t tenant_id, int64_t household_id);
json_t *household_store_member_get(struct db *db, int64_t tenant_id, int64_t household_id,
                                   int64_t member_id, int *err);
int household_store_member_insert(struct db *db, int64_t tenant_id, int64_t household_id,
                                  int64_t person_id, const char *relation, const char *date_entree,
                                  int64_t *id);
int household_store_member_set_exit(struct db *db, int64_t tenant_id, int64_t member_id,
                                    const char *date_sortie);
/* Number of current members (no exit date) of the household with this
 * relation (relation NULL: any) and, when person_id != 0, this person. */
int household_store_count_current(struct db *db, int64_t tenant_id, int64_t household_id,
                                  const char *relation, int64_t person_id, int64_t *n);

/* Households where the person is or was a member: {id, label, relation,
 * date_entree, date_sortie}. */
json_t *household_store_by_person(struct db *db, int64_t tenant_id, int64_t person_id);

/* Identity summary of a person of the tenant: {id, nom, nom_naissance,
 * nom_usage, prenom, date_naissance}. */
json_t *household_store_person(struct db *db, int64_t tenant_id, int64_t person_id, int *err);

#endif
