#include "domain/household.h"

#include <string.h>

#include "base/err.h"
#include "domain/pdate.h"

static const struct {
	const char *code;
	const char *label;
} relations[REL_COUNT] = {
    [REL_DEMANDEUR] = {"demandeur", "Demandeur"},
    [REL_CONJOINT] = {"conjoint", "Conjoint(e)"},
    [REL_ENFANT] = {"enfant", "Enfant"},
    [REL_PERSONNE_A_CHARGE] = {"personne_a_charge", "Autre personne à charge"},
    [REL_AUTRE] = {"autre", "Autre"},
};

int relation_from_code(const char *code, enum relation *out)
{
	if (!code)
		return CAS_EINVAL;
	for (int r = 0; r < REL_COUNT; r++) {
		if (strcmp(code, relations[r].code) == 0) {
			*out = (enum relation)r;
			return 0;
		}
	}
	return CAS_EINVAL;
}

const char *relation_code(enum relation r)
{
	return (unsigned)r < REL_COUNT ? relations[r].code : NULL;
}

const char *relation_label(enum relation r)
{
	return (unsigned)r < REL_COUNT ? relations[r].label : NULL;
}

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return CAS_EINVAL;
}

int household_member_dates_check(const char *entry_iso, const char *exit_iso_or_null,
                                 const char **why)
{
	int ey, em, ed, xy, xm, xd;

	if (!entry_iso || !*entry_iso)
		return fail(why, "La date d'entrée dans le foyer est obligatoire.");
	if (ymd_parse_iso(entry_iso, &ey, &em, &ed) != 0)
		return fail(why, "La date d'entrée dans le foyer est invalide.");
	if (!exit_iso_or_null || !*exit_iso_or_null)
		return 0;
	if (ymd_parse_iso(exit_iso_or_null, &xy, &xm, &xd) != 0)
		return fail(why, "La date de sortie du foyer est invalide.");
	if (ymd_cmp(xy, xm, xd, ey, em, ed) < 0)
		return fail(why,
		            "La date de sortie du foyer ne peut pas précéder la date d'entrée.");
	return 0;
}
