/* Whole-table copy and checksum (store/table_copy.h) on SQLite databases,
 * and the migrate-data use case from one temporary file to another: table
 * discovery, parents-first order, batches, checksums blind to row order
 * and to the integer/text representation, refusal of a non-empty target. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/migrate_data.h"
#include "base/crypto.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "store/table_copy.h"

static struct db *mem(void)
{
	struct db *db = NULL;
	assert_int_equal(db_open("sqlite::memory:", &db), 0);
	return db;
}

static const char schema[] =
    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER);"
    "CREATE TABLE zones (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL);"
    "CREATE TABLE items (id INTEGER PRIMARY KEY, zone_id INTEGER REFERENCES zones(id), "
    "parent_id INTEGER REFERENCES items(id), note TEXT, n INTEGER);"
    "CREATE TABLE tags (item_id INTEGER NOT NULL REFERENCES items(id), tag TEXT NOT NULL, "
    "PRIMARY KEY (item_id, tag));";

static const struct table_def *find(const struct table_set *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->t[i].name, name) == 0)
			return &set->t[i];
	fail_msg("no table %s", name);
	return NULL;
}

static void test_reads_tables_and_parents(void **state)
{
	(void)state;
	struct db *db = mem();
	assert_int_equal(db_exec(db, schema), 0);
	struct table_set set;
	assert_int_equal(table_set_read(db, &set), 0);
	assert_int_equal(set.n, 3); /* schema_migrations and sqlite_sequence left out */
	assert_string_equal(set.t[0].name, "items");
	assert_string_equal(set.t[1].name, "tags");
	assert_string_equal(set.t[2].name, "zones");
	const struct table_def *items = find(&set, "items");
	assert_int_equal(items->ncols, 5);
	assert_int_equal(items->nparents, 1); /* zones; itself is not a parent */
	assert_string_equal(items->parents[0], "zones");
	assert_string_equal(items->select_sql,
	                    "SELECT id, zone_id, parent_id, note, n FROM items ORDER BY id");
	assert_string_equal(find(&set, "tags")->select_sql,
	                    "SELECT item_id, tag FROM tags ORDER BY item_id, tag");
	table_set_free(&set);
	db_close(db);
}

static void test_refuses_odd_names(void **state)
{
	(void)state;
	struct db *db = mem();
	assert_int_equal(db_exec(db, "CREATE TABLE \"Odd Name\" (id INTEGER PRIMARY KEY)"), 0);
	struct table_set set;
	assert_int_equal(table_set_read(db, &set), CAS_EINVAL);
	db_close(db);
	db = mem();
	assert_int_equal(db_exec(db, "CREATE TABLE t (\"Col\" TEXT)"), 0);
	assert_int_equal(table_set_read(db, &set), CAS_EINVAL);
	db_close(db);
}

static void sum_of(struct db *db, const char *table, int64_t *rows, char hex[65])
{
	struct table_set set;
	assert_int_equal(table_set_read(db, &set), 0);
	assert_int_equal(table_checksum(db, find(&set, table), rows, hex), 0);
	table_set_free(&set);
}

static void test_checksum_ignores_order_and_representation(void **state)
{
	(void)state;
	struct db *a = mem(), *b = mem(), *c = mem();
	const char *t = "CREATE TABLE t (id INTEGER PRIMARY KEY, v);";
	assert_int_equal(db_exec(a, t), 0);
	assert_int_equal(db_exec(b, t), 0);
	assert_int_equal(db_exec(c, t), 0);
	assert_int_equal(db_exec(a, "INSERT INTO t VALUES (1, 5), (2, 'x'), (3, NULL)"), 0);
	/* other order, and 5 stored as text: the same content for Cassis */
	assert_int_equal(db_exec(b, "INSERT INTO t VALUES (3, NULL), (2, 'x'), (1, '5')"), 0);
	/* NULL and the empty string differ */
	assert_int_equal(db_exec(c, "INSERT INTO t VALUES (1, 5), (2, 'x'), (3, '')"), 0);
	int64_t na, nb, nc;
	char ha[65], hb[65], hc[65];
	sum_of(a, "t", &na, ha);
	sum_of(b, "t", &nb, hb);
	sum_of(c, "t", &nc, hc);
	assert_int_equal(na, 3);
	assert_int_equal(nb, 3);
	assert_string_equal(ha, hb);
	assert_string_not_equal(ha, hc);
	db_close(a);
	db_close(b);
	db_close(c);
}

static void test_empty_table_checksum(void **state)
{
	(void)state;
	struct db *db = mem();
	assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY)"), 0);
	int64_t n = -1;
	char hex[65], empty[65];
	sum_of(db, "t", &n, hex);
	sha256_hex("", 0, empty);
	assert_int_equal(n, 0);
	assert_string_equal(hex, empty);
	db_close(db);
}

/* 450 rows of 5 columns: full batches of 200 and a remainder. */
static void fill(struct db *db)
{
	assert_int_equal(db_exec(db, schema), 0);
	assert_int_equal(db_exec(db, "INSERT INTO zones (label) VALUES ('nord'), ('sud');"
	                             "INSERT INTO items (id, zone_id) VALUES (1, 1)"),
	                 0);
	for (int64_t i = 2; i <= 450; i++) {
		int64_t zone = i % 2 + 1;
		assert_int_equal(q_exec(db,
		                        "INSERT INTO items (id, zone_id, parent_id, note, n) "
		                        "VALUES (?, ?, ?, ?, ?)",
		                        "iiiti", i, zone, i - 1, i % 3 ? "Élément « é »" : NULL,
		                        i * 1000003),
		                 0);
	}
	assert_int_equal(db_exec(db, "INSERT INTO tags VALUES (1, 'a'), (1, 'b'), (450, 'z')"), 0);
}

static void test_copy_in_batches(void **state)
{
	(void)state;
	struct db *src = mem(), *dst = mem();
	fill(src);
	assert_int_equal(db_exec(dst, schema), 0);
	assert_int_equal(db_exec(dst, "PRAGMA foreign_keys=ON"), 0);
	struct table_set set;
	assert_int_equal(table_set_read(src, &set), 0);
	const char *order[] = {"zones", "items", "tags"};
	assert_int_equal(db_begin(dst), 0);
	for (int i = 0; i < 3; i++) {
		int64_t copied = 0;
		assert_int_equal(table_copy(src, dst, find(&set, order[i]), &copied), 0);
		assert_int_equal(copied, i == 0 ? 2 : i == 1 ? 450 : 3);
	}
	assert_int_equal(db_commit(dst), 0);
	for (int i = 0; i < 3; i++) {
		int64_t ns, nd;
		char hs[65], hd[65];
		assert_int_equal(table_checksum(src, find(&set, order[i]), &ns, hs), 0);
		assert_int_equal(table_checksum(dst, find(&set, order[i]), &nd, hd), 0);
		assert_int_equal(ns, nd);
		assert_string_equal(hs, hd);
	}
	int64_t n = 0;
	assert_int_equal(table_count(dst, find(&set, "items"), &n), 0);
	assert_int_equal(n, 450);
	table_set_free(&set);
	db_close(src);
	db_close(dst);
}

/* A BLOB column (the pièces justificatives, the letters): bound as bytes,
 * one row per statement, the same bytes and checksum on the other side. */
static void test_copy_blobs(void **state)
{
	(void)state;
	static const char blobs[] =
	    "CREATE TABLE files (id INTEGER PRIMARY KEY, name TEXT, data BLOB NOT NULL);";
	struct db *src = mem(), *dst = mem();
	assert_int_equal(db_exec(src, blobs), 0);
	assert_int_equal(db_exec(dst, blobs), 0);
	static const unsigned char bytes[] = {0x25, 0x50, 0x00, 0xff, 0x5c, 0x78, 0xc3, 0x28};
	for (int64_t i = 1; i <= 3; i++)
		assert_int_equal(q_exec(src, "INSERT INTO files (id, name, data) VALUES (?, ?, ?)",
		                        "itb", i, "pièce", bytes,
		                        (size_t)(i == 2 ? 0 : sizeof(bytes))),
		                 0);
	struct table_set set;
	assert_int_equal(table_set_read(src, &set), 0);
	const struct table_def *t = find(&set, "files");
	assert_int_equal(t->batch, 1);
	assert_int_equal(t->blob[2], 1);
	assert_int_equal(t->blob[1], 0);
	int64_t copied = 0, ns, nd;
	assert_int_equal(table_copy(src, dst, t, &copied), 0);
	assert_int_equal(copied, 3);
	json_t *rows = q_rows(dst,
	                      "SELECT id, typeof(data) AS kind, length(data) AS n FROM files "
	                      "ORDER BY id",
	                      "");
	char *text = json_dumps(rows, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "[{\"id\":1,\"kind\":\"blob\",\"n\":8},{\"id\":2,\"kind\":"
	                          "\"blob\",\"n\":0},{\"id\":3,\"kind\":\"blob\",\"n\":8}]");
	free(text);
	json_decref(rows);
	void *out;
	size_t len;
	assert_int_equal(q_blob(dst, &out, &len, "SELECT data FROM files WHERE id = 3", ""), 1);
	assert_int_equal(len, sizeof(bytes));
	assert_memory_equal(out, bytes, sizeof(bytes));
	free(out);
	char hs[65], hd[65];
	assert_int_equal(table_checksum(src, t, &ns, hs), 0);
	assert_int_equal(table_checksum(dst, t, &nd, hd), 0);
	assert_string_equal(hs, hd);
	table_set_free(&set);
	db_close(src);
	db_close(dst);
}

/* --- the use case, on files --- */

struct files {
	char dir[64], src[96], dst[96], src_url[104], dst_url[104];
};

static void make_files(struct files *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/cassis-unit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->src, sizeof(f->src), "%s/source.db", f->dir);
	snprintf(f->dst, sizeof(f->dst), "%s/cible.db", f->dir);
	snprintf(f->src_url, sizeof(f->src_url), "sqlite:%s", f->src);
	snprintf(f->dst_url, sizeof(f->dst_url), "sqlite:%s", f->dst);
	struct db *db;
	assert_int_equal(db_open(f->src_url, &db), 0);
	assert_int_equal(migrate_up(db, NULL), 0);
	assert_int_equal(db_exec(db, "INSERT INTO tenants (id, name, siret, communes, created_at) "
	                             "VALUES (7, 'CCAS', '21750001600019', '75056', 1);"
	                             "INSERT INTO households (id, tenant_id, label, created_at) "
	                             "VALUES (3, 7, 'Foyer', 2)"),
	                 0);
	db_close(db);
}

static void remove_files(struct files *f)
{
	const char *suffix[] = {"", "-wal", "-shm"};
	char p[128];
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->src, suffix[i]);
		unlink(p);
		snprintf(p, sizeof(p), "%s%s", f->dst, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
}

static int position(const struct md_report *rep, const char *name)
{
	for (int i = 0; i < rep->n; i++)
		if (strcmp(rep->tables[i].name, name) == 0)
			return i;
	return -1;
}

static void test_migrate_data_run(void **state)
{
	(void)state;
	struct files f;
	make_files(&f);
	struct md_report rep;
	assert_int_equal(migrate_data_run(f.src_url, f.dst_url, NULL, &rep), 0);
	assert_true(rep.n >= 10);
	for (int i = 0; i < rep.n; i++)
		assert_true(rep.tables[i].ok);
	/* parents first */
	assert_true(position(&rep, "tenants") < position(&rep, "users"));
	assert_true(position(&rep, "users") < position(&rep, "sessions"));
	assert_true(position(&rep, "households") < position(&rep, "dossiers"));
	assert_true(position(&rep, "dossiers") < position(&rep, "dossier_events"));
	assert_int_equal(position(&rep, "schema_migrations"), -1);
	assert_int_equal(rep.tables[position(&rep, "households")].dst_rows, 1);
	md_report_free(&rep);

	/* the target now holds rows: refused, and the tables are named */
	assert_int_equal(migrate_data_run(f.src_url, f.dst_url, NULL, &rep), CAS_ECONFLICT);
	assert_non_null(strstr(rep.why, "tenants (1 ligne(s))"));
	assert_non_null(strstr(rep.why, "households (1 ligne(s))"));
	assert_int_equal(rep.n, 0);
	md_report_free(&rep);

	/* the ids were kept */
	struct db *db;
	int64_t id = 0;
	assert_int_equal(db_open(f.dst_url, &db), 0);
	assert_int_equal(q_int(db, &id, "SELECT tenant_id FROM households", ""), 1);
	assert_int_equal(id, 7);
	db_close(db);
	remove_files(&f);
}

static void test_migrate_data_refuses_a_foreign_source(void **state)
{
	(void)state;
	struct files f;
	make_files(&f);
	struct db *db;
	assert_int_equal(db_open(f.src_url, &db), 0);
	assert_int_equal(db_exec(db, "DELETE FROM schema_migrations WHERE version = "
	                             "(SELECT max(version) FROM schema_migrations)"),
	                 0);
	db_close(db);
	struct md_report rep;
	assert_int_equal(migrate_data_run(f.src_url, f.dst_url, NULL, &rep), CAS_EINVAL);
	assert_non_null(strstr(rep.why, "cassis migrate"));
	md_report_free(&rep);
	assert_int_equal(access(f.dst, F_OK), -1); /* the target was not even created */
	remove_files(&f);
}

/* A failure in the middle of the copy leaves the whole target empty. */
static void test_migrate_data_rolls_back(void **state)
{
	(void)state;
	struct files f;
	make_files(&f);
	struct db *db;
	assert_int_equal(db_open(f.dst_url, &db), 0);
	assert_int_equal(migrate_up(db, NULL), 0);
	assert_int_equal(db_exec(db, "CREATE TRIGGER refus BEFORE INSERT ON households "
	                             "BEGIN SELECT RAISE(ABORT, 'refus'); END"),
	                 0);
	db_close(db);
	struct md_report rep;
	assert_int_equal(migrate_data_run(f.src_url, f.dst_url, NULL, &rep), CAS_ECONFLICT);
	assert_non_null(strstr(rep.why, "la copie de la table households a échoué"));
	md_report_free(&rep);
	int64_t n = -1;
	assert_int_equal(db_open(f.dst_url, &db), 0);
	assert_int_equal(q_int(db, &n, "SELECT count(*) FROM tenants", ""), 1);
	assert_int_equal(n, 0);
	db_close(db);
	remove_files(&f);
}

int main(void)
{
	if (crypto_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reads_tables_and_parents),
	    cmocka_unit_test(test_refuses_odd_names),
	    cmocka_unit_test(test_checksum_ignores_order_and_representation),
	    cmocka_unit_test(test_empty_table_checksum),
	    cmocka_unit_test(test_copy_in_batches),
	    cmocka_unit_test(test_copy_blobs),
	    cmocka_unit_test(test_migrate_data_run),
	    cmocka_unit_test(test_migrate_data_refuses_a_foreign_source),
	    cmocka_unit_test(test_migrate_data_rolls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
