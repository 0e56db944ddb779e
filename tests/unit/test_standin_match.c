/* The stand-in's matching rule (the State sandbox's: normalised call
 * parameters compared with each fixture's params) and its fixture files:
 * parsing, the folder read again when it changes, the 404.yaml fallback,
 * and every household of the demonstration found in the project's set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "cli/demo_data.h"
#include "standin/fixtures.h"
#include "standin/params.h"
#include "standin/particulier.h"
#include "standin/particulier_params.h"

static char *key_of(const char *query)
{
	/* "a=1&prenoms[]=X" without escapes, enough for these cases */
	struct sp_params p;
	sp_init(&p);
	char *copy = strdup(query), *save = NULL;
	for (char *kv = strtok_r(copy, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		*eq = '\0';
		size_t n = strlen(kv);
		if (n > 2 && strcmp(kv + n - 2, "[]") == 0) {
			kv[n - 2] = '\0';
			sp_add_list(&p, kv, eq + 1);
		} else {
			sp_set(&p, kv, eq + 1);
		}
	}
	free(copy);
	char *key = pp_match_key(&p);
	sp_free(&p);
	return key;
}

static void assert_same_key(const char *a, const char *b)
{
	char *ka = key_of(a), *kb = key_of(b);
	assert_string_equal(ka, kb);
	free(ka);
	free(kb);
}

static void assert_other_key(const char *a, const char *b)
{
	char *ka = key_of(a), *kb = key_of(b);
	assert_string_not_equal(ka, kb);
	free(ka);
	free(kb);
}

static void lower_latin(void **state)
{
	char *s = sp_lower("ÉLOÏSE LECŒUR Ÿ ÀÖØÞ Ąą ŁŃ Žž ß ABC-d'e");
	assert_string_equal(s, "éloïse lecœur ÿ àöøþ ąą łń žž ß abc-d'e");
	free(s);
	s = sp_plain_apostrophes("N’Diaye");
	assert_string_equal(s, "N'Diaye");
	free(s);
}

static void key_is_canonical(void **state)
{
	char *k = key_of("sexeEtatCivil=F&nomNaissance=MARTIN&prenoms[]=AXELLE&prenoms[]=Jean "
	                 "Luc&anneeDateNaissance=1989&codeCogInseePaysNaissance=99100&"
	                 "codeCogInseeCommuneNaissance=35238&recipient=13002526500013&foo=bar");
	assert_string_equal(k, "anneeDateNaissance=1989&codeCogInseeCommuneNaissance=35238&"
	                       "codeCogInseePaysNaissance=99100&nomNaissance=martin&"
	                       "prenoms%5B%5D=axelle&prenoms%5B%5D=jean+luc&sexeEtatCivil=f");
	free(k);
}

static void key_normalises(void **state)
{
	/* case and accents in upper case, typographic apostrophes */
	assert_same_key("nomNaissance=N’DIAYE&prenoms[]=GÉRÔME&sexeEtatCivil=F",
	                "nomNaissance=n'diaye&prenoms[]=gérôme&sexeEtatCivil=f");
	/* accents are not folded away */
	assert_other_key("nomNaissance=GEROME", "nomNaissance=GÉRÔME");
	/* date parts are numbers; 0 and empty values dropped */
	assert_same_key("nomNaissance=A&anneeDateNaissance=1987&moisDateNaissance=06&"
	                "jourDateNaissance=0&nomUsage=",
	                "nomNaissance=A&anneeDateNaissance=1987&moisDateNaissance=6");
	/* a month without a year, a day without a month: ignored */
	assert_same_key("nomNaissance=A&moisDateNaissance=6&jourDateNaissance=3", "nomNaissance=A");
	assert_same_key("nomNaissance=A&anneeDateNaissance=1990&jourDateNaissance=3",
	                "nomNaissance=A&anneeDateNaissance=1990");
	/* the commune code counts only for people born in France */
	assert_same_key("nomNaissance=A&codeCogInseePaysNaissance=99404&"
	                "codeCogInseeCommuneNaissance=35238",
	                "nomNaissance=A&codeCogInseePaysNaissance=99404");
	assert_other_key("nomNaissance=A&codeCogInseePaysNaissance=99100&"
	                 "codeCogInseeCommuneNaissance=35238",
	                 "nomNaissance=A&codeCogInseePaysNaissance=99100");
	/* the order of the first names matters, the period counts */
	assert_other_key("prenoms[]=A&prenoms[]=B", "prenoms[]=B&prenoms[]=A");
	assert_other_key("nomNaissance=A&annee=2026&mois=5", "nomNaissance=A");
	assert_same_key("nomNaissance=A&annee=2026&mois=05", "nomNaissance=A&mois=5&annee=2026");
}

static char *fixture_key(const struct sp_params *p)
{
	return pp_match_key(p);
}

static const char good_fixture[] = "---\n"
                                   "description: |-\n"
                                   "  ## Un cas\n"
                                   "params:\n"
                                   "  nomNaissance: 'MARTIN'\n"
                                   "  nomUsage: ~\n"
                                   "  prenoms:\n"
                                   "    - 'AXELLE'\n"
                                   "  anneeDateNaissance: 1989\n"
                                   "  codeCogInseePaysNaissance: '99100'\n"
                                   "  codeCogInseeCommuneNaissance: '08480'\n"
                                   "status: 200\n"
                                   "payload: |-\n"
                                   "  {\"data\": {\"x\": 1}}\n";

static void parse_fixture(void **state)
{
	struct fixture fx;
	char err[256] = "";
	assert_int_equal(
	    fixture_parse(good_fixture, strlen(good_fixture), fixture_key, &fx, err, sizeof(err)),
	    0);
	assert_int_equal(fx.status, 200);
	assert_string_equal(fx.payload, "{\"data\": {\"x\": 1}}");
	assert_string_equal(fx.key, "anneeDateNaissance=1989&codeCogInseeCommuneNaissance=08480&"
	                            "codeCogInseePaysNaissance=99100&nomNaissance=martin&"
	                            "prenoms%5B%5D=axelle");
	fixture_clear(&fx);
}

static void assert_bad_fixture(const char *text, const char *why)
{
	struct fixture fx;
	char err[256] = "";
	assert_int_equal(fixture_parse(text, strlen(text), fixture_key, &fx, err, sizeof(err)),
	                 CAS_EINVAL);
	if (!strstr(err, why))
		fail_msg("reason \"%s\" does not say \"%s\"", err, why);
}

static void reject_fixtures(void **state)
{
	assert_bad_fixture("params: [\n", "YAML invalide");
	assert_bad_fixture("- a\n- b\n", "table");
	assert_bad_fixture("status: 200\npayload: '{}'\n", "params");
	assert_bad_fixture("params: {}\nstatus: deux-cents\npayload: '{}'\n", "status");
	assert_bad_fixture("params: {}\nstatus: 200\n", "payload");
	assert_bad_fixture("params: {}\nstatus: 200\npayload: '{\"a\":'\n", "JSON");
	assert_bad_fixture("params:\n  prenoms:\n    - {a: b}\nstatus: 200\npayload: '{}'\n",
	                   "prenoms");
}

/* ---- a folder on disk --------------------------------------------------- */

static char tmpdir[256];

static void write_file(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *case_text(const char *nom, int status, const char *payload)
{
	static char text[1024];
	snprintf(text, sizeof(text),
	         "params:\n  nomNaissance: '%s'\n  codeCogInseePaysNaissance: '99100'\n"
	         "status: %d\npayload: '%s'\n",
	         nom, status, payload);
	return text;
}

static int find(struct fixture_folder *ff, const char *nom, struct fixture_hit *hit)
{
	char q[256];
	snprintf(q, sizeof(q), "nomNaissance=%s&codeCogInseePaysNaissance=99100", nom);
	char *key = key_of(q);
	int rc = fixture_folder_find(ff, key, hit);
	free(key);
	return rc;
}

static void folder_reloads(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cassis-standin-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	write_file("200-a.yaml", case_text("Alpha", 200, "{\"v\":1}"));
	write_file("notes.txt", "not a fixture");
	struct fixture_folder *ff = fixture_folder_open(tmpdir, fixture_key);
	struct fixture_hit hit;
	assert_int_equal(fixture_folder_count(ff), 1);
	assert_int_equal(find(ff, "ALPHA", &hit), 0);
	assert_int_equal(hit.status, 200);
	assert_string_equal(hit.file, "200-a.yaml");
	assert_int_equal(hit.fallback, 0);
	free(hit.payload);
	/* no match and no 404.yaml */
	assert_int_equal(find(ff, "Beta", &hit), CAS_ENOTFOUND);
	/* a case dropped in the folder, and the fallback */
	write_file("200-b.yml", case_text("Beta", 200, "{\"v\":2}"));
	write_file("404.yaml", case_text("Zzz", 404, "{\"errors\":[]}"));
	write_file("broken.yaml", "params: [");
	assert_int_equal(find(ff, "beta", &hit), 0);
	assert_string_equal(hit.payload, "{\"v\":2}");
	free(hit.payload);
	assert_int_equal(find(ff, "Gamma", &hit), 0);
	assert_int_equal(hit.status, 404);
	assert_int_equal(hit.fallback, 1);
	assert_string_equal(hit.file, "404.yaml");
	free(hit.payload);
	assert_int_equal(fixture_folder_count(ff), 3);
	/* an edited case */
	write_file("200-b.yml", case_text("Beta", 200, "{\"v\":33}"));
	assert_int_equal(find(ff, "beta", &hit), 0);
	assert_string_equal(hit.payload, "{\"v\":33}");
	free(hit.payload);
	/* a removed one */
	char path[512];
	snprintf(path, sizeof(path), "%s/200-a.yaml", tmpdir);
	unlink(path);
	assert_int_equal(find(ff, "Alpha", &hit), 0);
	assert_int_equal(hit.fallback, 1);
	free(hit.payload);
	fixture_folder_close(ff);
	const char *names[] = {"200-b.yml", "404.yaml", "broken.yaml", "notes.txt"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

/* ---- the demonstration's households ------------------------------------ */

/* What a correct client sends for a person: the état civil as stored, the
 * ligature œ written "oe" (API Particulier refuses it). */
static char *client_name(const char *s)
{
	char *out = calloc(1, strlen(s) * 2 + 1);
	for (const char *p = s; *p; p++) {
		if (strncmp(p, "œ", 2) == 0 || strncmp(p, "Œ", 2) == 0) {
			strncat(out, p[1] == '\x93' ? "oe" : "OE", 3);
			p++;
		} else {
			strncat(out, p, 1);
		}
	}
	return out;
}

static void demo_params(const struct demo_person *d, struct sp_params *q)
{
	int y = 0, m = 0, day = 0;
	char num[8];
	sscanf(d->naissance, "%d-%d-%d", &y, &m, &day);
	sp_init(q);
	char *nom = client_name(d->nom);
	sp_set(q, "nomNaissance", nom);
	free(nom);
	if (d->nom_usage)
		sp_set(q, "nomUsage", d->nom_usage);
	sp_add_list(q, "prenoms", d->prenom);
	if (d->prenom2)
		sp_add_list(q, "prenoms", d->prenom2);
	const int parts[3] = {y, m, day};
	const char *names[3] = {"anneeDateNaissance", "moisDateNaissance", "jourDateNaissance"};
	for (int i = 0; i < 3 && parts[i]; i++) {
		snprintf(num, sizeof(num), "%d", parts[i]);
		sp_set(q, names[i], num);
	}
	sp_set(q, "sexeEtatCivil", d->sexe);
	sp_set(q, "codeCogInseePaysNaissance", d->pays ? d->pays : "99100");
	if (!d->pays)
		sp_set(q, "codeCogInseeCommuneNaissance", d->commune_naissance);
}

static void demo_households_found(void **state)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/%s", STANDIN_FIXTURES, PARTICULIER_QF_OPERATION);
	struct fixture_folder *ff = fixture_folder_open(dir, fixture_key);
	for (size_t i = 0; i < demo_households_count; i++) {
		const struct demo_person *d = &demo_households[i].members[0];
		struct sp_params q;
		const struct pp_error *errs[8];
		struct fixture_hit hit;
		demo_params(d, &q);
		if (pp_validate(&q, 2026, 11, 26, errs, 8) != 0)
			fail_msg("demo person %s %s: rejected with %s", d->prenom, d->nom,
			         errs[0]->code);
		char *key = pp_match_key(&q);
		assert_int_equal(fixture_folder_find(ff, key, &hit), 0);
		if (hit.fallback || hit.status != 200)
			fail_msg("demo person %s %s has no fixture (answered by %s)", d->prenom,
			         d->nom, hit.file);
		if (!strstr(hit.payload, d->naissance) && !strstr(hit.payload, "\"allocataires\""))
			fail_msg("fixture %s has no allocataire", hit.file);
		free(hit.payload);
		free(key);
		sp_free(&q);
	}
	fixture_folder_close(ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lower_latin),           cmocka_unit_test(key_is_canonical),
	    cmocka_unit_test(key_normalises),        cmocka_unit_test(parse_fixture),
	    cmocka_unit_test(reject_fixtures),       cmocka_unit_test(folder_reloads),
	    cmocka_unit_test(demo_households_found),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
