#include <stdio.h>
#include <string.h>

#include "app/tenants.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"

static const char help[] =
    "Usage : cassis tenant add --name NOM --siret SIRET --communes CODES [--colour #rrggbb]\n"
    "        cassis tenant list\n"
    "        cassis tenant set-provider --tenant SIRET --particulier-url URL "
    "--particulier-token-file F\n"
    "Options communes : --db URL, --help.\n"
    "  --communes  codes INSEE des communes du CCAS, séparés par des virgules\n";

static void print_errors(json_t *errors)
{
	const char *field;
	json_t *msg;
	json_object_foreach(errors, field, msg)
	{
		fprintf(stderr, "  --%s : %s\n", field, json_string_value(msg));
	}
}

static int add(struct db *db, json_t *in)
{
	struct actor who;
	cli_operator(&who);
	int64_t id;
	json_t *errors;
	int rc = tenant_create(db, &who, in, &id, &errors);
	if (rc == CAS_EINVAL) {
		fprintf(stderr, "cassis tenant add : données invalides\n");
		print_errors(errors);
		json_decref(errors);
		return EXIT_USAGE;
	}
	if (rc != 0) {
		fprintf(stderr, "cassis tenant add : échec (%s)\n", cas_err_name(rc));
		return 1;
	}
	printf("CCAS créé, identifiant %lld\n", (long long)id);
	return 0;
}

static int list(struct db *db)
{
	struct actor who;
	cli_operator(&who);
	int rc;
	json_t *rows = tenant_list(db, &who, &rc);
	if (!rows)
		return 1;
	size_t i;
	json_t *t;
	printf("%-4s %-14s %-40s %s\n", "id", "siret", "nom", "communes");
	json_array_foreach(rows, i, t)
	{
		printf("%-4lld %-14s %-40s %s\n",
		       (long long)json_integer_value(json_object_get(t, "id")),
		       json_string_value(json_object_get(t, "siret")),
		       json_string_value(json_object_get(t, "name")),
		       json_string_value(json_object_get(t, "communes")));
	}
	json_decref(rows);
	return 0;
}

int cmd_tenant(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"siret", required_argument, NULL, 's'},
	                                     {"communes", required_argument, NULL, 'c'},
	                                     {"colour", required_argument, NULL, 'k'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "set-provider") == 0)
		return cmd_tenant_set_provider(argc - 1, argv + 1);
	if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0)
		return cli_usage_error("tenant", "sous-commande inconnue (add, list)");
	json_t *in = json_object();
	int opt, rc = 0;
	opterr = 0;
	optind = 2;
	while (rc == 0 && (opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': cli_db_url = optarg; break;
		case 'n': json_object_set_new(in, "name", json_string(optarg)); break;
		case 's': json_object_set_new(in, "siret", json_string(optarg)); break;
		case 'c': json_object_set_new(in, "communes", json_string(optarg)); break;
		case 'k': json_object_set_new(in, "colour", json_string(optarg)); break;
		case 'h':
			fputs(help, stdout);
			rc = -1;
			break;
		default:
			rc = cli_usage_error("tenant", "option inconnue ou valeur manquante");
			break;
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage_error("tenant", "argument inattendu");
	struct db *db = NULL;
	if (rc == 0 && cli_open_db(&db) != 0)
		rc = 1;
	if (rc == 0)
		rc = strcmp(sub, "add") == 0 ? add(db, in) : list(db);
	db_close(db);
	json_decref(in);
	return rc < 0 ? 0 : rc;
}
