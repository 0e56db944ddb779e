/* The purge of one dossier (app/purge.h): the anonymous statistics row it
 * leaves, the deletion of its rows, of its household and persons when
 * nothing else holds them, and the redaction of the audit entries about
 * every object deleted. Inside the caller's transaction. */
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit_verify.h"
#include "app/purge.h"
#include "app/retention.h"
#include "base/err.h"
#include "store/purge_store.h"
#include "store/retention_store.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A whole number of euros from a JSON number or a decimal string
 * ("883.33"); -1 when absent or unreadable. */
static int64_t euros(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v))
		return (int64_t)json_real_value(v);
	const char *s = json_string_value(v);
	if (!s || !*s)
		return -1;
	char *end;
	long long n = strtoll(s, &end, 10);
	return end == s || n < 0 ? -1 : n;
}

/* The quotient familial of the dossier: its last evaluation's, else its
 * last API Particulier answer's; -1 when unknown. */
static int64_t qf_of(struct db *db, int64_t tenant, int64_t dossier, json_t *inputs)
{
	int64_t qf = euros(json_object_get(json_object_get(inputs, "variables"), "qf_caf"));
	if (qf < 0)
		qf = euros(json_object_get(json_object_get(inputs, "situation"), "qf_caf"));
	if (qf >= 0)
		return qf;
	json_t *caf = purge_store_last_caf(db, tenant, dossier);
	qf = euros(json_object_get(json_object_get(caf, "quotient_familial"), "valeur"));
	json_decref(caf);
	return qf;
}

/* The commune of residence (INSEE code): the evaluation's, else the
 * CCAS's when it serves one commune; "" when unknown. */
static const char *commune_of(json_t *inputs, const struct retention_table *t)
{
	const char *c = str(json_object_get(inputs, "variables"), "commune_residence");
	if (!*c)
		c = str(json_object_get(inputs, "situation"), "commune_residence");
	if (!*c && *t->communes && !strchr(t->communes, ','))
		c = t->communes;
	return strlen(c) == 5 ? c : "";
}

static const char *household_type(struct db *db, int64_t tenant, json_t *facts, const char *closed)
{
	json_t *rows = purge_store_members_at(
	    db, tenant, json_integer_value(json_object_get(facts, "household_id")), closed);
	int conjoints = 0, enfants = 0, autres = 0;
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m)
	{
		const char *r = str(m, "relation");
		if (strcmp(r, "conjoint") == 0)
			conjoints++;
		else if (strcmp(r, "enfant") == 0)
			enfants++;
		else if (strcmp(r, "demandeur") != 0)
			autres++;
	}
	json_decref(rows);
	return retention_household_type(conjoints, enfants, autres);
}

static const char *issue_of(const char *decision)
{
	static const char *const codes[] = {"accorde", "refuse", "ajourne", "sans_suite"};
	for (size_t i = 0; i < 4; i++)
		if (strcmp(decision, codes[i]) == 0)
			return codes[i];
	return "sans_suite";
}

/* The statistics row of the dossier whose facts are given. */
static int write_stats(struct db *db, const struct retention_table *t, json_t *facts, int64_t now,
                       json_t *counts)
{
	int64_t tenant = t->tenant_id, id = json_integer_value(json_object_get(facts, "id"));
	char closed[11], month_day[11];
	json_t *decided = json_object_get(facts, "decided_at");
	retention_date_of(json_integer_value(json_object_get(facts, "closed_at")), closed);
	retention_date_of(json_is_integer(decided)
	                      ? json_integer_value(decided)
	                      : json_integer_value(json_object_get(facts, "closed_at")),
	                  month_day);
	month_day[7] = '\0';
	json_t *inputs = purge_store_last_inputs(db, tenant, id);
	const char *issue = issue_of(str(facts, "decision"));
	struct stats_row s = {
	    .aid_type_id = json_integer_value(json_object_get(facts, "aid_type_id")),
	    .mois = month_day,
	    .issue = issue,
	    .demande = json_integer_value(json_object_get(facts, "montant_demande")),
	    .accorde = strcmp(issue, "accorde") == 0
	                   ? json_integer_value(json_object_get(facts, "montant_accorde"))
	                   : 0,
	    .verse = json_integer_value(json_object_get(facts, "verse")),
	    .type_foyer = household_type(db, tenant, facts, closed),
	    .tranche_qf = retention_qf_band(qf_of(db, tenant, id, inputs)),
	    .commune = commune_of(inputs, t),
	    .at = now,
	};
	int rc = retention_store_stats_insert(db, tenant, &s);
	json_decref(inputs);
	if (rc == 0)
		purge_count_add(counts, "statistiques", 1);
	return rc;
}

int purge_redact(struct db *db, const struct actor *who, int64_t tenant, json_t *objects,
                 json_t *counts)
{
	size_t i;
	json_t *o;
	json_array_foreach(objects, i, o)
	{
		int64_t n = 0;
		int rc =
		    audit_redact_object(db, who, tenant, json_string_value(json_array_get(o, 0)),
		                        json_integer_value(json_array_get(o, 1)), &n);
		if (rc != 0)
			return rc;
		purge_count_add(counts, "audit_caviarde", n);
	}
	return 0;
}

/* The household of the dossier and the persons nothing holds any more. */
static int purge_people(struct db *db, int64_t tenant, json_t *facts, json_t *counts,
                        json_t *objects)
{
	json_t *persons = json_array();
	json_array_append(persons, json_object_get(facts, "applicant_id"));
	int rc = purge_store_household(db, tenant,
	                               json_integer_value(json_object_get(facts, "household_id")),
	                               persons, counts, objects);
	size_t i;
	json_t *p;
	json_array_foreach(persons, i, p)
	{
		if (rc != 0)
			break;
		rc = purge_store_person(db, tenant, json_integer_value(p), counts, objects);
	}
	json_decref(persons);
	return rc;
}

int purge_dossier(struct db *db, const struct actor *who, const struct retention_table *t,
                  int64_t dossier_id, int64_t now, json_t *counts)
{
	int err = 0;
	json_t *facts = purge_store_facts(db, t->tenant_id, dossier_id, &err);
	if (!facts)
		return err ? err : CAS_EDB;
	json_t *objects = json_array();
	int rc = write_stats(db, t, facts, now, counts);
	if (rc == 0)
		rc = purge_store_dossier(db, t->tenant_id, dossier_id, counts, objects);
	if (rc == 0)
		rc = purge_people(db, t->tenant_id, facts, counts, objects);
	if (rc == 0)
		rc = purge_redact(db, who, t->tenant_id, objects, counts);
	json_decref(objects);
	json_decref(facts);
	return rc;
}
