/* cassis standin API [OPTIONS]: a local stand-in of a State API, replaying
 * fixture files on 127.0.0.1 for the demonstration, tests and vendors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "standin/impots.h"
#include "standin/particulier.h"
#include "standin/standin_server.h"
#include "standin/tokens.h"

/* The options common to every stand-in. */
struct standin_opts {
	struct standin_config cfg;
	const char *fixtures;
	const char *tokens;
	int rate; /* -1: the API's default */
	int test_mode;
	/* standin impots */
	const char *credentials, *habilitation, *scopes, *quota;
	int token_ttl; /* -1: the default */
};

struct standin_kind {
	const char *name;
	const char *summary;
	int (*run)(const struct standin_opts *o);
	int port; /* default port */
};

static int run_particulier(const struct standin_opts *o);
static int run_impots(const struct standin_opts *o);

/* One line per stand-in. */
static const struct standin_kind kinds[] = {
    {"particulier", "API Particulier v3 (quotient familial CAF et MSA)", run_particulier, 8081},
    {"impots", "API Impôt particulier de la DGFiP (situation fiscale)", run_impots,
     IMPOTS_PORT_DEFAULT},
};

static const char help[] =
    "Usage : cassis standin API --fixtures DOSSIER [OPTIONS]\n"
    "Sert en local (127.0.0.1) le format réel d'une API de l'État en rejouant des fichiers\n"
    "de cas au format des bacs à sable de l'État (voir docs/standin.md).\n\n"
    "API :\n%s\n"
    "Options :\n"
    "  --port N                 port d'écoute (défaut 8081, 8082 pour impots ; 0 : un\n"
    "                           port libre)\n"
    "  --fixtures DOSSIER       dossier des cas (obligatoire), par exemple\n"
    "                           standin/fixtures/api-particulier\n"
    "  --tokens FICHIER         jetons acceptés et leurs droits ; sans ce fichier, tout\n"
    "                           jeton est accepté avec tous les droits\n"
    "  --rate N                 requêtes par seconde et par jeton (défaut 20 ; 0 : sans "
    "limite)\n"
    "  --latency-ms N           délai ajouté à chaque réponse, en millisecondes\n"
    "  --error-rate STATUT:POURCENTAGE\n"
    "                           répond une erreur STATUT (409, 429, 500, 502, 503, 504)\n"
    "                           à ce pourcentage des appels ; option répétable\n"
    "  --malformed-rate POURCENTAGE   corps JSON tronqués\n"
    "  --reset-rate POURCENTAGE       connexions fermées sans réponse\n"
    "  --log-level NIVEAU       debug, info, warn, error (défaut info)\n"
    "  --test-mode              l'horloge suit CASSIS_NOW (CASSIS_TEST_MODE=1)\n"
    "  --help                   cette aide\n"
    "\nOptions de « standin impots » (au lieu de --tokens et --rate) :\n"
    "  --credentials FICHIER    clients OAuth2 acceptés (CLIENT:SECRET DROITS) ; sans\n"
    "                           ce fichier, tout client est accepté\n"
    "  --habilitation FICHIER   droits accordés (noms DataPass, un ou plusieurs par ligne)\n"
    "  --scopes LISTE           les mêmes droits, séparés par des virgules ; sans l'un\n"
    "                           ou l'autre, tous les droits\n"
    "  --quota N[/min|/s|/h]    appels par client (défaut 50/min ; 0 : sans limite)\n"
    "  --token-ttl S            durée de vie des jetons en secondes (défaut 3600)\n"
    "\n"
    "Affiche « listening on http://127.0.0.1:PORT » quand le service est prêt ;\n"
    "s'arrête proprement sur SIGTERM ou SIGINT.\n";

static void print_help(FILE *out)
{
	char list[1024] = "";
	size_t used = 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "  %-23s  %s\n",
		                         kinds[i].name, kinds[i].summary);
	fprintf(out, help, list);
}

enum {
	OPT_PORT = 1,
	OPT_FIXTURES,
	OPT_TOKENS,
	OPT_RATE,
	OPT_LATENCY,
	OPT_ERROR_RATE,
	OPT_MALFORMED,
	OPT_RESET,
	OPT_LOG,
	OPT_TEST,
	OPT_HELP,
	OPT_CREDENTIALS,
	OPT_HABILITATION,
	OPT_SCOPES,
	OPT_QUOTA,
	OPT_TOKEN_TTL,
};

static const struct option options[] = {
    {"port", required_argument, NULL, OPT_PORT},
    {"fixtures", required_argument, NULL, OPT_FIXTURES},
    {"tokens", required_argument, NULL, OPT_TOKENS},
    {"rate", required_argument, NULL, OPT_RATE},
    {"latency-ms", required_argument, NULL, OPT_LATENCY},
    {"error-rate", required_argument, NULL, OPT_ERROR_RATE},
    {"malformed-rate", required_argument, NULL, OPT_MALFORMED},
    {"reset-rate", required_argument, NULL, OPT_RESET},
    {"log-level", required_argument, NULL, OPT_LOG},
    {"test-mode", no_argument, NULL, OPT_TEST},
    {"help", no_argument, NULL, OPT_HELP},
    {"credentials", required_argument, NULL, OPT_CREDENTIALS},
    {"habilitation", required_argument, NULL, OPT_HABILITATION},
    {"scopes", required_argument, NULL, OPT_SCOPES},
    {"quota", required_argument, NULL, OPT_QUOTA},
    {"token-ttl", required_argument, NULL, OPT_TOKEN_TTL},
    {NULL, 0, NULL, 0},
};

static int bad(const char *message)
{
	return cli_usage_error("standin", message);
}

static int set_long(const char *arg, long max, int *out, const char *message)
{
	long v = cli_parse_long(arg, 0, max);
	if (v < 0)
		return bad(message);
	*out = (int)v;
	return 0;
}

static int set_pct(const char *arg, double *out, const char *message)
{
	return faults_parse_pct(arg, out) == 0 ? 0 : bad(message);
}

static int apply(struct standin_opts *o, int opt, const char *arg)
{
	char err[256];
	enum log_level lvl;
	switch (opt) {
	case OPT_PORT:
		return set_long(arg, 65535, &o->cfg.port,
		                "le port doit être un nombre de 0 à 65535");
	case OPT_FIXTURES: o->fixtures = arg; return 0;
	case OPT_TOKENS: o->tokens = arg; return 0;
	case OPT_RATE:
		return set_long(arg, 100000, &o->rate, "--rate attend un nombre de 0 à 100000");
	case OPT_LATENCY:
		return set_long(arg, 600000, &o->cfg.faults.latency_ms,
		                "--latency-ms attend un nombre de millisecondes de 0 à 600000");
	case OPT_ERROR_RATE:
		return faults_add_error(&o->cfg.faults, arg, err, sizeof(err)) == 0 ? 0 : bad(err);
	case OPT_MALFORMED:
		return set_pct(arg, &o->cfg.faults.malformed_pct,
		               "--malformed-rate attend un pourcentage de 0 à 100");
	case OPT_RESET:
		return set_pct(arg, &o->cfg.faults.reset_pct,
		               "--reset-rate attend un pourcentage de 0 à 100");
	case OPT_LOG:
		if (log_level_parse(arg, &lvl) != 0)
			return bad("niveau de journal inconnu (debug, info, warn, error)");
		log_set_level(lvl);
		return 0;
	case OPT_TEST: o->test_mode = 1; return 0;
	case OPT_CREDENTIALS: o->credentials = arg; return 0;
	case OPT_HABILITATION: o->habilitation = arg; return 0;
	case OPT_SCOPES: o->scopes = arg; return 0;
	case OPT_QUOTA: o->quota = arg; return 0;
	case OPT_TOKEN_TTL:
		return set_long(arg, 31536000, &o->token_ttl,
		                "--token-ttl attend une durée en secondes (0 à 31536000)");
	}
	return bad("option inconnue ou valeur manquante");
}

/* 0 to run, -1 after --help, EXIT_USAGE on a bad argument. */
static int parse(int argc, char **argv, struct standin_opts *o)
{
	int opt;
	const char *env = getenv("CASSIS_TEST_MODE");
	o->test_mode = env && strcmp(env, "1") == 0;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == OPT_HELP) {
			print_help(stdout);
			return -1;
		}
		if (apply(o, opt, optarg) != 0)
			return EXIT_USAGE;
	}
	if (optind < argc)
		return bad("argument inattendu");
	if (!o->fixtures)
		return bad("--fixtures DOSSIER est obligatoire");
	struct stat st;
	if (stat(o->fixtures, &st) != 0 || !S_ISDIR(st.st_mode))
		return bad("--fixtures : ce dossier n'existe pas");
	if (clock_set_test_mode(o->test_mode) != 0)
		return bad("CASSIS_NOW illisible (attendu : 2028-01-31T10:00:00Z, un nombre de "
		           "secondes, ou @FICHIER)");
	return 0;
}

static int load_tokens(const char *path, struct token_table **out)
{
	char err[256];
	*out = NULL;
	if (!path)
		return 0;
	if (tokens_load(path, out, err, sizeof(err)) != 0) {
		fprintf(stderr, "cassis standin: --tokens %s : %s\n", path, err);
		return EXIT_USAGE;
	}
	return 0;
}

static int run_particulier(const struct standin_opts *o)
{
	struct token_table *tokens;
	if (o->credentials || o->habilitation || o->scopes || o->quota || o->token_ttl >= 0)
		return bad("--credentials, --habilitation, --scopes, --quota et --token-ttl sont "
		           "réservées à « standin impots »");
	if (load_tokens(o->tokens, &tokens) != 0)
		return EXIT_USAGE;
	struct particulier_config pc = {
	    .fixtures_dir = o->fixtures,
	    .tokens = tokens,
	    .rate = o->rate >= 0 ? o->rate : PARTICULIER_RATE_DEFAULT,
	};
	struct standin_api api;
	struct particulier *pa = particulier_new(&pc, &api);
	int n = particulier_qf_count(pa);
	fprintf(stderr, "cassis standin: API Particulier, %d cas lus dans %s%s\n", n,
	        particulier_qf_folder(pa), n ? "" : " (aucun : toute requête valide répondra 404)");
	int rc = standin_run(&api, &o->cfg);
	if (rc != 0)
		fprintf(stderr, "cassis standin: impossible d'écouter sur 127.0.0.1:%d\n",
		        o->cfg.port);
	particulier_free(pa);
	tokens_free(tokens);
	return rc == 0 ? 0 : 1;
}

/* The whole content of a small text file (caller frees), or NULL. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b;
	buf_init(&b, 1024 * 1024);
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, got);
	int bad_read = ferror(f) || b.err;
	fclose(f);
	char *text = bad_read ? NULL : xstrdup(buf_cstr(&b));
	buf_free(&b);
	return text;
}

/* The default habilitation of standin impots: --habilitation FILE or
 * --scopes LIST; *given 0 when neither. */
static int load_habilitation(const struct standin_opts *o, struct imr_hab *hab, int *given)
{
	char err[256];
	*given = o->habilitation || o->scopes;
	if (o->habilitation && o->scopes)
		return bad("--habilitation et --scopes ne vont pas ensemble");
	if (!*given)
		return 0;
	char *text = o->scopes ? NULL : read_text(o->habilitation);
	if (o->habilitation && !text) {
		fprintf(stderr, "cassis standin: --habilitation %s : fichier illisible\n",
		        o->habilitation);
		return EXIT_USAGE;
	}
	int rc = imr_hab_parse(o->scopes ? o->scopes : text, hab, err, sizeof(err));
	free(text);
	return rc == 0 ? 0 : bad(err);
}

static int impots_settings(const struct standin_opts *o, struct impots_config *ic)
{
	if (o->tokens || o->rate >= 0)
		return bad("--tokens et --rate sont réservées à « standin particulier » (voir "
		           "--credentials et --quota)");
	ic->quota = IMPOTS_QUOTA_DEFAULT;
	ic->quota_period = 60;
	if (o->quota && impots_parse_quota(o->quota, &ic->quota, &ic->quota_period) != 0)
		return bad("--quota attend un nombre d'appels, par exemple 50/min, 5/s ou 0");
	ic->token_ttl = o->token_ttl >= 0 ? o->token_ttl : IMPOTS_TTL_DEFAULT;
	ic->fixtures_dir = o->fixtures;
	return 0;
}

static int serve_impots(const struct standin_opts *o, struct impots_config *ic)
{
	char err[256];
	struct standin_api api;
	struct impots *im;
	if (impots_new(ic, &api, &im, err, sizeof(err)) != 0) {
		fprintf(stderr, "cassis standin: --credentials %s : %s\n", o->credentials, err);
		return EXIT_USAGE;
	}
	int n = impots_count(im);
	fprintf(stderr, "cassis standin: API Impôt particulier, %d foyers lus dans %s%s\n", n,
	        o->fixtures, n ? "" : " (aucun : tout numéro fiscal sera inconnu)");
	int rc = standin_run(&api, &o->cfg);
	if (rc != 0)
		fprintf(stderr, "cassis standin: impossible d'écouter sur 127.0.0.1:%d\n",
		        o->cfg.port);
	impots_free(im);
	return rc == 0 ? 0 : 1;
}

static int run_impots(const struct standin_opts *o)
{
	struct impots_config ic = {0};
	struct imr_hab hab;
	struct token_table *clients = NULL;
	int given, rc = impots_settings(o, &ic);
	if (rc == 0)
		rc = load_habilitation(o, &hab, &given);
	if (rc != 0)
		return rc;
	ic.hab = given ? &hab : NULL;
	rc = load_tokens(o->credentials, &clients) == 0 ? 0 : EXIT_USAGE;
	ic.clients = clients;
	if (rc == 0)
		rc = serve_impots(o, &ic);
	tokens_free(clients);
	if (given)
		imr_hab_free(&hab);
	return rc;
}

int cmd_standin(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(argv[1], kinds[i].name) != 0)
			continue;
		struct standin_opts o = {
		    .cfg = {.port = kinds[i].port}, .rate = -1, .token_ttl = -1};
		int rc = parse(argc - 1, argv + 1, &o);
		if (rc != 0)
			return rc < 0 ? 0 : rc;
		return kinds[i].run(&o);
	}
	fprintf(stderr, "cassis standin: API inconnue « %s » ; API connues :", argv[1]);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		fprintf(stderr, " %s", kinds[i].name);
	fputc('\n', stderr);
	return EXIT_USAGE;
}
