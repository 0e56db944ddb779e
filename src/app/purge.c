/* The purge driver (app/purge.h): CCAS by CCAS, phase by phase, batch by
 * batch; the run's counts, its audit entry, and the file afterwards. */
#include "app/purge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/perm.h"
#include "app/retention.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/log.h"
#include "store/db.h"
#include "store/purge_store.h"
#include "store/query.h"
#include "store/retention_store.h"

/* Two purges of one CCAS (the server's job, the command line) take their
 * batches in turn. */
#define PURGE_LOCK(tenant_id) ((int64_t)0x4341531500000000LL + (tenant_id))
#define SCAN_PAGE             256
#define CONFLICT_TRIES        3

struct run {
	struct db *db;
	const struct actor *who;
	const struct purge_opts *o;
	int64_t now;
	int batch;
	char today[11];
	struct retention_table t;
	json_t *counts; /* this CCAS, this call */
	json_t *listed; /* dry run: the dossiers that would go */
	int batches;    /* committed by this call */
	int stopped;
	int64_t done; /* dossiers purged by this call */
};

/* Where a phase is: the last id scanned, before the batch in progress. */
struct scan {
	int64_t cursor, saved, before;
};

typedef int (*batch_fn)(struct run *r, struct scan *s, json_t *counts, int *more);

static void merge(json_t *into, json_t *counts)
{
	const char *k;
	json_t *v;
	json_object_foreach(counts, k, v) purge_count_add(into, k, json_integer_value(v));
}

/* --- batches --- */

static int batch_open(struct run *r)
{
	int rc = r->o->dry_run ? 0 : db_begin(r->db);
	return rc ? rc : db_lock(r->db, PURGE_LOCK(r->t.tenant_id));
}

static int batch_close(struct run *r, int rc)
{
	if (r->o->dry_run)
		return rc;
	if (rc == 0)
		return db_commit(r->db);
	db_rollback(r->db);
	return rc;
}

/* Adds the batch's counts to the CCAS's open run (created when none). */
static int add_to_run(struct run *r, json_t *counts)
{
	int64_t id = 0;
	json_t *total = NULL;
	int rc = retention_store_run_open(r->db, r->t.tenant_id, &id, &total);
	if (rc == 0) {
		total = json_object();
		rc = retention_store_run_create(r->db, r->t.tenant_id, r->now, r->o->by, &id);
	} else if (rc == 1) {
		rc = 0;
	}
	if (rc == 0) {
		merge(total, counts);
		char *text = json_dumps(total, JSON_COMPACT | JSON_SORT_KEYS);
		rc = text ? retention_store_run_save(r->db, r->t.tenant_id, id, text) : CAS_ENOMEM;
		json_free_text(text);
	}
	json_decref(total);
	return rc;
}

static int run_batch(struct run *r, batch_fn fn, struct scan *s, int *more)
{
	json_t *counts = json_object();
	int rc = batch_open(r);
	if (rc == 0)
		rc = fn(r, s, counts, more);
	int removed = json_object_size(counts) > 0;
	if (rc == 0 && removed && !r->o->dry_run)
		rc = add_to_run(r, counts);
	rc = batch_close(r, rc);
	if (rc == 0)
		merge(r->counts, counts);
	json_decref(counts);
	if (rc == 0 && removed && !r->o->dry_run && r->o->stop_after &&
	    ++r->batches >= r->o->stop_after)
		r->stopped = 1;
	return rc;
}

/* Batches of fn until it has nothing more; a batch that met a concurrent
 * change (CAS_ECONFLICT) is tried again from where it started. */
static int phase(struct run *r, batch_fn fn, int64_t before)
{
	struct scan s = {0, 0, before};
	int more = 1, tries = 0;
	while (more && !r->stopped) {
		s.saved = s.cursor;
		int rc = run_batch(r, fn, &s, &more);
		if (rc == CAS_ECONFLICT && !r->o->dry_run && ++tries < CONFLICT_TRIES) {
			s.cursor = s.saved;
			more = 1;
			continue;
		}
		if (rc != 0)
			return rc;
		tries = 0;
	}
	return 0;
}

/* --- 1. the dossiers due --- */

/* The purge date of a closed dossier row into out ("" when unreadable). */
static void purge_date_of(struct run *r, json_t *row, int bodies, char out[11])
{
	char closed[11];
	const struct retention_rules *rules =
	    retention_rules_for(&r->t, json_integer_value(json_object_get(row, "aid_type_id")));
	const char *decision = json_string_value(json_object_get(row, "decision"));
	retention_date_of(json_integer_value(json_object_get(row, "state_since")), closed);
	int rc = bodies ? retention_bodies_date(rules, closed, decision, out)
	                : retention_purge_date(rules, closed, decision, out);
	if (rc != 0)
		out[0] = '\0';
}

/* Up to one batch of due rows after s->cursor into due ([{id, numero,
 * date}]); *more 0 once the scan reached the end. */
static int collect(struct run *r, struct scan *s, int bodies, json_t *due, int *more)
{
	*more = 1;
	while ((int)json_array_size(due) < r->batch) {
		json_t *rows = retention_store_closed(r->db, r->t.tenant_id, s->before, s->cursor,
		                                      SCAN_PAGE, 1);
		if (!rows)
			return CAS_EDB;
		size_t i, n = json_array_size(rows);
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			char date[11];
			s->cursor = json_integer_value(json_object_get(row, "id"));
			if (bodies && !json_integer_value(json_object_get(row, "bodies")))
				continue;
			purge_date_of(r, row, bodies, date);
			if (!retention_due(date, r->today))
				continue;
			json_array_append_new(
			    due, json_pack("{s:O, s:O, s:s}", "id", json_object_get(row, "id"),
			                   "numero", json_object_get(row, "numero"), "date", date));
			if ((int)json_array_size(due) >= r->batch)
				break;
		}
		json_decref(rows);
		if ((int)n < SCAN_PAGE && (int)json_array_size(due) < r->batch) {
			*more = 0;
			break;
		}
	}
	return 0;
}

static void listed(struct run *r, json_t *d)
{
	if (r->o->dry_run)
		json_array_append_new(r->listed, json_pack("{s:O, s:O}", "numero",
		                                           json_object_get(d, "numero"), "purge_le",
		                                           json_object_get(d, "date")));
}

static int dossiers_batch(struct run *r, struct scan *s, json_t *counts, int *more)
{
	json_t *due = json_array();
	int rc = collect(r, s, 0, due, more);
	size_t i;
	json_t *d;
	json_array_foreach(due, i, d)
	{
		if (rc != 0)
			break;
		rc = purge_dossier(r->db, r->who, &r->t,
		                   json_integer_value(json_object_get(d, "id")), r->now, counts);
		if (rc == 0) {
			listed(r, d);
			r->done++;
			if (r->o->after_dossier)
				r->o->after_dossier(r->o->arg, r->done);
		}
	}
	json_decref(due);
	return rc;
}

/* --- 2. the State API answers kept shorter than the dossier --- */

static int bodies_batch(struct run *r, struct scan *s, json_t *counts, int *more)
{
	json_t *due = json_array();
	int rc = collect(r, s, 1, due, more);
	size_t i;
	json_t *d;
	json_array_foreach(due, i, d)
	{
		int64_t n = 0;
		if (rc == 0)
			rc = purge_store_erase_bodies(r->db, r->t.tenant_id,
			                              json_integer_value(json_object_get(d, "id")),
			                              r->now, &n);
		purge_count_add(counts, "corps_api_effaces", n);
	}
	json_decref(due);
	return rc;
}

/* --- 3. what no dossier holds --- */

/* The records of one kind that no dossier holds: households (with the
 * members nothing else holds), persons, third-party payees. */
enum dormant_kind { DK_HOUSEHOLDS, DK_PERSONS, DK_PAYEES };

static json_t *dormant_rows(struct run *r, enum dormant_kind k, const struct scan *s)
{
	int64_t t = r->t.tenant_id;
	if (k == DK_HOUSEHOLDS)
		return purge_store_dormant_households(r->db, t, s->before, s->cursor, r->batch);
	if (k == DK_PERSONS)
		return purge_store_dormant_persons(r->db, t, s->before, s->cursor, r->batch);
	return purge_store_unused_payees(r->db, t, s->before, s->cursor, r->batch);
}

static int dormant_one(struct run *r, enum dormant_kind k, int64_t id, json_t *c, json_t *objects)
{
	int64_t t = r->t.tenant_id;
	if (k == DK_PERSONS)
		return purge_store_person(r->db, t, id, c, objects);
	if (k == DK_PAYEES)
		return purge_store_payee(r->db, t, id, c, objects);
	json_t *persons = json_array();
	int rc = purge_store_household(r->db, t, id, persons, c, objects);
	for (size_t j = 0; rc == 0 && j < json_array_size(persons); j++)
		rc = purge_store_person(r->db, t, json_integer_value(json_array_get(persons, j)), c,
		                        objects);
	json_decref(persons);
	return rc;
}

/* counts[key "_sans_dossier"] += c[key], the redactions as they are. */
static void add_dormant(json_t *counts, json_t *c)
{
	const char *k;
	json_t *v;
	json_object_foreach(c, k, v)
	{
		char key[64];
		snprintf(key, sizeof(key), "%s%s", k,
		         strcmp(k, "audit_caviarde") == 0 ? "" : "_sans_dossier");
		purge_count_add(counts, key, json_integer_value(v));
	}
}

static int dormant_batch(struct run *r, struct scan *s, json_t *counts, enum dormant_kind k,
                         int *more)
{
	json_t *rows = dormant_rows(r, k, s), *objects = json_array(), *c = json_object();
	int rc = rows ? 0 : CAS_EDB;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		s->cursor = json_integer_value(json_object_get(row, "id"));
		if (rc == 0)
			rc = dormant_one(r, k, s->cursor, c, objects);
	}
	*more = rows && (int)json_array_size(rows) >= r->batch;
	if (rc == 0)
		rc = purge_redact(r->db, r->who, r->t.tenant_id, objects, c);
	add_dormant(counts, c);
	json_decref(c);
	json_decref(objects);
	json_decref(rows);
	return rc;
}

static int households_batch(struct run *r, struct scan *s, json_t *counts, int *more)
{
	return dormant_batch(r, s, counts, DK_HOUSEHOLDS, more);
}

static int persons_batch(struct run *r, struct scan *s, json_t *counts, int *more)
{
	return dormant_batch(r, s, counts, DK_PERSONS, more);
}

static int payees_batch(struct run *r, struct scan *s, json_t *counts, int *more)
{
	return dormant_batch(r, s, counts, DK_PAYEES, more);
}

/* --- 4. the traces past their 36 months --- */

static int traces_batch(struct run *r, struct scan *s, json_t *counts, int *more)
{
	int64_t n = 0;
	int rc = purge_store_expired_traces(r->db, r->t.tenant_id, s->before, r->batch, &n);
	purge_count_add(counts, "traces_api_expirees", n);
	*more = rc == 0 && n >= r->batch;
	return rc;
}

/* --- one CCAS --- */

static int64_t months_ago(struct run *r, int months)
{
	char from[11];
	if (retention_add_months(r->today, -months, from) != 0)
		return 0;
	return retention_midnight(from);
}

static int phases(struct run *r)
{
	const struct retention_rules *b = &r->t.base;
	int min = retention_min_months(&r->t);
	int rc = phase(r, dossiers_batch, retention_closed_before(r->today, min));
	if (rc == 0 && b->corps_api > 0)
		rc = phase(
		    r, bodies_batch,
		    retention_closed_before(r->today, b->corps_api < min ? b->corps_api : min));
	int64_t dormant = months_ago(r, b->refus);
	if (rc == 0)
		rc = phase(r, households_batch, dormant);
	if (rc == 0)
		rc = phase(r, persons_batch, dormant);
	if (rc == 0)
		rc = phase(r, payees_batch, dormant);
	if (rc == 0)
		rc = phase(r, traces_batch, months_ago(r, b->traces_api));
	return rc;
}

/* The changes of the run's audit entry: key -> [null, total]. */
static json_t *changes_of(json_t *counts)
{
	json_t *changes = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(counts, k, v) json_object_set_new(changes, k, json_pack("[nO]", v));
	return changes;
}

/* Ends the CCAS's open run, if any, with its ONE audit entry. */
static int finish(struct run *r, json_t *entry)
{
	int64_t id = 0, audit_id = 0;
	json_t *total = NULL;
	int rc = batch_open(r);
	if (rc == 0)
		rc = retention_store_run_open(r->db, r->t.tenant_id, &id, &total);
	if (rc == 1) {
		rc = audit_write_in(r->db, r->who, r->t.tenant_id, "purge", "purge", id,
		                    changes_of(total));
		if (rc == 0 && retention_store_last_audit(r->db, r->t.tenant_id, &audit_id) < 0)
			rc = CAS_EDB;
		if (rc == 0)
			rc =
			    retention_store_run_finish(r->db, r->t.tenant_id, id, r->now, audit_id);
		if (rc == 0)
			json_object_set_new(entry, "run",
			                    json_pack("{s:I, s:I, s:O}", "id", (json_int_t)id,
			                              "audit_id", (json_int_t)audit_id, "counts",
			                              total));
	}
	json_decref(total);
	return batch_close(r, rc);
}

/* 1 when the CCAS has a run left unfinished by an earlier purge. */
static int resumed(struct run *r)
{
	int64_t id;
	json_t *c = NULL;
	int rc = retention_store_run_open(r->db, r->t.tenant_id, &id, &c);
	json_decref(c);
	return rc == 1;
}

static int one_tenant(struct run *r, json_t *tenant, json_t *out)
{
	int64_t id = json_integer_value(json_object_get(tenant, "id"));
	int rc = retention_table_load(r->db, id, &r->t);
	if (rc != 0)
		return rc;
	r->counts = json_object();
	r->listed = json_array();
	json_t *entry = json_pack("{s:I, s:b}", "tenant_id", (json_int_t)id, "resumed",
	                          !r->o->dry_run && resumed(r));
	rc = phases(r);
	if (rc == 0 && !r->stopped && !r->o->dry_run)
		rc = finish(r, entry);
	json_object_set(entry, "counts", r->counts);
	if (r->o->dry_run)
		json_object_set(entry, "dossiers", r->listed);
	json_array_append_new(out, entry);
	json_decref(r->listed);
	json_decref(r->counts);
	retention_table_free(&r->t);
	return rc;
}

/* --- the file --- */

/* SQLite: the purge's connection overwrites what it deletes; *was: the
 * setting before (0 off, 1 on, 2 fast; -1 not SQLite), given back after. */
static int secure_delete_on(struct run *r, int64_t *was)
{
	*was = -1;
	if (db_kind(r->db) != DB_SQLITE || r->o->dry_run)
		return 0;
	if (q_int(r->db, was, "PRAGMA secure_delete", "") != 1)
		*was = 0;
	return db_exec(r->db, "PRAGMA secure_delete = ON");
}

static void secure_delete_back(struct run *r, int64_t was)
{
	if (was == 0)
		db_exec(r->db, "PRAGMA secure_delete = OFF");
	else if (was == 2)
		db_exec(r->db, "PRAGMA secure_delete = FAST");
}

/* SQLite, after a run that removed something: VACUUM rebuilds the file
 * from the live rows only (no freed page, no fragment of an older version
 * of a row survives), and the checkpoint empties the WAL. */
static json_t *wipe_file(struct run *r, json_t *totals)
{
	if (db_kind(r->db) != DB_SQLITE || r->o->dry_run)
		return json_null();
	json_t *out = json_pack("{s:b, s:b}", "secure_delete", 1, "vacuum", 0);
	if (!json_object_size(totals) || r->o->no_vacuum || r->stopped)
		return out;
	int64_t t0 = clock_real_ms();
	int rc = db_exec(r->db, "VACUUM");
	json_object_set_new(out, "vacuum", json_boolean(rc == 0));
	json_object_set_new(out, "vacuum_ms", json_integer(clock_real_ms() - t0));
	json_t *ck = q_row(r->db, NULL, "PRAGMA wal_checkpoint(TRUNCATE)", "");
	json_object_set_new(
	    out, "checkpoint_busy",
	    json_integer(ck ? json_integer_value(json_object_get(ck, "busy")) : -1));
	json_decref(ck);
	if (rc != 0)
		log_msg(LOG_WARN, "purge: VACUUM failed: %s", db_errmsg(r->db));
	return out;
}

/* --- the run --- */

static json_t *tenants_of(struct db *db, const struct purge_opts *o)
{
	if (o->tenant_id)
		return json_pack("[{s:I}]", "id", (json_int_t)o->tenant_id);
	return retention_store_tenants(db);
}

static void name_entry(struct db *db, json_t *entry)
{
	int err;
	json_t *t = retention_store_tenant(
	    db, json_integer_value(json_object_get(entry, "tenant_id")), &err);
	json_object_set(entry, "siret", t ? json_object_get(t, "siret") : json_null());
	json_object_set(entry, "name", t ? json_object_get(t, "name") : json_null());
	json_decref(t);
}

static int all_tenants(struct run *r, json_t *list, json_t *out, json_t *totals)
{
	size_t i;
	json_t *tenant;
	int rc = 0;
	json_array_foreach(list, i, tenant)
	{
		if (rc != 0 || r->stopped)
			break;
		rc = one_tenant(r, tenant, out);
		json_t *entry = json_array_get(out, json_array_size(out) - 1);
		if (entry) {
			name_entry(r->db, entry);
			merge(totals, json_object_get(entry, "counts"));
		}
	}
	return rc;
}

int purge_run(struct db *db, const struct actor *who, int64_t now, const struct purge_opts *o,
              json_t **report)
{
	*report = NULL;
	if (!perm_allows(who->role, PERM_MAINTENANCE))
		return CAS_EPERM;
	struct run r = {.db = db, .who = who, .o = o, .now = now};
	r.batch = o->batch > 0 && o->batch <= PURGE_BATCH_MAX ? o->batch : PURGE_BATCH_DEFAULT;
	retention_date_of(now, r.today);
	json_t *list = tenants_of(db, o);
	if (!list)
		return CAS_EDB;
	json_t *out = json_array(), *totals = json_object();
	int64_t was = -1;
	int rc = o->dry_run ? db_begin(db) : secure_delete_on(&r, &was);
	if (rc == 0)
		rc = all_tenants(&r, list, out, totals);
	if (o->dry_run)
		db_rollback(db);
	json_t *file = rc == 0 ? wipe_file(&r, totals) : json_null();
	if (!o->dry_run)
		secure_delete_back(&r, was);
	json_decref(list);
	*report =
	    json_pack("{s:b, s:s, s:b, s:o, s:o, s:o}", "dry_run", o->dry_run != 0, "date", r.today,
	              "interrupted", r.stopped, "ccas", out, "totals", totals, "file", file);
	return rc;
}

int purge_job(struct db *db, const struct actor *who, int64_t now, json_t **result)
{
	struct purge_opts o = {.by = "tâche planifiée"};
	json_t *report = NULL;
	*result = NULL;
	int rc = purge_run(db, who, now, &o, &report);
	if (report) {
		*result = json_incref(json_object_get(report, "totals"));
		json_t *file = json_object_get(report, "file");
		if (json_is_object(file))
			json_object_set(*result, "fichier", file);
	}
	json_decref(report);
	return rc;
}

/* --- labels --- */

const char *purge_count_label(const char *key)
{
	static const char *const labels[][2] = {
	    {"dossiers", "dossiers purgés"},
	    {"statistiques", "lignes de statistiques anonymes"},
	    {"usagers", "usagers effacés"},
	    {"foyers", "foyers effacés"},
	    {"membres", "appartenances à un foyer"},
	    {"lignes", "lignes de ressources et charges"},
	    {"evenements", "événements et notes d'instruction"},
	    {"evaluations", "évaluations"},
	    {"consultations", "consultations d'API de l'État"},
	    {"traces_api", "traces de consultation gardées"},
	    {"verifications", "vérifications de situation"},
	    {"courriers", "courriers"},
	    {"pieces", "pièces justificatives"},
	    {"demandes_pieces", "demandes de pièces"},
	    {"paiements", "paiements"},
	    {"bons", "bons"},
	    {"titulaires", "titulaires de compte"},
	    {"ordre_du_jour", "inscriptions à l'ordre du jour"},
	    {"gels", "gels levés"},
	    {"audit_caviarde", "entrées du journal d'audit caviardées"},
	    {"corps_api_effaces", "réponses d'API de l'État effacées"},
	    {"usagers_sans_dossier", "usagers sans dossier effacés"},
	    {"foyers_sans_dossier", "foyers sans dossier effacés"},
	    {"membres_sans_dossier", "appartenances de foyers sans dossier"},
	    {"titulaires_sans_dossier", "titulaires de compte inutilisés"},
	    {"traces_api_expirees", "traces de consultation expirées"},
	};
	for (size_t i = 0; key && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i][0], key) == 0)
			return labels[i][1];
	return key ? key : "";
}
