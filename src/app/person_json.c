#include "app/person_json.h"

#include "app/input.h"

#include <stdio.h>
#include <string.h>

#include "app/persons.h"
#include "base/clock.h"

/* Fields given as plain strings in the API, with the same name as in the
 * form. */
static const char *const text_fields[] = {
    "nom_naissance", "nom_usage", "sexe",        "date_naissance", "nationalite", "telephone",
    "email",         "adresse",   "code_postal", "commune",        NULL,
};

static const char *const read_only[] = {"id", "created_at", "updated_at", NULL};

static const char *const prenom_keys[] = {"prenom1", "prenom2", "prenom3"};

static int in_list(const char *const *list, const char *key)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], key) == 0)
			return 1;
	return 0;
}

static void set_str(json_t *in, const char *key, const char *v)
{
	json_object_set_new(in, key, json_string(v ? v : ""));
}

static void read_text(json_t *in, json_t *errs, const char *key, json_t *v)
{
	if (json_is_null(v))
		set_str(in, key, "");
	else if (json_is_string(v))
		set_str(in, key, json_string_value(v));
	else
		input_error(errs, key, "Ce champ doit être une chaîne de caractères (ou null).");
}

static void read_prenoms(json_t *in, json_t *errs, json_t *v)
{
	if (!json_is_null(v) && !json_is_array(v)) {
		input_error(errs, "prenoms",
		            "Les prénoms forment une liste de chaînes de caractères.");
		return;
	}
	if (json_array_size(v) > 3) {
		input_error(errs, "prenoms", "Trois prénoms au plus.");
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		json_t *p = json_array_get(v, i); /* NULL past the end */
		if (p && !json_is_null(p) && !json_is_string(p)) {
			char field[16];
			snprintf(field, sizeof(field), "prenoms[%zu]", i);
			input_error(errs, field, "Un prénom est une chaîne de caractères.");
			continue;
		}
		set_str(in, prenom_keys[i], json_string_value(p));
	}
}

/* {type, code} -> lieu_type and commune_naissance or pays_naissance. */
static void read_lieu_object(json_t *in, json_t *errs, json_t *v)
{
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		if (strcmp(key, "type") != 0 && strcmp(key, "code") != 0) {
			char field[64];
			snprintf(field, sizeof(field), "lieu_naissance.%.40s", key);
			input_error(errs, field, "Champ inconnu : seuls type et code sont permis.");
		}
	}
	json_t *type = json_object_get(v, "type"), *code = json_object_get(v, "code");
	if (!json_is_string(type)) {
		input_error(
		    errs, "lieu_naissance.type",
		    "Le type de lieu de naissance est obligatoire : « commune » ou « etranger ».");
		return;
	}
	if (code && !json_is_null(code) && !json_is_string(code)) {
		input_error(errs, "lieu_naissance.code", "Le code est une chaîne de caractères.");
		return;
	}
	const char *t = json_string_value(type);
	int abroad = strcmp(t, "etranger") == 0;
	set_str(in, "lieu_type", t);
	set_str(in, abroad ? "pays_naissance" : "commune_naissance", json_string_value(code));
	set_str(in, abroad ? "commune_naissance" : "pays_naissance", "");
}

static void read_lieu(json_t *in, json_t *errs, json_t *v)
{
	if (json_is_null(v)) {
		set_str(in, "lieu_type", "");
		set_str(in, "commune_naissance", "");
		set_str(in, "pays_naissance", "");
	} else if (json_is_object(v)) {
		read_lieu_object(in, errs, v);
	} else {
		input_error(errs, "lieu_naissance",
		            "Le lieu de naissance est un objet {\"type\": ..., \"code\": ...}.");
	}
}

static json_t *empty_input(void)
{
	json_t *in = json_object();
	for (int i = 0; person_fields[i]; i++)
		set_str(in, person_fields[i], "");
	return in;
}

static void read_field(json_t *in, json_t *errs, const char *key, json_t *v)
{
	if (in_list(text_fields, key))
		read_text(in, errs, key, v);
	else if (strcmp(key, "prenoms") == 0)
		read_prenoms(in, errs, v);
	else if (strcmp(key, "lieu_naissance") == 0)
		read_lieu(in, errs, v);
	else if (in_list(read_only, key))
		input_error(errs, key, "Ce champ est en lecture seule.");
	else
		input_error(errs, key, "Champ inconnu.");
}

json_t *person_json_in(json_t *body, json_t *base, json_t **errors)
{
	json_t *in = base ? json_deep_copy(base) : empty_input();
	json_t *errs = json_object();
	const char *key;
	json_t *v;
	*errors = NULL;
	json_object_foreach(body, key, v)
	{
		read_field(in, errs, key, v);
	}
	if (json_object_size(errs) == 0) {
		json_decref(errs);
		return in;
	}
	json_decref(in);
	*errors = errs;
	return NULL;
}

json_t *person_json_input_of(json_t *person)
{
	json_t *in = json_object();
	for (int i = 0; person_fields[i]; i++)
		set_str(in, person_fields[i],
		        json_string_value(json_object_get(person, person_fields[i])));
	return in;
}

static json_t *nullable(json_t *person, const char *key)
{
	json_t *v = json_object_get(person, key);
	return json_is_string(v) ? json_incref(v) : json_null();
}

static json_t *timestamp(json_t *person, const char *key)
{
	char out[32];
	clock_rfc3339(json_integer_value(json_object_get(person, key)), out);
	return json_string(out);
}

static json_t *lieu_out(json_t *person)
{
	const char *type = json_string_value(json_object_get(person, "lieu_type"));
	if (!type)
		return json_null();
	int abroad = strcmp(type, "etranger") == 0;
	return json_pack("{s:s, s:o}", "type", type, "code",
	                 nullable(person, abroad ? "pays_naissance" : "commune_naissance"));
}

json_t *person_json_out(json_t *person)
{
	json_t *o = json_pack("{s:O}", "id", json_object_get(person, "id"));
	json_t *prenoms = json_array();
	for (int i = 0; i < 3; i++) {
		const char *p = json_string_value(json_object_get(person, prenom_keys[i]));
		if (p && *p)
			json_array_append_new(prenoms, json_string(p));
	}
	json_object_set_new(o, "nom_naissance", nullable(person, "nom_naissance"));
	json_object_set_new(o, "nom_usage", nullable(person, "nom_usage"));
	json_object_set_new(o, "prenoms", prenoms);
	json_object_set_new(o, "sexe", nullable(person, "sexe"));
	json_object_set_new(o, "date_naissance", nullable(person, "date_naissance"));
	json_object_set_new(o, "lieu_naissance", lieu_out(person));
	for (int i = 4; text_fields[i]; i++) /* nationalite .. commune */
		json_object_set_new(o, text_fields[i], nullable(person, text_fields[i]));
	json_object_set_new(o, "created_at", timestamp(person, "created_at"));
	json_object_set_new(o, "updated_at", timestamp(person, "updated_at"));
	return o;
}

static const char *api_field(const char *form_field)
{
	static const char *const map[][2] = {
	    {"prenom1", "prenoms[0]"},
	    {"prenom2", "prenoms[1]"},
	    {"prenom3", "prenoms[2]"},
	    {"lieu_type", "lieu_naissance.type"},
	    {"commune_naissance", "lieu_naissance.code"},
	    {"pays_naissance", "lieu_naissance.code"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], form_field) == 0)
			return map[i][1];
	return form_field;
}

json_t *person_json_errors(json_t *form_errors)
{
	json_t *out = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(form_errors, key, v)
	{
		if (!json_object_get(out, api_field(key)))
			json_object_set(out, api_field(key), v);
	}
	return out;
}
