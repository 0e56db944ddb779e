/* The hash chain of the audit log: the canonical form, verification that
 * finds every kind of tampering (update, delete, insert, reorder, changes,
 * redaction, anchor), one chain per tenant, the seal of the entries written
 * before migration 013, and two connections writing at once (SQLite or
 * PostgreSQL, see testdb.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/audit_verify.h"
#include "app/tenants.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "store/audit_chain.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

struct fixture {
	struct db *db;
	struct actor a, b; /* administrateurs of tenants A and B */
	int64_t ta, tb;
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
	who->user_id = 7;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "agent@%lld.fr", (long long)tenant);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_int_equal(crypto_init(), 0);
	clock_set_override(1717147800); /* 2024-05-31 */
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	f->ta = make_tenant(f->db, "21750001600019");
	f->tb = make_tenant(f->db, "26459990300012");
	actor(&f->a, f->ta, ROLE_ADMINISTRATEUR);
	actor(&f->b, f->tb, ROLE_ADMINISTRATEUR);
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

/* Five entries of tenant A (its creation is in the platform's chain); their
 * ids. */
static void write_five(struct fixture *f, int64_t ids[5])
{
	for (int i = 0; i < 5; i++) {
		json_t *changes =
		    json_pack("{s:[s,s]}", "nom", "Avant", i % 2 ? "Après" : "Dupont");
		assert_int_equal(
		    audit_write(f->db, &f->a, "modification", "person", 100 + i, changes), 0);
		assert_int_equal(q_int(f->db, &ids[i],
		                       "SELECT max(id) FROM audit_log WHERE tenant_id = ?", "i",
		                       f->ta),
		                 1);
	}
}

/* The report of tenant A's chain (caller decrefs); *chain borrowed from it. */
static json_t *verify_a(struct fixture *f, json_t **chain)
{
	json_t *rep = NULL;
	assert_int_equal(audit_verify(f->db, &f->a, f->ta, NULL, &rep), 0);
	*chain = json_array_get(json_object_get(rep, "chains"), 0);
	assert_non_null(*chain);
	return rep;
}

/* Asserts that the first error of tenant A's chain is kind at id. */
static void assert_broken_at(struct fixture *f, const char *kind, int64_t id)
{
	json_t *c, *rep = verify_a(f, &c);
	assert_false(json_is_true(json_object_get(rep, "intact")));
	json_t *e = json_array_get(json_object_get(c, "errors"), 0);
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "kind")), kind);
	assert_int_equal(json_integer_value(json_object_get(e, "id")), id);
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "entrée n°"));
	json_decref(rep);
}

static void exec(struct db *db, const char *sql)
{
	assert_int_equal(db_exec(db, sql), 0);
}

static void execf(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void execf(struct db *db, const char *fmt, ...)
{
	char sql[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	exec(db, sql);
}

/* --- canonical form --- */

static void canonical_form_is_length_prefixed(void **state)
{
	struct audit_entry e = {.id = 12,
	                        .tenant_id = 3,
	                        .at = 1717147800,
	                        .actor_id = 5,
	                        .actor_label = "agent@ccas.fr",
	                        .action = "modification",
	                        .object_type = "person",
	                        .object_id = 42,
	                        .changes = "{}"};
	char *c = audit_chain_canonical(&e, "ab");
	assert_string_equal(c, "cassis-audit-1\nid=2:12\ntenant=1:3\nat=10:1717147800\nactor=1:5\n"
	                       "actor_label=13:agent@ccas.fr\naction=12:modification\n"
	                       "object_type=6:person\nobject_id=2:42\nchanges_sha256=2:ab");
	/* a value holding a separator cannot pass for two fields */
	e.actor_label = "a\nid=2:13";
	char *d = audit_chain_canonical(&e, "ab");
	assert_non_null(strstr(d, "actor_label=9:a\nid=2:13\n"));
	/* the link: SHA-256 of prev, a line feed and the canonical form */
	char h[AUDIT_HASH_SIZE], want[65], buf[1024];
	audit_chain_link(AUDIT_GENESIS, c, h);
	int n = snprintf(buf, sizeof(buf), "%s\n%s", AUDIT_GENESIS, c);
	sha256_hex(buf, (size_t)n, want);
	assert_string_equal(h, want);
	free(c);
	free(d);
}

static void written_changes_are_canonical_and_linked(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(audit_write(f->db, &f->a, "connexion", "user", 7, NULL), 0);
	json_t *changes = json_pack("{s:[n,s], s:[n,s]}", "zeta", "é", "alpha", "1");
	assert_int_equal(audit_write(f->db, &f->a, "creation", "person", 9, changes), 0);
	json_t *row = q_row(f->db, NULL,
	                    "SELECT changes, changes_sha256, prev_hash, hash FROM audit_log "
	                    "WHERE tenant_id = ? ORDER BY id DESC LIMIT 1",
	                    "i", f->ta);
	const char *text = json_string_value(json_object_get(row, "changes"));
	assert_string_equal(text, "{\"alpha\":[null,\"1\"],\"zeta\":[null,\"é\"]}");
	char d[65];
	sha256_hex(text, strlen(text), d);
	assert_string_equal(json_string_value(json_object_get(row, "changes_sha256")), d);
	/* its predecessor: the first entry of the tenant's chain */
	json_t *first = q_row(f->db, NULL,
	                      "SELECT hash, prev_hash FROM audit_log WHERE tenant_id = ? "
	                      "ORDER BY id LIMIT 1",
	                      "i", f->ta);
	assert_string_equal(json_string_value(json_object_get(first, "prev_hash")), AUDIT_GENESIS);
	assert_string_equal(json_string_value(json_object_get(row, "prev_hash")),
	                    json_string_value(json_object_get(first, "hash")));
	json_decref(first);
	json_decref(row);
}

/* --- tampering --- */

static void intact_chain_verifies(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	json_t *c, *rep = verify_a(f, &c);
	assert_true(json_is_true(json_object_get(rep, "intact")));
	assert_int_equal(json_integer_value(json_object_get(c, "entries")), 5);
	assert_int_equal(json_integer_value(json_object_get(c, "last_id")), ids[4]);
	json_decref(rep);
}

static void update_is_found(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	execf(f->db, "UPDATE audit_log SET action = 'lecture' WHERE id = %lld", (long long)ids[2]);
	assert_broken_at(f, "contenu", ids[2]);
}

static void changes_update_is_found(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	execf(f->db, "UPDATE audit_log SET changes = '{}' WHERE id = %lld", (long long)ids[1]);
	assert_broken_at(f, "modifications", ids[1]);
}

static void delete_is_found(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	execf(f->db, "DELETE FROM audit_log WHERE id = %lld", (long long)ids[2]);
	assert_broken_at(f, "maillon", ids[3]);
}

static void insert_is_found(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO audit_log (id, tenant_id, actor_label, action, object_type, changes, "
	         "at) VALUES (%lld, %lld, 'x', 'suppression', 'person', '{}', 1717147800)",
	         (long long)(ids[4] + 100), (long long)f->ta);
	exec(f->db, sql);
	assert_broken_at(f, "sans_empreinte", ids[4] + 100);
	/* a forged hash copied from a real entry does not pass either */
	execf(f->db,
	      "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE id = %lld), "
	      "prev_hash = (SELECT hash FROM audit_log WHERE id = %lld) WHERE hash IS NULL",
	      (long long)ids[4], (long long)ids[4]);
	assert_broken_at(f, "contenu", ids[4] + 100);
}

static void reorder_is_found(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	execf(f->db, "UPDATE audit_log SET id = -1 WHERE id = %lld", (long long)ids[1]);
	execf(f->db, "UPDATE audit_log SET id = %lld WHERE id = %lld", (long long)ids[1],
	      (long long)ids[2]);
	execf(f->db, "UPDATE audit_log SET id = %lld WHERE id = -1", (long long)ids[2]);
	assert_broken_at(f, "maillon", ids[1]);
	json_t *c, *rep = verify_a(f, &c);
	assert_true(json_integer_value(json_object_get(c, "error_count")) >= 2);
	json_decref(rep);
}

static void tail_deletion_needs_the_anchor(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	char head[AUDIT_HASH_SIZE];
	int64_t head_id;
	assert_int_equal(audit_chain_head(f->db, f->ta, &head_id, head), 1);
	execf(f->db, "DELETE FROM audit_log WHERE id = %lld", (long long)ids[4]);
	json_t *c, *rep = verify_a(f, &c);
	assert_true(json_is_true(json_object_get(rep, "intact"))); /* the chain alone cannot tell */
	json_decref(rep);
	struct audit_anchor anchor = {.id = head_id, .hash = head};
	assert_int_equal(audit_verify(f->db, &f->a, f->ta, &anchor, &rep), 0);
	assert_false(json_is_true(json_object_get(rep, "intact")));
	c = json_array_get(json_object_get(rep, "chains"), 0);
	json_t *e = json_array_get(json_object_get(c, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "kind")), "ancre");
	json_decref(rep);
}

static void redaction_keeps_the_chain(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5], n = 0;
	write_five(f, ids);
	assert_int_equal(audit_redact_object(f->db, &f->a, f->ta, "person", 102, &n), CAS_EPERM);
	assert_int_equal(audit_redact_object(f->db, &sys, f->ta, "person", 102, &n), 0);
	assert_int_equal(n, 1);
	json_t *row = q_row(f->db, NULL, "SELECT changes FROM audit_log WHERE id = ?", "i", ids[2]);
	assert_string_equal(json_string_value(json_object_get(row, "changes")),
	                    "{\"nom\":\"" AUDIT_REDACTED "\"}");
	json_decref(row);
	json_t *c, *rep = verify_a(f, &c);
	assert_true(json_is_true(json_object_get(rep, "intact")));
	assert_int_equal(json_integer_value(json_object_get(c, "redacted")), 1);
	json_decref(rep);
	/* a "redacted" entry that says something else is found */
	execf(f->db, "UPDATE audit_log SET changes = '{\"nom\":\"Martin\"}' WHERE id = %lld",
	      (long long)ids[2]);
	assert_broken_at(f, "caviardage", ids[2]);
}

static void chains_are_per_tenant(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	assert_int_equal(audit_write(f->db, &f->b, "modification", "person", 1, NULL), 0);
	execf(f->db, "UPDATE audit_log SET at = at + 1 WHERE id = %lld", (long long)ids[0]);
	json_t *rep;
	assert_int_equal(audit_verify(f->db, &f->b, f->tb, NULL, &rep), 0);
	assert_true(json_is_true(json_object_get(rep, "intact")));
	json_decref(rep);
	/* a user sees their own chain only; the system, every chain */
	assert_int_equal(audit_verify(f->db, &f->b, f->ta, NULL, &rep), CAS_EPERM);
	struct actor instr;
	actor(&instr, f->tb, ROLE_INSTRUCTEUR);
	assert_int_equal(audit_verify(f->db, &instr, f->tb, NULL, &rep), CAS_EPERM);
	assert_int_equal(audit_verify(f->db, &sys, AUDIT_VERIFY_ALL, NULL, &rep), 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "errors")), 1);
	assert_true(json_array_size(json_object_get(rep, "chains")) >= 3); /* A, B, platform */
	json_decref(rep);
}

static void seal_chains_the_older_entries(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	/* entries as written before migration 013: no digest, no links */
	char sql[512];
	for (int i = 0; i < 3; i++) {
		snprintf(sql, sizeof(sql),
		         "INSERT INTO audit_log (tenant_id, actor_label, action, object_type, "
		         "object_id, changes, at) VALUES (%lld, 'ancien@ccas.fr', 'modification', "
		         "'person', %d, '{\"nom\":[\"A\",\"B\"]}', 1600000000)",
		         (long long)f->ta, i);
		exec(f->db, sql);
	}
	assert_int_equal(audit_chain_seal(f->db), 0);
	json_t *c, *rep = verify_a(f, &c);
	assert_true(json_is_true(json_object_get(rep, "intact")));
	assert_int_equal(json_integer_value(json_object_get(c, "entries")), 8);
	json_decref(rep);
	/* sealing again changes nothing */
	char before[AUDIT_HASH_SIZE], after[AUDIT_HASH_SIZE];
	int64_t id;
	assert_int_equal(audit_chain_head(f->db, f->ta, &id, before), 1);
	assert_int_equal(audit_chain_seal(f->db), 0);
	assert_int_equal(audit_chain_head(f->db, f->ta, &id, after), 1);
	assert_string_equal(before, after);
}

static void heads_job_logs_each_chain(void **state)
{
	struct fixture *f = *state;
	int64_t ids[5];
	write_five(f, ids);
	json_t *result = NULL;
	assert_int_equal(audit_heads_job(f->db, &f->a, 0, &result), CAS_EPERM);
	char path[64];
	snprintf(path, sizeof(path), "/tmp/cassis-audit-log-%ld", (long)getpid());
	FILE *log = fopen(path, "w+");
	log_set_stream(log);
	assert_int_equal(audit_heads_job(f->db, &sys, 0, &result), 0);
	log_set_stream(NULL);
	assert_int_equal(json_integer_value(json_object_get(result, "broken")), 0);
	json_decref(result);
	char line[1024], want[128];
	snprintf(want, sizeof(want), "\"last_id\":%lld", (long long)ids[4]);
	int found = 0;
	rewind(log);
	while (fgets(line, sizeof(line), log))
		if (strstr(line, "\"event\":\"audit_head\"") && strstr(line, "21750001600019") &&
		    strstr(line, want))
			found = 1;
	fclose(log);
	unlink(path);
	assert_true(found);
}

/* --- two writers --- */

#define WRITES 60

struct writer {
	struct db *db;
	const struct actor *who;
	pthread_barrier_t *go;
	int errors;
};

static void *write_many(void *arg)
{
	struct writer *w = arg;
	pthread_barrier_wait(w->go);
	for (int i = 0; i < WRITES; i++) {
		int rc;
		if (i % 2) { /* inside a business transaction */
			rc = db_begin(w->db);
			if (rc == 0)
				rc = audit_write(w->db, w->who, "modification", "person", i,
				                 json_pack("{s:[i,i]}", "n", i, i + 1));
			rc = rc == 0 ? db_commit(w->db) : rc;
			if (rc != 0)
				db_rollback(w->db);
		} else { /* on its own */
			rc = audit_write(w->db, w->who, "connexion", "user", 7, NULL);
		}
		w->errors += rc != 0;
	}
	return NULL;
}

static void concurrent_writers_keep_one_chain(void **state)
{
	struct fixture *f = *state;
	struct db *a = f->db, *b;
	struct actor who = f->a;
	char path[64] = "", url[80];
	if (strstr(testdb_url(), ":memory:")) { /* a file: a second connection */
		snprintf(path, sizeof(path), "/tmp/cassis-audit-%ld.db", (long)getpid());
		snprintf(url, sizeof(url), "sqlite:%s", path);
		unlink(path);
		assert_int_equal(db_open(url, &a), 0);
		assert_int_equal(migrate_up(a, NULL), 0);
		actor(&who, make_tenant(a, "21750001600019"), ROLE_ADMINISTRATEUR);
	}
	assert_int_equal(db_open(path[0] ? url : testdb_url(), &b), 0);
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	struct writer w[2] = {{a, &who, &go, 0}, {b, &who, &go, 0}};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	assert_int_equal(w[0].errors + w[1].errors, 0);
	json_t *rep;
	assert_int_equal(audit_verify(a, &who, who.tenant_id, NULL, &rep), 0);
	json_t *c = json_array_get(json_object_get(rep, "chains"), 0);
	assert_true(json_is_true(json_object_get(rep, "intact")));
	assert_int_equal(json_integer_value(json_object_get(c, "entries")), 2 * WRITES);
	json_decref(rep);
	int64_t forks = -1;
	assert_int_equal(q_int(a, &forks,
	                       "SELECT count(*) FROM (SELECT prev_hash FROM audit_log WHERE "
	                       "tenant_id = ? GROUP BY prev_hash HAVING count(*) > 1) x",
	                       "i", who.tenant_id),
	                 1);
	assert_int_equal(forks, 0);
	db_close(b);
	if (path[0]) {
		db_close(a);
		char side[80];
		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(canonical_form_is_length_prefixed),
	    cmocka_unit_test_setup_teardown(written_changes_are_canonical_and_linked, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(intact_chain_verifies, setup, teardown),
	    cmocka_unit_test_setup_teardown(update_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(changes_update_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(delete_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(insert_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(reorder_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(tail_deletion_needs_the_anchor, setup, teardown),
	    cmocka_unit_test_setup_teardown(redaction_keeps_the_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(chains_are_per_tenant, setup, teardown),
	    cmocka_unit_test_setup_teardown(seal_chains_the_older_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(heads_job_logs_each_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(concurrent_writers_keep_one_chain, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
