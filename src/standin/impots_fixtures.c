#include "standin/impots_fixtures.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "standin/folder_scan.h"

#define IMF_FILE_MAX   (1024 * 1024)
#define IMF_MAX_YEARS  32
#define TAXATION_MONTH 7
#define TAXATION_DAY   22

/* ---- messages ---------------------------------------------------------- */

static const struct {
	int code;
	const char *message;
} messages[] = {
    {4001, "format SPI incorrect"},
    {4002, "format année incorrect"},
    {4031, "L'utilisateur n'a pas accès à la ressource"},
    {IMF_CODE_NO_DATA, "La requête avec le SPI et l'année ne renvoie aucun résultat"},
    {IMF_CODE_UNKNOWN_SPI, "Le SPI envoyé ne correspond à aucun usager"},
};

const char *imf_message(int code)
{
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (messages[i].code == code)
			return messages[i].message;
	return "";
}

/* ---- one file ---------------------------------------------------------- */

static int fail(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return CAS_EINVAL;
}

static int all_digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

int imf_year_of(const char *key, int this_year)
{
	if (all_digits(key, 4))
		return (int)strtol(key, NULL, 10);
	if (strcmp(key, "N") == 0)
		return this_year;
	if (key[0] == 'N' && key[1] == '-' && isdigit((unsigned char)key[2]) && !key[3])
		return this_year - (key[2] - '0');
	return -1;
}

int imf_taxed(int year, int y, int m, int d)
{
	if (y != year + 1)
		return y > year + 1;
	return m > TAXATION_MONTH || (m == TAXATION_MONTH && d >= TAXATION_DAY);
}

static void entry_clear(struct imf_entry *e)
{
	free(e->message);
	json_decref(e->situation);
	memset(e, 0, sizeof(*e));
}

void imf_clear(struct imf_household *h)
{
	if (h->has_reponse)
		entry_clear(&h->reponse);
	for (int i = 0; i < h->nyears; i++)
		entry_clear(&h->years[i]);
	free(h->years);
	memset(h, 0, sizeof(*h));
}

static int read_error(const json_t *v, const char *where, struct imf_entry *e, char *err,
                      size_t errsz)
{
	if (!v)
		return 0;
	json_t *code = json_object_get(v, "code"), *msg = json_object_get(v, "message");
	if (!json_is_object(v) || (code && !json_is_integer(code)) || (msg && !json_is_string(msg)))
		return fail(err, errsz,
		            "%s.erreur : {\"code\": nombre, \"message\": texte} attendu", where);
	e->code = code ? (int)json_integer_value(code) : 0;
	e->message = msg ? xstrdup(json_string_value(msg)) : NULL;
	return 0;
}

/* One answer: {"situation": {...}} or {"statut": S[, "erreur": {...}]}. */
static int read_entry(const json_t *v, const char *where, int allow_data, struct imf_entry *e,
                      char *err, size_t errsz)
{
	json_t *sit = json_object_get(v, "situation"), *st = json_object_get(v, "statut");
	if (!json_is_object(v))
		return fail(err, errsz, "%s : un objet est attendu", where);
	e->status = st ? (int)json_integer_value(st) : 200;
	if ((st && !json_is_integer(st)) || e->status < 200 || e->status > 599)
		return fail(err, errsz, "%s.statut : un code HTTP (200 à 599) est attendu", where);
	if (e->status == 200 && (!allow_data || !json_is_object(sit)))
		return fail(err, errsz,
		            allow_data
		                ? "%s : « situation » (un objet) est attendu avec le statut 200"
		                : "%s : un statut d'erreur est attendu",
		            where);
	if (e->status != 200 && sit)
		return fail(err, errsz, "%s : « situation » ne va qu'avec le statut 200", where);
	if (sit)
		e->situation = json_deep_copy(sit);
	return read_error(json_object_get(v, "erreur"), where, e, err, errsz);
}

static int read_spis(const json_t *list, struct imf_household *h, char *err, size_t errsz)
{
	size_t i;
	json_t *v;
	if (!json_is_array(list) || json_array_size(list) == 0 ||
	    json_array_size(list) > IMF_MAX_SPI)
		return fail(err, errsz,
		            "« spi » : une liste de 1 à %d numéros fiscaux est attendue",
		            IMF_MAX_SPI);
	json_array_foreach(list, i, v)
	{
		const char *s = json_string_value(v);
		if (!s || !all_digits(s, IMF_SPI_LEN))
			return fail(err, errsz, "« spi » : %s n'a pas 13 chiffres",
			            s ? s : "une valeur");
		memcpy(h->spi[h->nspi++], s, IMF_SPI_LEN + 1);
	}
	return 0;
}

static int read_years(const json_t *years, struct imf_household *h, char *err, size_t errsz)
{
	const char *key;
	json_t *v;
	if (!years)
		return 0;
	if (!json_is_object(years) || json_object_size(years) > IMF_MAX_YEARS)
		return fail(err, errsz, "« annees » : un objet (année → réponse) est attendu");
	h->years = xcalloc(json_object_size(years) + 1, sizeof(*h->years));
	json_object_foreach((json_t *)years, key, v)
	{
		char where[64];
		struct imf_entry *e = &h->years[h->nyears];
		if (imf_year_of(key, 2000) < 0 || strlen(key) >= sizeof(e->key))
			return fail(err, errsz,
			            "« annees » : « %.20s » n'est ni une année (2024) ni N-1 à N-9",
			            key);
		snprintf(e->key, sizeof(e->key), "%s", key);
		snprintf(where, sizeof(where), "annees.%s", key);
		h->nyears++;
		if (read_entry(v, where, 1, e, err, errsz) != 0)
			return CAS_EINVAL;
	}
	return 0;
}

static int read_household(const json_t *root, struct imf_household *h, char *err, size_t errsz)
{
	if (!json_is_object(root))
		return fail(err, errsz, "le fichier doit contenir un objet (spi, annees)");
	if (read_spis(json_object_get(root, "spi"), h, err, errsz) != 0 ||
	    read_years(json_object_get(root, "annees"), h, err, errsz) != 0)
		return CAS_EINVAL;
	json_t *rep = json_object_get(root, "reponse");
	if (rep) {
		h->has_reponse = 1;
		if (read_entry(rep, "reponse", 0, &h->reponse, err, errsz) != 0)
			return CAS_EINVAL;
	}
	if (!rep && h->nyears == 0)
		return fail(err, errsz, "« annees » ou « reponse » est attendu");
	return 0;
}

int imf_parse(const char *text, size_t len, const char *file, struct imf_household *out, char *err,
              size_t errsz)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->file, sizeof(out->file), "%s", file ? file : "");
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return fail(err, errsz, "JSON invalide (ligne %d : %s)", je.line, je.text);
	int rc = read_household(root, out, err, errsz);
	json_decref(root);
	if (rc != 0)
		imf_clear(out);
	return rc;
}

/* ---- answers ----------------------------------------------------------- */

static void set_error(struct imf_answer *a, int status, int code, const char *message)
{
	a->status = status;
	a->code = code;
	snprintf(a->message, sizeof(a->message), "%s",
	         message ? message
	         : code  ? imf_message(code)
	                 : "");
}

static void from_entry(const struct imf_entry *e, int year, struct imf_answer *a)
{
	a->year = year;
	if (e->status == 200) {
		a->status = 200;
		a->situation = json_deep_copy(e->situation);
		return;
	}
	set_error(a, e->status, e->code, e->message);
}

/* The entry of income year `year`: an absolute key first, then a relative
 * one. NULL when none. */
static const struct imf_entry *entry_of(const struct imf_household *h, int year, int this_year)
{
	const struct imf_entry *rel = NULL;
	for (int i = 0; i < h->nyears; i++) {
		if (imf_year_of(h->years[i].key, this_year) != year)
			continue;
		if (h->years[i].key[0] != 'N')
			return &h->years[i];
		rel = rel ? rel : &h->years[i];
	}
	return rel;
}

static void one_year(const struct imf_household *h, int year, int y, int m, int d,
                     struct imf_answer *a)
{
	const struct imf_entry *e = imf_taxed(year, y, m, d) ? entry_of(h, year, y) : NULL;
	a->year = year;
	if (e)
		from_entry(e, year, a);
	else
		set_error(a, 410, IMF_CODE_NO_DATA, NULL);
}

void imf_answer(const struct imf_household *h, enum imf_route route, int year, int y, int m, int d,
                struct imf_answer *out)
{
	memset(out, 0, sizeof(*out));
	out->year = route == IMF_DEUXANS ? 0 : year;
	if (!h) {
		set_error(out, 410, IMF_CODE_UNKNOWN_SPI, NULL);
		return;
	}
	snprintf(out->file, sizeof(out->file), "%s", h->file);
	if (h->has_reponse) {
		set_error(out, h->reponse.status, h->reponse.code, h->reponse.message);
		return;
	}
	if (route != IMF_DEUXANS) {
		one_year(h, year, y, m, d, out);
		return;
	}
	/* the last taxed year of N-1 and N-2, falling back to N-2 */
	int first = imf_taxed(y - 1, y, m, d) ? y - 1 : y - 2;
	for (int yr = first; yr >= y - 2; yr--) {
		imf_answer_clear(out);
		snprintf(out->file, sizeof(out->file), "%s", h->file);
		one_year(h, yr, y, m, d, out);
		if (out->status == 200)
			return;
	}
	imf_answer_clear(out);
	snprintf(out->file, sizeof(out->file), "%s", h->file);
	one_year(h, first, y, m, d, out);
}

void imf_answer_clear(struct imf_answer *a)
{
	json_decref(a->situation);
	memset(a, 0, sizeof(*a));
}

/* ---- the folder -------------------------------------------------------- */

struct imf_folder {
	struct fscan scan;
	struct imf_household *items;
	int n;
};

static int parse_household(void *arg, const char *text, size_t len, const char *name, char *err,
                           size_t errsz)
{
	return imf_parse(text, len, name, arg, err, errsz);
}

static int load_one(const char *dir, const char *name, struct imf_household *h)
{
	return fscan_load(dir, name, IMF_FILE_MAX, parse_household, h);
}

static void drop_all(struct imf_folder *f)
{
	for (int i = 0; i < f->n; i++)
		imf_clear(&f->items[i]);
	free(f->items);
	f->items = NULL;
	f->n = 0;
}

static const struct imf_household *find_spi(const struct imf_folder *f, const char *spi, int before)
{
	for (int i = 0; i < before; i++)
		for (int j = 0; j < f->items[i].nspi; j++)
			if (strcmp(f->items[i].spi[j], spi) == 0)
				return &f->items[i];
	return NULL;
}

/* Reports a SPI that an earlier file already lists. */
static void warn_shadowed(const struct imf_folder *f, int i)
{
	for (int j = 0; j < f->items[i].nspi; j++) {
		const struct imf_household *first = find_spi(f, f->items[i].spi[j], i);
		if (first)
			log_event(LOG_WARN, "fixture shadowed",
			          json_pack("{s:s, s:s, s:s}", "dir", f->scan.dir, "file",
			                    f->items[i].file, "answered_by", first->file));
	}
}

static void load_all(void *folder, char **names, int n)
{
	struct imf_folder *f = folder;
	drop_all(f);
	f->items = xcalloc((size_t)(n ? n : 1), sizeof(*f->items));
	for (int i = 0; i < n; i++) {
		if (load_one(f->scan.dir, names[i], &f->items[f->n]) != 0)
			continue;
		warn_shadowed(f, f->n);
		f->n++;
	}
	log_event(LOG_INFO, "fixtures loaded",
	          json_pack("{s:s, s:i, s:i}", "dir", f->scan.dir, "files", n, "cases", f->n));
}

struct imf_folder *imf_folder_open(const char *dir)
{
	struct imf_folder *f = xcalloc(1, sizeof(*f));
	static const char *const exts[] = {".json", NULL};
	fscan_init(&f->scan, dir, exts, load_all, f);
	return f;
}

void imf_folder_close(struct imf_folder *f)
{
	if (!f)
		return;
	drop_all(f);
	fscan_destroy(&f->scan);
	free(f);
}

int imf_folder_count(struct imf_folder *f)
{
	fscan_lock(&f->scan);
	int n = f->n;
	fscan_unlock(&f->scan);
	return n;
}

void imf_folder_answer(struct imf_folder *f, const char *spi, enum imf_route route, int year, int y,
                       int m, int d, struct imf_answer *out)
{
	fscan_lock(&f->scan);
	imf_answer(find_spi(f, spi, f->n), route, year, y, m, d, out);
	fscan_unlock(&f->scan);
}
