/* What the next purges will remove: the closed dossiers whose purge date
 * falls within the coming days (or has passed while a hold keeps them),
 * the holds in force, the records no dossier holds, the latest runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/perm.h"
#include "app/retention.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "store/purge_store.h"
#include "store/retention_store.h"

#define SCAN_PAGE   500
#define DORMANT_MAX 1000

static void fr_of_iso(const char *iso, char out[11])
{
	snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* The purge date of a closed dossier row (state_since, decision,
 * aid_type_id) into out; "" when it cannot be computed. */
static void purge_of(const struct retention_table *t, json_t *row, char out[11])
{
	char closed[11];
	retention_date_of(json_integer_value(json_object_get(row, "state_since")), closed);
	if (retention_purge_date(
	        retention_rules_for(t, json_integer_value(json_object_get(row, "aid_type_id"))),
	        closed, json_string_value(json_object_get(row, "decision")), out) != 0)
		out[0] = '\0';
}

static json_t *entry(json_t *row, const char *closed, const char *purge, const char *today)
{
	char cfr[11], pfr[11];
	const char *decision = json_string_value(json_object_get(row, "decision"));
	fr_of_iso(closed, cfr);
	fr_of_iso(purge, pfr);
	int days = retention_days_until(purge, today);
	return json_pack("{s:O, s:O, s:O, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b}", "id",
	                 json_object_get(row, "id"), "numero", json_object_get(row, "numero"),
	                 "aide", json_object_get(row, "aide"), "issue",
	                 decision ? decision : "sans_suite", "issue_label",
	                 retention_issue_label(decision), "cloture_le", cfr, "purge_le", pfr,
	                 "purge_iso", purge, "jours", days, "en_retard", days <= 0, "gel",
	                 json_integer_value(json_object_get(row, "held")) != 0);
}

/* Appends the due rows of one page to list; *last: the last id seen. */
static void scan_page(const struct retention_table *t, json_t *rows, const char *today,
                      const char *until, json_t *list, int64_t *last)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		char closed[11], purge[11];
		*last = json_integer_value(json_object_get(row, "id"));
		purge_of(t, row, purge);
		if (!*purge || !retention_due(purge, until))
			continue;
		retention_date_of(json_integer_value(json_object_get(row, "state_since")), closed);
		json_array_append_new(list, entry(row, closed, purge, today));
	}
}

static int by_date(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "purge_iso")),
	               json_string_value(json_object_get(y, "purge_iso")));
	return c ? c
	         : strcmp(json_string_value(json_object_get(x, "numero")),
	                  json_string_value(json_object_get(y, "numero")));
}

static json_t *sorted(json_t *list)
{
	size_t n = json_array_size(list);
	json_t **v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(list, i));
	qsort(v, n, sizeof(*v), by_date);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_decref(list);
	return out;
}

static json_t *due_dossiers(struct db *db, const struct retention_table *t, const char *today,
                            const char *until, int *err)
{
	int64_t before = retention_closed_before(until, retention_min_months(t)), last = 0;
	json_t *list = json_array();
	for (;;) {
		json_t *rows = retention_store_closed(db, t->tenant_id, before, last, SCAN_PAGE, 0);
		if (!rows) {
			json_decref(list);
			*err = CAS_EDB;
			return NULL;
		}
		size_t n = json_array_size(rows);
		scan_page(t, rows, today, until, list, &last);
		json_decref(rows);
		if (n < SCAN_PAGE)
			break;
	}
	return sorted(list);
}

static json_t *holds(struct db *db, const struct retention_table *t)
{
	json_t *rows = retention_store_holds_active(db, t->tenant_id);
	json_t *out = json_array();
	size_t i;
	json_t *h;
	json_array_foreach(rows, i, h)
	{
		char purge[11] = "", pfr[11] = "", since[FR_DATETIME_SIZE];
		const char *state = json_string_value(json_object_get(h, "state"));
		if (state && strcmp(state, "cloture") == 0)
			purge_of(t, h, purge);
		if (*purge)
			fr_of_iso(purge, pfr);
		fr_date(json_integer_value(json_object_get(h, "created_at")), since);
		const char *kind = json_string_value(json_object_get(h, "kind"));
		json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:s, s:O, s:O, s:s, s:s}",
		                                     "dossier_id", json_object_get(h, "dossier_id"),
		                                     "numero", json_object_get(h, "numero"), "kind",
		                                     kind ? kind : "", "kind_label",
		                                     retention_hold_label(kind), "motif",
		                                     json_object_get(h, "motif"), "par",
		                                     json_object_get(h, "created_by_label"),
		                                     "depuis", since, "purge_le", pfr));
	}
	json_decref(rows);
	return out;
}

static json_int_t size_of(json_t *rows)
{
	json_int_t n = rows ? (json_int_t)json_array_size(rows) : 0;
	json_decref(rows);
	return n;
}

/* The records no dossier holds that the purges of the period remove. */
static json_t *dormant(struct db *db, const struct retention_table *t, const char *until)
{
	char from[11];
	retention_add_months(until, -t->base.refus, from);
	int64_t cutoff = retention_midnight(from);
	return json_pack(
	    "{s:I, s:I, s:I}", "usagers",
	    size_of(purge_store_dormant_persons(db, t->tenant_id, cutoff, 0, DORMANT_MAX)),
	    "foyers",
	    size_of(purge_store_dormant_households(db, t->tenant_id, cutoff, 0, DORMANT_MAX)),
	    "titulaires",
	    size_of(purge_store_unused_payees(db, t->tenant_id, cutoff, 0, DORMANT_MAX)));
}

static json_t *runs(struct db *db, int64_t tenant_id)
{
	json_t *rows = retention_store_runs(db, tenant_id, 5);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		json_t *c = json_loads(json_string_value(json_object_get(r, "counts")), 0, NULL);
		json_object_set_new(r, "counts", json_is_object(c) ? c : json_object());
		if (!json_is_object(c))
			json_decref(c);
	}
	return rows ? rows : json_array();
}

json_t *retention_preview(struct db *db, const struct actor *who, int64_t now, int days, int *err)
{
	if (!perm_allows(who->role, PERM_SETTINGS_ADMIN) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	struct retention_table t;
	*err = retention_table_load(db, who->tenant_id, &t);
	if (*err)
		return NULL;
	char today[11], until[11];
	retention_date_of(now, today);
	retention_date_of(retention_midnight(today) + (int64_t)days * 86400 + 43200, until);
	json_t *list = due_dossiers(db, &t, today, until, err);
	json_t *out = NULL;
	if (list)
		out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "today", today, "until", until,
		                "dossiers", list, "gels", holds(db, &t), "sans_dossier",
		                dormant(db, &t, until), "runs", runs(db, who->tenant_id));
	retention_table_free(&t);
	return out;
}
