/* The route table: every page and API call, with the permission it needs.
 * The permission table itself is app/perm.c. */
#include <stddef.h>

#include "web/handlers.h"
#include "web/route.h"

const struct route routes[] = {
	{"GET", "/healthz", ROUTE_PUBLIC, PERM_NONE, h_healthz},
	{"GET", "/connexion", ROUTE_PUBLIC, PERM_NONE, h_login_form},
	{"POST", "/connexion", ROUTE_PUBLIC, PERM_NONE, h_login},
	{"POST", "/deconnexion", ROUTE_PAGE, PERM_NONE, h_logout},
	{"GET", "/", ROUTE_PAGE, PERM_NONE, h_home},
	{NULL, NULL, ROUTE_PUBLIC, PERM_NONE, NULL},
};
