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
    {"GET", "/theme.css", ROUTE_PUBLIC, PERM_NONE, h_theme},
    {"GET", "/", ROUTE_PAGE, PERM_NONE, h_home},

    /* persons (usagers): page_persons.c, api_persons.c */
    {"GET", "/usagers", ROUTE_PAGE, PERM_PERSON_READ, h_persons_list},
    {"GET", "/usagers/nouveau", ROUTE_PAGE, PERM_PERSON_WRITE, h_person_new},
    {"POST", "/usagers", ROUTE_PAGE, PERM_PERSON_WRITE, h_person_create},
    {"GET", "/usagers/{id}", ROUTE_PAGE, PERM_PERSON_READ, h_person_show},
    {"GET", "/usagers/{id}/modifier", ROUTE_PAGE, PERM_PERSON_WRITE, h_person_edit},
    {"POST", "/usagers/{id}", ROUTE_PAGE, PERM_PERSON_WRITE, h_person_update},
    {"GET", "/api/v1/persons", ROUTE_API, PERM_PERSON_READ, h_api_persons_list},
    {"POST", "/api/v1/persons", ROUTE_API, PERM_PERSON_WRITE, h_api_person_create},
    {"GET", "/api/v1/persons/{id}", ROUTE_API, PERM_PERSON_READ, h_api_person_get},
    {"PATCH", "/api/v1/persons/{id}", ROUTE_API, PERM_PERSON_WRITE, h_api_person_update},
    /* the OpenAPI description of the JSON API (docs/openapi.json): api_openapi.c */
    {"GET", "/api/v1/openapi.json", ROUTE_PUBLIC, PERM_NONE, h_api_openapi},

    /* households (foyers) and dossiers: page_households.c, page_dossiers.c,
	 * api_households.c, api_dossiers.c */
    {"GET", "/foyers", ROUTE_PAGE, PERM_HOUSEHOLD_READ, h_households},
    {"GET", "/foyers/nouveau", ROUTE_PAGE, PERM_HOUSEHOLD_WRITE, h_household_new},
    {"POST", "/foyers", ROUTE_PAGE, PERM_HOUSEHOLD_WRITE, h_household_create},
    {"GET", "/foyers/{id}", ROUTE_PAGE, PERM_HOUSEHOLD_READ, h_household_show},
    {"POST", "/foyers/{id}/membres", ROUTE_PAGE, PERM_HOUSEHOLD_WRITE, h_household_member_add},
    {"POST", "/foyers/{id}/membres/{id}/sortie", ROUTE_PAGE, PERM_HOUSEHOLD_WRITE,
     h_household_member_exit},
    {"GET", "/dossiers", ROUTE_PAGE, PERM_DOSSIER_READ, h_dossiers},
    {"GET", "/dossiers/nouveau", ROUTE_PAGE, PERM_DOSSIER_CREATE, h_dossier_new},
    {"POST", "/dossiers", ROUTE_PAGE, PERM_DOSSIER_CREATE, h_dossier_create},
    {"GET", "/dossiers/{id}", ROUTE_PAGE, PERM_DOSSIER_READ, h_dossier_show},
    {"POST", "/dossiers/{id}/etat", ROUTE_PAGE, PERM_DOSSIER_INSTRUCT, h_dossier_state},
    {"POST", "/dossiers/{id}/lignes", ROUTE_PAGE, PERM_DOSSIER_INSTRUCT, h_dossier_line_add},
    {"POST", "/dossiers/{id}/notes", ROUTE_PAGE, PERM_DOSSIER_INSTRUCT, h_dossier_note_add},
    {"GET", "/admin/aides", ROUTE_PAGE, PERM_AIDS_ADMIN, h_aid_types},
    {"POST", "/admin/aides", ROUTE_PAGE, PERM_AIDS_ADMIN, h_aid_type_create},
    {"POST", "/admin/aides/{id}/etat", ROUTE_PAGE, PERM_AIDS_ADMIN, h_aid_type_state},
    {"GET", "/api/v1/households", ROUTE_API, PERM_HOUSEHOLD_READ, h_api_households},
    {"POST", "/api/v1/households", ROUTE_API, PERM_HOUSEHOLD_WRITE, h_api_household_create},
    {"GET", "/api/v1/households/{id}", ROUTE_API, PERM_HOUSEHOLD_READ, h_api_household_get},
    {"PATCH", "/api/v1/households/{id}", ROUTE_API, PERM_HOUSEHOLD_WRITE, h_api_household_update},
    {"POST", "/api/v1/households/{id}/members", ROUTE_API, PERM_HOUSEHOLD_WRITE,
     h_api_household_member_add},
    {"PATCH", "/api/v1/households/{id}/members/{id}", ROUTE_API, PERM_HOUSEHOLD_WRITE,
     h_api_household_member_update},
    {"GET", "/api/v1/dossiers", ROUTE_API, PERM_DOSSIER_READ, h_api_dossiers},
    {"POST", "/api/v1/dossiers", ROUTE_API, PERM_DOSSIER_CREATE, h_api_dossier_create},
    {"GET", "/api/v1/dossiers/{id}", ROUTE_API, PERM_DOSSIER_READ, h_api_dossier_get},
    {"PATCH", "/api/v1/dossiers/{id}", ROUTE_API, PERM_DOSSIER_CREATE, h_api_dossier_update},
    {"POST", "/api/v1/dossiers/{id}/lines", ROUTE_API, PERM_DOSSIER_INSTRUCT,
     h_api_dossier_line_add},
    {"POST", "/api/v1/dossiers/{id}/notes", ROUTE_API, PERM_DOSSIER_INSTRUCT,
     h_api_dossier_note_add},
    {"GET", "/api/v1/aid-types", ROUTE_API, PERM_DOSSIER_READ, h_api_aid_types},

    /* administration, audit, platform: page_admin.c, page_audit.c, page_platform.c */
    {"GET", "/admin/utilisateurs", ROUTE_PAGE, PERM_USERS_ADMIN, h_admin_users},
    {"POST", "/admin/utilisateurs", ROUTE_PAGE, PERM_USERS_ADMIN, h_admin_user_create},
    {"POST", "/admin/utilisateurs/{id}/desactiver", ROUTE_PAGE, PERM_USERS_ADMIN,
     h_admin_user_deactivate},
    {"POST", "/admin/utilisateurs/{id}/reactiver", ROUTE_PAGE, PERM_USERS_ADMIN,
     h_admin_user_reactivate},
    {"GET", "/admin/utilisateurs/{id}/mot-de-passe", ROUTE_PAGE, PERM_USERS_ADMIN,
     h_admin_user_password_form},
    {"POST", "/admin/utilisateurs/{id}/mot-de-passe", ROUTE_PAGE, PERM_USERS_ADMIN,
     h_admin_user_password},
    {"GET", "/admin/cles-api", ROUTE_PAGE, PERM_APIKEYS_ADMIN, h_admin_apikeys},
    {"POST", "/admin/cles-api", ROUTE_PAGE, PERM_APIKEYS_ADMIN, h_admin_apikey_create},
    {"POST", "/admin/cles-api/{id}/revoquer", ROUTE_PAGE, PERM_APIKEYS_ADMIN,
     h_admin_apikey_revoke},
    /* the CCAS's own settings: page_settings.c */
    {"GET", "/admin/ccas", ROUTE_PAGE, PERM_SETTINGS_ADMIN, h_settings},
    {"POST", "/admin/ccas", ROUTE_PAGE, PERM_SETTINGS_ADMIN, h_settings_update},
    {"GET", "/audit", ROUTE_PAGE, PERM_AUDIT_READ, h_audit},
    {"GET", "/plateforme", ROUTE_PAGE, PERM_TENANTS_ADMIN, h_platform},
    {"POST", "/plateforme", ROUTE_PAGE, PERM_TENANTS_ADMIN, h_platform_tenant_create},
    {"POST", "/plateforme/{id}/administrateurs", ROUTE_PAGE, PERM_TENANTS_ADMIN,
     h_platform_admin_create},

    {NULL, NULL, ROUTE_PUBLIC, PERM_NONE, NULL},
};
