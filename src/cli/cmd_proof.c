/* cassis proof verify, cassis keys (init, public), the signing key of
 * `cassis serve`, and cassis tenant set-provider: the commands around the
 * signed consultations of State APIs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/consult_caf.h"
#include "app/consultations.h"
#include "base/err.h"
#include "base/log.h"
#include "base/proof.h"
#include "cli/cli.h"
#include "store/db.h"

/* --- the server's key --- */

/* Default key file: next to the SQLite database, else var/. */
static void default_key_path(char *out, size_t outsz)
{
	const char *url = cli_db_url;
	if (db_url_kind(url) == DB_SQLITE) {
		const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
		const char *slash = strrchr(path, '/');
		if (slash) {
			snprintf(out, outsz, "%.*s/cassis-signing.key", (int)(slash - path), path);
			return;
		}
		if (*path && strcmp(path, ":memory:") != 0) {
			snprintf(out, outsz, "cassis-signing.key");
			return;
		}
	}
	snprintf(out, outsz, "var/cassis-signing.key");
}

int cli_signing_key_setup(const char *path)
{
	char def[1024];
	struct proof_key k;
	int created = 0;
	if (!path || !*path) {
		default_key_path(def, sizeof(def));
		path = def;
		char *slash = strrchr(def, '/');
		if (slash) { /* var/ may not exist yet (PostgreSQL) */
			*slash = '\0';
			mkdir(def, 0700);
			*slash = '/';
		}
	}
	int rc = proof_key_load(path, 1, &k, &created);
	if (rc != 0) {
		fprintf(stderr,
		        "cassis serve : clé de signature des preuves illisible (%s : %s).\n"
		        "Créez-la avec « cassis keys init --signing-key %s » ou indiquez-en une "
		        "autre avec --signing-key.\n",
		        path, rc == CAS_EINVAL ? "ce n'est pas une clé Cassis" : strerror(errno),
		        path);
		return 1;
	}
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 077))
		log_msg(LOG_WARN, "signing key %s is readable by others than its owner (chmod 600)",
		        path);
	consult_set_signing_key(&k);
	proof_key_wipe(&k);
	log_msg(LOG_INFO, "signing key %s%s (id %s)", path, created ? " created" : "",
	        consult_signing_key()->key_id);
	return cli_spi_key_setup(path);
}

/* --- cassis keys --- */

static const char keys_help[] =
    "Usage : cassis keys init --signing-key FICHIER\n"
    "        cassis keys public --signing-key FICHIER\n"
    "Clé Ed25519 qui signe les preuves de consultation des API de l'État.\n"
    "  init    crée la clé (fichier en mode 0600 ; refuse d'écraser un fichier existant)\n"
    "  public  affiche la clé publique, à donner à qui vérifie les preuves\n"
    "« cassis serve » crée la clé au premier démarrage si elle manque (par défaut\n"
    "cassis-signing.key à côté de la base SQLite, var/cassis-signing.key sinon).\n"
    "Clés de chiffrement des données : cassis keys init-data | rotate | retire | status\n"
    "(« cassis keys rotate --help »).\n";

static int keys_init(const char *path)
{
	struct proof_key k;
	int rc = proof_key_create(path, &k);
	if (rc == CAS_ECONFLICT) {
		fprintf(stderr, "cassis keys init : %s existe déjà ; il n'est pas remplacé.\n",
		        path);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "cassis keys init : impossible d'écrire %s (%s).\n", path,
		        strerror(errno));
		return 1;
	}
	printf("Clé créée : %s (identifiant %s)\n", path, k.key_id);
	printf("Clé publique : ed25519-public:%s\n", k.pk_b64);
	printf("Sauvegardez ce fichier : sans lui, les nouvelles preuves seront signées par une "
	       "autre clé.\n");
	proof_key_wipe(&k);
	return 0;
}

static int keys_public(const char *path)
{
	struct proof_key k;
	int rc = proof_key_load(path, 0, &k, NULL);
	if (rc != 0) {
		fprintf(stderr, "cassis keys public : %s n'est pas une clé de signature lisible.\n",
		        path);
		return 1;
	}
	printf("# Clé publique des preuves de consultation de Cassis (identifiant %s)\n", k.key_id);
	printf("ed25519-public:%s\n", k.pk_b64);
	proof_key_wipe(&k);
	return 0;
}

int cmd_keys(int argc, char **argv)
{
	static const struct option opts[] = {{"signing-key", required_argument, NULL, 'k'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *path = NULL;
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(keys_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *sub = argv[1];
	if (cli_keys_data_sub(sub)) /* the data keys: cmd_keys_data.c */
		return cmd_keys_data(argc, argv);
	if (strcmp(sub, "init") != 0 && strcmp(sub, "public") != 0)
		return cli_usage_error("keys", "sous-commande inconnue (init, public, init-data, "
		                               "rotate, retire, status)");
	int opt;
	opterr = 0;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(keys_help, stdout);
			return 0;
		}
		if (opt != 'k')
			return cli_usage_error("keys", "option inconnue ou valeur manquante");
		path = optarg;
	}
	if (optind < argc)
		return cli_usage_error("keys", "argument inattendu");
	if (!path)
		return cli_usage_error("keys", "--signing-key FICHIER est obligatoire");
	return strcmp(sub, "init") == 0 ? keys_init(path) : keys_public(path);
}

/* --- cassis proof verify --- */

static const char proof_help[] =
    "Usage : cassis proof verify FICHIER [--public-key FICHIER]\n"
    "Vérifie une preuve de consultation (le JSON téléchargé depuis le justificatif) :\n"
    "champs signés, empreintes des paramètres et de la réponse conservée, signature\n"
    "Ed25519. Avec --public-key (la clé publique du serveur, « cassis keys public »),\n"
    "vérifie aussi que la preuve vient bien de ce serveur.\n"
    "Code de sortie : 0 preuve valide, 1 preuve altérée ou d'une autre clé, 2 usage.\n";

static json_t *read_proof(const char *path, const char **why)
{
	json_error_t e;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	if (!f) {
		*why = "fichier illisible";
		return NULL;
	}
	json_t *doc = json_loadf(f, 0, &e);
	if (f != stdin)
		fclose(f);
	if (!doc)
		*why = "ce fichier n'est pas du JSON lisible";
	return doc;
}

static int verify(const char *file, const char *pubfile)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	const char *why = NULL;
	if (pubfile && proof_public_key_read(pubfile, pk) != 0) {
		fprintf(stderr, "cassis proof verify : %s n'est pas une clé publique lisible.\n",
		        pubfile);
		return EXIT_USAGE;
	}
	json_t *doc = read_proof(file, &why);
	if (!doc) {
		fprintf(stderr, "cassis proof verify : %s : %s.\n", file, why);
		return EXIT_USAGE;
	}
	int rc = proof_verify(doc, pubfile ? pk : NULL, &why);
	if (rc == 0) {
		json_t *f = json_object_get(doc, "champs");
		printf("Preuve valide : consultation %s du %s, agent %s, SIRET %s, résultat %s.\n",
		       json_string_value(json_object_get(f, "api")),
		       json_string_value(json_object_get(f, "time")),
		       json_string_value(json_object_get(f, "agent")),
		       json_string_value(json_object_get(f, "siret")),
		       json_string_value(json_object_get(f, "result")));
		printf("Clé %s%s.\n", json_string_value(json_object_get(doc, "identifiant_cle")),
		       pubfile ? " (celle indiquée)"
		               : " : comparez-la à la clé publique du serveur (--public-key)");
	} else {
		printf("Preuve invalide : %s\n", why);
	}
	json_decref(doc);
	return rc == 0 ? 0 : 1;
}

int cmd_proof(int argc, char **argv)
{
	static const struct option opts[] = {{"public-key", required_argument, NULL, 'p'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *pubfile = NULL;
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs(proof_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (strcmp(argv[1], "verify") != 0)
		return cli_usage_error("proof", "sous-commande inconnue (verify)");
	int opt;
	opterr = 0;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(proof_help, stdout);
			return 0;
		}
		if (opt != 'p')
			return cli_usage_error("proof", "option inconnue ou valeur manquante");
		pubfile = optarg;
	}
	if (optind != argc - 1)
		return cli_usage_error("proof", "indiquez un seul fichier de preuve");
	return verify(argv[optind], pubfile);
}

/* --- cassis tenant set-provider --- */

static const char provider_help[] =
    "Usage : cassis tenant set-provider --tenant SIRET --particulier-url URL\n"
    "                                   --particulier-token-file FICHIER\n"
    "        cassis tenant set-provider --tenant SIRET --impots-url URL\n"
    "                 --impots-client-id-file FICHIER --impots-client-secret-file FICHIER\n"
    "                 [--impots-cert FICHIER --impots-key FICHIER]\n"
    "                 [--impots-id-teleservice ID]\n"
    "        cassis tenant set-provider --tenant SIRET --show\n"
    "Raccorde un CCAS à API Particulier (quotient familial CAF / MSA) :\n"
    "  --particulier-url         https://particulier.api.gouv.fr (production),\n"
    "                            https://staging.particulier.api.gouv.fr (bac à sable)\n"
    "                            ou http://127.0.0.1:8081 (simulateur local : cassis standin)\n"
    "  --particulier-token-file  chemin absolu du fichier du jeton, lu à chaque appel ;\n"
    "                            le jeton n'est jamais copié dans la base\n"
    "Raccorde un CCAS à l'API Impôt particulier de la DGFiP (« Vérifier la situation ») :\n"
    "  --impots-url              passerelle de la DGFiP, ou http://127.0.0.1:8082\n"
    "                            (simulateur local : cassis standin impots)\n"
    "  --impots-client-id-file, --impots-client-secret-file\n"
    "                            chemins absolus des fichiers de l'identifiant et du secret\n"
    "                            OAuth2, lus à chaque appel et jamais copiés dans la base\n"
    "  --impots-cert, --impots-key  certificat client TLS et sa clé (PEM)\n"
    "  --impots-id-teleservice   identifiant de téléservice donné par la DGFiP\n"
    "Réservé à l'exploitant de la plateforme (ligne de commande) : ces réglages ne sont\n"
    "pas modifiables depuis l'interface web. Le SIRET du CCAS est envoyé comme recipient.\n"
    "Options communes : --db URL, --help.\n";

static int provider_show(struct db *db, const struct actor *who, const char *siret)
{
	int err;
	json_t *p = provider_get_particulier(db, who, siret, &err);
	if (!p) {
		fprintf(stderr, "cassis tenant set-provider : %s\n",
		        err == CAS_ENOTFOUND ? "CCAS inconnu ou non raccordé" : cas_err_name(err));
		return 1;
	}
	printf("API Particulier : %s\nFichier du jeton : %s\n",
	       json_string_value(json_object_get(p, "base_url")),
	       json_string_value(json_object_get(p, "token_file")));
	json_decref(p);
	return 0;
}

static int provider_apply(struct db *db, const char *siret, const char *url, const char *file)
{
	struct actor who;
	cli_operator(&who);
	if (!url)
		return provider_show(db, &who, siret);
	json_t *errors = NULL;
	int rc = provider_set_particulier(db, &who, siret, url, file, &errors);
	if (rc == CAS_EINVAL) {
		const char *field;
		json_t *msg;
		fprintf(stderr, "cassis tenant set-provider : réglages refusés\n");
		json_object_foreach(errors, field, msg)
		{
			fprintf(stderr, "  %s : %s\n",
			        strcmp(field, "base_url") == 0 ? "--particulier-url"
			                                       : "--particulier-token-file",
			        json_string_value(msg));
		}
		json_decref(errors);
		return EXIT_USAGE;
	}
	if (rc != 0) {
		fprintf(stderr, "cassis tenant set-provider : %s\n",
		        rc == CAS_ENOTFOUND ? "aucun CCAS avec ce SIRET" : cas_err_name(rc));
		return 1;
	}
	printf("CCAS %s raccordé à API Particulier : %s (jeton lu dans %s).\n", siret, url, file);
	return 0;
}

/* --impots-* options into settings (created on the first one). */
static void impots_option(json_t **settings, const char *key, const char *value)
{
	if (!*settings)
		*settings = json_object();
	json_object_set_new(*settings, key, json_string(value));
}

static int set_provider_run(const char *siret, const char *url, const char *file, int show,
                            json_t *impots)
{
	struct db *db = NULL;
	if (cli_open_db(&db) != 0)
		return 1;
	int rc = 0;
	if (show || url)
		rc = provider_apply(db, siret, show ? NULL : url, file);
	if ((rc == 0 || show) && (show || impots)) {
		int rc2 = cli_impots_provider(db, siret, show ? NULL : impots);
		rc = rc ? rc : rc2;
	}
	db_close(db);
	return rc;
}

int cmd_tenant_set_provider(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"tenant", required_argument, NULL, 't'},
	    {"particulier-url", required_argument, NULL, 'u'},
	    {"particulier-token-file", required_argument, NULL, 'f'},
	    {"show", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {"impots-url", required_argument, NULL, 'U'},
	    {"impots-client-id-file", required_argument, NULL, 'I'},
	    {"impots-client-secret-file", required_argument, NULL, 'S'},
	    {"impots-cert", required_argument, NULL, 'C'},
	    {"impots-key", required_argument, NULL, 'K'},
	    {"impots-id-teleservice", required_argument, NULL, 'T'},
	    {NULL, 0, NULL, 0}};
	const char *siret = NULL, *url = NULL, *file = NULL;
	json_t *impots = NULL;
	int opt, show = 0;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': cli_db_url = optarg; break;
		case 't': siret = optarg; break;
		case 'u': url = optarg; break;
		case 'f': file = optarg; break;
		case 's': show = 1; break;
		case 'U': impots_option(&impots, "base_url", optarg); break;
		case 'I': impots_option(&impots, "client_id_file", optarg); break;
		case 'S': impots_option(&impots, "client_secret_file", optarg); break;
		case 'C': impots_option(&impots, "cert_file", optarg); break;
		case 'K': impots_option(&impots, "key_file", optarg); break;
		case 'T': impots_option(&impots, "id_teleservice", optarg); break;
		case 'h':
			fputs(provider_help, stdout);
			json_decref(impots);
			return 0;
		default:
			json_decref(impots);
			return cli_usage_error("tenant", "option inconnue ou valeur manquante");
		}
	}
	int bad = optind < argc || !siret || (!url != !file) || (show && (url || impots)) ||
	          (!show && !url && !impots);
	if (bad) {
		json_decref(impots);
		return cli_usage_error("tenant", "set-provider attend --tenant SIRET avec "
		                                 "--particulier-url et --particulier-token-file, "
		                                 "ou les options --impots-*, ou --show");
	}
	int rc = set_provider_run(siret, url, file, show, impots);
	json_decref(impots);
	return rc;
}
