/* The dashboard: what waits on the signed-in user. */
#ifndef CAS_HOME_H
#define CAS_HOME_H
#include <jansson.h>

struct actor;
struct db;

/* Counts of dossiers per state and the user's recent dossiers, as a new
 * object; NULL with *err on failure. */
json_t *home_summary(struct db *db, const struct actor *who, int *err);

#endif
