/* Grids (barèmes) of a rule document: brackets with explicit inclusive or
 * exclusive bounds, one value per bracket or one per column (household
 * size, need level ...), empty cells allowed. Brackets are listed in
 * increasing order and may not overlap; a value outside every bracket is
 * an evaluation error, never a guess. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/rule_internal.h"

static const char *const grid_keys[] = {"libelle",  "unite", "colonnes", "libelle_colonnes",
                                        "tranches", "note",  NULL};
static const char *const bracket_keys[] = {"min",    "max",     "min_inclus", "max_inclus",
                                           "valeur", "valeurs", "libelle",    NULL};

int rule_grid_find(const struct rule *r, const char *name)
{
	for (int i = 0; i < r->ngrids; i++)
		if (strcmp(r->grids[i].name, name) == 0)
			return i;
	return -1;
}

int rule_grid_col(const struct rgrid *g, const char *col)
{
	for (int i = 0; i < g->ncols; i++)
		if (strcmp(g->cols[i], col) == 0)
			return i;
	return -1;
}

static int bound_ok_low(const struct rbracket *b, struct ratio x)
{
	int c;

	if (!b->has_min)
		return 1;
	c = ratio_cmp(x, b->min);
	return c > 0 || (c == 0 && b->min_incl);
}

static int bound_ok_high(const struct rbracket *b, struct ratio x)
{
	int c;

	if (!b->has_max)
		return 1;
	c = ratio_cmp(x, b->max);
	return c < 0 || (c == 0 && b->max_incl);
}

int rule_grid_bracket(const struct rgrid *g, struct ratio x)
{
	for (int i = 0; i < g->nbr; i++)
		if (bound_ok_low(&g->br[i], x) && bound_ok_high(&g->br[i], x))
			return i;
	return -1;
}

void rule_bracket_text(const struct rgrid *g, int i, struct buf *out)
{
	const struct rbracket *b = &g->br[i];

	if (b->has_min && b->has_max) {
		buf_puts(out, "de ");
		rule_fmt_number(b->min, UNIT_NUMBER, out);
		buf_puts(out, b->min_incl ? " inclus à " : " exclu à ");
		rule_fmt_number(b->max, UNIT_NUMBER, out);
		buf_puts(out, b->max_incl ? " inclus" : " exclu");
	} else if (b->has_min) {
		buf_puts(out, b->min_incl ? "à partir de " : "au-delà de ");
		rule_fmt_number(b->min, UNIT_NUMBER, out);
	} else if (b->has_max) {
		buf_puts(out, b->max_incl ? "jusqu'à " : "en dessous de ");
		rule_fmt_number(b->max, UNIT_NUMBER, out);
		if (b->max_incl)
			buf_puts(out, " inclus");
	} else {
		buf_puts(out, "toutes valeurs");
	}
}

static void bracket_free(struct rbracket *b)
{
	free(b->libelle);
	free(b->cells);
}

static void grid_free(struct rgrid *g)
{
	free(g->name);
	free(g->libelle);
	free(g->col_libelle);
	for (int i = 0; i < g->ncols; i++)
		free(g->cols[i]);
	free(g->cols);
	for (int i = 0; i < g->nbr; i++)
		bracket_free(&g->br[i]);
	free(g->br);
}

void rule_grids_free(struct rule *r)
{
	for (int i = 0; i < r->ngrids; i++)
		grid_free(&r->grids[i]);
	free(r->grids);
	r->grids = NULL;
	r->ngrids = 0;
}

static int read_bool(const json_t *o, const char *key, int def, int *out, const char *path,
                     struct rule_error *err)
{
	const json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return rule_doc_error(err, path, key, "« %s » vaut true ou false", key);
	*out = json_is_true(v);
	return 0;
}

/* A bound: null or absent = none. */
static int read_bound(const json_t *o, const char *key, int *has, struct ratio *out,
                      const char *path, struct rule_error *err)
{
	const json_t *v = json_object_get(o, key);

	*has = v && !json_is_null(v);
	if (*has && rule_json_number(v, out) != 0)
		return rule_doc_error(
		    err, path, key,
		    "« %s » doit être un nombre (par exemple \"500\" ou \"12.5\") "
		    "ou null",
		    key);
	return 0;
}

static int read_cell(const json_t *v, struct rcell *c, const char *path, const char *key,
                     struct rule_error *err)
{
	c->has = v && !json_is_null(v);
	if (c->has && rule_json_number(v, &c->v) != 0)
		return rule_doc_error(err, path, key,
		                      "valeur de tranche invalide : un nombre ou null");
	return 0;
}

static int read_cells_object(const struct rgrid *g, const json_t *vals, struct rbracket *b,
                             const char *path, struct rule_error *err)
{
	const char *k;
	const json_t *v;
	char sub[160];

	json_object_foreach((json_t *)vals, k, v)
	{
		int ci = rule_grid_col(g, k);
		snprintf(sub, sizeof(sub), "valeurs/%s", k);
		if (ci < 0)
			return rule_doc_error(err, path, sub,
			                      "colonne « %s » non déclarée dans "
			                      "« colonnes »",
			                      k);
		if (read_cell(v, &b->cells[ci], path, sub, err) < 0)
			return -1;
	}
	return 0;
}

static int read_cells(const struct rgrid *g, const json_t *o, struct rbracket *b, const char *path,
                      struct rule_error *err)
{
	const json_t *one = json_object_get(o, "valeur"), *vals = json_object_get(o, "valeurs");
	char sub[32];

	b->cells = xcalloc(g->ncols ? (size_t)g->ncols : 1, sizeof(*b->cells));
	if (g->ncols == 0) {
		if (vals)
			return rule_doc_error(err, path, "valeurs",
			                      "ce barème n'a pas de colonnes : "
			                      "écrivez « valeur »");
		return read_cell(one, &b->cells[0], path, "valeur", err);
	}
	if (one)
		return rule_doc_error(err, path, "valeur",
		                      "ce barème a des colonnes : écrivez "
		                      "« valeurs »");
	if (json_is_object(vals))
		return read_cells_object(g, vals, b, path, err);
	if (!json_is_array(vals) || json_array_size(vals) != (size_t)g->ncols)
		return rule_doc_error(err, path, "valeurs",
		                      "« valeurs » est un objet colonne → valeur, ou une liste "
		                      "d'une valeur par colonne (%d)",
		                      g->ncols);
	for (int i = 0; i < g->ncols; i++) {
		snprintf(sub, sizeof(sub), "valeurs/%d", i);
		if (read_cell(json_array_get(vals, (size_t)i), &b->cells[i], path, sub, err) < 0)
			return -1;
	}
	return 0;
}

static int check_bounds(struct rbracket *b, const char *path, struct rule_error *err)
{
	int c;

	if (!b->has_min || !b->has_max)
		return 0;
	c = ratio_cmp(b->min, b->max);
	if (c > 0 || (c == 0 && !(b->min_incl && b->max_incl)))
		return rule_doc_error(err, path, "max",
		                      "le maximum de la tranche doit dépasser son "
		                      "minimum");
	return 0;
}

static int read_bracket(struct rgrid *g, const json_t *o, struct rbracket *b, const char *path,
                        struct rule_error *err)
{
	const json_t *lib;

	if (!json_is_object(o))
		return rule_doc_error(err, path, NULL,
		                      "une tranche est un objet { \"min\": …, "
		                      "\"max\": …, \"valeur\": … }");
	if (rule_check_keys(o, bracket_keys, path, err) < 0)
		return -1;
	if (read_bound(o, "min", &b->has_min, &b->min, path, err) < 0 ||
	    read_bound(o, "max", &b->has_max, &b->max, path, err) < 0 ||
	    read_bool(o, "min_inclus", 1, &b->min_incl, path, err) < 0 ||
	    read_bool(o, "max_inclus", 0, &b->max_incl, path, err) < 0)
		return -1;
	lib = json_object_get(o, "libelle");
	if (lib && rule_read_label(lib, &b->libelle, path, "libelle", err) < 0)
		return -1;
	if (check_bounds(b, path, err) < 0)
		return -1;
	return read_cells(g, o, b, path, err);
}

/* Brackets in increasing order, without overlap. */
static int check_order(const struct rgrid *g, int i, const char *path, struct rule_error *err)
{
	const struct rbracket *a = &g->br[i - 1], *b = &g->br[i];
	int c;

	if (!a->has_max)
		return rule_doc_error(err, path, "min",
		                      "la tranche précédente n'a pas de maximum : elle couvre déjà "
		                      "toutes les valeurs au-dessus");
	if (!b->has_min)
		return rule_doc_error(err, path, "min",
		                      "seule la première tranche peut être sans "
		                      "minimum");
	c = ratio_cmp(b->min, a->max);
	if (c < 0 || (c == 0 && a->max_incl && b->min_incl))
		return rule_doc_error(err, path, "min",
		                      "cette tranche chevauche la précédente : rangez les tranches "
		                      "par ordre croissant, sans recouvrement (la borne commune "
		                      "est incluse dans une seule des deux)");
	return 0;
}

static int read_columns(struct rgrid *g, const json_t *cols, const char *path,
                        struct rule_error *err)
{
	size_t n = json_array_size(cols);
	char sub[32];

	if (!cols)
		return 0;
	if (!json_is_array(cols) || n == 0 || n > RULE_MAX_COLUMNS)
		return rule_doc_error(err, path, "colonnes",
		                      "« colonnes » est une liste de 1 à %d noms de colonnes",
		                      RULE_MAX_COLUMNS);
	g->cols = xcalloc(n, sizeof(*g->cols));
	for (size_t i = 0; i < n; i++) {
		const json_t *c = json_array_get(cols, i);
		snprintf(sub, sizeof(sub), "colonnes/%zu", i);
		if (!json_is_string(c) || json_string_length(c) == 0 ||
		    json_string_length(c) > RULE_MAX_NAME)
			return rule_doc_error(err, path, sub,
			                      "un nom de colonne est un texte de 1 à "
			                      "%d caractères",
			                      RULE_MAX_NAME);
		if (rule_grid_col(g, json_string_value(c)) >= 0)
			return rule_doc_error(err, path, sub, "colonne « %s » en double",
			                      json_string_value(c));
		g->cols[g->ncols++] = xstrdup(json_string_value(c));
	}
	return 0;
}

static int read_unit(struct rgrid *g, const json_t *u, const char *path, struct rule_error *err)
{
	const char *s = json_string_value(u);

	if (!u)
		g->unit = UNIT_NUMBER;
	else if (s && strcmp(s, "euros") == 0)
		g->unit = UNIT_EUROS;
	else if (s && strcmp(s, "pourcent") == 0)
		g->unit = UNIT_PERCENT;
	else if (s && strcmp(s, "nombre") == 0)
		g->unit = UNIT_NUMBER;
	else
		return rule_doc_error(err, path, "unite",
		                      "« unite » vaut \"euros\", \"pourcent\" ou \"nombre\"");
	return 0;
}

static int read_brackets(struct rgrid *g, const json_t *list, const char *path,
                         struct rule_error *err)
{
	size_t n = json_array_size(list);
	char sub[128];

	if (!json_is_array(list) || n == 0 || n > RULE_MAX_BRACKETS)
		return rule_doc_error(err, path, "tranches",
		                      "« tranches » est une liste de 1 à %d tranches",
		                      RULE_MAX_BRACKETS);
	g->br = xcalloc(n, sizeof(*g->br));
	for (size_t i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%.100s/tranches/%zu", path, i);
		g->nbr++;
		if (read_bracket(g, json_array_get(list, i), &g->br[i], sub, err) < 0)
			return -1;
		if (i > 0 && check_order(g, (int)i, sub, err) < 0)
			return -1;
	}
	return 0;
}

static int read_grid(struct rgrid *g, const char *name, const json_t *o, const char *path,
                     struct rule_error *err)
{
	const json_t *lib = json_object_get(o, "libelle"), *cl;

	if (!json_is_object(o))
		return rule_doc_error(err, path, NULL,
		                      "un barème est un objet { \"tranches\": [ … ] }");
	if (rule_check_keys(o, grid_keys, path, err) < 0)
		return -1;
	g->name = xstrdup(name);
	if (lib && rule_read_label(lib, &g->libelle, path, "libelle", err) < 0)
		return -1;
	if (!g->libelle)
		g->libelle = xstrdup(name);
	cl = json_object_get(o, "libelle_colonnes");
	if (cl && rule_read_label(cl, &g->col_libelle, path, "libelle_colonnes", err) < 0)
		return -1;
	if (read_unit(g, json_object_get(o, "unite"), path, err) < 0 ||
	    read_columns(g, json_object_get(o, "colonnes"), path, err) < 0)
		return -1;
	return read_brackets(g, json_object_get(o, "tranches"), path, err);
}

int rule_grids_parse(struct rule *r, const json_t *grids, struct rule_error *err)
{
	const char *name;
	const json_t *g;
	char path[160];
	size_t n = json_object_size(grids);

	if (!grids || json_is_null(grids))
		return 0;
	if (!json_is_object(grids) || n > RULE_MAX_GRIDS)
		return rule_doc_error(err, "/baremes", NULL,
		                      "« baremes » est un objet nom → barème (%d barèmes au plus)",
		                      RULE_MAX_GRIDS);
	r->grids = xcalloc(n ? n : 1, sizeof(*r->grids));
	json_object_foreach((json_t *)grids, name, g)
	{
		snprintf(path, sizeof(path), "/baremes/%.100s", name);
		if (*name == '\0' || strlen(name) > RULE_MAX_NAME)
			return rule_doc_error(err, path, NULL,
			                      "un nom de barème fait de 1 à %d "
			                      "caractères",
			                      RULE_MAX_NAME);
		r->ngrids++;
		if (read_grid(&r->grids[r->ngrids - 1], name, g, path, err) < 0)
			return -1;
	}
	return 0;
}
