/* The one entry point for every change of state of a dossier: the life
 * cycle of domain/dossier.h, the permission of each action
 * (app/perm.c), the fields each transition requires, four-eyes on
 * decisions, the emergency short path, and the timeline entry and audit
 * entry of the change. Nothing else updates dossiers.state.
 *
 * fields: a JSON object of strings (form fields; NULL = none):
 *   "motif"         why: the pièces asked (-> en_attente_pieces), the
 *                   classement sans suite (-> cloture before a decision),
 *                   the reprise (instruit -> en_instruction), the motive of
 *                   a refusal or an ajournement (-> decide);
 *   "proposition"   accord | refus | ajournement  (-> instruit);
 *   "appreciation"  the agent's assessment (-> instruit);
 *   "montant"       "1 234,56" (or "montant_centimes", integer cents): the
 *                   amount proposed (accord) or granted (accorde);
 *   "evaluation_id" the evaluation whose explanation backs the proposal
 *                   (default: the dossier's latest evaluation, if any);
 *   "decision"      accorde | refuse | ajourne | sans_suite (-> decide);
 *   "commission_id" the commission session (-> en_commission, -> decide),
 *                   written in the timeline entry only.
 * Unknown fields are ignored.
 *
 * Returns 0; CAS_EPERM when the actor's role may not take this action;
 * CAS_ENOTFOUND when the dossier is not in the actor's tenant; CAS_EINVAL
 * with *errors = a new object field -> French message (caller decrefs) for
 * a refused transition (key "to": the reason, e.g. four-eyes) or missing /
 * invalid fields; nothing is written then. */
#ifndef CAS_WORKFLOW_H
#define CAS_WORKFLOW_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* Runs in its own transaction. */
int workflow_transition(struct db *db, const struct actor *who, int64_t dossier_id,
                        const char *to_state, const json_t *fields, json_t **errors);

/* The same inside the caller's open transaction: the caller commits, or
 * rolls back on any error (the checks come before any write, but a
 * database error or a refusal of a module's hook may come after some). */
int workflow_transition_in(struct db *db, const struct actor *who, int64_t dossier_id,
                           const char *to_state, const json_t *fields, json_t **errors);

/* The transitions the actor may take now on dossier d (as returned by
 * dossier_get / the store): [{to, label, action, requires: [field names],
 * irreversible, confirm}] (new array). Four-eyes and conditions applied. */
json_t *workflow_available(struct db *db, const struct actor *who, const json_t *d);

/* The CCAS's workflow settings: {quatre_yeux (bool), delai_instruction,
 * delai_pieces, delai_notification (days, 0 = none)}. New object, NULL
 * with *err. */
json_t *workflow_settings_get(struct db *db, const struct actor *who, int *err);
/* in: any of {quatre_yeux ("1" / "on" / "true" or a JSON boolean; a form
 * showing the checkbox also sends quatre_yeux_affiche, so that an absent
 * quatre_yeux means off), delai_instruction, delai_pieces,
 * delai_notification (whole days 0..365, as digits or JSON integers)};
 * absent fields keep their value. Administrateur (settings permission);
 * audited. */
int workflow_settings_update(struct db *db, const struct actor *who, const json_t *in,
                             json_t **errors);
/* The errors workflow_settings_update would report for in (new object),
 * NULL when none: lets a page check before writing anything. */
json_t *workflow_settings_errors(const json_t *in);

/* The emergency short path of an aid type (secours d'urgence): read by
 * anyone of the tenant, set by who administers the aids (audited).
 * CAS_ENOTFOUND outside the tenant. */
int workflow_aid_urgence(struct db *db, const struct actor *who, int64_t aid_type_id, int *on);
int workflow_aid_urgence_set(struct db *db, const struct actor *who, int64_t aid_type_id, int on);

/* "Mes dossiers": what waits on the actor (dossiers in a state where their
 * role has the next step; those in instruction only when they are its
 * agent or nobody is), each row with state_label, waiting (French: what is
 * expected), due (YYYY-MM-DD or absent), overdue (bool), late_days;
 * overdue first, then oldest. New array, NULL with *err. */
json_t *workflow_my_dossiers(struct db *db, const struct actor *who, int *err);

#endif
