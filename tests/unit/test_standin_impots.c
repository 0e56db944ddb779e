/* The API Impôt particulier stand-in without the network: household files
 * (parsing, years, the DGFiP calendar, deuxans), the habilitation (names,
 * resources, years, filtering), the order of the checks of a data call,
 * and the project's household files (all readable, SPIs unique, every
 * demonstration household present with its declarants). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo_data.h"
#include "cli/demo_impots.h"
#include "domain/fold.h"
#include "standin/impots.h"
#include "standin/impots_fixtures.h"
#include "standin/impots_rules.h"

static const char household[] =
    "{\"description\": \"essai\", \"spi\": [\"1234567890123\", \"1234567890124\"],"
    " \"annees\": {"
    "  \"2021\": {\"situation\": {\"rfr\": 100, \"nbPart\": 1.0, \"annRevenu\": 1}},"
    "  \"N-1\": {\"situation\": {\"rfr\": 300, \"sitFam\": \"C\"}},"
    "  \"N-2\": {\"situation\": {\"rfr\": 200}},"
    "  \"N-5\": {\"situation\": {\"rfr\": 999}},"
    "  \"N-3\": {\"statut\": 204}}}";

static void parse_ok(const char *text, struct imf_household *h)
{
	char err[256] = "";
	int rc = imf_parse(text, strlen(text), "essai.json", h, err, sizeof(err));
	if (rc != 0)
		fail_msg("%s", err);
}

static void parse_bad(const char *text, const char *reason)
{
	struct imf_household h;
	char err[256] = "";
	assert_int_not_equal(imf_parse(text, strlen(text), "x.json", &h, err, sizeof(err)), 0);
	if (!strstr(err, reason))
		fail_msg("« %s » does not say « %s »", err, reason);
}

/* ---- years and calendar ------------------------------------------------ */

static void years(void **state)
{
	assert_int_equal(imf_year_of("2021", 2026), 2021);
	assert_int_equal(imf_year_of("N-1", 2026), 2025);
	assert_int_equal(imf_year_of("N-9", 2026), 2017);
	assert_int_equal(imf_year_of("N", 2026), 2026);
	assert_int_equal(imf_year_of("N-10", 2026), -1);
	assert_int_equal(imf_year_of("N+1", 2026), -1);
	assert_int_equal(imf_year_of("21", 2026), -1);
	/* income 2025 is taxed from 22 July 2026 */
	assert_false(imf_taxed(2025, 2026, 7, 21));
	assert_true(imf_taxed(2025, 2026, 7, 22));
	assert_true(imf_taxed(2025, 2026, 12, 31));
	assert_false(imf_taxed(2025, 2026, 1, 1));
	assert_false(imf_taxed(2026, 2026, 12, 31));
	assert_true(imf_taxed(2024, 2026, 1, 1));
	assert_true(imf_taxed(2021, 2026, 1, 1));
}

/* ---- parsing ----------------------------------------------------------- */

static void parse_household(void **state)
{
	struct imf_household h;
	parse_ok(household, &h);
	assert_int_equal(h.nspi, 2);
	assert_string_equal(h.spi[1], "1234567890124");
	assert_int_equal(h.nyears, 5);
	assert_false(h.has_reponse);
	imf_clear(&h);
	parse_ok("{\"spi\": [\"1234567890123\"], \"reponse\": {\"statut\": 404, "
	         "\"erreur\": {\"code\": 4102}}}",
	         &h);
	assert_true(h.has_reponse);
	assert_int_equal(h.reponse.status, 404);
	assert_int_equal(h.reponse.code, 4102);
	assert_null(h.reponse.message);
	imf_clear(&h);
}

static void parse_errors(void **state)
{
	parse_bad("{", "JSON invalide");
	parse_bad("[]", "un objet");
	parse_bad("{\"annees\": {}}", "spi");
	parse_bad("{\"spi\": [\"123\"], \"annees\": {}}", "13 chiffres");
	parse_bad("{\"spi\": [\"1234567890123\"]}", "« annees » ou « reponse »");
	parse_bad("{\"spi\": [\"1234567890123\"], \"annees\": {\"2021\": {\"statut\": 200}}}",
	          "situation");
	parse_bad("{\"spi\": [\"1234567890123\"], \"annees\": {\"l'an dernier\": {}}}",
	          "ni une année");
	parse_bad("{\"spi\": [\"1234567890123\"], \"annees\": {\"2021\": {\"statut\": 410, "
	          "\"situation\": {}}}}",
	          "ne va qu'avec le statut 200");
	parse_bad("{\"spi\": [\"1234567890123\"], \"reponse\": {\"situation\": {}}}",
	          "statut d'erreur");
	parse_bad("{\"spi\": [\"1234567890123\"], \"annees\": {\"2021\": {\"statut\": 99}}}",
	          "code HTTP");
	parse_bad("{\"spi\": [\"1234567890123\"], \"annees\": {\"2021\": {\"statut\": 410, "
	          "\"erreur\": {\"code\": \"4101\"}}}}",
	          "erreur");
	parse_bad("{\"spi\": [\"1234567890123\"], \"spi\": [\"1234567890124\"], \"annees\": {}}",
	          "JSON invalide");
}

/* ---- answers ----------------------------------------------------------- */

static int rfr_of(const struct imf_answer *a)
{
	return (int)json_integer_value(json_object_get(a->situation, "rfr"));
}

static void answers_by_year(void **state)
{
	struct imf_household h;
	struct imf_answer a;
	parse_ok(household, &h);
	imf_answer(&h, IMF_ANNREV, 2025, 2026, 11, 26, &a); /* N-1, taxed */
	assert_int_equal(a.status, 200);
	assert_int_equal(rfr_of(&a), 300);
	assert_int_equal(a.year, 2025);
	assert_string_equal(a.file, "essai.json");
	imf_answer_clear(&a);
	imf_answer(&h, IMF_ANNREV, 2025, 2026, 7, 21, &a); /* N-1 not yet taxed */
	assert_int_equal(a.status, 410);
	assert_int_equal(a.code, IMF_CODE_NO_DATA);
	assert_null(a.situation);
	imf_answer_clear(&a);
	imf_answer(&h, IMF_ANNREV, 2026, 2026, 12, 31, &a); /* this year: never */
	assert_int_equal(a.code, IMF_CODE_NO_DATA);
	imf_answer_clear(&a);
	imf_answer(&h, IMF_ANNREV, 2023, 2026, 11, 26, &a); /* N-3: 204 */
	assert_int_equal(a.status, 204);
	assert_int_equal(a.code, 0);
	imf_answer_clear(&a);
	imf_answer(&h, IMF_ANNREV, 2020, 2026, 11, 26, &a); /* no entry */
	assert_int_equal(a.status, 410);
	assert_int_equal(a.code, IMF_CODE_NO_DATA);
	assert_string_equal(a.message, imf_message(IMF_CODE_NO_DATA));
	imf_answer_clear(&a);
	/* in 2026, 2021 is both "2021" and "N-5": the absolute key wins */
	imf_answer(&h, IMF_DERNIERE_ANNREV, 2021, 2026, 11, 26, &a);
	assert_int_equal(rfr_of(&a), 100);
	imf_answer_clear(&a);
	imf_clear(&h);
}

static void answers_deuxans(void **state)
{
	struct imf_household h;
	struct imf_answer a;
	parse_ok(household, &h);
	imf_answer(&h, IMF_DEUXANS, 0, 2026, 11, 26, &a); /* N-1 taxed */
	assert_int_equal(a.status, 200);
	assert_int_equal(a.year, 2025);
	assert_int_equal(rfr_of(&a), 300);
	imf_answer_clear(&a);
	imf_answer(&h, IMF_DEUXANS, 0, 2026, 3, 1, &a); /* before 22 July: N-2 */
	assert_int_equal(a.year, 2024);
	assert_int_equal(rfr_of(&a), 200);
	imf_answer_clear(&a);
	imf_clear(&h);
	/* only N-2: the fallback; nothing at all: the answer of N-1 */
	parse_ok(
	    "{\"spi\": [\"1234567890123\"], \"annees\": {\"N-2\": {\"situation\": {\"rfr\": 5}},"
	    " \"N-1\": {\"statut\": 410, \"erreur\": {\"code\": 4101, \"message\": \"tard\"}}}}",
	    &h);
	imf_answer(&h, IMF_DEUXANS, 0, 2026, 11, 26, &a);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.year, 2024);
	imf_answer_clear(&a);
	imf_answer(&h, IMF_ANNREV, 2025, 2026, 11, 26, &a);
	assert_int_equal(a.status, 410);
	assert_string_equal(a.message, "tard");
	imf_answer_clear(&a);
	/* relative years follow the clock: in 2029, N-2 is 2027 */
	imf_answer(&h, IMF_DEUXANS, 0, 2029, 11, 26, &a);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.year, 2027);
	imf_answer_clear(&a);
	imf_clear(&h);
	parse_ok("{\"spi\": [\"1234567890123\"], \"annees\": {\"2020\": {\"situation\": {}}}}", &h);
	imf_answer(&h, IMF_DEUXANS, 0, 2026, 11, 26, &a);
	assert_int_equal(a.status, 410);
	assert_int_equal(a.year, 2025);
	assert_int_equal(a.code, IMF_CODE_NO_DATA);
	imf_answer_clear(&a);
	imf_answer(&h, IMF_DEUXANS, 0, 2021, 11, 26, &a);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.year, 2020);
	imf_answer_clear(&a);
	imf_clear(&h);
}

static void answers_unknown_and_override(void **state)
{
	struct imf_household h;
	struct imf_answer a;
	imf_answer(NULL, IMF_ANNREV, 2025, 2026, 11, 26, &a);
	assert_int_equal(a.status, 410);
	assert_int_equal(a.code, IMF_CODE_UNKNOWN_SPI);
	assert_string_equal(a.file, "");
	imf_answer_clear(&a);
	parse_ok("{\"spi\": [\"1234567890123\"], \"reponse\": {\"statut\": 500, \"erreur\": "
	         "{\"code\": 500, \"message\": \"panne\"}}}",
	         &h);
	/* the override answers whatever the year, even one not taxed */
	imf_answer(&h, IMF_DEUXANS, 0, 2026, 1, 1, &a);
	assert_int_equal(a.status, 500);
	assert_string_equal(a.message, "panne");
	imf_answer_clear(&a);
	imf_answer(&h, IMF_ANNREV, 2999, 2026, 1, 1, &a);
	assert_int_equal(a.status, 500);
	imf_answer_clear(&a);
	imf_clear(&h);
}

/* ---- habilitation ------------------------------------------------------ */

static json_t *full_situation(void)
{
	return json_pack("{s:i, s:i, s:f, s:s, s:{s:i, s:i, s:i}, s:s, s:{s:s}, s:s, s:s, s:{s:s}, "
	                 "s:i, s:i, s:s}",
	                 "annRevenu", 2025, "rfr", 100, "nbPart", 2.5, "sitFam", "M", "pac",
	                 "nbPac", 2, "nbPacF", 1, "nbPacH", 1, "aft", "1 RUE X", "aftDetail",
	                 "voie", "1 RUE X", "nmNaiDec1", "A", "prnmDec1", "B", "dateNaisDec1",
	                 "annee", "1980", "montTotIr", -36, "revenuBrutGlobal", 5, "datRec",
	                 "2026-07-31");
}

static void hab_filtering(void **state)
{
	struct imr_hab h;
	char err[256];
	assert_int_equal(imr_hab_parse("# droits d'essai\n dgfip_rfr, dgfip_pac_nbPac\n"
	                               "dgfip_aft dgfip_dateNaisDec1 montTotIr # impôt\n",
	                               &h, err, sizeof(err)),
	                 0);
	json_t *s = full_situation();
	imr_hab_filter(&h, s);
	json_t *want =
	    json_pack("{s:i, s:i, s:{s:i}, s:s, s:{s:s}, s:{s:s}, s:i}", "annRevenu", 2025, "rfr",
	              100, "pac", "nbPac", 2, "aft", "1 RUE X", "aftDetail", "voie", "1 RUE X",
	              "dateNaisDec1", "annee", "1980", "montTotIr", -36);
	assert_true(json_equal(s, want));
	json_decref(want);
	json_decref(s);
	imr_hab_free(&h);
	/* the detail of the dependants gives the whole object; the Cassis names */
	assert_int_equal(imr_hab_parse("dgfip_pac,dgfip_avis,dgfip_rbg", &h, err, sizeof(err)), 0);
	s = full_situation();
	imr_hab_filter(&h, s);
	assert_int_equal(json_object_size(json_object_get(s, "pac")), 3);
	assert_non_null(json_object_get(s, "datRec"));
	assert_non_null(json_object_get(s, "revenuBrutGlobal"));
	assert_null(json_object_get(s, "rfr"));
	json_decref(s);
	imr_hab_free(&h);
	/* everything */
	imr_hab_all(&h);
	s = full_situation();
	imr_hab_filter(&h, s);
	assert_int_equal(json_object_size(s), 13);
	json_decref(s);
	imr_hab_free(&h);
}

static void hab_names(void **state)
{
	struct imr_hab h;
	char err[256];
	assert_int_not_equal(imr_hab_parse("dgfip_rfr dgfip_revenu", &h, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "dgfip_revenu"));
	/* no year tick: every resource and year */
	assert_int_equal(imr_hab_parse("dgfip_rfr", &h, err, sizeof(err)), 0);
	assert_int_equal(h.resources, IMR_RES_ALL);
	assert_int_equal(h.years, 0);
	imr_hab_free(&h);
	/* year ticks give their resources */
	assert_int_equal(
	    imr_hab_parse("dgfip_annee_n_moins_1 dgfip_annee_n_moins_2", &h, err, sizeof(err)), 0);
	assert_int_equal(h.resources, IMR_RES_IR);
	assert_int_equal(h.years, (1u << 1) | (1u << 2));
	imr_hab_free(&h);
	assert_int_equal(
	    imr_hab_parse("dgfip_annee_n_moins_2_si_indispo_n_moins_1", &h, err, sizeof(err)), 0);
	assert_int_equal(h.resources, IMR_RES_DERNIERE2);
	imr_hab_free(&h);
	/* resource names rule when given */
	assert_int_equal(imr_hab_parse("dgfip_annee_n_moins_1 RessourceIRDerniere2 RessourceIR", &h,
	                               err, sizeof(err)),
	                 0);
	assert_int_equal(h.resources, IMR_RES_IR | IMR_RES_DERNIERE2);
	imr_hab_free(&h);
}

static void token_scopes(void **state)
{
	struct imr_hab h;
	char err[256], text[256];
	assert_int_equal(imr_hab_parse("RessourceIR RessourceIRDerniere2", &h, err, sizeof(err)),
	                 0);
	assert_int_equal(imr_token_resources(&h, ""), IMR_RES_IR | IMR_RES_DERNIERE2);
	assert_int_equal(imr_token_resources(&h, NULL), IMR_RES_IR | IMR_RES_DERNIERE2);
	assert_int_equal(imr_token_resources(&h, "RessourceIR"), IMR_RES_IR);
	assert_int_equal(imr_token_resources(&h, "RessourceIR+RessourceIRDerniere2 Inconnue"),
	                 IMR_RES_IR | IMR_RES_DERNIERE2);
	assert_int_equal(imr_token_resources(&h, "RessourceIFI"), 0);
	imr_resources_text(0, text, sizeof(text));
	assert_string_equal(text, "default");
	imr_resources_text(IMR_RES_IR | IMR_RES_DERNIERE2, text, sizeof(text));
	assert_string_equal(text, "RessourceIR RessourceIRDerniere2");
	imr_hab_free(&h);
	int calls, period;
	assert_int_equal(impots_parse_quota("50/min", &calls, &period), 0);
	assert_int_equal(calls * 1000 + period, 50060);
	assert_int_equal(impots_parse_quota("5/s", &calls, &period), 0);
	assert_int_equal(period, 1);
	assert_int_equal(impots_parse_quota("0", &calls, &period), 0);
	assert_int_equal(calls, 0);
	assert_int_not_equal(impots_parse_quota("50/jour", &calls, &period), 0);
	assert_int_not_equal(impots_parse_quota("-1", &calls, &period), 0);
}

/* ---- checks ------------------------------------------------------------ */

static void uuid(void **state)
{
	assert_true(imr_is_uuid("123e4567-e89b-42d3-a456-426614174000"));
	assert_true(imr_is_uuid("123E4567-E89B-42D3-A456-426614174000"));
	assert_false(imr_is_uuid("123e4567e89b42d3a456426614174000"));
	assert_false(imr_is_uuid("123e4567-e89b-42d3-a456-42661417400"));
	assert_false(imr_is_uuid("123e4567-e89b-42d3-a456-4266141740000"));
	assert_false(imr_is_uuid("g23e4567-e89b-42d3-a456-426614174000"));
	assert_false(imr_is_uuid(""));
	assert_false(imr_is_uuid(NULL));
}

/* A call that fails every check; each fix reveals the next check. */
static void check_order(void **state)
{
	struct imr_hab h;
	char err[256];
	int year;
	assert_int_equal(imr_hab_parse("dgfip_annee_n_moins_1 dgfip_rfr", &h, err, sizeof(err)), 0);
	struct imr_call c = {.route = IMF_ANNREV,
	                     .token = IMR_TOKEN_NONE,
	                     .quota_ok = 0,
	                     .resources = IMR_RES_DERNIERE2,
	                     .hab = &h,
	                     .correlation_id = "x",
	                     .spi = "12345",
	                     .year = "20",
	                     .this_year = 2026};
	assert_int_equal(imr_check(&c, &year), IMR_NO_TOKEN);
	c.token = IMR_TOKEN_REFUSED;
	assert_int_equal(imr_check(&c, &year), IMR_BAD_TOKEN);
	c.token = IMR_TOKEN_VALID;
	assert_int_equal(imr_check(&c, &year), IMR_QUOTA);
	c.quota_ok = 1;
	assert_int_equal(imr_check(&c, &year), IMR_CORRELATION);
	c.correlation_id = "123e4567-e89b-42d3-a456-426614174000";
	assert_int_equal(imr_check(&c, &year), IMR_RESOURCE);
	c.resources = IMR_RES_IR;
	assert_int_equal(imr_check(&c, &year), IMR_SPI);
	c.spi = "1234567890123";
	assert_int_equal(imr_check(&c, &year), IMR_YEAR);
	c.year = "2023";
	assert_int_equal(imr_check(&c, &year), IMR_YEAR_RIGHTS);
	c.year = "2025";
	assert_int_equal(imr_check(&c, &year), IMR_OK);
	assert_int_equal(year, 2025);
	/* deuxans has no year; its resource is RessourceIRDerniere2 */
	c.route = IMF_DEUXANS;
	c.year = NULL;
	assert_int_equal(imr_check(&c, &year), IMR_RESOURCE);
	c.resources = IMR_RES_DERNIERE2;
	assert_int_equal(imr_check(&c, &year), IMR_OK);
	assert_int_equal(year, 0);
	c.spi = "123456789012a";
	assert_int_equal(imr_check(&c, &year), IMR_SPI);
	imr_hab_free(&h);
	/* without year ticks, every year */
	imr_hab_all(&h);
	struct imr_call all = {.route = IMF_DERNIERE_ANNREV,
	                       .token = IMR_TOKEN_VALID,
	                       .quota_ok = 1,
	                       .resources = IMR_RES_DERNIERE,
	                       .hab = &h,
	                       .correlation_id = "123e4567-e89b-42d3-a456-426614174000",
	                       .spi = "1234567890123",
	                       .year = "1990",
	                       .this_year = 2026};
	assert_int_equal(imr_check(&all, &year), IMR_OK);
	all.year = "19900";
	assert_int_equal(imr_check(&all, &year), IMR_YEAR);
}

/* ---- the project's files ----------------------------------------------- */

static int count_files(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		n += len > 5 && e->d_name[0] != '.' && strcmp(e->d_name + len - 5, ".json") == 0;
	}
	if (d)
		closedir(d);
	return n;
}

static void project_files_read(void **state)
{
	struct imf_folder *f = imf_folder_open(IMPOTS_FIXTURES);
	int n = count_files(IMPOTS_FIXTURES);
	assert_true(n >= 14);
	assert_int_equal(imf_folder_count(f), n);
	imf_folder_close(f);
}

static json_t *load_json(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return json_load_file(path, 0, NULL);
}

/* The file listing spi (NULL when none), and fails on a SPI listed twice. */
static json_t *household_of(const char *spi)
{
	json_t *found = NULL;
	DIR *d = opendir(IMPOTS_FIXTURES);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		json_t *h = load_json(IMPOTS_FIXTURES, e->d_name), *v;
		size_t i;
		int has = 0;
		json_array_foreach(json_object_get(h, "spi"), i, v)
		{
			has |= strcmp(json_string_value(v), spi) == 0;
		}
		if (has && found)
			fail_msg("SPI %s listed by two files", spi);
		if (has)
			found = h;
		else
			json_decref(h);
	}
	if (d)
		closedir(d);
	return found;
}

static void assert_folded(const char *dgfip, const char *demo, int prefix)
{
	char a[256], b[256];
	fold_text(dgfip ? dgfip : "", a, sizeof(a));
	fold_text(demo, b, sizeof(b));
	size_t n = strlen(b);
	if (prefix ? strncmp(a, b, n) != 0 || (a[n] && a[n] != ' ') : strcmp(a, b) != 0)
		fail_msg("DGFiP « %s » does not match the demonstration's « %s »", a, b);
}

/* The declarant `n` of every situation of household h matches person p:
 * names and the known parts of the birth date. */
static void assert_declarant(json_t *h, int n, const struct demo_person *p)
{
	char key[32], date[11];
	const char *year;
	json_t *entry;
	json_object_foreach(json_object_get(h, "annees"), year, entry)
	{
		json_t *s = json_object_get(entry, "situation");
		if (!s)
			continue;
		snprintf(key, sizeof(key), "nmNaiDec%d", n);
		assert_folded(json_string_value(json_object_get(s, key)), p->nom, 0);
		snprintf(key, sizeof(key), "prnmDec%d", n);
		assert_folded(json_string_value(json_object_get(s, key)), p->prenom, 1);
		snprintf(key, sizeof(key), "nmUsaDec%d", n);
		if (p->nom_usage)
			assert_folded(json_string_value(json_object_get(s, key)), p->nom_usage, 0);
		snprintf(key, sizeof(key), "dateNaisDec%d", n);
		json_t *dn = json_object_get(s, key);
		snprintf(date, sizeof(date), "%s-%s-%s",
		         json_string_value(json_object_get(dn, "annee")),
		         json_string_value(json_object_get(dn, "mois")),
		         json_string_value(json_object_get(dn, "jour")));
		/* the year always, the month and the day when the CCAS knows them */
		int same = strncmp(date, p->naissance, 4) == 0 &&
		           (strncmp(p->naissance + 5, "00", 2) == 0 ||
		            strncmp(date + 5, p->naissance + 5, 2) == 0) &&
		           (strncmp(p->naissance + 8, "00", 2) == 0 ||
		            strncmp(date + 8, p->naissance + 8, 2) == 0);
		if (!same)
			fail_msg("%s: born %s, DGFiP %s", p->nom, p->naissance, date);
	}
}

static void demo_households_present(void **state)
{
	assert_int_equal((size_t)demo_spis_count, demo_households_count);
	for (int i = 0; i < demo_spis_count; i++) {
		const struct demo_person *m = demo_households[i].members;
		json_t *h = household_of(demo_spis[i][0]);
		if (!h)
			fail_msg("no household file for the demonstration's %s", m[0].nom);
		assert_declarant(h, 1, &m[0]);
		if (demo_spis[i][1]) {
			json_t *h2 = household_of(demo_spis[i][1]);
			assert_true(json_equal(h, h2));
			json_decref(h2);
			assert_string_equal(m[1].relation, "conjoint");
			assert_declarant(h, 2, &m[1]);
		}
		json_decref(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(years),
	    cmocka_unit_test(parse_household),
	    cmocka_unit_test(parse_errors),
	    cmocka_unit_test(answers_by_year),
	    cmocka_unit_test(answers_deuxans),
	    cmocka_unit_test(answers_unknown_and_override),
	    cmocka_unit_test(hab_filtering),
	    cmocka_unit_test(hab_names),
	    cmocka_unit_test(token_scopes),
	    cmocka_unit_test(uuid),
	    cmocka_unit_test(check_order),
	    cmocka_unit_test(project_files_read),
	    cmocka_unit_test(demo_households_present),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
