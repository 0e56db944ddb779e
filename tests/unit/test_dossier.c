#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"
#include "domain/dossier.h"

static void state_codes(void **state)
{
	static const char *const codes[DS_COUNT] = {"brouillon", "depose", "en_instruction",
	                                            "cloture"};
	static const char *const labels[DS_COUNT] = {"Brouillon", "Déposé", "En instruction",
	                                             "Clôturé"};
	enum dossier_state s = DS_CLOTURE;

	for (int k = 0; k < DS_COUNT; k++) {
		assert_string_equal(dossier_state_code((enum dossier_state)k), codes[k]);
		assert_string_equal(dossier_state_label((enum dossier_state)k), labels[k]);
		assert_int_equal(dossier_state_from_code(codes[k], &s), 0);
		assert_int_equal(s, k);
	}
	s = DS_DEPOSE;
	assert_int_equal(dossier_state_from_code("Brouillon", &s), CAS_EINVAL);
	assert_int_equal(dossier_state_from_code("déposé", &s), CAS_EINVAL);
	assert_int_equal(dossier_state_from_code("", &s), CAS_EINVAL);
	assert_int_equal(dossier_state_from_code(NULL, &s), CAS_EINVAL);
	assert_int_equal(s, DS_DEPOSE);
	assert_null(dossier_state_code((enum dossier_state)DS_COUNT));
	assert_null(dossier_state_label((enum dossier_state) - 1));
}

static void transitions_matrix(void **state)
{
	/* allowed[from][to] */
	static const int allowed[DS_COUNT][DS_COUNT] = {
	    [DS_BROUILLON] = {[DS_DEPOSE] = 1, [DS_CLOTURE] = 1},
	    [DS_DEPOSE] = {[DS_EN_INSTRUCTION] = 1, [DS_CLOTURE] = 1},
	    [DS_EN_INSTRUCTION] = {[DS_CLOTURE] = 1},
	    [DS_CLOTURE] = {0},
	};

	for (int f = 0; f < DS_COUNT; f++) {
		for (int t = 0; t < DS_COUNT; t++) {
			const char *why = NULL;
			int rc = dossier_transition_check((enum dossier_state)f,
			                                  (enum dossier_state)t, &why);

			if (allowed[f][t]) {
				assert_int_equal(rc, 0);
				assert_null(why);
			} else {
				assert_int_equal(rc, CAS_EINVAL);
				assert_non_null(why);
				assert_true(strlen(why) > 10);
			}
		}
	}
}

static void transition_reasons(void **state)
{
	const char *why = NULL;

	dossier_transition_check(DS_DEPOSE, DS_DEPOSE, &why);
	assert_string_equal(why, "Le dossier est déjà dans cet état.");
	dossier_transition_check(DS_CLOTURE, DS_EN_INSTRUCTION, &why);
	assert_string_equal(why, "Un dossier clôturé ne peut plus changer d'état.");
	dossier_transition_check(DS_CLOTURE, DS_CLOTURE, &why);
	assert_string_equal(why, "Le dossier est déjà dans cet état.");
	dossier_transition_check(DS_EN_INSTRUCTION, DS_BROUILLON, &why);
	assert_string_equal(why, "Un dossier déposé ne peut pas redevenir un brouillon.");
	dossier_transition_check(DS_BROUILLON, DS_EN_INSTRUCTION, &why);
	assert_string_equal(why, "Le dossier doit être déposé avant d'être mis en instruction.");
	dossier_transition_check(DS_EN_INSTRUCTION, DS_DEPOSE, &why);
	assert_string_equal(why, "Un dossier en instruction ne peut pas revenir à l'état déposé.");
	assert_int_equal(dossier_transition_check((enum dossier_state)7, DS_DEPOSE, &why),
	                 CAS_EINVAL);
	assert_string_equal(why, "État de dossier inconnu.");
	assert_int_equal(dossier_transition_check(DS_DEPOSE, (enum dossier_state) - 1, NULL),
	                 CAS_EINVAL);
}

static void line_kinds(void **state)
{
	assert_string_equal(line_kind_code(LINE_RESSOURCE), "ressource");
	assert_string_equal(line_kind_code(LINE_CHARGE), "charge");
	assert_string_equal(line_kind_label(LINE_RESSOURCE), "Ressource");
	assert_string_equal(line_kind_label(LINE_CHARGE), "Charge");
	assert_null(line_kind_code((enum line_kind)2));
	assert_null(line_kind_label((enum line_kind) - 1));
}

static void line_types_lookup(void **state)
{
	static const char *const ressources[] = {"salaire",
	                                         "pension_retraite",
	                                         "allocation_chomage",
	                                         "rsa",
	                                         "aah",
	                                         "prestations_familiales",
	                                         "aide_logement",
	                                         "pension_alimentaire_recue",
	                                         "indemnites_journalieres",
	                                         "autre_ressource"};
	static const char *const charges[] = {"loyer",
	                                      "credit_immobilier",
	                                      "charges_locatives",
	                                      "energie",
	                                      "eau",
	                                      "assurance",
	                                      "impots",
	                                      "remboursement_dette",
	                                      "frais_garde",
	                                      "pension_alimentaire_versee",
	                                      "autre_charge"};
	const struct line_type *t;

	for (size_t k = 0; k < sizeof(ressources) / sizeof(ressources[0]); k++) {
		t = line_type_find(ressources[k]);
		assert_non_null(t);
		assert_string_equal(t->code, ressources[k]);
		assert_int_equal(t->kind, LINE_RESSOURCE);
	}
	for (size_t k = 0; k < sizeof(charges) / sizeof(charges[0]); k++) {
		t = line_type_find(charges[k]);
		assert_non_null(t);
		assert_int_equal(t->kind, LINE_CHARGE);
	}
	assert_int_equal(line_type_count(), 21);
	assert_string_equal(line_type_find("loyer")->label, "Loyer");
	assert_string_equal(line_type_find("pension_alimentaire_versee")->label,
	                    "Pension alimentaire versée");
	assert_null(line_type_find("Loyer"));
	assert_null(line_type_find("loyer "));
	assert_null(line_type_find(""));
	assert_null(line_type_find(NULL));
}

static void line_types_iteration(void **state)
{
	size_t n = line_type_count();
	int seen_charge = 0;

	for (size_t i = 0; i < n; i++) {
		const struct line_type *t = line_type_at(i);

		assert_non_null(t);
		assert_non_null(t->label);
		assert_ptr_equal(line_type_find(t->code), t);
		/* resources come first */
		if (t->kind == LINE_CHARGE)
			seen_charge = 1;
		else
			assert_false(seen_charge);
		/* codes are unique */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(line_type_at(j)->code, t->code);
	}
	assert_null(line_type_at(n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(state_codes),        cmocka_unit_test(transitions_matrix),
	    cmocka_unit_test(transition_reasons), cmocka_unit_test(line_kinds),
	    cmocka_unit_test(line_types_lookup),  cmocka_unit_test(line_types_iteration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
