#include "app/perm.h"

#include <string.h>

/* Rows: roles; columns: permissions. The whole access policy is here. */
#define Y 1
#define N 0
static const unsigned char table[ROLE__COUNT][PERM__COUNT] = {
    /*                    none pr pw hr hw dr dc dd di us ak ai au tn st mt cq pc ev sm ap dp rd pp sc de no pa cl Pr Pw ex cr cm du dl lr lg lt xe xd lh */
    [ROLE_ACCUEIL] = {Y, Y, Y, Y, Y, Y, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, Y, N, N, N, N, N},
    [ROLE_INSTRUCTEUR] = {Y, Y, Y, Y, Y, Y, Y, Y, Y, N, N, N, N, N, N, N, Y, N, Y, Y, Y, Y, Y, Y, Y, N, Y, Y, Y, Y, Y, N, Y, N, Y, Y, Y, Y, N, N, N, N},
    [ROLE_VALIDEUR] = {Y, Y, N, Y, N, Y, N, Y, N, N, N, N, N, N, N, N, Y, N, Y, Y, N, N, N, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, N, Y, Y, Y, N, N, N, Y},
    [ROLE_ADMINISTRATEUR] = {Y, Y, N, Y, N, Y, N, N, N, Y, Y, Y, Y, N, Y, N, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, Y, Y, Y, N, N, N, N, Y, Y, Y, Y},
    [ROLE_AUDITEUR] = {Y, Y, N, Y, N, Y, N, Y, N, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, Y, N, N, Y, Y, N, N, N, N, N},
    [ROLE_PLATEFORME] = {Y, N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N},
    [ROLE_SYSTEME] = {Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y},
};
#undef Y
#undef N

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
	return table[role][perm];
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
