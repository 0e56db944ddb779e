#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "cli/cli.h"
#include "jobs/scheduler.h"
#include "store/db.h"
#include "web/page.h"
#include "web/server.h"

static const char help[] =
    "Usage : cassis serve [OPTIONS]\n"
    "Démarre le serveur HTTP de Cassis (migrations appliquées au démarrage).\n\n"
    "  --db URL            base de données (CASSIS_DB ; défaut sqlite:var/cassis.db)\n"
    "  --host ADRESSE      adresse d'écoute IPv4 (CASSIS_HOST ; défaut 127.0.0.1)\n"
    "  --port N            port (CASSIS_PORT ; défaut 8080)\n"
    "  --threads N         fils de traitement (CASSIS_THREADS ; défaut : quatre par cœur)\n"
    "  --secure-cookies    cookies « Secure », derrière un proxy TLS (CASSIS_SECURE_COOKIES=1)\n"
    "  --log-level NIVEAU  debug, info, warn, error (CASSIS_LOG_LEVEL ; défaut info)\n"
    "  --api-rate N        requêtes par minute et par clé API, tous processus confondus\n"
    "                      (CASSIS_API_RATE ; défaut 600 ; 0 : sans limite)\n"
    "  --job-tick N        secondes entre deux passages des tâches de fond\n"
    "                      (CASSIS_JOB_TICK ; défaut 30 ; au moins 1)\n"
    "  --test-mode         mode test : l'horloge suit CASSIS_NOW (CASSIS_TEST_MODE=1)\n"
    "  --signing-key FICHIER  clé Ed25519 des preuves de consultation (CASSIS_SIGNING_KEY ;\n"
    "                      défaut cassis-signing.key à côté de la base SQLite, sinon\n"
    "                      var/cassis-signing.key ; créée en mode 0600 si elle manque)\n"
    "  --data-key FICHIER  trousseau des clés de chiffrement des données (CASSIS_DATA_KEY ;\n"
    "                      défaut cassis-data.key à côté de la base SQLite, sinon\n"
    "                      var/cassis-data.key ; créé en mode 0600 s'il manque et que la\n"
    "                      base n'a encore rien de chiffré ; le démarrage est refusé si\n"
    "                      une clé de la base y manque)\n"
    "  --upload-max N      taille maximale d'une pièce justificative, en Mo\n"
    "                      (CASSIS_UPLOAD_MAX ; défaut 10 ; de 1 à 100)\n"
    "  --help              cette aide\n";

enum { OPT_DB = 1, OPT_HOST, OPT_PORT, OPT_THREADS, OPT_SECURE, OPT_LOG, OPT_TEST, OPT_HELP };
enum { OPT_API_RATE = OPT_HELP + 1, OPT_JOB_TICK };
enum { OPT_SIGNING_KEY = OPT_JOB_TICK + 1 };
enum { OPT_UPLOAD_MAX = OPT_SIGNING_KEY + 1 };
enum { OPT_DATA_KEY = OPT_UPLOAD_MAX + 1 };

static const char *signing_key;

static int job_tick = SCHEDULER_TICK_DEFAULT;

static const struct option options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"host", required_argument, NULL, OPT_HOST},
    {"port", required_argument, NULL, OPT_PORT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"secure-cookies", no_argument, NULL, OPT_SECURE},
    {"log-level", required_argument, NULL, OPT_LOG},
    {"test-mode", no_argument, NULL, OPT_TEST},
    {"help", no_argument, NULL, OPT_HELP},
    {"api-rate", required_argument, NULL, OPT_API_RATE},
    {"job-tick", required_argument, NULL, OPT_JOB_TICK},
    {"signing-key", required_argument, NULL, OPT_SIGNING_KEY},
    {"upload-max", required_argument, NULL, OPT_UPLOAD_MAX},
    {"data-key", required_argument, NULL, OPT_DATA_KEY},
    {NULL, 0, NULL, 0},
};

static int env_flag(const char *name)
{
	const char *v = getenv(name);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

/* Values from the environment first; flags override them. */
static int apply(int opt, const char *arg)
{
	long v;
	enum log_level lvl;
	switch (opt) {
	case OPT_DB: cli_db_url = arg; return 0;
	case OPT_HOST: server_cfg.host = arg; return 0;
	case OPT_PORT:
		if ((v = cli_parse_long(arg, 1, 65535)) < 0)
			return cli_usage_error("serve", "le port doit être un nombre de 1 à 65535");
		server_cfg.port = (int)v;
		return 0;
	case OPT_THREADS:
		if ((v = cli_parse_long(arg, 1, 256)) < 0)
			return cli_usage_error("serve", "--threads attend un nombre de 1 à 256");
		server_cfg.threads = (int)v;
		return 0;
	case OPT_API_RATE:
		if ((v = cli_parse_long(arg, 0, 1000000)) < 0)
			return cli_usage_error("serve",
			                       "--api-rate attend un nombre de 0 à 1000000");
		server_cfg.api_rate = (int)v;
		return 0;
	case OPT_JOB_TICK:
		if ((v = cli_parse_long(arg, 1, 86400)) < 0)
			return cli_usage_error(
			    "serve", "--job-tick attend un nombre de secondes de 1 à 86400");
		job_tick = (int)v;
		return 0;
	case OPT_SIGNING_KEY: signing_key = arg; return 0;
	case OPT_DATA_KEY: cli_data_key = arg; return 0;
	case OPT_UPLOAD_MAX:
		if ((v = cli_parse_long(arg, 1, 100)) < 0)
			return cli_usage_error("serve",
			                       "--upload-max attend un nombre de Mo de 1 à 100");
		server_cfg.upload_max = (size_t)v * 1024 * 1024;
		return 0;
	case OPT_SECURE: server_cfg.secure_cookies = 1; return 0;
	case OPT_TEST: server_cfg.test_mode = 1; return 0;
	case OPT_LOG:
		if (log_level_parse(arg, &lvl) != 0)
			return cli_usage_error(
			    "serve", "niveau de journal inconnu (debug, info, warn, error)");
		log_set_level(lvl);
		return 0;
	}
	return 0;
}

static int from_env(void)
{
	static const struct {
		const char *env;
		int opt;
	} vars[] = {
	    {"CASSIS_HOST", OPT_HOST},
	    {"CASSIS_PORT", OPT_PORT},
	    {"CASSIS_THREADS", OPT_THREADS},
	    {"CASSIS_LOG_LEVEL", OPT_LOG},
	    {"CASSIS_API_RATE", OPT_API_RATE},
	    {"CASSIS_JOB_TICK", OPT_JOB_TICK},
	    {"CASSIS_UPLOAD_MAX", OPT_UPLOAD_MAX},
	};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i].env);
		if (v && *v && apply(vars[i].opt, v) != 0)
			return EXIT_USAGE;
	}
	if (getenv("CASSIS_SIGNING_KEY") && *getenv("CASSIS_SIGNING_KEY"))
		signing_key = getenv("CASSIS_SIGNING_KEY");
	server_cfg.secure_cookies = env_flag("CASSIS_SECURE_COOKIES");
	server_cfg.test_mode = env_flag("CASSIS_TEST_MODE");
	return 0;
}

static int parse(int argc, char **argv)
{
	int opt;
	if (from_env() != 0)
		return EXIT_USAGE;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == OPT_HELP) {
			fputs(help, stdout);
			return -1;
		}
		if (opt == '?')
			return cli_usage_error("serve", "option inconnue ou valeur manquante");
		if (apply(opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_usage_error("serve", "argument inattendu");
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	int rc = parse(argc, argv);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (clock_set_test_mode(server_cfg.test_mode) != 0)
		return cli_usage_error("serve",
		                       "CASSIS_NOW illisible (attendu : 2028-01-31T10:00:00Z, "
		                       "un nombre de secondes, ou @FICHIER)");
	struct db *db;
	cli_data_key_mode = CLI_DATA_KEY_STRICT; /* the data key ring: refused, not skipped */
	if (cli_open_db(&db) != 0)
		return 1;
	db_close(db);
	server_cfg.db_url = cli_db_url;
	if (cli_signing_key_setup(signing_key) != 0)
		return 1;
	if (page_init() != 0)
		return 1;
	if (scheduler_start(cli_db_url, job_tick) != 0) {
		page_shutdown();
		return 1;
	}
	rc = server_run();
	scheduler_stop(); /* after the requests: the job in progress, if any, finishes */
	page_shutdown();
	return rc == 0 ? 0 : 1;
}

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, OPT_DB},
	                                     {"help", no_argument, NULL, OPT_HELP},
	                                     {NULL, 0, NULL, 0}};
	int opt;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == OPT_HELP) {
			puts("Usage : cassis migrate [--db URL]\n"
			     "Applique les migrations en attente puis s'arrête.");
			return 0;
		}
		if (opt != OPT_DB)
			return cli_usage_error("migrate", "option inconnue ou valeur manquante");
		cli_db_url = optarg;
	}
	if (optind < argc)
		return cli_usage_error("migrate", "argument inattendu");
	struct db *db;
	if (cli_open_db(&db) != 0)
		return 1;
	printf("Base à jour.\n");
	db_close(db);
	return 0;
}
