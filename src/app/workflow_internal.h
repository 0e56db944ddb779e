/* Shared between the workflow files of src/app (workflow.c,
 * workflow_read.c) and dossiers.c; not an interface for other modules. */
#ifndef CAS_WORKFLOW_INTERNAL_H
#define CAS_WORKFLOW_INTERNAL_H
#include <jansson.h>
#include <stdint.h>

#include "app/perm.h"
#include "domain/dossier.h"

struct actor;
struct db;

/* The permission of an action of the life cycle (PERM__COUNT when out of
 * range). */
enum perm workflow_action_perm(enum dossier_action a);

/* A string field of a dossier row ("" when absent) and an integer one (0). */
const char *wf_str(const json_t *d, const char *key);
int64_t wf_int(const json_t *d, const char *key);
/* The facts the conditions of the life cycle read from a dossier row. */
void wf_facts(const json_t *d, struct dossier_facts *f);
/* 1 when the actor made the proposal of dossier row d (four-eyes). */
int wf_same_person(const struct actor *who, const json_t *d);

/* The CCAS's delays and four-eyes setting. */
int wf_delays(struct db *db, int64_t tenant_id, struct dossier_delays *delays, int *four_eyes);
/* Today in Paris as a day number (domain/dossier.h day_number). */
int wf_today(void);
/* Adds to dossier row d: due ("YYYY-MM-DD", when the state has a
 * deadline), overdue (bool), late_days. */
void wf_deadline_flag(json_t *d, const struct dossier_delays *delays, int today);

#endif
