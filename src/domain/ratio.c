/* Exact rational numbers: see ratio.h. Every intermediate value is a
 * signed 128-bit integer; terms are reduced before being narrowed back to
 * int64_t, and INT64_MIN is never produced so that negation is always
 * safe. */
#include "domain/ratio.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/err.h"

typedef __int128 i128;

static const int64_t pow10_tab[RATIO_MAX_SCALE + 1] = {
    INT64_C(1),
    INT64_C(10),
    INT64_C(100),
    INT64_C(1000),
    INT64_C(10000),
    INT64_C(100000),
    INT64_C(1000000),
    INT64_C(10000000),
    INT64_C(100000000),
    INT64_C(1000000000),
    INT64_C(10000000000),
    INT64_C(100000000000),
    INT64_C(1000000000000),
    INT64_C(10000000000000),
    INT64_C(100000000000000),
    INT64_C(1000000000000000),
    INT64_C(10000000000000000),
    INT64_C(100000000000000000),
    INT64_C(1000000000000000000),
};

static i128 abs128(i128 v)
{
	return v < 0 ? -v : v;
}

static i128 gcd128(i128 a, i128 b)
{
	a = abs128(a);
	b = abs128(b);
	while (b != 0) {
		i128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Reduces num/den into *out; the only place where terms are narrowed. */
static int normalise(i128 num, i128 den, struct ratio *out)
{
	if (den == 0)
		return CAS_EINVAL;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	i128 g = gcd128(num, den);
	if (g > 1) {
		num /= g;
		den /= g;
	}
	if (num == 0)
		den = 1;
	if (num > INT64_MAX || num < -INT64_MAX || den > INT64_MAX)
		return CAS_ETOOBIG;
	out->num = (int64_t)num;
	out->den = (int64_t)den;
	return 0;
}

/* Operands built by hand may be unreduced or carry INT64_MIN: refuse
 * what cannot be negated and a non-positive denominator. */
static int operand_ok(struct ratio r)
{
	return r.den > 0 && r.num != INT64_MIN;
}

struct ratio ratio_int(int64_t n)
{
	struct ratio r = {n == INT64_MIN ? -INT64_MAX : n, 1};
	return r;
}

struct ratio ratio_cents(int64_t cents)
{
	struct ratio r = {0, 1};
	if (cents == INT64_MIN)
		cents = -INT64_MAX;
	normalise(cents, 100, &r);
	return r;
}

int ratio_make(int64_t num, int64_t den, struct ratio *out)
{
	return normalise(num, den, out);
}

int ratio_add(struct ratio a, struct ratio b, struct ratio *out)
{
	if (!operand_ok(a) || !operand_ok(b))
		return CAS_EINVAL;
	return normalise((i128)a.num * b.den + (i128)b.num * a.den, (i128)a.den * b.den, out);
}

int ratio_sub(struct ratio a, struct ratio b, struct ratio *out)
{
	if (!operand_ok(a) || !operand_ok(b))
		return CAS_EINVAL;
	return normalise((i128)a.num * b.den - (i128)b.num * a.den, (i128)a.den * b.den, out);
}

int ratio_mul(struct ratio a, struct ratio b, struct ratio *out)
{
	if (!operand_ok(a) || !operand_ok(b))
		return CAS_EINVAL;
	return normalise((i128)a.num * b.num, (i128)a.den * b.den, out);
}

int ratio_div(struct ratio a, struct ratio b, struct ratio *out)
{
	if (!operand_ok(a) || !operand_ok(b) || b.num == 0)
		return CAS_EINVAL;
	return normalise((i128)a.num * b.den, (i128)a.den * b.num, out);
}

int ratio_cmp(struct ratio a, struct ratio b)
{
	i128 l = (i128)a.num * b.den, r = (i128)b.num * a.den;
	if (a.den <= 0 || b.den <= 0) /* not a valid ratio: compare numerators */
		l = a.num, r = b.num;
	return l < r ? -1 : l > r ? 1 : 0;
}

int ratio_sign(struct ratio r)
{
	return r.num < 0 ? -1 : r.num > 0 ? 1 : 0;
}

/* Whether the truncated quotient q (remainder rem, both with the sign of
 * the exact value) moves one step away from zero under mode. den > 0. */
static int round_away(i128 q, i128 rem, i128 den, int negative, enum ratio_mode mode)
{
	if (rem == 0)
		return 0;
	i128 twice = 2 * abs128(rem);
	switch (mode) {
	case RATIO_DOWN: return 0;
	case RATIO_UP: return 1;
	case RATIO_FLOOR: return negative;
	case RATIO_CEIL: return !negative;
	case RATIO_HALF_UP: return twice >= den;
	case RATIO_HALF_EVEN: return twice > den || (twice == den && (q % 2) != 0);
	}
	return 0;
}

/* r * 10^scale rounded to an integer, as a 128-bit value (|r| < 2^63 and
 * 10^18 < 2^60: no overflow). */
static int scaled128(struct ratio r, int scale, enum ratio_mode mode, i128 *out)
{
	if (!operand_ok(r) || scale < 0 || scale > RATIO_MAX_SCALE)
		return CAS_EINVAL;
	if ((int)mode < RATIO_HALF_UP || (int)mode > RATIO_CEIL)
		return CAS_EINVAL;
	i128 n = (i128)r.num * pow10_tab[scale];
	i128 q = n / r.den, rem = n % r.den;
	int negative = n < 0;
	if (round_away(q, rem, r.den, negative, mode))
		q += negative ? -1 : 1;
	*out = q;
	return 0;
}

int ratio_to_scaled(struct ratio r, int scale, enum ratio_mode mode, int64_t *out)
{
	i128 q;
	int rc = scaled128(r, scale, mode, &q);
	if (rc != 0)
		return rc;
	if (q > INT64_MAX || q < -INT64_MAX)
		return CAS_ETOOBIG;
	*out = (int64_t)q;
	return 0;
}

int ratio_round(struct ratio r, int scale, enum ratio_mode mode, struct ratio *out)
{
	i128 q;
	int rc = scaled128(r, scale, mode, &q);
	if (rc != 0)
		return rc;
	return normalise(q, pow10_tab[scale], out);
}

/* Reads digits into *v (at most max_digits of them); returns the count. */
static int read_digits(const char **s, i128 *v, int max_digits)
{
	int n = 0;
	while (**s >= '0' && **s <= '9') {
		if (++n > max_digits)
			return -1;
		*v = *v * 10 + (**s - '0');
		(*s)++;
	}
	return n;
}

static int parse_fraction(const char *p, int negative, i128 num, struct ratio *out)
{
	i128 den = 0;
	int nd = read_digits(&p, &den, 19);
	if (nd <= 0 || *p != '\0')
		return nd < 0 ? CAS_ETOOBIG : CAS_EINVAL;
	if (den == 0)
		return CAS_EINVAL;
	return normalise(negative ? -num : num, den, out);
}

int ratio_parse(const char *s, struct ratio *out)
{
	if (!s)
		return CAS_EINVAL;
	const char *p = s;
	int negative = 0;
	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	i128 num = 0;
	int ni = read_digits(&p, &num, 19);
	if (ni < 0)
		return CAS_ETOOBIG;
	if (ni == 0)
		return CAS_EINVAL;
	if (*p == '/')
		return parse_fraction(p + 1, negative, num, out);
	int nf = 0;
	if (*p == '.' || *p == ',') {
		p++;
		nf = read_digits(&p, &num, RATIO_MAX_SCALE);
		if (nf <= 0)
			return nf == 0 ? CAS_EINVAL : CAS_ETOOBIG;
	}
	if (*p != '\0')
		return CAS_EINVAL;
	return normalise(negative ? -num : num, pow10_tab[nf], out);
}

/* Writes the decimal digits of v >= 0 into buf (NUL-terminated). */
static void u128_digits(i128 v, char *buf)
{
	char tmp[48];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v > 0);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

/* Writes q / 10^decimals as a decimal with exactly `decimals` digits. */
static void write_scaled(i128 q, int decimals, char *buf)
{
	char digits[48];
	char *o = buf;
	if (q < 0) {
		*o++ = '-';
		q = -q;
	}
	u128_digits(q, digits);
	int len = (int)strlen(digits), pad = decimals + 1 - len;
	char full[80];
	int k = 0;
	while (pad-- > 0)
		full[k++] = '0';
	memcpy(full + k, digits, (size_t)len + 1);
	len = (int)strlen(full);
	memcpy(o, full, (size_t)(len - decimals));
	o += len - decimals;
	if (decimals > 0) {
		*o++ = '.';
		memcpy(o, full + len - decimals, (size_t)decimals);
		o += decimals;
	}
	*o = '\0';
}

char *ratio_format(struct ratio r, int decimals, char *buf)
{
	i128 q = 0;
	if (decimals < 0)
		decimals = 0;
	if (decimals > RATIO_MAX_SCALE)
		decimals = RATIO_MAX_SCALE;
	if (scaled128(r, decimals, RATIO_HALF_UP, &q) != 0) {
		snprintf(buf, RATIO_FMT_SIZE, "NaN");
		return buf;
	}
	write_scaled(q, decimals, buf);
	return buf;
}

/* Decimals needed to write 1/den exactly, or -1 when den has a prime
 * factor other than 2 and 5 or needs more than RATIO_MAX_SCALE. */
static int terminating_decimals(int64_t den)
{
	int twos = 0, fives = 0;
	while (den % 2 == 0) {
		den /= 2;
		twos++;
	}
	while (den % 5 == 0) {
		den /= 5;
		fives++;
	}
	int k = twos > fives ? twos : fives;
	return (den == 1 && k <= RATIO_MAX_SCALE) ? k : -1;
}

char *ratio_format_exact(struct ratio r, char *buf)
{
	if (!operand_ok(r)) {
		snprintf(buf, RATIO_FMT_SIZE, "NaN");
		return buf;
	}
	int k = terminating_decimals(r.den);
	if (k < 0) {
		snprintf(buf, RATIO_FMT_SIZE, "%lld/%lld", (long long)r.num, (long long)r.den);
		return buf;
	}
	return ratio_format(r, k, buf);
}

int ratio_mode_parse(const char *name, enum ratio_mode *out)
{
	static const struct {
		const char *name;
		enum ratio_mode mode;
	} names[] = {
	    {"half_up", RATIO_HALF_UP}, {"arrondi", RATIO_HALF_UP}, {"down", RATIO_DOWN},
	    {"tronque", RATIO_DOWN},    {"up", RATIO_UP},           {"half_even", RATIO_HALF_EVEN},
	    {"floor", RATIO_FLOOR},     {"ceil", RATIO_CEIL},
	};
	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].mode;
			return 0;
		}
	}
	return CAS_EINVAL;
}

int ratio_from_json(const json_t *v, struct ratio *out)
{
	char text[64];
	if (json_is_string(v))
		return ratio_parse(json_string_value(v), out);
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);
		if (n == INT64_MIN)
			return CAS_ETOOBIG;
		*out = ratio_int((int64_t)n);
		return 0;
	}
	if (json_is_real(v)) {
		snprintf(text, sizeof(text), "%.15g", json_real_value(v));
		return ratio_parse(text, out);
	}
	return CAS_EINVAL;
}
