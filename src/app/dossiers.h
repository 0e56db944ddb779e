/* Dossiers (demandes d'aide): opened for a household, on an active aid
 * type, with a motif and an amount requested; then instructed (budget
 * lines, notes) with a timeline of every event. Their states and every
 * change of state belong to the workflow (app/workflow.h).
 *
 * Inputs are JSON objects of strings (form fields); ids may also be JSON
 * integers and amounts integer cents (API), see each function. On invalid
 * input the mutations return CAS_EINVAL with *errors = a new object
 * field -> French message (caller decrefs) and write nothing. Each
 * mutation writes its timeline event and its audit entry in its own
 * transaction. Returned objects are new (caller decrefs); NULL with *err
 * on failure (CAS_ENOTFOUND outside the tenant). */
#ifndef CAS_DOSSIERS_H
#define CAS_DOSSIERS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

/* in: {household_id, applicant_id (optional: the current demandeur; must
 * be a current member), aid_type_id (an active type), motif,
 * montant_demande ("1 234,56") or montant_demande_centimes (integer)}.
 * The dossier starts as a brouillon, numbered "2026-00001" per tenant and
 * year. */
int dossier_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                   json_t **errors);

/* in: any of {motif, montant_demande | montant_demande_centimes, etat (the
 * state to go to)}. The motif and the amount: the instruction permission,
 * or who creates dossiers while the dossier is a brouillon. The state goes
 * through workflow_transition_in (its roles; no field: transitions that
 * need some are refused on their fields), in the same transaction; a
 * refused transition is a field error on "etat" with the French reason. */
int dossier_update(struct db *db, const struct actor *who, int64_t id, json_t *in, json_t **errors);

/* in: {category (domain/dossier.h line type), label (optional), montant
 * ("1 234,56", monthly) or montant_centimes (integer)}. CAS_ECONFLICT on
 * a closed dossier. */
int dossier_add_line(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     int64_t *line_id, json_t **errors);
/* in: {note}. CAS_ECONFLICT on a closed dossier. */
int dossier_add_note(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     json_t **errors);

/* The dossier: {id, numero, household_id, household_label, applicant_id,
 * demandeur, aid_type_id, aide_code, aide, motif, montant_demande (cents),
 * state, state_label, created_at, updated_at, the workflow columns of
 * dossier_store_get (appreciation null without the detail permission),
 * proposition_label, decision_label, due / overdue / late_days (deadline),
 * detail, can_instruct, can_edit, transitions: [{state, label}] (those the
 * actor may take now), actions (workflow_available), events: [{id, kind,
 * kind_label, detail, created_at, actor}]} and, only for those allowed to see the
 * instruction (detail true): lines: [{id, kind, kind_label, category,
 * category_label, label, montant}], totals: {ressources, charges,
 * reste_a_vivre} (cents). Without it the text of notes is withheld. */
json_t *dossier_get(struct db *db, const struct actor *who, int64_t id, int *err);

enum dossier_order { DOSSIER_ORDER_NUMERO, DOSSIER_ORDER_DATE, DOSSIER_ORDER_ETAT };

struct dossier_query {
	const char *etat;     /* state code; NULL or "" for any */
	const char *aide;     /* aid type id or code; NULL or "" for any */
	int64_t household_id; /* 0 for any */
	enum dossier_order order;
	int desc;
	int64_t offset;
	int limit;
	int64_t after_id; /* dossier_page only */
};

/* A page of the list (rows as dossier_get without the detail parts, with
 * state_label and the deadline flags due / overdue) and the total in *total (may be NULL). CAS_EINVAL with
 * *errors for an unknown etat or aide. */
json_t *dossier_list(struct db *db, const struct actor *who, const struct dossier_query *q,
                     int64_t *total, int *err, json_t **errors);
/* Up to q->limit + 1 dossiers with id > q->after_id, by id (API pages). */
json_t *dossier_page(struct db *db, const struct actor *who, const struct dossier_query *q,
                     int *err, json_t **errors);

/* The states, in life-cycle order: [{state, label}] (new array). */
json_t *dossier_states(void);
/* The budget line types: [{code, label, kind}] (new array). */
json_t *dossier_line_types(void);

#endif
