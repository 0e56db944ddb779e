/* API keys of a tenant: created by its administrator for a program (a
 * vendor's software, a script), shown in clear once, stored only as a
 * SHA-256 digest, revocable. */
#ifndef CAS_APIKEYS_H
#define CAS_APIKEYS_H
#include <jansson.h>
#include <stdint.h>

struct actor;
struct db;

#define APIKEY_SIZE       48 /* "cas_" + 43 characters + NUL */
#define APIKEY_PREFIX_LEN 12 /* characters kept in clear to tell keys apart */

/* in: {label, role (a tenant role code)}. On success fills *id and key (the
 * clear key: show it once, never store or log it). CAS_EINVAL with *errors
 * (new object field -> French message) when a field is wrong; nothing is
 * written then. */
int apikey_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                  char key[APIKEY_SIZE], json_t **errors);
/* The tenant's keys, newest first, as a new array of {id, label, role,
 * prefix, created_at, revoked_at}; NULL with *err on failure. */
json_t *apikey_list(struct db *db, const struct actor *who, int *err);
/* CAS_ENOTFOUND for another tenant's key or one already revoked. */
int apikey_revoke(struct db *db, const struct actor *who, int64_t id);

#endif
