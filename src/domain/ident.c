/* Checks of French official identifiers: see ident.h. */
#include "domain/ident.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/cog.h"
#include "domain/siret.h"

static void res_init(struct ident_result *res)
{
	memset(res, 0, sizeof(*res));
	res->valid = 1;
}

static int res_fail(struct ident_result *res, const char *code, const char *reason)
{
	res->valid = 0;
	res->code = code;
	snprintf(res->reason, sizeof(res->reason), "%s", reason ? reason : "Valeur invalide.");
	return CAS_EINVAL;
}

/* A reason with one number in it. */
static int res_failf(struct ident_result *res, const char *code, const char *fmt, int a)
{
	res->valid = 0;
	res->code = code;
	snprintf(res->reason, sizeof(res->reason), fmt, a);
	return CAS_EINVAL;
}

static void res_warn(struct ident_result *res, const char *msg)
{
	if (res->nb_warnings < IDENT_MAX_WARNINGS)
		res->warnings[res->nb_warnings++] = msg;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
	}
	return 1;
}

/* Length of a separator at s (ASCII space, U+00A0, U+202F, or one of
 * extra), 0 when s is not on a separator. */
static size_t separator_len(const unsigned char *s, const char *extra)
{
	if (*s == ' ' || *s == '\t' || (extra && *s && strchr(extra, *s)))
		return 1;
	if (s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF)
		return 3;
	return 0;
}

/* Copies value without separators, letters upper-cased, into
 * res->normalised. Returns the length, or -1 when it does not fit (the
 * result is then "" and the caller reports a length error). */
static int compact(const char *value, const char *extra, struct ident_result *res)
{
	const unsigned char *s = (const unsigned char *)(value ? value : "");
	size_t n = 0;
	while (*s) {
		size_t sep = separator_len(s, extra);
		if (sep) {
			s += sep;
			continue;
		}
		if (n + 1 >= sizeof(res->normalised)) {
			res->normalised[0] = '\0';
			return -1;
		}
		char c = (char)*s++;
		res->normalised[n++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	res->normalised[n] = '\0';
	return (int)n;
}

/* ---- NIR ---------------------------------------------------------------- */

/* n mod 97 of a string of digits, streamed. */
static int mod97_digits(const char *s, size_t n, int start)
{
	int r = start;
	for (size_t i = 0; i < n; i++)
		r = (r * 10 + (s[i] - '0')) % 97;
	return r;
}

int nir_key(const char *body13, int *key)
{
	char d[14];
	if (!body13 || strlen(body13) != 13)
		return CAS_EINVAL;
	memcpy(d, body13, 14);
	if (d[5] == '2' && (d[6] == 'A' || d[6] == 'a' || d[6] == 'B' || d[6] == 'b')) {
		int b = d[6] == 'B' || d[6] == 'b';
		d[5] = '1';
		d[6] = b ? '8' : '9'; /* 2A -> 19, 2B -> 18 */
	}
	if (!all_digits(d, 13))
		return CAS_EINVAL;
	*key = 97 - mod97_digits(d, 13, 0);
	return 0;
}

static int nir_format(const char *n, int len, struct ident_result *res)
{
	for (int i = 0; i < len; i++) {
		if (i == 6 && n[5] == '2' && (n[6] == 'A' || n[6] == 'B'))
			continue;
		if (!is_digit(n[i])) {
			if (i == 5 || i == 6)
				return res_fail(
				    res, "invalid_format",
				    "Le département de naissance (7e et 8e caractères) "
				    "doit être composé de 2 chiffres, ou 2A / 2B pour la Corse.");
			return res_failf(res, "invalid_format",
			                 "Le NIR ne doit contenir que des chiffres (caractère %d "
			                 "invalide), hormis 2A ou 2B pour la Corse.",
			                 i + 1);
		}
	}
	return 0;
}

static int nir_sex(char c, struct ident_result *res)
{
	if (c == '1' || c == '2')
		return 0;
	if (c == '7' || c == '8')
		return res_fail(res, "invalid_sex",
		                "Un numéro commençant par 7 ou 8 est un numéro d'identification "
		                "provisoire (NIA), pas un NIR : il n'a pas de clé.");
	return res_fail(res, "invalid_sex",
	                "Le premier chiffre du NIR (sexe) doit être 1 (homme) ou 2 (femme).");
}

static int nir_month(const char *n, struct ident_result *res)
{
	int m = (n[3] - '0') * 10 + (n[4] - '0');
	if (m >= 1 && m <= 12)
		return 0;
	if (m >= 20) {
		res_warn(res, "Le mois de naissance du NIR est un code de mois inconnu "
		              "(20 à 99) : vérifiez la date de naissance.");
		return 0;
	}
	return res_failf(res, "invalid_month",
	                 "Le mois de naissance du NIR (4e et 5e chiffres) vaut %02d : il doit "
	                 "être compris entre 01 et 12 (ou entre 20 et 99 si le mois est inconnu).",
	                 m);
}

static int nir_place(const char *n, struct ident_result *res)
{
	if (n[5] == '0' && n[6] == '0')
		return res_fail(res, "invalid_department",
		                "Le département de naissance du NIR ne peut pas être 00.");
	if (memcmp(n + 7, "000", 3) == 0)
		return res_fail(
		    res, "invalid_component",
		    "Le code de la commune (ou du pays) de naissance du NIR ne peut pas "
		    "être 000.");
	if (memcmp(n + 10, "000", 3) == 0)
		return res_fail(
		    res, "invalid_component",
		    "Le numéro d'ordre du NIR (11e à 13e chiffres) ne peut pas être 000.");
	return 0;
}

int ident_nir(const char *value, struct ident_result *res)
{
	res_init(res);
	int len = compact(value, ".-", res);
	const char *n = res->normalised;
	int key;
	if (len == 13 && nir_format(n, 13, res) == 0 && nir_key(n, &key) == 0)
		return res_failf(res, "invalid_length",
		                 "Le NIR comporte 13 caractères : il manque la clé de contrôle "
		                 "(2 chiffres, ici %02d).",
		                 key);
	if (len != 15) {
		return res_failf(res, "invalid_length",
		                 "Le NIR doit comporter 15 caractères (13 chiffres et la clé) : %d "
		                 "saisi(s).",
		                 len < 0 ? (int)IDENT_NORM_SIZE : len);
	}
	if (nir_format(n, 15, res) || nir_sex(n[0], res) || nir_month(n, res) || nir_place(n, res))
		return CAS_EINVAL;
	char body[14];
	memcpy(body, n, 13);
	body[13] = '\0';
	nir_key(body, &key);
	if ((n[13] - '0') * 10 + (n[14] - '0') != key)
		return res_fail(res, "invalid_checksum",
		                "La clé du NIR (2 derniers chiffres) ne correspond pas aux 13 "
		                "premiers caractères : un chiffre a sans doute été mal saisi.");
	return 0;
}

/* ---- RIB and IBAN --------------------------------------------------------- */

/* Digit value of an account character for the RIB key: letters A-I ->
 * 1-9, J-R -> 1-9, S-Z -> 2-9. -1 when not alphanumeric. */
static int rib_char_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c >= 'A' && c <= 'I')
		return c - 'A' + 1;
	if (c >= 'J' && c <= 'R')
		return c - 'J' + 1;
	if (c >= 'S' && c <= 'Z')
		return c - 'S' + 2;
	return -1;
}

static int64_t rib_number(const char *s, size_t n)
{
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = rib_char_value(s[i]);
		if (d < 0)
			return -1;
		v = v * 10 + d;
	}
	return v;
}

int rib_key(const char *bank, const char *branch, const char *account, int *key)
{
	if (!bank || !branch || !account || strlen(bank) != 5 || strlen(branch) != 5 ||
	    strlen(account) != 11 || !all_digits(bank, 5) || !all_digits(branch, 5))
		return CAS_EINVAL;
	int64_t b = rib_number(bank, 5), g = rib_number(branch, 5), c = rib_number(account, 11);
	if (c < 0)
		return CAS_EINVAL;
	*key = (int)(97 - ((89 * b + 15 * g + 3 * c) % 97));
	return 0;
}

/* Checks a 23-character BBAN bank(5) branch(5) account(11) key(2). */
static int rib_parts(const char *r, struct ident_result *res)
{
	char bank[6], branch[6], account[12];
	int key;
	memcpy(bank, r, 5);
	bank[5] = '\0';
	memcpy(branch, r + 5, 5);
	branch[5] = '\0';
	memcpy(account, r + 10, 11);
	account[11] = '\0';
	if (!all_digits(bank, 5) || !all_digits(branch, 5))
		return res_fail(res, "invalid_format",
		                "Les codes banque et guichet du RIB doivent être composés de "
		                "5 chiffres chacun.");
	if (rib_number(account, 11) < 0)
		return res_fail(
		    res, "invalid_format",
		    "Le numéro de compte du RIB doit comporter 11 lettres ou chiffres.");
	if (!all_digits(r + 21, 2))
		return res_fail(res, "invalid_format", "La clé RIB doit comporter 2 chiffres.");
	rib_key(bank, branch, account, &key);
	if ((r[21] - '0') * 10 + (r[22] - '0') != key)
		return res_fail(res, "invalid_checksum",
		                "La clé RIB ne correspond pas aux codes banque, guichet et au "
		                "numéro de compte.");
	return 0;
}

int ident_rib(const char *value, struct ident_result *res)
{
	res_init(res);
	int len = compact(value, "-", res);
	if (len != 23)
		return res_failf(res, "invalid_length",
		                 "Un RIB comporte 23 caractères (banque 5, guichet 5, compte 11, "
		                 "clé 2) : %d saisi(s).",
		                 len < 0 ? (int)IDENT_NORM_SIZE : len);
	return rib_parts(res->normalised, res);
}

struct iban_country {
	const char cc[3];
	int length;
	int french_bban; /* BBAN with a RIB key */
};

static const struct iban_country iban_countries[] = {
    {"FR", 27, 1}, {"MC", 27, 1}, {"GP", 27, 1}, {"MQ", 27, 1}, {"GF", 27, 1}, {"RE", 27, 1},
    {"YT", 27, 1}, {"PM", 27, 1}, {"NC", 27, 1}, {"PF", 27, 1}, {"WF", 27, 1}, {"BL", 27, 1},
    {"MF", 27, 1}, {"TF", 27, 1}, {"AD", 24, 0}, {"AT", 20, 0}, {"BE", 16, 0}, {"BG", 22, 0},
    {"CH", 21, 0}, {"CY", 28, 0}, {"CZ", 24, 0}, {"DE", 22, 0}, {"DK", 18, 0}, {"EE", 20, 0},
    {"ES", 24, 0}, {"FI", 18, 0}, {"FO", 18, 0}, {"GB", 22, 0}, {"GI", 23, 0}, {"GL", 18, 0},
    {"GR", 27, 0}, {"HR", 21, 0}, {"HU", 28, 0}, {"IE", 22, 0}, {"IS", 26, 0}, {"IT", 27, 0},
    {"LI", 21, 0}, {"LT", 20, 0}, {"LU", 20, 0}, {"LV", 21, 0}, {"MT", 31, 0}, {"NL", 18, 0},
    {"NO", 15, 0}, {"PL", 28, 0}, {"PT", 25, 0}, {"RO", 24, 0}, {"SE", 24, 0}, {"SI", 19, 0},
    {"SK", 24, 0}, {"SM", 27, 0}, {"VA", 22, 0}, {"AL", 28, 0}, {"BA", 20, 0}, {"ME", 22, 0},
    {"MK", 19, 0}, {"RS", 22, 0}, {"TR", 26, 0}, {"MA", 28, 0}, {"TN", 24, 0}, {"MD", 24, 0},
    {"UA", 29, 0}, {"GE", 22, 0}, {"IL", 23, 0}, {"LB", 28, 0}, {"SA", 24, 0}, {"AE", 23, 0},
    {"BR", 29, 0}, {"MR", 27, 0}, {"MU", 30, 0}, {"SN", 28, 0}, {"CI", 28, 0},
};

static const struct iban_country *iban_country_find(const char *cc)
{
	for (size_t i = 0; i < sizeof(iban_countries) / sizeof(iban_countries[0]); i++) {
		if (memcmp(iban_countries[i].cc, cc, 2) == 0)
			return &iban_countries[i];
	}
	return NULL;
}

/* mod 97 of the IBAN with its first four characters moved to the end and
 * letters replaced by 10..35. All characters must be alphanumeric. */
static int iban_mod97(const char *bban, const char *head4)
{
	int r = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (const char *p = pass ? head4 : bban; *p && (pass == 0 || p < head4 + 4); p++) {
			if (is_digit(*p))
				r = (r * 10 + (*p - '0')) % 97;
			else
				r = (r * 100 + (*p - 'A' + 10)) % 97;
		}
	}
	return r;
}

int iban_check_digits(const char *country, const char *bban, int *digits)
{
	char head[5];
	if (!country || !bban || strlen(country) != 2 || !is_upper(country[0]) ||
	    !is_upper(country[1]) || strlen(bban) > 30 || bban[0] == '\0')
		return CAS_EINVAL;
	for (const char *p = bban; *p; p++) {
		if (!is_digit(*p) && !is_upper(*p))
			return CAS_EINVAL;
	}
	snprintf(head, sizeof(head), "%s00", country);
	*digits = 98 - iban_mod97(bban, head);
	return 0;
}

static int iban_format(const char *n, int len, struct ident_result *res)
{
	if (len < 2 || !is_upper(n[0]) || !is_upper(n[1]))
		return res_fail(res, "invalid_country",
		                "L'IBAN doit commencer par le code pays en 2 lettres (FR pour la "
		                "France).");
	if (len < 4 || !is_digit(n[2]) || !is_digit(n[3]))
		return res_fail(res, "invalid_format",
		                "Les 3e et 4e caractères de l'IBAN (clé de contrôle) doivent être "
		                "des chiffres.");
	for (int i = 4; i < len; i++) {
		if (!is_digit(n[i]) && !is_upper(n[i]))
			return res_failf(res, "invalid_format",
			                 "L'IBAN ne doit contenir que des lettres et des chiffres "
			                 "(caractère %d invalide).",
			                 i + 1);
	}
	return 0;
}

static int iban_length(const char *n, int len, struct ident_result *res)
{
	const struct iban_country *c = iban_country_find(n);
	if (c && len != c->length)
		return res_failf(res, "invalid_length",
		                 "Un IBAN de ce pays comporte %d caractères.", c->length);
	if (!c && (len < 15 || len > 34))
		return res_fail(res, "invalid_length",
		                "Un IBAN comporte entre 15 et 34 caractères.");
	if (!c)
		res_warn(res, "Pays de l'IBAN non répertorié : sa longueur n'a pas été vérifiée.");
	return 0;
}

int ident_iban(const char *value, struct ident_result *res)
{
	res_init(res);
	int len = compact(value, "-", res);
	const char *n = res->normalised;
	if (len < 0)
		return res_fail(res, "invalid_length", "Un IBAN comporte au plus 34 caractères.");
	if (iban_format(n, len, res) || iban_length(n, len, res))
		return CAS_EINVAL;
	if (iban_mod97(n + 4, n) != 1)
		return res_fail(
		    res, "invalid_checksum",
		    "La clé de contrôle de l'IBAN (modulo 97) est fausse : un caractère "
		    "a sans doute été mal saisi.");
	const struct iban_country *c = iban_country_find(n);
	if (c && c->french_bban && rib_parts(n + 4, res) != 0)
		return CAS_EINVAL;
	return 0;
}

/* ---- DGFiP ---------------------------------------------------------------- */

int ident_numero_fiscal(const char *value, struct ident_result *res)
{
	res_init(res);
	int len = compact(value, ".-", res);
	const char *n = res->normalised;
	if (len != 13)
		return res_failf(res, "invalid_length",
		                 "Le numéro fiscal doit comporter 13 chiffres : %d saisi(s).",
		                 len < 0 ? (int)IDENT_NORM_SIZE : len);
	if (!all_digits(n, 13))
		return res_fail(res, "invalid_format",
		                "Le numéro fiscal ne doit contenir que des chiffres.");
	if (n[0] > '3')
		return res_fail(res, "invalid_component",
		                "Le numéro fiscal d'une personne commence par 0, 1, 2 ou 3.");
	int64_t head = 0, tail = 0;
	for (int i = 0; i < 10; i++)
		head = head * 10 + (n[i] - '0');
	for (int i = 10; i < 13; i++)
		tail = tail * 10 + (n[i] - '0');
	if (head % 511 != tail)
		res_warn(res, "Le contrôle de cohérence usuel du numéro fiscal (modulo 511) "
		              "échoue ; ce contrôle n'étant pas officiel, vérifiez le numéro sur "
		              "l'avis d'impôt.");
	return 0;
}

int ident_reference_avis(const char *value, struct ident_result *res)
{
	res_init(res);
	int len = compact(value, ".-/_", res);
	const char *n = res->normalised;
	if (len < 0 || len != 13)
		return res_failf(res, "invalid_length",
		                 "La référence de l'avis d'impôt comporte 13 lettres ou chiffres : "
		                 "%d saisi(s).",
		                 len < 0 ? (int)IDENT_NORM_SIZE : len);
	for (int i = 0; i < len; i++) {
		if (!is_digit(n[i]) && !is_upper(n[i]))
			return res_fail(res, "invalid_format",
			                "La référence de l'avis d'impôt ne doit contenir que des "
			                "lettres et des chiffres.");
	}
	return 0;
}

/* ---- CAF, postal and INSEE codes, SIRET ------------------------------------ */

int ident_numero_allocataire(const char *value, struct ident_result *res)
{
	res_init(res);
	int len = compact(value, NULL, res);
	if (len > 0 && !all_digits(res->normalised, (size_t)len))
		return res_fail(res, "invalid_format",
		                "Le numéro allocataire ne doit contenir que des chiffres.");
	if (len != 7)
		return res_failf(res, "invalid_length",
		                 "Le numéro allocataire CAF comporte 7 chiffres : %d saisi(s).",
		                 len < 0 ? (int)IDENT_NORM_SIZE : len);
	return 0;
}

/* Plausible département prefix of a postal code: 01-95 (20 for Corsica),
 * 971-978 overseas and Saint-Pierre-et-Miquelon, 980 Monaco, 986-988
 * Pacific collectivities. */
static int postal_prefix_ok(const char *cp)
{
	int d = (cp[0] - '0') * 10 + (cp[1] - '0');
	if (d >= 1 && d <= 95)
		return 1;
	if (d == 97)
		return cp[2] >= '1' && cp[2] <= '8';
	if (d == 98)
		return cp[2] == '0' || (cp[2] >= '6' && cp[2] <= '8');
	return 0;
}

int ident_code_postal(const char *value, struct ident_result *res)
{
	res_init(res);
	int len = compact(value, NULL, res);
	const char *n = res->normalised;
	if (len > 0 && !all_digits(n, (size_t)len))
		return res_fail(res, "invalid_format",
		                "Le code postal ne doit contenir que des chiffres (la Corse "
		                "s'écrit 20xxx).");
	if (len != 5)
		return res_failf(res, "invalid_length",
		                 "Le code postal comporte 5 chiffres : %d saisi(s).",
		                 len < 0 ? (int)IDENT_NORM_SIZE : len);
	if (!postal_prefix_ok(n))
		return res_fail(res, "invalid_department",
		                "Le code postal ne commence pas par un numéro de département "
		                "plausible.");
	if (code_postal_check(n, NULL) != 0)
		return res_fail(res, "invalid_component", "Le code postal est invalide.");
	return 0;
}

/* Code of a refused SIREN or SIRET, from its compact form. */
static const char *siren_code(const char *n, size_t expected)
{
	if (strlen(n) != expected)
		return "invalid_length";
	return all_digits(n, expected) ? "invalid_checksum" : "invalid_format";
}

int ident_siret(const char *value, struct ident_result *res)
{
	const char *why = NULL;
	res_init(res);
	compact(value, NULL, res);
	if (siret_check(value ? value : "", &why) != 0)
		return res_fail(res, siren_code(res->normalised, 14), why);
	siret_normalise(value, res->normalised);
	return 0;
}

int ident_siren(const char *value, struct ident_result *res)
{
	const char *why = NULL;
	res_init(res);
	compact(value, NULL, res);
	if (siren_check(value ? value : "", &why) != 0)
		return res_fail(res, siren_code(res->normalised, 9), why);
	return 0;
}

int ident_cog(const char *value, struct ident_result *res)
{
	const char *why = NULL;
	res_init(res);
	int len = compact(value, NULL, res);
	const char *n = res->normalised;
	if (len == 5 && n[0] == '9' && n[1] == '9') {
		if (cog_pays_check(n, &why) != 0)
			return res_fail(res, "invalid_country", why);
		return 0;
	}
	if (cog_commune_check(len < 0 ? "" : n, &why) != 0)
		return res_fail(res, len == 5 ? "invalid_department" : "invalid_length", why);
	res_warn(res, "Contrôle de forme seulement : l'existence de la commune dans le code "
	              "officiel géographique de l'année n'est pas vérifiée.");
	return 0;
}

int ident_check(const char *kind, const char *value, struct ident_result *res)
{
	static const struct {
		const char *name;
		int (*check)(const char *, struct ident_result *);
	} kinds[] = {
	    {"nir", ident_nir},
	    {"iban", ident_iban},
	    {"rib", ident_rib},
	    {"numero-fiscal", ident_numero_fiscal},
	    {"reference-avis", ident_reference_avis},
	    {"numero-allocataire", ident_numero_allocataire},
	    {"code-postal", ident_code_postal},
	    {"siret", ident_siret},
	    {"siren", ident_siren},
	    {"cog", ident_cog},
	};
	char name[32];
	size_t i;
	for (i = 0; kind && kind[i] && i + 1 < sizeof(name); i++)
		name[i] = kind[i] == '_' ? '-' : kind[i];
	name[i] = '\0';
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(name, kinds[i].name) == 0)
			return kinds[i].check(value, res);
	}
	memset(res, 0, sizeof(*res));
	return CAS_ENOTFOUND;
}
