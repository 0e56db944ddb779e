/* cassis particulier qf: one consultation of API Particulier (quotient
 * familial CAF / MSA) from the command line, for vendors and support. A
 * thin adapter over providers/particulier.h. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "providers/particulier.h"
#include "providers/throttle.h"

static const char qf_help[] =
    "Usage : cassis particulier qf --nom-naissance NOM [--nom-usage NOM]\n"
    "          --prenoms P [--prenoms P2 [--prenoms P3]] --sexe F|M\n"
    "          [--date-naissance AAAA-MM-JJ|AAAA-MM|AAAA]\n"
    "          (--commune-naissance COG | --pays-naissance COG\n"
    "           | --nom-commune-naissance NOM --departement-naissance DEP)\n"
    "          [--annee AAAA --mois MM] --recipient SIRET --token-file FICHIER\n"
    "          [--base-url URL] [--rate N] [--repeat N [--threads T]]\n"
    "Interroge API Particulier (quotient familial CAF / MSA, v3) pour une personne.\n\n"
    "  --nom-naissance NOM          nom de naissance (obligatoire)\n"
    "  --nom-usage NOM              nom d'usage\n"
    "  --prenoms P                  un prénom ; répétez l'option pour 2 ou 3 prénoms,\n"
    "                               dans l'ordre de l'état civil\n"
    "  --sexe F|M                   sexe à l'état civil\n"
    "  --date-naissance DATE        AAAA-MM-JJ, ou AAAA-MM / AAAA si le jour ou le mois\n"
    "                               est inconnu ; sans date, si elle est inconnue\n"
    "  --commune-naissance COG      code COG de la commune de naissance (née en France)\n"
    "  --pays-naissance COG         code COG du pays de naissance (99100 : France)\n"
    "  --nom-commune-naissance NOM  nom de la commune de naissance, avec\n"
    "  --departement-naissance DEP  son département (2 ou 3 caractères)\n"
    "  --annee AAAA, --mois MM      période du quotient (défaut : le mois en cours)\n"
    "  --recipient SIRET            SIRET du CCAS destinataire des données\n"
    "  --token-file FICHIER         fichier contenant le jeton d'accès (« - » : entrée\n"
    "                               standard) ; le jeton n'est jamais affiché\n"
    "  --base-url URL               adresse du service (défaut " PA_DEFAULT_BASE_URL ")\n"
    "  --rate N                     consultations par seconde au plus (défaut 20)\n"
    "  --timeout S                  délai total en secondes (défaut 12)\n"
    "  --connect-timeout S          délai de connexion en secondes (défaut 3)\n"
    "  --repeat N                   essai de charge : N consultations identiques, par\n"
    "                               --threads T fils (défaut 4) ; affiche un bilan JSON\n"
    "  --help                       cette aide\n\n"
    "Sortie : le résultat en JSON sur la sortie standard et le code 0 ; une erreur\n"
    "typée en JSON (kind, status, code, message, request_id) sur la sortie d'erreur\n"
    "et le code 1 ; le code 2 pour des arguments invalides.\n";

static const char particulier_help[] =
    "Usage : cassis particulier SOUS-COMMANDE [OPTIONS]\n\n"
    "Sous-commandes :\n"
    "  qf    interroge le quotient familial CAF / MSA d'une personne\n\n"
    "« cassis particulier qf --help » détaille les options.\n";

enum {
	OPT_NOM = 1,
	OPT_USAGE,
	OPT_PRENOMS,
	OPT_SEXE,
	OPT_DATE,
	OPT_COMMUNE,
	OPT_PAYS,
	OPT_NOM_COMMUNE,
	OPT_DEPARTEMENT,
	OPT_ANNEE,
	OPT_MOIS,
	OPT_RECIPIENT,
	OPT_TOKEN_FILE,
	OPT_BASE_URL,
	OPT_RATE,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_REPEAT,
	OPT_THREADS,
	OPT_HELP
};

struct qf_args {
	struct pa_identity id;
	struct pa_config cfg;
	const char *token_file;
	int repeat, threads;
};

static int usage_error(const char *message)
{
	return cli_usage_error("particulier qf", message);
}

/* "AAAA", "AAAA-MM" or "AAAA-MM-JJ" into the identity; -1 when invalid. */
static int parse_birth_date(const char *s, struct pa_identity *id)
{
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return -1;
	id->annee_naissance = (int)strtol(s, NULL, 10);
	id->mois_naissance = n >= 7 ? (int)strtol(s + 5, NULL, 10) : 0;
	id->jour_naissance = n == 10 ? (int)strtol(s + 8, NULL, 10) : 0;
	if (id->annee_naissance < 1 ||
	    (n >= 7 && (id->mois_naissance < 1 || id->mois_naissance > 12)) ||
	    (n == 10 && (id->jour_naissance < 1 || id->jour_naissance > 31)))
		return -1;
	return 0;
}

static int set_value(int opt, char *arg, void *ctx)
{
	struct qf_args *a = ctx;
	struct pa_identity *id = &a->id;
	long v;
	char *end;
	switch (opt) {
	case OPT_NOM: id->nom_naissance = arg; return 0;
	case OPT_USAGE: id->nom_usage = arg; return 0;
	case OPT_PRENOMS:
		if (id->nb_prenoms == 3)
			return usage_error("trois prénoms au plus (--prenoms)");
		id->prenoms[id->nb_prenoms++] = arg;
		return 0;
	case OPT_SEXE:
		if ((toupper((unsigned char)arg[0]) != 'F' &&
		     toupper((unsigned char)arg[0]) != 'M') ||
		    arg[1])
			return usage_error("--sexe attend F ou M");
		id->sexe = (char)toupper((unsigned char)arg[0]);
		return 0;
	case OPT_DATE:
		if (parse_birth_date(arg, id) != 0)
			return usage_error("--date-naissance attend AAAA-MM-JJ, AAAA-MM ou AAAA");
		return 0;
	case OPT_COMMUNE: id->cog_commune = arg; return 0;
	case OPT_PAYS: id->cog_pays = arg; return 0;
	case OPT_NOM_COMMUNE: id->nom_commune = arg; return 0;
	case OPT_DEPARTEMENT: id->cog_departement = arg; return 0;
	case OPT_ANNEE:
		if ((v = cli_parse_long(arg, 1, 9999)) < 0)
			return usage_error("--annee attend une année sur quatre chiffres");
		id->annee = (int)v;
		return 0;
	case OPT_MOIS:
		if ((v = cli_parse_long(arg, 1, 12)) < 0)
			return usage_error("--mois attend un nombre de 1 à 12");
		id->mois = (int)v;
		return 0;
	case OPT_RECIPIENT: a->cfg.recipient = arg; return 0;
	case OPT_TOKEN_FILE: a->token_file = arg; return 0;
	case OPT_BASE_URL: a->cfg.base_url = arg; return 0;
	case OPT_RATE:
		a->cfg.rate_per_second = strtod(arg, &end);
		if (end == arg || *end ||
		    !(a->cfg.rate_per_second > 0 && a->cfg.rate_per_second <= 1000))
			return usage_error(
			    "--rate attend un nombre de consultations par seconde (0 à 1000)");
		return 0;
	case OPT_TIMEOUT:
	case OPT_CONNECT_TIMEOUT:
		if ((v = cli_parse_seconds_ms(arg)) < 0)
			return usage_error("--timeout et --connect-timeout attendent des secondes");
		*(opt == OPT_TIMEOUT ? &a->cfg.total_timeout_ms : &a->cfg.connect_timeout_ms) = v;
		return 0;
	case OPT_REPEAT:
	case OPT_THREADS:
		if ((v = cli_parse_long(arg, 1, 100000)) < 0 || (opt == OPT_THREADS && v > 64))
			return usage_error(
			    "--repeat attend un nombre de 1 à 100000, --threads de 1 à 64");
		*(opt == OPT_REPEAT ? &a->repeat : &a->threads) = (int)v;
		return 0;
	default: return usage_error("option inconnue ou valeur manquante");
	}
}

/* Checks what only the combination of options can tell. */
static int check_args(const struct qf_args *a)
{
	const struct pa_identity *id = &a->id;
	int france = !id->cog_pays || strcmp(id->cog_pays, "99100") == 0;
	if (!id->nom_naissance || !*id->nom_naissance)
		return usage_error("--nom-naissance est obligatoire");
	if (id->nb_prenoms == 0)
		return usage_error("--prenoms est obligatoire (un à trois prénoms)");
	if (!id->sexe)
		return usage_error("--sexe est obligatoire (F ou M)");
	if (id->cog_commune && id->nom_commune)
		return usage_error(
		    "indiquez --commune-naissance ou --nom-commune-naissance, pas les deux");
	if (!!id->nom_commune != !!id->cog_departement)
		return usage_error("--nom-commune-naissance va avec --departement-naissance");
	if (france && !id->cog_commune && !id->nom_commune)
		return usage_error(
		    "lieu de naissance manquant : --commune-naissance, --pays-naissance, "
		    "ou --nom-commune-naissance avec --departement-naissance");
	if (!!id->annee != !!id->mois)
		return usage_error("--annee et --mois vont ensemble");
	if (!a->cfg.recipient || !*a->cfg.recipient)
		return usage_error("--recipient SIRET est obligatoire");
	if (!a->token_file)
		return usage_error("--token-file FICHIER est obligatoire");
	return 0;
}

static int parse_qf(int argc, char **argv, struct qf_args *a)
{
	static const struct option opts[] = {
	    {"nom-naissance", required_argument, NULL, OPT_NOM},
	    {"nom-usage", required_argument, NULL, OPT_USAGE},
	    {"prenoms", required_argument, NULL, OPT_PRENOMS},
	    {"sexe", required_argument, NULL, OPT_SEXE},
	    {"date-naissance", required_argument, NULL, OPT_DATE},
	    {"commune-naissance", required_argument, NULL, OPT_COMMUNE},
	    {"pays-naissance", required_argument, NULL, OPT_PAYS},
	    {"nom-commune-naissance", required_argument, NULL, OPT_NOM_COMMUNE},
	    {"departement-naissance", required_argument, NULL, OPT_DEPARTEMENT},
	    {"annee", required_argument, NULL, OPT_ANNEE},
	    {"mois", required_argument, NULL, OPT_MOIS},
	    {"recipient", required_argument, NULL, OPT_RECIPIENT},
	    {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
	    {"base-url", required_argument, NULL, OPT_BASE_URL},
	    {"rate", required_argument, NULL, OPT_RATE},
	    {"timeout", required_argument, NULL, OPT_TIMEOUT},
	    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
	    {"repeat", required_argument, NULL, OPT_REPEAT},
	    {"threads", required_argument, NULL, OPT_THREADS},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0}};
	static const struct cli_options o = {"particulier qf", qf_help, opts, OPT_HELP, set_value};
	int rc = cli_parse_options(&o, argc, argv, a);
	return rc != 0 ? rc : check_args(a);
}

/* ---- --repeat: N identical consultations from T threads ---- */

struct load {
	const struct qf_args *a;
	pthread_mutex_t mu;
	int next, attempts;
	int kinds[PA_INTERNAL + 1];
	json_t *statuses;    /* status → count */
	json_t *first_error; /* pa_result_json of the first failure */
};

static void *load_worker(void *arg)
{
	struct load *l = arg;
	for (;;) {
		pthread_mutex_lock(&l->mu);
		int mine = l->next++;
		pthread_mutex_unlock(&l->mu);
		if (mine >= l->a->repeat)
			return NULL;
		struct pa_result r;
		pa_qf(&l->a->cfg, &l->a->id, &r);
		pthread_mutex_lock(&l->mu);
		l->kinds[r.kind]++;
		l->attempts += r.attempts;
		cli_count_status(l->statuses, r.http_status);
		if (r.kind != PA_OK && !l->first_error)
			l->first_error = pa_result_json(&r);
		pthread_mutex_unlock(&l->mu);
		pa_result_free(&r);
	}
}

static json_t *load_summary(const struct load *l, double seconds)
{
	json_t *kinds = json_object();
	for (int k = PA_OK; k <= PA_INTERNAL; k++)
		if (l->kinds[k])
			json_object_set_new(kinds, pa_kind_name((enum pa_kind)k),
			                    json_integer(l->kinds[k]));
	return json_pack("{s:i, s:i, s:o, s:O, s:i, s:f, s:f}", "consultations", l->a->repeat,
	                 "reussies", l->kinds[PA_OK], "par_type", kinds, "statuts", l->statuses,
	                 "requetes", l->attempts, "duree_s", seconds, "debit_par_s",
	                 seconds > 0 ? l->attempts / seconds : 0.0);
}

static int run_load(const struct qf_args *a)
{
	struct load l;
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.statuses = json_object();
	pthread_mutex_init(&l.mu, NULL);
	double start = throttle_now();
	cli_run_threads(a->threads > 0 ? a->threads : 4, load_worker, &l);
	json_t *sum = load_summary(&l, throttle_now() - start);
	cli_print_json(stdout, sum, JSON_INDENT(2));
	if (l.first_error)
		cli_print_json(stderr, l.first_error, JSON_COMPACT);
	int ok = l.kinds[PA_OK] == a->repeat;
	json_decref(sum);
	json_decref(l.first_error);
	json_decref(l.statuses);
	pthread_mutex_destroy(&l.mu);
	return ok ? 0 : 1;
}

static int run_qf(struct qf_args *a)
{
	char *token = cli_read_secret_file(a->token_file);
	if (!token) {
		fprintf(stderr, "cassis particulier qf: impossible de lire le jeton dans « %s »\n",
		        a->token_file);
		return EXIT_USAGE;
	}
	if (!a->cfg.base_url)
		a->cfg.base_url = PA_DEFAULT_BASE_URL;
	a->cfg.token = token;
	log_set_level(LOG_ERROR); /* stderr carries the typed error only */
	int rc;
	if (a->repeat > 0) {
		rc = run_load(a);
	} else {
		struct pa_result r;
		pa_qf(&a->cfg, &a->id, &r);
		json_t *out = pa_result_json(&r);
		rc = r.kind == PA_OK ? 0 : 1;
		cli_print_outcome(out, rc == 0);
		json_decref(out);
		pa_result_free(&r);
	}
	cli_wipe_free(token);
	return rc;
}

int cmd_particulier(int argc, char **argv)
{
	int rc = cli_one_subcommand(argc, argv, "particulier", "qf", particulier_help);
	if (rc >= 0)
		return rc;
	struct qf_args a;
	memset(&a, 0, sizeof(a));
	rc = parse_qf(argc - 1, argv + 1, &a);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	return run_qf(&a);
}
