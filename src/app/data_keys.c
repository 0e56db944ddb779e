#include "app/data_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "app/actor.h"
#include "app/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "store/db.h"
#include "store/sealed_store.h"

/* --- the keys the database needs --- */

static int needed(const json_t *k)
{
	const char *state = json_string_value(json_object_get(k, "state"));
	return state && (strcmp(state, "actif") == 0 || strcmp(state, "ancien") == 0);
}

static void list_add(char *list, size_t size, const char *id)
{
	size_t len = strlen(list);
	if (strstr(list, id))
		return;
	snprintf(list + len, size - len, "%s%s", len ? ", " : "", id);
}

int data_keys_in_use(struct db *db)
{
	json_t *keys = sealed_store_keys(db), *k;
	size_t i;
	int n = 0;
	if (!keys)
		return CAS_EDB;
	json_array_foreach(keys, i, k) n += needed(k);
	json_decref(keys);
	return n > 0;
}

static int activate(struct db *db, const char *id)
{
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = sealed_store_key_activate(db, id, clock_now());
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int data_keys_check(struct db *db, const struct seal_ring *ring, char *missing, size_t missingsz)
{
	json_t *keys = sealed_store_keys(db), *k;
	const char *actif = NULL;
	size_t i;
	missing[0] = '\0';
	if (!keys)
		return CAS_EDB;
	json_array_foreach(keys, i, k)
	{
		const char *id = json_string_value(json_object_get(k, "key_id"));
		if (needed(k) && seal_ring_find(ring, id) < 0)
			list_add(missing, missingsz, id);
		if (strcmp(json_string_value(json_object_get(k, "state")), "actif") == 0)
			actif = id;
	}
	int rc = missing[0] ? CAS_EAUTH : 0;
	if (rc == 0 && (!actif || strcmp(actif, ring->keys[0].id_hex) != 0)) {
		if (actif)
			log_msg(
			    LOG_WARN,
			    "data key %s replaces %s: run cassis keys rotate to re-seal the values",
			    ring->keys[0].id_hex, actif);
		rc = activate(db, ring->keys[0].id_hex);
	}
	json_decref(keys);
	return rc;
}

/* --- scanning the sealed columns --- */

struct scan {
	struct db *db;
	const struct sealed_column *c;
	int col, write;
	int64_t tenant, seen, changed;
	char target[SEAL_ID_HEX];
	struct data_keys_report *rep;
	char *others;
	size_t otherssz;
	data_keys_progress progress;
	void *ctx;
};

/* The key id of a row's value into id ("" in clear). 0 or CAS_EINVAL. */
static int row_key(const struct scan *s, const json_t *row, char id[SEAL_ID_HEX])
{
	id[0] = '\0';
	if (!s->c->binary) {
		const char *v = json_string_value(json_object_get(row, "v"));
		return v && seal_is_sealed_text(v) ? seal_text_key_id(v, id) : 0;
	}
	/* the first 5 bytes as hex text "\x01aabbccdd" */
	const char *h = json_string_value(json_object_get(row, "h"));
	if (h && strncmp(h, "\\x01", 4) == 0 && strlen(h) >= 12)
		snprintf(id, SEAL_ID_HEX, "%.8s", h + 4);
	return 0;
}

static int fail(struct scan *s, int64_t id, int rc)
{
	seal_ad(s->rep->failed_at, s->c->table, s->c->column, id);
	s->rep->failed_rc = rc;
	log_msg(LOG_ERROR, "rotation: sealed value %s does not open: %s", s->rep->failed_at,
	        cas_err_name(rc));
	return rc == CAS_EAUTH ? CAS_EAUTH : CAS_EIO;
}

/* Seals again (or for the first time) the text value v of row id. */
static int reseal_text(struct scan *s, int64_t id, const char *v, int sealed)
{
	char ad[SEAL_AD_MAX], *plain = NULL, *fresh = NULL;
	seal_ad(ad, s->c->table, s->c->column, id);
	int rc = sealed ? seal_open_text(v, ad, &plain) : 0;
	if (rc != 0)
		return fail(s, id, rc);
	rc = seal_text(sealed ? plain : v, ad, &fresh);
	if (plain) {
		sodium_memzero(plain, strlen(plain));
		free(plain);
	}
	if (rc != 0)
		return fail(s, id, rc);
	rc = sealed_store_swap(s->db, s->c, s->tenant, id, v, 0, fresh, 0);
	free(fresh);
	return rc;
}

static int reseal_blob(struct scan *s, int64_t id, int sealed)
{
	char ad[SEAL_AD_MAX];
	void *old;
	unsigned char *plain = NULL, *fresh = NULL;
	size_t n, pn, fn;
	int rc = sealed_store_blob(s->db, s->c, s->tenant, id, &old, &n);
	if (rc <= 0)
		return rc;
	seal_ad(ad, s->c->table, s->c->column, id);
	rc = sealed ? seal_open_bytes(old, n, ad, &plain, &pn) : 0;
	if (rc == 0)
		rc = sealed ? seal_bytes(plain, pn, ad, &fresh, &fn)
		            : seal_bytes(old, n, ad, &fresh, &fn);
	if (plain) {
		sodium_memzero(plain, pn);
		free(plain);
	}
	if (rc == 0)
		rc = sealed_store_swap(s->db, s->c, s->tenant, id, old, n, fresh, fn);
	else
		rc = fail(s, id, rc);
	free(old);
	free(fresh);
	return rc;
}

/* One row: counted, and in a rotation sealed under the target key. */
static int visit(struct scan *s, const json_t *row)
{
	char key[SEAL_ID_HEX];
	int64_t id = json_integer_value(json_object_get(row, "id"));
	if (row_key(s, row, key) != 0)
		return fail(s, id, CAS_EINVAL);
	if (strcmp(key, s->target) == 0) {
		s->rep->current[s->col]++;
		return 0;
	}
	if (!s->write) {
		if (key[0]) {
			s->rep->other_total++;
			list_add(s->others, s->otherssz, key);
		} else {
			s->rep->cleared[s->col]++;
		}
		return 0;
	}
	int rc = s->c->binary ? reseal_blob(s, id, key[0] != 0)
	                      : reseal_text(s, id, json_string_value(json_object_get(row, "v")),
	                                    key[0] != 0);
	if (rc == 1) {
		s->changed++;
		if (key[0])
			s->rep->resealed[s->col]++;
		else
			s->rep->cleared[s->col]++;
	}
	return rc < 0 ? rc : 0;
}

/* One batch of a tenant's rows after *after, in its own transaction when
 * writing. 1 when there may be more, 0 at the end, negative on error. */
static int scan_batch(struct scan *s, int64_t *after, int batch)
{
	int rc = s->write ? db_begin(s->db) : 0;
	if (rc != 0)
		return rc;
	json_t *rows = sealed_store_batch(s->db, s->c, s->tenant, *after, batch), *row;
	size_t i;
	rc = rows ? 0 : CAS_EDB;
	json_array_foreach(rows, i, row)
	{
		if (rc == 0)
			rc = visit(s, row);
		*after = json_integer_value(json_object_get(row, "id"));
	}
	int more = rows && json_array_size(rows) == (size_t)batch;
	s->seen += rows ? (int64_t)json_array_size(rows) : 0;
	json_decref(rows);
	if (s->write && rc == 0)
		rc = db_commit(s->db);
	else if (s->write)
		db_rollback(s->db);
	return rc < 0 ? rc : more;
}

static int scan_column(struct scan *s, int batch)
{
	json_t *tenants = sealed_store_tenants(s->db), *t;
	size_t i;
	int rc = tenants ? 0 : CAS_EDB;
	s->seen = 0;
	json_array_foreach(tenants, i, t)
	{
		int64_t after = 0;
		s->tenant = json_integer_value(json_object_get(t, "id"));
		int more = 1;
		while (rc == 0 && more) {
			more = scan_batch(s, &after, batch);
			rc = more < 0 ? more : 0;
			if (s->progress && rc == 0)
				s->progress(s->c->label, s->seen, s->ctx);
		}
	}
	json_decref(tenants);
	return rc;
}

static int scan_all(struct scan *s, int batch)
{
	int rc = 0;
	for (s->col = 0; rc == 0 && sealed_columns[s->col].table; s->col++) {
		if (s->col >= DATA_KEYS_COLUMNS_MAX)
			return CAS_ETOOBIG;
		s->c = &sealed_columns[s->col];
		rc = scan_column(s, batch);
	}
	s->rep->ncolumns = s->col;
	return rc;
}

static void totals(struct data_keys_report *rep)
{
	rep->resealed_total = rep->cleared_total = rep->current_total = 0;
	for (int i = 0; i < rep->ncolumns; i++) {
		rep->resealed_total += rep->resealed[i];
		rep->cleared_total += rep->cleared[i];
		rep->current_total += rep->current[i];
	}
}

int data_keys_census(struct db *db, struct data_keys_report *rep, char *others, size_t otherssz)
{
	struct scan s = {.db = db, .rep = rep, .others = others, .otherssz = otherssz};
	memset(rep, 0, sizeof(*rep));
	others[0] = '\0';
	int rc = seal_current_id(s.target);
	if (rc == 0)
		rc = scan_all(&s, 500);
	totals(rep);
	return rc;
}

/* --- rotation --- */

/* The 'ancien' key ids, comma-separated, into out. */
static void old_ids(struct db *db, char *out, size_t size)
{
	json_t *keys = sealed_store_keys(db), *k;
	size_t i;
	out[0] = '\0';
	json_array_foreach(keys, i, k)
	{
		if (strcmp(json_string_value(json_object_get(k, "state")), "ancien") == 0)
			list_add(out, size, json_string_value(json_object_get(k, "key_id")));
	}
	json_decref(keys);
}

static json_t *audit_changes(const struct data_keys_report *rep, const char *olds,
                             const char *target)
{
	json_t *cols = json_object();
	for (int i = 0; i < rep->ncolumns; i++) {
		char name[96];
		snprintf(name, sizeof(name), "%s.%s", sealed_columns[i].table,
		         sealed_columns[i].column);
		json_object_set_new(
		    cols, name, json_integer(rep->resealed[i] + rep->cleared[i] + rep->current[i]));
	}
	return json_pack("{s:[s?s], s:[nI], s:[nI], s:[nI], s:[no]}", "cle", olds[0] ? olds : NULL,
	                 target, "valeurs_rechiffrees", (json_int_t)rep->resealed_total,
	                 "valeurs_en_clair_chiffrees", (json_int_t)rep->cleared_total,
	                 "valeurs_sous_la_cle", (json_int_t)rep->current_total, "par_colonne",
	                 cols);
}

static int finish(struct db *db, const struct actor *who, const struct data_keys_report *rep,
                  const char *olds, const char *target)
{
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = sealed_store_keys_retire(db, clock_now());
	if (rc == 0)
		rc = audit_write(db, who, "rotation_cle_donnees", "cle_donnees", 0,
		                 audit_changes(rep, olds, target));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int data_keys_rotate(struct db *db, const struct actor *who, int batch, data_keys_progress progress,
                     void *ctx, struct data_keys_report *rep)
{
	char olds[256], others[256];
	struct data_keys_report census;
	struct scan s = {.db = db, .rep = rep, .write = 1, .progress = progress, .ctx = ctx};
	memset(rep, 0, sizeof(*rep));
	int rc = seal_current_id(s.target);
	if (rc == 0)
		rc = activate(db, s.target);
	/* a value written meanwhile under the previous key (a server that had
	 * not read the ring file again yet) is caught by the next pass */
	for (int pass = 0; rc == 0 && pass < 3; pass++) {
		s.changed = 0;
		rc = scan_all(&s, batch > 0 ? batch : 100);
		if (rc == 0 && s.changed == 0)
			break;
	}
	if (rc == 0)
		rc = data_keys_census(db, &census, others, sizeof(others));
	if (rc == 0 && (census.other_total > 0 || census.cleared_total > 0))
		rc = CAS_ECONFLICT;             /* still written under another key: run it again */
	for (int i = 0; i < rep->ncolumns; i++) /* those under the key before this run */
		rep->current[i] = census.current[i] - rep->resealed[i] - rep->cleared[i];
	totals(rep);
	old_ids(db, olds, sizeof(olds));
	return rc == 0 ? finish(db, who, rep, olds, s.target) : rc;
}
