/* SQL for retention (migration 015): the durations of a CCAS and of its
 * aid types, the legal holds of dossiers, the closed dossiers and their
 * dates, the purge runs, the statistics rows and the consultation traces.
 * The deletions of the purge are in store/purge_store.h. Every query has
 * tenant_id = ?. Returned json_t are new references (caller decrefs). */
#ifndef CAS_RETENTION_STORE_H
#define CAS_RETENTION_STORE_H
#include <jansson.h>
#include <stdint.h>

struct db;

/* --- durations --- */

/* {id, siret, name, communes, conservation_accorde, conservation_refus,
 * conservation_corps_api (null: as long as the dossier),
 * conservation_traces_api, conservation_journal_acces}; NULL with *err. */
json_t *retention_store_tenant(struct db *db, int64_t tenant_id, int *err);
/* The ids of every tenant, [{id}] by id. */
json_t *retention_store_tenants(struct db *db);
/* corps_api 0 stores NULL. */
int retention_store_tenant_update(struct db *db, int64_t tenant_id, int accorde, int refus,
                                  int corps_api, int traces_api, int acces);
/* The aid types of the tenant: [{id, code, label, active,
 * conservation_accorde, conservation_refus}] (null: the CCAS's), by label. */
json_t *retention_store_aid_types(struct db *db, int64_t tenant_id);
/* 0 stores NULL (the CCAS's duration). CAS_ENOTFOUND for another tenant's. */
int retention_store_aid_update(struct db *db, int64_t tenant_id, int64_t aid_type_id, int accorde,
                               int refus);

/* --- legal holds --- */

struct hold_row {
	int64_t dossier_id;
	const char *kind, *motif;
	int64_t user_id; /* 0: none (API key, command line) */
	const char *label;
	int64_t at;
};
/* CAS_ECONFLICT when the dossier has a hold in force already. */
int retention_store_hold_insert(struct db *db, int64_t tenant_id, const struct hold_row *h,
                                int64_t *id);
/* Lifts the hold in force of the dossier: 0, or CAS_ENOTFOUND when none. */
int retention_store_hold_lift(struct db *db, int64_t tenant_id, const struct hold_row *h);
/* The holds of one dossier, newest first: [{id, kind, motif,
 * created_by_label, created_at, lifted_by_label, lifted_at, lift_motif}]. */
json_t *retention_store_holds_of(struct db *db, int64_t tenant_id, int64_t dossier_id);
/* The holds in force of the tenant with their dossier: [{id, dossier_id,
 * numero, kind, motif, created_by_label, created_at, state, state_since,
 * decision, aid_type_id}] by dossier number. */
json_t *retention_store_holds_active(struct db *db, int64_t tenant_id);

/* --- closed dossiers --- */

/* The facts of a dossier for its retention: {id, numero, state,
 * state_since, decision, aid_type_id, aide}. NULL with *err
 * (CAS_ENOTFOUND for another tenant's). */
json_t *retention_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err);

/* Closed dossiers of the tenant closed before closed_before (unix
 * seconds), id > after_id, by id, at most limit: [{id, numero,
 * aid_type_id, aide, decision, state_since, held (0/1), bodies (0/1: some
 * consultation still has its answer)}]. only_free: without a hold in
 * force. */
json_t *retention_store_closed(struct db *db, int64_t tenant_id, int64_t closed_before,
                               int64_t after_id, int limit, int only_free);

/* --- purge runs --- */

/* The run of the tenant not finished: 1 with *id and *counts (a new
 * object), 0 when none, negative on error. */
int retention_store_run_open(struct db *db, int64_t tenant_id, int64_t *id, json_t **counts);
int retention_store_run_create(struct db *db, int64_t tenant_id, int64_t now, const char *by,
                               int64_t *id);
/* counts: the JSON text of the run's totals so far; one more batch. */
int retention_store_run_save(struct db *db, int64_t tenant_id, int64_t id, const char *counts);
int retention_store_run_finish(struct db *db, int64_t tenant_id, int64_t id, int64_t now,
                               int64_t audit_id);
/* The id of the newest audit entry of the tenant's chain (in the
 * transaction that wrote it, under its lock): 1 with *id, 0 none. */
int retention_store_last_audit(struct db *db, int64_t tenant_id, int64_t *id);
/* The latest runs: [{id, started_at, finished_at, batches, counts (text),
 * started_by}]. */
json_t *retention_store_runs(struct db *db, int64_t tenant_id, int limit);

/* --- statistics --- */

struct stats_row {
	int64_t aid_type_id;
	const char *mois, *issue;
	int64_t demande, accorde, verse;
	const char *type_foyer, *tranche_qf, *commune;
	int64_t at;
};
int retention_store_stats_insert(struct db *db, int64_t tenant_id, const struct stats_row *s);
/* Totals by aid type: [{aid_type_id, aide, dossiers, accordes, montant_accorde,
 * montant_verse}]. */
json_t *retention_store_stats_totals(struct db *db, int64_t tenant_id);

#endif
