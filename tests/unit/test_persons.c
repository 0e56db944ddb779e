/* Person use cases against an in-memory database: validation writes
 * nothing, mutations are audited, search by name and birth date, tenant
 * scope, permissions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

struct fixture {
	struct db *db;
	struct actor a, b; /* instructeurs of tenants A and B */
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

static void actor(struct actor *who, int64_t tenant, enum role role)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->user_id = 1;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "agent@%lld.fr", (long long)tenant);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(1717147800); /* 2024-05-31 */
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	actor(&f->a, make_tenant(f->db, "21750001600019"), ROLE_INSTRUCTEUR);
	actor(&f->b, make_tenant(f->db, "26459990300012"), ROLE_INSTRUCTEUR);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->db);
	free(f);
	clock_clear_override();
	return 0;
}

static json_t *input(const char *nom, const char *prenom, const char *date)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", nom, "prenom1",
	                 prenom, "sexe", "F", "date_naissance", date, "lieu_type", "commune",
	                 "commune_naissance", "75056", "nationalite", "francaise");
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

static int64_t create(struct fixture *f, const struct actor *who, const char *nom,
                      const char *prenom, const char *date)
{
	json_t *in = input(nom, prenom, date), *errors = NULL;
	int64_t id = 0;
	assert_int_equal(person_create(f->db, who, in, &id, &errors), 0);
	assert_null(errors);
	json_decref(in);
	return id;
}

static void invalid_writes_nothing(void **state)
{
	struct fixture *f = *state;
	json_t *in = input("Lefebvre", "Marie", "31/02/1990"), *errors = NULL;
	int64_t id = 0;
	assert_int_equal(person_create(f->db, &f->a, in, &id, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "date_naissance"));
	assert_int_equal(json_object_size(errors), 1);
	json_decref(errors);
	json_object_del(in, "nationalite");
	json_object_del(in, "lieu_type");
	json_object_del(in, "commune_naissance");
	json_object_set_new(in, "date_naissance", json_string("12/03/1990"));
	assert_int_equal(person_create(f->db, &f->a, in, &id, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "nationalite"));
	assert_non_null(json_object_get(errors, "lieu_type"));
	json_decref(errors);
	json_decref(in);
	assert_int_equal(count(f->db, "SELECT count(*) FROM persons"), 0);
	assert_int_equal(
	    count(f->db, "SELECT count(*) FROM audit_log WHERE object_type = 'person'"), 0);
}

static void create_normalises_and_audits(void **state)
{
	struct fixture *f = *state;
	json_t *in = input("  Le   Gall ", "Anne’Sophie", " 3/1990 "), *errors = NULL;
	json_object_set_new(in, "commune_naissance", json_string("2a004"));
	json_object_set_new(in, "adresse", json_string("1 rue X\r\nBât. B"));
	int64_t id = 0;
	assert_int_equal(person_create(f->db, &f->a, in, &id, &errors), 0);
	json_decref(in);
	int err;
	json_t *p = person_get(f->db, &f->a, id, &err);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "nom_naissance")), "Le Gall");
	assert_string_equal(json_string_value(json_object_get(p, "prenom1")), "Anne'Sophie");
	assert_string_equal(json_string_value(json_object_get(p, "date_naissance")), "1990-03-00");
	assert_string_equal(json_string_value(json_object_get(p, "commune_naissance")), "2A004");
	assert_string_equal(json_string_value(json_object_get(p, "adresse")), "1 rue X\nBât. B");
	assert_true(json_is_null(json_object_get(p, "nom_usage")));
	assert_true(json_is_null(json_object_get(p, "pays_naissance")));
	json_decref(p);
	json_t *row = q_row(f->db, NULL,
	                    "SELECT nom_fold, prenom_fold, nom_phon, action, changes FROM persons, "
	                    "audit_log WHERE persons.id = ? AND object_type = 'person' AND "
	                    "object_id = persons.id",
	                    "i", id);
	assert_non_null(row);
	assert_string_equal(json_string_value(json_object_get(row, "nom_fold")), "le gall");
	assert_string_equal(json_string_value(json_object_get(row, "prenom_fold")), "anne sophie");
	assert_string_equal(json_string_value(json_object_get(row, "action")), "creation");
	assert_non_null(strstr(json_string_value(json_object_get(row, "changes")),
	                       "\"nom_naissance\":[null,\"Le Gall\"]"));
	json_decref(row);
}

static void update_audits_changes_only(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, &f->a, "Martin", "Léa", "1990");
	json_t *in = input("Martin", "Léa", "1990"), *errors = NULL;
	assert_int_equal(person_update(f->db, &f->a, id, in, &errors), 0); /* no change */
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = "
	                              "'modification'"),
	                 0);
	json_object_set_new(in, "nom_usage", json_string("Lefèvre"));
	assert_int_equal(person_update(f->db, &f->a, id, in, &errors), 0);
	json_t *row = q_row(f->db, NULL,
	                    "SELECT changes FROM audit_log WHERE action = 'modification' AND "
	                    "object_id = ?",
	                    "i", id);
	assert_string_equal(json_string_value(json_object_get(row, "changes")),
	                    "{\"nom_usage\":[null,\"Lefèvre\"]}");
	json_decref(row);
	json_object_set_new(in, "telephone", json_string("12"));
	assert_int_equal(person_update(f->db, &f->a, id, in, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "telephone"));
	json_decref(errors);
	json_decref(in);
}

static json_t *search(struct fixture *f, const struct actor *who, const char *name,
                      const char *date, int64_t *total)
{
	struct person_search s = {
	    .name = name, .date_naissance = date, .limit = 25, .total = total};
	int err;
	json_t *errors = NULL;
	json_t *rows = person_search(f->db, who, &s, &err, &errors);
	assert_non_null(rows);
	assert_int_equal(err, 0);
	return rows;
}

static void search_names_and_dates(void **state)
{
	struct fixture *f = *state;
	int64_t a = create(f, &f->a, "Lefebvre", "Marie", "12/03/1990");
	int64_t b = create(f, &f->a, "Lefèvre", "Jean", "1985");
	create(f, &f->a, "Dupont", "Jean", "03/1990");
	create(f, &f->b, "Lefèvre", "Paul", "1985"); /* other tenant */
	int64_t total = 0;
	json_t *rows = search(f, &f->a, "lefevre", NULL, &total);
	assert_int_equal(total, 2);
	assert_int_equal(json_array_size(rows), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "id")), a);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "id")), b);
	json_decref(rows);
	rows = search(f, &f->a, "jean dupont", NULL, &total);
	assert_int_equal(total, 1);
	json_decref(rows);
	rows = search(f, &f->a, "LEF", "12/03/1990", &total); /* 1985 does not match */
	assert_int_equal(total, 1);
	json_decref(rows);
	rows = search(f, &f->a, NULL, "12/03/1990", &total); /* Dupont: day unknown */
	assert_int_equal(total, 2);
	json_decref(rows);
	struct person_search s = {.date_naissance = "30/02/1990", .limit = 25};
	int err;
	json_t *errors = NULL;
	assert_null(person_search(f->db, &f->a, &s, &err, &errors));
	assert_int_equal(err, CAS_EINVAL);
	assert_non_null(json_object_get(errors, "date_naissance"));
	json_decref(errors);
}

static void tenant_scope_and_permissions(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, &f->a, "Lefebvre", "Marie", "12/03/1990");
	int err;
	assert_null(person_get(f->db, &f->b, id, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	json_t *in = input("X", "Y", "1990"), *errors = NULL;
	assert_int_equal(person_update(f->db, &f->b, id, in, &errors), CAS_ENOTFOUND);
	struct actor v;
	actor(&v, f->a.tenant_id, ROLE_VALIDEUR);
	int64_t nid;
	assert_int_equal(person_create(f->db, &v, in, &nid, &errors), CAS_EPERM);
	assert_int_equal(person_update(f->db, &v, id, in, &errors), CAS_EPERM);
	json_t *p = person_get(f->db, &v, id, &err); /* reading is allowed */
	assert_non_null(p);
	json_decref(p);
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(invalid_writes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(create_normalises_and_audits, setup, teardown),
	    cmocka_unit_test_setup_teardown(update_audits_changes_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(search_names_and_dates, setup, teardown),
	    cmocka_unit_test_setup_teardown(tenant_scope_and_permissions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
