/* Identifier checks: NIR, IBAN, RIB, numéro fiscal, référence d'avis,
 * numéro allocataire, code postal, and the dispatch by kind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/ident.h"

/* Checks value with fn; code NULL means valid. Returns the result. */
static struct ident_result expect(int (*fn)(const char *, struct ident_result *), const char *value,
                                  const char *code)
{
	struct ident_result res;
	int rc = fn(value, &res);
	if (!code) {
		if (rc != 0)
			fail_msg("%s should be valid: %s", value, res.reason);
		assert_true(res.valid);
		assert_string_equal(res.reason, "");
	} else {
		if (rc != CAS_EINVAL || !res.code || strcmp(res.code, code) != 0)
			fail_msg("%s: expected %s, got %s (%s)", value, code,
			         res.code ? res.code : "valid", res.reason);
		assert_false(res.valid);
		assert_true(res.reason[0] != '\0');
	}
	return res;
}

static void nir_valid(void **state)
{
	struct ident_result r = expect(ident_nir, "2 95 10 99 126 111 93", NULL);
	assert_string_equal(r.normalised, "295109912611193");
	assert_int_equal(r.nb_warnings, 0);
	expect(ident_nir, "253072B07300470", NULL);
	expect(ident_nir, "253072A07300443", NULL);
	expect(ident_nir, "253072a07300443", NULL);
	expect(ident_nir, "185057800608491", NULL);
	expect(ident_nir, "255081416802538", NULL);
	expect(ident_nir, "2 84 05 2B 321 025 79", NULL);
	expect(ident_nir, "2.84.05.88.321.025.32", NULL);
	expect(ident_nir,
	       "2\xc2\xa0"
	       "84 05 88 321 025 32",
	       NULL); /* no-break space */
}

static void nir_reasons(void **state)
{
	expect(ident_nir, "295109912611199", "invalid_checksum");
	expect(ident_nir, "253072C07300443", "invalid_format");
	expect(ident_nir, "223145935012322", "invalid_month");
	expect(ident_nir, "200005935012322", "invalid_month");
	expect(ident_nir, "2951099126111", "invalid_length");
	expect(ident_nir, "29510991261119", "invalid_length");
	expect(ident_nir, "", "invalid_length");
	expect(ident_nir, NULL, "invalid_length");
	expect(ident_nir, "2951099126111X3", "invalid_format");
	expect(ident_nir, "395109912611193", "invalid_sex");
	expect(ident_nir, "784052A32102552", "invalid_sex");
	expect(ident_nir, "284050032102552", "invalid_department");
	expect(ident_nir, "284058800002552", "invalid_component");
	expect(ident_nir, "284058832100052", "invalid_component");
	/* 13 characters: the reason gives the missing key */
	struct ident_result r = expect(ident_nir, "2840588321025", "invalid_length");
	assert_non_null(strstr(r.reason, "32"));
	/* far too long */
	expect(ident_nir, "1234567890123456789012345678901234567890123", "invalid_length");
}

static void nir_unknown_month_warns(void **state)
{
	char nir[16];
	int key;
	assert_int_equal(nir_key("1853099001002", &key), 0);
	snprintf(nir, sizeof(nir), "1853099001002%02d", key);
	struct ident_result r = expect(ident_nir, nir, NULL);
	assert_int_equal(r.nb_warnings, 1);
}

static void nir_keys(void **state)
{
	int key;
	assert_int_equal(nir_key("2840588321025", &key), 0);
	assert_int_equal(key, 32);
	assert_int_equal(nir_key("284052A321025", &key), 0);
	assert_int_equal(key, 52);
	assert_int_equal(nir_key("284052B321025", &key), 0);
	assert_int_equal(key, 79);
	assert_int_equal(nir_key("28405", &key), CAS_EINVAL);
	assert_int_equal(nir_key("284052C321025", &key), CAS_EINVAL);
}

static void iban(void **state)
{
	struct ident_result r = expect(ident_iban, "FR14 2004 1010 0505 0001 3M02 606", NULL);
	assert_string_equal(r.normalised, "FR1420041010050500013M02606");
	expect(ident_iban, "fr7630006000011234567890189", NULL);
	expect(ident_iban, "FR7630006000011234567890188", "invalid_checksum");
	expect(ident_iban, "DE89 3704 0044 0532 0130 00", NULL);
	expect(ident_iban, "BE68539007547034", NULL);
	expect(ident_iban, "FR763000600001123456789018", "invalid_length");
	expect(ident_iban, "DE8937040044053201300", "invalid_length");
	expect(ident_iban, "7630006000011234567890189", "invalid_country");
	expect(ident_iban, "FRAB30006000011234567890189", "invalid_format");
	expect(ident_iban, "FR76300060000112345678901_9", "invalid_format");
	expect(ident_iban, "", "invalid_country");
	/* unknown country: length not checked, a warning says so */
	int digits;
	char text[40];
	assert_int_equal(iban_check_digits("ZZ", "123456789012", &digits), 0);
	snprintf(text, sizeof(text), "ZZ%02d123456789012", digits);
	r = expect(ident_iban, text, NULL);
	assert_int_equal(r.nb_warnings, 1);
	/* mod 97 right but RIB key wrong: build such an IBAN */
	assert_int_equal(iban_check_digits("FR", "30006000011234567890188", &digits), 0);
	snprintf(text, sizeof(text), "FR%02d30006000011234567890188", digits);
	r = expect(ident_iban, text, "invalid_checksum");
	assert_non_null(strstr(r.reason, "RIB"));
	assert_int_equal(iban_check_digits("FR", "30006000011234567890189", &digits), 0);
	assert_int_equal(digits, 76);
	assert_int_equal(iban_check_digits("F", "1", &digits), CAS_EINVAL);
}

static void rib(void **state)
{
	int key;
	assert_int_equal(rib_key("30006", "00001", "12345678901", &key), 0);
	assert_int_equal(key, 89);
	assert_int_equal(rib_key("20041", "01005", "0500013M026", &key), 0);
	assert_int_equal(key, 6);
	assert_int_equal(rib_key("20041", "01005", "0500013m026", &key), 0);
	assert_int_equal(key, 6);
	assert_int_equal(rib_key("2004", "01005", "0500013M026", &key), CAS_EINVAL);
	assert_int_equal(rib_key("20041", "01005", "0500013M02#", &key), CAS_EINVAL);
	expect(ident_rib, "30006 00001 12345678901 89", NULL);
	expect(ident_rib, "20041 01005 0500013M026 06", NULL);
	expect(ident_rib, "30006 00001 12345678901 88", "invalid_checksum");
	expect(ident_rib, "30006 00001 12345678901", "invalid_length");
	expect(ident_rib, "3000A 00001 12345678901 89", "invalid_format");
	expect(ident_rib, "30006 00001 1234567890$ 89", "invalid_format");
}

static void numero_fiscal(void **state)
{
	struct ident_result r = expect(ident_numero_fiscal, "30 23 217 600 053", NULL);
	assert_int_equal(r.nb_warnings, 0);
	assert_string_equal(r.normalised, "3023217600053");
	/* checksum failure: valid with a warning */
	r = expect(ident_numero_fiscal, "3023217600054", NULL);
	assert_int_equal(r.nb_warnings, 1);
	expect(ident_numero_fiscal, "9701987765432", "invalid_component");
	expect(ident_numero_fiscal, "302321760005", "invalid_length");
	expect(ident_numero_fiscal, "30232176000A3", "invalid_format");
}

static void reference_avis(void **state)
{
	expect(ident_reference_avis, "21 09 A0 12 34 56 7", NULL);
	expect(ident_reference_avis, "2109A0123456-7", NULL);
	expect(ident_reference_avis, "2109A012345", "invalid_length");
	expect(ident_reference_avis, "2109A01234567X", "invalid_length");
	expect(ident_reference_avis, "2109A012345\xc3\xa9", "invalid_format");
}

static void allocataire_and_postal(void **state)
{
	struct ident_result r = expect(ident_numero_allocataire, "0000354", NULL);
	assert_string_equal(r.normalised, "0000354");
	expect(ident_numero_allocataire, "44A0100", "invalid_format");
	expect(ident_numero_allocataire, "440010", "invalid_length");
	expect(ident_code_postal, "75001", NULL);
	expect(ident_code_postal, "20000", NULL);
	expect(ident_code_postal, "97411", NULL);
	expect(ident_code_postal, "98000", NULL);
	expect(ident_code_postal, "2A000", "invalid_format");
	expect(ident_code_postal, "7500", "invalid_length");
	expect(ident_code_postal, "00100", "invalid_department");
	expect(ident_code_postal, "96000", "invalid_department");
	expect(ident_code_postal, "99000", "invalid_department");
	expect(ident_code_postal, "97900", "invalid_department");
}

static void sirene_and_cog(void **state)
{
	expect(ident_siret, "21750001600019", NULL);
	expect(ident_siret, "217 500 016 00019", NULL);
	expect(ident_siret, "21750001600018", "invalid_checksum");
	expect(ident_siret, "2175000160001", "invalid_length");
	expect(ident_siren, "217500016", NULL);
	expect(ident_cog, "2A004", NULL);
	expect(ident_cog, "97411", NULL);
	expect(ident_cog, "99134", NULL);
	expect(ident_cog, "99100", "invalid_country");
	expect(ident_cog, "20004", "invalid_department");
	expect(ident_cog, "7505", "invalid_length");
}

static void dispatch(void **state)
{
	struct ident_result r;
	assert_int_equal(ident_check("nir", "295109912611193", &r), 0);
	assert_int_equal(ident_check("numero_fiscal", "3023217600053", &r), 0);
	assert_int_equal(ident_check("code-postal", "2A000", &r), CAS_EINVAL);
	assert_int_equal(ident_check("passeport", "X", &r), CAS_ENOTFOUND);
	assert_int_equal(ident_check(NULL, "X", &r), CAS_ENOTFOUND);
	assert_int_equal(ident_check("nirnirnirnirnirnirnirnirnirnirnirnirnir", "X", &r),
	                 CAS_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nir_valid),
	    cmocka_unit_test(nir_reasons),
	    cmocka_unit_test(nir_unknown_month_warns),
	    cmocka_unit_test(nir_keys),
	    cmocka_unit_test(iban),
	    cmocka_unit_test(rib),
	    cmocka_unit_test(numero_fiscal),
	    cmocka_unit_test(reference_avis),
	    cmocka_unit_test(allocataire_and_postal),
	    cmocka_unit_test(sirene_and_cog),
	    cmocka_unit_test(dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
