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
	static const char *const codes[DS_COUNT] = {
	    "brouillon",     "depose", "en_instruction", "en_attente_pieces", "instruit",
	    "en_commission", "decide", "notifie",        "paiement",          "cloture"};
	static const char *const labels[DS_COUNT] = {
	    "Brouillon", "Déposé",        "En instruction", "En attente de pièces",
	    "Instruit",  "En commission", "Décidé",         "Notifié",
	    "Paiement",  "Clôturé"};
	enum dossier_state s = DS_CLOTURE;

	for (int k = 0; k < DS_COUNT; k++) {
		assert_string_equal(dossier_state_code((enum dossier_state)k), codes[k]);
		assert_string_equal(dossier_state_label((enum dossier_state)k), labels[k]);
		assert_int_equal(dossier_state_from_code(codes[k], &s), 0);
		assert_int_equal(s, k);
	}
	s = DS_DEPOSE;
	assert_int_equal(dossier_state_from_code("Cloture", &s), CAS_EINVAL);
	assert_int_equal(dossier_state_from_code("", &s), CAS_EINVAL);
	assert_int_equal(dossier_state_from_code(NULL, &s), CAS_EINVAL);
	assert_int_equal(s, DS_DEPOSE);
	assert_null(dossier_state_code((enum dossier_state)DS_COUNT));
	assert_null(dossier_state_label((enum dossier_state) - 1));
}

static void proposal_decision_codes(void **state)
{
	static const char *const props[DP_COUNT][2] = {
	    {"accord", "Accord"}, {"refus", "Refus"}, {"ajournement", "Ajournement"}};
	static const char *const decs[DD_COUNT][2] = {{"accorde", "Accordé"},
	                                              {"refuse", "Refusé"},
	                                              {"ajourne", "Ajourné"},
	                                              {"sans_suite", "Classé sans suite"}};
	static const char *const pays[PS_COUNT][2] = {
	    {"mandate", "Mandaté"}, {"paye", "Payé"}, {"remis", "Remis"}};
	enum dossier_proposal p = DP_REFUS;
	enum dossier_decision d = DD_REFUSE;
	enum payment_status ps = PS_PAYE;

	for (int k = 0; k < DP_COUNT; k++) {
		assert_string_equal(dossier_proposal_code((enum dossier_proposal)k), props[k][0]);
		assert_string_equal(dossier_proposal_label((enum dossier_proposal)k), props[k][1]);
		assert_int_equal(dossier_proposal_from_code(props[k][0], &p), 0);
		assert_int_equal(p, k);
	}
	for (int k = 0; k < DD_COUNT; k++) {
		assert_string_equal(dossier_decision_code((enum dossier_decision)k), decs[k][0]);
		assert_string_equal(dossier_decision_label((enum dossier_decision)k), decs[k][1]);
		assert_int_equal(dossier_decision_from_code(decs[k][0], &d), 0);
		assert_int_equal(d, k);
	}
	for (int k = 0; k < PS_COUNT; k++) {
		assert_string_equal(payment_status_code((enum payment_status)k), pays[k][0]);
		assert_string_equal(payment_status_label((enum payment_status)k), pays[k][1]);
		assert_int_equal(payment_status_from_code(pays[k][0], &ps), 0);
		assert_int_equal(ps, k);
	}
	p = DP_ACCORD;
	assert_int_equal(dossier_proposal_from_code("accorde", &p), CAS_EINVAL);
	assert_int_equal(dossier_decision_from_code("accord", &d), CAS_EINVAL);
	assert_int_equal(payment_status_from_code(NULL, &ps), CAS_EINVAL);
	assert_int_equal(p, DP_ACCORD);
	assert_null(dossier_proposal_code((enum dossier_proposal)DP_COUNT));
	assert_null(dossier_decision_label((enum dossier_decision)DD_COUNT));
	assert_null(payment_status_code((enum payment_status) - 1));
}

/* The arrows that hold whatever the facts. */
static const int unconditional[DS_COUNT][DS_COUNT] = {
    [DS_BROUILLON] = {[DS_DEPOSE] = 1, [DS_CLOTURE] = 1},
    [DS_DEPOSE] = {[DS_EN_INSTRUCTION] = 1, [DS_CLOTURE] = 1},
    [DS_EN_INSTRUCTION] = {[DS_EN_ATTENTE_PIECES] = 1, [DS_INSTRUIT] = 1, [DS_CLOTURE] = 1},
    [DS_EN_ATTENTE_PIECES] = {[DS_EN_INSTRUCTION] = 1, [DS_CLOTURE] = 1},
    [DS_INSTRUIT] = {[DS_EN_INSTRUCTION] = 1, [DS_EN_COMMISSION] = 1, [DS_CLOTURE] = 1},
    [DS_EN_COMMISSION] = {[DS_INSTRUIT] = 1, [DS_DECIDE] = 1},
    [DS_DECIDE] = {[DS_NOTIFIE] = 1},
    [DS_NOTIFIE] = {0},
    [DS_PAIEMENT] = {[DS_CLOTURE] = 1},
    [DS_CLOTURE] = {0},
};

/* Whether from -> to is allowed with these facts, written independently
 * of the table in dossier.c. */
static int expected(int from, int to, int urgence, int decision)
{
	if (unconditional[from][to])
		return 1;
	if (from == DS_INSTRUIT && to == DS_DECIDE)
		return urgence;
	if (from == DS_NOTIFIE && to == DS_PAIEMENT)
		return decision == DD_ACCORDE;
	if (from == DS_NOTIFIE && to == DS_EN_INSTRUCTION)
		return decision == DD_AJOURNE;
	if (from == DS_NOTIFIE && to == DS_CLOTURE)
		return decision == DD_REFUSE || decision == DD_AJOURNE || decision == DD_SANS_SUITE;
	return 0;
}

/* Every pair of states, under every combination of facts: allowed pairs
 * pass, every other one is refused with a French reason. */
static void transitions_matrix(void **state)
{
	int allowed_seen = 0, refused_seen = 0;
	for (int urgence = 0; urgence <= 1; urgence++) {
		for (int dec = -1; dec < DD_COUNT; dec++) {
			struct dossier_facts facts = {urgence, dec};
			for (int f = 0; f < DS_COUNT; f++) {
				for (int t = 0; t < DS_COUNT; t++) {
					const char *why = NULL;
					int rc = dossier_transition_check((enum dossier_state)f,
					                                  (enum dossier_state)t,
					                                  &facts, &why);
					if (expected(f, t, urgence, dec)) {
						assert_int_equal(rc, 0);
						assert_null(why);
						allowed_seen++;
					} else {
						assert_int_equal(rc, CAS_EINVAL);
						assert_non_null(why);
						assert_true(strlen(why) > 10);
						refused_seen++;
					}
				}
			}
		}
	}
	assert_true(allowed_seen > 0 && refused_seen > 0);
	/* no facts: no emergency path, no decision */
	for (int f = 0; f < DS_COUNT; f++)
		for (int t = 0; t < DS_COUNT; t++)
			assert_int_equal(dossier_transition_check((enum dossier_state)f,
			                                          (enum dossier_state)t, NULL,
			                                          NULL) == 0,
			                 expected(f, t, 0, -1));
}

/* The table of transitions: one per arrow, none forgotten, sensible
 * metadata. */
static void transition_table(void **state)
{
	int arrows = 0;
	for (int f = 0; f < DS_COUNT; f++)
		for (int t = 0; t < DS_COUNT; t++) {
			int any = 0;
			for (int u = 0; u <= 1; u++)
				for (int dec = -1; dec < DD_COUNT; dec++)
					any |= expected(f, t, u, dec);
			const struct dossier_transition *tr =
			    dossier_transition_find((enum dossier_state)f, (enum dossier_state)t);
			assert_int_equal(tr != NULL, any);
			arrows += any;
			if (!tr)
				continue;
			assert_int_equal(tr->from, f);
			assert_int_equal(tr->to, t);
			assert_true(tr->action < DA_COUNT);
			assert_non_null(tr->event);
			assert_non_null(tr->label);
			assert_non_null(tr->done);
		}
	assert_int_equal(dossier_transition_count(), (size_t)arrows);
	for (size_t i = 0; i < dossier_transition_count(); i++)
		assert_ptr_equal(dossier_transition_find(dossier_transition_at(i)->from,
		                                         dossier_transition_at(i)->to),
		                 dossier_transition_at(i));
	assert_null(dossier_transition_at(dossier_transition_count()));
	/* fields and actions */
	const struct dossier_transition *t =
	    dossier_transition_find(DS_EN_INSTRUCTION, DS_INSTRUIT);
	assert_int_equal(t->action, DA_PROPOSER);
	assert_int_equal(t->requires, DT_REQ_PROPOSAL);
	t = dossier_transition_find(DS_EN_COMMISSION, DS_DECIDE);
	assert_int_equal(t->action, DA_DECIDER);
	assert_int_equal(t->requires, DT_REQ_DECISION);
	assert_true(t->irreversible);
	t = dossier_transition_find(DS_INSTRUIT, DS_DECIDE);
	assert_int_equal(t->action, DA_DECIDER);
	assert_int_equal(t->when, DT_WHEN_URGENCE);
	t = dossier_transition_find(DS_EN_INSTRUCTION, DS_EN_ATTENTE_PIECES);
	assert_int_equal(t->action, DA_DEMANDER_PIECES);
	assert_int_equal(t->requires, DT_REQ_MOTIF);
	assert_int_equal(dossier_transition_find(DS_BROUILLON, DS_DEPOSE)->action, DA_DEPOSER);
	assert_int_equal(dossier_transition_find(DS_DEPOSE, DS_EN_INSTRUCTION)->action,
	                 DA_INSTRUIRE);
	assert_int_equal(dossier_transition_find(DS_INSTRUIT, DS_EN_COMMISSION)->action,
	                 DA_ENVOYER_COMMISSION);
	assert_int_equal(dossier_transition_find(DS_DECIDE, DS_NOTIFIE)->action, DA_NOTIFIER);
	assert_int_equal(dossier_transition_find(DS_NOTIFIE, DS_PAIEMENT)->action, DA_PAYER);
	assert_int_equal(dossier_transition_find(DS_PAIEMENT, DS_CLOTURE)->action, DA_CLOTURER);
	assert_int_equal(dossier_transition_find(DS_DEPOSE, DS_CLOTURE)->requires, DT_REQ_MOTIF);
	assert_int_equal(dossier_transition_find(DS_PAIEMENT, DS_CLOTURE)->requires, 0);
}

static void transition_reasons(void **state)
{
	const char *why = NULL;
	struct dossier_facts none = {0, -1}, accorde = {0, DD_ACCORDE}, refuse = {0, DD_REFUSE};

	dossier_transition_check(DS_DEPOSE, DS_DEPOSE, NULL, &why);
	assert_string_equal(why, "Le dossier est déjà dans cet état.");
	dossier_transition_check(DS_CLOTURE, DS_EN_INSTRUCTION, NULL, &why);
	assert_string_equal(why, "Un dossier clôturé ne peut plus changer d'état.");
	dossier_transition_check(DS_CLOTURE, DS_CLOTURE, NULL, &why);
	assert_string_equal(why, "Le dossier est déjà dans cet état.");
	dossier_transition_check(DS_EN_INSTRUCTION, DS_BROUILLON, NULL, &why);
	assert_string_equal(why, "Un dossier déposé ne peut pas redevenir un brouillon.");
	dossier_transition_check(DS_BROUILLON, DS_EN_INSTRUCTION, NULL, &why);
	assert_string_equal(why, "Le dossier doit d'abord être déposé.");
	dossier_transition_check(DS_EN_INSTRUCTION, DS_DEPOSE, NULL, &why);
	assert_string_equal(
	    why, "Un dossier en cours d'instruction ne peut pas revenir à l'état déposé.");
	dossier_transition_check(DS_INSTRUIT, DS_DECIDE, &none, &why);
	assert_string_equal(why, "Cette aide n'a pas de procédure d'urgence : le dossier passe par "
	                         "la commission.");
	dossier_transition_check(DS_NOTIFIE, DS_PAIEMENT, &refuse, &why);
	assert_string_equal(why, "Seule une aide accordée peut être mise en paiement.");
	dossier_transition_check(DS_NOTIFIE, DS_CLOTURE, &accorde, &why);
	assert_string_equal(why, "Une aide accordée se clôture après son paiement.");
	dossier_transition_check(DS_NOTIFIE, DS_EN_INSTRUCTION, &accorde, &why);
	assert_string_equal(
	    why, "Seul un dossier ajourné revient en instruction après sa notification.");
	dossier_transition_check(DS_EN_COMMISSION, DS_CLOTURE, NULL, &why);
	assert_string_equal(why, "Un dossier en commission attend la décision de la commission.");
	dossier_transition_check(DS_DECIDE, DS_PAIEMENT, NULL, &why);
	assert_string_equal(why, "Seule une aide accordée et notifiée peut être mise en paiement.");
	dossier_transition_check(DS_EN_INSTRUCTION, DS_DECIDE, NULL, &why);
	assert_string_equal(why,
	                    "La décision suit la proposition de l'instructeur et la commission.");
	why = NULL;
	assert_int_equal(
	    dossier_transition_check((enum dossier_state)DS_COUNT, DS_DEPOSE, NULL, &why),
	    CAS_EINVAL);
	assert_string_equal(why, "État de dossier inconnu.");
	assert_int_equal(dossier_transition_check(DS_DEPOSE, (enum dossier_state) - 1, NULL, NULL),
	                 CAS_EINVAL);
}

static void days(void **state)
{
	int y, m, d;
	assert_int_equal(day_number(1970, 1, 1), 0);
	assert_int_equal(day_number(2000, 3, 1), 11017);
	assert_int_equal(day_number(2024, 3, 1) - day_number(2024, 2, 28), 2);
	assert_int_equal(day_number(2023, 3, 1) - day_number(2023, 2, 28), 1);
	assert_int_equal(day_number(1969, 12, 31), -1);
	for (int n = -800; n < 30000; n += 7) {
		day_date(n, &y, &m, &d);
		assert_int_equal(day_number(y, m, d), n);
	}
	day_date(day_number(2026, 12, 31) + 1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20270101);
}

static void deadlines(void **state)
{
	struct dossier_delays delays = {30, 15, 8};
	struct dossier_deadline dl;
	int since = day_number(2026, 1, 10);

	dossier_deadline(DS_EN_INSTRUCTION, &delays, since, since + 30, &dl);
	assert_true(dl.has);
	assert_int_equal(dl.due, since + 30);
	assert_false(dl.overdue); /* the last day is still on time */
	assert_int_equal(dl.late_days, 0);
	dossier_deadline(DS_EN_INSTRUCTION, &delays, since, since + 33, &dl);
	assert_true(dl.overdue);
	assert_int_equal(dl.late_days, 3);
	dossier_deadline(DS_DEPOSE, &delays, since, since + 31, &dl);
	assert_true(dl.overdue);
	dossier_deadline(DS_EN_ATTENTE_PIECES, &delays, since, since + 16, &dl);
	assert_int_equal(dl.due, since + 15);
	assert_true(dl.overdue);
	dossier_deadline(DS_DECIDE, &delays, since, since + 8, &dl);
	assert_false(dl.overdue);
	dossier_deadline(DS_DECIDE, &delays, since, since + 9, &dl);
	assert_true(dl.overdue);
	/* no deadline in the other states, nor with a delay of 0 */
	static const enum dossier_state none[] = {DS_BROUILLON, DS_INSTRUIT, DS_EN_COMMISSION,
	                                          DS_NOTIFIE,   DS_PAIEMENT, DS_CLOTURE};
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		dossier_deadline(none[i], &delays, since, since + 1000, &dl);
		assert_false(dl.has);
		assert_false(dl.overdue);
	}
	delays.pieces = 0;
	dossier_deadline(DS_EN_ATTENTE_PIECES, &delays, since, since + 1000, &dl);
	assert_false(dl.has);
	dossier_deadline(DS_EN_INSTRUCTION, NULL, since, since + 1000, &dl);
	assert_false(dl.has);
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
	    cmocka_unit_test(state_codes),        cmocka_unit_test(proposal_decision_codes),
	    cmocka_unit_test(transitions_matrix), cmocka_unit_test(transition_table),
	    cmocka_unit_test(transition_reasons), cmocka_unit_test(days),
	    cmocka_unit_test(deadlines),          cmocka_unit_test(line_kinds),
	    cmocka_unit_test(line_types_lookup),  cmocka_unit_test(line_types_iteration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
