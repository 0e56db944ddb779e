/* Reading the persons of a situation: roles, ages at the situation's date
 * and the flags the computations need. */
#include "domain/situation_internal.h"

#include <stdio.h>
#include <string.h>

#include "domain/pdate.h"

#define MSG_BOOL "Indiquez true (oui) ou false (non)."

static void person_field(char *out, size_t outsz, size_t i, const char *key)
{
	snprintf(out, outsz, "personnes[%zu].%s", i, key);
}

static void read_flag(struct sit *s, const json_t *o, size_t i, const char *key, int *out)
{
	const json_t *v = json_object_get(o, key);
	char path[64];
	if (!v || json_is_null(v))
		return;
	if (!json_is_boolean(v)) {
		person_field(path, sizeof(path), i, key);
		sit_error(s, path, MSG_BOOL);
		return;
	}
	*out = json_is_true(v);
}

static void read_role(struct sit *s, const json_t *o, size_t i, struct sit_person *p)
{
	char path[64];
	person_field(path, sizeof(path), i, "role");
	if (relation_from_code(json_string_value(json_object_get(o, "role")), &p->role) != 0) {
		sit_error(
		    s, path,
		    "Indiquez le rôle : demandeur, conjoint, enfant, personne_a_charge ou autre.");
		p->role = REL_AUTRE;
	}
}

/* Age from the birth date (at the situation's date) or the "age" field. */
static void read_age(struct sit *s, const json_t *o, size_t i, struct sit_person *p)
{
	const json_t *born = json_object_get(o, "date_naissance"), *age = json_object_get(o, "age");
	char path[64];
	struct pdate d;
	const char *why = "Date de naissance invalide.";
	p->age = -1;
	if (born && !json_is_null(born)) {
		person_field(path, sizeof(path), i, "date_naissance");
		if (!json_is_string(born) || pdate_parse(json_string_value(born), &d, &why) != 0) {
			sit_error(s, path, why);
			return;
		}
		if (!s->has_date)
			return;
		p->age = pdate_age_at(&d, s->y, s->m, s->d);
		if (p->age < 0)
			sit_error(s, path,
			          "La date de naissance est postérieure à la date de la "
			          "situation.");
		return;
	}
	if (!age || json_is_null(age))
		return;
	person_field(path, sizeof(path), i, "age");
	if (!json_is_integer(age) || json_integer_value(age) < 0 ||
	    json_integer_value(age) > SIT_MAX_AGE) {
		sit_error(s, path, "L'âge est un nombre entier d'années, de 0 à 130.");
		return;
	}
	p->age = (int)json_integer_value(age);
}

static void read_person(struct sit *s, const json_t *o, size_t i, struct sit_person *p)
{
	char path[64];
	memset(p, 0, sizeof(*p));
	if (!json_is_object(o)) {
		snprintf(path, sizeof(path), "personnes[%zu]", i);
		sit_error(s, path, "Chaque personne est un objet JSON.");
		p->role = REL_AUTRE;
		p->age = -1;
		return;
	}
	read_role(s, o, i, p);
	read_age(s, o, i, p);
	p->a_charge = p->role == REL_ENFANT || p->role == REL_PERSONNE_A_CHARGE;
	read_flag(s, o, i, "a_charge", &p->a_charge);
	read_flag(s, o, i, "garde_alternee", &p->alternee);
	read_flag(s, o, i, "invalidite", &p->invalide);
	read_flag(s, o, i, "aeeh", &p->aeeh);
	read_flag(s, o, i, "ancien_combattant", &p->combattant);
	if (p->alternee && p->role != REL_ENFANT) {
		person_field(path, sizeof(path), i, "garde_alternee");
		sit_error(s, path, "Seul un enfant peut être en résidence alternée.");
	}
}

/* At most one applicant and one spouse; the applicant defaults to the
 * first person. */
static void check_roles(struct sit *s)
{
	int conjoints = 0;
	char path[64];
	for (int i = 0; i < s->nb; i++) {
		person_field(path, sizeof(path), (size_t)i, "role");
		if (s->p[i].role == REL_DEMANDEUR) {
			if (s->demandeur >= 0)
				sit_error(s, path, "La situation ne peut compter qu'un demandeur.");
			else
				s->demandeur = i;
		}
		if (s->p[i].role == REL_CONJOINT && ++conjoints > 1)
			sit_error(s, path, "La situation ne peut compter qu'un conjoint.");
	}
	if (s->demandeur < 0 && s->nb > 0)
		s->demandeur = 0;
}

void sit_read_persons(struct sit *s)
{
	const json_t *arr = json_object_get(s->json, "personnes"), *o;
	size_t i;
	if (!arr || json_is_null(arr))
		return;
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		sit_error(s, "personnes",
		          "Les personnes du foyer sont une liste d'au moins une "
		          "personne (le demandeur).");
		return;
	}
	if (json_array_size(arr) > SIT_MAX_PERSONS) {
		sit_error(s, "personnes", "Un foyer compte au plus 40 personnes.");
		return;
	}
	json_array_foreach(arr, i, o) read_person(s, o, i, &s->p[i]);
	s->nb = (int)json_array_size(arr);
	s->has_persons = 1;
	check_roles(s);
}
