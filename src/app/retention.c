/* Retention: the durations of a CCAS and of its aid types, the dates, and
 * the settings page's use cases. Legal holds: retention_holds.c; the
 * preview of the next purges: retention_preview.c. */
#include "app/retention.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/perm.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/xalloc.h"
#include "domain/pdate.h"
#include "store/db.h"
#include "store/retention_store.h"

/* --- the table of durations --- */

static int int_or(json_t *row, const char *key, int dflt)
{
	json_t *v = json_object_get(row, key);
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

static void base_rules(json_t *row, struct retention_table *t)
{
	t->base.accorde = int_or(row, "conservation_accorde", RETENTION_ACCORDE_DEFAULT);
	t->base.refus = int_or(row, "conservation_refus", RETENTION_REFUS_DEFAULT);
	t->base.corps_api = int_or(row, "conservation_corps_api", 0);
	t->base.traces_api = int_or(row, "conservation_traces_api", RETENTION_TRACES_DEFAULT);
	t->acces = int_or(row, "conservation_journal_acces", RETENTION_ACCES_MAX);
	snprintf(t->communes, sizeof(t->communes), "%s",
	         json_string_value(json_object_get(row, "communes"))
	             ? json_string_value(json_object_get(row, "communes"))
	             : "");
}

int retention_table_load(struct db *db, int64_t tenant_id, struct retention_table *t)
{
	int err = 0;
	memset(t, 0, sizeof(*t));
	json_t *row = retention_store_tenant(db, tenant_id, &err);
	if (!row)
		return err ? err : CAS_EDB;
	t->tenant_id = tenant_id;
	base_rules(row, t);
	json_decref(row);
	json_t *aids = retention_store_aid_types(db, tenant_id);
	if (!aids)
		return CAS_EDB;
	t->aids = xcalloc(json_array_size(aids) + 1, sizeof(*t->aids));
	size_t i;
	json_t *a;
	json_array_foreach(aids, i, a)
	{
		struct retention_aid *ra = &t->aids[t->n++];
		ra->aid_type_id = json_integer_value(json_object_get(a, "id"));
		ra->rules = t->base;
		ra->rules.accorde = int_or(a, "conservation_accorde", t->base.accorde);
		ra->rules.refus = int_or(a, "conservation_refus", t->base.refus);
	}
	json_decref(aids);
	return 0;
}

void retention_table_free(struct retention_table *t)
{
	free(t->aids);
	t->aids = NULL;
	t->n = 0;
}

const struct retention_rules *retention_rules_for(const struct retention_table *t,
                                                  int64_t aid_type_id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->aids[i].aid_type_id == aid_type_id)
			return &t->aids[i].rules;
	return &t->base;
}

int retention_min_months(const struct retention_table *t)
{
	int m = t->base.accorde < t->base.refus ? t->base.accorde : t->base.refus;
	for (size_t i = 0; i < t->n; i++) {
		if (t->aids[i].rules.accorde < m)
			m = t->aids[i].rules.accorde;
		if (t->aids[i].rules.refus < m)
			m = t->aids[i].rules.refus;
	}
	return m;
}

/* --- dates --- */

void retention_date_of(int64_t t, char out[11])
{
	paris_date_iso(t, out);
}

int64_t retention_midnight(const char *iso)
{
	int y, m, d;
	if (!iso || ymd_parse_iso(iso, &y, &m, &d) != 0)
		return 0;
	int64_t utc = clock_make(y, m, d, 0, 0, 0);
	return utc - paris_offset(utc - 7200); /* the offset of the evening before */
}

int64_t retention_closed_before(const char *date, int months)
{
	char from[11];
	if (retention_add_months(date, -months, from) != 0)
		return 0;
	/* a closure up to 3 days later may still be due: 31 January + 1 month
	 * is 28 February, like 28 January + 1 month */
	return retention_midnight(from) + 4 * 86400;
}

/* --- the settings --- */

json_t *retention_settings(struct db *db, const struct actor *who, int *err)
{
	if (!perm_allows(who->role, PERM_SETTINGS_ADMIN) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	struct retention_table t;
	*err = retention_table_load(db, who->tenant_id, &t);
	json_t *aids = *err ? NULL : retention_store_aid_types(db, who->tenant_id);
	if (!aids) {
		retention_table_free(&t);
		*err = *err ? *err : CAS_EDB;
		return NULL;
	}
	size_t i;
	json_t *a;
	json_array_foreach(aids, i, a)
	{
		json_object_set_new(a, "accorde",
		                    json_integer(int_or(a, "conservation_accorde", 0)));
		json_object_set_new(a, "refus", json_integer(int_or(a, "conservation_refus", 0)));
		json_object_del(a, "conservation_accorde");
		json_object_del(a, "conservation_refus");
	}
	json_t *out = json_pack("{s:i, s:i, s:i, s:i, s:i, s:o}", "accorde", t.base.accorde,
	                        "refus", t.base.refus, "corps_api", t.base.corps_api, "traces_api",
	                        t.base.traces_api, "acces", t.acces, "aides", aids);
	retention_table_free(&t);
	return out;
}

/* A whole number of months in field: *out; blank gives 0 when blank_ok. */
static int months_field(json_t *in, const char *field, int blank_ok, int *out)
{
	const char *s = input_str(in, field);
	char *end;
	*out = 0;
	if (!*s)
		return blank_ok ? 0 : CAS_EINVAL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 1200)
		return CAS_EINVAL;
	*out = (int)v;
	return 0;
}

/* Reads and checks one duration; the error goes to errors[field]. */
static void read_setting(json_t *in, const char *field, enum retention_setting s, int blank_ok,
                         int *out, json_t *errors)
{
	const char *why = "Indiquez un nombre entier de mois.";
	if (months_field(in, field, blank_ok, out) != 0 ||
	    (!(blank_ok && *out == 0) && retention_check(s, *out, &why) != 0))
		input_error(errors, field, why);
}

struct new_settings {
	struct retention_rules r;
	int acces;
	struct retention_aid *aids; /* durations 0: the CCAS's */
	size_t n;
};

static void read_aids(json_t *in, const struct retention_table *old, struct new_settings *s,
                      json_t *errors)
{
	char field[64];
	s->aids = xcalloc(old->n + 1, sizeof(*s->aids));
	for (size_t i = 0; i < old->n; i++) {
		struct retention_aid *a = &s->aids[s->n++];
		a->aid_type_id = old->aids[i].aid_type_id;
		snprintf(field, sizeof(field), "accorde_%lld", (long long)a->aid_type_id);
		read_setting(in, field, RS_ACCORDE, 1, &a->rules.accorde, errors);
		snprintf(field, sizeof(field), "refus_%lld", (long long)a->aid_type_id);
		read_setting(in, field, RS_REFUS, 1, &a->rules.refus, errors);
	}
}

static void read_settings(json_t *in, const struct retention_table *old, struct new_settings *s,
                          json_t *errors)
{
	memset(s, 0, sizeof(*s));
	read_setting(in, "accorde", RS_ACCORDE, 0, &s->r.accorde, errors);
	read_setting(in, "refus", RS_REFUS, 0, &s->r.refus, errors);
	read_setting(in, "corps_api", RS_CORPS_API, 1, &s->r.corps_api, errors);
	read_setting(in, "traces_api", RS_TRACES_API, 0, &s->r.traces_api, errors);
	read_setting(in, "acces", RS_ACCES, 0, &s->acces, errors);
	if (!json_object_get(errors, "corps_api") && s->r.corps_api &&
	    s->r.corps_api > s->r.accorde && !json_object_get(errors, "accorde"))
		input_error(
		    errors, "corps_api",
		    "Les réponses des API de l'État ne peuvent être conservées plus longtemps "
		    "que le dossier : laissez vide ou indiquez une durée plus courte.");
	read_aids(in, old, s, errors);
}

static void diff_int(json_t *changes, const char *key, int before, int after)
{
	if (before != after)
		json_object_set_new(changes, key, json_pack("[ii]", before, after));
}

static int write_tenant(struct db *db, const struct actor *who, const struct retention_table *old,
                        const struct new_settings *s)
{
	int rc = retention_store_tenant_update(db, who->tenant_id, s->r.accorde, s->r.refus,
	                                       s->r.corps_api, s->r.traces_api, s->acces);
	json_t *changes = json_object();
	diff_int(changes, "conservation_accorde", old->base.accorde, s->r.accorde);
	diff_int(changes, "conservation_refus", old->base.refus, s->r.refus);
	diff_int(changes, "conservation_corps_api", old->base.corps_api, s->r.corps_api);
	diff_int(changes, "conservation_traces_api", old->base.traces_api, s->r.traces_api);
	diff_int(changes, "conservation_journal_acces", old->acces, s->acces);
	if (rc != 0 || !json_object_size(changes)) {
		json_decref(changes);
		return rc;
	}
	return audit_write(db, who, "modification", "tenant", who->tenant_id, changes);
}

static int write_aids(struct db *db, const struct actor *who, json_t *stored,
                      const struct new_settings *s)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < s->n; i++) {
		json_t *a = json_array_get(stored, i);
		int before_a = int_or(a, "conservation_accorde", 0);
		int before_r = int_or(a, "conservation_refus", 0);
		const struct retention_rules *n = &s->aids[i].rules;
		if (before_a == n->accorde && before_r == n->refus)
			continue;
		rc = retention_store_aid_update(db, who->tenant_id, s->aids[i].aid_type_id,
		                                n->accorde, n->refus);
		json_t *changes = json_object();
		diff_int(changes, "conservation_accorde", before_a, n->accorde);
		diff_int(changes, "conservation_refus", before_r, n->refus);
		if (rc == 0)
			rc = audit_write(db, who, "modification", "aid_type",
			                 s->aids[i].aid_type_id, changes);
		else
			json_decref(changes);
	}
	return rc;
}

static int update_in_tx(struct db *db, const struct actor *who, const struct new_settings *s)
{
	struct retention_table old;
	int rc = retention_table_load(db, who->tenant_id, &old);
	json_t *stored = rc ? NULL : retention_store_aid_types(db, who->tenant_id);
	if (rc == 0 && !stored)
		rc = CAS_EDB;
	if (rc == 0 && json_array_size(stored) != s->n)
		rc = CAS_ECONFLICT; /* an aid type was added meanwhile: submit again */
	if (rc == 0)
		rc = write_tenant(db, who, &old, s);
	if (rc == 0)
		rc = write_aids(db, who, stored, s);
	json_decref(stored);
	retention_table_free(&old);
	return rc;
}

int retention_settings_update(struct db *db, const struct actor *who, json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_SETTINGS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	struct retention_table old;
	int rc = retention_table_load(db, who->tenant_id, &old);
	if (rc != 0)
		return rc;
	struct new_settings s;
	json_t *errs = json_object();
	read_settings(in, &old, &s, errs);
	retention_table_free(&old);
	if (json_object_size(errs)) {
		free(s.aids);
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	rc = db_begin(db);
	if (rc == 0)
		rc = update_in_tx(db, who, &s);
	free(s.aids);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* --- labels --- */

const char *retention_hold_label(const char *kind)
{
	if (!kind)
		return "";
	if (strcmp(kind, "contentieux") == 0)
		return "Contentieux (recours devant le tribunal administratif)";
	if (strcmp(kind, "recours") == 0)
		return "Recours gracieux ou administratif préalable";
	if (strcmp(kind, "autre") == 0)
		return "Autre obligation légale documentée";
	return kind;
}

const char *retention_issue_label(const char *decision)
{
	if (decision && strcmp(decision, "accorde") == 0)
		return "Accordé";
	if (decision && strcmp(decision, "refuse") == 0)
		return "Refusé";
	if (decision && strcmp(decision, "ajourne") == 0)
		return "Ajourné";
	return "Classé sans suite";
}
