/* The purge of personal data (issue 7; docs/privacy.md, "Durées de
 * conservation et purge"). Run daily by the server (the "purge" job,
 * app/jobs.h) and on demand (`cassis purge [--dry-run]`).
 *
 * For each CCAS, in this order:
 *   1. the closed dossiers whose purge date has come (domain/retention.h)
 *      and that no legal hold keeps: each leaves one anonymous statistics
 *      row (dossier_stats) and its consultations a trace
 *      (consultation_traces); the dossier and everything that belongs to
 *      it is deleted (lines, events and notes, evaluations, consultations,
 *      verifications, letters, documents and requests, agenda items,
 *      payments and vouchers, third-party payees no longer used, holds);
 *      its household when no dossier of it remains (members included);
 *      its applicant and the household's members when nothing refers to
 *      them any more (with their bank accounts); the changes of the audit
 *      entries about every object deleted are redacted (the hash chain
 *      still verifies, store/audit_chain.h);
 *   2. the State API answers of the closed dossiers kept longer than
 *      conservation_corps_api;
 *   3. the households, persons and third-party payees that no dossier
 *      holds and that did not change for the refusal delay;
 *   4. the consultation traces older than conservation_traces_api.
 * It works in batches (opts.batch dossiers or rows per transaction), each
 * a consistent state: a dossier is purged entirely or not at all. The
 * counts of a run go to purge_runs with each batch; a run stopped between
 * two batches is resumed by the next one, which writes the ONE audit
 * entry of the run ("purge", object "purge", the run's id) with the
 * totals. On SQLite the connection deletes with secure_delete, and a run
 * that removed something ends with VACUUM and a WAL checkpoint, so the
 * file keeps no freed copy of the data.
 *
 * Runs as the system (PERM_MAINTENANCE) only. */
#ifndef CAS_PURGE_H
#define CAS_PURGE_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

#define PURGE_BATCH_DEFAULT 100
#define PURGE_BATCH_MAX     1000

struct purge_opts {
	int64_t tenant_id; /* 0: every CCAS */
	int dry_run;       /* one transaction, rolled back: the counts, nothing changed */
	int batch;         /* dossiers (or rows) per transaction; 0: PURGE_BATCH_DEFAULT */
	int no_vacuum;     /* SQLite: skip the VACUUM at the end (secure_delete stays) */
	const char *by;    /* who started it ("cassis purge", "tâche planifiée") */
	/* tests: stop as if the process ended after that many batches were
	 * committed (0: never); called after each dossier purged, inside its
	 * batch's transaction (NULL: none) */
	int stop_after;
	void (*after_dossier)(void *arg, int64_t n);
	void *arg;
};

/* Runs the purge at now. *report, a new object: {dry_run, date,
 * interrupted, ccas: [{tenant_id, siret, name, resumed, run_id, counts,
 * dossiers (dry run: [{numero, purge_le}])}], totals, file (SQLite:
 * {secure_delete, vacuum, vacuum_ms, checkpoint_busy} or null)}; counts
 * are objects of key -> rows (docs/privacy.md). 0 or a negative cas_err
 * (the batches committed before the error stay, and are resumed). */
int purge_run(struct db *db, const struct actor *who, int64_t now, const struct purge_opts *o,
              json_t **report);

/* The work of the daily job "purge": every CCAS, default batches.
 * *result: the totals (counts only). PERM_MAINTENANCE. */
int purge_job(struct db *db, const struct actor *who, int64_t now, json_t **result);

/* Purges one dossier inside the caller's transaction: its statistics row,
 * its rows, then its household and persons when nothing else holds them,
 * and the redaction of the audit entries about them; adds to counts.
 * t: the durations of its CCAS (app/retention.h). */
struct retention_table;
int purge_dossier(struct db *db, const struct actor *who, const struct retention_table *t,
                  int64_t dossier_id, int64_t now, json_t *counts);

/* The French label of a count key ("dossiers purgés"...); the key itself
 * when unknown. Static. */
const char *purge_count_label(const char *key);

/* Redacts the changes of the tenant's audit entries about each
 * [object_type, id] of objects, in the caller's transaction; adds the
 * entries changed to counts["audit_caviarde"]. */
int purge_redact(struct db *db, const struct actor *who, int64_t tenant_id, json_t *objects,
                 json_t *counts);

#endif
