/* cassis purge: a thin adapter over app/purge.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/purge.h"
#include "base/clock.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"

#define EXIT_STOPPED 3 /* tests: stopped on purpose (CASSIS_PURGE_STOP_AFTER / _CRASH_AT) */

static const char help[] =
    "Usage : cassis purge [--dry-run] [--db URL] [--tenant SIRET] [--batch N]\n"
    "                     [--no-vacuum] [--json]\n"
    "Efface les données personnelles dont la durée de conservation est échue\n"
    "(docs/privacy.md, « Durées de conservation et purge ») : les dossiers clôturés\n"
    "depuis la durée réglée pour leur issue et sans gel, avec leurs pièces,\n"
    "courriers, consultations, paiements et notes ; leur foyer et leurs usagers\n"
    "quand plus rien ne les retient ; les réponses des API de l'État gardées moins\n"
    "longtemps ; les fiches sans dossier inchangées depuis le délai de refus ; les\n"
    "traces de consultation de plus de 36 mois. Chaque dossier purgé laisse une\n"
    "ligne de statistiques anonyme ; chaque purge, une entrée du journal d'audit.\n"
    "Le serveur la lance chaque jour ; une purge interrompue reprend à la suivante.\n"
    "  --dry-run       montre ce qui serait effacé, sans rien modifier\n"
    "  --tenant SIRET  ce CCAS seulement (défaut : tous)\n"
    "  --batch N       dossiers par transaction, de 1 à 1000 (défaut 100)\n"
    "  --no-vacuum     SQLite : ne pas reconstruire le fichier après la purge\n"
    "                  (les données effacées sont déjà remplacées par des zéros)\n"
    "  --json          le rapport en JSON\n"
    "Statut de sortie : 0 purge faite, 1 erreur, 2 usage incorrect.\n";

struct opts {
	const char *tenant;
	int dry_run, json, no_vacuum;
	long batch;
};

enum { OPT_DB = 1, OPT_TENANT, OPT_DRY, OPT_BATCH, OPT_NO_VACUUM, OPT_JSON, OPT_HELP };

static int set_opt(int opt, char *arg, void *ctx)
{
	struct opts *o = ctx;
	switch (opt) {
	case OPT_DB: cli_db_url = arg; return 0;
	case OPT_TENANT: o->tenant = arg; return 0;
	case OPT_DRY: o->dry_run = 1; return 0;
	case OPT_NO_VACUUM: o->no_vacuum = 1; return 0;
	case OPT_JSON: o->json = 1; return 0;
	case OPT_BATCH:
		o->batch = cli_parse_long(arg, 1, PURGE_BATCH_MAX);
		return o->batch < 0
		           ? cli_usage_error("purge", "--batch attend un nombre de 1 à 1000")
		           : 0;
	default: return cli_usage_error("purge", "option inconnue");
	}
}

static void print_counts(const json_t *counts)
{
	const char *k;
	json_t *v;
	if (!json_object_size(counts)) {
		printf("  rien à effacer.\n");
		return;
	}
	json_object_foreach((json_t *)counts, k, v)
	    printf("  %6lld %s\n", (long long)json_integer_value(v), purge_count_label(k));
}

static void print_entry(const json_t *e, int dry)
{
	printf("CCAS « %s » (SIRET %s)%s :\n", json_string_value(json_object_get(e, "name")),
	       json_string_value(json_object_get(e, "siret")),
	       json_is_true(json_object_get(e, "resumed")) ? ", reprise d'une purge interrompue"
	                                                   : "");
	print_counts(json_object_get(e, "counts"));
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(e, "dossiers"), i, d)
	    printf("    dossier %s, à purger depuis le %s\n",
	           json_string_value(json_object_get(d, "numero")),
	           json_string_value(json_object_get(d, "purge_le")));
	json_t *run = json_object_get(e, "run");
	if (!dry && run)
		printf("  Purge n° %lld terminée, entrée d'audit n° %lld.\n",
		       (long long)json_integer_value(json_object_get(run, "id")),
		       (long long)json_integer_value(json_object_get(run, "audit_id")));
}

static void print_report(const json_t *rep)
{
	int dry = json_is_true(json_object_get(rep, "dry_run"));
	printf("%s au %s.\n", dry ? "Simulation de purge (rien n'est modifié)" : "Purge",
	       json_string_value(json_object_get(rep, "date")));
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(rep, "ccas"), i, e) print_entry(e, dry);
	json_t *f = json_object_get(rep, "file");
	if (json_is_true(json_object_get(f, "vacuum")))
		printf("Fichier reconstruit (VACUUM) en %lld ms.\n",
		       (long long)json_integer_value(json_object_get(f, "vacuum_ms")));
	if (json_is_true(json_object_get(rep, "interrupted")))
		printf("Purge interrompue : la prochaine la reprendra.\n");
}

/* The tenant of --tenant into *id (0 without it). 0, or an exit status
 * after printing why. */
static int tenant_of(struct db *db, const char *siret, int64_t *id)
{
	return cli_tenant_of(db, "purge", siret, 0, id);
}

/* Tests only (CASSIS_TEST_MODE=1): the clock of CASSIS_NOW, and a purge
 * stopped after CASSIS_PURGE_STOP_AFTER batches or ended abruptly once
 * CASSIS_PURGE_CRASH_AT dossiers were purged (inside the batch). */
static long crash_at;

static void crash(void *arg, int64_t n)
{
	(void)arg;
	if (crash_at > 0 && n >= crash_at)
		_exit(EXIT_STOPPED);
}

static void test_mode(struct purge_opts *po)
{
	const char *mode = getenv("CASSIS_TEST_MODE");
	if (!mode || strcmp(mode, "1") != 0)
		return;
	clock_set_test_mode(1);
	const char *stop = getenv("CASSIS_PURGE_STOP_AFTER");
	const char *at = getenv("CASSIS_PURGE_CRASH_AT");
	po->stop_after = stop ? (int)cli_parse_long(stop, 1, 1000000) : 0;
	crash_at = at ? cli_parse_long(at, 1, 1000000) : 0;
	if (crash_at > 0)
		po->after_dossier = crash;
}

static int run(const struct opts *o)
{
	struct db *db;
	if (cli_open_db(&db) != 0)
		return 1;
	struct purge_opts po = {.dry_run = o->dry_run,
	                        .batch = (int)o->batch,
	                        .no_vacuum = o->no_vacuum,
	                        .by = "cassis purge"};
	test_mode(&po);
	int status = tenant_of(db, o->tenant, &po.tenant_id);
	json_t *rep = NULL;
	if (status == 0) {
		struct actor who;
		cli_operator(&who);
		int rc = purge_run(db, &who, clock_now(), &po, &rep);
		if (rc != 0) {
			fprintf(stderr,
			        "cassis purge : la purge s'est arrêtée (%s) ; ce qui est fait "
			        "reste fait, la prochaine purge reprendra.\n",
			        cas_err_name(rc));
			status = 1;
		}
	}
	if (rep && o->json)
		cli_print_json(stdout, rep, JSON_INDENT(2));
	else if (rep)
		print_report(rep);
	if (status == 0 && json_is_true(json_object_get(rep, "interrupted")))
		status = EXIT_STOPPED;
	json_decref(rep);
	db_close(db);
	return status;
}

int cmd_purge(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, OPT_DB},
	                                     {"tenant", required_argument, NULL, OPT_TENANT},
	                                     {"dry-run", no_argument, NULL, OPT_DRY},
	                                     {"batch", required_argument, NULL, OPT_BATCH},
	                                     {"no-vacuum", no_argument, NULL, OPT_NO_VACUUM},
	                                     {"json", no_argument, NULL, OPT_JSON},
	                                     {"help", no_argument, NULL, OPT_HELP},
	                                     {NULL, 0, NULL, 0}};
	struct opts o = {0};
	struct cli_options co = {"purge", help, opts, OPT_HELP, set_opt};
	int rc = cli_parse_options(&co, argc, argv, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	return run(&o);
}
