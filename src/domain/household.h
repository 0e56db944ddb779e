/* Members of a household (foyer): their relation to the applicant and the
 * dates they joined and left it. */
#ifndef CAS_DOMAIN_HOUSEHOLD_H
#define CAS_DOMAIN_HOUSEHOLD_H

enum relation {
	REL_DEMANDEUR,
	REL_CONJOINT,
	REL_ENFANT,
	REL_PERSONNE_A_CHARGE,
	REL_AUTRE,
};
#define REL_COUNT 5

/* Sets *out from a stored code ("demandeur", "conjoint", "enfant",
 * "personne_a_charge", "autre"). Returns 0, or CAS_EINVAL for an unknown
 * code or NULL (then *out is untouched). */
int relation_from_code(const char *code, enum relation *out);

/* Stored code of r, NULL when r is out of range. Static string. */
const char *relation_code(enum relation r);

/* French label of r ("Conjoint(e)", "Autre personne à charge"...), NULL
 * when r is out of range. Static string. */
const char *relation_label(enum relation r);

/* Checks the dates of membership, ISO "YYYY-MM-DD": the entry date is
 * required, the exit date optional (NULL or ""), and not before the entry
 * (a member may leave on the day they joined). Returns 0, or CAS_EINVAL
 * with a static French message in *why (when not NULL). */
int household_member_dates_check(const char *entry_iso, const char *exit_iso_or_null,
                                 const char **why);

#endif
