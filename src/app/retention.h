/* Retention (durées de conservation): the durations of a CCAS and of its
 * aid types, the legal holds that suspend the purge of a dossier, and what
 * the next purges will remove (domain/retention.h for the arithmetic,
 * app/purge.h for the purge itself, docs/privacy.md for the whole policy).
 *
 * The settings and the preview need PERM_SETTINGS_ADMIN (the CCAS's
 * administrateur); a legal hold is set and lifted with PERM_LEGAL_HOLD
 * (valideur, administrateur), each in one transaction with its audit
 * entry ("gel_conservation" / "levee_gel" on the dossier). */
#ifndef CAS_RETENTION_H
#define CAS_RETENTION_H
#include <jansson.h>
#include <stdint.h>

#include "domain/retention.h"

struct actor;
struct db;

#define RETENTION_PREVIEW_DAYS 30

/* The durations of one CCAS: its own, and those of its aid types. */
struct retention_aid {
	int64_t aid_type_id;
	struct retention_rules rules;
};
struct retention_table {
	int64_t tenant_id;
	struct retention_rules base; /* the CCAS's */
	int acces;                   /* the access log, months */
	char communes[512];          /* the CCAS's communes ("75056,75101") */
	struct retention_aid *aids;
	size_t n;
};

/* Loads the durations of the tenant. 0 or a negative cas_err; free with
 * retention_table_free. No permission check: for the purge and the use
 * cases below. */
int retention_table_load(struct db *db, int64_t tenant_id, struct retention_table *t);
void retention_table_free(struct retention_table *t);
/* The durations of dossiers of that aid type (the CCAS's when it has none
 * of its own). */
const struct retention_rules *retention_rules_for(const struct retention_table *t,
                                                  int64_t aid_type_id);
/* The shortest retention of a dossier in the table, in months. */
int retention_min_months(const struct retention_table *t);

/* The Paris date of instant t into out; midnight in Paris starting the
 * date iso (unix seconds, 0 when invalid). */
void retention_date_of(int64_t t, char out[11]);
int64_t retention_midnight(const char *iso);
/* The instant before which a dossier must have closed to be due on
 * `date` with a retention of `months` (a bound: due dossiers closed
 * before it; the exact date is decided by domain/retention.h). */
int64_t retention_closed_before(const char *date, int months);

/* The settings page: {accorde, refus, corps_api (0: as the dossier),
 * traces_api, acces, aides: [{id, code, label, active, accorde, refus}]}
 * (aid durations 0: the CCAS's). PERM_SETTINGS_ADMIN. */
json_t *retention_settings(struct db *db, const struct actor *who, int *err);

/* Updates them from the fields "accorde", "refus", "corps_api" (blank: as
 * long as the dossier), "traces_api", "acces", and for each aid type
 * "accorde_<id>" / "refus_<id>" (blank: the CCAS's). CAS_EINVAL with
 * *errors (field -> French message) and nothing written when a value is
 * out of range (domain/retention.h). Audited ("modification" of the
 * tenant and of each aid type changed). PERM_SETTINGS_ADMIN. */
int retention_settings_update(struct db *db, const struct actor *who, json_t *in, json_t **errors);

/* What the purges of the next `days` days will remove, as of now:
 * {today, until, dossiers: [{id, numero, aide, issue, issue_label,
 * cloture_le, purge_le, purge_iso, jours, en_retard, gel (bool)}] sorted
 * by purge date (gel: held, kept while the hold lasts), gels: the holds
 * in force [{dossier_id, numero, kind, kind_label, motif, par, depuis,
 * purge_le}], sans_dossier: {usagers, foyers, titulaires} (records that
 * no dossier holds, unchanged for the refusal delay), runs: the latest
 * purges [{started_at, finished_at, batches, counts, started_by}]}.
 * PERM_SETTINGS_ADMIN. */
json_t *retention_preview(struct db *db, const struct actor *who, int64_t now, int days, int *err);

/* The retention of one dossier for its page: {purge_le (French date, or
 * null while open), purge_iso, gel: {kind, kind_label, motif, par, depuis}
 * or null, historique: [{kind_label, motif, par, depuis, leve_par,
 * leve_le, levee_motif}], can_hold, details (motives shown)}.
 * PERM_DOSSIER_READ; CAS_ENOTFOUND for another CCAS's dossier. */
json_t *retention_dossier(struct db *db, const struct actor *who, int64_t dossier_id, int64_t now,
                          int *err);

/* Sets a legal hold on the dossier: fields "gel_type" (contentieux,
 * recours, autre) and "gel_motif" (required, 1000 characters at most). CAS_EINVAL with
 * *errors (also when a hold is in force already). PERM_LEGAL_HOLD. */
int retention_hold_set(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                       json_t **errors);
/* Lifts the hold in force: field "levee_motif" (required). CAS_EINVAL with
 * *errors, CAS_ENOTFOUND when the dossier has no hold. PERM_LEGAL_HOLD. */
int retention_hold_lift(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                        json_t **errors);

/* "Contentieux (recours devant le tribunal administratif)"... for a hold
 * kind; the code when unknown. Static. */
const char *retention_hold_label(const char *kind);
/* "Accordé", "Refusé", "Ajourné", "Classé sans suite" for a decision code
 * (NULL: "Classé sans suite"). Static. */
const char *retention_issue_label(const char *decision);

#endif
