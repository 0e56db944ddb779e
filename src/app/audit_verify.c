#include "app/audit_verify.h"

#include <stdio.h>
#include <string.h>

#include "app/actor.h"
#include "app/perm.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "store/audit_chain.h"
#include "store/db.h"
#include "store/tenant_store.h"

#define PAGE 500

/* The walk of one chain. */
struct walk {
	char prev[AUDIT_HASH_SIZE]; /* the hash the next entry must link to */
	int64_t prev_id;            /* the entry that has it, 0: the genesis */
	int64_t entries, redacted, errors;
	json_t *list; /* reported errors */
};

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int64_t num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void report(struct walk *w, int64_t id, const char *kind, const char *expected,
                   const char *found, const char *message)
{
	w->errors++;
	if (json_array_size(w->list) >= AUDIT_VERIFY_MAX_ERRORS)
		return;
	json_array_append_new(w->list, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id,
	                                         "kind", kind, "expected", expected, "found", found,
	                                         "message", message));
}

static void check_link(struct walk *w, const json_t *row, int64_t id)
{
	const char *found = str(row, "prev_hash");
	if (strcmp(found, w->prev) == 0)
		return;
	char msg[512], after[64];
	if (w->prev_id)
		snprintf(after, sizeof(after), "celle de l'entrée n° %lld", (long long)w->prev_id);
	else
		snprintf(after, sizeof(after), "le début de la chaîne");
	snprintf(msg, sizeof(msg),
	         "entrée n° %lld : le chaînage est rompu, l'empreinte précédente attendue est %s "
	         "(%s), trouvée %s : une entrée a été supprimée, insérée ou déplacée avant "
	         "celle-ci.",
	         (long long)id, w->prev, after, *found ? found : "(aucune)");
	report(w, id, "maillon", w->prev, found, msg);
}

static void check_hash(struct walk *w, const json_t *row, int64_t id)
{
	char h[AUDIT_HASH_SIZE], msg[512];
	const char *found = str(row, "hash");
	audit_chain_row_hash(row, str(row, "prev_hash"), h);
	if (strcmp(h, found) == 0)
		return;
	snprintf(msg, sizeof(msg),
	         "entrée n° %lld : son contenu ne correspond plus à son empreinte (entrée modifiée "
	         "ou renumérotée) : empreinte attendue %s, trouvée %s.",
	         (long long)id, h, found);
	report(w, id, "contenu", h, found, msg);
}

static void check_changes(struct walk *w, const json_t *row, int64_t id)
{
	char d[AUDIT_HASH_SIZE], msg[512];
	const char *changes = str(row, "changes"), *digest = str(row, "changes_sha256");
	if (!json_is_null(json_object_get(row, "redacted_at"))) {
		w->redacted++;
		if (audit_chain_is_redacted_form(changes))
			return;
		snprintf(
		    msg, sizeof(msg),
		    "entrée n° %lld : entrée caviardée dont les modifications ne sont pas faites "
		    "que de marques « %s ».",
		    (long long)id, AUDIT_REDACTED);
		report(w, id, "caviardage", AUDIT_REDACTED, changes, msg);
		return;
	}
	sha256_hex(changes, strlen(changes), d);
	if (strcmp(d, digest) == 0)
		return;
	snprintf(msg, sizeof(msg),
	         "entrée n° %lld : les modifications enregistrées ne correspondent plus à leur "
	         "empreinte : attendue %s, trouvée %s.",
	         (long long)id, digest, d);
	report(w, id, "modifications", digest, d, msg);
}

/* One entry: its link, its hash, its changes; then the chain goes on from
 * its stored hash, so that each damaged entry is reported once. */
static void check_row(struct walk *w, const json_t *row)
{
	int64_t id = num(row, "id");
	w->entries++;
	if (!json_is_string(json_object_get(row, "hash"))) {
		char msg[256], h[AUDIT_HASH_SIZE];
		snprintf(
		    msg, sizeof(msg),
		    "entrée n° %lld : aucune empreinte, l'entrée a été insérée hors de Cassis.",
		    (long long)id);
		report(w, id, "sans_empreinte", "une empreinte", "(aucune)", msg);
		audit_chain_row_hash(row, w->prev, h);
		memcpy(w->prev, h, sizeof(h));
		w->prev_id = id;
		return;
	}
	check_link(w, row, id);
	check_hash(w, row, id);
	check_changes(w, row, id);
	snprintf(w->prev, sizeof(w->prev), "%s", str(row, "hash"));
	w->prev_id = id;
}

static void check_anchor(struct walk *w, struct db *db, int64_t tenant_id,
                         const struct audit_anchor *a)
{
	json_t *rows = audit_chain_rows(db, tenant_id, a->id - 1, 1);
	json_t *row = json_array_get(rows, 0);
	char msg[512];
	if (!row || num(row, "id") != a->id) {
		snprintf(msg, sizeof(msg),
		         "entrée n° %lld : l'entrée de l'ancre est absente de la chaîne (entrées "
		         "supprimées en fin de chaîne ?).",
		         (long long)a->id);
		report(w, a->id, "ancre", a->hash, "(absente)", msg);
	} else if (strcmp(str(row, "hash"), a->hash) != 0) {
		snprintf(
		    msg, sizeof(msg),
		    "entrée n° %lld : son empreinte ne correspond pas à l'ancre : attendue %s, "
		    "trouvée %s (chaîne réécrite ?).",
		    (long long)a->id, a->hash, str(row, "hash"));
		report(w, a->id, "ancre", a->hash, str(row, "hash"), msg);
	}
	json_decref(rows);
}

static int walk_chain(struct db *db, int64_t tenant_id, struct walk *w)
{
	int64_t after = 0;
	for (;;) {
		json_t *rows = audit_chain_rows(db, tenant_id, after, PAGE);
		if (!rows)
			return CAS_EDB;
		size_t i, n = json_array_size(rows);
		json_t *row;
		json_array_foreach(rows, i, row) check_row(w, row);
		if (n)
			after = num(json_array_get(rows, n - 1), "id");
		json_decref(rows);
		if (n < PAGE)
			return 0;
	}
}

/* chain: {tenant_id, siret, name} (borrowed); the verified chain, new. */
static json_t *verify_chain(struct db *db, const json_t *chain, const struct audit_anchor *anchor,
                            int *rc)
{
	int64_t tenant_id = num(chain, "tenant_id");
	struct walk w = {.prev = AUDIT_GENESIS, .list = json_array()};
	*rc = walk_chain(db, tenant_id, &w);
	if (*rc == 0 && anchor && anchor->id)
		check_anchor(&w, db, tenant_id, anchor);
	json_t *out = json_pack(
	    "{s:I, s:O, s:O, s:I, s:I, s:I, s:s, s:b, s:I, s:o}", "tenant_id",
	    (json_int_t)tenant_id, "siret", json_object_get(chain, "siret"), "name",
	    json_object_get(chain, "name"), "entries", (json_int_t)w.entries, "redacted",
	    (json_int_t)w.redacted, "last_id", (json_int_t)w.prev_id, "hash", w.prev, "intact",
	    w.errors == 0, "error_count", (json_int_t)w.errors, "errors", w.list);
	if (*rc != 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* A chain without entries: {tenant_id, siret, name} of the tenant. */
static json_t *empty_chain(struct db *db, int64_t tenant_id)
{
	int err;
	json_t *t = tenant_id ? tenant_store_get(db, tenant_id, &err) : NULL;
	json_t *c = json_pack("{s:I, s:O?, s:O?}", "tenant_id", (json_int_t)tenant_id, "siret",
	                      json_object_get(t, "siret"), "name", json_object_get(t, "name"));
	json_decref(t);
	return c;
}

/* The chains to verify: a new array of {tenant_id, siret, name}. */
static json_t *chains_of(struct db *db, int64_t tenant_id)
{
	json_t *all = audit_chain_list(db);
	if (!all || tenant_id == AUDIT_VERIFY_ALL)
		return all;
	json_t *one = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(all, i, c)
	{
		if (num(c, "tenant_id") == tenant_id)
			json_array_append(one, c);
	}
	json_decref(all);
	if (!json_array_size(one)) /* no entry yet: an empty, intact chain */
		json_array_append_new(one, empty_chain(db, tenant_id));
	return one;
}

static int may_verify(const struct actor *who, int64_t tenant_id)
{
	if (who->role == ROLE_SYSTEME && perm_allows(who->role, PERM_MAINTENANCE))
		return 1;
	return perm_allows(who->role, PERM_AUDIT_READ) && who->tenant_id &&
	       tenant_id == who->tenant_id;
}

int audit_verify(struct db *db, const struct actor *who, int64_t tenant_id,
                 const struct audit_anchor *anchor, json_t **report)
{
	*report = NULL;
	if (!may_verify(who, tenant_id))
		return CAS_EPERM;
	json_t *chains = chains_of(db, tenant_id);
	if (!chains)
		return CAS_EDB;
	json_t *out = json_array();
	int64_t errors = 0;
	int rc = 0;
	size_t i;
	json_t *c;
	json_array_foreach(chains, i, c)
	{
		json_t *v = verify_chain(db, c, json_array_size(chains) == 1 ? anchor : NULL, &rc);
		if (!v)
			break;
		errors += num(v, "error_count");
		json_array_append_new(out, v);
	}
	json_decref(chains);
	if (rc != 0) {
		json_decref(out);
		return rc;
	}
	*report = json_pack("{s:b, s:I, s:o}", "intact", errors == 0, "errors", (json_int_t)errors,
	                    "chains", out);
	return 0;
}

static void log_head(const json_t *c)
{
	int intact = json_is_true(json_object_get(c, "intact"));
	const char *siret = json_string_value(json_object_get(c, "siret"));
	log_event(intact ? LOG_INFO : LOG_ERROR, "audit_head",
	          json_pack("{s:s, s:s, s:O, s:O, s:O, s:O, s:O}", "event", "audit_head", "tenant",
	                    siret ? siret : "plateforme", "tenant_id",
	                    json_object_get(c, "tenant_id"), "last_id",
	                    json_object_get(c, "last_id"), "hash", json_object_get(c, "hash"),
	                    "entries", json_object_get(c, "entries"), "intact",
	                    json_object_get(c, "intact")));
}

int audit_heads_job(struct db *db, const struct actor *who, int64_t now, json_t **result)
{
	*result = NULL;
	if (!perm_allows(who->role, PERM_MAINTENANCE))
		return CAS_EPERM;
	json_t *rep;
	int rc = audit_verify(db, who, AUDIT_VERIFY_ALL, NULL, &rep);
	if (rc != 0)
		return rc;
	json_t *chains = json_object_get(rep, "chains");
	int64_t broken = 0;
	size_t i;
	json_t *c;
	json_array_foreach(chains, i, c)
	{
		log_head(c);
		broken += !json_is_true(json_object_get(c, "intact"));
	}
	*result = json_pack("{s:I, s:I}", "chains", (json_int_t)json_array_size(chains), "broken",
	                    (json_int_t)broken);
	json_decref(rep);
	return 0;
}

int audit_redact_object(struct db *db, const struct actor *who, int64_t tenant_id,
                        const char *object_type, int64_t object_id, int64_t *n)
{
	if (!perm_allows(who->role, PERM_MAINTENANCE))
		return CAS_EPERM;
	int own = !db_in_transaction(db);
	int rc = own ? db_begin(db) : 0;
	if (rc == 0)
		rc = audit_chain_redact(db, tenant_id, object_type, object_id, clock_now(), n);
	if (own && rc == 0)
		return db_commit(db);
	if (own)
		db_rollback(db);
	return rc;
}
