#include "app/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/utf8.h"
#include "store/db.h"
#include "store/session_store.h"
#include "store/user_store.h"

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void fill_actor(struct actor *who, json_t *row, int64_t user_id)
{
	memset(who, 0, sizeof(*who));
	who->user_id = user_id;
	who->tenant_id = json_integer_value(json_object_get(row, "tenant_id"));
	int role = role_from_code(json_string_value(json_object_get(row, "role")));
	/* fail closed: an unknown role (or the command line's) gets no permission */
	who->role = role < 0 || role == ROLE_SYSTEME ? ROLE__COUNT : (enum role)role;
	copy(who->label, sizeof(who->label), json_string_value(json_object_get(row, "email")));
	copy(who->display_name, sizeof(who->display_name),
	     json_string_value(json_object_get(row, "display_name")));
	copy(who->tenant_name, sizeof(who->tenant_name),
	     json_string_value(json_object_get(row, "tenant_name")));
	copy(who->tenant_colour, sizeof(who->tenant_colour),
	     json_string_value(json_object_get(row, "tenant_colour")));
}

/* Spends the time of one verification so that an unknown e-mail answers as
 * slowly as a known one. */
static char dummy_hash[PASSWORD_HASH_SIZE];

static void make_dummy_hash(void)
{
	password_hash("cassis-dummy-password", dummy_hash);
}

static void burn_verification(const char *password)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, make_dummy_hash);
	password_verify(dummy_hash, password);
}

/* Counts a wrong password (not while locked) and audits the attempt. */
static int record_failure(struct db *db, json_t *user, int64_t now)
{
	int64_t id = json_integer_value(json_object_get(user, "id"));
	int64_t failed = 0;
	int rc = user_store_count_failure(db, id, now, now + AUTH_LOCK_SECONDS, AUTH_MAX_FAILURES,
	                                  &failed);
	if (rc != 0)
		return rc;
	struct actor who;
	fill_actor(&who, user, id);
	return audit_write(db, &who,
	                   failed >= AUTH_MAX_FAILURES ? "verrouillage" : "echec_connexion", "user",
	                   id, NULL);
}

/* An attempt refused before any counting (unknown address, locked or
 * disabled account) is audited too: without the typed address when no
 * account has it. */
static void audit_refusal(struct db *db, json_t *user)
{
	struct actor who = {0};
	int64_t id = 0;
	if (user) {
		id = json_integer_value(json_object_get(user, "id"));
		fill_actor(&who, user, id);
	} else {
		snprintf(who.label, sizeof(who.label), "adresse inconnue");
	}
	if (db_begin(db) != 0)
		return;
	if (audit_write(db, &who, "echec_connexion", "user", id, NULL) == 0 && db_commit(db) == 0)
		return;
	db_rollback(db);
}

static int open_session(struct db *db, int64_t user_id, const char *old_token,
                        char token[AUTH_TOKEN_LEN], char csrf[AUTH_TOKEN_LEN], int64_t now)
{
	char hash[65];
	if (old_token && *old_token) {
		sha256_hex(old_token, strlen(old_token), hash);
		session_store_delete(db, hash);
	}
	random_token(token, AUTH_TOKEN_LEN);
	random_token(csrf, AUTH_TOKEN_LEN);
	sha256_hex(token, strlen(token), hash);
	return session_store_insert(db, hash, user_id, csrf, now);
}

/* Records the outcome of a verified attempt, in one transaction. The lock is
 * checked again inside it: an attempt verified while others were locking the
 * account neither opens a session nor counts. */
static int record_attempt(struct db *db, json_t *user, int good, const char *old_token,
                          char token[AUTH_TOKEN_LEN], char csrf[AUTH_TOKEN_LEN], struct actor *who)
{
	int64_t now = clock_now();
	int64_t id = json_integer_value(json_object_get(user, "id"));
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	if (!good) {
		rc = record_failure(db, user, now);
		rc = rc == 0 ? CAS_EAUTH : rc;
	} else {
		rc = user_store_reset_failures(db, id, now);
		if (rc == 0) {
			session_store_delete_expired(db, now - AUTH_IDLE_SECONDS,
			                             now - AUTH_ABSOLUTE_SECONDS);
			rc = open_session(db, id, old_token, token, csrf, now);
		}
		if (rc == 0) {
			fill_actor(who, user, id);
			rc = audit_write(db, who, "connexion", "user", id, NULL);
		}
	}
	if (rc == CAS_ELOCKED) {
		db_rollback(db);
		audit_refusal(db, user);
		return CAS_EAUTH;
	}
	if (rc == 0 || rc == CAS_EAUTH) { /* a refusal is recorded too */
		int crc = db_commit(db);
		return crc ? crc : rc;
	}
	db_rollback(db);
	return rc;
}

int auth_login(struct db *db, const char *email, const char *password, const char *old_token,
               char token[AUTH_TOKEN_LEN], char csrf[AUTH_TOKEN_LEN], struct actor *who)
{
	int rc = 0;
	json_t *user = NULL;
	if (email && *email && password && strlen(password) <= 1024)
		user = user_store_auth_by_email(db, email, &rc);
	if (!user) {
		burn_verification(password ? password : "");
		if (rc != 0 && rc != CAS_ENOTFOUND)
			return rc;
		audit_refusal(db, NULL);
		return CAS_EAUTH;
	}
	/* the slow verification runs outside any transaction */
	const char *hash = json_string_value(json_object_get(user, "password_hash"));
	int good = password_verify(hash, password) == 0;
	int locked = json_integer_value(json_object_get(user, "locked_until")) > clock_now();
	int active = json_integer_value(json_object_get(user, "active")) != 0;
	if (locked || !active) { /* no counting while locked: the lock ends on time */
		audit_refusal(db, user);
		json_decref(user);
		return CAS_EAUTH;
	}
	rc = record_attempt(db, user, good, old_token, token, csrf, who);
	json_decref(user);
	return rc;
}

int auth_session(struct db *db, const char *token, struct actor *who, char csrf[AUTH_TOKEN_LEN])
{
	char hash[65];
	int rc;
	if (!token || strlen(token) > 128)
		return CAS_EAUTH;
	sha256_hex(token, strlen(token), hash);
	json_t *s = session_store_get(db, hash, &rc);
	if (!s)
		return rc == CAS_ENOTFOUND ? CAS_EAUTH : rc;
	int64_t now = clock_now();
	int64_t last = json_integer_value(json_object_get(s, "last_seen"));
	int64_t created = json_integer_value(json_object_get(s, "created_at"));
	if (now - last > AUTH_IDLE_SECONDS || now - created > AUTH_ABSOLUTE_SECONDS ||
	    !json_integer_value(json_object_get(s, "active"))) {
		session_store_delete(db, hash);
		json_decref(s);
		return CAS_EAUTH;
	}
	fill_actor(who, s, json_integer_value(json_object_get(s, "user_id")));
	copy(csrf, AUTH_TOKEN_LEN, json_string_value(json_object_get(s, "csrf")));
	json_decref(s);
	if (now - last >= 30) /* spare a write on every request */
		session_store_touch(db, hash, now);
	return 0;
}

int auth_logout(struct db *db, const char *token, const struct actor *who)
{
	char hash[65];
	sha256_hex(token, strlen(token), hash);
	int rc = db_begin(db);
	if (rc == 0)
		rc = session_store_delete(db, hash);
	if (rc == 0)
		rc = audit_write(db, who, "deconnexion", "user", who->user_id, NULL);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int auth_api_key(struct db *db, const char *key, struct actor *who)
{
	char hash[65];
	int rc;
	if (!key || strncmp(key, "cas_", 4) != 0 || strlen(key) > 128)
		return CAS_EAUTH;
	sha256_hex(key, strlen(key), hash);
	json_t *k = apikey_store_by_hash(db, hash, &rc);
	if (!k)
		return rc == CAS_ENOTFOUND ? CAS_EAUTH : rc;
	fill_actor(who, k, 0);
	who->api_key_id = json_integer_value(json_object_get(k, "id"));
	snprintf(who->label, sizeof(who->label), "clé API %s",
	         json_string_value(json_object_get(k, "prefix")));
	copy(who->display_name, sizeof(who->display_name),
	     json_string_value(json_object_get(k, "label")));
	json_decref(k);
	return 0;
}

const char *auth_password_problem(const char *password)
{
	if (!password || utf8_strlen(password) < PASSWORD_MIN_CHARS)
		return "Le mot de passe doit comporter au moins 12 caractères.";
	if (strlen(password) > 1024)
		return "Le mot de passe est trop long (1024 octets au plus).";
	return NULL;
}
