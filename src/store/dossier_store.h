/* SQL for dossiers (demandes d'aide), their budget lines and their
 * timeline. Every query is scoped by tenant_id. Returned json_t are new
 * references (caller decrefs); NULL on a database error, or with *err
 * CAS_ENOTFOUND for a missing row. */
#ifndef CAS_DOSSIER_STORE_H
#define CAS_DOSSIER_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* Sort orders of dossier_store_list. */
enum dossier_sort { DSORT_NUMERO, DSORT_DATE, DSORT_ETAT };

/* Filters of lists: state NULL for any, aid_type_id 0 for any,
 * household_id 0 for any. */
struct dossier_filter {
	const char *state;
	int64_t aid_type_id;
	int64_t household_id;
};

/* Fields written at creation. created_by 0: an API key (stored NULL). */
struct dossier_row {
	const char *numero;
	int64_t household_id, applicant_id, aid_type_id;
	const char *motif;
	int64_t montant_demande;
	const char *state;
	int64_t created_by;
};

/* The greatest sequence number used by the tenant's dossiers of this year
 * ("2026-00042" -> 42), 0 when none. Call inside the creating transaction:
 * it holds the tenant's numbering lock (db_lock) until that transaction ends. */
int dossier_store_last_seq(struct db *db, int64_t tenant_id, int year, int64_t *seq);
/* CAS_ECONFLICT when the numero is taken. */
int dossier_store_insert(struct db *db, int64_t tenant_id, const struct dossier_row *d, int64_t now,
                         int64_t *id);
/* {id, numero, household_id, household_label, applicant_id, demandeur,
 * aid_type_id, aide_code, aide, motif, montant_demande, state, created_by,
 * created_at, updated_at} and the workflow columns (migration 008):
 * depose_le, state_since, agent_id, agent (name), proposition,
 * montant_propose, appreciation, evaluation_id, instructed_by,
 * instructed_key_id, instructed_by_label, instructed_by_name (the user's
 * name, else the label), instructed_at, decision, montant_accorde,
 * motif_decision, decided_by, decided_key_id, decided_by_label,
 * decided_by_name, decided_at, notified_at, a_rapporter, aide_urgence.
 * Lists have the same columns. */
json_t *dossier_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err);
/* Marks the dossier as changed now (a line or a note was added). */
int dossier_store_touch(struct db *db, int64_t tenant_id, int64_t id, int64_t now);
int dossier_store_update(struct db *db, int64_t tenant_id, int64_t id, const char *motif,
                         int64_t montant_demande, const char *state, int64_t now);

/* A page (offset, limit) of the list, columns of dossier_store_get. */
json_t *dossier_store_list(struct db *db, int64_t tenant_id, const struct dossier_filter *f,
                           enum dossier_sort sort, int desc, int64_t offset, int limit);
int dossier_store_count(struct db *db, int64_t tenant_id, const struct dossier_filter *f,
                        int64_t *n);
/* Up to limit rows with id > after_id, by id. */
json_t *dossier_store_page(struct db *db, int64_t tenant_id, const struct dossier_filter *f,
                           int64_t after_id, int limit);

/* Budget lines: {id, kind, category, label, montant}, resources first. */
int dossier_store_line_insert(struct db *db, int64_t tenant_id, int64_t dossier_id,
                              const char *kind, const char *category, const char *label,
                              int64_t montant, int64_t *id);
json_t *dossier_store_lines(struct db *db, int64_t tenant_id, int64_t dossier_id);

/* Timeline: {id, kind, detail, created_at, actor} oldest first (actor: the
 * user's display name, or actor_label for an API key or the command
 * line). actor_id 0 is stored NULL. The detail of a "note" is sealed at
 * rest for its row (store/sealed_store.h); the timeline opens it (NULL
 * when it does not open). */
int dossier_store_event_insert(struct db *db, int64_t tenant_id, int64_t dossier_id,
                               int64_t actor_id, const char *actor_label, const char *kind,
                               const char *detail, int64_t now);
json_t *dossier_store_events(struct db *db, int64_t tenant_id, int64_t dossier_id);

/* Dashboard: [{state, n}] for the states that have dossiers, and the most
 * recently updated dossiers the user opened or worked on (an event of
 * theirs in the timeline): [{id, numero, aide, demandeur, state}]. */
json_t *dossier_store_count_by_state(struct db *db, int64_t tenant_id);
json_t *dossier_store_recent_by_user(struct db *db, int64_t tenant_id, int64_t user_id, int limit);

#endif
