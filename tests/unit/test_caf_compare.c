/* The CAF household next to the declared one: matching of persons (names,
 * accents, typos, partial dates), missing and extra children, addresses
 * (abbreviations, another town), parts not granted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/caf_compare.h"

static json_t *caf_person(const char *nom, const char *prenoms, const char *date, const char *sexe)
{
	return json_pack("{s:s, s:n, s:s, s:s*, s:s}", "nom_naissance", nom, "nom_usage", "prenoms",
	                 prenoms, "date_naissance", date, "sexe", sexe);
}

static json_t *member(int id, const char *relation, const char *nom, const char *prenom,
                      const char *date)
{
	return json_pack("{s:i, s:s, s:s, s:n, s:s, s:n, s:n, s:s, s:s}", "person_id", id,
	                 "relation", relation, "nom_naissance", nom, "nom_usage", "prenom1", prenom,
	                 "prenom2", "prenom3", "sexe", "F", "date_naissance", date);
}

/* The Lefebvre household of the demo: CAF knows three children, the
 * household declares two and one child the CAF does not know. */
static json_t *caf_lefebvre(void)
{
	return json_pack(
	    "{s:{s:s, s:i, s:i, s:i}, s:[o, o], s:[o, o, o], s:{s:s, s:n, s:n, s:s, s:n, s:s, "
	    "s:s}}",
	    "quotient_familial", "fournisseur", "CNAF", "valeur", 650, "annee", 2026, "mois", 4,
	    "allocataires", caf_person("LEFEVRE", "GAELLE MARIE", "1985-03-12", "F"),
	    caf_person("LEFEBVRE", "NOEL", "1983", "M"), "enfants",
	    caf_person("LEFEBVRE", "LEA", "2013-09-14", "F"),
	    caf_person("LEFEBVRE", "THEO", "2016-02", "M"),
	    caf_person("LEFEBVRE", "ZOE CLAIRE", "2021-06-30", "F"), "adresse", "destinataire",
	    "MADAME LEFEVRE GAELLE", "complement_information",
	    "complement_information_geographique", "numero_libelle_voie", "12 R DES TILLEULS",
	    "lieu_dit", "code_postal_ville", "49990 DEMOVILLE", "pays", "FRANCE");
}

static json_t *members_lefebvre(void)
{
	return json_pack("[o, o, o, o, o]",
	                 member(1, "demandeur", "Lefèvre", "Gaëlle", "1985-03-12"),
	                 member(2, "conjoint", "Lefebvre", "Noël", "1983-00-00"),
	                 member(3, "enfant", "Lefebvre", "Léa", "2013-09-14"),
	                 member(4, "enfant", "Lefebvre", "Théo", "2016-02-00"),
	                 member(5, "enfant", "Lefebvre", "Hugo", "2004-05-01"));
}

static const json_t *line(const json_t *r, const char *part, size_t i)
{
	return json_array_get(json_object_get(json_object_get(r, part), "lignes"), i);
}

static const char *s(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_household_differences(void **state)
{
	(void)state;
	json_t *caf = caf_lefebvre(), *members = members_lefebvre();
	json_t *addr = json_pack("{s:s, s:s, s:s}", "adresse", "12 rue des Tilleuls", "code_postal",
	                         "49990", "commune", "Démoville");
	json_t *r = caf_compare(caf, members, addr);
	/* allocataires: both found, accents and partial dates aside */
	assert_string_equal(s(line(r, "allocataires", 0), "statut"), "ok");
	assert_int_equal(
	    json_integer_value(json_object_get(line(r, "allocataires", 0), "person_id")), 1);
	assert_string_equal(s(line(r, "allocataires", 1), "statut"), "ok");
	assert_string_equal(s(line(r, "allocataires", 1), "naissance_fr"), "1983");
	/* children: Léa and Théo found, Zoé missing, Hugo declared in excess */
	assert_string_equal(s(line(r, "enfants", 0), "statut"), "ok");
	assert_string_equal(s(line(r, "enfants", 1), "statut"), "ok");
	assert_string_equal(s(line(r, "enfants", 2), "statut"), "manquant");
	assert_true(json_is_null(json_object_get(line(r, "enfants", 2), "person_id")));
	assert_int_equal(json_integer_value(json_object_get(line(r, "enfants", 2), "index")), 2);
	assert_string_equal(s(line(r, "enfants", 2), "naissance_fr"), "30/06/2021");
	json_t *extra = json_object_get(json_object_get(r, "enfants"), "en_plus");
	assert_int_equal(json_array_size(extra), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(extra, 0), "person_id")),
	                 5);
	/* the address is the same once "R" is "rue" */
	json_t *a = json_object_get(r, "adresse");
	assert_true(json_is_true(json_object_get(a, "identique")));
	assert_non_null(strstr(s(a, "caf"), "12 R DES TILLEULS\n49990 DEMOVILLE"));
	assert_int_equal(json_integer_value(json_object_get(r, "enfants_manquants")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 2);
	json_decref(r);
	/* another address */
	json_object_set_new(addr, "adresse", json_string("3 place de la Mairie"));
	r = caf_compare(caf, members, addr);
	assert_false(json_is_true(json_object_get(json_object_get(r, "adresse"), "identique")));
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 3);
	json_decref(r);
	json_object_set_new(addr, "adresse", json_string("12 rue des Tilleuls"));
	json_object_set_new(addr, "code_postal", json_string("49000"));
	r = caf_compare(caf, members, addr);
	assert_false(json_is_true(json_object_get(json_object_get(r, "adresse"), "identique")));
	json_decref(r);
	/* no declared address at all */
	r = caf_compare(caf, members, NULL);
	assert_false(json_is_true(json_object_get(json_object_get(r, "adresse"), "identique")));
	json_decref(r);
	json_decref(addr);
	json_decref(caf);
	json_decref(members);
}

static void test_matching_rules(void **state)
{
	(void)state;
	/* a typo in the name (Gautier / Gauthier) still matches; another birth
	 * day or another first name does not */
	json_t *caf =
	    json_pack("{s:[o, o, o]}", "enfants", caf_person("GAUTIER", "JULES", "2017-02-11", "M"),
	              caf_person("GAUTHIER", "JULES", "2017-02-12", "M"),
	              caf_person("GAUTHIER", "JULIEN", "2017-02-11", "M"));
	json_t *members =
	    json_pack("[o, o, o]", member(1, "demandeur", "Gauthier", "Chloé", "1988-06-00"),
	              member(2, "enfant", "Gauthier", "Jules", "2017-02-11"),
	              member(3, "enfant", "Gauthier", "Jules", "2017-00-00"));
	json_t *r = caf_compare(caf, members, NULL);
	assert_int_equal(json_integer_value(json_object_get(line(r, "enfants", 0), "person_id")),
	                 2);
	/* the second Jules has an unknown month: the year agrees */
	assert_int_equal(json_integer_value(json_object_get(line(r, "enfants", 1), "person_id")),
	                 3);
	assert_string_equal(s(line(r, "enfants", 2), "statut"), "manquant");
	/* not granted: nothing compared, no difference counted for them */
	assert_false(json_is_true(json_object_get(json_object_get(r, "allocataires"), "compare")));
	assert_false(json_is_true(json_object_get(json_object_get(r, "adresse"), "compare")));
	assert_true(json_is_true(json_object_get(json_object_get(r, "enfants"), "compare")));
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 1);
	json_decref(r);
	json_decref(caf);
	/* the nom d'usage counts; a null CAF date agrees */
	caf = json_pack("{s:[o]}", "allocataires", caf_person("MARTIN", "MARIE HELENE", NULL, "F"));
	json_decref(members);
	members = json_pack("[{s:i, s:s, s:s, s:s, s:s, s:s}]", "person_id", 9, "relation",
	                    "demandeur", "nom_naissance", "Dupont", "nom_usage", "Martin",
	                    "prenom1", "Marie", "date_naissance", "1979-07-08");
	r = caf_compare(caf, members, NULL);
	assert_string_equal(s(line(r, "allocataires", 0), "statut"), "ok");
	assert_string_equal(s(line(r, "allocataires", 0), "naissance_fr"), "inconnue");
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 0);
	json_decref(r);
	json_decref(caf);
	json_decref(members);
	/* nothing granted and nobody declared */
	caf = json_object();
	r = caf_compare(caf, NULL, NULL);
	assert_int_equal(json_integer_value(json_object_get(r, "differences")), 0);
	json_decref(r);
	json_decref(caf);
}

static void test_address_without_street(void **state)
{
	(void)state;
	json_t *caf = json_pack("{s:{s:s, s:s, s:s}}", "adresse", "lieu_dit", "LE BOURG",
	                        "code_postal_ville", "49990 DEMOVILLE", "pays", "FRANCE");
	json_t *addr = json_pack("{s:s, s:s, s:s}", "adresse", "Le Bourg", "code_postal", "49990",
	                         "commune", "Démoville");
	json_t *none = json_array();
	json_t *r = caf_compare(caf, none, addr);
	json_decref(none);
	assert_true(json_is_true(json_object_get(json_object_get(r, "adresse"), "identique")));
	json_decref(r);
	json_object_set_new(addr, "commune", json_string("Angers"));
	r = caf_compare(caf, NULL, addr);
	assert_false(json_is_true(json_object_get(json_object_get(r, "adresse"), "identique")));
	json_decref(r);
	json_decref(caf);
	json_decref(addr);
}

static void test_title_case(void **state)
{
	(void)state;
	char out[64];
	caf_title_case("JEAN-PIERRE", out, sizeof(out));
	assert_string_equal(out, "Jean-Pierre");
	caf_title_case("D'ARTAGNAN DE LA TOUR", out, sizeof(out));
	assert_string_equal(out, "D'Artagnan De La Tour");
	caf_title_case("ÉLOÏSE", out, sizeof(out));
	assert_string_equal(out, "Éloïse");
	caf_title_case("LECŒUR", out, sizeof(out));
	assert_string_equal(out, "Lecœur");
	caf_title_case("ABCDEFGHIJ", out, 5);
	assert_string_equal(out, "Abcd");
	char born[16];
	caf_date_fr("2020-05", born);
	assert_string_equal(born, "05/2020");
	caf_date_fr("0000-00-00", born);
	assert_string_equal(born, "inconnue");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_household_differences),
	    cmocka_unit_test(test_matching_rules),
	    cmocka_unit_test(test_address_without_street),
	    cmocka_unit_test(test_title_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
