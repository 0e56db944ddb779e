/* "Vérifier la situation": the CAF / MSA and the DGFiP side by side with
 * the declared household. The monthly fiscal QF (exact, rounded half-up),
 * children against dependants, situation de famille against the
 * household, the three addresses, a side that failed or was not granted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/situation_compare.h"

static json_t *members(int conjoint, int enfants, int autres)
{
	json_t *m = json_array();
	json_array_append_new(m, json_pack("{s:s}", "relation", "demandeur"));
	if (conjoint)
		json_array_append_new(m, json_pack("{s:s}", "relation", "conjoint"));
	for (int i = 0; i < enfants; i++)
		json_array_append_new(m, json_pack("{s:s}", "relation", "enfant"));
	for (int i = 0; i < autres; i++)
		json_array_append_new(m, json_pack("{s:s}", "relation", "personne_a_charge"));
	return m;
}

static json_t *declared(void)
{
	return json_pack("{s:s, s:s, s:s}", "adresse", "12 rue des Tilleuls", "code_postal",
	                 "49990", "commune", "Démoville");
}

static json_t *caf(int allocataires, int enfants, const char *voie)
{
	json_t *c = json_pack("{s:{s:s, s:i}, s:[], s:[]}", "quotient_familial", "fournisseur",
	                      "CNAF", "valeur", 650, "allocataires", "enfants");
	for (int i = 0; i < allocataires; i++)
		json_array_append_new(json_object_get(c, "allocataires"),
		                      json_pack("{s:s}", "nom_naissance", "X"));
	for (int i = 0; i < enfants; i++)
		json_array_append_new(json_object_get(c, "enfants"),
		                      json_pack("{s:s}", "nom_naissance", "X"));
	if (voie)
		json_object_set_new(c, "adresse",
		                    json_pack("{s:s, s:s}", "numero_libelle_voie", voie,
		                              "code_postal_ville", "49990 DEMOVILLE"));
	return c;
}

static json_t *dgfip(json_int_t rfr, const char *parts, const char *sitfam, int pac,
                     const char *voie)
{
	json_t *d = json_pack("{s:i, s:I, s:s, s:{s:s}, s:{s:i}}", "annee_revenus", 2025, "rfr",
	                      rfr, "nombre_parts", parts, "situation_famille", "code", sitfam,
	                      "personnes_a_charge", "nombre", pac);
	json_object_set_new(json_object_get(d, "situation_famille"), "libelle",
	                    json_string("marié(e)"));
	if (voie)
		json_object_set_new(d, "adresse",
		                    json_pack("{s:s, s:s, s:s}", "voie", voie, "code_postal",
		                              "49990", "commune", "DEMOVILLE"));
	return d;
}

static const char *part_str(const json_t *r, const char *part, const char *key)
{
	return json_string_value(json_object_get(json_object_get(r, part), key));
}

static void test_qf_fiscal_exact(void **state)
{
	(void)state;
	/* the DGFiP sandbox couple: RFR 48 583, 2 parts -> 48583 / 24 */
	json_t *d = dgfip(48583, "2", "M", 0, NULL);
	json_t *qf = situation_qf_fiscal(d);
	assert_true(json_is_true(json_object_get(qf, "calcule")));
	assert_string_equal(json_string_value(json_object_get(qf, "valeur")), "2024.29");
	assert_string_equal(json_string_value(json_object_get(qf, "exact")), "48583/24");
	assert_non_null(
	    strstr(json_string_value(json_object_get(qf, "formule")), "/ 12 / 2 parts"));
	json_decref(qf);
	json_decref(d);
	/* 2.5 parts, half-up: 30000 / 12 / 2.5 = 1000 exactly */
	d = dgfip(30000, "2.5", "C", 2, NULL);
	qf = situation_qf_fiscal(d);
	assert_string_equal(json_string_value(json_object_get(qf, "valeur")), "1000.00");
	assert_non_null(strstr(json_string_value(json_object_get(qf, "formule")), "2,5 parts"));
	json_decref(qf);
	json_decref(d);
	/* 10001 / 12 / 1 = 833.4166... -> 833.42 */
	d = dgfip(10001, "1", "C", 0, NULL);
	qf = situation_qf_fiscal(d);
	assert_string_equal(json_string_value(json_object_get(qf, "valeur")), "833.42");
	assert_non_null(strstr(json_string_value(json_object_get(qf, "formule")), "1 part"));
	json_decref(qf);
	json_decref(d);
}

static void test_qf_fiscal_not_computed(void **state)
{
	(void)state;
	json_t *d = json_pack("{s:i}", "rfr", 12000); /* parts not granted */
	json_t *qf = situation_qf_fiscal(d);
	assert_true(json_is_false(json_object_get(qf, "calcule")));
	assert_non_null(json_object_get(qf, "message"));
	json_decref(qf);
	json_decref(d);
	d = dgfip(-1200, "1", "C", 0, NULL); /* a deficit */
	qf = situation_qf_fiscal(d);
	assert_true(json_is_false(json_object_get(qf, "calcule")));
	json_decref(qf);
	json_decref(d);
	qf = situation_qf_fiscal(NULL); /* the DGFiP failed */
	assert_true(json_is_false(json_object_get(qf, "calcule")));
	json_decref(qf);
}

static void test_everything_agrees(void **state)
{
	(void)state;
	json_t *c = caf(2, 2, "12 R DES TILLEULS");
	json_t *d = dgfip(30000, "3", "M", 2, "12 RUE DES TILLEULS");
	json_t *m = members(1, 2, 0), *a = declared();
	json_t *r = situation_compare(c, d, m, a);
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 0);
	assert_string_equal(part_str(r, "enfants", "statut"), "ok");
	assert_string_equal(part_str(r, "situation_famille", "statut"), "ok");
	assert_string_equal(part_str(r, "situation_famille", "foyer"), "en couple");
	assert_string_equal(part_str(r, "situation_famille", "caf"), "en couple");
	assert_string_equal(part_str(r, "adresses", "statut"), "ok");
	assert_true(
	    json_is_true(json_object_get(json_object_get(r, "adresses"), "caf_dgfip_identique")));
	json_decref(r);
	json_decref(a);
	json_decref(m);
	json_decref(d);
	json_decref(c);
}

static void test_children_against_dependants(void **state)
{
	(void)state;
	/* CAF 3 children, DGFiP 2 dependants, household 2 children */
	json_t *c = caf(1, 3, NULL), *d = dgfip(20000, "2", "C", 2, NULL);
	json_t *m = members(0, 2, 0), *a = declared();
	json_t *r = situation_compare(c, d, m, a);
	json_t *k = json_object_get(r, "enfants");
	assert_string_equal(json_string_value(json_object_get(k, "statut")), "difference");
	assert_int_equal(json_integer_value(json_object_get(k, "caf")), 3);
	assert_int_equal(json_integer_value(json_object_get(k, "dgfip")), 2);
	assert_int_equal(json_integer_value(json_object_get(k, "declares")), 2);
	assert_non_null(strstr(json_string_value(json_object_get(k, "message")), "3 selon la CAF"));
	json_decref(r);
	/* an invalid adult living in the home counts as a dependant */
	json_decref(m);
	m = members(0, 1, 1);
	json_decref(d);
	d = dgfip(20000, "2", "C", 2, NULL);
	json_decref(c);
	r = situation_compare(NULL, d, m, a);
	assert_string_equal(part_str(r, "enfants", "statut"), "ok");
	assert_true(json_is_null(json_object_get(json_object_get(r, "enfants"), "caf")));
	json_decref(r);
	json_decref(a);
	json_decref(m);
	json_decref(d);
}

static void test_family_situation(void **state)
{
	(void)state;
	json_t *a = declared();
	/* married at the DGFiP, alone in the household */
	json_t *d = dgfip(20000, "2", "M", 0, NULL), *m = members(0, 0, 0);
	json_t *r = situation_compare(NULL, d, m, a);
	assert_string_equal(part_str(r, "situation_famille", "statut"), "difference");
	assert_string_equal(part_str(r, "situation_famille", "dgfip_code"), "M");
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 1);
	json_decref(r);
	json_decref(m);
	json_decref(d);
	/* filing alone with a conjoint in the household: union libre */
	d = dgfip(20000, "1", "C", 0, NULL);
	m = members(1, 0, 0);
	r = situation_compare(NULL, d, m, a);
	assert_string_equal(part_str(r, "situation_famille", "statut"), "difference");
	assert_non_null(strstr(part_str(r, "situation_famille", "message"), "union libre"));
	json_decref(r);
	json_decref(d);
	/* only the CAF answered: two allocataires, one conjoint */
	json_t *c = caf(2, 0, NULL);
	r = situation_compare(c, NULL, m, a);
	assert_string_equal(part_str(r, "situation_famille", "statut"), "ok");
	assert_true(
	    json_is_null(json_object_get(json_object_get(r, "situation_famille"), "dgfip")));
	json_decref(r);
	json_decref(c);
	json_decref(m);
	json_decref(a);
}

static void test_addresses(void **state)
{
	(void)state;
	json_t *a = declared(), *m = members(0, 0, 0);
	/* the DGFiP knows an older address; the CAF the declared one */
	json_t *c = caf(1, 0, "12 R DES TILLEULS");
	json_t *d = dgfip(10000, "1", "C", 0, "4 AV DE LA GARE");
	json_t *r = situation_compare(c, d, m, a);
	json_t *ad = json_object_get(r, "adresses");
	assert_string_equal(json_string_value(json_object_get(ad, "statut")), "difference");
	assert_true(json_is_true(json_object_get(ad, "caf_identique")));
	assert_true(json_is_false(json_object_get(ad, "dgfip_identique")));
	assert_true(json_is_false(json_object_get(ad, "caf_dgfip_identique")));
	assert_non_null(strstr(json_string_value(json_object_get(ad, "dgfip")), "4 AV DE LA GARE"));
	assert_non_null(strstr(json_string_value(json_object_get(ad, "declaree")), "Démoville"));
	json_decref(r);
	/* the CAF's street on its geographical complement line, the DGFiP's
	 * in voie: the same place */
	json_t *c2 = json_pack("{s:{s:s, s:s, s:n, s:s}}", "adresse", "complement_information",
	                       "APPARTEMENT 14", "complement_information_geographique",
	                       "BATIMENT B RESIDENCE LES ACACIAS", "numero_libelle_voie",
	                       "code_postal_ville", "49990 DEMOVILLE");
	json_t *d2 = dgfip(0, "2.5", "C", 0, "RESIDENCE LES ACACIAS");
	json_t *r2 = situation_compare(c2, d2, m, a);
	assert_true(
	    json_is_true(json_object_get(json_object_get(r2, "adresses"), "caf_dgfip_identique")));
	json_decref(r2);
	json_decref(d2);
	json_decref(c2);
	/* neither side has the address: not compared, no difference */
	r = situation_compare(NULL, NULL, m, a);
	assert_string_equal(part_str(r, "adresses", "statut"), "non_compare");
	assert_string_equal(part_str(r, "enfants", "statut"), "non_compare");
	assert_string_equal(part_str(r, "situation_famille", "statut"), "non_compare");
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 0);
	json_decref(r);
	json_decref(d);
	json_decref(c);
	json_decref(m);
	json_decref(a);
}

static void test_hostile_values(void **state)
{
	(void)state;
	/* wrong types everywhere: nothing crashes, nothing is compared */
	json_t *c =
	    json_pack("{s:s, s:i, s:[i]}", "enfants", "trois", "adresse", 4, "allocataires", 1);
	json_t *d = json_pack("{s:s, s:b, s:s, s:{s:s}}", "rfr", "beaucoup", "nombre_parts", 1,
	                      "situation_famille", "M", "personnes_a_charge", "nombre", "2");
	json_t *m = json_pack("[i, s, {s:i}]", 1, "x", "relation", 3);
	json_t *r = situation_compare(c, d, m, NULL);
	assert_non_null(r);
	assert_true(json_is_false(json_object_get(json_object_get(r, "qf_fiscal"), "calcule")));
	assert_string_equal(part_str(r, "enfants", "statut"), "non_compare");
	json_decref(r);
	json_decref(m);
	json_decref(d);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_qf_fiscal_exact),
	    cmocka_unit_test(test_qf_fiscal_not_computed),
	    cmocka_unit_test(test_everything_agrees),
	    cmocka_unit_test(test_children_against_dependants),
	    cmocka_unit_test(test_family_situation),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_hostile_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
