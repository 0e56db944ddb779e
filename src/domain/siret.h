/* SIREN (9 digits, enterprise) and SIRET (14 digits, establishment)
 * numbers of the INSEE Sirene register.
 *
 * Input may separate the digits with spaces (ASCII, U+00A0 or U+202F), as
 * they are printed: "264 599 903 00012". The check key is the Luhn formula
 * over all the digits; a SIRET must also start with a valid SIREN. La Poste
 * (SIREN 356000000) is the exception: its establishments' SIRET numbers
 * only have a digit sum that is a multiple of 5.
 *
 * The *why out-parameters, when not NULL, receive a static French message
 * on failure and are left untouched on success. */
#ifndef CAS_DOMAIN_SIRET_H
#define CAS_DOMAIN_SIRET_H

#define SIREN_LA_POSTE "356000000"

/* 0 when s is a valid SIREN, CAS_EINVAL otherwise. */
int siren_check(const char *s, const char **why);

/* 0 when s is a valid SIRET, CAS_EINVAL otherwise. */
int siret_check(const char *s, const char **why);

/* Writes the 14 digits of in, without separators, to out (NUL-terminated)
 * and returns 0; CAS_EINVAL (out = "") when in is not 14 digits and
 * separators. The check key is not verified: call siret_check too. */
int siret_normalise(const char *in, char out[15]);

#endif
