/* cassis backup / cassis restore: thin adapters over app/backup.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/backup.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"

static const char backup_help[] =
    "Usage : cassis backup --to FICHIER [--db sqlite:CHEMIN] [--force]\n"
    "Copie la base SQLite dans FICHIER avec l'API de sauvegarde en ligne de SQLite,\n"
    "serveur en marche : une image cohérente de la base au début de la copie, copiée\n"
    "par petits pas, vérifiée (PRAGMA integrity_check) puis mise en place d'un coup.\n\n"
    "  --db URL      base à sauvegarder (CASSIS_DB ; défaut sqlite:var/cassis.db)\n"
    "  --to FICHIER  fichier de sauvegarde ; refusé s'il existe déjà\n"
    "  --force       remplace FICHIER s'il existe\n"
    "  --pages N     pages copiées à chaque pas (défaut 256)\n"
    "  --pause MS    pause entre deux pas, en millisecondes (défaut 5)\n"
    "  --help        cette aide\n\n"
    "Une base PostgreSQL se sauvegarde avec pg_dump (voir docs/deployment.md).\n"
    "Sortie : 0 sauvegarde écrite, 1 échec, 2 arguments invalides.\n";

static const char restore_help[] =
    "Usage : cassis restore --from FICHIER [--db sqlite:CHEMIN] [--force]\n"
    "Restaure une sauvegarde faite par « cassis backup » dans la base SQLite, puis\n"
    "applique les migrations en attente. Arrêtez d'abord les serveurs de cette base.\n"
    "FICHIER doit être une base Cassis intègre, d'une version que ce programme connaît.\n\n"
    "  --from FICHIER  la sauvegarde\n"
    "  --db URL        base à restaurer (CASSIS_DB ; défaut sqlite:var/cassis.db)\n"
    "  --force         remplace la base même si elle contient des données\n"
    "  --help          cette aide\n\n"
    "Une base PostgreSQL se restaure avec pg_restore (voir docs/deployment.md).\n"
    "Sortie : 0 base restaurée, 1 refus ou échec, 2 arguments invalides.\n";

enum { OPT_DB = 1, OPT_TO, OPT_FROM, OPT_FORCE, OPT_PAGES, OPT_PAUSE, OPT_HELP };

struct args {
	const char *file;
	int force;
	struct sqlite_pace pace;
};

/* --db, else CASSIS_DB, else the default; the path of a SQLite URL, or NULL
 * (after the message) for PostgreSQL. */
static const char *sqlite_target(const char *cmd, const char *tool)
{
	if (!cli_db_url || !*cli_db_url)
		cli_db_url = getenv("CASSIS_DB");
	if (!cli_db_url || !*cli_db_url)
		cli_db_url = "sqlite:var/cassis.db";
	if (db_url_kind(cli_db_url) == DB_POSTGRESQL) {
		fprintf(stderr,
		        "cassis %s : la base est PostgreSQL ; utilisez %s "
		        "(voir docs/deployment.md, « PostgreSQL backups »).\n",
		        cmd, tool);
		return NULL;
	}
	return strncmp(cli_db_url, "sqlite:", 7) == 0 ? cli_db_url + 7 : cli_db_url;
}

static int set_pace(int opt, const char *arg, struct sqlite_pace *pace)
{
	long v = cli_parse_long(arg, opt == OPT_PAGES ? 1 : 0, 100000);
	if (v < 0)
		return cli_usage_error("backup", opt == OPT_PAGES
		                                     ? "--pages attend un nombre de 1 à 100000"
		                                     : "--pause attend un nombre de 0 à 100000");
	*(opt == OPT_PAGES ? &pace->pages : &pace->pause_ms) = (int)v;
	return 0;
}

static int parse(const char *cmd, const char *help, int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {{"db", required_argument, NULL, OPT_DB},
	                                     {"to", required_argument, NULL, OPT_TO},
	                                     {"from", required_argument, NULL, OPT_FROM},
	                                     {"force", no_argument, NULL, OPT_FORCE},
	                                     {"pages", required_argument, NULL, OPT_PAGES},
	                                     {"pause", required_argument, NULL, OPT_PAUSE},
	                                     {"help", no_argument, NULL, OPT_HELP},
	                                     {NULL, 0, NULL, 0}};
	int backup = strcmp(cmd, "backup") == 0, opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_DB: cli_db_url = optarg; break;
		case OPT_FORCE: a->force = 1; break;
		case OPT_HELP: fputs(help, stdout); return -1;
		case OPT_TO:
		case OPT_FROM:
			if ((opt == OPT_TO) != backup)
				return cli_usage_error(cmd, "option inconnue ou valeur manquante");
			a->file = optarg;
			break;
		case OPT_PAGES:
		case OPT_PAUSE:
			if (!backup)
				return cli_usage_error(cmd, "option inconnue ou valeur manquante");
			if (set_pace(opt, optarg, &a->pace) != 0)
				return EXIT_USAGE;
			break;
		default: return cli_usage_error(cmd, "option inconnue ou valeur manquante");
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "argument inattendu");
	if (!a->file || !*a->file)
		return cli_usage_error(cmd, backup ? "--to FICHIER est obligatoire"
		                                   : "--from FICHIER est obligatoire");
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	struct args a = {.pace = {.pages = 256, .pause_ms = 5}};
	int rc = parse("backup", backup_help, argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	const char *path = sqlite_target("backup", "pg_dump");
	if (!path)
		return EXIT_USAGE;
	struct backup_result res;
	if (backup_to_file(path, a.file, a.force, &a.pace, &res) != 0) {
		fprintf(stderr, "cassis backup : %s\n", res.why);
		return 1;
	}
	printf("Sauvegarde écrite : %s (%lld octets, schéma version %d)\n", a.file,
	       (long long)res.size, res.version);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	struct args a = {0};
	int rc = parse("restore", restore_help, argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	const char *path = sqlite_target("restore", "pg_restore");
	if (!path)
		return EXIT_USAGE;
	struct backup_result res;
	if (restore_from_file(a.file, path, a.force, &res) != 0) {
		fprintf(stderr, "cassis restore : %s\n", res.why);
		return 1;
	}
	printf("Base restaurée : %s (%lld octets, schéma version %d, %d migration(s) "
	       "appliquée(s))\n",
	       path, (long long)res.size, res.version, res.applied);
	return 0;
}
