/* cassis aid: the aid catalogue of a CCAS from the command line.
 *
 *   cassis aid import --tenant SIRET FICHIER...   imports aid types (the
 *                                                 format of examples/aides)
 *   cassis aid export --tenant SIRET CODE         prints an aid type
 *   cassis aid list --tenant SIRET                lists the catalogue
 *
 * and the database side of `cassis simulate --aid CODE --tenant SIRET`
 * (cli_simulate_aid). Every change is audited as the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/aid_rules.h"
#include "app/aid_types.h"
#include "app/simulate.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/aid_type_store.h"
#include "store/db.h"
#include "store/tenant_store.h"

static const char help[] =
    "Usage : cassis aid import --tenant SIRET FICHIER...\n"
    "        cassis aid export --tenant SIRET CODE\n"
    "        cassis aid list --tenant SIRET\n"
    "Importe des types d'aide et leurs versions datées de la règle (format des fichiers\n"
    "de examples/aides, décrit dans docs/rules.md), affiche une aide au même format, ou\n"
    "liste le catalogue du CCAS. Options communes : --db URL, --help.\n"
    "Sortie : 0 réussite, 1 fichier refusé ou aide inconnue, 2 mauvais usage.\n";

struct args {
	const char *tenant;
	int first; /* index of the first operand */
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"tenant", required_argument, NULL, 't'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int opt;
	opterr = 0;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': cli_db_url = optarg; break;
		case 't': a->tenant = optarg; break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("aid", "option inconnue ou valeur manquante");
		}
	}
	if (!a->tenant)
		return cli_usage_error("aid", "indiquez le CCAS : --tenant SIRET");
	a->first = optind;
	return 0;
}

/* The command line acting in the CCAS whose SIRET is given; 1 after
 * printing why when there is none. */
static int tenant_actor(struct db *db, const char *siret, struct actor *who)
{
	int rc;
	cli_operator(who);
	json_t *t = tenant_store_by_siret(db, siret, &rc);
	if (!t) {
		fprintf(stderr, "cassis: aucun CCAS n'a le SIRET « %s »\n", siret);
		return 1;
	}
	who->tenant_id = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	return 0;
}

static void print_errors(const char *prefix, json_t *errors)
{
	const char *k;
	json_t *m;
	json_object_foreach(errors, k, m)
	{
		fprintf(stderr, "%s  %s : %s\n", prefix, k, json_string_value(m));
	}
}

static int import_file(struct db *db, const struct actor *who, const char *path)
{
	json_error_t e;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!doc) {
		fprintf(stderr, "%s : JSON invalide (ligne %d, colonne %d) : %s\n", path, e.line,
		        e.column, e.text);
		return 1;
	}
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = aid_rules_import(db, who, doc, &id, &errors);
	if (rc == 0)
		printf("%s : aide « %s » importée (identifiant %lld, %zu version(s))\n", path,
		       json_string_value(json_object_get(doc, "code")), (long long)id,
		       json_array_size(json_object_get(doc, "versions")));
	else if (rc == CAS_EINVAL) {
		fprintf(stderr, "%s : refusé, rien n'est importé :\n", path);
		print_errors("", errors);
	} else
		fprintf(stderr, "%s : échec (%s)\n", path, cas_err_name(rc));
	json_decref(errors);
	json_decref(doc);
	return rc == 0 ? 0 : 1;
}

static int do_import(struct db *db, const struct actor *who, int argc, char **argv, int first)
{
	if (first >= argc)
		return cli_usage_error("aid", "indiquez au moins un fichier à importer");
	int failed = 0;
	for (int i = first; i < argc; i++)
		failed |= import_file(db, who, argv[i]);
	return failed;
}

static int do_export(struct db *db, const struct actor *who, int argc, char **argv, int first)
{
	if (first + 1 != argc)
		return cli_usage_error("aid", "indiquez le code d'une aide");
	int rc;
	json_t *t = aid_type_store_by_code(db, who->tenant_id, argv[first], &rc);
	json_t *doc =
	    t ? aid_rules_export(db, who, json_integer_value(json_object_get(t, "id")), &rc) : NULL;
	json_decref(t);
	if (!doc) {
		fprintf(stderr, "cassis aid export: aucune aide « %s » au catalogue\n",
		        argv[first]);
		return 1;
	}
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	fputc('\n', stdout);
	json_decref(doc);
	return 0;
}

static int do_list(struct db *db, const struct actor *who)
{
	int rc;
	json_t *rows = aid_type_list(db, who, 0, &rc);
	if (!rows)
		return 1;
	size_t i;
	json_t *a;
	json_array_foreach(rows, i, a)
	{
		printf("%-40s %s%s\n", json_string_value(json_object_get(a, "code")),
		       json_string_value(json_object_get(a, "label")),
		       json_integer_value(json_object_get(a, "active")) ? "" : " (désactivée)");
	}
	json_decref(rows);
	return 0;
}

int cmd_aid(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "import") != 0 && strcmp(sub, "export") != 0 && strcmp(sub, "list") != 0)
		return cli_usage_error("aid", "sous-commande inconnue (import, export, list)");
	struct args a = {0};
	int rc = parse(argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	struct db *db;
	if (cli_open_db(&db) != 0)
		return 1;
	struct actor who;
	rc = tenant_actor(db, a.tenant, &who);
	if (rc == 0 && strcmp(sub, "import") == 0)
		rc = do_import(db, &who, argc, argv, a.first);
	else if (rc == 0 && strcmp(sub, "export") == 0)
		rc = do_export(db, &who, argc, argv, a.first);
	else if (rc == 0)
		rc = a.first < argc ? cli_usage_error("aid", "argument inattendu")
		                    : do_list(db, &who);
	db_close(db);
	return rc;
}

int cli_simulate_aid(const char *code, const char *siret, const char *input, const char *date)
{
	if (!siret)
		return cli_usage_error("simulate", "avec --aid, indiquez le CCAS : --tenant SIRET");
	json_error_t e;
	json_t *situation = strcmp(input, "-") == 0
	                        ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &e)
	                        : json_load_file(input, JSON_REJECT_DUPLICATES, &e);
	if (!situation) {
		fprintf(stderr,
		        "cassis simulate: « %s » n'est pas du JSON valide (ligne %d, colonne %d)\n",
		        input, e.line, e.column);
		return 1;
	}
	struct db *db;
	if (cli_open_db(&db) != 0) {
		json_decref(situation);
		return 1;
	}
	struct actor who;
	int rc = tenant_actor(db, siret, &who);
	json_t *in =
	    json_pack("{s:s, s:o, s:s?}", "aide_code", code, "situation", situation, "date", date);
	json_t *out = NULL, *errors = NULL;
	if (rc == 0)
		rc = simulation_run(db, &who, in, &out, &errors, NULL);
	if (rc == 0) {
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else if (rc == CAS_EINVAL) {
		fputs("cassis simulate: simulation impossible :\n", stderr);
		print_errors("", errors);
	} else if (rc != 1) {
		fprintf(stderr, "cassis simulate: échec (%s)\n", cas_err_name(rc));
	}
	json_decref(out);
	json_decref(errors);
	json_decref(in);
	db_close(db);
	return rc == 0 ? 0 : 1;
}
