#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/perm.h"
#include "app/users.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"
#include "store/tenant_store.h"

static const char help[] =
    "Usage : cassis user add --tenant SIRET --email ADRESSE --name NOM --role RÔLE "
    "--password-file FICHIER\n"
    "        cassis user add --platform --email ADRESSE --name NOM --password-file FICHIER\n"
    "        cassis user list --tenant SIRET | --platform\n"
    "        cassis user passwd --email ADRESSE --password-file FICHIER\n"
    "Rôles : accueil, instructeur, valideur, administrateur, auditeur.\n"
    "Le mot de passe (12 caractères au moins) est lu sur la première ligne du fichier\n"
    "(« - » : l'entrée standard). Options communes : --db URL, --help.\n";

struct args {
	const char *tenant, *email, *name, *role, *password_file;
	int platform;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"tenant", required_argument, NULL, 't'},
	                                     {"email", required_argument, NULL, 'e'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"role", required_argument, NULL, 'r'},
	                                     {"password-file", required_argument, NULL, 'p'},
	                                     {"platform", no_argument, NULL, 'P'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int opt;
	opterr = 0;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': cli_db_url = optarg; break;
		case 't': a->tenant = optarg; break;
		case 'e': a->email = optarg; break;
		case 'n': a->name = optarg; break;
		case 'r': a->role = optarg; break;
		case 'p': a->password_file = optarg; break;
		case 'P': a->platform = 1; break;
		case 'h': fputs(help, stdout); return -1;
		default: return cli_usage_error("user", "option inconnue ou valeur manquante");
		}
	}
	if (optind < argc)
		return cli_usage_error("user", "argument inattendu");
	return 0;
}

/* The tenant id for --tenant SIRET, 0 for --platform, -1 when unknown. */
static int64_t tenant_id(struct db *db, const struct args *a)
{
	if (a->platform)
		return 0;
	if (!a->tenant)
		return -1;
	int rc;
	json_t *t = tenant_store_by_siret(db, a->tenant, &rc);
	int64_t id = t ? json_integer_value(json_object_get(t, "id")) : -1;
	json_decref(t);
	return id;
}

static int add(struct db *db, const struct args *a)
{
	int64_t tid = tenant_id(db, a);
	if (tid < 0)
		return cli_usage_error("user", "--tenant SIRET d'un CCAS existant, ou --platform");
	char *pw = a->password_file ? cli_read_secret(a->password_file) : NULL;
	if (!pw)
		return cli_usage_error("user", "--password-file illisible ou absent");
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s}", "email", a->email ? a->email : "", "name",
	              a->name ? a->name : "", "role",
	              a->platform ? "plateforme" : (a->role ? a->role : ""), "password", pw);
	free(pw);
	struct actor who;
	cli_operator(&who);
	int64_t id;
	json_t *errors;
	int rc = user_create(db, &who, tid, in, &id, &errors);
	json_decref(in);
	if (rc == CAS_EINVAL) {
		const char *f;
		json_t *m;
		json_object_foreach(errors, f, m)
		{
			fprintf(stderr, "  %s : %s\n", f, json_string_value(m));
		}
		json_decref(errors);
		return EXIT_USAGE;
	}
	if (rc != 0) {
		fprintf(stderr, "cassis user add : échec (%s)\n", cas_err_name(rc));
		return 1;
	}
	printf("Compte créé, identifiant %lld\n", (long long)id);
	return 0;
}

static int list(struct db *db, const struct args *a)
{
	int64_t tid = tenant_id(db, a);
	if (tid < 0)
		return cli_usage_error("user", "--tenant SIRET d'un CCAS existant, ou --platform");
	struct actor who;
	cli_operator(&who);
	int rc;
	json_t *rows = user_list(db, &who, tid, &rc);
	if (!rows)
		return 1;
	size_t i;
	json_t *u;
	json_array_foreach(rows, i, u)
	{
		printf("%-5lld %-15s %-35s %s%s\n",
		       (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "role")),
		       json_string_value(json_object_get(u, "email")),
		       json_string_value(json_object_get(u, "display_name")),
		       json_integer_value(json_object_get(u, "active")) ? "" : " (désactivé)");
	}
	json_decref(rows);
	return 0;
}

static int passwd(struct db *db, const struct args *a)
{
	char *pw = a->password_file ? cli_read_secret(a->password_file) : NULL;
	if (!pw || !a->email) {
		free(pw);
		return cli_usage_error("user", "--email et --password-file sont requis");
	}
	struct actor who;
	cli_operator(&who);
	const char *why = NULL;
	int rc = user_set_password(db, &who, a->email, pw, &why);
	free(pw);
	if (rc == CAS_EINVAL) {
		fprintf(stderr, "cassis user passwd : %s\n", why);
		return EXIT_USAGE;
	}
	if (rc != 0) {
		fprintf(stderr, "cassis user passwd : %s\n",
		        rc == CAS_ENOTFOUND ? "compte inconnu" : cas_err_name(rc));
		return 1;
	}
	printf("Mot de passe changé ; les sessions du compte sont fermées.\n");
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *sub = argv[1];
	int (*run)(struct db *, const struct args *) = strcmp(sub, "add") == 0      ? add
	                                               : strcmp(sub, "list") == 0   ? list
	                                               : strcmp(sub, "passwd") == 0 ? passwd
	                                                                            : NULL;
	if (!run)
		return cli_usage_error("user", "sous-commande inconnue (add, list, passwd)");
	struct args a = {0};
	int rc = parse(argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	struct db *db;
	if (cli_open_db(&db) != 0)
		return 1;
	rc = run(db, &a);
	db_close(db);
	return rc;
}
