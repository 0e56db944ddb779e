/* Checks of French official identifiers, with a precise reason when a
 * value is refused and warnings that do not refuse it.
 *
 *   NIR (n° de sécurité sociale): 15 characters, sex 1/2, year, month
 *     01-12 or 20-99 (unknown month), place of birth (département 01-95,
 *     2A/2B, 97x overseas, 99 abroad), commune, order, key = 97 - (first
 *     13 digits mod 97) where Corsica counts as 2A -> 19, 2B -> 18.
 *   IBAN: ISO 13616 mod 97 == 1, per-country length (FR 27 and the
 *     countries of the SEPA area); for FR/MC the RIB key is also checked.
 *   RIB: bank 5 digits, branch 5 digits, account 11 alphanumerics, key 2
 *     digits; key = 97 - ((89 bank + 15 branch + 3 account) mod 97), account
 *     letters A-I -> 1-9, J-R -> 1-9, S-Z -> 2-9.
 *   numéro fiscal (SPI): 13 digits, first digit 0-3; the unofficial
 *     checksum (last 3 digits = first 10 mod 511) only gives a warning.
 *   référence de l'avis d'impôt: 13 letters or digits once spaces and
 *     punctuation are removed (no public checksum).
 *   numéro allocataire CAF: 7 digits (leading zeros kept).
 *   code postal: 5 digits with a plausible département prefix.
 *   SIRET / SIREN and COG: wrappers over siret.h and cog.h.
 *
 * Spaces (ASCII, U+00A0, U+202F) are allowed as separators on input; the
 * NIR and the numéro fiscal also accept dots and hyphens. Letters are
 * accepted in either case. Nothing here allocates; the result holds its
 * strings (or points to static ones) and may be copied. */
#ifndef CAS_DOMAIN_IDENT_H
#define CAS_DOMAIN_IDENT_H

#define IDENT_MAX_WARNINGS 4
#define IDENT_NORM_SIZE    40

struct ident_result {
	int valid;        /* 1 valid (maybe with warnings), 0 invalid */
	const char *code; /* NULL when valid; else "invalid_length", "invalid_format"
	                       (characters), "invalid_sex", "invalid_month",
	                       "invalid_department", "invalid_component", "invalid_country",
	                       "invalid_checksum" (the key) */
	char reason[256]; /* French sentence when invalid, "" when valid */
	const char *warnings[IDENT_MAX_WARNINGS]; /* French sentences (static) */
	int nb_warnings;
	char normalised[IDENT_NORM_SIZE]; /* compact upper-case form ("" when unreadable) */
};

/* Every ident_* check fills *res completely and returns 0 when the value is
 * valid, CAS_EINVAL otherwise. value NULL counts as empty. */
int ident_nir(const char *value, struct ident_result *res);
int ident_iban(const char *value, struct ident_result *res);
int ident_rib(const char *value, struct ident_result *res); /* 23 characters */
int ident_numero_fiscal(const char *value, struct ident_result *res);
int ident_reference_avis(const char *value, struct ident_result *res);
int ident_numero_allocataire(const char *value, struct ident_result *res);
int ident_code_postal(const char *value, struct ident_result *res);
int ident_siret(const char *value, struct ident_result *res);
int ident_siren(const char *value, struct ident_result *res);
int ident_cog(const char *value, struct ident_result *res); /* commune, or 99xxx country */

/* Dispatch by kind name: "nir", "iban", "rib", "numero-fiscal",
 * "reference-avis", "numero-allocataire", "code-postal", "siret", "siren",
 * "cog" (underscores accepted for hyphens). Returns 0 valid, CAS_EINVAL
 * invalid, CAS_ENOTFOUND for an unknown kind (res then zeroed). */
int ident_check(const char *kind, const char *value, struct ident_result *res);

/* NIR key of a 13-character body (digits, 2A/2B at positions 6-7): 1..97.
 * Returns 0 or CAS_EINVAL when the body is not 13 such characters. */
int nir_key(const char *body13, int *key);

/* RIB key from its parts (bank 5 digits, branch 5 digits, account 11
 * letters or digits): 1..97. Returns 0 or CAS_EINVAL on bad parts. */
int rib_key(const char *bank, const char *branch, const char *account, int *key);

/* The two IBAN check digits (2..98) for a country code and BBAN. Returns 0
 * or CAS_EINVAL. */
int iban_check_digits(const char *country, const char *bban, int *digits);

#endif
