/* Exact rational numbers for quotients, parts and per-person amounts:
 * num/den with int64_t terms, den > 0, always reduced (gcd 1, zero is
 * 0/1). Intermediate products use 128-bit integers; a result whose reduced
 * terms do not fit in int64_t is refused with CAS_ETOOBIG, never wrapped.
 * No floating point anywhere.
 *
 * Money in integer cents maps to ratio_cents(c) = c/100, and back with
 * ratio_to_scaled(r, 2, mode, &cents).
 *
 * Text forms:
 *   ratio_parse() reads "12", "-3.5", "12.345", "0,5" (comma accepted as
 *   the decimal separator), "+7", and the exact fraction form "2650/3"
 *   (optionally signed numerator, positive denominator). At most 18
 *   decimals; no exponent, no spaces, no thousands separators.
 *   ratio_format() writes a decimal rounded half-up (away from zero on
 *   ties) to a fixed number of decimals: "883.33", "-0.50", "5".
 *   ratio_format_exact() writes the canonical exact form: a decimal when
 *   the expansion terminates within 18 decimals ("2.5", "391.3", "-4"),
 *   "num/den" otherwise ("2650/3"); ratio_parse() reads it back to the
 *   same value. This is the form of exact values in simulation variables. */
#ifndef CAS_DOMAIN_RATIO_H
#define CAS_DOMAIN_RATIO_H
#include <stddef.h>
#include <stdint.h>

struct ratio {
	int64_t num;
	int64_t den; /* > 0 */
};

enum ratio_mode {
	RATIO_HALF_UP =
	    0,      /* default: nearest, ties away from zero (2.345 -> 2.35, -2.345 -> -2.35) */
	RATIO_DOWN, /* toward zero (truncation): 2.349 -> 2.34, -2.349 -> -2.34 */
	RATIO_UP,   /* away from zero: 2.341 -> 2.35, -2.341 -> -2.35 */
	RATIO_HALF_EVEN, /* nearest, ties to the even digit (banker's rounding) */
	RATIO_FLOOR,     /* toward minus infinity */
	RATIO_CEIL,      /* toward plus infinity */
};

#define RATIO_MAX_SCALE 18 /* decimals accepted by parse, round and format */
#define RATIO_FMT_SIZE  48 /* always enough for ratio_format / ratio_format_exact */

/* n/1 and c/100 (cents to euros). Cannot fail. */
struct ratio ratio_int(int64_t n);
struct ratio ratio_cents(int64_t cents);

/* *out = num/den reduced. CAS_EINVAL when den == 0, CAS_ETOOBIG when the
 * reduced value does not fit (INT64_MIN terms). */
int ratio_make(int64_t num, int64_t den, struct ratio *out);

/* Arithmetic: 0, CAS_ETOOBIG on overflow, CAS_EINVAL on division by zero.
 * *out is written only on success; it may alias an operand's storage. */
int ratio_add(struct ratio a, struct ratio b, struct ratio *out);
int ratio_sub(struct ratio a, struct ratio b, struct ratio *out);
int ratio_mul(struct ratio a, struct ratio b, struct ratio *out);
int ratio_div(struct ratio a, struct ratio b, struct ratio *out);

/* Negative, 0 or positive like strcmp; exact (no overflow possible). */
int ratio_cmp(struct ratio a, struct ratio b);
/* -1, 0 or 1. */
int ratio_sign(struct ratio r);

/* Rounds r to a multiple of 10^-scale (0 <= scale <= RATIO_MAX_SCALE):
 * ratio_round(2650/3, 2, RATIO_HALF_UP) = 88333/100. 0, CAS_EINVAL for a
 * bad scale or mode, CAS_ETOOBIG when the result does not fit. */
int ratio_round(struct ratio r, int scale, enum ratio_mode mode, struct ratio *out);

/* The rounded value times 10^scale as an integer: with scale 2 the amount
 * in cents. Same errors as ratio_round. */
int ratio_to_scaled(struct ratio r, int scale, enum ratio_mode mode, int64_t *out);

/* Parses the text forms above. 0, or CAS_EINVAL (bad text, zero
 * denominator) or CAS_ETOOBIG (out of range); *out untouched on failure. */
int ratio_parse(const char *s, struct ratio *out);

/* Writes r rounded half-up to `decimals` (0..RATIO_MAX_SCALE) decimals,
 * '.' as separator, '-' for negatives (never "-0.00"). Returns buf, which
 * must hold RATIO_FMT_SIZE bytes. A bad decimals count is clamped. */
char *ratio_format(struct ratio r, int decimals, char *buf);

/* Canonical exact text (see above) into buf (RATIO_FMT_SIZE bytes).
 * Returns buf. */
char *ratio_format_exact(struct ratio r, char *buf);

/* Reads a JSON value: a string in the text forms above, an integer, or a
 * real (taken with 15 significant digits, so 0.1 is exactly 1/10). 0,
 * CAS_EINVAL or CAS_ETOOBIG; *out untouched on failure. */
struct json_t;
int ratio_from_json(const struct json_t *v, struct ratio *out);

/* Parses a rounding mode name: "half_up" (also "arrondi"), "down"
 * ("tronque"), "up", "half_even", "floor", "ceil". 0 or CAS_EINVAL. */
int ratio_mode_parse(const char *name, enum ratio_mode *out);

#endif
