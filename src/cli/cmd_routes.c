/* cassis routes: prints the route table, so that tests and documentation
 * cover every route without a hand-kept list. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/perm.h"
#include "cli/cli.h"
#include "web/route.h"

static const char help[] = "Usage : cassis routes [--json]\n"
                           "Affiche la table des routes : méthode, adresse, type (public, page,\n"
                           "api), permission requise et rôles qui la détiennent.\n\n"
                           "  --json   une liste JSON, une entrée par route\n"
                           "  --help   cette aide\n";

/* Names of the permissions as printed; a permission added to app/perm.h
 * without a name here prints as "perm_N". */
static const char *const perm_names[PERM__COUNT] = {
    [PERM_NONE] = "none",
    [PERM_PERSON_READ] = "person_read",
    [PERM_PERSON_WRITE] = "person_write",
    [PERM_HOUSEHOLD_READ] = "household_read",
    [PERM_HOUSEHOLD_WRITE] = "household_write",
    [PERM_DOSSIER_READ] = "dossier_read",
    [PERM_DOSSIER_CREATE] = "dossier_create",
    [PERM_DOSSIER_DETAIL] = "dossier_detail",
    [PERM_DOSSIER_INSTRUCT] = "dossier_instruct",
    [PERM_USERS_ADMIN] = "users_admin",
    [PERM_APIKEYS_ADMIN] = "apikeys_admin",
    [PERM_AIDS_ADMIN] = "aids_admin",
    [PERM_AUDIT_READ] = "audit_read",
    [PERM_TENANTS_ADMIN] = "tenants_admin",
    [PERM_SETTINGS_ADMIN] = "settings_admin",
    [PERM_MAINTENANCE] = "maintenance",
    [PERM_DOSSIER_EVALUATE] = "dossier_evaluate",
    [PERM_SIMULATE] = "simulate",
    [PERM_PARTICULIER_CONSULT] = "particulier_consult",
    [PERM_PARTICULIER_APPLY] = "particulier_apply",
    [PERM_PROVIDER_CONFIG] = "provider_config",
    [PERM_DOSSIER_DEPOSIT] = "dossier_deposit",
    [PERM_DOSSIER_REQUEST_DOCS] = "dossier_request_docs",
    [PERM_DOSSIER_PROPOSE] = "dossier_propose",
    [PERM_DOSSIER_SEND_COMMISSION] = "dossier_send_commission",
    [PERM_DOSSIER_DECIDE] = "dossier_decide",
    [PERM_DOSSIER_NOTIFY] = "dossier_notify",
    [PERM_DOSSIER_PAY] = "dossier_pay",
    [PERM_DOSSIER_CLOSE] = "dossier_close",
    [PERM_PAYMENT_READ] = "payment_read",
    [PERM_PAYMENT_WRITE] = "payment_write",
    [PERM_EXPORT] = "export",
    [PERM_DOCUMENT_UPLOAD] = "document_upload",
    [PERM_DOCUMENT_READ] = "document_read",
    [PERM_LETTER_READ] = "letter_read",
    [PERM_LETTER_GENERATE] = "letter_generate",
    [PERM_LETTER_TEMPLATES] = "letter_templates",
    [PERM_COMMISSION_READ] = "commission_read",
    [PERM_COMMISSION_MANAGE] = "commission_manage",
    [PERM_PERSON_EXPORT] = "person_export",
    [PERM_PERSON_ERASE] = "person_erase",
};

static const char *perm_name(enum perm p, char *tmp, size_t n)
{
	if ((unsigned)p < PERM__COUNT && perm_names[p])
		return perm_names[p];
	snprintf(tmp, n, "perm_%d", (int)p);
	return tmp;
}

static const char *kind_name(enum route_kind k)
{
	switch (k) {
	case ROUTE_PUBLIC: return "public";
	case ROUTE_PAGE: return "page";
	case ROUTE_API: return "api";
	}
	return "?";
}

/* The roles of accounts (not the command-line operator) holding perm. */
static json_t *roles_allowed(enum perm p)
{
	json_t *roles = json_array();
	for (int role = 0; role < ROLE__COUNT; role++)
		if (role != ROLE_SYSTEME && perm_allows((enum role)role, p))
			json_array_append_new(roles, json_string(role_code((enum role)role)));
	return roles;
}

static int print_json(void)
{
	json_t *list = json_array();
	char tmp[32];
	for (const struct route *rt = routes; rt->method; rt++) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "method", rt->method, "pattern",
		                      rt->pattern, "kind", kind_name(rt->kind), "permission",
		                      perm_name(rt->perm, tmp, sizeof(tmp)), "roles",
		                      roles_allowed(rt->perm));
		json_array_append_new(list, o);
	}
	int rc = json_dumpf(list, stdout, JSON_INDENT(2)) == 0 ? 0 : 1;
	json_decref(list);
	putchar('\n');
	return rc;
}

static int print_table(void)
{
	char tmp[32];
	printf("méthode adresse                                       type    permission\n");
	for (const struct route *rt = routes; rt->method; rt++)
		printf("%-7s %-45s %-7s %s\n", rt->method, rt->pattern, kind_name(rt->kind),
		       perm_name(rt->perm, tmp, sizeof(tmp)));
	return 0;
}

int cmd_routes(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int opt, json = 0;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return 0;
		}
		if (opt != 'j')
			return cli_usage_error("routes", "option inconnue");
		json = 1;
	}
	if (optind < argc)
		return cli_usage_error("routes", "argument inattendu");
	return json ? print_json() : print_table();
}
