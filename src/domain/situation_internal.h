/* Private to situation*.c: a situation read and checked from its JSON. */
#ifndef CAS_DOMAIN_SITUATION_INTERNAL_H
#define CAS_DOMAIN_SITUATION_INTERNAL_H
#include <stdint.h>
#include <jansson.h>

#include "domain/household.h"
#include "domain/ratio.h"
#include "domain/situation.h"

#define SIT_MAX_PERSONS 40
#define SIT_MAX_AGE     130

/* Known statuses, each giving a boolean variable beneficiaire_<name>. */
#define SIT_STATUTS                                                                                \
	"rsa", "aah", "ass", "aspa", "asi", "css", "prime_activite", "demandeur_emploi",           \
	    "etudiant", "retraite", "apl"
#define SIT_NB_STATUTS 11

struct sit_person {
	enum relation role;
	int age; /* whole years at the situation's date, -1 when unknown */
	int a_charge, alternee, invalide, aeeh, combattant;
};

struct sit_amount {
	int has;
	int64_t cents;
};

struct sit {
	const json_t *json;
	json_t *errors; /* owned: field -> French message */
	int has_date, y, m, d;
	int has_persons, nb;
	struct sit_person p[SIT_MAX_PERSONS];
	int demandeur;         /* index of the applicant, -1 when no person */
	const char *familiale; /* static code, NULL when not given */
	int cases[26];         /* box letter - 'A' -> -1 unset, 0, 1 */
	struct sit_amount res_m, res_a, charges, pf, rfr, montant;
	int has_parts, has_qf;
	struct ratio parts, qf;
	const char *commune; /* borrowed from json */
	int has_statuts;
	unsigned statuts;    /* bit i: SIT_STATUTS[i] */
	const json_t *extra; /* "variables", borrowed */
};

/* Reads and checks everything; 0 or CAS_EINVAL (s->errors not empty).
 * s->errors is always a new object the caller releases. */
int sit_read(struct sit *s, const json_t *situation, const char *date);
void sit_read_persons(struct sit *s);
void sit_error(struct sit *s, const char *field, const char *msg);
const char *sit_statut_name(int i);

#endif
