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
    [DS_EN_ATTENTE_PIECES] = {"en_attente_pieces", "En attente de pièces"},
    [DS_INSTRUIT] = {"instruit", "Instruit"},
    [DS_EN_COMMISSION] = {"en_commission", "En commission"},
    [DS_DECIDE] = {"decide", "Décidé"},
    [DS_NOTIFIE] = {"notifie", "Notifié"},
    [DS_PAIEMENT] = {"paiement", "Paiement"},
    [DS_CLOTURE] = {"cloture", "Clôturé"},
};

static const char *const proposal_codes[DP_COUNT][2] = {
    [DP_ACCORD] = {"accord", "Accord"},
    [DP_REFUS] = {"refus", "Refus"},
    [DP_AJOURNEMENT] = {"ajournement", "Ajournement"},
};

static const char *const decision_codes[DD_COUNT][2] = {
    [DD_ACCORDE] = {"accorde", "Accordé"},
    [DD_REFUSE] = {"refuse", "Refusé"},
    [DD_AJOURNE] = {"ajourne", "Ajourné"},
    [DD_SANS_SUITE] = {"sans_suite", "Classé sans suite"},
};

static const char *const payment_codes[PS_COUNT][2] = {
    [PS_MANDATE] = {"mandate", "Mandaté"},
    [PS_PAYE] = {"paye", "Payé"},
    [PS_REMIS] = {"remis", "Remis"},
};

/* The life cycle: every arrow, in display order. */
static const struct dossier_transition transitions[] = {
    {DS_BROUILLON, DS_DEPOSE, DA_DEPOSER, 0, 0, "depot", "Déposer la demande", "Demande déposée.",
     0},
    {DS_DEPOSE, DS_EN_INSTRUCTION, DA_INSTRUIRE, 0, 0, "instruction",
     "Prendre en charge l'instruction", "Instruction prise en charge.", 0},
    {DS_EN_INSTRUCTION, DS_EN_ATTENTE_PIECES, DA_DEMANDER_PIECES, DT_REQ_MOTIF, 0, "pieces",
     "Demander des pièces", "Pièces demandées.", 0},
    {DS_EN_ATTENTE_PIECES, DS_EN_INSTRUCTION, DA_INSTRUIRE, 0, 0, "reprise",
     "Reprendre l'instruction (pièces reçues)", "Instruction reprise : pièces reçues.", 0},
    {DS_EN_INSTRUCTION, DS_INSTRUIT, DA_PROPOSER, DT_REQ_PROPOSAL, 0, "proposition",
     "Proposer une décision", "Instruction terminée, proposition faite.", 0},
    {DS_INSTRUIT, DS_EN_INSTRUCTION, DA_INSTRUIRE, DT_REQ_MOTIF, 0, "reprise",
     "Reprendre l'instruction", "Instruction reprise, la proposition est retirée.", 0},
    {DS_INSTRUIT, DS_EN_COMMISSION, DA_ENVOYER_COMMISSION, 0, 0, "commission",
     "Inscrire à la commission", "Dossier inscrit à la commission.", 0},
    {DS_EN_COMMISSION, DS_INSTRUIT, DA_ENVOYER_COMMISSION, 0, 0, "commission",
     "Retirer de l'ordre du jour", "Dossier retiré de l'ordre du jour de la commission.", 0},
    {DS_EN_COMMISSION, DS_DECIDE, DA_DECIDER, DT_REQ_DECISION, 0, "decision",
     "Enregistrer la décision", "Décision prise en commission.", 1},
    {DS_INSTRUIT, DS_DECIDE, DA_DECIDER, DT_REQ_DECISION, DT_WHEN_URGENCE, "decision",
     "Décider en urgence", "Décision prise en urgence, à rapporter à la prochaine commission.", 1},
    {DS_DECIDE, DS_NOTIFIE, DA_NOTIFIER, 0, 0, "notification", "Notifier la décision",
     "Décision notifiée au demandeur.", 1},
    {DS_NOTIFIE, DS_PAIEMENT, DA_PAYER, 0, DT_WHEN_ACCORDE, "paiement", "Mettre en paiement",
     "Aide mise en paiement.", 0},
    {DS_NOTIFIE, DS_EN_INSTRUCTION, DA_INSTRUIRE, 0, DT_WHEN_AJOURNE, "reprise",
     "Reprendre l'instruction (ajournement)", "Instruction reprise après l'ajournement.", 0},
    {DS_NOTIFIE, DS_CLOTURE, DA_CLOTURER, 0, DT_WHEN_NOT_ACCORDE, "cloture", "Clôturer le dossier",
     "Dossier clôturé.", 1},
    {DS_PAIEMENT, DS_CLOTURE, DA_CLOTURER, 0, 0, "cloture", "Clôturer le dossier",
     "Aide versée, dossier clôturé.", 1},
    {DS_BROUILLON, DS_CLOTURE, DA_CLOTURER, DT_REQ_MOTIF, 0, "cloture", "Classer sans suite",
     "Dossier classé sans suite.", 1},
    {DS_DEPOSE, DS_CLOTURE, DA_CLOTURER, DT_REQ_MOTIF, 0, "cloture", "Classer sans suite",
     "Dossier classé sans suite.", 1},
    {DS_EN_INSTRUCTION, DS_CLOTURE, DA_CLOTURER, DT_REQ_MOTIF, 0, "cloture", "Classer sans suite",
     "Dossier classé sans suite.", 1},
    {DS_EN_ATTENTE_PIECES, DS_CLOTURE, DA_CLOTURER, DT_REQ_MOTIF, 0, "cloture",
     "Classer sans suite", "Dossier classé sans suite.", 1},
    {DS_INSTRUIT, DS_CLOTURE, DA_CLOTURER, DT_REQ_MOTIF, 0, "cloture", "Classer sans suite",
     "Dossier classé sans suite.", 1},
};

#define TRANSITION_COUNT (sizeof(transitions) / sizeof(transitions[0]))

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

static const char *pair_code(const char *const (*t)[2], int n, int i, int col)
{
	return i >= 0 && i < n ? t[i][col] : NULL;
}

static int pair_find(const char *const (*t)[2], int n, const char *code)
{
	for (int i = 0; code && i < n; i++)
		if (strcmp(code, t[i][0]) == 0)
			return i;
	return -1;
}

const char *dossier_proposal_code(enum dossier_proposal p)
{
	return pair_code(proposal_codes, DP_COUNT, (int)p, 0);
}

const char *dossier_proposal_label(enum dossier_proposal p)
{
	return pair_code(proposal_codes, DP_COUNT, (int)p, 1);
}

int dossier_proposal_from_code(const char *code, enum dossier_proposal *out)
{
	int i = pair_find(proposal_codes, DP_COUNT, code);
	if (i < 0)
		return CAS_EINVAL;
	*out = (enum dossier_proposal)i;
	return 0;
}

const char *dossier_decision_code(enum dossier_decision d)
{
	return pair_code(decision_codes, DD_COUNT, (int)d, 0);
}

const char *dossier_decision_label(enum dossier_decision d)
{
	return pair_code(decision_codes, DD_COUNT, (int)d, 1);
}

int dossier_decision_from_code(const char *code, enum dossier_decision *out)
{
	int i = pair_find(decision_codes, DD_COUNT, code);
	if (i < 0)
		return CAS_EINVAL;
	*out = (enum dossier_decision)i;
	return 0;
}

const char *payment_status_code(enum payment_status s)
{
	return pair_code(payment_codes, PS_COUNT, (int)s, 0);
}

const char *payment_status_label(enum payment_status s)
{
	return pair_code(payment_codes, PS_COUNT, (int)s, 1);
}

int payment_status_from_code(const char *code, enum payment_status *out)
{
	int i = pair_find(payment_codes, PS_COUNT, code);
	if (i < 0)
		return CAS_EINVAL;
	*out = (enum payment_status)i;
	return 0;
}

const struct dossier_transition *dossier_transition_find(enum dossier_state from,
                                                         enum dossier_state to)
{
	for (size_t i = 0; i < TRANSITION_COUNT; i++)
		if (transitions[i].from == from && transitions[i].to == to)
			return &transitions[i];
	return NULL;
}

size_t dossier_transition_count(void)
{
	return TRANSITION_COUNT;
}

const struct dossier_transition *dossier_transition_at(size_t i)
{
	return i < TRANSITION_COUNT ? &transitions[i] : NULL;
}

/* Why a pair of states has no arrow in the life cycle. */
static const char *missing_arrow(enum dossier_state from, enum dossier_state to)
{
	if (from == to)
		return "Le dossier est déjà dans cet état.";
	if (from == DS_CLOTURE)
		return "Un dossier clôturé ne peut plus changer d'état.";
	if (to == DS_BROUILLON)
		return "Un dossier déposé ne peut pas redevenir un brouillon.";
	if (from == DS_BROUILLON)
		return "Le dossier doit d'abord être déposé.";
	if (to == DS_DEPOSE)
		return "Un dossier en cours d'instruction ne peut pas revenir à l'état déposé.";
	if (to == DS_CLOTURE && from == DS_EN_COMMISSION)
		return "Un dossier en commission attend la décision de la commission.";
	if (to == DS_CLOTURE)
		return "La décision doit d'abord être notifiée au demandeur.";
	if (to == DS_DECIDE)
		return "La décision suit la proposition de l'instructeur et la commission.";
	if (to == DS_NOTIFIE)
		return "Seule une décision prise peut être notifiée.";
	if (to == DS_PAIEMENT)
		return "Seule une aide accordée et notifiée peut être mise en paiement.";
	if (to == DS_EN_COMMISSION)
		return "Seul un dossier instruit, avec une proposition, peut être inscrit à la "
		       "commission.";
	if (to == DS_INSTRUIT)
		return "La proposition se fait sur un dossier en instruction.";
	if (to == DS_EN_ATTENTE_PIECES)
		return "Les pièces se demandent pendant l'instruction.";
	return "Une décision prise ne se remet pas en instruction, sauf après un ajournement.";
}

/* Why the conditions of t do not hold for f, or NULL when they do. */
static const char *unmet_condition(const struct dossier_transition *t,
                                   const struct dossier_facts *f)
{
	int urgence = f && f->urgence;
	int decision = f ? f->decision : -1;
	if ((t->when & DT_WHEN_URGENCE) && !urgence)
		return "Cette aide n'a pas de procédure d'urgence : le dossier passe par la "
		       "commission.";
	if ((t->when & DT_WHEN_ACCORDE) && decision != DD_ACCORDE)
		return "Seule une aide accordée peut être mise en paiement.";
	if ((t->when & DT_WHEN_NOT_ACCORDE) && (decision == DD_ACCORDE || decision < 0))
		return "Une aide accordée se clôture après son paiement.";
	if ((t->when & DT_WHEN_AJOURNE) && decision != DD_AJOURNE)
		return "Seul un dossier ajourné revient en instruction après sa notification.";
	return NULL;
}

int dossier_transition_check(enum dossier_state from, enum dossier_state to,
                             const struct dossier_facts *f, const char **why)
{
	const char *refusal = NULL;
	if ((unsigned)from >= DS_COUNT || (unsigned)to >= DS_COUNT) {
		refusal = "État de dossier inconnu.";
	} else {
		const struct dossier_transition *t = dossier_transition_find(from, to);
		refusal = t ? unmet_condition(t, f) : missing_arrow(from, to);
	}
	if (!refusal)
		return 0;
	if (why)
		*why = refusal;
	return CAS_EINVAL;
}

/* ---- deadlines ---- */

/* Days from civil (Howard Hinnant's algorithm), proleptic Gregorian. */
int day_number(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void day_date(int day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int delay_of(enum dossier_state s, const struct dossier_delays *delays)
{
	switch (s) {
	case DS_DEPOSE:
	case DS_EN_INSTRUCTION: return delays->instruction;
	case DS_EN_ATTENTE_PIECES: return delays->pieces;
	case DS_DECIDE: return delays->notification;
	default: return 0;
	}
}

void dossier_deadline(enum dossier_state s, const struct dossier_delays *delays, int since,
                      int today, struct dossier_deadline *out)
{
	int delay = delays ? delay_of(s, delays) : 0;
	memset(out, 0, sizeof(*out));
	if (delay <= 0)
		return;
	out->has = 1;
	out->due = since + delay;
	out->overdue = today > out->due;
	out->late_days = out->overdue ? today - out->due : 0;
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
