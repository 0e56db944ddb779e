/* Variables of the rule language: the catalogue computed from a situation
 * (domain/situation.h) plus the variables a rule document declares, the
 * reading of numbers from JSON, type names in French and the suggestion
 * of a close name for a misspelt one. */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/rule_internal.h"
#include "domain/situation.h"

static enum rtype svar_type(enum situation_var_type t)
{
	switch (t) {
	case SVAR_NUMBER:
	case SVAR_INTEGER: return RT_NUM;
	case SVAR_BOOL: return RT_BOOL;
	case SVAR_STRING: return RT_STR;
	}
	return RT_NONE;
}

int rule_var_ref(struct rule *r, const char *name)
{
	const struct situation_var *sv;
	struct rvar *v;

	for (int i = 0; i < r->nvars; i++)
		if (strcmp(r->vars[i].name, name) == 0)
			return i;
	sv = situation_var_find(name);
	if (!sv)
		return -1;
	if (r->nvars >= RULE_MAX_VARS)
		return -2;
	v = &r->vars[r->nvars];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(sv->name);
	v->libelle = xstrdup(sv->label ? sv->label : sv->name);
	v->type = svar_type(sv->type);
	return r->nvars++;
}

int rule_json_number(const json_t *v, struct ratio *out)
{
	char text[64];

	if (json_is_integer(v)) {
		*out = ratio_int(json_integer_value(v));
		return 0;
	}
	if (json_is_real(v)) {
		/* 15 significant digits give back the decimal that was written */
		snprintf(text, sizeof(text), "%.15g", json_real_value(v));
		return ratio_parse(text, out);
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strlen(s) >= sizeof(text))
			return CAS_EINVAL;
		return ratio_parse(s, out);
	}
	return CAS_EINVAL;
}

const char *rule_type_name(enum rtype t)
{
	switch (t) {
	case RT_NUM: return "un nombre";
	case RT_STR: return "du texte";
	case RT_BOOL: return "une valeur vrai/faux";
	case RT_LIST_NUM: return "une liste de nombres";
	case RT_LIST_STR: return "une liste de textes";
	case RT_NONE: break;
	}
	return "une valeur";
}

const char *rule_type_code(enum rtype t)
{
	switch (t) {
	case RT_NUM: return "nombre";
	case RT_STR: return "texte";
	case RT_BOOL: return "booleen";
	default: return "";
	}
}

void rule_utf8_trim(char *s)
{
	size_t n = strlen(s);

	s[utf8_valid_prefix(s, n)] = '\0';
}

int rule_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > RULE_MAX_NAME || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return 0;
	}
	return 1;
}

/* Levenshtein distance of two short ASCII names, capped. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[RULE_MAX_NAME + 2];

	if (la > RULE_MAX_NAME || lb > RULE_MAX_NAME)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0], cur;
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			cur = row[j];
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static void consider(const char *cand, const char *name, const char **best, int *bestd)
{
	int d = distance(name, cand);

	if (d < *bestd) {
		*bestd = d;
		*best = cand;
	}
}

const char *rule_suggest(const struct rule *r, const char *name)
{
	const char *best = NULL;
	int bestd = (int)strlen(name) / 3 + 1; /* at most a third of the letters wrong */
	size_t n = 0;
	const struct situation_var *list = situation_var_list(&n);

	if (bestd > 3)
		bestd = 3;
	bestd++;
	for (size_t i = 0; i < n; i++)
		consider(list[i].name, name, &best, &bestd);
	for (int i = 0; i < r->nvars; i++)
		consider(r->vars[i].name, name, &best, &bestd);
	for (int i = 0; i < r->ncalcs; i++)
		consider(r->calcs[i].name, name, &best, &bestd);
	return best;
}

static const struct {
	const char *name;
	enum ratio_mode mode;
	const char *text;
} modes[] = {
    {"demi_haut", RATIO_HALF_UP, "au plus proche, la moitié vers le haut"},
    {"inferieur", RATIO_DOWN, "en tronquant"},
    {"tronque", RATIO_DOWN, "en tronquant"},
    {"superieur", RATIO_UP, "vers le haut"},
    {"demi_pair", RATIO_HALF_EVEN, "au plus proche, la moitié vers le chiffre pair"},
    {"plancher", RATIO_FLOOR, "vers moins l'infini"},
    {"plafond", RATIO_CEIL, "vers plus l'infini"},
};

int rule_mode_parse(const char *name, enum ratio_mode *out)
{
	if (!name)
		return CAS_EINVAL;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(modes[i].name, name) == 0) {
			*out = modes[i].mode;
			return 0;
		}
	}
	return ratio_mode_parse(name, out);
}

const char *rule_mode_text(enum ratio_mode m)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].mode == m)
			return modes[i].text;
	return "";
}
