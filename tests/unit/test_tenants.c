/* The settings of a CCAS edited by its administrator: the validation shared
 * with the creation, nothing written when refused, the audit entry, the
 * permission and the tenant scope. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/tenants.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "testdb.h"

struct fixture {
	struct db *db;
	struct actor admin_a, valideur_a, admin_b;
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

static int64_t make_tenant(struct db *db, const char *name, const char *siret)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s}", "name", name, "siret", siret, "communes", "75056");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(tenant_create(db, &sys, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	int64_t a = make_tenant(f->db, "CCAS A", "21750001600019");
	int64_t b = make_tenant(f->db, "CCAS B", "26459990300012");
	f->admin_a = (struct actor){.tenant_id = a, .role = ROLE_ADMINISTRATEUR, .label = "a"};
	f->valideur_a = (struct actor){.tenant_id = a, .role = ROLE_VALIDEUR, .label = "v"};
	f->admin_b = (struct actor){.tenant_id = b, .role = ROLE_ADMINISTRATEUR, .label = "b"};
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

static json_t *own(struct fixture *f, const struct actor *who)
{
	int err = 0;
	json_t *t = tenant_get_own(f->db, who, &err);
	assert_non_null(t);
	return t;
}

static void test_refused_writes_nothing(void **state)
{
	struct fixture *f = *state;
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "name", "", "communes", "7505", "colour",
	                       "bleu", "siret", "n'importe quoi");
	json_t *errors = NULL;
	assert_int_equal(tenant_update(f->db, &f->admin_a, in, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "name"));
	assert_non_null(json_object_get(errors, "communes"));
	assert_non_null(json_object_get(errors, "colour"));
	assert_null(json_object_get(errors, "siret")); /* not edited here */
	json_decref(errors);
	json_decref(in);
	json_t *t = own(f, &f->admin_a);
	assert_string_equal(input_str(t, "name"), "CCAS A");
	assert_string_equal(input_str(t, "colour"), "#1b5e8c");
	json_decref(t);
}

static void test_update_and_audit(void **state)
{
	struct fixture *f = *state;
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "name", "CCAS de Lutèce", "communes",
	                       "75056, 2a004", "colour", "#6a1b4d", "siret", "26459990300012");
	json_t *errors = NULL;
	assert_int_equal(tenant_update(f->db, &f->admin_a, in, &errors), 0);
	assert_null(errors);
	json_decref(in);
	json_t *t = own(f, &f->admin_a);
	assert_string_equal(input_str(t, "name"), "CCAS de Lutèce");
	assert_string_equal(input_str(t, "communes"), "75056,2A004");
	assert_string_equal(input_str(t, "colour"), "#6a1b4d");
	assert_string_equal(input_str(t, "siret"), "21750001600019");
	json_decref(t);

	int err = 0;
	json_t *log = audit_list(f->db, &f->admin_a, "tenant", 0, 0, 10, &err);
	assert_non_null(log);
	json_t *e = json_array_get(log, 0);
	assert_string_equal(input_str(e, "action"), "modification");
	assert_true(strstr(input_str(e, "changes"), "CCAS de Lutèce") != NULL);
	json_decref(log);

	t = own(f, &f->admin_b);
	assert_string_equal(input_str(t, "name"), "CCAS B");
	json_decref(t);
}

static void test_permission(void **state)
{
	struct fixture *f = *state;
	json_t *in = json_pack("{s:s, s:s}", "name", "Autre", "communes", "75056");
	json_t *errors = NULL;
	int err = 0;
	assert_int_equal(tenant_update(f->db, &f->valideur_a, in, &errors), CAS_EPERM);
	assert_null(tenant_get_own(f->db, &f->valideur_a, &err));
	assert_int_equal(err, CAS_EPERM);
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_refused_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_update_and_audit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_permission, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
