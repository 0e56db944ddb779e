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
	for (const struct route *rt = routes; rt->method; rt++) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "method", rt->method, "pattern",
		                      rt->pattern, "kind", kind_name(rt->kind), "permission",
		                      perm_name(rt->perm), "roles", roles_allowed(rt->perm));
		json_array_append_new(list, o);
	}
	int rc = json_dumpf(list, stdout, JSON_INDENT(2)) == 0 ? 0 : 1;
	json_decref(list);
	putchar('\n');
	return rc;
}

static int print_table(void)
{
	printf("méthode adresse                                       type    permission\n");
	for (const struct route *rt = routes; rt->method; rt++)
		printf("%-7s %-45s %-7s %s\n", rt->method, rt->pattern, kind_name(rt->kind),
		       perm_name(rt->perm));
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
