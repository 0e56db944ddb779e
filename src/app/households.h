/* Households (foyers): who lives with the applicant, in which relation,
 * since and until when. A household has exactly one current demandeur; a
 * person may belong to several households over time.
 *
 * Inputs are JSON objects of strings (form fields), ids also as JSON
 * integers (API). On invalid input the mutations return CAS_EINVAL with
 * *errors = a new object field -> French message (caller decrefs) and
 * write nothing. Dates are full dates, ISO "AAAA-MM-JJ" or "JJ/MM/AAAA",
 * stored ISO, never after today. Returned objects are new (caller
 * decrefs); NULL with *err on failure (CAS_ENOTFOUND outside the tenant). */
#ifndef CAS_HOUSEHOLDS_H
#define CAS_HOUSEHOLDS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* in: {demandeur_id (person of the tenant), label (optional: "Foyer
 * NOM Prénom" from the demandeur), date_entree (optional: today)}. */
int household_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                     json_t **errors);
/* in: {label}. */
int household_update(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     json_t **errors);
/* in: {person_id, relation (domain/household.h code), date_entree
 * (optional: today)}. */
int household_add_member(struct db *db, const struct actor *who, int64_t household_id, json_t *in,
                         int64_t *member_id, json_t **errors);
/* in: {date_sortie}. The demandeur never leaves: a household keeps its one
 * current demandeur (for another demandeur, create another household). */
int household_member_exit(struct db *db, const struct actor *who, int64_t household_id,
                          int64_t member_id, json_t *in, json_t **errors);

/* {id, label, created_at, demandeur_id, members: [{id, person_id, nom,
 * prenom, date_naissance, relation, relation_label, date_entree,
 * date_sortie, current}]} */
json_t *household_get(struct db *db, const struct actor *who, int64_t id, int *err);

enum household_order { HOUSEHOLD_ORDER_LABEL, HOUSEHOLD_ORDER_DATE };

/* A page of the list: [{id, label, created_at, demandeur_id, demandeur,
 * members}] and the total count in *total. */
json_t *household_list(struct db *db, const struct actor *who, enum household_order order, int desc,
                       int64_t offset, int limit, int64_t *total, int *err);
/* Up to limit + 1 households with id > after_id, by id (API pages). */
json_t *household_page(struct db *db, const struct actor *who, int64_t after_id, int limit,
                       int *err);
/* Households the person belongs or belonged to: [{id, label, relation,
 * relation_label, date_entree, date_sortie}]. */
json_t *household_of_person(struct db *db, const struct actor *who, int64_t person_id, int *err);

/* Identity summary of a person of the tenant, for the household forms:
 * {id, nom, prenom, date_naissance, label} (label: the default household
 * label). */
json_t *household_person_summary(struct db *db, const struct actor *who, int64_t person_id,
                                 int *err);

#endif
