/* cassis: one binary, one subcommand per task. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/json_alloc.h"
#include "cli/cli.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"serve", cmd_serve, "démarre le serveur HTTP"},
    {"migrate", cmd_migrate, "applique les migrations de la base"},
    {"tenant", cmd_tenant, "gère les CCAS hébergés (add, list)"},
    {"user", cmd_user, "gère les comptes (add, list, passwd)"},
    {"demo", cmd_demo, "crée le CCAS de démonstration"},
    {"routes", cmd_routes, "affiche la table des routes (--json)"},
    {"simulate", cmd_simulate, "évalue une règle d'aide sur la situation d'un foyer"},
    {"aid", cmd_aid, "importe, exporte ou liste les aides du catalogue d'un CCAS"},
    {"check", cmd_check, "contrôle un identifiant (NIR, IBAN, RIB, SIRET, numéro fiscal...)"},
    {"backup", cmd_backup, "sauvegarde la base SQLite dans un fichier"},
    {"restore", cmd_restore, "restaure une sauvegarde dans la base SQLite"},
    {"migrate-data", cmd_migrate_data, "copie une installation SQLite vers une autre base"},
    {"proof", cmd_proof, "vérifie une preuve de consultation (verify)"},
    {"keys", cmd_keys, "gère les clés : signature des preuves, chiffrement des données"},
    {"particulier", cmd_particulier, "interroge API Particulier (quotient familial CAF / MSA)"},
    {"impots", cmd_impots, "interroge l'API Impôt particulier (situation fiscale DGFiP)"},
    {"standin", cmd_standin, "sert en local une API de l'État rejouée (démo, tests)"},
    {"audit", cmd_audit, "vérifie la chaîne d'empreintes du journal d'audit (verify)"},
    {"purge", cmd_purge, "efface les données dont la durée de conservation est échue"},
    {"person", cmd_person, "droits d'une personne : export de ses données, effacement"},
};

static void usage(FILE *out)
{
	fprintf(out, "Usage : cassis COMMANDE [OPTIONS]\n\nCommandes :\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n« cassis COMMANDE --help » détaille chaque commande.\n"
	             "Base de données : --db URL ou CASSIS_DB (défaut sqlite:var/cassis.db).\n");
}

int main(int argc, char **argv)
{
	json_alloc_init(); /* before any JSON value exists */
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (crypto_init() != 0) {
		fprintf(stderr, "cassis: libsodium ne s'initialise pas\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "cassis: commande inconnue « %s »\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
