#include "app/households.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/fr_time.h"
#include "base/err.h"
#include "base/utf8.h"
#include "domain/household.h"
#include "domain/pdate.h"
#include "store/db.h"
#include "store/household_store.h"

#define LABEL_MAX 160 /* characters */
/* Reads a full date of in[key] into out (ISO); empty gives today when
 * default_today. Adds a field error otherwise. */
static void read_day(json_t *in, const char *key, int default_today, char out[11], json_t *errors)
{
	int y, m, d;
	paris_ymd(clock_now(), &y, &m, &d);
	const char *s = input_str(in, key), *why = NULL;
	struct pdate p;
	if (!*s && default_today) {
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
		return;
	}
	out[0] = '\0';
	if (!*s)
		input_error(errors, key, "Indiquez la date.");
	else if (pdate_parse(s, &p, &why) != 0)
		input_error(errors, key, why ? why : "Date invalide.");
	else if (!p.month || !p.day)
		input_error(errors, key, "Indiquez une date complète (jour, mois et année).");
	else if (pdate_check_not_future(&p, y, m, d, &why) != 0)
		input_error(errors, key, "La date ne peut pas être postérieure à aujourd'hui.");
	else
		pdate_iso(&p, out);
}

/* Upper case of Latin letters (ASCII, Latin-1, œ, ÿ); others are copied. */
static void upper_copy(const char *in, char *out, size_t outsz)
{
	size_t i = 0, o = 0;
	long cp;
	while ((cp = utf8_next(in, &i)) != 0) {
		if (cp < 0)
			continue;
		if ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
			cp -= 0x20;
		else if (cp == 0x153)
			cp = 0x152;
		else if (cp == 0xFF)
			cp = 0x178;
		char enc[4];
		size_t n = utf8_encode(cp, enc);
		if (o + n + 1 > outsz)
			break;
		memcpy(out + o, enc, n);
		o += n;
	}
	if (outsz)
		out[o] = '\0';
}

/* "Foyer DUPONT Marie" for a person row {nom, prenom}. */
static void default_label(json_t *person, char *out, size_t outsz)
{
	char nom[400];
	upper_copy(json_string_value(json_object_get(person, "nom")), nom, sizeof(nom));
	snprintf(out, outsz, "Foyer %s %s", nom,
	         json_string_value(json_object_get(person, "prenom")));
	out[utf8_prefix(out, strlen(out), LABEL_MAX)] = '\0';
}

static int label_ok(const char *label)
{
	return utf8_strlen(label) <= LABEL_MAX && !strpbrk(label, "\r\n\t");
}

/* The person of in[key] within the tenant, or NULL with a field error (or
 * *rc set on a database error). */
static json_t *read_person(struct db *db, const struct actor *who, json_t *in, const char *key,
                           json_t *errors, int *rc)
{
	int64_t pid = input_id(in, key);
	int err = CAS_ENOTFOUND;
	json_t *p = pid ? household_store_person(db, who->tenant_id, pid, &err) : NULL;
	if (!p && err != CAS_ENOTFOUND)
		*rc = err;
	else if (!p)
		input_error(errors, key, "Choisissez une personne parmi les usagers du CCAS.");
	return p;
}

static int fail_invalid(json_t *errs, json_t **errors)
{
	*errors = errs;
	return CAS_EINVAL;
}

static int finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int household_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                     json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_HOUSEHOLD_WRITE))
		return CAS_EPERM;
	int rc = 0;
	char entree[11], label[800];
	json_t *errs = json_object();
	json_t *person = read_person(db, who, in, "demandeur_id", errs, &rc);
	const char *typed = input_str(in, "label");
	if (!label_ok(typed))
		input_error(errs, "label",
		            "Le libellé du foyer tient sur une ligne de 160 caractères au plus.");
	read_day(in, "date_entree", 1, entree, errs);
	if (rc != 0 || json_object_size(errs)) {
		json_decref(person);
		if (rc != 0) {
			json_decref(errs);
			return rc;
		}
		return fail_invalid(errs, errors);
	}
	json_decref(errs);
	if (*typed)
		snprintf(label, sizeof(label), "%s", typed);
	else
		default_label(person, label, sizeof(label));
	int64_t pid = json_integer_value(json_object_get(person, "id")), mid = 0;
	json_decref(person);
	rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = household_store_insert(db, who->tenant_id, label, clock_now(), id);
	if (rc == 0)
		rc = household_store_member_insert(db, who->tenant_id, *id, pid, "demandeur",
		                                   entree, &mid);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "household", *id,
		                 json_pack("{s:[ns], s:[nI], s:[ns]}", "label", label,
		                           "demandeur_id", (json_int_t)pid, "date_entree", entree));
	return finish(db, rc);
}

int household_update(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_HOUSEHOLD_WRITE))
		return CAS_EPERM;
	int rc;
	json_t *h = household_store_get(db, who->tenant_id, id, &rc);
	if (!h)
		return rc;
	const char *label = input_str(in, "label");
	if (!*label || !label_ok(label)) {
		json_decref(h);
		return fail_invalid(json_pack("{s:s}", "label",
		                              "Indiquez le libellé du foyer (une ligne de 160 "
		                              "caractères au plus)."),
		                    errors);
	}
	json_t *changes = json_object();
	json_t *after = json_pack("{s:s}", "label", label);
	audit_diff(changes, h, after);
	json_decref(after);
	json_decref(h);
	if (!json_object_size(changes)) {
		json_decref(changes);
		return 0;
	}
	rc = db_begin(db);
	if (rc != 0) {
		json_decref(changes);
		return rc;
	}
	rc = household_store_set_label(db, who->tenant_id, id, label);
	if (rc == 0)
		rc = audit_write(db, who, "modification", "household", id, changes);
	else
		json_decref(changes);
	return finish(db, rc);
}

/* Checks the membership rules of a new member; adds field errors. */
static int check_new_member(struct db *db, const struct actor *who, int64_t hid, int64_t pid,
                            const char *relation, json_t *errs)
{
	int64_t n = 0;
	int rc = household_store_count_current(db, who->tenant_id, hid, NULL, pid, &n);
	if (rc == 0 && n > 0)
		input_error(errs, "person_id", "Cette personne fait déjà partie du foyer.");
	if (rc == 0 && strcmp(relation, "demandeur") == 0) {
		rc = household_store_count_current(db, who->tenant_id, hid, "demandeur", 0, &n);
		if (rc == 0 && n > 0)
			input_error(
			    errs, "relation",
			    "Le foyer a déjà un demandeur : choisissez une autre relation.");
	}
	return rc;
}

int household_add_member(struct db *db, const struct actor *who, int64_t household_id, json_t *in,
                         int64_t *member_id, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_HOUSEHOLD_WRITE))
		return CAS_EPERM;
	int rc;
	json_t *h = household_store_get(db, who->tenant_id, household_id, &rc);
	if (!h)
		return rc;
	json_decref(h);
	rc = 0;
	char entree[11];
	enum relation rel;
	const char *relation = input_str(in, "relation");
	json_t *errs = json_object();
	json_t *person = read_person(db, who, in, "person_id", errs, &rc);
	int64_t pid = person ? json_integer_value(json_object_get(person, "id")) : 0;
	json_decref(person);
	if (relation_from_code(relation, &rel) != 0)
		input_error(errs, "relation", "Choisissez la relation avec le demandeur.");
	read_day(in, "date_entree", 1, entree, errs);
	if (rc != 0) {
		json_decref(errs);
		return rc;
	}
	if (json_object_size(errs))
		return fail_invalid(errs, errors);
	/* the membership rules are checked inside the write transaction, under
	 * a lock per household: two simultaneous additions cannot both pass */
	rc = db_begin(db);
	if (rc == 0)
		rc = db_lock(db, DB_LOCK_HOUSEHOLD(household_id));
	if (rc == 0 && pid)
		rc = check_new_member(db, who, household_id, pid, relation, errs);
	if (rc == 0 && json_object_size(errs)) {
		db_rollback(db);
		return fail_invalid(errs, errors);
	}
	json_decref(errs);
	if (rc == 0)
		rc = household_store_member_insert(db, who->tenant_id, household_id, pid, relation,
		                                   entree, member_id);
	if (rc == 0)
		rc = audit_write(db, who, "ajout_membre", "household", household_id,
		                 json_pack("{s:[nI], s:[ns], s:[ns]}", "person_id", (json_int_t)pid,
		                           "relation", relation, "date_entree", entree));
	return finish(db, rc);
}

/* Field error for the exit of member m on date sortie, or NULL. */
static const char *exit_refusal(json_t *m, const char *sortie)
{
	const char *why = NULL;
	if (json_is_string(json_object_get(m, "date_sortie")))
		return "Cette personne a déjà quitté le foyer.";
	if (strcmp(json_string_value(json_object_get(m, "relation")), "demandeur") == 0)
		return "Le demandeur ne peut pas quitter son foyer.";
	if (household_member_dates_check(json_string_value(json_object_get(m, "date_entree")),
	                                 sortie, &why) != 0)
		return why;
	return NULL;
}

int household_member_exit(struct db *db, const struct actor *who, int64_t household_id,
                          int64_t member_id, json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_HOUSEHOLD_WRITE))
		return CAS_EPERM;
	int rc;
	json_t *m = household_store_member_get(db, who->tenant_id, household_id, member_id, &rc);
	if (!m)
		return rc;
	char sortie[11];
	json_t *errs = json_object();
	read_day(in, "date_sortie", 0, sortie, errs);
	const char *why = json_object_size(errs) ? NULL : exit_refusal(m, sortie);
	json_decref(m);
	if (why)
		input_error(errs, "date_sortie", why);
	if (json_object_size(errs))
		return fail_invalid(errs, errors);
	json_decref(errs);
	rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = household_store_member_set_exit(db, who->tenant_id, member_id, sortie);
	if (rc == 0)
		rc = audit_write(db, who, "sortie_membre", "household", household_id,
		                 json_pack("{s:[nI], s:[ns]}", "member_id", (json_int_t)member_id,
		                           "date_sortie", sortie));
	return finish(db, rc);
}

static void label_relations(json_t *rows)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		enum relation rel;
		const char *code = json_string_value(json_object_get(row, "relation"));
		const char *label =
		    relation_from_code(code, &rel) == 0 ? relation_label(rel) : code;
		json_object_set_new(row, "relation_label", json_string(label ? label : ""));
		json_object_set_new(
		    row, "current",
		    json_boolean(!json_is_string(json_object_get(row, "date_sortie"))));
	}
}

json_t *household_get(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_HOUSEHOLD_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *h = household_store_get(db, who->tenant_id, id, err);
	if (!h)
		return NULL;
	json_t *members = household_store_members(db, who->tenant_id, id);
	if (!members) {
		json_decref(h);
		*err = CAS_EDB;
		return NULL;
	}
	label_relations(members);
	size_t i;
	json_t *m;
	json_object_set_new(h, "demandeur_id", json_null());
	json_array_foreach(members, i, m)
	{
		if (json_is_true(json_object_get(m, "current")) &&
		    strcmp(json_string_value(json_object_get(m, "relation")), "demandeur") == 0)
			json_object_set(h, "demandeur_id", json_object_get(m, "person_id"));
	}
	json_object_set_new(h, "members", members);
	*err = 0;
	return h;
}

json_t *household_list(struct db *db, const struct actor *who, enum household_order order, int desc,
                       int64_t offset, int limit, int64_t *total, int *err)
{
	if (!perm_allows(who->role, PERM_HOUSEHOLD_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	*err = household_store_count(db, who->tenant_id, total);
	if (*err != 0)
		return NULL;
	json_t *rows = household_store_list(
	    db, who->tenant_id, order == HOUSEHOLD_ORDER_DATE ? HSORT_DATE : HSORT_LABEL, desc,
	    offset, limit);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

json_t *household_page(struct db *db, const struct actor *who, int64_t after_id, int limit,
                       int *err)
{
	if (!perm_allows(who->role, PERM_HOUSEHOLD_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = household_store_page(db, who->tenant_id, after_id, limit + 1);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

json_t *household_of_person(struct db *db, const struct actor *who, int64_t person_id, int *err)
{
	if (!perm_allows(who->role, PERM_HOUSEHOLD_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = household_store_by_person(db, who->tenant_id, person_id);
	if (rows)
		label_relations(rows);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

json_t *household_person_summary(struct db *db, const struct actor *who, int64_t person_id,
                                 int *err)
{
	if (!perm_allows(who->role, PERM_HOUSEHOLD_READ) ||
	    !perm_allows(who->role, PERM_PERSON_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *p = household_store_person(db, who->tenant_id, person_id, err);
	if (!p)
		return NULL;
	char label[800];
	default_label(p, label, sizeof(label));
	json_object_set_new(p, "label", json_string(label));
	return p;
}
