#include "domain/cog.h"

#include <string.h>

#include "base/err.h"

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return CAS_EINVAL;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* 1 when s[0..n-1] are all digits. */
static int all_digits(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (!is_digit(s[k]))
			return 0;
	}
	return 1;
}

static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Length of the département prefix of a code commune (2 or 3), or 0 when
 * the code does not start with a département. */
static int departement_length(const char *code)
{
	int dep;

	if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B'))
		return 2;
	if (!all_digits(code, 2))
		return 0;
	dep = two_digits(code);
	if (dep >= 1 && dep <= 95 && dep != 20)
		return 2;
	if (dep == 97 && code[2] >= '1' && code[2] <= '6')
		return 3;
	return 0;
}

int cog_commune_check(const char *code, const char **why)
{
	int dlen;

	if (!code || strlen(code) != 5)
		return fail(why, "Le code commune INSEE doit comporter 5 caractères.");
	if (code[0] == '9' && code[1] == '9')
		return fail(why, "Ce code désigne un pays : indiquez un code commune INSEE.");
	dlen = departement_length(code);
	if (dlen == 0)
		return fail(why,
		            "Le code commune INSEE ne commence pas par un département valide.");
	if (!all_digits(code + dlen, (size_t)(5 - dlen)))
		return fail(why, "Le code commune INSEE doit se terminer par des chiffres.");
	if (strspn(code + dlen, "0") == (size_t)(5 - dlen))
		return fail(why, "Le numéro de commune du code INSEE ne peut pas être nul.");
	return 0;
}

int cog_pays_check(const char *code, const char **why)
{
	if (!code || strlen(code) != 5 || !all_digits(code, 5))
		return fail(why, "Le code pays INSEE doit comporter 5 chiffres.");
	if (code[0] != '9' || code[1] != '9')
		return fail(why, "Le code pays INSEE doit commencer par 99.");
	if (strcmp(code, COG_PAYS_FRANCE) == 0)
		return fail(why,
		            "Le code 99100 désigne la France : indiquez la commune de naissance.");
	if (strcmp(code, "99101") < 0)
		return fail(why, "Le code pays INSEE est invalide.");
	return 0;
}

int code_postal_check(const char *cp, const char **why)
{
	if (!cp || strlen(cp) != 5 || !all_digits(cp, 5))
		return fail(why, "Le code postal doit comporter 5 chiffres.");
	if (strcmp(cp, "01000") < 0 || strcmp(cp, "98999") > 0)
		return fail(why, "Le code postal est invalide.");
	return 0;
}
