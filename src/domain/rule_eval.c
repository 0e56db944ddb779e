/* Evaluation of rule expressions over the variables of a situation.
 * Values are exact (ratio.h). A variable that is absent makes the value
 * unknown and remembers which variable is missing; "et", "ou" follow
 * three-valued logic (faux et inconnu = faux, vrai ou inconnu = vrai), so
 * that a decision that does not depend on a missing datum is still taken.
 * Errors (division by zero, overflow, a value outside every bracket, an
 * input of the wrong type) are values too: evaluation never stops the
 * program. Recursion is bounded by the tree depth checked at parse time. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/rule_internal.h"

static struct val v_num(struct ratio n)
{
	struct val v;

	memset(&v, 0, sizeof(v));
	v.kind = V_NUM;
	v.n = n;
	return v;
}

static struct val v_bool(int b)
{
	struct val v;

	memset(&v, 0, sizeof(v));
	v.kind = V_BOOL;
	v.b = (uint8_t)(b != 0);
	return v;
}

static struct val v_str(const char *s)
{
	struct val v;

	memset(&v, 0, sizeof(v));
	v.kind = V_STR;
	v.s = s;
	return v;
}

static struct val v_err(int idx)
{
	struct val v;

	memset(&v, 0, sizeof(v));
	v.kind = V_ERR;
	v.err = idx;
	return v;
}

static int known(const struct val *v)
{
	return v->kind < V_UNK;
}

static void miss_or(struct miss *a, const struct miss *b)
{
	for (size_t i = 0; i < sizeof(a->w) / sizeof(a->w[0]); i++)
		a->w[i] |= b->w[i];
}

int ectx_error(struct ectx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rule_utf8_trim(msg);
	for (int i = 0; i < c->nerrs; i++)
		if (strcmp(c->errs[i], msg) == 0)
			return i;
	if (c->nerrs == RULE_MAX_ERRS)
		return RULE_MAX_ERRS - 1;
	memcpy(c->errs[c->nerrs], msg, sizeof(msg));
	return c->nerrs++;
}

/* When a or b is not a value: the result of a strict operation on them
 * (the first error, else unknown with both sets of missing variables). */
static int not_values(const struct val *a, const struct val *b, struct val *out)
{
	if (known(a) && known(b))
		return 0;
	*out = a->kind == V_ERR || known(b) ? *a : *b;
	if (!known(a) && !known(b))
		miss_or(&out->m, a->kind == V_ERR || known(b) ? &b->m : &a->m);
	return 1;
}

static struct val arith_error(struct ectx *c, const struct node *n, int rc)
{
	if (rc == CAS_EINVAL)
		return v_err(
		    ectx_error(c, "division par zéro (ligne %d, colonne %d)", n->line, n->col));
	return v_err(ectx_error(c, "nombre trop grand pour un calcul exact (ligne %d, colonne %d)",
	                        n->line, n->col));
}

static const struct node *kid(const struct rexpr *e, const struct node *n, int i)
{
	int k = n->kid;

	while (i-- > 0 && k >= 0)
		k = e->nodes[k].next;
	return k >= 0 ? &e->nodes[k] : NULL;
}

static struct val eval(struct ectx *c, const struct rexpr *e, const struct node *n);

static struct val eval_arith(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val a = eval(c, e, kid(e, n, 0)), b = eval(c, e, kid(e, n, 1)), out;
	struct ratio r;
	int rc;

	if (not_values(&a, &b, &out))
		return out;
	switch ((enum nkind)n->kind) {
	case N_ADD: rc = ratio_add(a.n, b.n, &r); break;
	case N_SUB: rc = ratio_sub(a.n, b.n, &r); break;
	case N_MUL: rc = ratio_mul(a.n, b.n, &r); break;
	default: rc = ratio_div(a.n, b.n, &r); break;
	}
	return rc ? arith_error(c, n, rc) : v_num(r);
}

static int same(const struct val *a, const struct val *b)
{
	if (a->kind == V_NUM)
		return ratio_cmp(a->n, b->n) == 0;
	if (a->kind == V_STR)
		return strcmp(a->s, b->s) == 0;
	return a->b == b->b;
}

static struct val eval_compare(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val a = eval(c, e, kid(e, n, 0)), b = eval(c, e, kid(e, n, 1)), out;
	int cmp;

	if (not_values(&a, &b, &out))
		return out;
	if (a.kind != b.kind)
		return v_err(ectx_error(c, "comparaison de valeurs de types différents (ligne %d)",
		                        n->line));
	if (n->kind == N_EQ || n->kind == N_NE)
		return v_bool(same(&a, &b) == (n->kind == N_EQ));
	if (a.kind != V_NUM)
		return v_err(ectx_error(c, "comparaison d'ordre sur autre chose que des nombres"));
	cmp = ratio_cmp(a.n, b.n);
	switch ((enum nkind)n->kind) {
	case N_LT: return v_bool(cmp < 0);
	case N_LE: return v_bool(cmp <= 0);
	case N_GT: return v_bool(cmp > 0);
	default: return v_bool(cmp >= 0);
	}
}

static struct val eval_in(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val a = eval(c, e, kid(e, n, 0));
	const struct node *list = kid(e, n, 1);

	if (!known(&a))
		return a;
	for (const struct node *k = kid(e, list, 0); k;
	     k = k->next >= 0 ? &e->nodes[k->next] : NULL) {
		if (k->kind == N_NUM && a.kind == V_NUM && ratio_cmp(a.n, k->num) == 0)
			return v_bool(1);
		if (k->kind == N_STR && a.kind == V_STR && strcmp(a.s, rexpr_str(e, k)) == 0)
			return v_bool(1);
	}
	return v_bool(0);
}

/* Three-valued "et" (is_and) and "ou": the left operand may decide alone. */
static struct val eval_logic(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	int decisive = n->kind == N_OR; /* the value that decides: faux for et, vrai for ou */
	struct val a = eval(c, e, kid(e, n, 0)), b;

	if (a.kind == V_BOOL && a.b == decisive)
		return a;
	b = eval(c, e, kid(e, n, 1));
	if (b.kind == V_BOOL && b.b == decisive)
		return b;
	if (a.kind == V_BOOL)
		return b;
	if (b.kind == V_BOOL)
		return a;
	if (a.kind == V_ERR)
		return a;
	if (b.kind == V_ERR)
		return b;
	miss_or(&a.m, &b.m);
	return a;
}

static struct val eval_if(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val cond = eval(c, e, kid(e, n, 0)), a, b;

	if (cond.kind == V_BOOL)
		return eval(c, e, kid(e, n, cond.b ? 1 : 2));
	if (cond.kind == V_ERR)
		return cond;
	/* unknown condition: name everything either branch may need */
	a = eval(c, e, kid(e, n, 1));
	b = eval(c, e, kid(e, n, 2));
	if (!known(&a))
		miss_or(&cond.m, &a.m);
	if (!known(&b))
		miss_or(&cond.m, &b.m);
	return cond;
}

static struct val eval_minmax(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val best, v, out;
	int first = 1;

	memset(&best, 0, sizeof(best));
	for (const struct node *k = kid(e, n, 0); k; k = k->next >= 0 ? &e->nodes[k->next] : NULL) {
		v = eval(c, e, k);
		if (first) {
			best = v;
			first = 0;
			continue;
		}
		if (not_values(&best, &v, &out)) {
			best = out;
			continue;
		}
		if ((ratio_cmp(v.n, best.n) < 0) == (n->func == F_MIN) &&
		    ratio_cmp(v.n, best.n) != 0)
			best = v;
	}
	return best;
}

static struct val eval_round(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val x = eval(c, e, kid(e, n, 0));
	struct ratio r;

	if (!known(&x))
		return x;
	if (ratio_round(x.n, (int)n->num.num, (enum ratio_mode)n->mode, &r) != 0)
		return arith_error(c, n, CAS_ETOOBIG);
	return v_num(r);
}

static struct val eval_abs(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val x = eval(c, e, kid(e, n, 0));
	struct ratio r;

	if (!known(&x) || ratio_sign(x.n) >= 0)
		return x;
	if (ratio_sub(ratio_int(0), x.n, &r) != 0)
		return arith_error(c, n, CAS_ETOOBIG);
	return v_num(r);
}

static void log_lookup(struct ectx *c, const struct rgrid *g, struct ratio x, const char *col,
                       int bi, struct ratio out)
{
	char a[RATIO_FMT_SIZE], b[RATIO_FMT_SIZE];
	static const char *const units[] = {"nombre", "euros", "pourcent"};
	struct buf t;
	json_t *o;

	if (!c->lookups)
		return;
	buf_init(&t, 1024);
	rule_bracket_text(g, bi, &t);
	o = json_pack("{s:s, s:s, s:s, s:s?, s:i, s:s, s:s?, s:s, s:s}", "bareme", g->name,
	              "libelle", g->libelle, "valeur", ratio_format_exact(x, a), "colonne", col,
	              "tranche", bi + 1, "tranche_texte", buf_cstr(&t), "tranche_libelle",
	              g->br[bi].libelle, "resultat", ratio_format_exact(out, b), "unite",
	              units[g->unit]);
	buf_free(&t);
	if (o)
		json_array_append_new(c->lookups, o);
}

/* The column named by v ("couple", or the number 3 as "3"); -1 unknown. */
static int grid_column(const struct rgrid *g, const struct val *v, char *name, size_t n)
{
	if (v->kind == V_STR)
		snprintf(name, n, "%s", v->s);
	else
		ratio_format_exact(v->n, name);
	return rule_grid_col(g, name);
}

static struct val eval_grid(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	const struct rgrid *g = &c->r->grids[n->ref];
	const struct node *cn = kid(e, n, 2);
	struct val x = eval(c, e, kid(e, n, 1)), col, out;
	char name[RULE_MAX_STRING + 1], xs[RATIO_FMT_SIZE];
	int ci = 0, bi;

	col = cn ? eval(c, e, cn) : x;
	if (not_values(&x, &col, &out))
		return out;
	if (cn && (ci = grid_column(g, &col, name, sizeof(name))) < 0)
		return v_err(
		    ectx_error(c, "le barème « %s » n'a pas de colonne « %.60s »", g->name, name));
	bi = rule_grid_bracket(g, x.n);
	if (bi < 0)
		return v_err(ectx_error(c,
		                        "la valeur %s n'entre dans aucune tranche du barème « %s »",
		                        ratio_format(x.n, 2, xs), g->name));
	if (!g->br[bi].cells[ci].has)
		return v_err(ectx_error(c,
		                        "le barème « %s » ne prévoit pas de valeur pour la tranche "
		                        "%d%s%.60s",
		                        g->name, bi + 1, cn ? ", colonne " : "", cn ? name : ""));
	log_lookup(c, g, x.n, cn ? name : NULL, bi, g->br[bi].cells[ci].v);
	return v_num(g->br[bi].cells[ci].v);
}

static struct val eval_call(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val a;

	switch ((enum rfunc)n->func) {
	case F_MIN:
	case F_MAX: return eval_minmax(c, e, n);
	case F_ROUND: return eval_round(c, e, n);
	case F_ABS: return eval_abs(c, e, n);
	case F_GRID: return eval_grid(c, e, n);
	case F_KNOWN: a = eval(c, e, kid(e, n, 0)); return a.kind == V_ERR ? a : v_bool(known(&a));
	case F_DEFAULT:
		a = eval(c, e, kid(e, n, 0));
		return a.kind == V_UNK ? eval(c, e, kid(e, n, 1)) : a;
	}
	return v_err(ectx_error(c, "fonction inconnue"));
}

static struct val eval_unary(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	struct val a = eval(c, e, kid(e, n, 0));
	struct ratio r;

	if (!known(&a))
		return a;
	if (n->kind == N_NOT)
		return v_bool(!a.b);
	if (ratio_sub(ratio_int(0), a.n, &r) != 0)
		return arith_error(c, n, CAS_ETOOBIG);
	return v_num(r);
}

/* Calculations are computed once, when first needed. */
static struct val calc_value(struct ectx *c, int i)
{
	if (!c->calc_done[i]) {
		c->calcs[i] = rexpr_eval(c, &c->r->calcs[i].e);
		c->calc_done[i] = 1;
		if (c->on_calc)
			c->on_calc(c->arg, i);
	}
	return c->calcs[i];
}

static struct val eval(struct ectx *c, const struct rexpr *e, const struct node *n)
{
	if (!n)
		return v_err(ectx_error(c, "expression incomplète"));
	switch ((enum nkind)n->kind) {
	case N_NUM: return v_num(n->num);
	case N_STR: return v_str(rexpr_str(e, n));
	case N_BOOL: return v_bool(n->ref);
	case N_VAR: return c->vars[n->ref];
	case N_CALC: return calc_value(c, n->ref);
	case N_NEG:
	case N_NOT: return eval_unary(c, e, n);
	case N_ADD:
	case N_SUB:
	case N_MUL:
	case N_DIV: return eval_arith(c, e, n);
	case N_EQ:
	case N_NE:
	case N_LT:
	case N_LE:
	case N_GT:
	case N_GE: return eval_compare(c, e, n);
	case N_IN: return eval_in(c, e, n);
	case N_AND:
	case N_OR: return eval_logic(c, e, n);
	case N_IF: return eval_if(c, e, n);
	case N_CALL: return eval_call(c, e, n);
	case N_LIST: break;
	}
	return v_err(ectx_error(c, "une liste ne s'évalue qu'après « dans »"));
}

struct val rexpr_eval(struct ectx *c, const struct rexpr *e)
{
	if (!e->nodes || e->root < 0 || e->root >= e->nnodes)
		return v_err(ectx_error(c, "expression absente"));
	return eval(c, e, &e->nodes[e->root]);
}

static struct val var_type_error(struct ectx *c, const struct rvar *v, const json_t *j)
{
	return v_err(ectx_error(c, "la variable « %s » doit être %s (valeur reçue de type %s)",
	                        v->name, rule_type_name(v->type),
	                        json_is_string(j)    ? "texte"
	                        : json_is_boolean(j) ? "vrai/faux"
	                        : json_is_number(j)  ? "nombre"
	                                             : "objet ou liste"));
}

static struct val read_text(struct ectx *c, const struct rvar *v, const json_t *j)
{
	const char *s = json_string_value(j);

	if (!s)
		return var_type_error(c, v, j);
	if (v->nallowed == 0)
		return v_str(s);
	for (int i = 0; i < v->nallowed; i++)
		if (strcmp(v->allowed[i], s) == 0)
			return v_str(s);
	return v_err(ectx_error(c, "la variable « %s » ne peut pas valoir « %.60s »", v->name, s));
}

static struct val read_var(struct ectx *c, int i, const json_t *vars)
{
	const struct rvar *v = &c->r->vars[i];
	const json_t *j = json_is_object(vars) ? json_object_get(vars, v->name) : NULL;
	struct ratio r;
	struct val out;

	if (!j || json_is_null(j)) {
		memset(&out, 0, sizeof(out));
		out.kind = V_UNK;
		out.m.w[i / 64] |= UINT64_C(1) << (i % 64);
		return out;
	}
	switch (v->type) {
	case RT_NUM:
		if (json_is_boolean(j) || rule_json_number(j, &r) != 0)
			return var_type_error(c, v, j);
		return v_num(r);
	case RT_BOOL:
		if (json_is_boolean(j))
			return v_bool(json_is_true(j));
		if (json_is_integer(j) &&
		    (json_integer_value(j) == 0 || json_integer_value(j) == 1))
			return v_bool(json_integer_value(j) == 1);
		return var_type_error(c, v, j);
	case RT_STR: return read_text(c, v, j);
	default: return var_type_error(c, v, j);
	}
}

void ectx_init(struct ectx *c, const struct rule *r, const json_t *vars)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	for (int i = 0; i < r->nvars; i++)
		if (r->vars[i].used)
			c->vars[i] = read_var(c, i, vars);
}
