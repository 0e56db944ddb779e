/* The tolerant reader of API Particulier quotient familial answers, the
 * query builder and the data minimisation (providers/particulier.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "providers/particulier.h"

/* The State's sandbox answer for MARTIN Axelle (QF 150 CNAF). */
static const char martin[] =
    "{\"data\":{\"allocataires\":[{\"nom_naissance\":\"MARTIN\",\"nom_usage\":null,"
    "\"prenoms\":\"AXELLE\",\"date_naissance\":\"1989-12-03\",\"sexe\":\"F\"}],\"enfants\":[],"
    "\"adresse\":{\"destinataire\":\"Madame MARTIN AXELLE LAURENCE\",\"complement_information\":"
    "null,\"complement_information_geographique\":null,\"numero_libelle_voie\":\"1 RUE DE "
    "SAINT-MALO\",\"lieu_dit\":null,\"code_postal_ville\":\"35000 RENNES\",\"pays\":\"FRANCE\"},"
    "\"quotient_familial\":{\"fournisseur\":\"CNAF\",\"valeur\":150,\"annee\":2026,\"mois\":4,"
    "\"annee_calcul\":2026,\"mois_calcul\":4}},\"links\":{},\"meta\":{}}";

static json_t *parse(const char *s)
{
	return pa_parse_qf(s, strlen(s));
}

static const char *path_str(const json_t *root, const char *a, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(root, a), i), key));
}

static void nominal_answer(void **state)
{
	json_t *d = parse(martin);
	assert_non_null(d);
	json_t *qf = json_object_get(d, "quotient_familial");
	assert_string_equal(json_string_value(json_object_get(qf, "fournisseur")), "CNAF");
	assert_int_equal(json_integer_value(json_object_get(qf, "valeur")), 150);
	assert_int_equal(json_integer_value(json_object_get(qf, "annee")), 2026);
	assert_int_equal(json_integer_value(json_object_get(qf, "mois_calcul")), 4);
	assert_string_equal(path_str(d, "allocataires", 0, "nom_naissance"), "MARTIN");
	assert_string_equal(path_str(d, "allocataires", 0, "date_naissance"), "1989-12-03");
	assert_string_equal(path_str(d, "allocataires", 0, "sexe"), "F");
	assert_true(json_is_null(
	    json_object_get(json_array_get(json_object_get(d, "allocataires"), 0), "nom_usage")));
	assert_int_equal(json_array_size(json_object_get(d, "enfants")), 0);
	json_t *adr = json_object_get(d, "adresse");
	assert_int_equal(json_object_size(adr), 7);
	assert_string_equal(json_string_value(json_object_get(adr, "code_postal_ville")),
	                    "35000 RENNES");
	assert_null(json_object_get(d, "links"));
	json_decref(d);
}

static void unknown_keys_ignored(void **state)
{
	json_t *d =
	    parse("{\"data\":{\"nouveau\":{\"a\":1},\"quotient_familial\":{\"fournisseur\":"
	          "\"MSA\",\"valeur\":300,\"autre\":[1,2]},\"allocataires\":[{\"nom_naissance\":"
	          "\"ROUX\",\"annee_date_de_naissance\":\"1987\",\"inconnu\":true}]},"
	          "\"extra\":1}");
	assert_non_null(d);
	assert_null(json_object_get(d, "nouveau"));
	json_t *qf = json_object_get(d, "quotient_familial");
	assert_int_equal(json_object_size(qf), 2);
	assert_null(
	    json_object_get(json_array_get(json_object_get(d, "allocataires"), 0), "inconnu"));
	assert_string_equal(path_str(d, "allocataires", 0, "date_naissance"), "1987");
	json_decref(d);
}

static void valeur_as_string(void **state)
{
	static const char *const bodies[] = {
	    "{\"data\":{\"quotient_familial\":{\"valeur\":\"150\",\"annee\":\"2026\",\"mois\":"
	    "\"04\"}}}",
	    "{\"data\":{\"quotient_familial\":{\"valeur\":\" 150 \",\"annee\":2026,\"mois\":4}}}",
	    "{\"data\":{\"quotient_familial\":{\"valeur\":150.0,\"annee\":2026,\"mois\":4}}}",
	    "{\"data\":{\"quotient_familial\":{\"valeur\":\"150.00\",\"annee\":2026,\"mois\":4}}}",
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		json_t *d = parse(bodies[i]);
		assert_non_null(d);
		json_t *qf = json_object_get(d, "quotient_familial");
		assert_int_equal(json_integer_value(json_object_get(qf, "valeur")), 150);
		assert_int_equal(json_integer_value(json_object_get(qf, "annee")), 2026);
		assert_int_equal(json_integer_value(json_object_get(qf, "mois")), 4);
		json_decref(d);
	}
	json_t *d = parse("{\"data\":{\"quotient_familial\":{\"valeur\":null}}}");
	assert_true(
	    json_is_null(json_object_get(json_object_get(d, "quotient_familial"), "valeur")));
	json_decref(d);
	assert_null(parse("{\"data\":{\"quotient_familial\":{\"valeur\":\"cent\"}}}"));
	assert_null(parse("{\"data\":{\"quotient_familial\":{\"valeur\":150.5}}}"));
	assert_null(parse("{\"data\":{\"quotient_familial\":{\"valeur\":[150]}}}"));
}

static void providers_normalised(void **state)
{
	static const char *const in[][2] = {{"CNAF", "CNAF"},   {"CAF", "CNAF"}, {"caf", "CNAF"},
	                                    {" Cnaf ", "CNAF"}, {"MSA", "MSA"},  {"msa", "MSA"},
	                                    {"RNCPS", "RNCPS"}};
	char body[256];
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		snprintf(body, sizeof(body),
		         "{\"data\":{\"quotient_familial\":{\"fournisseur\":\"%s\",\"valeur\":1}}}",
		         in[i][0]);
		json_t *d = parse(body);
		assert_non_null(d);
		assert_string_equal(json_string_value(json_object_get(
		                        json_object_get(d, "quotient_familial"), "fournisseur")),
		                    in[i][1]);
		json_decref(d);
	}
	/* the v2 name of the provider */
	json_t *d = parse("{\"data\":{\"quotient_familial\":{\"regime\":\"CAF\"}}}");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(d, "quotient_familial"), "fournisseur")),
	                    "CNAF");
	json_decref(d);
}

static void check_date(const char *in, const char *expected)
{
	json_t *v = pa_parse_date(in);
	if (!expected) {
		assert_true(json_is_null(v));
	} else {
		assert_true(json_is_string(v));
		assert_string_equal(json_string_value(v), expected);
	}
	json_decref(v);
}

static void partial_dates(void **state)
{
	check_date("1980-11-15", "1980-11-15");
	check_date("2020-05-00", "2020-05");
	check_date("2020-00-00", "2020");
	check_date("2020-00-12", "2020");
	check_date("0000-00-00", NULL);
	check_date("2020-05", "2020-05");
	check_date("2020", "2020");
	check_date("15/11/1980", "1980-11-15");
	check_date("00/00/1980", "1980");
	check_date(" 1980-11-15 ", "1980-11-15");
	check_date("", NULL);
	check_date(NULL, NULL);
	check_date("1980-13-01", "1980");
	check_date("19801115", NULL);
	check_date("1980-1-15", NULL);
	check_date("abcd-ef-gh", NULL);
	check_date("1980-11-1x", NULL);
}

static void person_dates_in_answer(void **state)
{
	json_t *d =
	    parse("{\"data\":{\"enfants\":[{\"prenoms\":\"A\",\"date_naissance\":\"2020-00-"
	          "00\"},{\"prenoms\":[\"B\",\"C\"],\"date_naissance\":null,\"sexe\":\"m\"},"
	          "{\"prenoms\":\"D\",\"annee_date_de_naissance\":\"2012\","
	          "\"mois_date_de_naissance\":\"04\",\"jour_date_de_naissance\":null},"
	          "{\"prenoms\":\"E\",\"sexe\":\"X\"}]}}");
	assert_non_null(d);
	json_t *kids = json_object_get(d, "enfants");
	assert_int_equal(json_array_size(kids), 4);
	assert_string_equal(path_str(d, "enfants", 0, "date_naissance"), "2020");
	assert_true(json_is_null(json_object_get(json_array_get(kids, 1), "date_naissance")));
	assert_string_equal(path_str(d, "enfants", 1, "prenoms"), "B C");
	assert_string_equal(path_str(d, "enfants", 1, "sexe"), "M");
	assert_string_equal(path_str(d, "enfants", 2, "date_naissance"), "2012-04");
	assert_true(json_is_null(json_object_get(json_array_get(kids, 3), "sexe")));
	assert_null(json_object_get(json_array_get(kids, 3), "date_naissance"));
	json_decref(d);
}

/* A scope not granted removes its key: the others are read alone. */
static void missing_parts(void **state)
{
	json_t *d =
	    parse("{\"data\":{\"quotient_familial\":{\"fournisseur\":\"MSA\",\"valeur\":12}},"
	          "\"links\":{},\"meta\":{}}");
	assert_non_null(d);
	assert_int_equal(json_object_size(d), 1);
	json_decref(d);
	d = parse("{\"data\":{}}");
	assert_non_null(d);
	assert_int_equal(json_object_size(d), 0);
	json_decref(d);
	d = parse("{\"data\":{\"adresse\":null,\"enfants\":null}}");
	assert_int_equal(json_object_size(d), 0);
	json_decref(d);
}

static void malformed_answers(void **state)
{
	static const char *const bad[] = {
	    "",
	    "not json",
	    "{\"data\":",
	    "[]",
	    "{}",
	    "{\"data\":[]}",
	    "{\"data\":\"x\"}",
	    "{\"errors\":[{\"code\":\"00420\"}]}",
	    "{\"data\":{\"allocataires\":{\"nom_naissance\":\"A\"}}}",
	    "{\"data\":{\"allocataires\":[\"A\"]}}",
	    "{\"data\":{\"allocataires\":[{\"nom_naissance\":{\"x\":1}}]}}",
	    "{\"data\":{\"allocataires\":[{\"date_naissance\":19801115}]}}",
	    "{\"data\":{\"adresse\":[]}}",
	    "{\"data\":{\"adresse\":{\"pays\":true}}}",
	    "{\"data\":{\"quotient_familial\":[]}}",
	    "{\"data\":{\"quotient_familial\":{\"fournisseur\":7}}}",
	    "{\"data\":{\"enfants\":[{\"sexe\":1}]}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(parse(bad[i]));
	assert_null(pa_parse_qf(NULL, 0));
	/* a NUL inside the bytes is not a valid answer either */
	assert_null(pa_parse_qf("{\"data\":{}}\0x", 13));
}

static void minimise(void **state)
{
	json_t *d = parse(martin);
	const char *qf_only[] = {"cnaf_quotient_familial"};
	json_t *m = pa_minimise(d, qf_only, 1);
	assert_int_equal(json_object_size(m), 1);
	assert_non_null(json_object_get(m, "quotient_familial"));
	json_decref(m);
	const char *all[] = {"cnaf_adresse", "cnaf_enfants", "autre", "cnaf_allocataires",
	                     "cnaf_quotient_familial"};
	m = pa_minimise(d, all, 5);
	assert_true(json_equal(m, d));
	json_decref(m);
	m = pa_minimise(d, NULL, 0);
	assert_int_equal(json_object_size(m), 0);
	json_decref(m);
	json_decref(d);
}

static void query_every_parameter(void **state)
{
	struct pa_identity id = {.nom_naissance = "DE L'ÎLE",
	                         .nom_usage = "MARTIN-ROUX",
	                         .prenoms = {"Jean Marie", "Éloïse", "A&B=C"},
	                         .nb_prenoms = 3,
	                         .sexe = 'F',
	                         .annee_naissance = 1987,
	                         .mois_naissance = 6,
	                         .jour_naissance = 5,
	                         .cog_commune = "2A004",
	                         .annee = 2026,
	                         .mois = 5};
	char *q = pa_build_query(&id, "13002526500013");
	assert_non_null(q);
	assert_string_equal(q,
	                    "nomNaissance=DE%20L%27%C3%8ELE&nomUsage=MARTIN-ROUX"
	                    "&prenoms[]=Jean%20Marie&prenoms[]=%C3%89lo%C3%AFse"
	                    "&prenoms[]=A%26B%3DC&anneeDateNaissance=1987&moisDateNaissance=6"
	                    "&jourDateNaissance=5&sexeEtatCivil=F&codeCogInseePaysNaissance=99100"
	                    "&codeCogInseeCommuneNaissance=2A004&annee=2026&mois=5"
	                    "&recipient=13002526500013");
	free(q);
}

static void query_partial_identity(void **state)
{
	struct pa_identity born_abroad = {.nom_naissance = "SIMPSON",
	                                  .prenoms = {"Marge"},
	                                  .nb_prenoms = 1,
	                                  .sexe = 'F',
	                                  .annee_naissance = 1980,
	                                  .jour_naissance = 15, /* ignored without a month */
	                                  .cog_pays = "99404"};
	char *q = pa_build_query(&born_abroad, "13002526500013");
	assert_string_equal(q, "nomNaissance=SIMPSON&prenoms[]=Marge&anneeDateNaissance=1980"
	                       "&sexeEtatCivil=F&codeCogInseePaysNaissance=99404"
	                       "&recipient=13002526500013");
	free(q);
	struct pa_identity by_name = {.nom_naissance = "DUPONT",
	                              .prenoms = {"Luc"},
	                              .nb_prenoms = 1,
	                              .sexe = 'M',
	                              .annee_naissance = 1990,
	                              .nom_commune = "Saint-Étienne",
	                              .cog_departement = "42"};
	q = pa_build_query(&by_name, "13002526500013");
	assert_string_equal(q, "nomNaissance=DUPONT&prenoms[]=Luc&anneeDateNaissance=1990"
	                       "&sexeEtatCivil=M&codeCogInseePaysNaissance=99100"
	                       "&nomCommuneNaissance=Saint-%C3%89tienne"
	                       "&codeCogInseeDepartementNaissance=42&recipient=13002526500013");
	free(q);
}

static void query_refused(void **state)
{
	struct pa_identity id = {
	    .nom_naissance = "A", .prenoms = {"B"}, .nb_prenoms = 1, .sexe = 'F'};
	char *q = pa_build_query(&id, "x");
	assert_non_null(q);
	free(q);
	id.sexe = 'X';
	assert_null(pa_build_query(&id, "x"));
	id.sexe = 'M';
	id.nb_prenoms = 0;
	assert_null(pa_build_query(&id, "x"));
	id.nb_prenoms = 4;
	assert_null(pa_build_query(&id, "x"));
	id.nb_prenoms = 2; /* the second is NULL */
	assert_null(pa_build_query(&id, "x"));
	id.nb_prenoms = 1;
	id.nom_naissance = "";
	assert_null(pa_build_query(&id, "x"));
	assert_null(pa_build_query(NULL, "x"));
}

/* pa_qf refuses an unusable identity or configuration without a call. */
static void qf_refuses_before_calling(void **state)
{
	struct pa_identity id = {.nom_naissance = "A", .prenoms = {"B"}, .nb_prenoms = 1};
	struct pa_config cfg = {.base_url = "http://127.0.0.1:9", .token = "t", .recipient = "1"};
	struct pa_result r;
	assert_int_not_equal(pa_qf(&cfg, &id, &r), 0);
	assert_int_equal(r.kind, PA_PARAMS);
	assert_string_equal(r.param, "sexeEtatCivil");
	assert_int_equal(r.http_status, 0);
	pa_result_free(&r);
	id.sexe = 'F';
	cfg.token = "two words";
	pa_qf(&cfg, &id, &r);
	assert_int_equal(r.kind, PA_TOKEN);
	assert_null(strstr(r.message, "two words"));
	pa_result_free(&r);
	cfg.token = "t";
	cfg.base_url = "ftp://x";
	pa_qf(&cfg, &id, &r);
	assert_int_equal(r.kind, PA_INTERNAL);
	json_t *j = pa_result_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "internal");
	json_decref(j);
	pa_result_free(&r);
	pa_result_free(&r); /* zeroed: harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nominal_answer),
	    cmocka_unit_test(unknown_keys_ignored),
	    cmocka_unit_test(valeur_as_string),
	    cmocka_unit_test(providers_normalised),
	    cmocka_unit_test(partial_dates),
	    cmocka_unit_test(person_dates_in_answer),
	    cmocka_unit_test(missing_parts),
	    cmocka_unit_test(malformed_answers),
	    cmocka_unit_test(minimise),
	    cmocka_unit_test(query_every_parameter),
	    cmocka_unit_test(query_partial_identity),
	    cmocka_unit_test(query_refused),
	    cmocka_unit_test(qf_refuses_before_calling),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
