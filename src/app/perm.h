/* Roles and the one permission table that decides every route, page and
 * API call. */
#ifndef CAS_PERM_H
#define CAS_PERM_H

enum role {
	ROLE_ACCUEIL,
	ROLE_INSTRUCTEUR,
	ROLE_VALIDEUR,
	ROLE_ADMINISTRATEUR,
	ROLE_AUDITEUR,
	ROLE_PLATEFORME, /* platform administrator: manages tenants, sees no tenant data */
	ROLE_SYSTEME,    /* the local operator at the command line; never given to an account */
	ROLE__COUNT
};

enum perm {
	PERM_NONE,         /* any signed-in user */
	PERM_PERSON_READ,  /* identity and contact */
	PERM_PERSON_WRITE, /* create and update persons */
	PERM_HOUSEHOLD_READ,
	PERM_HOUSEHOLD_WRITE,
	PERM_DOSSIER_READ, /* list and header of dossiers */
	PERM_DOSSIER_CREATE,
	PERM_DOSSIER_DETAIL,   /* resources, charges, notes: the instruction */
	PERM_DOSSIER_INSTRUCT, /* change state, lines, notes */
	PERM_USERS_ADMIN,
	PERM_APIKEYS_ADMIN,
	PERM_AIDS_ADMIN,
	PERM_AUDIT_READ,
	PERM_TENANTS_ADMIN,
	PERM_SETTINGS_ADMIN, /* the settings of the actor's own CCAS */
	PERM_MAINTENANCE,    /* background jobs (purges of expired state): the system only */
	/* consult API Particulier (CAF / MSA) for a dossier */
	PERM_PARTICULIER_CONSULT,
	/* State API settings of a CCAS (token file): the operator only */
	PERM_PROVIDER_CONFIG,
	PERM_DOSSIER_EVALUATE, /* evaluate a dossier by its aid's rules and keep the result */
	PERM_SIMULATE,         /* simulations: a situation through an aid's rules, nothing stored */
	/* apply the household known to the CAF / MSA to a household */
	PERM_PARTICULIER_APPLY,
	PERM__COUNT
};

int perm_allows(enum role role, enum perm perm);

/* Codes as stored ("accueil"...) and French labels. Unknown code: -1. */
int role_from_code(const char *code);
const char *role_code(enum role role);
const char *role_label(enum role role);
/* Roles a tenant administrator may give (all but ROLE_PLATEFORME). */
int role_is_tenant_role(int role);

#endif
