/* Tolerant reading of a quotient familial answer (API Particulier v3):
 * unknown keys are ignored, dates with 00 parts become partial dates,
 * numbers may come as strings, provider names are normalised. A value of
 * a type that cannot mean anything (an object where a name is expected...)
 * makes the whole answer unusable: better no data than wrong data. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "providers/particulier.h"

#define PA_MAX_PEOPLE 64

static const char *const address_keys[] = {
    "destinataire",
    "complement_information",
    "complement_information_geographique",
    "numero_libelle_voie",
    "lieu_dit",
    "code_postal_ville",
    "pays",
};

/* Reads n digits at s; -1 when one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* The partial date "YYYY", "YYYY-MM" or "YYYY-MM-DD" of year, month, day
 * (0 = unknown part; a part after an unknown one is dropped). */
static json_t *partial_date(int y, int m, int d)
{
	char out[16];
	if (y <= 0 || y > 9999)
		return json_null();
	if (m < 1 || m > 12)
		snprintf(out, sizeof(out), "%04d", y);
	else if (d < 1 || d > 31)
		snprintf(out, sizeof(out), "%04d-%02d", y, m);
	else
		snprintf(out, sizeof(out), "%04d-%02d-%02d", y, m, d);
	return json_string(out);
}

json_t *pa_parse_date(const char *s)
{
	if (!s)
		return json_null();
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	int y = -1, m = 0, d = 0;
	if (n >= 4 && (n == 4 || s[4] == '-')) { /* YYYY[-MM[-DD]] */
		y = digits(s, 4);
		if (n == 7 || n == 10)
			m = digits(s + 5, 2);
		if (n == 10 && s[7] == '-')
			d = digits(s + 8, 2);
		if ((n != 4 && n != 7 && n != 10) || (n == 10 && s[7] != '-'))
			y = -1;
	} else if (n == 10 && s[2] == '/' && s[5] == '/') { /* JJ/MM/AAAA */
		d = digits(s, 2);
		m = digits(s + 3, 2);
		y = digits(s + 6, 4);
	}
	if (m < 0 || d < 0)
		return json_null();
	return partial_date(y, m, d);
}

/* An integer from an integer, an integral real or a string of digits
 * (surrounding spaces allowed). 0 and *out, or -1. */
static int lenient_int(const json_t *v, json_int_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d != d || d < -1e15 || d > 1e15 || d != (double)(json_int_t)d)
			return -1;
		*out = (json_int_t)d;
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	const char *s = json_string_value(v);
	while (isspace((unsigned char)*s))
		s++;
	int neg = *s == '-';
	s += neg;
	if (!isdigit((unsigned char)*s))
		return -1;
	json_int_t x = 0;
	while (isdigit((unsigned char)*s)) {
		if (x > (INT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (*s++ - '0');
	}
	if (*s == '.') /* "150.0" */
		for (s++; *s == '0'; s++)
			;
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return -1;
	*out = neg ? -x : x;
	return 0;
}

/* Copies key of src into dst as a lenient integer: absent stays absent,
 * null stays null. -1 for a value that is not a number. */
static int copy_int(json_t *dst, const json_t *src, const char *key)
{
	json_t *v = json_object_get(src, key);
	json_int_t x;
	if (!v)
		return 0;
	if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return json_object_set_new(dst, key, json_null()) == 0 ? 0 : -1;
	if (lenient_int(v, &x) != 0)
		return -1;
	return json_object_set_new(dst, key, json_integer(x)) == 0 ? 0 : -1;
}

/* Copies key as a string (numbers become text); absent stays absent. */
static int copy_str(json_t *dst, const json_t *src, const char *key)
{
	json_t *v = json_object_get(src, key);
	char num[32];
	if (!v)
		return 0;
	if (json_is_null(v) || json_is_string(v))
		return json_object_set(dst, key, v) == 0 ? 0 : -1;
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return json_object_set_new(dst, key, json_string(num)) == 0 ? 0 : -1;
	}
	return -1;
}

/* "CAF", "cnaf ", "CNAF" → "CNAF"; "msa" → "MSA"; others as received. */
static json_t *provider_name(const json_t *v)
{
	if (json_is_null(v))
		return json_null();
	if (!json_is_string(v))
		return NULL;
	const char *s = json_string_value(v);
	char up[16];
	size_t n = 0;
	for (; *s && n < sizeof(up) - 1; s++)
		if (!isspace((unsigned char)*s))
			up[n++] = (char)toupper((unsigned char)*s);
	up[n] = '\0';
	if (strcmp(up, "CAF") == 0 || strcmp(up, "CNAF") == 0)
		return json_string("CNAF");
	if (strcmp(up, "MSA") == 0)
		return json_string("MSA");
	return json_incref((json_t *)v);
}

static json_t *parse_qf(const json_t *src)
{
	static const char *const ints[] = {"valeur", "annee", "mois", "annee_calcul",
	                                   "mois_calcul"};
	if (!json_is_object(src))
		return NULL;
	json_t *qf = json_object();
	json_t *f = json_object_get(src, "fournisseur");
	if (!f)
		f = json_object_get(src, "regime"); /* v2 name */
	if (f) {
		json_t *p = provider_name(f);
		if (!p || json_object_set_new(qf, "fournisseur", p) != 0)
			goto bad;
	}
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (copy_int(qf, src, ints[i]) != 0)
			goto bad;
	return qf;
bad:
	json_decref(qf);
	return NULL;
}

/* The date of birth of a person: date_naissance, else the separate
 * annee/mois/jour_date_de_naissance parts some answers carry. */
static json_t *person_date(const json_t *p)
{
	json_t *v = json_object_get(p, "date_naissance");
	if (json_is_string(v))
		return pa_parse_date(json_string_value(v));
	if (v && !json_is_null(v))
		return NULL;
	json_int_t y = 0, m = 0, d = 0;
	json_t *py = json_object_get(p, "annee_date_de_naissance");
	if (!py || lenient_int(py, &y) != 0)
		return json_null();
	if (lenient_int(json_object_get(p, "mois_date_de_naissance"), &m) != 0)
		m = 0;
	if (lenient_int(json_object_get(p, "jour_date_de_naissance"), &d) != 0)
		d = 0;
	if (y > 9999 || m < 0 || m > 12 || d < 0 || d > 31)
		return json_null();
	return partial_date((int)y, (int)m, m ? (int)d : 0);
}

/* The first names as one space-separated string (an array is joined). */
static json_t *person_names(const json_t *v)
{
	if (!v || json_is_null(v) || json_is_string(v))
		return v ? json_incref((json_t *)v) : NULL;
	if (!json_is_array(v))
		return NULL;
	char out[512];
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < json_array_size(v); i++) {
		const char *s = json_string_value(json_array_get(v, i));
		if (!s)
			return NULL;
		int w = snprintf(out + n, sizeof(out) - n, "%s%s", n ? " " : "", s);
		if (w < 0 || (size_t)w >= sizeof(out) - n)
			return NULL;
		n += (size_t)w;
	}
	return json_string(out);
}

static int set_opt(json_t *dst, const char *key, json_t *v, int present)
{
	if (!present) {
		json_decref(v);
		return 0;
	}
	return v && json_object_set_new(dst, key, v) == 0 ? 0 : -1;
}

static json_t *parse_person(const json_t *src)
{
	if (!json_is_object(src))
		return NULL;
	json_t *p = json_object();
	json_t *sexe = json_object_get(src, "sexe");
	int has_date = json_object_get(src, "date_naissance") ||
	               json_object_get(src, "annee_date_de_naissance");
	if (copy_str(p, src, "nom_naissance") || copy_str(p, src, "nom_usage") ||
	    set_opt(p, "prenoms", person_names(json_object_get(src, "prenoms")),
	            json_object_get(src, "prenoms") != NULL) ||
	    set_opt(p, "date_naissance", person_date(src), has_date) ||
	    (sexe && !json_is_null(sexe) && !json_is_string(sexe)))
		goto bad;
	if (sexe) {
		const char *s = json_string_value(sexe);
		char up[2] = {s ? (char)toupper((unsigned char)s[0]) : 0, 0};
		int known = s && (up[0] == 'F' || up[0] == 'M') && s[1] == '\0';
		json_object_set_new(p, "sexe", known ? json_string(up) : json_null());
	}
	return p;
bad:
	json_decref(p);
	return NULL;
}

static json_t *parse_people(const json_t *src)
{
	if (!json_is_array(src) || json_array_size(src) > PA_MAX_PEOPLE)
		return NULL;
	json_t *out = json_array();
	for (size_t i = 0; i < json_array_size(src); i++) {
		json_t *p = parse_person(json_array_get(src, i));
		if (!p) {
			json_decref(out);
			return NULL;
		}
		json_array_append_new(out, p);
	}
	return out;
}

static json_t *parse_address(const json_t *src)
{
	if (!json_is_object(src))
		return NULL;
	json_t *a = json_object();
	for (size_t i = 0; i < sizeof(address_keys) / sizeof(address_keys[0]); i++)
		if (copy_str(a, src, address_keys[i]) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Adds key of data, parsed by fn, to out. Absent or null: nothing. */
static int add_part(json_t *out, const json_t *data, const char *key, json_t *(*fn)(const json_t *))
{
	json_t *v = json_object_get(data, key);
	if (!v || json_is_null(v))
		return 0;
	json_t *parsed = fn(v);
	if (!parsed)
		return -1;
	return json_object_set_new(out, key, parsed) == 0 ? 0 : -1;
}

json_t *pa_parse_qf(const char *body, size_t len)
{
	if (!body)
		return NULL;
	json_t *root = json_loadb(body, len, 0, NULL);
	json_t *data = json_object_get(root, "data");
	json_t *out = NULL;
	if (!json_is_object(data))
		goto done;
	out = json_object();
	if (add_part(out, data, "quotient_familial", parse_qf) ||
	    add_part(out, data, "allocataires", parse_people) ||
	    add_part(out, data, "enfants", parse_people) ||
	    add_part(out, data, "adresse", parse_address)) {
		json_decref(out);
		out = NULL;
	}
done:
	json_decref(root);
	return out;
}
