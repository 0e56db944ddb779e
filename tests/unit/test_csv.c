/* CSV for French spreadsheets: byte order mark, ';', CRLF, quoting,
 * decimal comma, dates, and protection against formula injection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/csv.h"
#include "base/err.h"

#define BOM "\xef\xbb\xbf"

static void expect(struct buf *b, const char *want)
{
	if (strcmp(buf_cstr(b), want) != 0)
		fail_msg("got  [%s]\nwant [%s]", buf_cstr(b), want);
}

static void cells_and_rows(void **state)
{
	struct buf b;
	struct csv c;
	buf_init(&b, 4096);
	csv_begin(&c, &b);
	csv_text(&c, "Nom");
	csv_text(&c, "Montant");
	csv_end_row(&c);
	csv_text(&c, "Gaëlle Lefèvre");
	csv_money(&c, 123456);
	csv_end_row(&c);
	expect(&b, BOM "Nom;Montant\r\nGaëlle Lefèvre;1234,56\r\n");
	buf_free(&b);
}

static void quoting(void **state)
{
	struct buf b;
	struct csv c;
	buf_init(&b, 4096);
	csv_begin(&c, &b);
	csv_text(&c, "a;b");
	csv_text(&c, "il a dit \"oui\"");
	csv_text(&c, "deux\nlignes");
	csv_text(&c, "retour\r");
	csv_text(&c, "");
	csv_text(&c, NULL);
	csv_text(&c, "simple, avec virgule");
	csv_end_row(&c);
	expect(&b, BOM "\"a;b\";\"il a dit \"\"oui\"\"\";\"deux\nlignes\";\"retour\r\";;;"
	               "simple, avec virgule\r\n");
	buf_free(&b);
}

static void formula_injection(void **state)
{
	struct buf b;
	struct csv c;
	buf_init(&b, 4096);
	csv_begin(&c, &b);
	csv_text(&c, "=HYPERLINK(\"http://x\")");
	csv_text(&c, "+33 1 23");
	csv_text(&c, "-2+3");
	csv_text(&c, "@SUM(A1)");
	csv_text(&c, "\tcmd");
	csv_text(&c, "=1;2");
	csv_text(&c, "a=b");
	csv_end_row(&c);
	expect(&b, BOM "\"'=HYPERLINK(\"\"http://x\"\")\";'+33 1 23;'-2+3;'@SUM(A1);'\tcmd;"
	               "\"'=1;2\";a=b\r\n");
	buf_free(&b);
}

static void numbers(void **state)
{
	struct buf b;
	struct csv c;
	buf_init(&b, 4096);
	csv_begin(&c, &b);
	csv_money(&c, 0);
	csv_money(&c, 5);
	csv_money(&c, -5);
	csv_money(&c, -12345);
	csv_money(&c, 10000000000);
	csv_money(&c, INT64_MIN);
	csv_int(&c, -42);
	csv_end_row(&c);
	expect(&b, BOM "0,00;0,05;-0,05;-123,45;100000000,00;-92233720368547758,08;-42\r\n");
	buf_free(&b);
}

static void dates(void **state)
{
	struct buf b;
	struct csv c;
	buf_init(&b, 4096);
	csv_begin(&c, &b);
	csv_date(&c, "2026-03-15");
	csv_date(&c, "2026-03-15T10:00:00Z");
	csv_date(&c, "15 mars");
	csv_date(&c, NULL);
	csv_date(&c, "-2026-03");
	csv_end_row(&c);
	expect(&b, BOM "15/03/2026;15/03/2026;15 mars;;'-2026-03\r\n");
	buf_free(&b);
}

static void table(void **state)
{
	static const struct sheet_column cols[] = {
	    {"numero", "Numéro", SHEET_TEXT, 0}, {"montant", "Montant (€)", SHEET_MONEY, 0},
	    {"n", "Échéance", SHEET_INT, 0},     {"le", "Date", SHEET_DATE, 0},
	    {"at", "Horodatage", SHEET_DATE, 0},
	};
	/* 2026-03-14 23:30 UTC is already the 15th in Paris */
	json_t *rows = json_pack("[{s:s, s:i, s:i, s:s, s:I}, {s:s, s:n}]", "numero", "2026-00001",
	                         "montant", 15000, "n", 1, "le", "2026-03-15", "at",
	                         (json_int_t)1773531000, "numero", "=2026", "montant");
	struct buf b;
	buf_init(&b, 4096);
	assert_int_equal(csv_table(&b, cols, 5, rows), 0);
	expect(&b, BOM "Numéro;Montant (€);Échéance;Date;Horodatage\r\n"
	               "2026-00001;150,00;1;15/03/2026;15/03/2026\r\n"
	               "'=2026;;;;\r\n");
	buf_free(&b);
	buf_init(&b, 20);
	assert_int_equal(csv_table(&b, cols, 5, rows), CAS_ETOOBIG);
	buf_free(&b);
	json_decref(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cells_and_rows),
	    cmocka_unit_test(quoting),
	    cmocka_unit_test(formula_injection),
	    cmocka_unit_test(numbers),
	    cmocka_unit_test(dates),
	    cmocka_unit_test(table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
