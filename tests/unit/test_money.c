#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "domain/money.h"

#define NNBSP "\xe2\x80\xaf" /* U+202F */
#define NBSP  "\xc2\xa0"     /* U+00A0 */

static const char msg_invalid[] = "Montant invalide : saisissez un nombre, par exemple 1 234,56.";

static void assert_amount(const char *s, int64_t want)
{
	int64_t got = -1;
	const char *why = NULL;

	if (money_parse(s, &got, &why) != 0)
		fail_msg("\"%s\" refused: %s", s, why);
	assert_int_equal(got, want);
}

static void assert_refused(const char *s, const char *msg)
{
	int64_t got = 42;
	const char *why = NULL;

	if (money_parse(s, &got, &why) != CAS_EINVAL)
		fail_msg("\"%s\" accepted as %lld", s ? s : "(null)", (long long)got);
	assert_int_equal(got, 42);
	assert_non_null(why);
	if (strcmp(why, msg) != 0)
		fail_msg("\"%s\": \"%s\", want \"%s\"", s ? s : "(null)", why, msg);
}

static void parse_valid(void **state)
{
	assert_amount("1234", 123400);
	assert_amount("1234,5", 123450);
	assert_amount("1234,56", 123456);
	assert_amount("1 234,56", 123456);
	assert_amount("1234.56", 123456);
	assert_amount("1234.5", 123450);
	assert_amount("0", 0);
	assert_amount("0,01", 1);
	assert_amount("0.1", 10);
	assert_amount("007", 700);
	assert_amount("12 €", 1200);
	assert_amount("12€", 1200);
	assert_amount("€ 12", 1200);
	assert_amount("€12,30", 1230);
	assert_amount("  1 234 567,89 €  ", 123456789);
	assert_amount("1" NBSP "234,56" NBSP "€", 123456);
	assert_amount("1" NNBSP "234" NNBSP "567,00", 123456700);
	assert_amount("1 000 000", 100000000);
	assert_amount("100000000", 10000000000);
	assert_amount("100 000 000,00 €", MONEY_MAX_CENTS);
	assert_amount("\t42\t", 4200);
}

static void parse_invalid(void **state)
{
	const char *decimals = "Le montant ne peut pas comporter plus de deux décimales.";
	const char *grouping =
	    "Séparez les milliers par des espaces et les centimes par une virgule (ex. 1 234,56).";
	const char *too_big = "Le montant dépasse la limite de 100 000 000 €.";

	assert_refused("", "Le montant est vide.");
	assert_refused("   ", "Le montant est vide.");
	assert_refused("€", "Le montant est vide.");
	assert_refused(NULL, "Le montant est vide.");
	assert_refused("-12", "Le montant ne peut pas être négatif.");
	assert_refused("-0,50 €", "Le montant ne peut pas être négatif.");
	assert_refused("12,345", decimals);
	assert_refused("1.234", decimals);
	assert_refused("0,001", decimals);
	assert_refused("100 000 000,01", too_big);
	assert_refused("100000001", too_big);
	assert_refused("99999999999999999999999999", too_big);
	assert_refused("9223372036854775807", too_big);
	assert_refused("abc", msg_invalid);
	assert_refused("12abc", msg_invalid);
	assert_refused("12 34", msg_invalid);
	assert_refused("1234 567", msg_invalid);
	assert_refused("1 2345", msg_invalid);
	assert_refused("1  234", msg_invalid);
	assert_refused("1.234,56", grouping);
	assert_refused("1,234.56", grouping);
	assert_refused("1.234.567", grouping);
	assert_refused("5.5.5", grouping);
	assert_refused("12,", msg_invalid);
	assert_refused(",50", msg_invalid);
	assert_refused("+12", msg_invalid);
	assert_refused("12 € €", msg_invalid);
	assert_refused("€ 12 €", msg_invalid);
	assert_refused("1 2€3", msg_invalid);
	assert_refused("12 EUR", msg_invalid);
	assert_refused("12E", msg_invalid);
	assert_refused("1e3", msg_invalid);
	assert_refused("0x10", msg_invalid);
	assert_refused("12 ,50", msg_invalid);
	assert_refused("\xe2\x88\x92"
	               "12",
	               msg_invalid); /* U+2212 minus */
	assert_refused("12\xff", msg_invalid);
	assert_refused("1 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000",
	               msg_invalid);
}

static void assert_format(int64_t cents, const char *want, const char *want_plain)
{
	char out[MONEY_FMT_SIZE];

	money_format(cents, out, sizeof(out));
	assert_string_equal(out, want);
	money_format_plain(cents, out, sizeof(out));
	assert_string_equal(out, want_plain);
}

static void format(void **state)
{
	assert_format(0, "0,00" NBSP "€", "0.00");
	assert_format(5, "0,05" NBSP "€", "0.05");
	assert_format(123456, "1" NNBSP "234,56" NBSP "€", "1234.56");
	assert_format(99999, "999,99" NBSP "€", "999.99");
	assert_format(100000, "1" NNBSP "000,00" NBSP "€", "1000.00");
	assert_format(MONEY_MAX_CENTS, "100" NNBSP "000" NNBSP "000,00" NBSP "€", "100000000.00");
	assert_format(-123456, "-1" NNBSP "234,56" NBSP "€", "-1234.56");
	assert_format(-1, "-0,01" NBSP "€", "-0.01");
	assert_format(INT64_MAX,
	              "92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP "547" NNBSP "758,07" NBSP "€",
	              "92233720368547758.07");
	assert_format(INT64_MIN,
	              "-92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP "547" NNBSP "758,08" NBSP "€",
	              "-92233720368547758.08");
}

static void format_truncation(void **state)
{
	char out[8];

	/* "1 234,56 €" cut before a partial U+00A0 */
	money_format(123456, out, 8);
	assert_string_equal(out, "1" NNBSP "234");
	money_format(123456, out, 3);
	assert_string_equal(out, "1");
	money_format_plain(123456, out, 5);
	assert_string_equal(out, "1234");
	money_format(1, out, 1);
	assert_string_equal(out, "");
	money_format(1, NULL, 0);
}

static void round_trip(void **state)
{
	const int64_t values[] = {0, 1, 10, 99, 100, 123456, 100000000, MONEY_MAX_CENTS};
	char out[MONEY_FMT_SIZE];

	for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
		int64_t back = -1;

		money_format(values[k], out, sizeof(out));
		assert_int_equal(money_parse(out, &back, NULL), 0);
		assert_int_equal(back, values[k]);
		money_format_plain(values[k], out, sizeof(out));
		assert_int_equal(money_parse(out, &back, NULL), 0);
		assert_int_equal(back, values[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_valid), cmocka_unit_test(parse_invalid),
	    cmocka_unit_test(format),      cmocka_unit_test(format_truncation),
	    cmocka_unit_test(round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
