/* État civil and contact details of a person, as entered in the person
 * form, and their validation.
 *
 * Minimisation (CNIL): the nationality is only "francaise", "ue" or
 * "hors_ue", which is what aid rules need. */
#ifndef CAS_DOMAIN_PERSON_H
#define CAS_DOMAIN_PERSON_H
#include <stddef.h>

#include "domain/field_errors.h"

#define PERSON_NAME_MAX    100 /* characters, for names and the commune */
#define PERSON_ADDRESS_MAX 250 /* characters */

/* Raw form values, UTF-8; NULL or "" (or only spaces) means not given. The
 * error field names, in parentheses, are the form field names. */
struct person_input {
	const char *nom_naissance;     /* required ("nom_naissance") */
	const char *nom_usage;         /* ("nom_usage") */
	const char *prenoms[3];        /* first one required ("prenom1".."prenom3") */
	const char *sexe;              /* "M" or "F", required ("sexe") */
	const char *date_naissance;    /* see pdate_parse(), required ("date_naissance") */
	const char *lieu_type;         /* "commune" or "etranger" ("lieu_type") */
	const char *commune_naissance; /* COG code when born in France ("commune_naissance") */
	const char *pays_naissance;    /* COG 99xxx when born abroad ("pays_naissance") */
	const char *nationalite;       /* "francaise", "ue", "hors_ue" ("nationalite") */
	const char *telephone;         /* ("telephone") */
	const char *email;             /* ("email") */
	const char *adresse;           /* free text, may span lines ("adresse") */
	const char *code_postal;       /* ("code_postal") */
	const char *commune;           /* free text ("commune") */
};

/* Checks every field and appends one French message per faulty field to
 * errs (which the caller initialised). The rules:
 *   - names: letters of any alphabet, spaces, hyphens and apostrophes
 *     (' or ’), at least one letter, at most PERSON_NAME_MAX characters;
 *   - sexe "M" or "F"; date_naissance a possibly partial date (day and
 *     month may be unknown), from 1900, not after today;
 *   - lieu_type "commune" requires commune_naissance and no pays_naissance,
 *     "etranger" the reverse; without lieu_type neither may be given;
 *   - telephone: a French number, 10 digits starting with 0, or +33 (also
 *     0033, and the overseas +262 +269 +590 +594 +596) and 9 digits;
 *     spaces, dots and hyphens between digits are ignored;
 *   - email: one '@', a plausible ASCII local part and domain;
 *   - code_postal: see code_postal_check(); adresse and commune: free text
 *     of limited length, without control characters (adresse may hold line
 *     breaks).
 * Returns 0 when no error was added, CAS_EINVAL otherwise (also when errs
 * was already full, since errors may then have been dropped). */
int person_validate(const struct person_input *in, int today_y, int today_m, int today_d,
                    struct field_errors *errs);

/* Copies a name with leading and trailing spaces removed and inner runs of
 * spaces (ASCII, tab, U+00A0, U+202F...) reduced to one ASCII space; the
 * typographic apostrophe ’ becomes ' and the Unicode hyphens U+2010/U+2011
 * become '-'. Letters and their case are kept; invalid UTF-8 bytes are
 * dropped.
 * out is NUL-terminated when outsz > 0 and cut at a character boundary
 * when too small; strlen(in) + 1 bytes always suffice. */
void person_normalise_name(const char *in, char *out, size_t outsz);

#endif
