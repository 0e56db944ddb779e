/* The households of the demonstration CCAS (cassis demo): fictitious
 * people, with the variety a CCAS meets (couples, single parents, elderly
 * people, births with an unknown day or month, people born abroad). */
#ifndef CAS_DEMO_DATA_H
#define CAS_DEMO_DATA_H
#include <stddef.h>

struct demo_person {
	const char *relation; /* NULL ends the list; the first one is the demandeur */
	const char *nom, *nom_usage, *prenom, *prenom2, *sexe, *naissance;
	const char *pays;              /* COG code of the country of birth; NULL: born in France */
	const char *commune_naissance; /* COG code when born in France */
	const char *nationalite, *entree;
};

struct demo_line {
	const char *category, *label, *montant; /* NULL category ends the list */
};

struct demo_dossier {
	const char *aide; /* aid type code; NULL ends the list */
	const char *motif, *montant, *state;
	struct demo_line lines[8]; /* ends at the first NULL category */
	const char *note;          /* may be NULL */
};

struct demo_household {
	const char *adresse, *telephone, *email;
	struct demo_person members[6];
	struct demo_dossier dossiers[3];
};

extern const struct demo_household demo_households[];
extern const size_t demo_households_count;

#endif
