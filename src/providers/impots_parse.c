/* Reading of an API Impôt particulier answer (assiette resources) into the
 * normalised data of impots.h. The DGFiP returns only the keys of the
 * habilitation: an absent or null key is "not granted" and stays absent.
 * Amounts may be negative or sent as strings; nbPart is a decimal kept as
 * an exact string (parts are quarters). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "providers/impots.h"

#define AMOUNT_MAX 1000000000000000LL /* 10^15: far above any income or tax */

/* Values read from the body: OK, absent (or null, or empty), or wrong. */
enum { V_ABSENT = 0, V_OK = 1, V_BAD = -1 };

const char *ip_sitfam_label(const char *code)
{
	static const char *const labels[][2] = {
	    {"M", "marié(e)"},      {"O", "pacsé(e)"},
	    {"C", "célibataire"},   {"D", "divorcé(e) ou séparé(e)"},
	    {"V", "veuf ou veuve"},
	};
	if (!code)
		return NULL;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(code, labels[i][0]) == 0)
			return labels[i][1];
	return NULL;
}

/* Digits with optional sign and blanks ("-      9800", " 48583 "). */
static int integer_text(const char *s, long long *out)
{
	int neg = 0, digits = 0;
	long long v = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			continue;
		if (!isdigit((unsigned char)*s) || v > AMOUNT_MAX)
			return V_BAD;
		v = v * 10 + (*s - '0');
		digits++;
	}
	if (!digits)
		return V_ABSENT;
	*out = neg ? -v : v;
	return V_OK;
}

/* An integer sent as a number, an integral real or a string. */
static int read_integer(const json_t *v, long long *out)
{
	if (!v || json_is_null(v))
		return V_ABSENT;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
	} else if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!isfinite(d) || d > (double)AMOUNT_MAX || d < -(double)AMOUNT_MAX ||
		    d != (double)(long long)d)
			return V_BAD;
		*out = (long long)d;
	} else if (json_is_string(v)) {
		int rc = integer_text(json_string_value(v), out);
		if (rc != V_OK)
			return rc;
	} else {
		return V_BAD;
	}
	return *out > AMOUNT_MAX || *out < -AMOUNT_MAX ? V_BAD : V_OK;
}

static int put_integer(json_t *o, const char *name, const json_t *v)
{
	long long n = 0;
	int rc = read_integer(v, &n);
	if (rc == V_OK)
		json_object_set_new(o, name, json_integer((json_int_t)n));
	return rc;
}

/* Hundredths of a part from "2.5", "2,75", "6.75" or "2"; V_BAD beyond two
 * decimals. */
static int parts_text(const char *s, long long *hundredths)
{
	long long whole = 0, frac = 0;
	int digits = 0, decimals = 0, in_frac = 0;
	while (isspace((unsigned char)*s))
		s++;
	for (; *s && !isspace((unsigned char)*s); s++) {
		if ((*s == '.' || *s == ',') && !in_frac) {
			in_frac = 1;
		} else if (!isdigit((unsigned char)*s) || digits > 6) {
			return V_BAD;
		} else if (in_frac) {
			if (++decimals > 2 && *s != '0')
				return V_BAD;
			if (decimals <= 2)
				frac = frac * 10 + (*s - '0');
		} else {
			whole = whole * 10 + (*s - '0');
			digits++;
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s || (!digits && !decimals))
		return *s ? V_BAD : V_ABSENT;
	*hundredths = whole * 100 + (decimals == 1 ? frac * 10 : frac);
	return V_OK;
}

static int read_parts(const json_t *v, long long *hundredths)
{
	if (!v || json_is_null(v))
		return V_ABSENT;
	if (json_is_number(v)) {
		double d = json_number_value(v);
		if (!isfinite(d) || d < 0 || d >= 10000)
			return V_BAD;
		*hundredths = (long long)(d * 100.0 + 0.5);
		return V_OK;
	}
	if (json_is_string(v))
		return parts_text(json_string_value(v), hundredths);
	return V_BAD;
}

static int put_parts(json_t *o, const json_t *v)
{
	long long h = 0;
	int rc = read_parts(v, &h);
	if (rc != V_OK)
		return rc;
	char text[32];
	if (h % 100 == 0)
		snprintf(text, sizeof(text), "%lld", h / 100);
	else if (h % 10 == 0)
		snprintf(text, sizeof(text), "%lld.%lld", h / 100, (h % 100) / 10);
	else
		snprintf(text, sizeof(text), "%lld.%02lld", h / 100, h % 100);
	json_object_set_new(o, "nombre_parts", json_string(text));
	return V_OK;
}

/* A trimmed copy of a string value; V_ABSENT for null or blank. */
static int read_text(const json_t *v, char **out)
{
	if (!v || json_is_null(v))
		return V_ABSENT;
	if (!json_is_string(v))
		return V_BAD;
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || memchr(s, '\0', n))
		return V_ABSENT;
	*out = xstrndup(s, n);
	return V_OK;
}

static int put_text(json_t *o, const char *name, const json_t *v)
{
	char *s = NULL;
	int rc = read_text(v, &s);
	if (rc == V_OK)
		json_object_set_new(o, name, json_string(s));
	free(s);
	return rc;
}

/* ---- dates ---- */

/* A date part given as a string or a number; 0 when absent, -1 wrong. */
static int date_part(const json_t *v, int max)
{
	long long n = 0;
	int rc = read_integer(v, &n);
	if (rc == V_ABSENT)
		return 0;
	if (rc == V_BAD || n < 0 || n > max)
		return -1;
	return (int)n;
}

static int valid_ymd(int y, int m, int d)
{
	return y >= 1800 && y <= 2999 && m >= 0 && m <= 12 && d >= 0 && d <= 31 &&
	       !(m == 0 && d > 0);
}

static json_t *format_date(int y, int m, int d)
{
	char s[16];
	if (!valid_ymd(y, m, d))
		return NULL;
	if (m == 0)
		snprintf(s, sizeof(s), "%04d", y);
	else if (d == 0)
		snprintf(s, sizeof(s), "%04d-%02d", y, m);
	else
		snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
	return json_string(s);
}

static int digits_at(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* "YYYY-MM-DD" (time ignored), "DD/MM/YYYY" or "YYYYMMDD"; NULL otherwise. */
static json_t *date_text(const char *s)
{
	int y, m, d;
	size_t n = strlen(s);
	if (n >= 10 && s[4] == '-' && s[7] == '-' && digits_at(s, 4, &y) &&
	    digits_at(s + 5, 2, &m) && digits_at(s + 8, 2, &d) && (n == 10 || s[10] == 'T'))
		return format_date(y, m, d);
	if (n == 10 && s[2] == '/' && s[5] == '/' && digits_at(s, 2, &d) &&
	    digits_at(s + 3, 2, &m) && digits_at(s + 6, 4, &y))
		return format_date(y, m, d);
	if (n == 8 && digits_at(s, 4, &y) && digits_at(s + 4, 2, &m) && digits_at(s + 6, 2, &d))
		return format_date(y, m, d);
	return NULL;
}

/* {jour, mois, annee} (strings or numbers, null parts = unknown) or a date
 * string; a wrong type is V_BAD, an unreadable value is simply absent. */
static int put_date(json_t *o, const char *name, const json_t *v)
{
	json_t *date = NULL;
	if (!v || json_is_null(v))
		return V_ABSENT;
	if (json_is_string(v)) {
		date = date_text(json_string_value(v));
	} else if (json_is_object(v)) {
		int y = date_part(json_object_get(v, "annee"), 9999);
		int m = date_part(json_object_get(v, "mois"), 99);
		int d = date_part(json_object_get(v, "jour"), 99);
		if (y < 0 || m < 0 || d < 0)
			return V_BAD;
		date = y ? format_date(y, m, d) : NULL;
	} else {
		return V_BAD;
	}
	if (!date)
		return V_ABSENT;
	json_object_set_new(o, name, date);
	return V_OK;
}

/* ---- composite keys ---- */

static int put_sitfam(json_t *o, const json_t *v)
{
	char *s = NULL;
	int rc = read_text(v, &s);
	if (rc != V_OK)
		return rc;
	for (char *p = s; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	const char *label = ip_sitfam_label(s);
	json_object_set_new(o, "situation_famille",
	                    json_pack("{s:s, s:o}", "code", s, "libelle",
	                              label ? json_string(label) : json_null()));
	free(s);
	return V_OK;
}

static int put_pac(json_t *o, const json_t *pac)
{
	static const char letters[] = "FGHIJNPR";
	if (!pac || json_is_null(pac))
		return V_ABSENT;
	if (!json_is_object(pac))
		return V_BAD;
	json_t *out = json_object(), *detail = json_object();
	int rc = put_integer(out, "nombre", json_object_get(pac, "nbPac"));
	for (const char *l = letters; *l && rc != V_BAD; l++) {
		char key[8] = {'n', 'b', 'P', 'a', 'c', *l, '\0'}, name[2] = {*l, '\0'};
		if (put_integer(detail, name, json_object_get(pac, key)) == V_BAD)
			rc = V_BAD;
	}
	if (json_object_size(detail))
		json_object_set(out, "detail", detail);
	json_decref(detail);
	if (rc != V_BAD && json_object_size(out))
		json_object_set(o, "personnes_a_charge", out);
	json_decref(out);
	return rc == V_BAD ? V_BAD : V_OK;
}

/* "94300 VINCENNES" into code_postal and commune. */
static void split_postal(json_t *addr, const char *s)
{
	int cp = 0;
	if (strlen(s) >= 5 && digits_at(s, 5, &cp) && (s[5] == '\0' || s[5] == ' ')) {
		json_object_set_new(addr, "code_postal", json_stringn(s, 5));
		const char *town = s + 5;
		while (*town == ' ')
			town++;
		if (*town)
			json_object_set_new(addr, "commune", json_string(town));
		return;
	}
	json_object_set_new(addr, "commune", json_string(s));
}

static const json_t *either(const json_t *o, const char *a, const char *b)
{
	const json_t *v = json_object_get(o, a);
	return v && !json_is_null(v) ? v : json_object_get(o, b);
}

static int put_aft_detail(json_t *addr, const json_t *d)
{
	char *cp = NULL;
	if (!d || json_is_null(d))
		return V_ABSENT;
	if (!json_is_object(d))
		return V_BAD;
	if (put_text(addr, "complement", json_object_get(d, "complementAdresse")) == V_BAD ||
	    put_text(addr, "voie", json_object_get(d, "voie")) == V_BAD ||
	    put_text(addr, "bureau_distributeur", either(d, "commune", "getcommune")) == V_BAD)
		return V_BAD;
	int rc = read_text(either(d, "codePostal", "getcodePostal"), &cp);
	if (rc == V_OK)
		split_postal(addr, cp);
	free(cp);
	return rc == V_BAD ? V_BAD : V_OK;
}

static int put_address(json_t *o, const json_t *root)
{
	json_t *addr = json_object();
	int rc = put_text(addr, "ligne", json_object_get(root, "aft"));
	if (rc != V_BAD && put_aft_detail(addr, json_object_get(root, "aftDetail")) == V_BAD)
		rc = V_BAD;
	if (rc != V_BAD && json_object_size(addr))
		json_object_set(o, "adresse", addr);
	json_decref(addr);
	return rc;
}

static int put_declarant(json_t *o, const json_t *root, int n)
{
	char k[4][16];
	snprintf(k[0], sizeof(k[0]), "nmNaiDec%d", n);
	snprintf(k[1], sizeof(k[1]), "nmUsaDec%d", n);
	snprintf(k[2], sizeof(k[2]), "prnmDec%d", n);
	snprintf(k[3], sizeof(k[3]), "dateNaisDec%d", n);
	json_t *d = json_object();
	int bad = put_text(d, "nom_naissance", json_object_get(root, k[0])) == V_BAD;
	bad |= put_text(d, "nom_usage", json_object_get(root, k[1])) == V_BAD;
	bad |= put_text(d, "prenoms", json_object_get(root, k[2])) == V_BAD;
	bad |= put_date(d, "date_naissance", json_object_get(root, k[3])) == V_BAD;
	if (!bad && json_object_size(d))
		json_object_set(o, n == 1 ? "declarant1" : "declarant2", d);
	json_decref(d);
	return bad ? V_BAD : V_OK;
}

static int put_amounts(json_t *o, const json_t *root)
{
	static const char *const map[][2] = {
	    {"rfr", "rfr"},
	    {"montTotIr", "montant_impot"},
	    {"impAvImput", "impot_avant_corrections"},
	    {"mntRevbareme", "impot_bareme"},
	    {"revImposable", "revenu_imposable"},
	    {"revenuBrutGlobal", "revenu_brut_global"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (put_integer(o, map[i][1], json_object_get(root, map[i][0])) == V_BAD)
			return V_BAD;
	return V_OK;
}

static int put_year(json_t *o, const json_t *root, int year_asked)
{
	long long y = 0;
	int rc = read_integer(json_object_get(root, "annRevenu"), &y);
	if (rc == V_BAD || (rc == V_OK && (y < 1900 || y > 2999)))
		return V_BAD;
	if (rc == V_ABSENT)
		y = year_asked;
	if (y > 0)
		json_object_set_new(o, "annee_revenus", json_integer((json_int_t)y));
	return V_OK;
}

static int read_all(json_t *o, const json_t *root, int year_asked)
{
	if (put_year(o, root, year_asked) == V_BAD || put_amounts(o, root) == V_BAD ||
	    put_parts(o, json_object_get(root, "nbPart")) == V_BAD ||
	    put_sitfam(o, json_object_get(root, "sitFam")) == V_BAD ||
	    put_pac(o, json_object_get(root, "pac")) == V_BAD ||
	    put_text(o, "parent_isole", json_object_get(root, "sitParIso")) == V_BAD ||
	    put_address(o, root) == V_BAD || put_declarant(o, root, 1) == V_BAD ||
	    put_declarant(o, root, 2) == V_BAD)
		return V_BAD;
	if (put_date(o, "date_recouvrement", json_object_get(root, "datRec")) == V_BAD ||
	    put_date(o, "date_etablissement", json_object_get(root, "datEtab")) == V_BAD)
		return V_BAD;
	return V_OK;
}

json_t *ip_parse_situation(const char *body, size_t len, int year_asked)
{
	if (!body)
		return NULL;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(root) || json_object_get(root, "erreur")) {
		json_decref(root);
		return NULL;
	}
	json_t *o = json_object();
	if (read_all(o, root, year_asked) != V_OK) {
		json_decref(o);
		o = NULL;
	}
	json_decref(root);
	return o;
}
