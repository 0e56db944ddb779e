/* cassis audit verify: a thin adapter over app/audit_verify.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_verify.h"
#include "base/err.h"
#include "cli/cli.h"
#include "store/db.h"

static const char help[] =
    "Usage : cassis audit verify [--db URL] [--tenant SIRET] [--head ID:EMPREINTE] [--json]\n"
    "Vérifie la chaîne d'empreintes du journal d'audit : chaque entrée porte le SHA-256\n"
    "de la précédente et de son propre contenu. Toute entrée modifiée, insérée,\n"
    "supprimée ou déplacée est signalée, avec son numéro, l'empreinte attendue et\n"
    "celle trouvée.\n"
    "  --tenant SIRET         la chaîne de ce CCAS seulement (défaut : toutes les\n"
    "                         chaînes, dont celle de la plateforme)\n"
    "  --head ID:EMPREINTE    une tête de chaîne conservée ailleurs (ligne « audit_head »\n"
    "                         du journal du serveur) : l'entrée ID doit toujours avoir\n"
    "                         cette empreinte, ce qui révèle aussi les entrées supprimées\n"
    "                         en fin de chaîne ; avec --tenant\n"
    "  --json                 le rapport en JSON\n"
    "Statut de sortie : 0 chaîne intacte, 1 chaîne altérée (ou base illisible),\n"
    "2 usage incorrect.\n";

struct opts {
	const char *tenant;
	const char *head;
	int json;
};

enum { OPT_DB = 1, OPT_TENANT, OPT_HEAD, OPT_JSON, OPT_HELP };

static int set_opt(int opt, char *arg, void *ctx)
{
	struct opts *o = ctx;
	switch (opt) {
	case OPT_DB: cli_db_url = arg; return 0;
	case OPT_TENANT: o->tenant = arg; return 0;
	case OPT_HEAD: o->head = arg; return 0;
	case OPT_JSON: o->json = 1; return 0;
	default: return cli_usage_error("audit", "option inconnue");
	}
}

/* "ID:HASH" with 64 lowercase hex digits; 0 or -1. */
static int parse_head(const char *s, struct audit_anchor *a, char hash[65])
{
	const char *colon = s ? strchr(s, ':') : NULL;
	if (!colon)
		return -1;
	char *end;
	long long id = strtoll(s, &end, 10);
	if (end != colon || id <= 0 || strlen(colon + 1) != 64 ||
	    strspn(colon + 1, "0123456789abcdef") != 64)
		return -1;
	snprintf(hash, 65, "%s", colon + 1);
	a->id = id;
	a->hash = hash;
	return 0;
}

static void print_chain(const json_t *c)
{
	const char *siret = json_string_value(json_object_get(c, "siret"));
	const char *name = json_string_value(json_object_get(c, "name"));
	long long entries = json_integer_value(json_object_get(c, "entries"));
	long long nerr = json_integer_value(json_object_get(c, "error_count"));
	if (siret)
		printf("Chaîne du CCAS « %s » (SIRET %s) : ", name ? name : "", siret);
	else
		printf("Chaîne de la plateforme : ");
	printf("%lld entrée%s, ", entries, entries > 1 ? "s" : "");
	if (!nerr)
		printf("intacte.\n");
	else
		printf("ALTÉRÉE (%lld anomalie%s).\n", nerr, nerr > 1 ? "s" : "");
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(c, "errors"), i, e)
	    printf("  %s\n", json_string_value(json_object_get(e, "message")));
	if (nerr > (long long)json_array_size(json_object_get(c, "errors")))
		printf("  … et %lld autres anomalies.\n",
		       nerr - (long long)json_array_size(json_object_get(c, "errors")));
	long long redacted = json_integer_value(json_object_get(c, "redacted"));
	if (redacted)
		printf("  %lld entrée%s caviardée%s par la purge (empreintes conservées).\n",
		       redacted, redacted > 1 ? "s" : "", redacted > 1 ? "s" : "");
	if (entries)
		printf("  Dernière entrée : n° %lld, empreinte %s\n",
		       (long long)json_integer_value(json_object_get(c, "last_id")),
		       json_string_value(json_object_get(c, "hash")));
}

static void print_report(const json_t *rep)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(rep, "chains"), i, c) print_chain(c);
	long long nerr = json_integer_value(json_object_get(rep, "errors"));
	if (!nerr)
		printf("Journal d'audit intact.\n");
	else
		printf("Journal d'audit altéré : %lld anomalie%s.\n", nerr, nerr > 1 ? "s" : "");
}

/* The tenant of --tenant into *id; AUDIT_VERIFY_ALL without it. 0, or an
 * exit status after printing why. */
static int tenant_of(struct db *db, const char *siret, int64_t *id)
{
	return cli_tenant_of(db, "audit", siret, AUDIT_VERIFY_ALL, id);
}

static int verify(const struct opts *o, const struct audit_anchor *anchor)
{
	struct db *db;
	if (cli_open_db(&db) != 0)
		return 1;
	int64_t tenant_id;
	int status = tenant_of(db, o->tenant, &tenant_id);
	json_t *rep = NULL;
	if (status == 0) {
		struct actor who;
		cli_operator(&who);
		int rc = audit_verify(db, &who, tenant_id, anchor, &rep);
		if (rc != 0) {
			fprintf(stderr,
			        "cassis audit verify : lecture du journal impossible (%s).\n",
			        cas_err_name(rc));
			status = 1;
		}
	}
	if (rep) {
		if (o->json)
			cli_print_json(stdout, rep, JSON_INDENT(2));
		else
			print_report(rep);
		status = json_is_true(json_object_get(rep, "intact")) ? 0 : 1;
		json_decref(rep);
	}
	db_close(db);
	return status;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, OPT_DB},
	                                     {"tenant", required_argument, NULL, OPT_TENANT},
	                                     {"head", required_argument, NULL, OPT_HEAD},
	                                     {"json", no_argument, NULL, OPT_JSON},
	                                     {"help", no_argument, NULL, OPT_HELP},
	                                     {NULL, 0, NULL, 0}};
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(help, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return cli_usage_error("audit", "sous-commande attendue : verify");
	struct opts o = {0};
	struct cli_options co = {"audit verify", help, opts, OPT_HELP, set_opt};
	int rc = cli_parse_options(&co, argc - 1, argv + 1, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	struct audit_anchor anchor = {0};
	char hash[65];
	if (o.head && parse_head(o.head, &anchor, hash) != 0)
		return cli_usage_error("audit verify",
		                       "--head attend ID:EMPREINTE (numéro d'entrée et 64 chiffres "
		                       "hexadécimaux)");
	if (o.head && !o.tenant)
		return cli_usage_error("audit verify", "--head va avec --tenant");
	return verify(&o, o.head ? &anchor : NULL);
}
