#include "domain/money.h"

#include <string.h>

#include "base/err.h"
#include "base/utf8.h"

#define INPUT_MAX 64 /* longer texts are not amounts a person types */
#define MAX_UNITS (MONEY_MAX_CENTS / 100)

static const char msg_empty[] = "Le montant est vide.";
static const char msg_negative[] = "Le montant ne peut pas être négatif.";
static const char msg_decimals[] = "Le montant ne peut pas comporter plus de deux décimales.";
static const char msg_too_big[] = "Le montant dépasse la limite de 100 000 000 €.";
static const char msg_grouping[] =
    "Séparez les milliers par des espaces et les centimes par une virgule (ex. 1 234,56).";
static const char msg_invalid[] = "Montant invalide : saisissez un nombre, par exemple 1 234,56.";

/* Rewrites s in ASCII into t: every kind of space becomes ' ', the euro
 * sign 'E', any other non-ASCII character '?'. Returns 0, or -1 when s is
 * too long. */
static int simplify(const char *s, char *t, size_t tsz)
{
	size_t i = 0, n = 0;
	long cp;

	while ((cp = utf8_next(s, &i)) != 0) {
		if (n + 1 >= tsz)
			return -1;
		if (cp == ' ' || cp == '\t' || cp == 0xa0 || cp == 0x202f)
			t[n++] = ' ';
		else if (cp == 0x20ac)
			t[n++] = 'E';
		else if (cp > 0 && cp < 0x7f && cp != 'E')
			t[n++] = (char)cp;
		else
			t[n++] = '?';
	}
	t[n] = '\0';
	return 0;
}

/* Trims spaces and one euro sign, before or after the number; returns the body, or NULL
 * when a euro sign is elsewhere. */
static char *strip_decoration(char *t)
{
	size_t n;
	int leading;

	t += strspn(t, " ");
	leading = *t == 'E';
	if (leading)
		t += 1 + strspn(t + 1, " ");
	n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	if (!leading && n > 0 && t[n - 1] == 'E') {
		n--;
		while (n > 0 && t[n - 1] == ' ')
			n--;
	}
	t[n] = '\0';
	return strchr(t, 'E') ? NULL : t;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads the integer part, digits optionally grouped by threes with single
 * spaces, into *units. Returns NULL or an error message. */
static const char *parse_units(const char **pp, int64_t *units)
{
	const char *p = *pp;
	int group = 0, grouped = 0;

	*units = 0;
	if (!is_digit(*p))
		return msg_invalid;
	for (; is_digit(*p) || (*p == ' ' && is_digit(p[1])); p++) {
		if (*p == ' ') {
			if ((grouped && group != 3) || (!grouped && group > 3))
				return msg_invalid;
			grouped = 1;
			group = 0;
			continue;
		}
		*units = *units * 10 + (*p - '0');
		if (*units > MAX_UNITS)
			return msg_too_big;
		group++;
	}
	if (grouped && group != 3)
		return msg_invalid;
	*pp = p;
	return NULL;
}

/* Reads an optional decimal part ",5" or ".56" into *frac (cents). */
static const char *parse_cents(const char **pp, int *frac)
{
	const char *p = *pp;
	int n = 0;

	*frac = 0;
	if (*p != ',' && *p != '.')
		return NULL;
	for (p++; is_digit(*p); p++, n++) {
		if (n < 2)
			*frac = *frac * 10 + (*p - '0');
	}
	if (n == 0)
		return msg_invalid;
	if (*p == ',' || *p == '.')
		return msg_grouping;
	if (n > 2)
		return msg_decimals;
	if (n == 1)
		*frac *= 10;
	*pp = p;
	return NULL;
}

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return CAS_EINVAL;
}

int money_parse(const char *s, int64_t *cents, const char **why)
{
	char buf[INPUT_MAX];
	const char *p, *err;
	int64_t units;
	int frac;

	if (!s || simplify(s, buf, sizeof(buf)) != 0 || !(p = strip_decoration(buf)))
		return fail(why, s ? msg_invalid : msg_empty);
	if (*p == '\0')
		return fail(why, msg_empty);
	if (*p == '-')
		return fail(why, msg_negative);
	if ((err = parse_units(&p, &units)) || (err = parse_cents(&p, &frac)))
		return fail(why, err);
	if (*p != '\0')
		return fail(why, msg_invalid);
	if (units * 100 + frac > MONEY_MAX_CENTS)
		return fail(why, msg_too_big);
	*cents = units * 100 + frac;
	return 0;
}

/* Copies text into out (outsz > 0), cutting before a partial UTF-8
 * character when it does not fit. */
static void copy_out(const char *text, size_t len, char *out, size_t outsz)
{
	if (outsz == 0)
		return;
	if (len >= outsz) {
		len = outsz - 1;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, text, len);
	out[len] = '\0';
}

/* Writes sign, integer part (groups of three separated by sep, which may
 * be empty), decimal mark and two decimals to p; returns the length. */
static size_t put_amount(int64_t cents, const char *sep, char mark, char *p)
{
	uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	uint64_t units = mag / 100;
	char digits[24];
	size_t nd = 0, n = 0, seplen = strlen(sep);

	do {
		digits[nd++] = (char)('0' + units % 10);
		units /= 10;
	} while (units > 0);
	if (cents < 0)
		p[n++] = '-';
	while (nd > 0) {
		p[n++] = digits[--nd];
		if (nd > 0 && nd % 3 == 0) {
			memcpy(p + n, sep, seplen);
			n += seplen;
		}
	}
	p[n++] = mark;
	p[n++] = (char)('0' + mag % 100 / 10);
	p[n++] = (char)('0' + mag % 10);
	p[n] = '\0';
	return n;
}

void money_format(int64_t cents, char *out, size_t outsz)
{
	static const char nbsp_euro[] = "\xc2\xa0\xe2\x82\xac"; /* U+00A0 € */
	char buf[MONEY_FMT_SIZE];
	size_t n = put_amount(cents, "\xe2\x80\xaf", ',', buf); /* U+202F */

	memcpy(buf + n, nbsp_euro, sizeof(nbsp_euro));
	copy_out(buf, n + sizeof(nbsp_euro) - 1, out, outsz);
}

void money_format_plain(int64_t cents, char *out, size_t outsz)
{
	char buf[MONEY_FMT_SIZE];
	size_t n = put_amount(cents, "", '.', buf);

	copy_out(buf, n, out, outsz);
}
