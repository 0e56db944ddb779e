/* The anonymised agenda of the commission (domain/agenda_anon.h) and the
 * redaction of free text (domain/redact.h): a rich household whose names,
 * address, contact details and birth dates are also written into the free
 * text leaves none of them in the view, in any case or accent form; the
 * composition, indicators and proposal are right. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/agenda_anon.h"
#include "domain/fold.h"
#include "domain/redact.h"

/* Personal data of the household: none may be found in the view. */
static const char *const personal[] = {
    "Lefèvre",
    "Martin-Durand",
    "Martin",
    "Durand",
    "Élodie",
    "Marie-Hélène",
    "Zoë",
    "Noël",
    "Kévin",
    "N'Guessan",
    "Guessan",
    "Aïssatou",
    "Mairie",
    "Coquelicots",
    "06 12 34 56 78",
    "0612345678",
    "elodie.lefevre@exemple.fr",
    "1985-03-12",
    "12/03/1985",
    "12 mars 1985",
    "2016-07-01",
    "01/07/2016",
    "1er juillet 2016",
    "2021-00-00",
    "1948-11-30",
    "30/11/1948",
};

static json_t *person(const char *rel, const char *nom, const char *usage, const char *p1,
                      const char *p2, const char *birth)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "relation", rel,
	                 "nom_naissance", nom, "nom_usage", usage, "prenom1", p1, "prenom2", p2,
	                 "date_naissance", birth, "adresse",
	                 "12 rue de la Mairie\nRésidence les Coquelicots, bâtiment B",
	                 "code_postal", "45990", "commune", "Démoville", "telephone",
	                 "06 12 34 56 78", "email", "elodie.lefevre@exemple.fr");
}

static json_t *rich_dossier(void)
{
	json_t *persons = json_pack(
	    "[o, o, o, o, o]",
	    person("demandeur", "Lefèvre", "Martin-Durand", "Élodie", "Marie-Hélène", "1985-03-12"),
	    person("conjoint", "N'Guessan", "", "Kévin", "", "1983-05-00"),
	    person("enfant", "Lefèvre", "", "Zoë", "", "2016-07-01"),
	    person("enfant", "N'Guessan", "", "Aïssatou", "", "2021-00-00"),
	    person("autre", "Durand", "", "Noël", "", "1948-11-30"));
	const char *motif =
	    "Mme Élodie MARTIN-DURAND (née Lefèvre le 12/03/1985) demande une aide pour Zoë, "
	    "née le 1er juillet 2016 ; joignable au 06 12 34 56 78 ou elodie.lefevre@exemple.fr, "
	    "12 rue de la Mairie, résidence des Coquelicots. Son père, M. Noël Durand (né le "
	    "1948-11-30), vit avec eux. Kévin N’Guessan est sans emploi depuis mars.";
	return json_pack(
	    "{s:s, s:s, s:I, s:s, s:b, s:o, s:I, s:I, s:{s:s, s:b, s:s}, s:b, "
	    "s:{s:s, s:I, s:s, s:[s, s]}}",
	    "numero", "2026-00042", "aide", "Aide alimentaire d'urgence", "montant_demande",
	    (json_int_t)30000, "motif", motif, "a_rapporter", 0, "personnes", persons, "ressources",
	    (json_int_t)185000, "charges", (json_int_t)142050, "variables", "qf_caf", "512.5",
	    "qf_caf_certifie", 1, "reste_a_vivre_jour_personne", "2.867", "qf_certifie", 1,
	    "proposition", "proposition", "accord", "montant", (json_int_t)25000, "appreciation",
	    "Situation de Mme lefevre et de M. n'guessan fragile ; AISSATOU est scolarisée.",
	    "explication", "Quotient familial 512,50 € : tranche 2 (400 à 599 €).",
	    "Le foyer de Élodie Martin-Durand compte 5 personnes.");
}

static void assert_absent(const char *haystack, const char *needle)
{
	char h[8192], n[256];
	fold_text(haystack, h, sizeof(h));
	fold_text(needle, n, sizeof(n));
	if (*n && strstr(h, n)) {
		print_error("personal datum \"%s\" found in:\n%s\n", needle, haystack);
		fail();
	}
	if (strstr(haystack, needle)) {
		print_error("personal datum \"%s\" found verbatim\n", needle);
		fail();
	}
}

static void no_personal_field_leaks(void **state)
{
	(void)state;
	json_t *in = rich_dossier();
	json_t *out = agenda_anon_item(in, "2026-03-20");
	char *dump = json_dumps(out, JSON_INDENT(1));
	for (size_t i = 0; i < sizeof(personal) / sizeof(personal[0]); i++)
		assert_absent(dump, personal[i]);
	/* no key of a personal field anywhere in the output */
	static const char *const keys[] = {"\"nom",       "\"prenom",        "\"date_naissance\"",
	                                   "\"adresse\"", "\"telephone\"",   "\"email\"",
	                                   "\"commune\"", "\"code_postal\"", "\"personnes\": ["};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_null(strstr(dump, keys[i]));
	free(dump);
	json_decref(out);
	json_decref(in);
}

/* The string at a dotted path ("indicateurs.qf_tranche"), or NULL. */
static const char *get(json_t *o, const char *path)
{
	json_t *cur = o;
	while (cur && *path) {
		char key[64];
		size_t n = strcspn(path, ".");
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		cur = json_object_get(cur, key);
		path += n + (path[n] == '.');
	}
	return json_string_value(cur);
}

static void composition_and_indicators(void **state)
{
	(void)state;
	json_t *in = rich_dossier();
	json_t *out = agenda_anon_item(in, "2026-03-20");
	json_t *c = json_object_get(out, "composition");
	assert_int_equal(json_integer_value(json_object_get(c, "personnes")), 5);
	assert_int_equal(json_integer_value(json_object_get(c, "adultes")), 3);
	assert_int_equal(json_integer_value(json_object_get(c, "enfants")), 2);
	assert_string_equal(json_string_value(json_object_get(c, "resume")),
	                    "3 adultes et 2 enfants");
	json_t *m = json_object_get(c, "membres");
	assert_int_equal(json_array_size(m), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "role")),
	                    "Demandeur");
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "tranche_age")),
	                    "40 à 59 ans");
	/* the conjoint born in May 1983 (day unknown) is 42 on 20/03/2026 */
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 1), "tranche_age")),
	                    "40 à 59 ans");
	/* children: the elder first */
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 2), "tranche_age")),
	                    "6 à 10 ans");
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 3), "tranche_age")),
	                    "3 à 5 ans");
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 4), "tranche_age")),
	                    "75 ans et plus");
	assert_string_equal(get(out, "indicateurs.qf_tranche"), "400 à 599 €");
	assert_string_equal(get(out, "indicateurs.qf_origine"), "certifié par la CAF ou la MSA");
	assert_string_equal(get(out, "indicateurs.reste_a_vivre_fr"), "429,50\u00a0€");
	assert_string_equal(get(out, "indicateurs.rav_jour_personne_fr"), "2,87\u00a0€");
	assert_string_equal(get(out, "proposition.label"), "Accord");
	assert_string_equal(get(out, "proposition.montant_fr"), "250,00\u00a0€");
	assert_string_equal(get(out, "numero"), "2026-00042");
	assert_null(json_object_get(out, "decision"));
	json_decref(out);
	json_decref(in);
}

static void redact_cases(void **state)
{
	(void)state;
	struct redact *r = redact_new();
	redact_add_name(r, "Lefèvre");
	redact_add_name(r, "Jean-Pierre");
	redact_add_address(r, "3 avenue des Tilleuls");
	static const char *const cases[][2] = {
	    {"M. Jean-Pierre LEFEVRE a faim.", "M. […] a faim."},
	    {"Habite avenue des tilleuls.", "Habite avenue des […]."},
	    {"Né le 03/04/1970, tél. +33 6 12 34 56 78.", "Né le […], tél. […]."},
	    {"Courriel : jp@x.fr", "Courriel : […]"},
	    {"Loyer 1 234,56 € en mars 2026.", "Loyer 1 234,56 € en mars 2026."},
	    {"Depuis le 1er mai 1990, puis 1990-05-01.", "Depuis le […], puis […]."},
	    {"Lefèvre\nligne 2", "[…]\nligne 2"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = redact_text(r, cases[i][0]);
		assert_string_equal(s, cases[i][1]);
		free(s);
	}
	char *s = redact_text(NULL, "Rien à masquer, 12 enfants.");
	assert_string_equal(s, "Rien à masquer, 12 enfants.");
	free(s);
	redact_free(r);
}

static void bands(void **state)
{
	(void)state;
	assert_string_equal(agenda_qf_band(0), "moins de 400 €");
	assert_string_equal(agenda_qf_band(399), "moins de 400 €");
	assert_string_equal(agenda_qf_band(400), "400 à 599 €");
	assert_string_equal(agenda_qf_band(1199), "1 000 à 1 199 €");
	assert_string_equal(agenda_qf_band(5000), "1 200 € et plus");
	assert_string_equal(agenda_age_band(-1), "âge inconnu");
	assert_string_equal(agenda_age_band(2), "moins de 3 ans");
	assert_string_equal(agenda_age_band(17), "15 à 17 ans");
	assert_string_equal(agenda_age_band(18), "18 à 24 ans");
	assert_string_equal(agenda_age_band(90), "75 ans et plus");
	assert_null(agenda_decision_label("autre"));
	assert_string_equal(agenda_decision_label("sans_suite"), "Classé sans suite");
}

/* A hostile input: non-string values, missing keys, no proposal. */
static void sparse_input(void **state)
{
	(void)state;
	json_t *in = json_pack("{s:i, s:[{s:i}], s:{s:s}}", "numero", 7, "personnes", "relation", 3,
	                       "proposition", "proposition", "autre");
	json_t *out = agenda_anon_item(in, "bad date");
	assert_non_null(out);
	assert_string_equal(get(out, "numero"), "");
	assert_string_equal(get(out, "composition.resume"), "1 adulte");
	assert_null(json_object_get(out, "proposition"));
	assert_null(json_object_get(json_object_get(out, "indicateurs"), "qf_tranche"));
	json_decref(out);
	json_decref(in);
}

/* A member who left: hidden from the text, not counted. */
static void former_members(void **state)
{
	(void)state;
	json_t *in =
	    json_pack("{s:s, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:b}]}", "motif",
	              "Séparée de Maximilien Courtois en 2025.", "personnes", "relation",
	              "demandeur", "nom_naissance", "Vidal", "prenom1", "Inès", "date_naissance",
	              "1992-01-15", "relation", "conjoint", "nom_naissance", "Courtois", "prenom1",
	              "Maximilien", "date_naissance", "1990-06-01", "ancien", 1);
	json_t *out = agenda_anon_item(in, "2026-03-20");
	assert_string_equal(get(out, "motif"), "Séparée de […] en 2025.");
	assert_string_equal(get(out, "composition.resume"), "1 adulte");
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(out, "composition"), "membres")), 1);
	json_decref(out);
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(no_personal_field_leaks),
	    cmocka_unit_test(composition_and_indicators),
	    cmocka_unit_test(redact_cases),
	    cmocka_unit_test(bands),
	    cmocka_unit_test(sparse_input),
	    cmocka_unit_test(former_members),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
