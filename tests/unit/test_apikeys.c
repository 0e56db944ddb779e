/* API keys and the administrator's password reset, against an in-memory
 * database: creation shown once, resolution, revocation, tenant scope. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/apikeys.h"
#include "app/audit.h"
#include "app/auth.h"
#include "app/tenants.h"
#include "app/users.h"
#include "base/crypto.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/session_store.h"
#include "store/user_store.h"
#include "testdb.h"

#define PASSWORD "motdepasse-solide-1"

struct fixture {
	struct db *db;
	struct actor admin_a, admin_b; /* administrators of tenants A and B */
	int64_t agent_a;               /* an instructeur of tenant A */
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

static int64_t make_tenant(struct db *db, const char *siret)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s}", "name", "CCAS", "siret", siret, "communes", "75056");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(tenant_create(db, &sys, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int64_t make_user(struct db *db, int64_t tenant, const char *email, const char *role)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", "Agent", "role",
	                       role, "password", PASSWORD);
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(user_create(db, &sys, tenant, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static void admin_actor(struct actor *who, int64_t tenant, int64_t user, const char *email)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->user_id = user;
	who->role = ROLE_ADMINISTRATEUR;
	snprintf(who->label, sizeof(who->label), "%s", email);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_int_equal(crypto_init(), 0);
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	int64_t ta = make_tenant(f->db, "21750001600019");
	int64_t tb = make_tenant(f->db, "26459990300012");
	admin_actor(&f->admin_a, ta, make_user(f->db, ta, "a@a.fr", "administrateur"), "a@a.fr");
	admin_actor(&f->admin_b, tb, make_user(f->db, tb, "b@b.fr", "administrateur"), "b@b.fr");
	f->agent_a = make_user(f->db, ta, "agent@a.fr", "instructeur");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->db);
	free(f);
	return 0;
}

static int64_t create_key(struct fixture *f, const char *label, const char *role,
                          char key[APIKEY_SIZE])
{
	json_t *in = json_pack("{s:s, s:s}", "label", label, "role", role);
	json_t *errors = NULL;
	int64_t id = 0;
	assert_int_equal(apikey_create(f->db, &f->admin_a, in, &id, key, &errors), 0);
	assert_null(errors);
	json_decref(in);
	return id;
}

static void create_rejects_bad_fields(void **state)
{
	struct fixture *f = *state;
	json_t *in = json_pack("{s:s, s:s}", "label", "", "role", "plateforme");
	json_t *errors = NULL;
	char key[APIKEY_SIZE];
	int64_t id = 0;
	assert_int_equal(apikey_create(f->db, &f->admin_a, in, &id, key, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "label"));
	assert_non_null(json_object_get(errors, "role"));
	json_decref(errors);
	json_decref(in);
	int err;
	json_t *rows = apikey_list(f->db, &f->admin_a, &err);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void create_needs_permission(void **state)
{
	struct fixture *f = *state;
	struct actor agent = f->admin_a;
	agent.role = ROLE_INSTRUCTEUR;
	agent.user_id = f->agent_a;
	struct actor platform = {.role = ROLE_PLATEFORME, .user_id = 1};
	json_t *in = json_pack("{s:s, s:s}", "label", "Logiciel", "role", "accueil");
	json_t *errors = NULL;
	char key[APIKEY_SIZE];
	int64_t id = 0;
	assert_int_equal(apikey_create(f->db, &agent, in, &id, key, &errors), CAS_EPERM);
	assert_int_equal(apikey_create(f->db, &platform, in, &id, key, &errors), CAS_EPERM);
	json_decref(in);
	int err;
	assert_null(apikey_list(f->db, &agent, &err));
	assert_int_equal(err, CAS_EPERM);
}

static void key_resolves_and_is_stored_hashed(void **state)
{
	struct fixture *f = *state;
	char key[APIKEY_SIZE];
	int64_t id = create_key(f, "Logiciel de l'éditeur", "instructeur", key);
	assert_int_equal(strncmp(key, "cas_", 4), 0);
	assert_int_equal(strlen(key), 47);
	struct actor who;
	assert_int_equal(auth_api_key(f->db, key, &who), 0);
	assert_int_equal(who.api_key_id, id);
	assert_int_equal(who.user_id, 0);
	assert_int_equal(who.tenant_id, f->admin_a.tenant_id);
	assert_int_equal(who.role, ROLE_INSTRUCTEUR);
	int err;
	json_t *rows = apikey_list(f->db, &f->admin_a, &err);
	assert_int_equal(json_array_size(rows), 1);
	json_t *row = json_array_get(rows, 0);
	assert_int_equal(strncmp(json_string_value(json_object_get(row, "prefix")), key, 12), 0);
	assert_int_equal(strlen(json_string_value(json_object_get(row, "prefix"))), 12);
	assert_null(json_object_get(row, "key_hash"));
	json_decref(rows);
	rows = apikey_list(f->db, &f->admin_b, &err);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void revoke_is_scoped_and_final(void **state)
{
	struct fixture *f = *state;
	char key[APIKEY_SIZE];
	int64_t id = create_key(f, "Script", "accueil", key);
	struct actor who;
	assert_int_equal(apikey_revoke(f->db, &f->admin_b, id), CAS_ENOTFOUND);
	assert_int_equal(auth_api_key(f->db, key, &who), 0);
	assert_int_equal(apikey_revoke(f->db, &f->admin_a, id), 0);
	assert_int_equal(auth_api_key(f->db, key, &who), CAS_EAUTH);
	assert_int_equal(apikey_revoke(f->db, &f->admin_a, id), CAS_ENOTFOUND);
	int err;
	json_t *log = audit_list(f->db, &f->admin_a, "api_key", id, 0, 10, &err);
	assert_int_equal(json_array_size(log), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(log, 0), "action")),
	                    "revocation");
	assert_string_equal(json_string_value(json_object_get(json_array_get(log, 1), "action")),
	                    "creation");
	json_decref(log);
}

static int password_is(struct db *db, const char *email, const char *password)
{
	int err;
	json_t *u = user_store_auth_by_email(db, email, &err);
	assert_non_null(u);
	int ok =
	    password_verify(json_string_value(json_object_get(u, "password_hash")), password) == 0;
	json_decref(u);
	return ok;
}

static void reset_password_is_scoped(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	assert_int_equal(
	    user_reset_password(f->db, &f->admin_b, f->agent_a, "un-autre-motdepasse", &errors),
	    CAS_ENOTFOUND);
	assert_int_equal(user_reset_password(f->db, &f->admin_a, f->agent_a, "court", &errors),
	                 CAS_EINVAL);
	assert_non_null(json_object_get(errors, "password"));
	json_decref(errors);
	assert_int_equal(session_store_insert(f->db, "h1", f->agent_a, "csrf", 1), 0);
	assert_int_equal(
	    user_reset_password(f->db, &f->admin_a, f->agent_a, "un-autre-motdepasse", &errors), 0);
	int err;
	assert_null(session_store_get(f->db, "h1", &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	assert_false(password_is(f->db, "agent@a.fr", PASSWORD));
	assert_true(password_is(f->db, "agent@a.fr", "un-autre-motdepasse"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(create_rejects_bad_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(create_needs_permission, setup, teardown),
	    cmocka_unit_test_setup_teardown(key_resolves_and_is_stored_hashed, setup, teardown),
	    cmocka_unit_test_setup_teardown(revoke_is_scoped_and_final, setup, teardown),
	    cmocka_unit_test_setup_teardown(reset_password_is_scoped, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
