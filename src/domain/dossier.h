/* A dossier (application for an aid): its life cycle, and the types of the
 * resource and charge lines of its budget. */
#ifndef CAS_DOMAIN_DOSSIER_H
#define CAS_DOMAIN_DOSSIER_H
#include <stddef.h>

/* Life cycle (stored codes; the arrows are the only transitions):
 *
 *   brouillon -> depose -> en_instruction <-> en_attente_pieces
 *                               |   ^
 *                               v   | (reprise)
 *                            instruit  --(aid with the emergency short path:
 *                               |   ^      decided by a valideur at once,
 *                               v   |      reported to the next commission)
 *                          en_commission            |
 *                               |                   |
 *                               v                   v
 *                             decide  <-------------+
 *                               |
 *                               v
 *                            notifie -> paiement -> cloture
 *                               |  \-> en_instruction (after an ajournement)
 *                               +----> cloture (refus, ajournement, sans suite)
 *
 * brouillon, depose, en_instruction, en_attente_pieces and instruit may
 * also go to cloture ("classé sans suite", motif required). A closed
 * dossier never changes state again. The enum order is the display order;
 * the stored codes never change (existing data use brouillon, depose,
 * en_instruction, cloture). */
enum dossier_state {
	DS_BROUILLON,
	DS_DEPOSE,
	DS_EN_INSTRUCTION,
	DS_EN_ATTENTE_PIECES,
	DS_INSTRUIT,
	DS_EN_COMMISSION,
	DS_DECIDE,
	DS_NOTIFIE,
	DS_PAIEMENT,
	DS_CLOTURE,
};
#define DS_COUNT 10

/* Stored code ("brouillon", "depose", "en_instruction",
 * "en_attente_pieces", "instruit", "en_commission", "decide", "notifie",
 * "paiement", "cloture") and French label ("Brouillon", "Déposé", "En
 * instruction", "En attente de pièces", "Instruit", "En commission",
 * "Décidé", "Notifié", "Paiement", "Clôturé") of a state; NULL when s is
 * out of range. Static strings. */
const char *dossier_state_code(enum dossier_state s);
const char *dossier_state_label(enum dossier_state s);

/* Sets *out from a stored code. Returns 0, or CAS_EINVAL for an unknown
 * code or NULL (then *out is untouched). */
int dossier_state_from_code(const char *code, enum dossier_state *out);

/* The instructor's proposal (state instruit). */
enum dossier_proposal { DP_ACCORD, DP_REFUS, DP_AJOURNEMENT };
#define DP_COUNT 3
/* The decision (state decide): "sans_suite" is the classement sans suite. */
enum dossier_decision { DD_ACCORDE, DD_REFUSE, DD_AJOURNE, DD_SANS_SUITE };
#define DD_COUNT 4
/* Status of one payment of a dossier in state paiement (the payments
 * belong to the payments module): mandaté (sent to the treasury), payé,
 * remis (aid in kind handed over). */
enum payment_status { PS_MANDATE, PS_PAYE, PS_REMIS };
#define PS_COUNT 3

/* Codes "accord" / "refus" / "ajournement", labels "Accord" / "Refus" /
 * "Ajournement"; decisions "accorde" / "refuse" / "ajourne" / "sans_suite",
 * labels "Accordé" / "Refusé" / "Ajourné" / "Classé sans suite"; payment
 * statuses "mandate" / "paye" / "remis", labels "Mandaté" / "Payé" /
 * "Remis". NULL when out of range; static strings. The _from_code
 * functions return 0 or CAS_EINVAL (*out untouched). */
const char *dossier_proposal_code(enum dossier_proposal p);
const char *dossier_proposal_label(enum dossier_proposal p);
int dossier_proposal_from_code(const char *code, enum dossier_proposal *out);
const char *dossier_decision_code(enum dossier_decision d);
const char *dossier_decision_label(enum dossier_decision d);
int dossier_decision_from_code(const char *code, enum dossier_decision *out);
const char *payment_status_code(enum payment_status s);
const char *payment_status_label(enum payment_status s);
int payment_status_from_code(const char *code, enum payment_status *out);

/* What a transition is, for the permission table (app/perm.c maps each
 * action to one permission). */
enum dossier_action {
	DA_DEPOSER,            /* brouillon -> depose */
	DA_INSTRUIRE,          /* take up / resume the instruction */
	DA_DEMANDER_PIECES,    /* en_instruction -> en_attente_pieces */
	DA_PROPOSER,           /* en_instruction -> instruit */
	DA_ENVOYER_COMMISSION, /* instruit <-> en_commission */
	DA_DECIDER,            /* -> decide (four-eyes applies) */
	DA_NOTIFIER,           /* decide -> notifie */
	DA_PAYER,              /* notifie -> paiement */
	DA_CLOTURER,           /* -> cloture */
};
#define DA_COUNT 9

/* Fields a transition requires (bit set in dossier_transition.requires);
 * the field names are those of workflow_transition (app/workflow.h). */
#define DT_REQ_MOTIF    0x01 /* "motif": why (pièces asked, sans suite, reprise) */
#define DT_REQ_PROPOSAL 0x02 /* "proposition", "appreciation", "montant" when accord */
#define DT_REQ_DECISION                                                                            \
	0x04 /* "decision", "montant" when accorde, "motif" when
                                    refuse or ajourne */
/* Conditions on the dossier (dossier_transition.when). */
#define DT_WHEN_URGENCE     0x01 /* only for an aid type with the emergency short path */
#define DT_WHEN_ACCORDE     0x02 /* only when the decision is accorde */
#define DT_WHEN_NOT_ACCORDE 0x04 /* only when the decision is not accorde */
#define DT_WHEN_AJOURNE     0x08 /* only when the decision is ajourne */

struct dossier_transition {
	enum dossier_state from, to;
	enum dossier_action action;
	unsigned requires; /* DT_REQ_* */
	unsigned when;     /* DT_WHEN_* */
	const char *event; /* timeline event kind, e.g. "depot" */
	const char *label; /* French timeline text / button, e.g. "Déposer la demande" */
	const char *done;  /* French timeline entry, e.g. "Demande déposée." */
	int irreversible;  /* 1: the page asks for a confirmation */
};

/* The facts of a dossier the conditions read. decision: -1 when none. */
struct dossier_facts {
	int urgence;  /* the aid type has the emergency short path */
	int decision; /* enum dossier_decision or -1 */
};

/* The transition from -> to, whatever the conditions, or NULL when the
 * life cycle has no such arrow. Static. */
const struct dossier_transition *dossier_transition_find(enum dossier_state from,
                                                         enum dossier_state to);

/* 0 when a dossier with facts f (NULL: no emergency path, no decision) may
 * go from `from` to `to`, CAS_EINVAL otherwise with a static French reason
 * in *why (when not NULL). Roles, fields and four-eyes are checked by
 * app/workflow.c. */
int dossier_transition_check(enum dossier_state from, enum dossier_state to,
                             const struct dossier_facts *f, const char **why);

/* Iteration over every transition of the life cycle, in display order:
 * dossier_transition_at() returns NULL when i >= dossier_transition_count(). */
size_t dossier_transition_count(void);
const struct dossier_transition *dossier_transition_at(size_t i);

/* ---- deadlines ---- */

/* Delays in days of a CCAS (0 = no deadline for that state). */
struct dossier_delays {
	int instruction;  /* depose and en_instruction: since the state was entered */
	int pieces;       /* en_attente_pieces */
	int notification; /* decide, not yet notified */
};
#define DOSSIER_DELAY_INSTRUCTION  30
#define DOSSIER_DELAY_PIECES       30
#define DOSSIER_DELAY_NOTIFICATION 8

struct dossier_deadline {
	int has;       /* 0: no deadline in this state */
	int due;       /* day number (see day_number) of the deadline */
	int overdue;   /* today is after the due day */
	int late_days; /* days past the due day (0 when not overdue) */
};

/* Day number of a Gregorian date (days since 1970-01-01; negative
 * before). */
int day_number(int y, int m, int d);
/* The date of a day number. */
void day_date(int day, int *y, int *m, int *d);

/* The deadline of a dossier in state s entered on day `since` (day
 * number), as of day `today`. Pure: the dates are passed in. */
void dossier_deadline(enum dossier_state s, const struct dossier_delays *delays, int since,
                      int today, struct dossier_deadline *out);

/* Budget lines: what the household receives and what it pays, per month. */
enum line_kind { LINE_RESSOURCE, LINE_CHARGE };

/* "ressource" / "charge" and "Ressource" / "Charge"; NULL when out of
 * range. Static strings. */
const char *line_kind_code(enum line_kind k);
const char *line_kind_label(enum line_kind k);

/* A category of budget line. The table is static: never freed. */
struct line_type {
	const char *code;  /* stored code: "salaire", "loyer"... */
	const char *label; /* French label */
	enum line_kind kind;
};

/* The type with this code, or NULL when there is none. */
const struct line_type *line_type_find(const char *code);

/* Iteration over all the types, resources first, in display order:
 *   for (size_t i = 0; i < line_type_count(); i++) t = line_type_at(i);
 * line_type_at() returns NULL when i >= line_type_count(). */
size_t line_type_count(void);
const struct line_type *line_type_at(size_t i);

#endif
