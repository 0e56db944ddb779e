/* cassis impots situation: one consultation of API Impôt particulier
 * (DGFiP) from the command line, for vendors and support. A thin adapter
 * over providers/impots.h. The numéro fiscal given on the command line is
 * copied, then wiped from the arguments and from memory after the call. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/log.h"
#include "cli/cli.h"
#include "domain/ident.h"
#include "providers/impots.h"
#include "providers/throttle.h"

static const char situation_help[] =
    "Usage : cassis impots situation --spi NUMERO (--annee AAAA | --deux-ans)\n"
    "          --base-url URL --client-id-file FICHIER --client-secret-file FICHIER\n"
    "          [--cert FICHIER --key FICHIER] [--id-teleservice ID] [--basic-auth]\n"
    "          [--quota N] [--repeat N [--threads T]]\n"
    "Interroge l'API Impôt particulier (DGFiP) : situation fiscale du foyer d'un\n"
    "déclarant (revenu fiscal de référence, parts, situation de famille, personnes\n"
    "à charge, adresse fiscale, impôt selon l'habilitation).\n\n"
    "  --spi NUMERO               numéro fiscal d'un déclarant (13 chiffres) ; il n'est\n"
    "                             ni affiché ni conservé\n"
    "  --annee AAAA               année des revenus (défaut : la dernière disponible\n"
    "                             selon le calendrier de la DGFiP, N-1 à partir du\n"
    "                             22 juillet, N-2 avant)\n"
    "  --deux-ans                 dernière année disponible, N-1 sinon N-2 (ressource\n"
    "                             « deuxans ») ; l'année obtenue est annee_revenus\n"
    "  --date AAAA-MM-JJ          date du jour pour le calendrier (défaut : aujourd'hui)\n"
    "  --base-url URL             adresse de la passerelle de la DGFiP (obligatoire)\n"
    "  --token-url URL            adresse du jeton (défaut : URL/token)\n"
    "  --client-id-file FICHIER   fichier contenant l'identifiant client OAuth2\n"
    "  --client-secret-file FICHIER  fichier contenant le secret client (« - » :\n"
    "                             entrée standard) ; il n'est jamais affiché\n"
    "  --basic-auth               identifiants en HTTP Basic (défaut : dans le formulaire)\n"
    "  --scope S                  périmètre OAuth2 (défaut : RessourceIR, ou\n"
    "                             RessourceIRDerniere2 avec --deux-ans)\n"
    "  --cert FICHIER, --key FICHIER  certificat client TLS et sa clé (PEM)\n"
    "  --cacert FICHIER           autorités de certification de la passerelle (PEM)\n"
    "  --id-teleservice ID        identifiant de téléservice donné par la DGFiP\n"
    "  --quota N                  consultations par minute au plus (défaut 50)\n"
    "  --timeout S                délai total en secondes (défaut 12)\n"
    "  --connect-timeout S        délai de connexion en secondes (défaut 3)\n"
    "  --repeat N                 essai de charge : N consultations identiques, par\n"
    "                             --threads T fils (défaut 4) ; affiche un bilan JSON\n"
    "  --help                     cette aide\n\n"
    "Sortie : le résultat en JSON sur la sortie standard et le code 0 ; une erreur\n"
    "typée en JSON (kind, status, code, message, correlation_id) sur la sortie\n"
    "d'erreur et le code 1 ; le code 2 pour des arguments invalides.\n";

static const char impots_help[] =
    "Usage : cassis impots SOUS-COMMANDE [OPTIONS]\n\n"
    "Sous-commandes :\n"
    "  situation    interroge la situation fiscale d'un foyer (API Impôt particulier)\n\n"
    "« cassis impots situation --help » détaille les options.\n";

enum {
	OPT_SPI = 1,
	OPT_ANNEE,
	OPT_DEUX_ANS,
	OPT_DATE,
	OPT_BASE_URL,
	OPT_TOKEN_URL,
	OPT_ID_FILE,
	OPT_SECRET_FILE,
	OPT_BASIC,
	OPT_SCOPE,
	OPT_CERT,
	OPT_KEY,
	OPT_CACERT,
	OPT_TELESERVICE,
	OPT_QUOTA,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_REPEAT,
	OPT_THREADS,
	OPT_HELP
};

struct ip_args {
	struct ip_config cfg;
	char spi[IP_SPI_LEN + 1];
	int has_spi, year, deux_ans, repeat, threads;
	const char *date, *id_file, *secret_file;
};

static int usage_error(const char *message)
{
	return cli_usage_error("impots situation", message);
}

/* Copies the SPI, wipes it from the arguments, prints the warnings of the
 * usual checks (a warning, never a refusal). */
static int take_spi(char *arg, struct ip_args *a)
{
	int rc = ip_spi_normalise(arg, a->spi);
	struct ident_result res;
	if (rc == 0)
		ident_numero_fiscal(a->spi, &res);
	sodium_memzero(arg, strlen(arg));
	if (rc != 0)
		return usage_error("--spi attend un numéro fiscal de 13 chiffres");
	a->has_spi = 1;
	if (!res.valid)
		fprintf(stderr, "cassis impots situation: avertissement : %s\n", res.reason);
	for (int i = 0; i < res.nb_warnings; i++)
		fprintf(stderr, "cassis impots situation: avertissement : %s\n", res.warnings[i]);
	sodium_memzero(&res, sizeof(res));
	return 0;
}

static int set_number(int opt, const char *arg, struct ip_args *a)
{
	long v;
	switch (opt) {
	case OPT_ANNEE:
		if ((v = cli_parse_long(arg, 1900, 2999)) < 0)
			return usage_error("--annee attend une année sur quatre chiffres");
		a->year = (int)v;
		return 0;
	case OPT_QUOTA:
		if ((v = cli_parse_long(arg, 1, 100000)) < 0)
			return usage_error("--quota attend un nombre de consultations par minute "
			                   "(1 à 100000)");
		a->cfg.quota_per_minute = (int)v;
		return 0;
	case OPT_TIMEOUT:
	case OPT_CONNECT_TIMEOUT:
		if ((v = cli_parse_seconds_ms(arg)) < 0)
			return usage_error("--timeout et --connect-timeout attendent des secondes");
		*(opt == OPT_TIMEOUT ? &a->cfg.total_timeout_ms : &a->cfg.connect_timeout_ms) = v;
		return 0;
	default:
		if ((v = cli_parse_long(arg, 1, 100000)) < 0 || (opt == OPT_THREADS && v > 64))
			return usage_error(
			    "--repeat attend un nombre de 1 à 100000, --threads de 1 à 64");
		*(opt == OPT_REPEAT ? &a->repeat : &a->threads) = (int)v;
		return 0;
	}
}

static int set_value(int opt, char *arg, void *ctx)
{
	struct ip_args *a = ctx;
	struct ip_config *c = &a->cfg;
	switch (opt) {
	case OPT_SPI: return take_spi(arg, a);
	case OPT_DEUX_ANS: a->deux_ans = 1; return 0;
	case OPT_DATE:
		if (ip_default_year(arg) == 0)
			return usage_error("--date attend une date AAAA-MM-JJ");
		a->date = arg;
		return 0;
	case OPT_BASE_URL: c->base_url = arg; return 0;
	case OPT_TOKEN_URL: c->token_url = arg; return 0;
	case OPT_ID_FILE: a->id_file = arg; return 0;
	case OPT_SECRET_FILE: a->secret_file = arg; return 0;
	case OPT_BASIC: c->basic_auth = 1; return 0;
	case OPT_SCOPE: c->scope = arg; return 0;
	case OPT_CERT: c->cert_file = arg; return 0;
	case OPT_KEY: c->key_file = arg; return 0;
	case OPT_CACERT: c->ca_file = arg; return 0;
	case OPT_TELESERVICE: c->id_teleservice = arg; return 0;
	case OPT_ANNEE:
	case OPT_QUOTA:
	case OPT_TIMEOUT:
	case OPT_CONNECT_TIMEOUT:
	case OPT_REPEAT:
	case OPT_THREADS: return set_number(opt, arg, a);
	default: return usage_error("option inconnue ou valeur manquante");
	}
}

/* Checks what only the combination of options can tell. */
static int check_args(const struct ip_args *a)
{
	if (!a->has_spi)
		return usage_error("--spi NUMERO est obligatoire");
	if (a->year && a->deux_ans)
		return usage_error("indiquez --annee ou --deux-ans, pas les deux");
	if (!a->cfg.base_url || strncmp(a->cfg.base_url, "http", 4) != 0)
		return usage_error("--base-url URL (http:// ou https://) est obligatoire");
	if (!a->id_file || !a->secret_file)
		return usage_error("--client-id-file et --client-secret-file sont obligatoires");
	if (a->cfg.key_file && !a->cfg.cert_file)
		return usage_error("--key va avec --cert");
	return 0;
}

static int parse_situation(int argc, char **argv, struct ip_args *a)
{
	static const struct option opts[] = {
	    {"spi", required_argument, NULL, OPT_SPI},
	    {"annee", required_argument, NULL, OPT_ANNEE},
	    {"deux-ans", no_argument, NULL, OPT_DEUX_ANS},
	    {"date", required_argument, NULL, OPT_DATE},
	    {"base-url", required_argument, NULL, OPT_BASE_URL},
	    {"token-url", required_argument, NULL, OPT_TOKEN_URL},
	    {"client-id-file", required_argument, NULL, OPT_ID_FILE},
	    {"client-secret-file", required_argument, NULL, OPT_SECRET_FILE},
	    {"basic-auth", no_argument, NULL, OPT_BASIC},
	    {"scope", required_argument, NULL, OPT_SCOPE},
	    {"cert", required_argument, NULL, OPT_CERT},
	    {"key", required_argument, NULL, OPT_KEY},
	    {"cacert", required_argument, NULL, OPT_CACERT},
	    {"id-teleservice", required_argument, NULL, OPT_TELESERVICE},
	    {"quota", required_argument, NULL, OPT_QUOTA},
	    {"timeout", required_argument, NULL, OPT_TIMEOUT},
	    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
	    {"repeat", required_argument, NULL, OPT_REPEAT},
	    {"threads", required_argument, NULL, OPT_THREADS},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0}};
	static const struct cli_options o = {"impots situation", situation_help, opts, OPT_HELP,
	                                     set_value};
	int rc = cli_parse_options(&o, argc, argv, a);
	return rc != 0 ? rc : check_args(a);
}

/* ---- --repeat: N identical consultations from T threads ---- */

struct load {
	const struct ip_args *a;
	pthread_mutex_t mu;
	int next, attempts, tokens;
	int kinds[IP_INTERNAL + 1];
	json_t *statuses;    /* status → count */
	json_t *first_error; /* ip_result_json of the first failure */
};

static void count(struct load *l, const struct ip_result *r)
{
	pthread_mutex_lock(&l->mu);
	l->kinds[r->kind]++;
	l->attempts += r->attempts;
	l->tokens += r->token_requests;
	cli_count_status(l->statuses, r->http_status);
	if (r->kind != IP_OK && !l->first_error)
		l->first_error = ip_result_json(r);
	pthread_mutex_unlock(&l->mu);
}

static void *load_worker(void *arg)
{
	struct load *l = arg;
	const struct ip_args *a = l->a;
	for (;;) {
		pthread_mutex_lock(&l->mu);
		int mine = l->next++;
		pthread_mutex_unlock(&l->mu);
		if (mine >= a->repeat)
			return NULL;
		struct ip_result r;
		ip_situation(&a->cfg, a->spi, a->year, a->deux_ans, a->date, &r);
		count(l, &r);
		ip_result_free(&r);
	}
}

static int run_load(const struct ip_args *a)
{
	struct load l;
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.statuses = json_object();
	pthread_mutex_init(&l.mu, NULL);
	double start = throttle_now();
	cli_run_threads(a->threads > 0 ? a->threads : 4, load_worker, &l);
	double secs = throttle_now() - start;
	json_t *kinds = json_object();
	for (int k = IP_OK; k <= IP_INTERNAL; k++)
		if (l.kinds[k])
			json_object_set_new(kinds, ip_kind_name((enum ip_kind)k),
			                    json_integer(l.kinds[k]));
	json_t *sum = json_pack("{s:i, s:i, s:o, s:O, s:i, s:i, s:f, s:f}", "consultations",
	                        a->repeat, "reussies", l.kinds[IP_OK], "par_type", kinds, "statuts",
	                        l.statuses, "requetes", l.attempts, "jetons", l.tokens, "duree_s",
	                        secs, "debit_par_min", secs > 0 ? 60.0 * l.attempts / secs : 0.0);
	cli_print_json(stdout, sum, JSON_INDENT(2));
	if (l.first_error)
		cli_print_json(stderr, l.first_error, JSON_COMPACT);
	int ok = l.kinds[IP_OK] == a->repeat;
	json_decref(sum);
	json_decref(l.first_error);
	json_decref(l.statuses);
	pthread_mutex_destroy(&l.mu);
	return ok ? 0 : 1;
}

static int run_once(const struct ip_args *a)
{
	struct ip_result r;
	ip_situation(&a->cfg, a->spi, a->year, a->deux_ans, a->date, &r);
	json_t *out = ip_result_json(&r);
	int rc = r.kind == IP_OK ? 0 : 1;
	cli_print_outcome(out, rc == 0);
	json_decref(out);
	ip_result_free(&r);
	return rc;
}

static int run_situation(struct ip_args *a)
{
	char *id = cli_read_secret_file(a->id_file);
	char *secret = id ? cli_read_secret_file(a->secret_file) : NULL;
	if (!id || !secret) {
		fprintf(stderr, "cassis impots situation: impossible de lire %s dans « %s »\n",
		        id ? "le secret client" : "l'identifiant client",
		        id ? a->secret_file : a->id_file);
		cli_wipe_free(id);
		return EXIT_USAGE;
	}
	a->cfg.client_id = id;
	a->cfg.client_secret = secret;
	log_set_level(LOG_ERROR); /* stderr carries the typed error only */
	int rc = a->repeat > 0 ? run_load(a) : run_once(a);
	cli_wipe_free(secret);
	cli_wipe_free(id);
	return rc;
}

int cmd_impots(int argc, char **argv)
{
	int rc = cli_one_subcommand(argc, argv, "impots", "situation", impots_help);
	if (rc >= 0)
		return rc;
	struct ip_args a;
	memset(&a, 0, sizeof(a));
	rc = parse_situation(argc - 1, argv + 1, &a);
	if (rc == 0)
		rc = run_situation(&a);
	else if (rc < 0)
		rc = 0;
	sodium_memzero(a.spi, sizeof(a.spi));
	return rc;
}
