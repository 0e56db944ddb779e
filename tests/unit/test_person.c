#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "domain/person.h"

#define TODAY 2025, 6, 15

static struct person_input valid_person(void)
{
	struct person_input p = {
	    .nom_naissance = "Lefèvre",
	    .nom_usage = "Martin-Durand",
	    .prenoms = {"Élodie", "Marie-Hélène", "Zoë"},
	    .sexe = "F",
	    .date_naissance = "12/03/1985",
	    .lieu_type = "commune",
	    .commune_naissance = "45999",
	    .nationalite = "francaise",
	    .telephone = "06 12 34 56 78",
	    .email = "elodie.lefevre@exemple.fr",
	    .adresse = "12 rue de la Mairie\nBâtiment B",
	    .code_postal = "45990",
	    .commune = "Démoville",
	};

	return p;
}

/* Validates p and checks that exactly the given field got msg (NULL msg:
 * any message), and nothing else. */
static void assert_only_error(const struct person_input *p, const char *field, const char *msg)
{
	struct field_errors errs = {0};
	int rc = person_validate(p, TODAY, &errs);

	if (errs.n != 1 || strcmp(errs.items[0].field, field) != 0) {
		for (int k = 0; k < errs.n; k++)
			print_message("  %s: %s\n", errs.items[k].field, errs.items[k].message);
		fail_msg("expected one error on %s, got %d", field, errs.n);
	}
	assert_int_equal(rc, CAS_EINVAL);
	if (msg)
		assert_string_equal(errs.items[0].message, msg);
}

static void assert_valid(const struct person_input *p)
{
	struct field_errors errs = {0};
	int rc = person_validate(p, TODAY, &errs);

	for (int k = 0; k < errs.n; k++)
		print_message("  %s: %s\n", errs.items[k].field, errs.items[k].message);
	assert_int_equal(errs.n, 0);
	assert_int_equal(rc, 0);
}

static void valid_full_and_minimal(void **state)
{
	struct person_input p = valid_person();
	struct person_input min = {
	    .nom_naissance = "Dupont", .prenoms = {"Jean"}, .sexe = "M", .date_naissance = "1950"};
	struct person_input abroad = {.nom_naissance = "N'Diaye",
	                              .prenoms = {"Awa"},
	                              .sexe = "F",
	                              .date_naissance = "00/00/1979",
	                              .lieu_type = "etranger",
	                              .pays_naissance = "99341",
	                              .nationalite = "hors_ue",
	                              .commune_naissance = "",
	                              .telephone = "+33 6 12 34 56 78"};

	assert_valid(&p);
	assert_valid(&min);
	assert_valid(&abroad);
}

static void names_valid(void **state)
{
	static const char *const ok[] = {
	    "Dupont",      "de La Fontaine", "D'Artagnan",   "N’Diaye",        "Müller",
	    "Łukasiewicz", "Ștefănescu",     "Ñúñez",        "Иванова",        "Παπαδόπουλος",
	    "李",          "محمد",           "  Le  Gall  ", "O'Connor-Smith", "Ele\xcc\x81onore",
	    "Œdipe",
	};
	struct person_input p = valid_person();

	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		p.nom_naissance = ok[k];
		assert_valid(&p);
	}
}

static void names_invalid(void **state)
{
	static const char *const bad[] = {
	    "Dupont2",
	    "<script>",
	    "dupont@exemple.fr",
	    "Du.pont",
	    "Dupont;",
	    "---",
	    "''",
	    "Du_pont",
	    "Dupont\xff",
	    "Dupont😀",
	    "Du×pont",
	    "«Dupont»",
	    "Dupont\n",
	    "J.",
	    "(Dupont)",
	    "Du\xe2\x80\x8bpont",
	};
	const char *msg = "Le nom de naissance ne peut contenir que des lettres, des espaces, "
	                  "des traits d'union et des apostrophes.";
	struct person_input p = valid_person();

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		p.nom_naissance = bad[k];
		assert_only_error(&p, "nom_naissance", msg);
	}
}

static void names_required_and_length(void **state)
{
	struct person_input p = valid_person();
	char name[300];

	p.nom_naissance = NULL;
	assert_only_error(&p, "nom_naissance", "Le nom de naissance est obligatoire.");
	p.nom_naissance = "   ";
	assert_only_error(&p, "nom_naissance", "Le nom de naissance est obligatoire.");
	p = valid_person();
	p.prenoms[0] = "";
	assert_only_error(&p, "prenom1", "Le premier prénom est obligatoire.");
	p = valid_person();
	p.nom_usage = NULL;
	p.prenoms[1] = NULL;
	p.prenoms[2] = " ";
	assert_valid(&p);

	/* 100 characters, two bytes each: accepted; 101: refused */
	for (int k = 0; k < 101; k++)
		memcpy(name + 2 * k, "é", 2);
	name[200] = '\0';
	p.nom_usage = name;
	assert_valid(&p);
	name[200] = name[0];
	name[201] = name[1];
	name[202] = '\0';
	assert_only_error(&p, "nom_usage", "Le nom d'usage ne doit pas dépasser 100 caractères.");
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	p = valid_person();
	p.prenoms[2] = name;
	assert_only_error(&p, "prenom3", "Le prénom ne doit pas dépasser 100 caractères.");
	p.prenoms[2] = "Jean2";
	assert_only_error(&p, "prenom3", NULL);
}

static void sexe_and_date(void **state)
{
	struct person_input p = valid_person();

	p.sexe = "";
	assert_only_error(&p, "sexe", "Le sexe est obligatoire.");
	p.sexe = "X";
	assert_only_error(&p, "sexe", "Le sexe doit être M ou F.");
	p.sexe = "m";
	assert_only_error(&p, "sexe", NULL);
	p.sexe = "MF";
	assert_only_error(&p, "sexe", NULL);
	p.sexe = " M ";
	assert_valid(&p);

	p = valid_person();
	p.date_naissance = NULL;
	assert_only_error(&p, "date_naissance", "La date de naissance est obligatoire.");
	p.date_naissance = "30/02/1985";
	assert_only_error(&p, "date_naissance", "Ce jour n'existe pas dans le calendrier.");
	p.date_naissance = "1899";
	assert_only_error(&p, "date_naissance", NULL);
	p.date_naissance = "hier";
	assert_only_error(&p, "date_naissance", NULL);
	p.date_naissance = "16/06/2025";
	assert_only_error(&p, "date_naissance",
	                  "La date de naissance ne peut pas être dans le futur.");
	p.date_naissance = "15/06/2025";
	assert_valid(&p);
	p.date_naissance = "06/2025";
	assert_valid(&p);
	p.date_naissance = "07/2025";
	assert_only_error(&p, "date_naissance", NULL);
	p.date_naissance = "1985-03-00";
	assert_valid(&p);
}

static void birth_place(void **state)
{
	struct person_input p = valid_person();

	p.commune_naissance = NULL;
	assert_only_error(&p, "commune_naissance",
	                  "La commune de naissance est obligatoire pour une naissance en France.");
	p.commune_naissance = "20004";
	assert_only_error(&p, "commune_naissance", NULL);
	p.commune_naissance = "2A004";
	p.pays_naissance = "99134";
	assert_only_error(
	    &p, "pays_naissance",
	    "Le pays de naissance ne se renseigne que pour une naissance à l'étranger.");

	p = valid_person();
	p.lieu_type = "etranger";
	p.commune_naissance = NULL;
	assert_only_error(&p, "pays_naissance",
	                  "Le pays de naissance est obligatoire pour une naissance à l'étranger.");
	p.pays_naissance = "99100";
	assert_only_error(&p, "pays_naissance", NULL);
	p.pays_naissance = "99134";
	assert_valid(&p);
	p.commune_naissance = "75056";
	assert_only_error(
	    &p, "commune_naissance",
	    "La commune de naissance ne se renseigne que pour une naissance en France.");

	p = valid_person();
	p.lieu_type = "mars";
	assert_only_error(&p, "lieu_type", NULL);
	p.lieu_type = NULL;
	assert_only_error(&p, "lieu_type",
	                  "Précisez si la personne est née en France ou à l'étranger.");
	p.commune_naissance = NULL;
	assert_valid(&p); /* birth place unknown */
}

static void nationalite(void **state)
{
	static const char *const ok[] = {"francaise", "ue", "hors_ue", "", NULL};
	struct person_input p = valid_person();

	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		p.nationalite = ok[k];
		assert_valid(&p);
	}
	p.nationalite = "française";
	assert_only_error(&p, "nationalite",
	                  "La nationalité doit être française, d'un pays de l'UE ou hors UE.");
	p.nationalite = "algerienne";
	assert_only_error(&p, "nationalite", NULL);
}

static void telephone(void **state)
{
	static const char *const ok[] = {
	    "0612345678",        "06 12 34 56 78", "06.12.34.56.78",    "06-12-34-56-78",
	    "01 23 45 67 89",    "+33612345678",   "+33 6 12 34 56 78", "0033 6 12 34 56 78",
	    "+262 692 12 34 56", "0262 21 12 34",  "+596 696 12 34 56", "",
	};
	static const char *const bad[] = {
	    "061234567",
	    "06123456789",
	    "6 12 34 56 78",
	    "+33 06 12 34 56 78",
	    "+3361234567",
	    "+44 20 7946 0958",
	    "06 12 34 56 7a",
	    "06/12/34/56/78",
	    "0 6 1 2 3 4 5 6 7 8 9 0",
	    "++33612345678",
	    "+",
	    "00 00 00 00 00",
	    "06 12 34 56 78 +",
	};
	struct person_input p = valid_person();

	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		p.telephone = ok[k];
		assert_valid(&p);
	}
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		p.telephone = bad[k];
		assert_only_error(&p, "telephone",
		                  "Le numéro de téléphone n'est pas valide (ex. 06 12 34 56 78 ou "
		                  "+33 6 12 34 56 78).");
	}
}

static void email(void **state)
{
	static const char *const ok[] = {
	    "a@b.fr",
	    "prenom.nom@exemple.fr",
	    "prenom+ccas@mail.exemple.com",
	    " jean@exemple.fr ",
	    "J.O'Neil@sous-domaine.exemple.org",
	    "x_y-z@a1.museum",
	};
	static const char *const bad[] = {
	    "jean",
	    "jean@",
	    "@exemple.fr",
	    "jean@exemple",
	    "jean@@exemple.fr",
	    "jean@exemple..fr",
	    "jean.@exemple.fr",
	    ".jean@exemple.fr",
	    "je..an@exemple.fr",
	    "jean@-exemple.fr",
	    "jean@exemple-.fr",
	    "jean@exemple.f",
	    "jean@exemple.f2",
	    "jean @exemple.fr",
	    "jean@exem ple.fr",
	    "jéan@exemple.fr",
	    "jean@exemple.fr.",
	    "jean@.exemple.fr",
	    "<jean@exemple.fr>",
	    "jean@exemple.fr,paul@x.fr",
	};
	struct person_input p = valid_person();
	char long_local[80];

	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		p.email = ok[k];
		assert_valid(&p);
	}
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		p.email = bad[k];
		assert_only_error(&p, "email",
		                  "L'adresse électronique n'est pas valide (ex. "
		                  "prenom.nom@exemple.fr).");
	}
	memset(long_local, 'a', 65);
	memcpy(long_local + 65, "@exemple.fr", 12);
	p.email = long_local;
	assert_only_error(&p, "email", NULL);
}

static void address(void **state)
{
	struct person_input p = valid_person();
	char text[300];

	p.code_postal = "7500";
	assert_only_error(&p, "code_postal", "Le code postal doit comporter 5 chiffres.");
	p.code_postal = "99000";
	assert_only_error(&p, "code_postal", "Le code postal est invalide.");
	p.code_postal = " 20000 ";
	assert_valid(&p);

	p.commune = "Démoville\nbis";
	assert_only_error(&p, "commune", "La commune contient des caractères non autorisés.");
	p.commune = "Saint-Denis (La Réunion) 2e";
	assert_valid(&p);
	p.adresse = "12 rue\x01";
	assert_only_error(&p, "adresse", "L'adresse contient des caractères non autorisés.");
	p.adresse = "12 rue \xc3";
	assert_only_error(&p, "adresse", NULL);
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	p.adresse = text;
	assert_only_error(&p, "adresse", "L'adresse ne doit pas dépasser 250 caractères.");
	text[PERSON_ADDRESS_MAX] = '\0';
	assert_valid(&p);
	p.commune = text;
	assert_only_error(&p, "commune", "La commune ne doit pas dépasser 100 caractères.");
}

static void many_errors(void **state)
{
	struct person_input p = {
	    .nom_naissance = "",
	    .prenoms = {"", "1"},
	    .sexe = "?",
	    .date_naissance = "2030",
	    .lieu_type = "commune",
	    .pays_naissance = "99134",
	    .nationalite = "x",
	    .telephone = "1",
	    .email = "x",
	    .code_postal = "1",
	};
	struct field_errors errs = {0};
	static const char *const fields[] = {
	    "nom_naissance",     "prenom1",        "prenom2",     "sexe",      "date_naissance",
	    "commune_naissance", "pays_naissance", "nationalite", "telephone", "email",
	    "code_postal",
	};

	assert_int_equal(person_validate(&p, TODAY, &errs), CAS_EINVAL);
	assert_int_equal(errs.n, (int)(sizeof(fields) / sizeof(fields[0])));
	for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
		assert_non_null(field_errors_get(&errs, fields[k]));
}

static void errors_appended(void **state)
{
	struct person_input p = valid_person();
	struct field_errors errs = {0};

	field_errors_add(&errs, "autre", "Erreur précédente.");
	assert_int_equal(person_validate(&p, TODAY, &errs), 0);
	assert_int_equal(errs.n, 1);

	/* full list: refused, as errors could not be recorded */
	while (errs.n < FIELD_ERRORS_MAX)
		field_errors_add(&errs, "autre", "Erreur précédente.");
	p.sexe = NULL;
	assert_int_equal(person_validate(&p, TODAY, &errs), CAS_EINVAL);
}

static void assert_normal(const char *in, const char *want)
{
	char out[64];

	person_normalise_name(in, out, sizeof(out));
	assert_string_equal(out, want);
}

static void normalise_name(void **state)
{
	char small[5];

	assert_normal("  Jean   Pierre  ", "Jean Pierre");
	assert_normal("Le\xc2\xa0"
	              "Gall",
	              "Le Gall");
	assert_normal("N’Diaye", "N'Diaye");
	assert_normal("Jean\xe2\x80\x90Pierre", "Jean-Pierre");
	assert_normal("\tÉlodie\t", "Élodie");
	assert_normal("DUPONT", "DUPONT");
	assert_normal("Du\xffpont", "Dupont");
	assert_normal("", "");
	assert_normal("   ", "");
	assert_normal(NULL, "");
	person_normalise_name("Aé é", small, sizeof(small));
	assert_string_equal(small, "Aé"); /* "Aé é" does not fit, nor does " é" */
	person_normalise_name("abc", small, 1);
	assert_string_equal(small, "");
	person_normalise_name("abc", NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_full_and_minimal),
	    cmocka_unit_test(names_valid),
	    cmocka_unit_test(names_invalid),
	    cmocka_unit_test(names_required_and_length),
	    cmocka_unit_test(sexe_and_date),
	    cmocka_unit_test(birth_place),
	    cmocka_unit_test(nationalite),
	    cmocka_unit_test(telephone),
	    cmocka_unit_test(email),
	    cmocka_unit_test(address),
	    cmocka_unit_test(many_errors),
	    cmocka_unit_test(errors_appended),
	    cmocka_unit_test(normalise_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
