/* Authentication: password login with lockout, sessions, API keys. */
#ifndef CAS_AUTH_H
#define CAS_AUTH_H
#include <stddef.h>

struct actor;
struct db;

#define AUTH_TOKEN_LEN        64    /* buffer size for tokens (43 chars + NUL) */
#define AUTH_IDLE_SECONDS     1800  /* 30 min */
#define AUTH_ABSOLUTE_SECONDS 43200 /* 12 h */
#define AUTH_MAX_FAILURES     5
#define AUTH_LOCK_SECONDS     900 /* 15 min */
#define PASSWORD_MIN_CHARS    12

/* Checks the password; on success creates a session and fills token (the
 * cookie value), csrf and who. Replaces old_token's session when given.
 * CAS_EAUTH for a bad e-mail, bad password or locked account alike. */
int auth_login(struct db *db, const char *email, const char *password, const char *old_token,
               char token[AUTH_TOKEN_LEN], char csrf[AUTH_TOKEN_LEN], struct actor *who);
/* Resolves a session cookie. CAS_EAUTH when unknown or expired. */
int auth_session(struct db *db, const char *token, struct actor *who, char csrf[AUTH_TOKEN_LEN]);
int auth_logout(struct db *db, const char *token, const struct actor *who);
/* Resolves an API key ("cas_..."). CAS_EAUTH when unknown or revoked. */
int auth_api_key(struct db *db, const char *key, struct actor *who);
/* French message when the password is too weak, NULL when acceptable. */
const char *auth_password_problem(const char *password);

#endif
