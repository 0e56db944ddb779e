#include "domain/person.h"

#include <string.h>

#include "base/err.h"
#include "base/utf8.h"
#include "domain/cog.h"
#include "domain/pdate.h"

/* Longest raw name worth normalising: PERSON_NAME_MAX four-byte characters
 * plus some spaces; anything longer is too long anyway. */
#define NAME_BUF  (4 * PERSON_NAME_MAX + 64)
#define CODE_BUF  32
#define EMAIL_MAX 254

#define NAME_CHARS      "des lettres, des espaces, des traits d'union et des apostrophes."
#define PRENOM_TOO_LONG "Le prénom ne doit pas dépasser 100 caractères."
#define PRENOM_BAD      "Le prénom ne peut contenir que " NAME_CHARS

/* Field name and messages of one name field. */
struct name_field {
	const char *field;
	const char *required; /* NULL when optional */
	const char *too_long;
	const char *bad_chars;
};

static const struct name_field nom_naissance_field = {
    "nom_naissance", "Le nom de naissance est obligatoire.",
    "Le nom de naissance ne doit pas dépasser 100 caractères.",
    "Le nom de naissance ne peut contenir que " NAME_CHARS};
static const struct name_field nom_usage_field = {
    "nom_usage", NULL, "Le nom d'usage ne doit pas dépasser 100 caractères.",
    "Le nom d'usage ne peut contenir que " NAME_CHARS};
static const struct name_field prenom_fields[3] = {
    {"prenom1", "Le premier prénom est obligatoire.", PRENOM_TOO_LONG, PRENOM_BAD},
    {"prenom2", NULL, PRENOM_TOO_LONG, PRENOM_BAD},
    {"prenom3", NULL, PRENOM_TOO_LONG, PRENOM_BAD},
};

/* 1 when s is NULL or holds only spaces. */
static int blank(const char *s)
{
	size_t i = 0;
	long cp;

	if (!s)
		return 1;
	while ((cp = utf8_next(s, &i)) != 0) {
		if (!utf8_is_space(cp))
			return 0;
	}
	return 1;
}

/* Copies s without surrounding ASCII spaces into buf (CODE_BUF bytes); a
 * value too long for buf is returned unchanged, to fail its check. */
static const char *trimmed(const char *s, char buf[CODE_BUF])
{
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= CODE_BUF)
		return s;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* --- names --- */

static int is_ascii_letter(long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* Non-ASCII code points that are not letters: Latin-1 punctuation and
 * signs, × ÷, general punctuation, symbols, CJK punctuation, private use,
 * variation selectors, full-width ASCII punctuation, emoji. */
static int is_non_letter(long cp)
{
	return cp < 0xc0 || cp == 0xd7 || cp == 0xf7 || (cp >= 0x2000 && cp <= 0x2bff) ||
	       (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xe000 && cp <= 0xf8ff) ||
	       (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xff00 && cp <= 0xff20) || cp == 0xfeff ||
	       cp >= 0x1f000;
}

/* Checks a normalised name: allowed characters and at least one letter. */
static int name_chars_ok(const char *s)
{
	size_t i = 0;
	int letters = 0;
	long cp;

	while ((cp = utf8_next(s, &i)) != 0) {
		if (cp == ' ' || cp == '-' || cp == '\'')
			continue;
		if (cp < 0 || (!is_ascii_letter(cp) && is_non_letter(cp)))
			return 0;
		if (cp < 0x300 || cp > 0x36f) /* a combining accent is no letter */
			letters++;
	}
	return letters > 0;
}

static void check_name(const char *s, const struct name_field *f, struct field_errors *errs)
{
	char buf[NAME_BUF];

	if (blank(s)) {
		if (f->required)
			field_errors_add(errs, f->field, f->required);
		return;
	}
	if (strlen(s) >= NAME_BUF) {
		field_errors_add(errs, f->field, f->too_long);
		return;
	}
	if (!utf8_valid(s, strlen(s))) {
		field_errors_add(errs, f->field, f->bad_chars);
		return;
	}
	person_normalise_name(s, buf, sizeof(buf));
	if (utf8_strlen(buf) > PERSON_NAME_MAX)
		field_errors_add(errs, f->field, f->too_long);
	else if (!name_chars_ok(buf))
		field_errors_add(errs, f->field, f->bad_chars);
}

static void check_names(const struct person_input *in, struct field_errors *errs)
{
	check_name(in->nom_naissance, &nom_naissance_field, errs);
	check_name(in->nom_usage, &nom_usage_field, errs);
	for (int k = 0; k < 3; k++)
		check_name(in->prenoms[k], &prenom_fields[k], errs);
}

/* --- birth --- */

static void check_sexe(const char *s, struct field_errors *errs)
{
	char buf[CODE_BUF];

	if (blank(s)) {
		field_errors_add(errs, "sexe", "Le sexe est obligatoire.");
		return;
	}
	s = trimmed(s, buf);
	if (strcmp(s, "M") != 0 && strcmp(s, "F") != 0)
		field_errors_add(errs, "sexe", "Le sexe doit être M ou F.");
}

static void check_birth_date(const char *s, int ty, int tm, int td, struct field_errors *errs)
{
	struct pdate d;
	const char *why;

	if (blank(s)) {
		field_errors_add(errs, "date_naissance", "La date de naissance est obligatoire.");
		return;
	}
	if (pdate_parse(s, &d, &why) != 0)
		field_errors_add(errs, "date_naissance", why);
	else if (pdate_check_not_future(&d, ty, tm, td, &why) != 0)
		field_errors_add(errs, "date_naissance",
		                 "La date de naissance ne peut pas être dans le futur.");
}

/* Checks a code field with check(); `missing` is the message when it is
 * blank (NULL: blank is fine). */
static void check_code(const char *s, const char *field, const char *missing,
                       int (*check)(const char *, const char **), struct field_errors *errs)
{
	char buf[CODE_BUF];
	const char *why;

	if (blank(s)) {
		if (missing)
			field_errors_add(errs, field, missing);
		return;
	}
	if (check(trimmed(s, buf), &why) != 0)
		field_errors_add(errs, field, why);
}

static void check_birth_place(const struct person_input *in, struct field_errors *errs)
{
	char buf[CODE_BUF];
	const char *type = blank(in->lieu_type) ? "" : trimmed(in->lieu_type, buf);
	int has_commune = !blank(in->commune_naissance), has_pays = !blank(in->pays_naissance);

	if (strcmp(type, "commune") == 0) {
		check_code(in->commune_naissance, "commune_naissance",
		           "La commune de naissance est obligatoire pour une naissance en France.",
		           cog_commune_check, errs);
		if (has_pays)
			field_errors_add(errs, "pays_naissance",
			                 "Le pays de naissance ne se renseigne que pour une "
			                 "naissance à l'étranger.");
	} else if (strcmp(type, "etranger") == 0) {
		check_code(in->pays_naissance, "pays_naissance",
		           "Le pays de naissance est obligatoire pour une naissance à l'étranger.",
		           cog_pays_check, errs);
		if (has_commune)
			field_errors_add(errs, "commune_naissance",
			                 "La commune de naissance ne se renseigne que pour une "
			                 "naissance en France.");
	} else if (*type) {
		field_errors_add(
		    errs, "lieu_type",
		    "Le lieu de naissance doit être une commune française ou l'étranger.");
	} else if (has_commune || has_pays) {
		field_errors_add(errs, "lieu_type",
		                 "Précisez si la personne est née en France ou à l'étranger.");
	}
}

static void check_nationalite(const char *s, struct field_errors *errs)
{
	static const char *const codes[] = {"francaise", "ue", "hors_ue"};
	char buf[CODE_BUF];

	if (blank(s))
		return;
	s = trimmed(s, buf);
	for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++) {
		if (strcmp(s, codes[k]) == 0)
			return;
	}
	field_errors_add(errs, "nationalite",
	                 "La nationalité doit être française, d'un pays de l'UE ou hors UE.");
}

/* --- contact --- */

/* 1 when d (digits after "+" or "00") is a French international number. */
static int international_ok(const char *d)
{
	static const char *const prefixes[] = {"33", "262", "269", "590", "594", "596"};

	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		size_t n = strlen(prefixes[k]);
		const char *rest = d + n;

		if (strncmp(d, prefixes[k], n) == 0 && strlen(rest) == 9 && rest[0] != '0')
			return 1;
	}
	return 0;
}

static int phone_ok(const char *s)
{
	char d[20];
	size_t n = 0;
	int plus = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '.' || *s == '-')
			continue;
		if (*s == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (*s < '0' || *s > '9' || n + 1 >= sizeof(d))
			return 0;
		d[n++] = *s;
	}
	d[n] = '\0';
	if (plus)
		return international_ok(d);
	if (d[0] == '0' && d[1] == '0')
		return international_ok(d + 2);
	return n == 10 && d[0] == '0';
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Domain of an address: two labels or more of letters, digits and inner
 * hyphens, at most 63 characters each, the last one of letters only. */
static int domain_ok(const char *s)
{
	int labels = 0;

	while (*s) {
		size_t n = 0, alpha = 0;

		for (; is_alnum(s[n]) || s[n] == '-'; n++) {
			if (s[n] > '9')
				alpha++;
		}
		if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
			return 0;
		labels++;
		s += n;
		if (*s == '\0')
			return labels >= 2 && alpha == n && n >= 2;
		if (*s++ != '.')
			return 0;
	}
	return 0;
}

static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	const char *p;

	if (!at || at == s || at - s > 64 || strlen(s) > EMAIL_MAX)
		return 0;
	for (p = s; p < at; p++) {
		if (!is_alnum(*p) && !strchr("!#$%&'*+-/=?^_`{|}~.", *p))
			return 0;
	}
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return 0;
	return domain_ok(at + 1);
}

/* Free text: valid UTF-8, no control character except line breaks when
 * allowed, at most max characters. */
static void check_text(const char *s, const char *field, size_t max, int multiline,
                       const char *too_long, const char *bad, struct field_errors *errs)
{
	size_t n;

	if (blank(s))
		return;
	n = strlen(s);
	if (!utf8_valid(s, n) || strchr(s, '\t') ||
	    (!multiline && (strchr(s, '\n') || strchr(s, '\r'))))
		field_errors_add(errs, field, bad);
	else if (utf8_strlen(s) > max)
		field_errors_add(errs, field, too_long);
}

static void check_contact(const struct person_input *in, struct field_errors *errs)
{
	char buf[EMAIL_MAX + 2];

	if (!blank(in->telephone) && !phone_ok(in->telephone))
		field_errors_add(errs, "telephone",
		                 "Le numéro de téléphone n'est pas valide (ex. 06 12 34 56 78 ou "
		                 "+33 6 12 34 56 78).");
	if (!blank(in->email)) {
		const char *e = in->email + strspn(in->email, " ");
		size_t n = strlen(e);

		while (n > 0 && e[n - 1] == ' ')
			n--;
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1; /* too long: fails the length check */
		memcpy(buf, e, n);
		buf[n] = '\0';
		if (!email_ok(buf))
			field_errors_add(errs, "email",
			                 "L'adresse électronique n'est pas valide (ex. "
			                 "prenom.nom@exemple.fr).");
	}
}

static void check_address(const struct person_input *in, struct field_errors *errs)
{
	check_text(in->adresse, "adresse", PERSON_ADDRESS_MAX, 1,
	           "L'adresse ne doit pas dépasser 250 caractères.",
	           "L'adresse contient des caractères non autorisés.", errs);
	check_code(in->code_postal, "code_postal", NULL, code_postal_check, errs);
	check_text(in->commune, "commune", PERSON_NAME_MAX, 0,
	           "La commune ne doit pas dépasser 100 caractères.",
	           "La commune contient des caractères non autorisés.", errs);
}

int person_validate(const struct person_input *in, int today_y, int today_m, int today_d,
                    struct field_errors *errs)
{
	int before = errs->n;

	check_names(in, errs);
	check_sexe(in->sexe, errs);
	check_birth_date(in->date_naissance, today_y, today_m, today_d, errs);
	check_birth_place(in, errs);
	check_nationalite(in->nationalite, errs);
	check_contact(in, errs);
	check_address(in, errs);
	/* a full list may have dropped this person's errors: refuse anyway */
	return errs->n > before || errs->n >= FIELD_ERRORS_MAX ? CAS_EINVAL : 0;
}

/* What a code point of a name becomes: ' ' for any space, the ASCII
 * apostrophe and hyphen for their typographic forms, else itself. */
static long name_char(long cp)
{
	if (utf8_is_space(cp))
		return ' ';
	if (cp == 0x2019 || cp == 0x2bc)
		return '\'';
	if (cp == 0x2010 || cp == 0x2011)
		return '-';
	return cp;
}

void person_normalise_name(const char *in, char *out, size_t outsz)
{
	size_t i = 0, len = 0;
	int space = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (!in)
		return;
	for (;;) {
		long cp = name_char(utf8_next(in, &i));
		char enc[4];
		size_t n;

		if (cp == 0)
			break;
		if (cp == ' ') {
			space = len > 0;
			continue;
		}
		n = utf8_encode(cp, enc); /* 0 for an invalid byte: dropped */
		if (n == 0)
			continue;
		if (len + (size_t)space + n >= outsz)
			break;
		if (space)
			out[len++] = ' ';
		space = 0;
		memcpy(out + len, enc, n);
		len += n;
		out[len] = '\0';
	}
}
