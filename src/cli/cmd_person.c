/* cassis person export | erase: the rights of a person from the command
 * line, a thin adapter over app/person_export.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/person_export.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "cli/cli.h"
#include "store/db.h"
#include "store/tenant_store.h"

static const char help[] =
    "Usage : cassis person export --tenant SIRET --person ID [--format json|pdf] [--db URL]\n"
    "        cassis person erase --tenant SIRET --person ID [--db URL]\n"
    "Droits de la personne (RGPD).\n"
    "  export   écrit sur la sortie standard tout ce que le CCAS détient sur la\n"
    "           personne (droit d'accès) : JSON (défaut) ou PDF lisible, par exemple\n"
    "           « cassis person export ... --format pdf > donnees.pdf ». L'export est\n"
    "           inscrit au journal d'audit et au journal des accès.\n"
    "  erase    efface la personne quand aucun dossier ne la retient ; sinon dit\n"
    "           pourquoi (obligation légale de conservation) et sort avec le statut 1.\n"
    "  --tenant SIRET    le CCAS\n"
    "  --person ID       le numéro de la personne (celui de l'adresse /usagers/ID)\n"
    "  --format FORMAT   json ou pdf (export)\n"
    "Statut de sortie : 0 fait, 1 personne introuvable, effacement refusé ou erreur,\n"
    "2 usage incorrect.\n";

struct opts {
	const char *tenant;
	long person;
	const char *format;
};

enum { OPT_DB = 1, OPT_TENANT, OPT_PERSON, OPT_FORMAT, OPT_HELP };

static int set_opt(int opt, char *arg, void *ctx)
{
	struct opts *o = ctx;
	switch (opt) {
	case OPT_DB: cli_db_url = arg; return 0;
	case OPT_TENANT: o->tenant = arg; return 0;
	case OPT_PERSON:
		o->person = cli_parse_long(arg, 1, 0x7fffffffL);
		return o->person > 0 ? 0 : cli_usage_error("person", "--person attend un numéro");
	case OPT_FORMAT:
		o->format = arg;
		return strcmp(arg, "json") == 0 || strcmp(arg, "pdf") == 0
		           ? 0
		           : cli_usage_error("person", "--format attend json ou pdf");
	default: return cli_usage_error("person", "option inconnue");
	}
}

/* The command line acting in the CCAS of siret: 0, or 1 after printing
 * why. */
static int tenant_actor(struct db *db, const char *siret, struct actor *who)
{
	int rc;
	cli_operator(who);
	json_t *t = tenant_store_by_siret(db, siret, &rc);
	if (!t) {
		fprintf(stderr, "cassis person : aucun CCAS n'a le SIRET « %s ».\n", siret);
		return 1;
	}
	who->tenant_id = json_integer_value(json_object_get(t, "id"));
	snprintf(who->tenant_name, sizeof(who->tenant_name), "%s",
	         json_string_value(json_object_get(t, "name")));
	json_decref(t);
	return 0;
}

static int failed(int rc, long person)
{
	if (rc == CAS_ENOTFOUND)
		fprintf(stderr, "cassis person : aucune personne n° %ld dans ce CCAS.\n", person);
	else
		fprintf(stderr, "cassis person : échec (%s).\n", cas_err_name(rc));
	return 1;
}

static int write_out(const void *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) != n || fflush(stdout) != 0) {
		fprintf(stderr, "cassis person : écriture impossible sur la sortie standard.\n");
		return 1;
	}
	return 0;
}

static int do_export(struct db *db, const struct actor *who, const struct opts *o)
{
	int pdf = o->format && strcmp(o->format, "pdf") == 0;
	json_t *doc = NULL;
	int rc =
	    person_export(db, who, o->person, pdf ? PERSON_EXPORT_PDF : PERSON_EXPORT_JSON, &doc);
	if (rc != 0)
		return failed(rc, o->person);
	int status;
	if (pdf) {
		unsigned char *bytes = NULL;
		size_t len = 0;
		rc = person_export_pdf(db, who, doc, &bytes, &len);
		status = rc == 0 ? write_out(bytes, len) : failed(rc, o->person);
		free(bytes);
	} else {
		char *text = json_dumps(doc, JSON_INDENT(2));
		status = text ? write_out(text, strlen(text)) || write_out("\n", 1) : 1;
		json_free_text(text);
	}
	json_decref(doc);
	return status;
}

static int do_erase(struct db *db, const struct actor *who, const struct opts *o)
{
	char *why = NULL;
	int rc = person_erase(db, who, o->person, &why);
	if (rc == CAS_ECONFLICT && why) {
		fprintf(stderr, "Effacement refusé : %s\n", why);
		free(why);
		return 1;
	}
	free(why);
	if (rc != 0)
		return failed(rc, o->person);
	printf("La personne n° %ld est effacée.\n", o->person);
	return 0;
}

int cmd_person(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, OPT_DB},
	                                     {"tenant", required_argument, NULL, OPT_TENANT},
	                                     {"person", required_argument, NULL, OPT_PERSON},
	                                     {"format", required_argument, NULL, OPT_FORMAT},
	                                     {"help", no_argument, NULL, OPT_HELP},
	                                     {NULL, 0, NULL, 0}};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	int export = argc >= 2 && strcmp(argv[1], "export") == 0;
	if (!export && !(argc >= 2 && strcmp(argv[1], "erase") == 0))
		return cli_usage_error("person", "sous-commande attendue : export ou erase");
	struct opts o = {0};
	struct cli_options co = {export ? "person export" : "person erase", help, opts, OPT_HELP,
	                         set_opt};
	int rc = cli_parse_options(&co, argc - 1, argv + 1, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (!o.tenant || !o.person)
		return cli_usage_error("person", "indiquez --tenant SIRET et --person ID");
	if (!export && o.format)
		return cli_usage_error("person", "--format va avec export");
	struct db *db;
	if (cli_open_db(&db) != 0)
		return 1;
	struct actor who;
	int status = tenant_actor(db, o.tenant, &who);
	if (status == 0)
		status = export ? do_export(db, &who, &o) : do_erase(db, &who, &o);
	db_close(db);
	return status;
}
