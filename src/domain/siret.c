#include "domain/siret.h"

#include <string.h>

#include "base/err.h"
#include "base/utf8.h"

#define MAX_DIGITS 14

static void set_why(const char **why, const char *msg)
{
	if (why)
		*why = msg;
}

/* Copies the digits of s to out, skipping spaces. Returns the number of
 * digits, or -1 when s holds anything else or more than max digits. */
static int collect_digits(const char *s, char *out, int max)
{
	size_t i = 0;
	int n = 0;
	long cp;

	if (!s)
		return -1;
	while ((cp = utf8_next(s, &i)) != 0) {
		if (cp == ' ' || cp == 0xa0 || cp == 0x202f)
			continue;
		if (cp < '0' || cp > '9' || n == max)
			return -1;
		out[n++] = (char)cp;
	}
	out[n] = '\0';
	return n;
}

/* 1 when the digit string passes the Luhn check. */
static int luhn_ok(const char *d, int n)
{
	int sum = 0;

	for (int k = 0; k < n; k++) {
		int v = d[n - 1 - k] - '0';

		if (k % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

static int digit_sum(const char *d, int n)
{
	int sum = 0;

	for (int k = 0; k < n; k++)
		sum += d[k] - '0';
	return sum;
}

int siren_check(const char *s, const char **why)
{
	char d[MAX_DIGITS + 1];

	if (collect_digits(s, d, 9) != 9) {
		set_why(why, "Le SIREN doit comporter 9 chiffres.");
		return CAS_EINVAL;
	}
	if (!luhn_ok(d, 9)) {
		set_why(why, "Le SIREN est invalide (clé de contrôle incorrecte).");
		return CAS_EINVAL;
	}
	return 0;
}

int siret_check(const char *s, const char **why)
{
	char d[MAX_DIGITS + 1];
	int ok;

	if (collect_digits(s, d, MAX_DIGITS) != MAX_DIGITS) {
		set_why(why, "Le SIRET doit comporter 14 chiffres.");
		return CAS_EINVAL;
	}
	ok = luhn_ok(d, MAX_DIGITS) && luhn_ok(d, 9);
	if (!ok && memcmp(d, SIREN_LA_POSTE, 9) == 0)
		ok = digit_sum(d, MAX_DIGITS) % 5 == 0;
	if (!ok) {
		set_why(why, "Le SIRET est invalide (clé de contrôle incorrecte).");
		return CAS_EINVAL;
	}
	return 0;
}

int siret_normalise(const char *in, char out[15])
{
	if (collect_digits(in, out, MAX_DIGITS) != MAX_DIGITS) {
		out[0] = '\0';
		return CAS_EINVAL;
	}
	return 0;
}
