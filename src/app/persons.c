#include "app/persons.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "app/access_log.h"
#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/person_terms.h"
#include "base/clock.h"
#include "base/fr_time.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "domain/fold.h"
#include "domain/pdate.h"
#include "domain/person.h"
#include "store/db.h"
#include "store/person_store.h"

const char *const person_fields[] = {
    "nom_naissance",  "nom_usage",   "prenom1",
    "prenom2",        "prenom3",     "sexe",
    "date_naissance", "lieu_type",   "commune_naissance",
    "pays_naissance", "nationalite", "telephone",
    "email",          "adresse",     "code_postal",
    "commune",        NULL,
};

/* Big enough for any value that passed person_validate(). */
#define VALUE_BUF 2048

/* Replaces the CR LF (and lone CR) line breaks of a form's textarea by LF. */
static void normalise_line_breaks(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (!v || !strchr(v, '\r'))
		return;
	size_t n = strlen(v), k = 0;
	char *out = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\r' && v[i + 1] == '\n')
			continue;
		out[k++] = v[i] == '\r' ? '\n' : v[i];
	}
	out[k] = '\0';
	json_object_set_new(o, key, json_string(out));
	free(out);
}

/* in's values without surrounding white space; codes in upper case
 * ("2a" -> "2A"). New object of strings. */
static json_t *trimmed_input(json_t *in)
{
	json_t *out = json_object();
	for (int i = 0; person_fields[i]; i++) {
		const char *v = input_str(in, person_fields[i]);
		while (*v && isspace((unsigned char)*v))
			v++;
		size_t n = strlen(v);
		while (n > 0 && isspace((unsigned char)v[n - 1]))
			n--;
		json_t *s = json_stringn(v, n);
		if (!s) /* invalid UTF-8: keep it, validation refuses it */
			s = json_stringn_nocheck(v, n);
		json_object_set_new(out, person_fields[i], s);
	}
	normalise_line_breaks(out, "adresse");
	const char *c = json_string_value(json_object_get(out, "commune_naissance"));
	if (c && strlen(c) == 5) {
		char up[6];
		for (int i = 0; i < 6; i++)
			up[i] = (char)toupper((unsigned char)c[i]);
		json_object_set_new(out, "commune_naissance", json_string(up));
	}
	return out;
}

static void input_struct(json_t *clean, struct person_input *p)
{
	memset(p, 0, sizeof(*p));
	p->nom_naissance = input_str(clean, "nom_naissance");
	p->nom_usage = input_str(clean, "nom_usage");
	p->prenoms[0] = input_str(clean, "prenom1");
	p->prenoms[1] = input_str(clean, "prenom2");
	p->prenoms[2] = input_str(clean, "prenom3");
	p->sexe = input_str(clean, "sexe");
	p->date_naissance = input_str(clean, "date_naissance");
	p->lieu_type = input_str(clean, "lieu_type");
	p->commune_naissance = input_str(clean, "commune_naissance");
	p->pays_naissance = input_str(clean, "pays_naissance");
	p->nationalite = input_str(clean, "nationalite");
	p->telephone = input_str(clean, "telephone");
	p->email = input_str(clean, "email");
	p->adresse = input_str(clean, "adresse");
	p->code_postal = input_str(clean, "code_postal");
	p->commune = input_str(clean, "commune");
}

/* person_validate(), plus what the table requires of every person: a
 * birth place and a nationality. NULL, or a new object of errors. */
static json_t *validate(json_t *clean)
{
	struct person_input p;
	struct field_errors fe = {0};
	int y, m, d;
	input_struct(clean, &p);
	paris_ymd(clock_now(), &y, &m, &d);
	person_validate(&p, y, m, d, &fe);
	if (!*p.lieu_type && !field_errors_get(&fe, "lieu_type"))
		field_errors_add(&fe, "lieu_type",
		                 "Indiquez si la personne est née en France ou à l'étranger.");
	if (!*p.nationalite)
		field_errors_add(&fe, "nationalite", "La nationalité est obligatoire.");
	if (fe.n == 0)
		return NULL;
	json_t *errors = json_object();
	for (int i = 0; i < fe.n && i < FIELD_ERRORS_MAX; i++)
		if (!json_object_get(errors, fe.items[i].field))
			json_object_set_new(errors, fe.items[i].field,
			                    json_string(fe.items[i].message));
	return errors;
}

static json_t *str_or_null(const char *s)
{
	return *s ? json_string(s) : json_null();
}

static void set_name(json_t *cols, const char *key, const char *v)
{
	char buf[VALUE_BUF];
	person_normalise_name(v, buf, sizeof(buf));
	json_object_set_new(cols, key, str_or_null(buf));
}

static void set_keys(json_t *cols, const char *fold_key, const char *phon_key, const char *v)
{
	char buf[VALUE_BUF];
	if (!v) {
		json_object_set_new(cols, fold_key, json_null());
		if (phon_key)
			json_object_set_new(cols, phon_key, json_null());
		return;
	}
	fold_text(v, buf, sizeof(buf));
	json_object_set_new(cols, fold_key, json_string(buf));
	if (phon_key) {
		phonetic_key(v, buf, sizeof(buf));
		json_object_set_new(cols, phon_key, json_string(buf));
	}
}

static void set_search_keys(json_t *cols)
{
	char prenoms[3 * VALUE_BUF];
	size_t n = 0;
	for (int i = 0; i < 3; i++) {
		const char *p = json_string_value(json_object_get(cols, person_fields[2 + i]));
		size_t len = p ? strlen(p) : 0;
		if (!len || n + len + 2 > sizeof(prenoms))
			continue;
		if (n)
			prenoms[n++] = ' ';
		memcpy(prenoms + n, p, len);
		n += len;
	}
	prenoms[n] = '\0';
	set_keys(cols, "nom_fold", "nom_phon",
	         json_string_value(json_object_get(cols, "nom_naissance")));
	set_keys(cols, "nom_usage_fold", "nom_usage_phon",
	         json_string_value(json_object_get(cols, "nom_usage")));
	set_keys(cols, "prenom_fold", NULL, prenoms);
}

/* The stored form of valid input: normalised names, the birth date in
 * storage form, null for what is not given, and the search keys. */
static json_t *columns_of(json_t *clean)
{
	json_t *cols = json_object();
	for (int i = 0; person_fields[i]; i++)
		json_object_set_new(cols, person_fields[i],
		                    str_or_null(input_str(clean, person_fields[i])));
	set_name(cols, "nom_naissance", input_str(clean, "nom_naissance"));
	set_name(cols, "nom_usage", input_str(clean, "nom_usage"));
	set_name(cols, "prenom1", input_str(clean, "prenom1"));
	set_name(cols, "prenom2", input_str(clean, "prenom2"));
	set_name(cols, "prenom3", input_str(clean, "prenom3"));
	struct pdate d;
	char iso[11];
	if (pdate_parse(input_str(clean, "date_naissance"), &d, NULL) == 0) {
		pdate_iso(&d, iso);
		json_object_set_new(cols, "date_naissance", json_string(iso));
	}
	set_search_keys(cols);
	return cols;
}

/* Validates in; on success *cols is the row to write. */
static int prepare(json_t *in, json_t **cols, json_t **errors)
{
	json_t *clean = trimmed_input(in);
	*errors = validate(clean);
	*cols = *errors ? NULL : columns_of(clean);
	json_decref(clean);
	return *errors ? CAS_EINVAL : 0;
}

/* The person fields of obj (a row or columns): new object. */
static json_t *fields_of(json_t *obj)
{
	json_t *out = json_object();
	for (int i = 0; person_fields[i]; i++) {
		json_t *v = json_object_get(obj, person_fields[i]);
		json_object_set(out, person_fields[i], v ? v : json_null());
	}
	return out;
}

static json_t *creation_changes(json_t *cols)
{
	json_t *changes = json_object();
	for (int i = 0; person_fields[i]; i++) {
		json_t *v = json_object_get(cols, person_fields[i]);
		if (v && !json_is_null(v))
			json_object_set_new(changes, person_fields[i], json_pack("[nO]", v));
	}
	return changes;
}

int person_create(struct db *db, const struct actor *who, json_t *in, int64_t *id, json_t **errors)
{
	json_t *cols;
	*errors = NULL;
	if (!perm_allows(who->role, PERM_PERSON_WRITE))
		return CAS_EPERM;
	if (prepare(in, &cols, errors) != 0)
		return CAS_EINVAL;
	int rc = db_begin(db);
	if (rc == 0)
		rc = person_store_insert(db, who->tenant_id, cols, clock_now(), id);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "person", *id, creation_changes(cols));
	json_decref(cols);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* Writes cols over person id when something changed, with its audit entry. */
static int write_update(struct db *db, const struct actor *who, int64_t id, json_t *before,
                        json_t *cols)
{
	json_t *old = fields_of(before), *new = fields_of(cols);
	json_t *changes = json_object();
	audit_diff(changes, old, new);
	json_decref(old);
	json_decref(new);
	if (json_object_size(changes) == 0) {
		json_decref(changes);
		return 0;
	}
	int rc = person_store_update(db, who->tenant_id, id, cols, clock_now());
	if (rc == 0)
		return audit_write(db, who, "modification", "person", id, changes);
	json_decref(changes);
	return rc;
}

int person_update(struct db *db, const struct actor *who, int64_t id, json_t *in, json_t **errors)
{
	json_t *cols;
	*errors = NULL;
	if (!perm_allows(who->role, PERM_PERSON_WRITE))
		return CAS_EPERM;
	int rc;
	json_t *before = person_store_get(db, who->tenant_id, id, &rc);
	if (!before)
		return rc;
	json_decref(before);
	if (prepare(in, &cols, errors) != 0)
		return CAS_EINVAL;
	rc = db_begin(db);
	if (rc == 0) { /* read again inside the transaction for an exact audit */
		before = person_store_get(db, who->tenant_id, id, &rc);
		if (before)
			rc = write_update(db, who, id, before, cols);
		json_decref(before);
	}
	json_decref(cols);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

json_t *person_get(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_PERSON_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *p = person_store_get(db, who->tenant_id, id, err);
	if (p)
		access_log_read(db, who, "person", id);
	return p;
}

static const enum person_sort sorts[] = {
    [PERSON_ORDER_NOM] = PERSON_SORT_NOM,
    [PERSON_ORDER_NAISSANCE] = PERSON_SORT_NAISSANCE,
    [PERSON_ORDER_CREATION] = PERSON_SORT_CREATION,
    [PERSON_ORDER_ID] = PERSON_SORT_ID,
};

json_t *person_search(struct db *db, const struct actor *who, const struct person_search *s,
                      int *err, json_t **errors)
{
	struct person_terms t;
	*errors = NULL;
	*err = CAS_EPERM;
	if (!perm_allows(who->role, PERM_PERSON_READ) || !who->tenant_id)
		return NULL;
	const char *why = NULL;
	if (person_terms_build(&t, s->name, s->date_naissance, &why) != 0) {
		*errors = json_pack("{s:s}", "date_naissance", why ? why : "Date illisible.");
		*err = CAS_EINVAL;
		return NULL;
	}
	t.q.sort = (unsigned)s->order <= PERSON_ORDER_ID ? sorts[s->order] : PERSON_SORT_NOM;
	t.q.desc = s->desc;
	t.q.limit = s->limit < 1 ? 1 : s->limit > 500 ? 500 : s->limit;
	t.q.offset = s->offset;
	t.q.after_id = s->after_id;
	*err = s->total ? person_store_count(db, who->tenant_id, &t.q, s->total) : 0;
	json_t *rows = *err == 0 ? person_store_search(db, who->tenant_id, &t.q) : NULL;
	if (!rows && *err == 0)
		*err = CAS_EDB;
	return rows;
}
