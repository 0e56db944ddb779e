/* The dated rule versions of an aid type: brouillon -> actif -> retiré.
 * A brouillon is edited freely; an active version's rule never changes
 * (only its last day, to hand over to a new version); active versions of
 * one aid type never overlap, so that one date picks one version. */
#include <stdio.h>
#include <string.h>

#include "app/actor.h"
#include "app/aid_rules.h"
#include "app/aid_rules_internal.h"
#include "app/audit.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/utf8.h"
#include "store/aid_type_store.h"
#include "store/db.h"
#include "store/rule_version_store.h"

#define NOTE_MAX 500 /* characters */

static const char *const statuses[][2] = {
    {"brouillon", "Brouillon"},
    {"actif", "En vigueur"},
    {"retire", "Retirée"},
};

const char *rule_status_label(const char *status)
{
	for (size_t i = 0; status && i < 3; i++)
		if (strcmp(status, statuses[i][0]) == 0)
			return statuses[i][1];
	return "";
}

static int status_known(const char *s)
{
	return *rule_status_label(s) != '\0';
}

static int finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* ---- reading a version's input ---- */

struct version_in {
	char du[11], au[11]; /* au "" when open */
	const char *note;
	json_t *doc;  /* checked rule document (owned) */
	char *text;   /* its stored form (json_free_text) */
	char sha[65]; /* of text */
};

static void version_in_free(struct version_in *v)
{
	json_decref(v->doc);
	json_free_text(v->text);
}

static void read_dates(json_t *in, struct version_in *v, json_t *errs)
{
	const char *du = input_str(in, "du"), *au = input_str(in, "au");
	if (aid_date_iso(du, v->du) != 0)
		input_error(errs, "du", "Indiquez le premier jour d'application (JJ/MM/AAAA).");
	if (*au && aid_date_iso(au, v->au) != 0)
		input_error(errs, "au",
		            "Indiquez le dernier jour d'application (JJ/MM/AAAA) ou "
		            "laissez vide.");
	else if (*au && *v->du && strcmp(v->au, v->du) < 0)
		input_error(errs, "au", "Le dernier jour d'application précède le premier.");
}

/* The document: JSON text (forms) or an object (API, import). */
static void read_document(json_t *in, struct version_in *v, json_t *errs, struct rule_problem *p)
{
	json_t *d = json_object_get(in, "document");
	int rc;
	if (json_is_object(d)) {
		v->doc = json_deep_copy(d);
		json_object_del(v->doc, "du");
		json_object_del(v->doc, "au");
		json_object_del(v->doc, "statut");
		json_object_del(v->doc, "note");
		rc = rule_document_check_json(v->doc, p);
	} else {
		rc = rule_document_check(json_string_value(d), &v->doc, p);
	}
	if (rc != 0) {
		json_decref(v->doc);
		v->doc = NULL;
		input_error(errs, "document", p->text);
		return;
	}
	v->text =
	    json_dumps(v->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (!v->text) {
		input_error(errs, "document", "La règle ne peut pas être enregistrée.");
		return;
	}
	sha256_hex(v->text, strlen(v->text), v->sha);
}

/* 0, or CAS_EINVAL with *errors. */
static int read_version(json_t *in, struct version_in *v, json_t **errors, struct rule_problem *p)
{
	struct rule_problem local;
	memset(v, 0, sizeof(*v));
	json_t *errs = json_object();
	read_dates(in, v, errs);
	v->note = input_str(in, "note");
	if (utf8_strlen(v->note) > NOTE_MAX)
		input_error(errs, "note", "La note comporte 500 caractères au plus.");
	read_document(in, v, errs, p ? p : &local);
	if (json_object_size(errs) == 0) {
		json_decref(errs);
		return 0;
	}
	*errors = errs;
	return CAS_EINVAL;
}

static json_t *version_audit(const struct version_in *v)
{
	return json_pack("{s:s, s:s?, s:s, s:s}", "du", v->du, "au", *v->au ? v->au : NULL, "note",
	                 v->note, "document_sha256", v->sha);
}

/* ---- access ---- */

/* The version vid of aid type aid_id in the actor's tenant. */
static json_t *load(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid, int *err)
{
	json_t *v = rule_version_store_get(db, who->tenant_id, vid, err);
	if (v && json_integer_value(json_object_get(v, "aid_type_id")) != aid_id) {
		json_decref(v);
		*err = CAS_ENOTFOUND;
		return NULL;
	}
	return v;
}

static int aid_exists(struct db *db, const struct actor *who, int64_t aid_id)
{
	int rc;
	json_t *t = aid_type_store_get(db, who->tenant_id, aid_id, &rc);
	json_decref(t);
	return t ? 0 : rc;
}

json_t *rule_version_get(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                         int *err)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *v = load(db, who, aid_id, vid, err);
	if (!v)
		return NULL;
	int64_t uses = 0;
	rule_version_store_count_uses(db, who->tenant_id, vid, &uses);
	const char *status = input_str(v, "status");
	json_object_set_new(v, "uses", json_integer(uses));
	json_object_set_new(v, "status_label", json_string(rule_status_label(status)));
	json_object_set_new(v, "editable", json_boolean(strcmp(status, "brouillon") == 0));
	*err = 0;
	return v;
}

/* ---- create, update ---- */

static int insert(struct db *db, const struct actor *who, int64_t aid_id,
                  const struct version_in *v, const char *status, int64_t *vid)
{
	struct rule_version_row row = {
	    .aid_type_id = aid_id,
	    .du = v->du,
	    .au = *v->au ? v->au : NULL,
	    .document = v->text,
	    .status = status,
	    .note = v->note,
	    .created_by = who->user_id,
	    .created_by_label = who->label,
	};
	int64_t numero = 0;
	int rc = rule_version_store_insert(db, who->tenant_id, &row, clock_now(), vid, &numero);
	if (rc != 0)
		return rc;
	json_t *changes = version_audit(v);
	json_object_set_new(changes, "aid_type_id", json_integer(aid_id));
	json_object_set_new(changes, "numero", json_integer(numero));
	json_object_set_new(changes, "status", json_string(status));
	/* creation: every field goes from nothing to its value */
	const char *k;
	json_t *x;
	json_object_foreach(changes, k, x)
	{
		json_object_set_new(changes, k, json_pack("[nO]", x));
	}
	return audit_write(db, who, "creation", "rule_version", *vid, changes);
}

int rule_version_create(struct db *db, const struct actor *who, int64_t aid_id, json_t *in,
                        int64_t *vid, json_t **errors, struct rule_problem *problem)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc = aid_exists(db, who, aid_id);
	if (rc != 0)
		return rc;
	struct version_in v;
	rc = read_version(in, &v, errors, problem);
	if (rc == 0)
		rc = db_begin(db);
	if (rc == 0)
		rc = finish(db, insert(db, who, aid_id, &v, "brouillon", vid));
	version_in_free(&v);
	return rc;
}

static json_t *stored_audit(json_t *row)
{
	const char *doc = input_str(row, "document");
	char sha[65];
	sha256_hex(doc, strlen(doc), sha);
	return json_pack("{s:O, s:O, s:O, s:s}", "du", json_object_get(row, "du"), "au",
	                 json_object_get(row, "au"), "note", json_object_get(row, "note"),
	                 "document_sha256", sha);
}

int rule_version_update(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                        json_t *in, json_t **errors, struct rule_problem *problem)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc;
	json_t *row = load(db, who, aid_id, vid, &rc);
	if (!row)
		return rc;
	int editable = strcmp(input_str(row, "status"), "brouillon") == 0;
	struct version_in v;
	rc = editable ? read_version(in, &v, errors, problem) : CAS_ECONFLICT;
	if (rc != 0) {
		json_decref(row);
		if (editable)
			version_in_free(&v);
		return rc;
	}
	json_t *changes = json_object(), *before = stored_audit(row), *after = version_audit(&v);
	audit_diff(changes, before, after);
	json_decref(before);
	json_decref(after);
	json_decref(row);
	rc = db_begin(db);
	if (rc == 0)
		rc = rule_version_store_update(db, who->tenant_id, vid, v.du, *v.au ? v.au : NULL,
		                               v.text, v.note, clock_now());
	if (rc == 0) {
		rc = audit_write(db, who, "modification", "rule_version", vid, changes);
		changes = NULL;
	}
	rc = finish(db, rc);
	json_decref(changes);
	version_in_free(&v);
	return rc;
}

/* ---- status ---- */

/* An error on "du" when [du, au] meets another active version. */
static int check_overlap(struct db *db, int64_t tenant_id, int64_t aid_id, int64_t vid,
                         const char *du, const char *au, json_t *errs)
{
	int64_t n = 0;
	int rc = rule_version_store_count_overlaps(db, tenant_id, aid_id, vid, du, au, &n);
	if (rc == 0 && n > 0)
		input_error(
		    errs, "du",
		    "Cette période recouvre celle d'une autre version en vigueur de l'aide : "
		    "indiquez d'abord le dernier jour d'application de celle-ci, ou changez "
		    "les dates.");
	return rc;
}

static int set_status(struct db *db, const struct actor *who, int64_t vid, const char *from,
                      const char *to, const char *action)
{
	int rc = rule_version_store_set_status(db, who->tenant_id, vid, to, clock_now());
	if (rc == 0)
		rc = audit_write(db, who, action, "rule_version", vid,
		                 json_pack("{s:[ss]}", "status", from, to));
	return rc;
}

int rule_version_activate(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                          json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *row = load(db, who, aid_id, vid, &rc);
	const char *status = row ? input_str(row, "status") : "";
	if (row && strcmp(status, "actif") == 0) {
		json_decref(row);
		db_rollback(db);
		return 0;
	}
	json_t *errs = json_object();
	struct rule_problem p;
	if (row && rule_document_check(input_str(row, "document"), NULL, &p) != 0)
		input_error(errs, "document", p.text);
	if (row)
		rc = check_overlap(db, who->tenant_id, aid_id, vid, input_str(row, "du"),
		                   json_string_value(json_object_get(row, "au")), errs);
	if (row && rc == 0 && json_object_size(errs)) {
		*errors = errs;
		errs = NULL;
		rc = CAS_EINVAL;
	}
	if (row && rc == 0)
		rc = set_status(db, who, vid, status, "actif", "activation");
	json_decref(errs);
	json_decref(row);
	return finish(db, row ? rc : rc ? rc : CAS_ENOTFOUND);
}

int rule_version_close(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid,
                       json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *row = load(db, who, aid_id, vid, &rc);
	if (!row)
		return finish(db, rc);
	json_t *errs = json_object();
	const char *au = input_str(in, "au"), *du = input_str(row, "du");
	char iso[11] = "";
	if (strcmp(input_str(row, "status"), "actif") != 0)
		rc = CAS_ECONFLICT;
	else if (*au && aid_date_iso(au, iso) != 0)
		input_error(errs, "au",
		            "Indiquez le dernier jour d'application (JJ/MM/AAAA) ou "
		            "laissez vide.");
	else if (*iso && strcmp(iso, du) < 0)
		input_error(errs, "au", "Le dernier jour d'application précède le premier.");
	if (rc == 0 && !json_object_size(errs))
		rc = check_overlap(db, who->tenant_id, aid_id, vid, du, *iso ? iso : NULL, errs);
	if (rc == 0 && json_object_size(errs)) {
		*errors = errs;
		errs = NULL;
		rc = CAS_EINVAL;
	}
	if (rc == 0)
		rc = rule_version_store_set_au(db, who->tenant_id, vid, *iso ? iso : NULL,
		                               clock_now());
	if (rc == 0)
		rc = audit_write(
		    db, who, "modification", "rule_version", vid,
		    json_pack("{s:[Os?]}", "au", json_object_get(row, "au"), *iso ? iso : NULL));
	json_decref(errs);
	json_decref(row);
	return finish(db, rc);
}

int rule_version_retire(struct db *db, const struct actor *who, int64_t aid_id, int64_t vid)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *row = load(db, who, aid_id, vid, &rc);
	if (!row)
		return finish(db, rc);
	const char *status = input_str(row, "status");
	if (strcmp(status, "retire") != 0)
		rc = set_status(db, who, vid, status, "retire", "retrait");
	json_decref(row);
	return finish(db, rc);
}

/* ---- import ---- */

static void import_error(json_t *errs, const char *prefix, const char *field, const char *msg)
{
	char key[1200];
	snprintf(key, sizeof(key), "%s/%.1000s", prefix, field);
	input_error(errs, key, msg);
}

/* The version object as the input of read_version. */
static json_t *import_input(const json_t *v)
{
	json_t *in = json_object();
	json_t *du = json_object_get(v, "du"), *au = json_object_get(v, "au");
	json_t *note = json_object_get(v, "note");
	if (json_is_string(du))
		json_object_set(in, "du", du);
	if (json_is_string(au))
		json_object_set(in, "au", au);
	if (json_is_string(note))
		json_object_set(in, "note", note);
	json_object_set_new(in, "document", json_deep_copy(v));
	return in;
}

int rule_version_import_one(struct db *db, const struct actor *who, int64_t aid_id, const json_t *v,
                            const char *prefix, json_t *errs)
{
	if (!json_is_object(v)) {
		import_error(errs, prefix, "document", "Une version est un objet JSON.");
		return 0;
	}
	const char *status = json_string_value(json_object_get(v, "statut"));
	if (!status)
		status = "actif";
	if (!status_known(status)) {
		import_error(errs, prefix, "statut",
		             "Le statut d'une version est « brouillon », « actif » ou « retire ».");
		return 0;
	}
	json_t *in = import_input(v), *verrs = NULL;
	struct version_in vi;
	struct rule_problem p = {0};
	int rc = read_version(in, &vi, &verrs, &p);
	json_decref(in);
	if (rc == CAS_EINVAL) {
		const char *k;
		json_t *m;
		json_object_foreach(verrs, k, m)
		{
			import_error(errs, prefix,
			             strcmp(k, "document") == 0 && *p.path ? p.path + 1 : k,
			             json_string_value(m));
		}
		json_decref(verrs);
		version_in_free(&vi);
		return 0;
	}
	int64_t vid;
	rc = insert(db, who, aid_id, &vi, status, &vid);
	version_in_free(&vi);
	return rc;
}

int rule_versions_check_overlaps(struct db *db, int64_t tenant_id, int64_t aid_id, json_t *errs)
{
	json_t *list = rule_version_store_list(db, tenant_id, aid_id);
	if (!list)
		return CAS_EDB;
	size_t i;
	json_t *v;
	int rc = 0;
	json_array_foreach(list, i, v)
	{
		if (rc != 0 || strcmp(input_str(v, "status"), "actif") != 0)
			continue;
		int64_t n = 0;
		rc = rule_version_store_count_overlaps(
		    db, tenant_id, aid_id, json_integer_value(json_object_get(v, "id")),
		    input_str(v, "du"), json_string_value(json_object_get(v, "au")), &n);
		if (rc == 0 && n > 0)
			input_error(
			    errs, "versions",
			    "Deux versions en vigueur se recouvrent : chaque jour relève d'une "
			    "seule version (vérifiez « du » et « au »).");
	}
	json_decref(list);
	return rc;
}
