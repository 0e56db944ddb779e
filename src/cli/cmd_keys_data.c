/* The data key ring (encryption at rest, base/seal.h): loaded for every
 * command that opens the database (cli_open_db), strictly for cassis
 * serve; and the commands cassis keys init-data, rotate, retire, status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/data_keys.h"
#include "base/err.h"
#include "base/log.h"
#include "base/seal.h"
#include "cli/cli.h"
#include "store/db.h"
#include "store/sealed_store.h"

const char *cli_data_key;
enum cli_data_key_mode cli_data_key_mode = CLI_DATA_KEY_SOFT;

/* --data-key, else CASSIS_DATA_KEY, else cassis-data.key next to the
 * SQLite database, else var/cassis-data.key (var/ created). */
const char *cli_data_key_path(char *buf, size_t size)
{
	const char *env = getenv("CASSIS_DATA_KEY");
	if (cli_data_key && *cli_data_key)
		return cli_data_key;
	if (env && *env)
		return env;
	const char *url = cli_db_url ? cli_db_url : "";
	const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	const char *slash = strrchr(path, '/');
	if (db_url_kind(url) == DB_SQLITE && slash) {
		snprintf(buf, size, "%.*s/cassis-data.key", (int)(slash - path), path);
	} else if (db_url_kind(url) == DB_SQLITE && *path && strcmp(path, ":memory:") != 0) {
		snprintf(buf, size, "cassis-data.key");
	} else {
		mkdir("var", 0700);
		snprintf(buf, size, "var/cassis-data.key");
	}
	return buf;
}

static const char *who_says(void)
{
	return cli_data_key_mode == CLI_DATA_KEY_STRICT ? "cassis serve" : "cassis";
}

/* A missing ring file: created when the database uses no key yet. */
static int create_ring(struct db *db, const char *path, int *created)
{
	struct seal_ring ring;
	int used = data_keys_in_use(db);
	if (used != 0) {
		fprintf(stderr,
		        "%s : le trousseau des clés de chiffrement des données %s est introuvable, "
		        "alors que la base contient des données chiffrées.\n"
		        "Indiquez-le avec --data-key (ou CASSIS_DATA_KEY) ; sans lui, ces données "
		        "sont illisibles.\n",
		        who_says(), path);
		return 1;
	}
	int rc = seal_ring_create(path, &ring);
	seal_ring_wipe(&ring);
	if (rc != 0 && rc != CAS_ECONFLICT) { /* ECONFLICT: another process made it: read it */
		fprintf(stderr,
		        "%s : impossible de créer la clé de chiffrement des données %s (%s).\n",
		        who_says(), path, strerror(errno));
		return 1;
	}
	*created = rc == 0;
	return 0;
}

static int load_ring(struct db *db, const char *path, int *created)
{
	*created = 0;
	int rc = seal_load(path);
	if (rc == CAS_ENOTFOUND) {
		if (create_ring(db, path, created) != 0)
			return 1;
		rc = seal_load(path);
	}
	if (rc != 0) {
		fprintf(stderr,
		        "%s : trousseau des clés de chiffrement des données illisible (%s : %s).\n",
		        who_says(), path,
		        rc == CAS_EINVAL ? "ce n'est pas un trousseau de clés Cassis"
		                         : strerror(errno));
		return 1;
	}
	return 0;
}

/* The ring against the keys the database needs. */
static int check_ring(struct db *db, const char *path)
{
	struct seal_ring ring;
	char missing[256];
	seal_ring_get(&ring);
	int rc = data_keys_check(db, &ring, missing, sizeof(missing));
	if (rc == CAS_EAUTH)
		fprintf(
		    stderr,
		    "%s : mauvaise clé de chiffrement des données. Le trousseau %s (clé %s) "
		    "ne contient pas la clé %s, qui a chiffré des données de cette base.\n"
		    "Indiquez le bon trousseau avec --data-key (ou CASSIS_DATA_KEY) ; sans lui, "
		    "ces données sont illisibles.\n",
		    who_says(), path, ring.keys[0].id_hex, missing);
	else if (rc != 0)
		fprintf(stderr, "%s : lecture des clés de la base impossible (%s).\n", who_says(),
		        cas_err_name(rc));
	seal_ring_wipe(&ring);
	return rc == 0 ? 0 : 1;
}

int cli_data_key_setup(struct db *db)
{
	char buf[4096], id[SEAL_ID_HEX];
	int created;
	if (cli_data_key_mode == CLI_DATA_KEY_NONE)
		return 0;
	const char *path = cli_data_key_path(buf, sizeof(buf));
	if (load_ring(db, path, &created) != 0 || check_ring(db, path) != 0) {
		seal_unload(); /* never seal under a key the database does not expect */
		if (cli_data_key_mode == CLI_DATA_KEY_STRICT)
			return 1;
		fprintf(stderr,
		        "%s : attention, les données chiffrées ne seront ni lues ni écrites "
		        "par cette commande.\n",
		        who_says());
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 077))
		log_msg(LOG_WARN,
		        "data key ring %s is readable by others than its owner (chmod 600)", path);
	seal_current_id(id);
	if (cli_data_key_mode == CLI_DATA_KEY_STRICT || created)
		log_msg(LOG_INFO, "data key ring %s%s (sealing key %s)", path,
		        created ? " created" : "", id);
	return 0;
}

/* --- cassis keys init-data | rotate | retire | status --- */

static const char data_help[] =
    "Usage : cassis keys init-data --data-key FICHIER\n"
    "        cassis keys rotate --db URL --data-key FICHIER [--old-key FICHIER]\n"
    "                           [--batch N] [--wait SECONDES]\n"
    "        cassis keys retire --db URL --data-key FICHIER\n"
    "        cassis keys status --db URL [--data-key FICHIER]\n"
    "Clés de chiffrement des données (XChaCha20-Poly1305) : IBAN, réponses des API de\n"
    "l'État, notes d'instruction, pièces justificatives.\n"
    "  init-data  crée un trousseau avec une clé neuve (mode 0600 ; refuse d'écraser)\n"
    "  rotate     met une clé neuve en tête du trousseau FICHIER (celui de « cassis serve\n"
    "             --data-key » : les serveurs en marche la prennent d'eux-mêmes), puis\n"
    "             rechiffre par lots toutes les données sous cette clé, sans arrêt du\n"
    "             service. Interrompue, la même commande reprend où elle s'est arrêtée.\n"
    "             --old-key : un autre fichier qui contient les clés actuelles\n"
    "             (sinon le trousseau par défaut, ou FICHIER lui-même).\n"
    "  retire     retire du trousseau les anciennes clés qu'aucune donnée n'utilise plus\n"
    "  status     clés connues de la base, du trousseau, et données sous chaque clé\n"
    "« cassis serve » crée le trousseau au premier démarrage s'il manque (par défaut\n"
    "cassis-data.key à côté de la base SQLite, var/cassis-data.key sinon).\n"
    "Sauvegardez-le à part de la base : sans lui, les données chiffrées sont illisibles.\n";

struct data_opts {
	const char *sub, *ring, *old;
	int batch, wait;
};

int cli_keys_data_sub(const char *sub)
{
	static const char *const subs[] = {"init-data", "rotate", "retire", "status"};
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(sub, subs[i]) == 0)
			return 1;
	return 0;
}

static int set_opt(int opt, char *arg, void *ctx)
{
	struct data_opts *o = ctx;
	long v;
	switch (opt) {
	case 'd': cli_db_url = arg; return 0;
	case 'k': o->ring = arg; return 0;
	case 'o': o->old = arg; return 0;
	case 'b':
		if ((v = cli_parse_long(arg, 1, 10000)) < 0)
			return cli_usage_error("keys", "--batch attend un nombre de 1 à 10000");
		o->batch = (int)v;
		return 0;
	case 'w':
		if ((v = cli_parse_long(arg, 0, 600)) < 0)
			return cli_usage_error("keys",
			                       "--wait attend un nombre de secondes de 0 à 600");
		o->wait = (int)v;
		return 0;
	}
	return cli_usage_error("keys", "option inconnue");
}

static int init_data(const char *path)
{
	struct seal_ring ring;
	int rc = seal_ring_create(path, &ring);
	if (rc == CAS_ECONFLICT) {
		fprintf(stderr, "cassis keys init-data : %s existe déjà ; il n'est pas remplacé.\n",
		        path);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "cassis keys init-data : impossible d'écrire %s (%s).\n", path,
		        strerror(errno));
		return 1;
	}
	printf("Clé de chiffrement des données créée : %s (identifiant %s)\n", path,
	       ring.keys[0].id_hex);
	printf("Sauvegardez ce fichier à part de la base : sans lui, les données chiffrées sont "
	       "illisibles.\n");
	seal_ring_wipe(&ring);
	return 0;
}

static int open_db(struct db **db)
{
	cli_data_key_mode = CLI_DATA_KEY_NONE; /* the ring is chosen here */
	return cli_open_db(db);
}

int cmd_keys_data(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"data-key", required_argument, NULL, 'k'},
	                                     {"old-key", required_argument, NULL, 'o'},
	                                     {"batch", required_argument, NULL, 'b'},
	                                     {"wait", required_argument, NULL, 'w'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct data_opts o = {.sub = argv[1], .batch = 100, .wait = 2};
	struct cli_options co = {"keys", data_help, opts, 'h', set_opt};
	int rc = cli_parse_options(&co, argc - 1, argv + 1, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	int needs_ring = strcmp(o.sub, "status") != 0;
	if (needs_ring && !o.ring)
		return cli_usage_error("keys", "--data-key FICHIER est obligatoire");
	if (strcmp(o.sub, "init-data") == 0)
		return init_data(o.ring);
	struct db *db;
	if (open_db(&db) != 0)
		return 1;
	if (strcmp(o.sub, "rotate") == 0)
		rc = cli_keys_rotate(db, o.ring, o.old, o.batch, o.wait);
	else if (strcmp(o.sub, "retire") == 0)
		rc = cli_keys_retire(db, o.ring);
	else
		rc = cli_keys_status(db, o.ring);
	db_close(db);
	seal_unload();
	return rc;
}
