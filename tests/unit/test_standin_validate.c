/* The stand-in of API Particulier: parameter validation with the real
 * error codes and order, the recipient SIRET check, the tokens file, the
 * fixed-window rate limit and the fault options. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/err.h"
#include "standin/faults.h"
#include "standin/params.h"
#include "standin/particulier_params.h"
#include "standin/ratelimit.h"
#include "standin/tokens.h"

/* A valid identity, changed by the "name=value" pairs of edits (value
 * NULL removes the parameter; "prenoms[]" replaces the list). */
static void identity(struct sp_params *q, const char *const *edits)
{
	sp_init(q);
	sp_set(q, "nomNaissance", "Martin");
	sp_add_list(q, "prenoms", "Axelle");
	sp_set(q, "sexeEtatCivil", "F");
	sp_set(q, "anneeDateNaissance", "1989");
	sp_set(q, "moisDateNaissance", "12");
	sp_set(q, "jourDateNaissance", "3");
	sp_set(q, "codeCogInseePaysNaissance", "99100");
	sp_set(q, "codeCogInseeCommuneNaissance", "35238");
	for (; edits && *edits; edits += 2) {
		int list = strcmp(edits[0], "prenoms[]") == 0;
		const char *name = list ? "prenoms" : edits[0];
		sp_remove(q, name);
		if (list)
			sp_touch_list(q, name);
		if (list && edits[1])
			sp_add_list(q, name, edits[1]);
		else if (edits[1])
			sp_set(q, name, edits[1]);
	}
}

/* The codes of the errors of an identity, joined by spaces. */
static const char *codes(const char *const *edits)
{
	static char out[128];
	struct sp_params q;
	const struct pp_error *errs[16];
	identity(&q, edits);
	int n = pp_validate(&q, 2026, 11, 26, errs, 16);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t used = strlen(out);
		snprintf(out + used, sizeof(out) - used, "%s%s", i ? " " : "", errs[i]->code);
	}
	sp_free(&q);
	return out;
}

#define CODES(...) codes((const char *const[]){__VA_ARGS__, NULL, NULL})

static void valid_identities(void **state)
{
	assert_string_equal(codes(NULL), "");
	assert_string_equal(CODES("sexeEtatCivil", "m"), "");
	assert_string_equal(CODES("nomNaissance", "N’Diaye-Lecomte d'Ornières"), "");
	assert_string_equal(
	    CODES("codeCogInseePaysNaissance", "99404", "codeCogInseeCommuneNaissance", NULL), "");
	assert_string_equal(
	    CODES("codeCogInseePaysNaissance", "99404", "codeCogInseeCommuneNaissance", ""), "");
	assert_string_equal(CODES("codeCogInseeCommuneNaissance", "2A004"), "");
	assert_string_equal(CODES("annee", "2024", "mois", "12"), "");
	assert_string_equal(CODES("annee", "2026", "mois", "11"), "");
	assert_string_equal(CODES("jourDateNaissance", NULL), "");
	assert_string_equal(CODES("anneeDateNaissance", "2026", "moisDateNaissance", "11",
	                          "jourDateNaissance", "25"),
	                    "");
	/* the commune given by its name and departement */
	assert_string_equal(CODES("codeCogInseeCommuneNaissance", NULL, "nomCommuneNaissance",
	                          "Angers", "codeCogInseeDepartementNaissance", "49"),
	                    "");
	/* no first name at all: accepted (the sandbox's 404.yaml has none) */
	assert_string_equal(CODES("prenoms", NULL), "");
}

static void each_code(void **state)
{
	assert_string_equal(CODES("annee", "2023"), "00356");
	assert_string_equal(CODES("annee", "26"), "00356");
	assert_string_equal(CODES("annee", "2027"), "00356");
	assert_string_equal(CODES("mois", "13"), "00354");
	assert_string_equal(CODES("annee", "2026", "mois", "12"), "00354");
	assert_string_equal(CODES("sexeEtatCivil", "X"), "00427");
	assert_string_equal(CODES("codeCogInseeCommuneNaissance", "20004"), "00365");
	assert_string_equal(CODES("codeCogInseeCommuneNaissance", "3523"), "00365");
	assert_string_equal(CODES("codeCogInseeCommuneNaissance", NULL), "00365");
	assert_string_equal(CODES("codeCogInseeCommuneNaissance", NULL, "nomCommuneNaissance",
	                          "Angers", "codeCogInseeDepartementNaissance", "4X9"),
	                    "00428");
	assert_string_equal(CODES("codeCogInseePaysNaissance", "12345"), "00400");
	assert_string_equal(CODES("codeCogInseePaysNaissance", NULL), "00400");
	assert_string_equal(CODES("jourDateNaissance", "32"), "00363");
	assert_string_equal(CODES("moisDateNaissance", "2", "jourDateNaissance", "30"), "00363");
	assert_string_equal(CODES("anneeDateNaissance", "1899", "moisDateNaissance", "12",
	                          "jourDateNaissance", "31"),
	                    "00363");
	assert_string_equal(CODES("anneeDateNaissance", "2026", "moisDateNaissance", "11",
	                          "jourDateNaissance", "26"),
	                    "00363"); /* today is not before yesterday */
	assert_string_equal(CODES("anneeDateNaissance", "abc"), "00363");
	assert_string_equal(CODES("prenoms[]", NULL), "00367");
	assert_string_equal(CODES("prenoms", "Axelle"), "00367"); /* not a list */
	assert_string_equal(CODES("prenoms[]", "Axelle2"), "00367");
	assert_string_equal(CODES("nomNaissance", "Lecœur"), "00420");
	assert_string_equal(CODES("nomNaissance", ""), "00420");
	assert_string_equal(CODES("nomNaissance", NULL), "00420");
}

static void codes_in_order(void **state)
{
	assert_string_equal(CODES("nomNaissance", "X1", "prenoms[]", "", "jourDateNaissance", "0",
	                          "codeCogInseePaysNaissance", "1", "codeCogInseeCommuneNaissance",
	                          "x", "sexeEtatCivil", "Z", "mois", "0", "annee", "1"),
	                    "00356 00354 00427 00365 00400 00363 00367 00420");
	const struct pp_error *e = pp_error_of("00210");
	assert_string_equal(e->parameter, "recipient");
	assert_string_equal(e->detail, "Le paramètre recipient n'est pas un siret valide");
	assert_null(pp_error_of("99999"));
}

static void recipient(void **state)
{
	assert_true(pp_recipient_valid("13002526500013"));
	assert_true(pp_recipient_valid("21750001600019"));
	assert_true(pp_recipient_valid("26459990300012"));
	assert_true(pp_recipient_valid("35600000000048"));
	assert_true(pp_recipient_valid("35600000012345")); /* La Poste: no checksum */
	assert_false(pp_recipient_valid("13002526500014"));
	assert_false(pp_recipient_valid("1300252650001"));
	assert_false(pp_recipient_valid("130025265000130"));
	assert_false(pp_recipient_valid("1300252650001A"));
	assert_false(pp_recipient_valid(""));
	assert_false(pp_recipient_valid(NULL));
}

static void tokens_file(void **state)
{
	struct token_table *t = NULL;
	char err[256] = "";
	const char *text = "# jetons\n"
	                   "\n"
	                   "complet cnaf_quotient_familial,cnaf_allocataires,cnaf_enfants,"
	                   "cnaf_adresse nom=Logiciel\r\n"
	                   "  qf\tcnaf_quotient_familial\n"
	                   "aucun -\n"
	                   "vieux cnaf_quotient_familial expire\n"
	                   "fuite cnaf_quotient_familial liste-noire\n";
	assert_int_equal(tokens_parse(text, &t, err, sizeof(err)), 0);
	assert_int_equal(t->n, 5);
	const struct token_entry *e = tokens_find(t, "complet");
	assert_non_null(e);
	assert_int_equal(e->nscopes, 4);
	assert_string_equal(e->name, "Logiciel");
	assert_true(token_has_scope(e, "cnaf_adresse"));
	e = tokens_find(t, "qf");
	assert_true(token_has_scope(e, "cnaf_quotient_familial"));
	assert_false(token_has_scope(e, "cnaf_enfants"));
	assert_int_equal(tokens_find(t, "aucun")->nscopes, 0);
	assert_int_equal(tokens_find(t, "vieux")->state, TOKEN_EXPIRED);
	assert_int_equal(tokens_find(t, "fuite")->state, TOKEN_REVOKED);
	assert_null(tokens_find(t, "autre"));
	assert_null(tokens_find(t, NULL));
	tokens_free(t);

	assert_int_equal(tokens_parse("seul\n", &t, err, sizeof(err)), CAS_EINVAL);
	assert_non_null(strstr(err, "ligne 1"));
	assert_int_equal(tokens_parse("a x\nb y bizarre\n", &t, err, sizeof(err)), CAS_EINVAL);
	assert_non_null(strstr(err, "ligne 2"));
	assert_int_equal(tokens_parse("a x\na y\n", &t, err, sizeof(err)), CAS_EINVAL);
	assert_non_null(strstr(err, "déjà"));

	char id1[37], id2[37];
	token_id("complet", id1);
	token_id("complet", id2);
	assert_string_equal(id1, id2);
	assert_int_equal(strlen(id1), 36);
	assert_int_equal(id1[14], '4');
}

static void rate_window(void **state)
{
	struct ratelimit *rl = rl_new(3, 1);
	struct rl_state st;
	int64_t t0 = 1795722420LL * 1000 + 100; /* 100 ms into a second */
	assert_true(rl_hit(rl, "a", t0, &st));
	assert_int_equal(st.limit, 3);
	assert_int_equal(st.remaining, 2);
	assert_int_equal(st.reset, 1795722421LL);
	assert_true(rl_hit(rl, "a", t0 + 10, &st));
	assert_true(rl_hit(rl, "a", t0 + 20, &st));
	assert_int_equal(st.remaining, 0);
	assert_false(rl_hit(rl, "a", t0 + 30, &st));
	assert_int_equal(st.retry_after, 1);
	assert_true(rl_hit(rl, "b", t0 + 40, &st));  /* per token */
	assert_true(rl_hit(rl, "a", t0 + 900, &st)); /* next second: new window */
	assert_int_equal(st.remaining, 2);
	assert_int_equal(st.reset, 1795722422LL);
	rl_free(rl);
}

static void fault_options(void **state)
{
	struct faults f;
	char err[256];
	double pct;
	memset(&f, 0, sizeof(f));
	assert_int_equal(faults_add_error(&f, "503:10", err, sizeof(err)), 0);
	assert_int_equal(faults_add_error(&f, "429:0.5", err, sizeof(err)), 0);
	assert_int_equal(f.nerrors, 2);
	assert_int_equal(faults_add_error(&f, "418:10", err, sizeof(err)), CAS_EINVAL);
	assert_int_equal(faults_add_error(&f, "502", err, sizeof(err)), CAS_EINVAL);
	assert_int_equal(faults_add_error(&f, "502:95", err, sizeof(err)), CAS_EINVAL);
	assert_non_null(strstr(err, "100"));
	assert_int_equal(faults_parse_pct("100", &pct), 0);
	assert_int_equal(faults_parse_pct("-1", &pct), CAS_EINVAL);
	assert_int_equal(faults_parse_pct("1x", &pct), CAS_EINVAL);
	assert_false(faults_draw(0));
	assert_true(faults_draw(100));
	struct faults all = {.nerrors = 1, .errors = {{504, 100}}};
	assert_int_equal(faults_draw_error(&all), 504);
	assert_int_equal(faults_cut_length(10), 5);
	assert_int_equal(faults_cut_length(1), 0);
}

int main(void)
{
	crypto_init();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_identities), cmocka_unit_test(each_code),
	    cmocka_unit_test(codes_in_order),   cmocka_unit_test(recipient),
	    cmocka_unit_test(tokens_file),      cmocka_unit_test(rate_window),
	    cmocka_unit_test(fault_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
