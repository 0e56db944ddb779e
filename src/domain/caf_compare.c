#include "domain/caf_compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/fold.h"
#include "domain/pdate.h"

#define NAME_MAX_BYTES 512
#define ADDR_MAX_BYTES 2048

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* --- names and dates --- */

static int is_letter(long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F);
}

/* Upper or lower case of a Latin letter (ASCII, Latin-1, œ). */
static long latin_case(long cp, int upper)
{
	if (upper && ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)))
		return cp - 0x20;
	if (!upper && ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)))
		return cp + 0x20;
	if (cp == 0x152 || cp == 0x153)
		return upper ? 0x152 : 0x153;
	return cp;
}

void caf_title_case(const char *in, char *out, size_t outsz)
{
	size_t i = 0, o = 0;
	int start = 1;
	long cp;
	if (!outsz)
		return;
	while ((cp = utf8_next(in, &i)) != 0) {
		if (cp < 0)
			continue;
		if (is_letter(cp)) {
			cp = latin_case(cp, start);
			start = 0;
		} else {
			start = cp == ' ' || cp == '-' || cp == '\'' || cp == 0x2019;
		}
		char enc[4];
		size_t n = utf8_encode(cp, enc);
		if (o + n + 1 > outsz)
			break;
		memcpy(out + o, enc, n);
		o += n;
	}
	out[o] = '\0';
}

static int read_date(const char *s, struct pdate *d)
{
	const char *why;
	return s && *s && pdate_parse(s, d, &why) == 0;
}

void caf_date_fr(const char *s, char out[16])
{
	struct pdate d;
	if (read_date(s, &d))
		pdate_fr(&d, out);
	else
		snprintf(out, 16, "inconnue");
}

/* The known parts of both dates are equal (an unreadable or absent date
 * agrees with anything). */
static int dates_agree(const char *a, const char *b)
{
	struct pdate x, y;
	if (!read_date(a, &x) || !read_date(b, &y))
		return 1;
	if (x.year != y.year)
		return 0;
	if (x.month && y.month && x.month != y.month)
		return 0;
	return !(x.day && y.day && x.day != y.day);
}

/* Folded first word of s into out. */
static void first_word(const char *s, char *out, size_t outsz)
{
	fold_text(s, out, outsz);
	out[strcspn(out, " ")] = '\0';
}

static int names_agree(const char *a, const char *b)
{
	char fa[NAME_MAX_BYTES], fb[NAME_MAX_BYTES];
	if (!*a || !*b)
		return 0;
	fold_text(a, fa, sizeof(fa));
	fold_text(b, fb, sizeof(fb));
	if (strcmp(fa, fb) == 0)
		return 1;
	phonetic_key(a, fa, sizeof(fa));
	phonetic_key(b, fb, sizeof(fb));
	return *fa && strcmp(fa, fb) == 0;
}

static int person_matches(const json_t *caf, const json_t *m)
{
	char pc[NAME_MAX_BYTES], pm[NAME_MAX_BYTES];
	first_word(str(caf, "prenoms"), pc, sizeof(pc));
	first_word(str(m, "prenom1"), pm, sizeof(pm));
	if (!*pc || strcmp(pc, pm) != 0)
		return 0;
	const char *cn[2] = {str(caf, "nom_naissance"), str(caf, "nom_usage")};
	const char *mn[2] = {str(m, "nom_naissance"), str(m, "nom_usage")};
	int named = 0;
	for (int i = 0; i < 2 && !named; i++)
		for (int j = 0; j < 2 && !named; j++)
			named = names_agree(cn[i], mn[j]);
	return named && dates_agree(json_string_value(json_object_get(caf, "date_naissance")),
	                            str(m, "date_naissance"));
}

/* --- persons for display --- */

static json_t *caf_person_row(const json_t *p)
{
	char label[3 * NAME_MAX_BYTES], born[16];
	const char *usage = str(p, "nom_usage");
	snprintf(label, sizeof(label), "%s%s%s%s %s", str(p, "nom_naissance"), *usage ? " (" : "",
	         usage, *usage ? ")" : "", str(p, "prenoms"));
	caf_date_fr(json_string_value(json_object_get(p, "date_naissance")), born);
	json_t *row = json_deep_copy(p);
	json_object_set_new(row, "libelle", json_string(label));
	json_object_set_new(row, "naissance_fr", json_string(born));
	return row;
}

static json_t *member_row(const json_t *m)
{
	char label[4 * NAME_MAX_BYTES], born[16];
	snprintf(label, sizeof(label), "%s %s%s%s%s%s", str(m, "nom_naissance"), str(m, "prenom1"),
	         *str(m, "prenom2") ? " " : "", str(m, "prenom2"), *str(m, "prenom3") ? " " : "",
	         str(m, "prenom3"));
	caf_date_fr(str(m, "date_naissance"), born);
	json_t *row = json_deep_copy(m);
	json_object_set_new(row, "libelle", json_string(label));
	json_object_set_new(row, "naissance_fr", json_string(born));
	return row;
}

/* --- matching --- */

/* Matches each CAF person of list to an unused member; used[] marks the
 * members taken. Returns the rows; *missing counts the unmatched. */
static json_t *match_list(const json_t *list, const json_t *members, char *used, const char *miss,
                          int *missing)
{
	json_t *rows = json_array();
	size_t i, j;
	const json_t *p, *m;
	json_array_foreach(list, i, p)
	{
		json_t *row = caf_person_row(p);
		json_t *pid = json_null(), *member = json_null();
		json_array_foreach(members, j, m)
		{
			if (!used[j] && person_matches(p, m)) {
				used[j] = 1;
				pid = json_deep_copy(json_object_get(m, "person_id"));
				member = member_row(m);
				break;
			}
		}
		int found = !json_is_null(pid);
		json_object_set_new(row, "person_id", pid);
		json_object_set_new(row, "membre", member);
		json_object_set_new(row, "index", json_integer((json_int_t)i));
		json_object_set_new(row, "statut", json_string(found ? "ok" : miss));
		*missing += !found;
		json_array_append_new(rows, row);
	}
	return rows;
}

/* Members not matched whose relation is one of rels (NULL-terminated). */
static json_t *unmatched(const json_t *members, const char *used, const char *const *rels)
{
	json_t *out = json_array();
	size_t j;
	const json_t *m;
	json_array_foreach(members, j, m)
	{
		if (used[j])
			continue;
		for (const char *const *r = rels; *r; r++)
			if (strcmp(str(m, "relation"), *r) == 0) {
				json_array_append_new(out, member_row(m));
				break;
			}
	}
	return out;
}

/* --- addresses --- */

static const char *const abbreviations[][2] = {
    {"av", "avenue"},       {"bd", "boulevard"},    {"bld", "boulevard"}, {"pl", "place"},
    {"che", "chemin"},      {"chem", "chemin"},     {"imp", "impasse"},   {"all", "allee"},
    {"rte", "route"},       {"sq", "square"},       {"crs", "cours"},     {"fg", "faubourg"},
    {"lot", "lotissement"}, {"res", "residence"},   {"st", "saint"},      {"ste", "sainte"},
    {"pass", "passage"},    {"qu", "quai"},         {"r", "rue"},         {"bat", "batiment"},
    {"apt", "appartement"}, {"app", "appartement"}, {"ham", "hameau"},    {"mte", "montee"},
};

/* Folded text with the La Poste abbreviations expanded, words separated by
 * one space. */
static void address_key(const char *s, char *out, size_t outsz)
{
	char folded[ADDR_MAX_BYTES];
	fold_text(s, folded, sizeof(folded));
	size_t o = 0;
	out[0] = '\0';
	for (char *w = folded; *w;) {
		size_t n = strcspn(w, " ");
		char save = w[n];
		w[n] = '\0';
		const char *word = w;
		for (size_t i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]); i++)
			if (strcmp(w, abbreviations[i][0]) == 0)
				word = abbreviations[i][1];
		int k = snprintf(out + o, outsz - o, "%s%s", o ? " " : "", word);
		if (k < 0 || (size_t)k >= outsz - o)
			break;
		o += (size_t)k;
		w += n + (save != '\0');
	}
}

/* word-bounded containment of needle in hay (both keys). */
static int contains_words(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		if ((p == hay || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

static void caf_address_text(const json_t *a, char *out, size_t outsz)
{
	static const char *const keys[] = {"destinataire",
	                                   "complement_information",
	                                   "complement_information_geographique",
	                                   "numero_libelle_voie",
	                                   "lieu_dit",
	                                   "code_postal_ville",
	                                   "pays"};
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = str(a, keys[i]);
		if (!*v)
			continue;
		int k = snprintf(out + o, outsz - o, "%s%s", o ? "\n" : "", v);
		if (k < 0 || (size_t)k >= outsz - o)
			break;
		o += (size_t)k;
	}
}

static int same_address(const json_t *caf, const json_t *decl)
{
	char cp[8] = "", street[ADDR_MAX_BYTES], hay[ADDR_MAX_BYTES], town[ADDR_MAX_BYTES];
	const char *cpv = str(caf, "code_postal_ville");
	snprintf(cp, sizeof(cp), "%.5s", cpv);
	if (strlen(cp) != 5 || strcmp(cp, str(decl, "code_postal")) != 0)
		return 0;
	address_key(str(caf, "numero_libelle_voie"), street, sizeof(street));
	if (*street) {
		address_key(str(decl, "adresse"), hay, sizeof(hay));
		return contains_words(hay, street);
	}
	address_key(cpv + 5, town, sizeof(town));
	address_key(str(decl, "commune"), hay, sizeof(hay));
	return *town && strcmp(town, hay) == 0;
}

static json_t *compare_address(const json_t *caf, const json_t *decl)
{
	char text[ADDR_MAX_BYTES], declared[ADDR_MAX_BYTES];
	caf_address_text(caf, text, sizeof(text));
	snprintf(declared, sizeof(declared), "%s%s%s%s%s", str(decl, "adresse"),
	         *str(decl, "adresse") ? "\n" : "", str(decl, "code_postal"),
	         *str(decl, "code_postal") ? " " : "", str(decl, "commune"));
	return json_pack("{s:b, s:s, s:s, s:b}", "compare", 1, "caf", text, "declaree", declared,
	                 "identique", decl && same_address(caf, decl));
}

/* --- the comparison --- */

static json_t *section(int compare, json_t *rows, json_t *extra)
{
	return json_pack("{s:b, s:o, s:o}", "compare", compare, "lignes", rows, "en_plus", extra);
}

json_t *caf_compare(const json_t *caf, const json_t *members, const json_t *address)
{
	static const char *const adults[] = {"demandeur", "conjoint", NULL};
	static const char *const children[] = {"enfant", NULL};
	char *used = xcalloc(json_array_size(members) + 1, 1);
	int absent = 0, missing = 0, differences = 0;
	const json_t *alloc = json_object_get(caf, "allocataires");
	const json_t *kids = json_object_get(caf, "enfants");
	const json_t *addr = json_object_get(caf, "adresse");
	json_t *out = json_object();
	json_t *arows = match_list(alloc, members, used, "absent", &absent);
	json_t *krows = match_list(kids, members, used, "manquant", &missing);
	json_t *aextra = alloc ? unmatched(members, used, adults) : json_array();
	json_t *kextra = kids ? unmatched(members, used, children) : json_array();
	differences =
	    absent + missing + (int)json_array_size(aextra) + (int)json_array_size(kextra);
	json_object_set_new(out, "allocataires", section(json_is_array(alloc), arows, aextra));
	json_object_set_new(out, "enfants", section(json_is_array(kids), krows, kextra));
	if (json_is_object(addr)) {
		json_t *a = compare_address(addr, address);
		differences += !json_is_true(json_object_get(a, "identique"));
		json_object_set_new(out, "adresse", a);
	} else {
		json_object_set_new(out, "adresse", json_pack("{s:b}", "compare", 0));
	}
	json_object_set_new(out, "enfants_manquants", json_integer(missing));
	json_object_set_new(out, "differences", json_integer(differences));
	free(used);
	return out;
}
