#include "domain/dossier.h"

#include <string.h>

#include "base/err.h"

static const struct {
	const char *code;
	const char *label;
} states[DS_COUNT] = {
    [DS_BROUILLON] = {"brouillon", "Brouillon"},
    [DS_DEPOSE] = {"depose", "Déposé"},
    [DS_EN_INSTRUCTION] = {"en_instruction", "En instruction"},
    [DS_CLOTURE] = {"cloture", "Clôturé"},
};

static const struct line_type line_types[] = {
    {"salaire", "Salaires et revenus d'activité", LINE_RESSOURCE},
    {"pension_retraite", "Pension de retraite", LINE_RESSOURCE},
    {"allocation_chomage", "Allocation chômage", LINE_RESSOURCE},
    {"rsa", "Revenu de solidarité active (RSA)", LINE_RESSOURCE},
    {"aah", "Allocation aux adultes handicapés (AAH)", LINE_RESSOURCE},
    {"prestations_familiales", "Prestations familiales", LINE_RESSOURCE},
    {"aide_logement", "Aide au logement (APL, ALF, ALS)", LINE_RESSOURCE},
    {"pension_alimentaire_recue", "Pension alimentaire reçue", LINE_RESSOURCE},
    {"indemnites_journalieres", "Indemnités journalières", LINE_RESSOURCE},
    {"autre_ressource", "Autre ressource", LINE_RESSOURCE},
    {"loyer", "Loyer", LINE_CHARGE},
    {"credit_immobilier", "Crédit immobilier", LINE_CHARGE},
    {"charges_locatives", "Charges locatives", LINE_CHARGE},
    {"energie", "Énergie (électricité, gaz, fioul, bois)", LINE_CHARGE},
    {"eau", "Eau", LINE_CHARGE},
    {"assurance", "Assurances", LINE_CHARGE},
    {"impots", "Impôts et taxes", LINE_CHARGE},
    {"remboursement_dette", "Remboursement de dettes", LINE_CHARGE},
    {"frais_garde", "Frais de garde d'enfants", LINE_CHARGE},
    {"pension_alimentaire_versee", "Pension alimentaire versée", LINE_CHARGE},
    {"autre_charge", "Autre charge", LINE_CHARGE},
};

#define LINE_TYPE_COUNT (sizeof(line_types) / sizeof(line_types[0]))

const char *dossier_state_code(enum dossier_state s)
{
	return (unsigned)s < DS_COUNT ? states[s].code : NULL;
}

const char *dossier_state_label(enum dossier_state s)
{
	return (unsigned)s < DS_COUNT ? states[s].label : NULL;
}

int dossier_state_from_code(const char *code, enum dossier_state *out)
{
	if (!code)
		return CAS_EINVAL;
	for (int s = 0; s < DS_COUNT; s++) {
		if (strcmp(code, states[s].code) == 0) {
			*out = (enum dossier_state)s;
			return 0;
		}
	}
	return CAS_EINVAL;
}

/* The reason a transition is refused, or NULL when it is allowed. */
static const char *transition_refusal(enum dossier_state from, enum dossier_state to)
{
	if ((unsigned)from >= DS_COUNT || (unsigned)to >= DS_COUNT)
		return "État de dossier inconnu.";
	if (from == to)
		return "Le dossier est déjà dans cet état.";
	if (from == DS_CLOTURE)
		return "Un dossier clôturé ne peut plus changer d'état.";
	if (to == DS_CLOTURE)
		return NULL; /* instruction finished, or classé sans suite */
	if (to == DS_BROUILLON)
		return "Un dossier déposé ne peut pas redevenir un brouillon.";
	if (from == DS_BROUILLON && to == DS_EN_INSTRUCTION)
		return "Le dossier doit être déposé avant d'être mis en instruction.";
	if (from == DS_EN_INSTRUCTION && to == DS_DEPOSE)
		return "Un dossier en instruction ne peut pas revenir à l'état déposé.";
	return NULL;
}

int dossier_transition_check(enum dossier_state from, enum dossier_state to, const char **why)
{
	const char *refusal = transition_refusal(from, to);

	if (!refusal)
		return 0;
	if (why)
		*why = refusal;
	return CAS_EINVAL;
}

const char *line_kind_code(enum line_kind k)
{
	return k == LINE_RESSOURCE ? "ressource" : k == LINE_CHARGE ? "charge" : NULL;
}

const char *line_kind_label(enum line_kind k)
{
	return k == LINE_RESSOURCE ? "Ressource" : k == LINE_CHARGE ? "Charge" : NULL;
}

const struct line_type *line_type_find(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < LINE_TYPE_COUNT; i++) {
		if (strcmp(code, line_types[i].code) == 0)
			return &line_types[i];
	}
	return NULL;
}

size_t line_type_count(void)
{
	return LINE_TYPE_COUNT;
}

const struct line_type *line_type_at(size_t i)
{
	return i < LINE_TYPE_COUNT ? &line_types[i] : NULL;
}
