/* The call parameters of API Particulier's GET
 * /v3/dss/quotient_familial/identite: their validation, with the error
 * codes and texts of the real API, and the sandbox's matching rule. */
#ifndef CAS_STANDIN_PARTICULIER_PARAMS_H
#define CAS_STANDIN_PARTICULIER_PARAMS_H

#include "standin/params.h"

/* One error of an answer's "errors" list (static strings). */
struct pp_error {
	const char *code;
	const char *title;
	const char *detail;
	const char *parameter; /* source.parameter, NULL for "source": null */
};

/* The error of a code of the table (recipient, civility, token, rate
 * limit, provider errors), or NULL. Static. */
const struct pp_error *pp_error_of(const char *code);

/* 1 when s is a SIRET as API Particulier accepts it for recipient: 14
 * digits with a valid Luhn checksum, or a SIRET of La Poste (356000000...)
 * whatever its checksum. */
int pp_recipient_valid(const char *s);

/* Checks the civility and period parameters as the real API does, in its
 * order (annee, mois, sexeEtatCivil, birth place, codeCogInseePaysNaissance,
 * date of birth, prenoms, nomNaissance), every error collected.
 * y, m, d: today (current year and month, "yesterday" for the date of
 * birth). Fills up to max errors and returns how many (0: valid). */
int pp_validate(const struct sp_params *q, int y, int m, int d, const struct pp_error **errs,
                int max);

/* The canonical key of the sandbox's matching rule, for a call or a
 * fixture's params (caller frees): the v3 parameter names nomNaissance,
 * nomUsage, prenoms, anneeDateNaissance, moisDateNaissance,
 * jourDateNaissance, sexeEtatCivil, codeCogInseePaysNaissance,
 * codeCogInseeCommuneNaissance (only when the country is 99100),
 * nomCommuneNaissance, codeCogInseeDepartementNaissance, annee, mois;
 * text lower-cased (typographic apostrophes made plain); date parts as
 * numbers, a month ignored without a year and a day without a month, 0
 * dropped; empty values dropped; recipient and unknown names ignored;
 * "name=value" pieces percent-encoded and sorted, joined by "&". */
char *pp_match_key(const struct sp_params *p);

#endif
