/* SQL of the instruction workflow (migration 008): the change of state of
 * a dossier with its proposal / decision columns, the CCAS's workflow
 * settings, the dossiers waiting on an agent. Every query is scoped by
 * tenant_id. Returned json_t are new references (caller decrefs), NULL on
 * a database error. */
#ifndef CAS_WORKFLOW_STORE_H
#define CAS_WORKFLOW_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* The workflow columns of a dossier after a transition. Integers 0 and
 * text NULL are stored as SQL NULL (except a_rapporter). */
struct wf_row {
	const char *state;
	int64_t state_since;
	const char *depose_le;
	int64_t agent_id;
	const char *proposition;
	int64_t montant_propose; /* -1: NULL */
	const char *appreciation;
	int64_t evaluation_id;
	int64_t instructed_by, instructed_key_id;
	const char *instructed_by_label;
	int64_t instructed_at;
	const char *decision;
	int64_t montant_accorde; /* -1: NULL */
	const char *motif_decision;
	int64_t decided_by, decided_key_id;
	const char *decided_by_label;
	int64_t decided_at, notified_at;
	int a_rapporter;
};

/* Writes r on dossier id if its state is still from_state. CAS_ECONFLICT
 * when the state has changed meanwhile (another agent was quicker). */
int wf_store_apply(struct db *db, int64_t tenant_id, int64_t id, const char *from_state,
                   const struct wf_row *r, int64_t now);

/* The latest evaluation of the dossier: *eval_id = 0 when none. */
int wf_store_latest_evaluation(struct db *db, int64_t tenant_id, int64_t dossier_id,
                               int64_t *eval_id);
/* 1 when evaluation eval_id belongs to the dossier, 0 when not, negative
 * on error. */
int wf_store_evaluation_of(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t eval_id);

/* {quatre_yeux, delai_instruction, delai_pieces, delai_notification}, *err
 * CAS_ENOTFOUND for an unknown tenant. */
json_t *wf_store_settings(struct db *db, int64_t tenant_id, int *err);
int wf_store_settings_set(struct db *db, int64_t tenant_id, int quatre_yeux, int delai_instruction,
                          int delai_pieces, int delai_notification);

/* The emergency short path flag of an aid type; CAS_ENOTFOUND outside the
 * tenant. */
int wf_store_aid_urgence(struct db *db, int64_t tenant_id, int64_t aid_type_id, int *on);
int wf_store_aid_urgence_set(struct db *db, int64_t tenant_id, int64_t aid_type_id, int on);

/* Dossiers that wait on an agent (app/workflow.c decides the states):
 * created by user_id in brouillon when deposit; in one of the `assigned`
 * states (up to 8, NULL-terminated) with agent_id = user_id or no agent;
 * when decide: en_commission, or instruit of an emergency aid, except
 * those instructed by user_id when four_eyes. Columns as dossier_store_get;
 * oldest first; at most limit rows. */
struct wf_waiting {
	int64_t user_id;
	int deposit;
	const char *assigned[8];
	int decide, four_eyes;
	int limit;
};
json_t *wf_store_waiting(struct db *db, int64_t tenant_id, const struct wf_waiting *w);

#endif
