/* Aid types as data: descriptive fields, export and import. The rule
 * versions are in rule_versions.c, the document checks in rule_check.c. */
#include "app/aid_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/consultations.h"
#include "app/aid_rules_internal.h"
#include "app/input.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/caf_qf.h"
#include "store/aid_type_store.h"
#include "store/consultation_store.h"
#include "store/db.h"
#include "store/rule_version_store.h"

#define CODE_MAX        40
#define LABEL_MAX       120  /* characters */
#define DESCRIPTION_MAX 2000 /* characters */
#define DELIB_MAX       60
#define FIELD_NAME_MAX  60
#define FIELDS_MAX      50
#define PIECE_MAX       200
#define PIECES_MAX      30
#define VERSIONS_MAX    50

static const char *const categories[][2] = {
    {"alimentation", "Alimentation"},
    {"energie", "Énergie et eau"},
    {"logement", "Logement"},
    {"transport", "Transport et mobilité"},
    {"sante", "Santé"},
    {"enfance", "Enfance et scolarité"},
    {"loisirs", "Culture, sport et vacances"},
    {"secours", "Secours d'urgence"},
    {"autre", "Autre besoin"},
};
#define NCATEGORIES (sizeof(categories) / sizeof(categories[0]))

json_t *aid_categories(void)
{
	json_t *out = json_array();
	for (size_t i = 0; i < NCATEGORIES; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "code", categories[i][0],
		                                     "label", categories[i][1]));
	return out;
}

static const char *category_label(const char *code)
{
	for (size_t i = 0; code && i < NCATEGORIES; i++)
		if (strcmp(code, categories[i][0]) == 0)
			return categories[i][1];
	return NULL;
}

static int code_ok(const char *c)
{
	size_t n = strlen(c);
	if (n < 2 || n > CODE_MAX)
		return 0;
	return strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static void check_code(const char *code, json_t *errs)
{
	if (!code_ok(code))
		input_error(
		    errs, "code",
		    "Le code comporte de 2 à 40 caractères : lettres minuscules sans accent, "
		    "chiffres, « _ » ou « - ».");
}

static int name_ok(const char *c)
{
	size_t n = strlen(c);
	return n >= 1 && n <= FIELD_NAME_MAX &&
	       strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* ---- reading the fields ---- */

/* A list given as a JSON array of strings, or as text with one item per
 * line (blank lines dropped). New array, or NULL when an item is not a
 * string. */
static json_t *read_list(json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);
	json_t *out = json_array();
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			if (!json_is_string(x)) {
				json_decref(out);
				return NULL;
			}
			if (*json_string_value(x))
				json_array_append(out, x);
		}
		return out;
	}
	const char *s = json_string_value(v);
	while (s && *s) {
		size_t n = strcspn(s, "\r\n");
		size_t a = 0, b = n;
		while (a < b && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		if (b > a)
			json_array_append_new(out, json_stringn(s + a, b - a));
		s += n;
		s += strspn(s, "\r\n");
	}
	if (v && !json_is_string(v) && !json_is_null(v)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static void check_fields_list(json_t *list, json_t *errs)
{
	size_t i;
	json_t *x;
	if (!list || json_array_size(list) > FIELDS_MAX) {
		input_error(errs, "champs_declares",
		            "Indiquez au plus 50 noms de données, un par ligne.");
		return;
	}
	json_array_foreach(list, i, x)
	{
		if (!name_ok(json_string_value(x)))
			input_error(
			    errs, "champs_declares",
			    "Chaque donnée déclarée est un nom de variable : lettres minuscules "
			    "sans accent, chiffres ou « _ » (par exemple ressources_mensuelles).");
	}
}

static void check_pieces_list(json_t *list, json_t *errs)
{
	size_t i;
	json_t *x;
	if (!list || json_array_size(list) > PIECES_MAX) {
		input_error(errs, "pieces",
		            "Indiquez au plus 30 pièces justificatives, une par ligne.");
		return;
	}
	json_array_foreach(list, i, x)
	{
		if (utf8_strlen(json_string_value(x)) > PIECE_MAX)
			input_error(errs, "pieces",
			            "Chaque pièce justificative tient en 200 caractères au plus.");
	}
}

/* The validated fields, as stored: a new object {label, description,
 * deliberation_numero, deliberation_date (string or null), categorie,
 * champs_declares, pieces (arrays)}. */
static json_t *read_fields(json_t *in, json_t *errs)
{
	const char *label = input_str(in, "label");
	if (!*label || utf8_strlen(label) > LABEL_MAX)
		input_error(errs, "label",
		            "Indiquez le libellé de l'aide (120 caractères au plus).");
	if (utf8_strlen(input_str(in, "description")) > DESCRIPTION_MAX)
		input_error(errs, "description",
		            "La description comporte 2 000 caractères au plus.");
	if (utf8_strlen(input_str(in, "deliberation_numero")) > DELIB_MAX)
		input_error(errs, "deliberation_numero",
		            "Le numéro de délibération comporte 60 caractères au plus.");
	char date[11] = "";
	const char *ds = input_str(in, "deliberation_date");
	if (*ds && aid_date_iso(ds, date) != 0)
		input_error(errs, "deliberation_date",
		            "Indiquez la date de la délibération au format JJ/MM/AAAA.");
	const char *cat = input_str(in, "categorie");
	if (*cat && !category_label(cat))
		input_error(errs, "categorie", "Choisissez un besoin de la liste.");
	json_t *fields = read_list(in, "champs_declares"), *pieces = read_list(in, "pieces");
	check_fields_list(fields, errs);
	check_pieces_list(pieces, errs);
	return json_pack("{s:s, s:s, s:s, s:s?, s:s, s:o*, s:o*}", "label", label, "description",
	                 input_str(in, "description"), "deliberation_numero",
	                 input_str(in, "deliberation_numero"), "deliberation_date",
	                 *date ? date : NULL, "categorie", cat, "champs_declares", fields, "pieces",
	                 pieces);
}

/* Text forms of the lists for the store; freed with json_free_text. */
struct fields_text {
	struct aid_type_fields f;
	char *champs, *pieces;
};

static void fields_text_init(struct fields_text *t, json_t *v)
{
	t->champs = json_dumps(json_object_get(v, "champs_declares"), JSON_COMPACT);
	t->pieces = json_dumps(json_object_get(v, "pieces"), JSON_COMPACT);
	t->f.label = json_string_value(json_object_get(v, "label"));
	t->f.description = json_string_value(json_object_get(v, "description"));
	t->f.deliberation_numero = json_string_value(json_object_get(v, "deliberation_numero"));
	t->f.deliberation_date = json_string_value(json_object_get(v, "deliberation_date"));
	t->f.categorie = json_string_value(json_object_get(v, "categorie"));
	t->f.champs_declares = t->champs ? t->champs : "[]";
	t->f.pieces = t->pieces ? t->pieces : "[]";
}

static void fields_text_free(struct fields_text *t)
{
	json_free_text(t->champs);
	json_free_text(t->pieces);
}

/* Stored row -> the fields as read_fields shapes them (new object). */
static json_t *stored_fields(json_t *row)
{
	json_t *out = json_object();
	static const char *const keys[] = {"label", "description", "deliberation_numero",
	                                   "deliberation_date", "categorie"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(row, keys[i]);
		json_object_set(out, keys[i], v ? v : json_null());
	}
	static const char *const lists[] = {"champs_declares", "pieces"};
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_loads(input_str(row, lists[i]), 0, NULL);
		json_object_set_new(out, lists[i], json_is_array(v) ? v : json_array());
		if (v && !json_is_array(v))
			json_decref(v);
	}
	return out;
}

static int finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int reject(json_t *errs, json_t **errors)
{
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	return 0;
}

/* ---- create, update, read ---- */

/* Inserts inside the caller's transaction. */
static int insert_type(struct db *db, const struct actor *who, const char *code, json_t *v,
                       int64_t *id, json_t **errors)
{
	struct fields_text t;
	fields_text_init(&t, v);
	int rc = aid_type_store_insert_full(db, who->tenant_id, code, &t.f, id);
	fields_text_free(&t);
	if (rc == CAS_ECONFLICT) {
		*errors = json_pack("{s:s}", "code", "Une aide de ce catalogue a déjà ce code.");
		return CAS_EINVAL;
	}
	if (rc != 0)
		return rc;
	json_t *changes = json_object();
	json_t *before = json_object();
	json_object_set_new(before, "code", json_null());
	json_t *after = json_deep_copy(v);
	json_object_set_new(after, "code", json_string(code));
	audit_diff(changes, before, after);
	json_decref(before);
	json_decref(after);
	return audit_write(db, who, "creation", "aid_type", *id, changes);
}

int aid_rules_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                     json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	json_t *errs = json_object();
	const char *code = input_str(in, "code");
	check_code(code, errs);
	json_t *v = read_fields(in, errs);
	int rc = reject(errs, errors);
	if (rc == 0)
		rc = db_begin(db);
	if (rc == 0)
		rc = finish(db, insert_type(db, who, code, v, id, errors));
	json_decref(v);
	return rc;
}

int aid_rules_update(struct db *db, const struct actor *who, int64_t id, json_t *in,
                     json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc;
	json_t *row = aid_type_store_detail(db, who->tenant_id, id, &rc);
	if (!row)
		return rc;
	json_t *errs = json_object();
	json_t *v = read_fields(in, errs);
	rc = reject(errs, errors);
	json_t *changes = json_object(), *before = stored_fields(row);
	audit_diff(changes, before, v);
	json_decref(before);
	json_decref(row);
	if (rc == 0 && json_object_size(changes) == 0)
		rc = 1; /* nothing changed */
	if (rc == 0)
		rc = db_begin(db);
	if (rc == 0) {
		struct fields_text t;
		fields_text_init(&t, v);
		rc = aid_type_store_update(db, who->tenant_id, id, &t.f);
		fields_text_free(&t);
		if (rc == 0) {
			rc = audit_write(db, who, "modification", "aid_type", id, changes);
			changes = NULL;
		}
		rc = finish(db, rc);
	}
	json_decref(changes);
	json_decref(v);
	return rc == 1 ? 0 : rc;
}

static json_t *versions_view(struct db *db, int64_t tenant_id, int64_t aid_id)
{
	json_t *versions = rule_version_store_list(db, tenant_id, aid_id);
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v)
	{
		int64_t uses = 0;
		rule_version_store_count_uses(db, tenant_id,
		                              json_integer_value(json_object_get(v, "id")), &uses);
		json_object_del(v, "document");
		json_object_set_new(v, "uses", json_integer(uses));
		json_object_set_new(v, "status_label",
		                    json_string(rule_status_label(input_str(v, "status"))));
	}
	return versions;
}

json_t *aid_rules_get(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *row = aid_type_store_detail(db, who->tenant_id, id, err);
	if (!row)
		return NULL;
	json_t *out = stored_fields(row);
	json_object_set(out, "id", json_object_get(row, "id"));
	json_object_set(out, "code", json_object_get(row, "code"));
	json_object_set_new(out, "active",
	                    json_boolean(json_integer_value(json_object_get(row, "active"))));
	const char *cl = category_label(input_str(row, "categorie"));
	json_object_set_new(out, "categorie_label", json_string(cl ? cl : ""));
	json_decref(row);
	json_t *versions = versions_view(db, who->tenant_id, id);
	if (!versions) {
		json_decref(out);
		*err = CAS_EDB;
		return NULL;
	}
	json_object_set_new(out, "versions", versions);
	*err = 0;
	return out;
}

/* ---- export ---- */

static json_t *export_version(json_t *v)
{
	json_t *doc = json_loads(input_str(v, "document"), 0, NULL);
	json_t *out = json_pack("{s:O, s:O, s:O}", "du", json_object_get(v, "du"), "au",
	                        json_object_get(v, "au"), "statut", json_object_get(v, "status"));
	if (*input_str(v, "note"))
		json_object_set(out, "note", json_object_get(v, "note"));
	if (json_is_object(doc))
		json_object_update_missing(out, doc);
	json_decref(doc);
	return out;
}

/* {"particulier": [scopes]}: the API Particulier scopes of the aid type
 * (migration 006, store/consultation_store.h). */
static json_t *export_scopes(struct db *db, int64_t tenant_id, int64_t id)
{
	int err;
	json_t *row = consultation_store_aid_scopes(db, tenant_id, id, &err);
	json_t *list = json_array();
	const char *s = input_str(row, "scopes");
	while (*s) {
		size_t n = strcspn(s, " ,");
		if (n)
			json_array_append_new(list, json_stringn(s, n));
		s += n;
		s += strspn(s, " ,");
	}
	json_decref(row);
	return json_pack("{s:o}", "particulier", list);
}

json_t *aid_rules_export(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *row = aid_type_store_detail(db, who->tenant_id, id, err);
	json_t *versions = row ? rule_version_store_list(db, who->tenant_id, id) : NULL;
	if (!versions) {
		if (row)
			*err = CAS_EDB;
		json_decref(row);
		return NULL;
	}
	json_t *f = stored_fields(row);
	json_t *out = json_pack(
	    "{s:O, s:O, s:O, s:{s:O, s:O}, s:O, s:O, s:O, s:[]}", "code",
	    json_object_get(row, "code"), "libelle", json_object_get(f, "label"), "description",
	    json_object_get(f, "description"), "deliberation", "numero",
	    json_object_get(f, "deliberation_numero"), "date",
	    json_object_get(f, "deliberation_date"), "categorie", json_object_get(f, "categorie"),
	    "champs_declares", json_object_get(f, "champs_declares"), "pieces",
	    json_object_get(f, "pieces"), "versions");
	json_object_set_new(out, "scopes", export_scopes(db, who->tenant_id, id));
	json_t *list = json_object_get(out, "versions");
	for (size_t i = json_array_size(versions); i-- > 0;)
		json_array_append_new(list, export_version(json_array_get(versions, i)));
	json_decref(f);
	json_decref(row);
	json_decref(versions);
	*err = 0;
	return out;
}

/* ---- import ---- */

/* The document's top-level fields in the shape read_fields takes. */
static json_t *import_input(const json_t *doc)
{
	json_t *in = json_object();
	json_t *label = json_object_get(doc, "libelle");
	json_object_set(in, "code", json_object_get(doc, "code"));
	json_object_set(in, "label", label ? label : json_object_get(doc, "label"));
	json_object_set(in, "description", json_object_get(doc, "description"));
	json_t *d = json_object_get(doc, "deliberation");
	json_object_set(in, "deliberation_numero", json_object_get(d, "numero"));
	json_object_set(in, "deliberation_date", json_object_get(d, "date"));
	json_object_set(in, "categorie", json_object_get(doc, "categorie"));
	json_object_set(in, "champs_declares", json_object_get(doc, "champs_declares"));
	json_object_set(in, "pieces", json_object_get(doc, "pieces"));
	/* json_object_set with NULL values is a no-op; drop JSON nulls too */
	const char *k;
	void *tmp;
	json_t *v;
	json_object_foreach_safe(in, tmp, k, v)
	{
		if (json_is_null(v))
			json_object_del(in, k);
	}
	return in;
}

/* The "scopes" of a document as the stored text ("a b"), "" when absent;
 * an error on "scopes" for an unknown code. */
static void import_scopes(const json_t *doc, char *out, size_t outsz, json_t *errs)
{
	json_t *list = json_object_get(json_object_get(doc, "scopes"), "particulier");
	json_t *known = particulier_scopes();
	size_t i, o = 0;
	json_t *x;
	out[0] = '\0';
	if (list && !json_is_array(list))
		input_error(errs, "scopes", "« scopes.particulier » est une liste de scopes.");
	json_array_foreach(list, i, x)
	{
		const char *code = json_string_value(x);
		int ok = 0;
		size_t j;
		json_t *k;
		json_array_foreach(known, j, k)
		{
			ok |= code && strcmp(code, input_str(k, "code")) == 0;
		}
		if (!ok || o + strlen(code) + 2 > outsz) {
			input_error(errs, "scopes", "Scope d'API Particulier inconnu.");
			continue;
		}
		o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? " " : "", code);
	}
	json_decref(known);
}

static int import_versions(struct db *db, const struct actor *who, int64_t aid_id,
                           const json_t *versions, json_t *errs)
{
	if (versions && (!json_is_array(versions) || json_array_size(versions) > VERSIONS_MAX)) {
		input_error(errs, "versions", "« versions » est une liste de 50 versions au plus.");
		return 0;
	}
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v)
	{
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "versions/%zu", i);
		int rc = rule_version_import_one(db, who, aid_id, v, prefix, errs);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int aid_rules_import(struct db *db, const struct actor *who, const json_t *doc, int64_t *id,
                     json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	if (!json_is_object(doc)) {
		*errors = json_pack("{s:s}", "document", "Le fichier doit contenir un objet JSON.");
		return CAS_EINVAL;
	}
	json_t *in = import_input(doc), *errs = json_object();
	const char *code = input_str(in, "code");
	check_code(code, errs);
	json_t *v = read_fields(in, errs);
	char scopes[512];
	import_scopes(doc, scopes, sizeof(scopes), errs);
	int rc = reject(errs, errors);
	if (rc == 0)
		rc = db_begin(db);
	if (rc == 0) {
		rc = insert_type(db, who, code, v, id, errors);
		if (rc == 0 && *scopes)
			rc = consultation_store_set_aid_scopes(db, who->tenant_id, *id, scopes);
		if (rc == 0 && *scopes)
			rc = audit_write(db, who, "modification", "aid_type", *id,
			                 json_pack("{s:[ns]}", "scopes_particulier", scopes));
		errs = json_object();
		if (rc == 0)
			rc = import_versions(db, who, *id, json_object_get(doc, "versions"), errs);
		if (rc == 0)
			rc = rule_versions_check_overlaps(db, who->tenant_id, *id, errs);
		if (rc == 0)
			rc = reject(errs, errors);
		else
			json_decref(errs);
		rc = finish(db, rc);
	}
	json_decref(v);
	json_decref(in);
	return rc;
}

/* ---- the CAF parts table ---- */

char *caf_parts_get(struct db *db, const struct actor *who, int *err)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN)) {
		*err = CAS_EPERM;
		return NULL;
	}
	char *text = rule_store_caf_parts_get(db, who->tenant_id, err);
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (!j)
		return NULL;
	char *pretty = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	char *out = pretty ? xstrdup(pretty) : NULL;
	json_free_text(pretty);
	return out;
}

/* The stored form of a table, or NULL with *errors. */
static char *check_parts(const char *text, json_t **errors)
{
	const char *why = "La table des parts doit être un objet JSON valide.";
	json_t *j = strlen(text) <= 16384 ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
	struct caf_parts_table t;
	char *out = NULL;
	if (json_is_object(j) && caf_parts_table_from_json(j, &t, &why) == 0)
		out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!out)
		*errors = json_pack("{s:s}", "caf_parts", why);
	json_decref(j);
	return out;
}

int caf_parts_set(struct db *db, const struct actor *who, const char *text, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	char *stored = NULL;
	if (text && *text && !(stored = check_parts(text, errors)))
		return CAS_EINVAL;
	int err;
	char *before = rule_store_caf_parts_get(db, who->tenant_id, &err);
	int rc = db_begin(db);
	if (rc == 0) {
		rc = rule_store_caf_parts_set(db, who->tenant_id, stored);
		if (rc == 0)
			rc = audit_write(db, who, "modification", "caf_parts", who->tenant_id,
			                 json_pack("{s:[s?s?]}", "caf_parts", before, stored));
		rc = finish(db, rc);
	}
	free(before);
	json_free_text(stored);
	return rc;
}
