/* Shared by the files of the commission use cases (commission.c,
 * commission_decide.c, commission_anon.c, commission_pv.c): private to
 * src/app. */
#ifndef CAS_COMMISSION_INTERNAL_H
#define CAS_COMMISSION_INTERNAL_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct actor;
struct db;

/* A string member, "" when absent. */
const char *cm_str(const json_t *o, const char *key);
int64_t cm_int(const json_t *o, const char *key);

/* Commits when rc is 0, rolls back otherwise; returns the final status. */
int cm_finish(struct db *db, int rc);

/* Inside a transaction: the session of the actor's tenant, not closed.
 * CAS_ENOTFOUND, CAS_ECONFLICT when closed, or a database error. */
int cm_open_session(struct db *db, const struct actor *who, int64_t id, json_t **session);

/* "20/03/2026" and "vendredi 20 mars 2026" of an ISO date (out: 48 bytes
 * at least); the ISO text itself when it is not a date. */
void cm_date_fr(const char *iso, char *out, size_t size);
void cm_date_long(const char *iso, char *out, size_t size);

/* The anonymised agenda items of the session (domain/agenda_anon.h), each
 * with "ordre" and "item_id". NULL with *err on a database error. */
json_t *cm_anonymous_items(struct db *db, int64_t tenant_id, json_t *session, int *err);

/* The minutes of a session as PDF bytes (*pdf malloc'ed, caller frees).
 * session: the store row; items: cm_anonymous_items(); closed_at: the
 * instant written on the document. 0 or CAS_EIO / a database error. */
int cm_minutes_render(struct db *db, int64_t tenant_id, json_t *session, json_t *items,
                      int64_t closed_at, unsigned char **pdf, size_t *n);

#endif
