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
	/* workflow (app/workflow.c): one permission per action of the life cycle;
	 * PERM_DOSSIER_INSTRUCT takes up and resumes the instruction */
	PERM_DOSSIER_DEPOSIT,         /* brouillon -> déposé */
	PERM_DOSSIER_REQUEST_DOCS,    /* -> en attente de pièces */
	PERM_DOSSIER_PROPOSE,         /* -> instruit, with the proposal */
	PERM_DOSSIER_SEND_COMMISSION, /* instruit <-> en commission */
	PERM_DOSSIER_DECIDE,          /* -> décidé (four-eyes applies) */
	PERM_DOSSIER_NOTIFY,          /* décidé -> notifié */
	PERM_DOSSIER_PAY,             /* notifié -> paiement */
	PERM_DOSSIER_CLOSE,           /* -> clôturé, classement sans suite */
	/* payments and budgets (app/payments.c, app/budgets.c) and exports (app/exports.c) */
	PERM_PAYMENT_READ,  /* a dossier's payments, payees (IBAN), the payments list */
	PERM_PAYMENT_WRITE, /* payees, scheduling, mandaté / payé / remis, cancelling */
	PERM_EXPORT,        /* CSV / XLSX lists and the treasury file (bulk extraction) */
	/* the commission (app/commission.c): its sessions, agenda, anonymised
	 * agenda and minutes; managing = creating and editing sessions, building
	 * the agenda, closing (decisions need PERM_DOSSIER_DECIDE) */
	PERM_COMMISSION_READ,
	PERM_COMMISSION_MANAGE,
	/* pièces justificatives (app/documents.c): upload to a dossier, and read
	 * their content (download, audited); listing goes with PERM_DOSSIER_READ,
	 * deleting with PERM_DOSSIER_INSTRUCT */
	PERM_DOCUMENT_UPLOAD,
	PERM_DOCUMENT_READ,
	/* letters (app/letters.c): list and download (reprint) a dossier's
	 * letters; generate them; the CCAS's letter templates and letterhead */
	PERM_LETTER_READ,
	PERM_LETTER_GENERATE,
	PERM_LETTER_TEMPLATES,
	/* rights of the person (app/person_export.h): the export of everything
	 * held on a person (droit d'accès), the erasure where the law allows it */
	PERM_PERSON_EXPORT,
	PERM_PERSON_ERASE,
	/* retention (app/retention.h): a legal hold (contentieux, recours) on a
	 * dossier suspends its purge; setting and lifting it */
	PERM_LEGAL_HOLD,
	PERM__COUNT
};

int perm_allows(enum role role, enum perm perm);
/* The stable name of a permission ("person_read"), as `cassis routes` prints
 * it; "" when out of range. Static storage: not freed. */
const char *perm_name(enum perm perm);

/* Codes as stored ("accueil"...) and French labels. Unknown code: -1. */
int role_from_code(const char *code);
const char *role_code(enum role role);
const char *role_label(enum role role);
/* Roles a tenant administrator may give (all but ROLE_PLATEFORME). */
int role_is_tenant_role(int role);

#endif
