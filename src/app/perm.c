#include "app/perm.h"

#include <string.h>

/* The whole access policy: one row per permission, its stable name (printed
 * by `cassis routes`, kept by tests and documentation: never rename one) and
 * the roles of accounts that hold it. ROLE_SYSTEME, the operator at the
 * command line, holds every permission (see perm_allows). */
#define R(role)      (1u << ROLE_##role)
#define TENANT_ROLES (R(ACCUEIL) | R(INSTRUCTEUR) | R(VALIDEUR) | R(ADMINISTRATEUR) | R(AUDITEUR))
#define NO_ACCOUNT   0u

struct perm_row {
	const char *name;
	unsigned roles; /* R(role) | ... */
};

static const struct perm_row rows[PERM__COUNT] = {
    [PERM_NONE] = {"none", TENANT_ROLES | R(PLATEFORME)},
    [PERM_PERSON_READ] = {"person_read", TENANT_ROLES},
    [PERM_PERSON_WRITE] = {"person_write", R(ACCUEIL) | R(INSTRUCTEUR)},
    [PERM_HOUSEHOLD_READ] = {"household_read", TENANT_ROLES},
    [PERM_HOUSEHOLD_WRITE] = {"household_write", R(ACCUEIL) | R(INSTRUCTEUR)},
    [PERM_DOSSIER_READ] = {"dossier_read", TENANT_ROLES},
    [PERM_DOSSIER_CREATE] = {"dossier_create", R(ACCUEIL) | R(INSTRUCTEUR)},
    [PERM_DOSSIER_DETAIL] = {"dossier_detail", R(INSTRUCTEUR) | R(VALIDEUR) | R(AUDITEUR)},
    [PERM_DOSSIER_INSTRUCT] = {"dossier_instruct", R(INSTRUCTEUR)},
    [PERM_USERS_ADMIN] = {"users_admin", R(ADMINISTRATEUR)},
    [PERM_APIKEYS_ADMIN] = {"apikeys_admin", R(ADMINISTRATEUR)},
    [PERM_AIDS_ADMIN] = {"aids_admin", R(ADMINISTRATEUR)},
    [PERM_AUDIT_READ] = {"audit_read", R(ADMINISTRATEUR) | R(AUDITEUR)},
    [PERM_TENANTS_ADMIN] = {"tenants_admin", R(PLATEFORME)},
    [PERM_SETTINGS_ADMIN] = {"settings_admin", R(ADMINISTRATEUR)},
    [PERM_MAINTENANCE] = {"maintenance", NO_ACCOUNT},
    [PERM_PARTICULIER_CONSULT] = {"particulier_consult", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_PROVIDER_CONFIG] = {"provider_config", NO_ACCOUNT},
    [PERM_DOSSIER_EVALUATE] = {"dossier_evaluate", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_SIMULATE] = {"simulate", R(INSTRUCTEUR) | R(VALIDEUR) | R(ADMINISTRATEUR)},
    [PERM_PARTICULIER_APPLY] = {"particulier_apply", R(INSTRUCTEUR)},
    /* workflow */
    [PERM_DOSSIER_DEPOSIT] = {"dossier_deposit", R(ACCUEIL) | R(INSTRUCTEUR)},
    [PERM_DOSSIER_REQUEST_DOCS] = {"dossier_request_docs", R(INSTRUCTEUR)},
    [PERM_DOSSIER_PROPOSE] = {"dossier_propose", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_DOSSIER_SEND_COMMISSION] = {"dossier_send_commission", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_DOSSIER_DECIDE] = {"dossier_decide", R(VALIDEUR)},
    [PERM_DOSSIER_NOTIFY] = {"dossier_notify", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_DOSSIER_PAY] = {"dossier_pay", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_DOSSIER_CLOSE] = {"dossier_close", R(INSTRUCTEUR) | R(VALIDEUR)},
    /* payments, budgets, exports */
    [PERM_PAYMENT_READ] = {"payment_read", R(INSTRUCTEUR) | R(VALIDEUR) | R(AUDITEUR)},
    [PERM_PAYMENT_WRITE] = {"payment_write", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_EXPORT] = {"export", R(VALIDEUR) | R(ADMINISTRATEUR)},
    /* commission */
    [PERM_COMMISSION_READ] = {"commission_read", TENANT_ROLES & ~R(ACCUEIL)},
    [PERM_COMMISSION_MANAGE] = {"commission_manage", R(VALIDEUR) | R(ADMINISTRATEUR)},
    /* documents */
    [PERM_DOCUMENT_UPLOAD] = {"document_upload", R(ACCUEIL) | R(INSTRUCTEUR)},
    [PERM_DOCUMENT_READ] = {"document_read", R(INSTRUCTEUR) | R(VALIDEUR) | R(AUDITEUR)},
    /* letters */
    [PERM_LETTER_READ] = {"letter_read", TENANT_ROLES & ~R(ADMINISTRATEUR)},
    [PERM_LETTER_GENERATE] = {"letter_generate", R(INSTRUCTEUR) | R(VALIDEUR)},
    [PERM_LETTER_TEMPLATES] = {"letter_templates", R(ADMINISTRATEUR)},
    /* rights of the person, retention */
    [PERM_PERSON_EXPORT] = {"person_export", R(ADMINISTRATEUR)},
    [PERM_PERSON_ERASE] = {"person_erase", R(ADMINISTRATEUR)},
    [PERM_LEGAL_HOLD] = {"legal_hold", R(VALIDEUR) | R(ADMINISTRATEUR)},
};

static const char *const codes[ROLE__COUNT] = {
    "accueil", "instructeur", "valideur", "administrateur", "auditeur", "plateforme", "systeme",
};

static const char *const labels[ROLE__COUNT] = {
    "Accueil",           "Instructeur", "Valideur",
    "Administrateur",    "Auditeur",    "Administrateur de la plateforme",
    "Ligne de commande",
};

int perm_allows(enum role role, enum perm perm)
{
	if ((unsigned)role >= ROLE__COUNT || (unsigned)perm >= PERM__COUNT)
		return 0;
	return role == ROLE_SYSTEME || (rows[perm].roles & (1u << role)) != 0;
}

const char *perm_name(enum perm perm)
{
	if ((unsigned)perm >= PERM__COUNT || !rows[perm].name)
		return "";
	return rows[perm].name;
}

int role_from_code(const char *code)
{
	for (int i = 0; code && i < ROLE__COUNT; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

const char *role_code(enum role role)
{
	return (unsigned)role < ROLE__COUNT ? codes[role] : "";
}

const char *role_label(enum role role)
{
	return (unsigned)role < ROLE__COUNT ? labels[role] : "";
}

int role_is_tenant_role(int role)
{
	return role >= 0 && role < ROLE_PLATEFORME;
}
