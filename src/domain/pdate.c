#include "domain/pdate.h"

#include <string.h>

#include "base/err.h"

/* Digit groups of a date text: "12/03/1985" -> 3 groups, separator '/'. */
struct groups {
	int n;
	int len[3];
	int val[3];
	char sep;
};

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return CAS_EINVAL;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ymd_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

int ymd_valid(int y, int m, int d)
{
	if (y < 1 || y > 9999)
		return 0;
	return d >= 1 && d <= ymd_days_in_month(y, m);
}

int ymd_cmp(int y1, int m1, int d1, int y2, int m2, int d2)
{
	if (y1 != y2)
		return y1 < y2 ? -1 : 1;
	if (m1 != m2)
		return m1 < m2 ? -1 : 1;
	if (d1 != d2)
		return d1 < d2 ? -1 : 1;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads n digits of s as a number (the caller checked they are digits). */
static int read_number(const char *s, int n)
{
	int v = 0;

	for (int k = 0; k < n; k++)
		v = v * 10 + (s[k] - '0');
	return v;
}

int ymd_parse_iso(const char *s, int *y, int *m, int *d)
{
	static const char shape[] = "dddd-dd-dd";

	if (!s || strlen(s) != sizeof(shape) - 1)
		return CAS_EINVAL;
	for (size_t k = 0; k < sizeof(shape) - 1; k++) {
		if (shape[k] == 'd' ? !is_digit(s[k]) : s[k] != shape[k])
			return CAS_EINVAL;
	}
	*y = read_number(s, 4);
	*m = read_number(s + 5, 2);
	*d = read_number(s + 8, 2);
	return ymd_valid(*y, *m, *d) ? 0 : CAS_EINVAL;
}

/* Splits s[0..n-1] into 1 to 3 groups of 1 to 4 digits separated by one
 * and the same character among "-/.". Returns 0 or CAS_EINVAL. */
static int split_groups(const char *s, size_t n, struct groups *g)
{
	size_t k = 0;

	memset(g, 0, sizeof(*g));
	while (k < n) {
		size_t start = k;

		while (k < n && is_digit(s[k]))
			k++;
		if (k == start || k - start > 4 || g->n == 3)
			return CAS_EINVAL;
		g->len[g->n] = (int)(k - start);
		g->val[g->n] = read_number(s + start, (int)(k - start));
		g->n++;
		if (k == n)
			return 0;
		if (!strchr("-/.", s[k]) || (g->sep && s[k] != g->sep) || k + 1 == n)
			return CAS_EINVAL;
		g->sep = s[k++];
	}
	return CAS_EINVAL;
}

static int short_group(const struct groups *g, int i)
{
	return g->len[i] == 1 || g->len[i] == 2;
}

/* Maps the groups to year, month and day by their shape. */
static int assign_groups(const struct groups *g, struct pdate *d)
{
	int iso = g->len[0] == 4;

	if (g->n == 1 && iso) {
		d->year = g->val[0];
	} else if (g->n == 2 && iso && g->sep == '-' && short_group(g, 1)) {
		d->year = g->val[0];
		d->month = g->val[1];
	} else if (g->n == 2 && short_group(g, 0) && g->len[1] == 4) {
		d->month = g->val[0];
		d->year = g->val[1];
	} else if (g->n == 3 && iso && g->sep == '-' && short_group(g, 1) && short_group(g, 2)) {
		d->year = g->val[0];
		d->month = g->val[1];
		d->day = g->val[2];
	} else if (g->n == 3 && short_group(g, 0) && short_group(g, 1) && g->len[2] == 4) {
		d->day = g->val[0];
		d->month = g->val[1];
		d->year = g->val[2];
	} else {
		return CAS_EINVAL;
	}
	return 0;
}

static int check_parts(const struct pdate *d, const char **why)
{
	if (d->year < PDATE_MIN_YEAR)
		return fail(why, "L'année doit être postérieure ou égale à 1900.");
	if (d->month < 0 || d->month > 12)
		return fail(why, "Le mois doit être compris entre 01 et 12 (00 s'il est inconnu).");
	if (d->month == 0 && d->day != 0)
		return fail(why, "Le jour ne peut pas être connu si le mois est inconnu.");
	if (d->day != 0 && !ymd_valid(d->year, d->month, d->day))
		return fail(why, "Ce jour n'existe pas dans le calendrier.");
	return 0;
}

int pdate_parse(const char *s, struct pdate *d, const char **why)
{
	struct groups g;
	size_t b = 0, e;
	int rc;

	memset(d, 0, sizeof(*d));
	e = s ? strlen(s) : 0;
	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (b == e)
		return fail(why, "La date est vide.");
	if (split_groups(s + b, e - b, &g) != 0 || assign_groups(&g, d) != 0) {
		memset(d, 0, sizeof(*d));
		return fail(why,
		            "Date non reconnue : utilisez le format JJ/MM/AAAA, MM/AAAA ou AAAA.");
	}
	rc = check_parts(d, why);
	if (rc != 0)
		memset(d, 0, sizeof(*d));
	return rc;
}

int pdate_check_not_future(const struct pdate *d, int today_y, int today_m, int today_d,
                           const char **why)
{
	int m = d->month ? d->month : 1;
	int day = d->day ? d->day : 1;

	if (ymd_cmp(d->year, m, day, today_y, today_m, today_d) > 0)
		return fail(why, "La date ne peut pas être dans le futur.");
	return 0;
}

/* Writes v as n decimal digits (zero-padded, taken modulo 10^n). */
static void put_digits(char *p, int v, int n)
{
	unsigned u = v < 0 ? 0u : (unsigned)v;

	for (int k = n - 1; k >= 0; k--) {
		p[k] = (char)('0' + u % 10);
		u /= 10;
	}
}

void pdate_iso(const struct pdate *d, char out[11])
{
	put_digits(out, d->year, 4);
	out[4] = '-';
	put_digits(out + 5, d->month, 2);
	out[7] = '-';
	put_digits(out + 8, d->day, 2);
	out[10] = '\0';
}

void pdate_fr(const struct pdate *d, char out[11])
{
	char *p = out;

	if (d->month != 0 && d->day != 0) {
		put_digits(p, d->day, 2);
		p[2] = '/';
		p += 3;
	}
	if (d->month != 0) {
		put_digits(p, d->month, 2);
		p[2] = '/';
		p += 3;
	}
	put_digits(p, d->year, 4);
	p[4] = '\0';
}

int pdate_age_at(const struct pdate *birth, int y, int m, int d)
{
	int bm = birth->month ? birth->month : 12;
	int bd = birth->day ? birth->day : ymd_days_in_month(birth->year, bm);
	int age = y - birth->year;

	if (m < bm || (m == bm && d < bd))
		age--;
	if (age >= 0)
		return age;
	bm = birth->month ? birth->month : 1;
	bd = birth->day ? birth->day : 1;
	return ymd_cmp(birth->year, bm, bd, y, m, d) <= 0 ? 0 : -1;
}
