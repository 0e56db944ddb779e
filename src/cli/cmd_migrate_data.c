/* cassis migrate-data: a thin adapter over app/migrate_data.h. */
#include <stdio.h>
#include <string.h>

#include "app/migrate_data.h"
#include "cli/cli.h"
#include "store/db.h"

static const char help[] =
    "Usage : cassis migrate-data --from sqlite:CHEMIN --to URL\n"
    "Copie toute une installation d'une base SQLite vers une base vide : PostgreSQL\n"
    "(postgresql://…) ou un autre fichier SQLite. Les migrations sont appliquées à la\n"
    "cible, qui doit être vide ; chaque table est copiée (identifiants conservés) dans\n"
    "une seule transaction, puis comparée à la source : nombre de lignes et somme de\n"
    "contrôle SHA-256 de son contenu. Arrêtez les serveurs de la source avant.\n\n"
    "  --from URL  base source, SQLite, à la version de schéma de ce programme\n"
    "  --to URL    base cible : postgresql://… ou sqlite:CHEMIN\n"
    "  --help      cette aide\n\n"
    "Sortie : 0 copie vérifiée, 1 refus (cible non vide…), échec ou écart,\n"
    "2 arguments invalides.\n";

static void copied(const char *table, int64_t rows, void *arg)
{
	(void)arg;
	printf("  %-24s %lld ligne(s) copiée(s)\n", table, (long long)rows);
	fflush(stdout);
}

static void print_report(const struct md_report *rep)
{
	int64_t total = 0;
	printf("\n%-24s %10s %10s  %-16s %-16s %s\n", "table", "source", "cible", "somme source",
	       "somme cible", "résultat");
	for (int i = 0; i < rep->n; i++) {
		const struct md_table *m = &rep->tables[i];
		printf("%-24s %10lld %10lld  %.16s %.16s %s\n", m->name, (long long)m->src_rows,
		       (long long)m->dst_rows, m->src_sum, m->dst_sum,
		       m->ok ? "identique" : "ÉCART");
		total += m->src_rows;
	}
	printf("%-24s %10lld\n", "total", (long long)total);
}

static int parse(int argc, char **argv, const char **from, const char **to)
{
	static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': *from = optarg; break;
		case 't': *to = optarg; break;
		case 'h': fputs(help, stdout); return -1;
		default:
			return cli_usage_error("migrate-data",
			                       "option inconnue ou valeur manquante");
		}
	}
	if (optind < argc)
		return cli_usage_error("migrate-data", "argument inattendu");
	if (!*from || !**from || !*to || !**to)
		return cli_usage_error("migrate-data", "--from et --to sont obligatoires");
	if (db_url_kind(*from) != DB_SQLITE)
		return cli_usage_error("migrate-data",
		                       "la source doit être une base SQLite (sqlite:CHEMIN)");
	if (strcmp(*from, *to) == 0)
		return cli_usage_error("migrate-data", "la source et la cible sont la même base");
	return 0;
}

int cmd_migrate_data(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	int rc = parse(argc, argv, &from, &to);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	/* the target URL may carry a password: it is not printed */
	printf("Copie de %s vers la base cible (%s)\n", from,
	       db_url_kind(to) == DB_POSTGRESQL ? "PostgreSQL" : "SQLite");
	struct md_progress progress = {.copied = copied};
	struct md_report rep;
	rc = migrate_data_run(from, to, &progress, &rep);
	if (rep.n > 0)
		print_report(&rep);
	if (rc != 0)
		fprintf(stderr, "cassis migrate-data : %s\n", rep.why);
	else
		printf("Copie vérifiée : %d tables, nombres de lignes et sommes de contrôle "
		       "identiques.\n",
		       rep.n);
	md_report_free(&rep);
	return rc == 0 ? 0 : 1;
}
