/* Persons (usagers): état civil, contact and address, within the actor's
 * tenant.
 *
 * Input of person_create and person_update: a JSON object of strings keyed
 * by the form field names of domain/person.h (nom_naissance, nom_usage,
 * prenom1..prenom3, sexe, date_naissance, lieu_type, commune_naissance,
 * pays_naissance, nationalite, telephone, email, adresse, code_postal,
 * commune); absent fields count as empty. On invalid input they return
 * CAS_EINVAL with *errors = a new object field -> French message (caller
 * decrefs) and write nothing.
 *
 * A person as returned (new json object, caller decrefs): id, those
 * fields (null when not given; date_naissance in storage form
 * "1985-03-00"), created_at and updated_at (unix seconds). */
#ifndef CAS_PERSONS_H
#define CAS_PERSONS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* The person fields, in form order, NULL-terminated. */
extern const char *const person_fields[];

int person_create(struct db *db, const struct actor *who, json_t *in, int64_t *id, json_t **errors);
/* Replaces every field with in's (the API merges a partial update into the
 * current values first). CAS_ENOTFOUND outside the tenant. */
int person_update(struct db *db, const struct actor *who, int64_t id, json_t *in, json_t **errors);
/* NULL with *err = CAS_ENOTFOUND when the person is not in the tenant. */
json_t *person_get(struct db *db, const struct actor *who, int64_t id, int *err);

enum person_order {
	PERSON_ORDER_NOM,       /* nom de naissance, prénoms */
	PERSON_ORDER_NAISSANCE, /* date de naissance */
	PERSON_ORDER_CREATION,  /* date de création */
	PERSON_ORDER_ID,        /* id: with after_id, for cursor pagination */
};

struct person_search {
	const char *name;           /* "nom", "nom prénom" or "prénom nom"; NULL or "" for any */
	const char *date_naissance; /* JJ/MM/AAAA, MM/AAAA, AAAA or ISO; NULL or "" for any */
	enum person_order order;
	int desc;
	int limit;        /* 1..500 */
	int offset;       /* rows to skip */
	int64_t after_id; /* only ids above it */
	int64_t *total;   /* when not NULL, receives the number of matches */
};

/* The matching persons as a new array (caller decrefs), NULL on error:
 * *err = CAS_EINVAL with *errors = {"date_naissance": message} for an
 * unreadable date, CAS_EPERM, or a database error. */
json_t *person_search(struct db *db, const struct actor *who, const struct person_search *s,
                      int *err, json_t **errors);

#endif
