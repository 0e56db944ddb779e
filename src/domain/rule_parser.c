/* Parser and type checker of rule expressions: recursive descent over the
 * tokens of rule_lexer.c, building a tree of struct node and checking
 * types as it goes, so that every error carries the line and column of the
 * token at fault. Grammar, lowest precedence first:
 *
 *   expr    = "si" expr "alors" expr "sinon" expr | or
 *   or      = and { "ou" and }
 *   and     = not { "et" not }
 *   not     = "non" not | cmp
 *   cmp     = sum [ ("=" | "!=" | "<" | "<=" | ">" | ">=") sum | "dans" list ]
 *   sum     = product { ("+" | "-") product }
 *   product = unary { ("*" | "/") unary }
 *   unary   = "-" unary | "+" unary | primary
 *   primary = number | text | "vrai" | "faux" | name | name "(" args ")"
 *           | "(" expr ")" | list | "si" ...
 *   list    = "[" [ literal { "," literal } ] "]"
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/rule_internal.h"

struct parser {
	struct rule *r;
	struct lexer lx;
	struct token tok;
	struct buf pool;
	struct node *nodes;
	int nnodes, cap;
	int depth;
	int failed;
	struct rule_error *err;
};

static const struct {
	const char *name;
	enum rfunc f;
	int min, max;
} functions[] = {
    {"min", F_MIN, 1, 64},       {"max", F_MAX, 1, 64},    {"arrondi", F_ROUND, 1, 3},
    {"abs", F_ABS, 1, 1},        {"bareme", F_GRID, 2, 3}, {"connu", F_KNOWN, 1, 1},
    {"defaut", F_DEFAULT, 2, 2},
};

static const char *const func_names[] = {
    [F_MIN] = "min",     [F_MAX] = "max",     [F_ROUND] = "arrondi",  [F_ABS] = "abs",
    [F_GRID] = "bareme", [F_KNOWN] = "connu", [F_DEFAULT] = "defaut",
};

static int fail_at(struct parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_at(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	p->err->line = line;
	p->err->column = col;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	rule_utf8_trim(p->err->message);
	return -1;
}

#define FAIL_NODE(p, i, ...) fail_at((p), (p)->nodes[i].line, (p)->nodes[i].col, __VA_ARGS__)
#define FAIL_TOK(p, ...)     fail_at((p), (p)->tok.line, (p)->tok.col, __VA_ARGS__)

static int next(struct parser *p)
{
	p->tok = lexer_next(&p->lx);
	if (p->tok.kind == T_ERROR)
		return FAIL_TOK(p, "%s", p->lx.msg);
	return 0;
}

/* Whether the current token has more than max characters. */
static int token_longer(const struct parser *p, size_t max)
{
	return utf8_prefix(p->lx.src + p->tok.start, p->tok.len, max) < p->tok.len;
}

/* How the current token is shown in a message (30 characters at most). */
static void tok_show(const struct parser *p, char *out, size_t n)
{
	enum tok k = p->tok.kind;

	if (k == T_IDENT || k == T_NUM || k == T_STR)
		snprintf(out, n, "« %.*s%s »",
		         (int)utf8_prefix(p->lx.src + p->tok.start, p->tok.len, 30),
		         p->lx.src + p->tok.start, token_longer(p, 30) ? "…" : "");
	else
		snprintf(out, n, "%s", tok_text(k));
	rule_utf8_trim(out);
}

static int expect(struct parser *p, enum tok k, const char *context)
{
	char got[80];

	if (p->tok.kind == k)
		return next(p);
	tok_show(p, got, sizeof(got));
	return FAIL_TOK(p, "%s attendu %s, trouvé %s", tok_text(k), context, got);
}

static int new_node(struct parser *p, enum nkind kind, const struct token *t)
{
	struct node *n;

	if (p->nnodes >= RULE_MAX_NODES)
		return fail_at(p, t->line, t->col, "expression trop grande (plus de %d éléments)",
		               RULE_MAX_NODES);
	if (p->nnodes == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->nodes = xrealloc(p->nodes, (size_t)p->cap * sizeof(*p->nodes));
	}
	n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->line = t->line;
	n->col = t->col;
	n->kid = n->next = -1;
	n->depth = 1;
	return p->nnodes++;
}

/* Appends child c to node n (children in order). */
static int add_kid(struct parser *p, int n, int c)
{
	struct node *nodes = p->nodes;

	if (nodes[n].kid < 0) {
		nodes[n].kid = c;
	} else {
		int k = nodes[n].kid;
		while (nodes[k].next >= 0)
			k = nodes[k].next;
		nodes[k].next = c;
	}
	nodes[n].nkids++;
	if (nodes[c].depth + 1 > nodes[n].depth)
		nodes[n].depth = nodes[c].depth + 1;
	if (nodes[n].depth > RULE_MAX_DEPTH)
		return FAIL_NODE(p, n, "expression trop imbriquée (plus de %d niveaux)",
		                 RULE_MAX_DEPTH);
	return 0;
}

static int kid_at(const struct parser *p, int n, int i)
{
	int k = p->nodes[n].kid;

	while (i-- > 0 && k >= 0)
		k = p->nodes[k].next;
	return k;
}

static int want_type(struct parser *p, int n, enum rtype t, const char *what)
{
	enum rtype got = p->nodes[n].type;

	if (got == t)
		return 0;
	return FAIL_NODE(p, n, "%s attend %s, pas %s", what, rule_type_name(t),
	                 rule_type_name(got));
}

static int want_scalar(struct parser *p, int n)
{
	enum rtype t = p->nodes[n].type;

	if (t == RT_LIST_NUM || t == RT_LIST_STR)
		return FAIL_NODE(p, n, "une liste [ … ] ne s'emploie qu'après « dans »");
	return 0;
}

static int parse_expr(struct parser *p);
static int parse_unary(struct parser *p);

static int enter(struct parser *p)
{
	if (++p->depth > RULE_MAX_DEPTH)
		return FAIL_TOK(p, "expression trop imbriquée (plus de %d niveaux)",
		                RULE_MAX_DEPTH);
	return 0;
}

static int leave(struct parser *p, int result)
{
	p->depth--;
	return result;
}

static int binary(struct parser *p, enum nkind kind, const struct token *op, int a, int b)
{
	int n;

	if (a < 0 || b < 0)
		return -1;
	n = new_node(p, kind, op);
	if (n < 0 || add_kid(p, n, a) < 0 || add_kid(p, n, b) < 0)
		return -1;
	return n;
}

static int parse_if(struct parser *p)
{
	struct token t = p->tok;
	int n, c, a, b;

	if (next(p) < 0)
		return -1;
	c = parse_expr(p);
	if (c < 0 || expect(p, T_ALORS, "après la condition de « si »") < 0)
		return -1;
	a = parse_expr(p);
	if (a < 0 || expect(p, T_SINON, "après la valeur de « alors »") < 0)
		return -1;
	b = parse_expr(p);
	if (b < 0 || want_type(p, c, RT_BOOL, "« si »") < 0)
		return -1;
	if (want_scalar(p, a) < 0 || want_scalar(p, b) < 0)
		return -1;
	if (p->nodes[a].type != p->nodes[b].type)
		return FAIL_NODE(p, b,
		                 "« alors » et « sinon » doivent donner le même type de valeur "
		                 "(ici %s et %s)",
		                 rule_type_name(p->nodes[a].type),
		                 rule_type_name(p->nodes[b].type));
	n = new_node(p, N_IF, &t);
	if (n < 0 || add_kid(p, n, c) < 0 || add_kid(p, n, a) < 0 || add_kid(p, n, b) < 0)
		return -1;
	p->nodes[n].type = p->nodes[a].type;
	return n;
}

/* Folds "- 12" into the number -12, so that lists may hold negatives. */
static int negate(struct parser *p, const struct token *t, int x)
{
	int n;

	if (want_type(p, x, RT_NUM, "« - »") < 0)
		return -1;
	if (p->nodes[x].kind == N_NUM && p->nodes[x].num.num != INT64_MIN) {
		p->nodes[x].num.num = -p->nodes[x].num.num;
		p->nodes[x].line = t->line;
		p->nodes[x].col = t->col;
		return x;
	}
	n = new_node(p, N_NEG, t);
	if (n < 0 || add_kid(p, n, x) < 0)
		return -1;
	p->nodes[n].type = RT_NUM;
	return n;
}

static int parse_list(struct parser *p)
{
	struct token t = p->tok;
	int n = new_node(p, N_LIST, &t);

	if (n < 0 || next(p) < 0)
		return -1;
	p->nodes[n].type = RT_LIST_NUM;
	while (p->tok.kind != T_RBRACK) {
		int e;
		if (p->nodes[n].nkids > 0 &&
		    expect(p, T_COMMA, "entre les éléments de la liste") < 0)
			return -1;
		e = parse_unary(p);
		if (e < 0)
			return -1;
		if (p->nodes[e].kind != N_NUM && p->nodes[e].kind != N_STR)
			return FAIL_NODE(p, e,
			                 "une liste ne contient que des nombres ou des textes "
			                 "écrits tels quels");
		if (p->nodes[n].nkids == 0)
			p->nodes[n].type = p->nodes[e].kind == N_NUM ? RT_LIST_NUM : RT_LIST_STR;
		else if ((p->nodes[e].kind == N_NUM) != (p->nodes[n].type == RT_LIST_NUM))
			return FAIL_NODE(p, e, "une liste ne mélange pas nombres et textes");
		if (p->nodes[n].nkids >= RULE_MAX_LIST)
			return FAIL_NODE(p, e, "liste trop longue (%d éléments au plus)",
			                 RULE_MAX_LIST);
		if (add_kid(p, n, e) < 0)
			return -1;
	}
	if (next(p) < 0)
		return -1;
	return n;
}

static int find_function(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
		if (strlen(functions[i].name) == n && strncmp(functions[i].name, s, n) == 0)
			return (int)i;
	return -1;
}

static const char *pool_str(const struct parser *p, int n)
{
	return buf_cstr(&p->pool) + p->nodes[n].ref;
}

static int check_round(struct parser *p, int n)
{
	int x = kid_at(p, n, 0), d = kid_at(p, n, 1), m = kid_at(p, n, 2);
	struct node *nd = &p->nodes[n];

	if (want_type(p, x, RT_NUM, "arrondi()") < 0)
		return -1;
	nd->num = ratio_int(0);
	nd->mode = RATIO_HALF_UP;
	if (d >= 0) {
		struct ratio v = p->nodes[d].num;
		if (p->nodes[d].kind != N_NUM || v.den != 1 || v.num < 0 ||
		    v.num > RULE_MAX_DECIMAL)
			return FAIL_NODE(p, d,
			                 "le nombre de décimales d'arrondi() est un entier "
			                 "écrit tel quel, de 0 à %d",
			                 RULE_MAX_DECIMAL);
		p->nodes[n].num = v;
	}
	if (m >= 0) {
		enum ratio_mode mode;
		if (p->nodes[m].kind != N_STR || rule_mode_parse(pool_str(p, m), &mode) != 0)
			return FAIL_NODE(p, m,
			                 "mode d'arrondi inconnu : écrivez \"demi_haut\", "
			                 "\"inferieur\", \"superieur\" ou \"demi_pair\"");
		p->nodes[n].mode = (uint8_t)mode;
	}
	p->nodes[n].type = RT_NUM;
	return 0;
}

static int check_grid_column(struct parser *p, const struct rgrid *g, int c)
{
	char name[RATIO_FMT_SIZE];
	const char *col = NULL;

	if (p->nodes[c].type != RT_NUM && p->nodes[c].type != RT_STR)
		return FAIL_NODE(p, c, "la colonne d'un barème est un nombre ou un texte, pas %s",
		                 rule_type_name(p->nodes[c].type));
	if (p->nodes[c].kind == N_STR)
		col = pool_str(p, c);
	else if (p->nodes[c].kind == N_NUM)
		col = ratio_format_exact(p->nodes[c].num, name);
	if (col && rule_grid_col(g, col) < 0)
		return FAIL_NODE(p, c, "le barème « %s » n'a pas de colonne « %s »", g->name, col);
	return 0;
}

static int check_grid(struct parser *p, int n)
{
	int name = kid_at(p, n, 0), x = kid_at(p, n, 1), c = kid_at(p, n, 2);
	const struct rgrid *g;
	int gi;

	if (p->nodes[name].kind != N_STR)
		return FAIL_NODE(p, name,
		                 "bareme() attend d'abord le nom du barème entre "
		                 "guillemets, par exemple bareme(\"tarifs\", qf_caf)");
	gi = rule_grid_find(p->r, pool_str(p, name));
	if (gi < 0)
		return FAIL_NODE(p, name, "barème inconnu « %s »", pool_str(p, name));
	g = &p->r->grids[gi];
	p->nodes[n].ref = gi;
	p->nodes[n].type = RT_NUM;
	if (want_type(p, x, RT_NUM, "bareme()") < 0)
		return -1;
	if (g->ncols > 0 && c < 0)
		return FAIL_NODE(p, n,
		                 "le barème « %s » a des colonnes (%s…) : indiquez la colonne en "
		                 "troisième paramètre",
		                 g->name, g->cols[0]);
	if (g->ncols == 0 && c >= 0)
		return FAIL_NODE(p, c, "le barème « %s » n'a pas de colonnes", g->name);
	return c >= 0 ? check_grid_column(p, g, c) : 0;
}

static int check_call(struct parser *p, int n)
{
	struct node *nd = &p->nodes[n];
	int a = nd->kid, b = kid_at(p, n, 1);

	switch ((enum rfunc)nd->func) {
	case F_MIN:
	case F_MAX:
		for (int k = a; k >= 0; k = p->nodes[k].next)
			if (want_type(p, k, RT_NUM, func_names[nd->func]) < 0)
				return -1;
		nd->type = RT_NUM;
		return 0;
	case F_ABS: nd->type = RT_NUM; return want_type(p, a, RT_NUM, "abs()");
	case F_ROUND: return check_round(p, n);
	case F_GRID: return check_grid(p, n);
	case F_KNOWN:
		if (p->nodes[a].kind != N_VAR && p->nodes[a].kind != N_CALC)
			return FAIL_NODE(p, a, "connu() attend un nom de variable");
		nd->type = RT_BOOL;
		return 0;
	case F_DEFAULT:
		if (want_scalar(p, a) < 0 || want_scalar(p, b) < 0)
			return -1;
		if (p->nodes[a].type != p->nodes[b].type)
			return FAIL_NODE(
			    p, b, "defaut() attend deux valeurs du même type (ici %s et %s)",
			    rule_type_name(p->nodes[a].type), rule_type_name(p->nodes[b].type));
		nd->type = p->nodes[a].type;
		return 0;
	}
	return FAIL_NODE(p, n, "fonction inconnue");
}

static int parse_call(struct parser *p, const struct token *name, int fi)
{
	int n = new_node(p, N_CALL, name);

	if (n < 0 || next(p) < 0) /* the "(" */
		return -1;
	p->nodes[n].func = (uint8_t)functions[fi].f;
	while (p->tok.kind != T_RPAREN) {
		int a;
		if (p->nodes[n].nkids > 0 && expect(p, T_COMMA, "entre les paramètres") < 0)
			return -1;
		a = parse_expr(p);
		if (a < 0 || add_kid(p, n, a) < 0)
			return -1;
		if (p->nodes[n].nkids > functions[fi].max)
			return FAIL_NODE(p, a, "%s() prend au plus %d paramètre%s",
			                 functions[fi].name, functions[fi].max,
			                 functions[fi].max > 1 ? "s" : "");
	}
	if (p->nodes[n].nkids < functions[fi].min)
		return FAIL_TOK(p, "%s() prend au moins %d paramètre%s", functions[fi].name,
		                functions[fi].min, functions[fi].min > 1 ? "s" : "");
	if (next(p) < 0 || check_call(p, n) < 0)
		return -1;
	return n;
}

static int unknown_name(struct parser *p, const struct token *t, const char *name)
{
	const char *hint = rule_suggest(p->r, name);

	if (hint)
		return fail_at(p, t->line, t->col,
		               "variable inconnue « %s » (vouliez-vous dire « %s » ?)", name, hint);
	return fail_at(p, t->line, t->col, "variable inconnue « %s »", name);
}

/* A node for the calculation i. */
static int calc_node(struct parser *p, const struct token *t, int i)
{
	int n = new_node(p, N_CALC, t);

	if (n < 0)
		return -1;
	p->nodes[n].ref = i;
	p->nodes[n].type = p->r->calcs[i].e.type;
	p->nodes[n].depth = p->r->calcs[i].e.depth + 1;
	if (p->nodes[n].depth > RULE_MAX_DEPTH)
		return fail_at(p, t->line, t->col,
		               "calculs trop imbriqués (plus de %d niveaux en comptant les calculs "
		               "utilisés)",
		               RULE_MAX_DEPTH);
	return n;
}

/* A calculation seen so far, else a variable (declared or computed). */
static int name_node(struct parser *p, const struct token *t, const char *name)
{
	int n, ref;

	for (int i = 0; i < p->r->ncalcs; i++)
		if (strcmp(p->r->calcs[i].name, name) == 0)
			return calc_node(p, t, i);
	ref = rule_var_ref(p->r, name);
	if (ref == -2)
		return fail_at(p, t->line, t->col, "trop de variables (%d au plus)", RULE_MAX_VARS);
	if (ref < 0)
		return unknown_name(p, t, name);
	n = new_node(p, N_VAR, t);
	if (n >= 0) {
		p->nodes[n].ref = ref;
		p->nodes[n].type = p->r->vars[ref].type;
		p->r->vars[ref].used = 1;
	}
	return n;
}

static int parse_name(struct parser *p)
{
	struct token t = p->tok;
	char name[RULE_MAX_NAME + 1];
	int fi;

	if (t.len > RULE_MAX_NAME)
		return FAIL_TOK(p, "nom trop long (%d caractères au plus)", RULE_MAX_NAME);
	memcpy(name, p->lx.src + t.start, t.len);
	name[t.len] = '\0';
	if (next(p) < 0)
		return -1;
	fi = find_function(name, t.len);
	if (p->tok.kind == T_LPAREN) {
		if (fi < 0)
			return fail_at(p, t.line, t.col, "fonction inconnue « %s »", name);
		return parse_call(p, &t, fi);
	}
	if (fi >= 0)
		return fail_at(p, t.line, t.col, "« %s » est une fonction : écrivez %s( … )", name,
		               name);
	return name_node(p, &t, name);
}

static int literal(struct parser *p, enum nkind kind)
{
	int n = new_node(p, kind, &p->tok);

	if (n < 0)
		return -1;
	if (kind == N_NUM) {
		p->nodes[n].num = p->tok.num;
		p->nodes[n].type = RT_NUM;
	} else if (kind == N_STR) {
		p->nodes[n].ref = (int)p->pool.len;
		buf_append(&p->pool, buf_cstr(&p->lx.str), p->lx.str.len);
		buf_putc(&p->pool, '\0');
		p->nodes[n].type = RT_STR;
	} else {
		p->nodes[n].ref = p->tok.kind == T_VRAI;
		p->nodes[n].type = RT_BOOL;
	}
	return next(p) < 0 ? -1 : n;
}

static int parse_primary(struct parser *p)
{
	char got[80];
	int e;

	switch (p->tok.kind) {
	case T_NUM: return literal(p, N_NUM);
	case T_STR: return literal(p, N_STR);
	case T_VRAI:
	case T_FAUX: return literal(p, N_BOOL);
	case T_IDENT: return parse_name(p);
	case T_LBRACK: return parse_list(p);
	case T_SI: return parse_if(p);
	case T_LPAREN:
		if (next(p) < 0)
			return -1;
		e = parse_expr(p);
		if (e < 0 || expect(p, T_RPAREN, "pour fermer la parenthèse") < 0)
			return -1;
		return e;
	default: break;
	}
	if (p->failed)
		return -1;
	tok_show(p, got, sizeof(got));
	if (p->tok.kind == T_EOF)
		return FAIL_TOK(p, "expression incomplète : une valeur est attendue à la fin");
	return FAIL_TOK(p, "valeur attendue, trouvé %s", got);
}

static int parse_unary(struct parser *p)
{
	struct token t = p->tok;
	int x;

	if (t.kind == T_MINUS || t.kind == T_PLUS) {
		if (enter(p) < 0 || next(p) < 0)
			return -1;
		x = parse_unary(p);
		if (x < 0)
			return leave(p, -1);
		if (t.kind == T_PLUS)
			return leave(p, want_type(p, x, RT_NUM, "« + »") < 0 ? -1 : x);
		return leave(p, negate(p, &t, x));
	}
	return parse_primary(p);
}

static int arith(struct parser *p, enum nkind kind, const struct token *op, int a, int b)
{
	const char *name = tok_text(op->kind);
	int n;

	if (a < 0 || b < 0)
		return -1;
	if (want_type(p, a, RT_NUM, name) < 0 || want_type(p, b, RT_NUM, name) < 0)
		return -1;
	if (kind == N_DIV && p->nodes[b].kind == N_NUM && p->nodes[b].num.num == 0)
		return FAIL_NODE(p, b, "division par zéro");
	n = binary(p, kind, op, a, b);
	if (n >= 0)
		p->nodes[n].type = RT_NUM;
	return n;
}

static int parse_product(struct parser *p)
{
	int a = parse_unary(p);

	while (a >= 0 && (p->tok.kind == T_STAR || p->tok.kind == T_SLASH)) {
		struct token op = p->tok;
		if (next(p) < 0)
			return -1;
		a = arith(p, op.kind == T_STAR ? N_MUL : N_DIV, &op, a, parse_unary(p));
	}
	return a;
}

static int parse_sum(struct parser *p)
{
	int a = parse_product(p);

	while (a >= 0 && (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS)) {
		struct token op = p->tok;
		if (next(p) < 0)
			return -1;
		a = arith(p, op.kind == T_PLUS ? N_ADD : N_SUB, &op, a, parse_product(p));
	}
	return a;
}

static enum nkind cmp_kind(enum tok t)
{
	switch (t) {
	case T_EQ: return N_EQ;
	case T_NE: return N_NE;
	case T_LT: return N_LT;
	case T_LE: return N_LE;
	case T_GT: return N_GT;
	case T_GE: return N_GE;
	case T_DANS: return N_IN;
	default: return N_NUM;
	}
}

static int check_compare(struct parser *p, enum nkind kind, int a, int b)
{
	enum rtype ta = p->nodes[a].type, tb = p->nodes[b].type;

	if (kind == N_IN) {
		if (p->nodes[b].kind != N_LIST)
			return FAIL_NODE(p, b, "« dans » attend une liste écrite entre [ et ]");
		if (ta != RT_NUM && ta != RT_STR)
			return FAIL_NODE(p, a, "« dans » cherche un nombre ou un texte, pas %s",
			                 rule_type_name(ta));
		if (p->nodes[b].nkids > 0 && tb != (ta == RT_NUM ? RT_LIST_NUM : RT_LIST_STR))
			return FAIL_NODE(p, b, "« dans » cherche %s dans %s", rule_type_name(ta),
			                 rule_type_name(tb));
		return 0;
	}
	if (want_scalar(p, a) < 0 || want_scalar(p, b) < 0)
		return -1;
	if (kind != N_EQ && kind != N_NE)
		return want_type(p, a, RT_NUM, "une comparaison < <= > >=") < 0
		           ? -1
		           : want_type(p, b, RT_NUM, "une comparaison < <= > >=");
	if (ta != tb)
		return FAIL_NODE(p, b, "comparaison impossible entre %s et %s", rule_type_name(ta),
		                 rule_type_name(tb));
	return 0;
}

static int parse_compare(struct parser *p)
{
	int a = parse_sum(p), b, n;
	enum nkind kind;
	struct token op;

	if (a < 0)
		return -1;
	kind = cmp_kind(p->tok.kind);
	if (kind == N_NUM)
		return a;
	op = p->tok;
	if (next(p) < 0)
		return -1;
	b = parse_sum(p);
	if (b < 0 || check_compare(p, kind, a, b) < 0)
		return -1;
	n = binary(p, kind, &op, a, b);
	if (n < 0)
		return -1;
	p->nodes[n].type = RT_BOOL;
	if (cmp_kind(p->tok.kind) != N_NUM)
		return FAIL_TOK(p, "comparaisons enchaînées : écrivez par exemple "
		                   "« a < b et b < c »");
	return n;
}

static int parse_not(struct parser *p)
{
	struct token t = p->tok;
	int x, n;

	if (t.kind != T_NON)
		return parse_compare(p);
	if (enter(p) < 0 || next(p) < 0)
		return -1;
	x = parse_not(p);
	if (x < 0 || want_type(p, x, RT_BOOL, "« non »") < 0)
		return leave(p, -1);
	n = new_node(p, N_NOT, &t);
	if (n < 0 || add_kid(p, n, x) < 0)
		return leave(p, -1);
	p->nodes[n].type = RT_BOOL;
	return leave(p, n);
}

static int logic(struct parser *p, enum nkind kind, const struct token *op, int a, int b)
{
	int n;

	if (a < 0 || b < 0)
		return -1;
	if (want_type(p, a, RT_BOOL, tok_text(op->kind)) < 0 ||
	    want_type(p, b, RT_BOOL, tok_text(op->kind)) < 0)
		return -1;
	n = binary(p, kind, op, a, b);
	if (n >= 0)
		p->nodes[n].type = RT_BOOL;
	return n;
}

static int parse_and(struct parser *p)
{
	int a = parse_not(p);

	while (a >= 0 && p->tok.kind == T_ET) {
		struct token op = p->tok;
		if (next(p) < 0)
			return -1;
		a = logic(p, N_AND, &op, a, parse_not(p));
	}
	return a;
}

static int parse_or(struct parser *p)
{
	int a = parse_and(p);

	while (a >= 0 && p->tok.kind == T_OU) {
		struct token op = p->tok;
		if (next(p) < 0)
			return -1;
		a = logic(p, N_OR, &op, a, parse_and(p));
	}
	return a;
}

static int parse_expr(struct parser *p)
{
	int e;

	if (enter(p) < 0)
		return -1;
	e = p->tok.kind == T_SI ? parse_if(p) : parse_or(p);
	return leave(p, e);
}

/* Line and column of byte offset off in src. */
static void position_of(const char *src, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (src[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)src[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static int check_source(struct parser *p, const char *src)
{
	size_t n = strlen(src), ok;
	int line, col;

	if (n > RULE_MAX_EXPR_BYTES)
		return fail_at(p, 1, 1, "expression trop longue (%d octets au plus)",
		               RULE_MAX_EXPR_BYTES);
	ok = utf8_valid_prefix(src, n);
	if (ok < n) {
		position_of(src, ok, &line, &col);
		return fail_at(p, line, col,
		               "caractère invalide (texte UTF-8 sans caractère de "
		               "contrôle attendu)");
	}
	return 0;
}

static int parse_all(struct parser *p, const char *src, enum rtype want)
{
	char got[80];
	int root;

	if (check_source(p, src) < 0 || next(p) < 0)
		return -1;
	if (p->tok.kind == T_EOF)
		return fail_at(p, 1, 1, "expression vide");
	root = parse_expr(p);
	if (root < 0)
		return -1;
	if (p->tok.kind != T_EOF) {
		tok_show(p, got, sizeof(got));
		return FAIL_TOK(p, "%s inattendu ici (un opérateur manque-t-il ?)", got);
	}
	if (want_scalar(p, root) < 0)
		return -1;
	if (want != RT_NONE && p->nodes[root].type != want)
		return FAIL_NODE(p, root, "cette expression doit donner %s, elle donne %s",
		                 rule_type_name(want), rule_type_name(p->nodes[root].type));
	return root;
}

int rexpr_parse(struct rule *r, const char *src, enum rtype want, struct rexpr *out,
                struct rule_error *err)
{
	struct parser p;
	int root;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.r = r;
	p.err = err;
	buf_init(&p.pool, 2 * RULE_MAX_EXPR_BYTES + 16);
	lexer_init(&p.lx, src ? src : "");
	root = parse_all(&p, src ? src : "", want);
	lexer_free(&p.lx);
	if (root < 0 || p.pool.err) {
		if (!p.failed)
			fail_at(&p, 1, 1, "expression trop grande");
		free(p.nodes);
		buf_free(&p.pool);
		return CAS_EINVAL;
	}
	out->src = xstrdup(src);
	out->nodes = p.nodes;
	out->nnodes = p.nnodes;
	out->root = root;
	out->depth = p.nodes[root].depth;
	out->type = p.nodes[root].type;
	out->pool = buf_steal(&p.pool);
	return 0;
}

void rexpr_free(struct rexpr *e)
{
	if (!e)
		return;
	free(e->src);
	free(e->pool);
	free(e->nodes);
	memset(e, 0, sizeof(*e));
}

const char *rexpr_str(const struct rexpr *e, const struct node *n)
{
	return e && e->pool ? e->pool + n->ref : "";
}
