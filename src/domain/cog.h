/* Codes of the Code officiel géographique (COG) of the INSEE, and postal
 * codes. These are format checks: whether a code exists in a given year's
 * COG is a question for the reference data, not for this module.
 *
 * The *why out-parameters, when not NULL, receive a static French message
 * on failure and are left untouched on success. Codes are expected
 * without surrounding spaces; Corsican letters are upper case ("2A"). */
#ifndef CAS_DOMAIN_COG_H
#define CAS_DOMAIN_COG_H

#define COG_PAYS_FRANCE "99100"

/* Code commune INSEE, 5 characters: a metropolitan département 01..95
 * (20 is not a code since 1976: Corsica is 2A or 2B) followed by a commune
 * number 001..999, or an overseas département 971..976 followed by 01..99.
 * Collectivities with codes 977, 978 and 98x are not communes of the COG
 * commune list and are refused. Returns 0 or CAS_EINVAL. */
int cog_commune_check(const char *code, const char **why);

/* Code pays INSEE of a country or territory of birth abroad: 99101..99999.
 * 99100 (France) is refused: a person born in France has a birth commune.
 * Returns 0 or CAS_EINVAL. */
int cog_pays_check(const char *code, const char **why);

/* Code postal: 5 digits, 01000..98999 (Corsica 20xxx, overseas 97xxx,
 * Monaco and the Pacific collectivities 98xxx). Returns 0 or CAS_EINVAL. */
int code_postal_check(const char *cp, const char **why);

#endif
