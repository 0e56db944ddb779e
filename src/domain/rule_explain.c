/* Pieces of the explanation of an evaluation: numbers written the French
 * way ("1 234,56 €", "8,33", "≈ 883,33" for a value with no finite
 * decimal form), the expression printed back with the values of its
 * variables put in, the values an expression read, the missing names. */
#include <stdio.h>
#include <string.h>

#include "domain/money.h"
#include "domain/rule_internal.h"

#define NNBSP "\xe2\x80\xaf" /* U+202F, between thousands */
#define NBSP  "\xc2\xa0"     /* U+00A0, before a unit */

/* "-1234.5" -> "-1 234,5". */
static void group_digits(const char *plain, struct buf *out)
{
	const char *p = plain, *dot;
	size_t ndig;

	if (*p == '-')
		buf_putc(out, *p++);
	dot = strchr(p, '.');
	ndig = dot ? (size_t)(dot - p) : strlen(p);
	for (size_t i = 0; i < ndig; i++) {
		if (i > 0 && (ndig - i) % 3 == 0 && ndig > 3)
			buf_puts(out, NNBSP);
		buf_putc(out, p[i]);
	}
	if (dot) {
		buf_putc(out, ',');
		buf_puts(out, dot + 1);
	}
}

void rule_fmt_number(struct ratio r, enum runit unit, struct buf *out)
{
	char text[RATIO_FMT_SIZE];
	int64_t cents;

	if (unit == UNIT_EUROS && ratio_to_scaled(r, 2, RATIO_HALF_UP, &cents) == 0 &&
	    cents > -MONEY_MAX_CENTS * 100 && cents < MONEY_MAX_CENTS * 100) {
		char m[MONEY_FMT_SIZE];
		struct ratio back = ratio_cents(cents);
		if (ratio_cmp(back, r) != 0)
			buf_puts(out, "≈ ");
		money_format(cents, m, sizeof(m));
		buf_puts(out, m);
		return;
	}
	ratio_format_exact(r, text);
	if (strchr(text, '/')) {
		buf_puts(out, "≈ ");
		ratio_format(r, 2, text);
	}
	group_digits(text, out);
	if (unit == UNIT_PERCENT)
		buf_puts(out, NBSP "%");
}

void rule_fmt_val(const struct val *v, struct buf *out)
{
	switch ((enum vkind)v->kind) {
	case V_NUM: rule_fmt_number(v->n, UNIT_NUMBER, out); return;
	case V_STR: buf_printf(out, "« %s »", v->s); return;
	case V_BOOL: buf_puts(out, v->b ? "vrai" : "faux"); return;
	case V_UNK: buf_puts(out, "inconnu"); return;
	case V_ERR: buf_puts(out, "erreur"); return;
	}
}

json_t *rule_val_json(const struct val *v)
{
	char text[RATIO_FMT_SIZE];

	switch ((enum vkind)v->kind) {
	case V_NUM: return json_string(ratio_format_exact(v->n, text));
	case V_STR: return json_string(v->s);
	case V_BOOL: return json_boolean(v->b);
	default: return json_null();
	}
}

static int prec(const struct node *n)
{
	switch ((enum nkind)n->kind) {
	case N_IF: return 1;
	case N_OR: return 2;
	case N_AND: return 3;
	case N_NOT: return 4;
	case N_EQ:
	case N_NE:
	case N_LT:
	case N_LE:
	case N_GT:
	case N_GE:
	case N_IN: return 5;
	case N_ADD:
	case N_SUB: return 6;
	case N_MUL:
	case N_DIV: return 7;
	case N_NEG: return 8;
	default: return 9;
	}
}

static const char *op_text(enum nkind k)
{
	static const char *const ops[] = {
	    [N_ADD] = "+",   [N_SUB] = "-",  [N_MUL] = "*", [N_DIV] = "/", [N_EQ] = "=",
	    [N_NE] = "!=",   [N_LT] = "<",   [N_LE] = "<=", [N_GT] = ">",  [N_GE] = ">=",
	    [N_IN] = "dans", [N_AND] = "et", [N_OR] = "ou",
	};
	return (unsigned)k < sizeof(ops) / sizeof(ops[0]) && ops[k] ? ops[k] : "?";
}

static const char *const func_text[] = {
    [F_MIN] = "min",     [F_MAX] = "max",     [F_ROUND] = "arrondi",  [F_ABS] = "abs",
    [F_GRID] = "bareme", [F_KNOWN] = "connu", [F_DEFAULT] = "defaut",
};

struct printer {
	const struct ectx *c;
	const struct rexpr *e;
	struct buf *out;
};

static const struct node *child(const struct rexpr *e, const struct node *n, int i)
{
	int k = n->kid;

	while (i-- > 0 && k >= 0)
		k = e->nodes[k].next;
	return k >= 0 ? &e->nodes[k] : NULL;
}

static const struct node *sibling(const struct rexpr *e, const struct node *n)
{
	return n->next >= 0 ? &e->nodes[n->next] : NULL;
}

static void print_string(const char *s, struct buf *out)
{
	buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

void rule_print_value(const struct val *v, struct buf *out)
{
	char text[RATIO_FMT_SIZE];

	switch ((enum vkind)v->kind) {
	case V_NUM:
		ratio_format_exact(v->n, text);
		if (strchr(text, '/'))
			buf_printf(out, "%s…", ratio_format(v->n, 2, text));
		else
			buf_printf(out, ratio_sign(v->n) < 0 ? "(%s)" : "%s", text);
		return;
	case V_STR: print_string(v->s, out); return;
	case V_BOOL: buf_puts(out, v->b ? "vrai" : "faux"); return;
	default: buf_putc(out, '?'); return;
	}
}

static void print_node(const struct printer *p, const struct node *n);

static void print_wrapped(const struct printer *p, const struct node *n, int wrap)
{
	if (wrap)
		buf_putc(p->out, '(');
	print_node(p, n);
	if (wrap)
		buf_putc(p->out, ')');
}

static void print_list(const struct printer *p, const struct node *n, const char *open,
                       const char *close)
{
	buf_puts(p->out, open);
	for (const struct node *k = child(p->e, n, 0); k; k = sibling(p->e, k)) {
		print_node(p, k);
		if (k->next >= 0)
			buf_puts(p->out, ", ");
	}
	buf_puts(p->out, close);
}

static void print_ref(const struct printer *p, const struct node *n)
{
	if (n->kind == N_CALC && !p->c->calc_done[n->ref])
		buf_puts(p->out, p->c->r->calcs[n->ref].name); /* in a branch not taken */
	else
		rule_print_value(n->kind == N_VAR ? &p->c->vars[n->ref] : &p->c->calcs[n->ref],
		                 p->out);
}

static void print_node(const struct printer *p, const struct node *n)
{
	char text[RATIO_FMT_SIZE];
	const struct node *a = child(p->e, n, 0), *b = child(p->e, n, 1);

	switch ((enum nkind)n->kind) {
	case N_NUM: buf_puts(p->out, ratio_format_exact(n->num, text)); return;
	case N_STR: print_string(rexpr_str(p->e, n), p->out); return;
	case N_BOOL: buf_puts(p->out, n->ref ? "vrai" : "faux"); return;
	case N_VAR:
	case N_CALC: print_ref(p, n); return;
	case N_LIST: print_list(p, n, "[", "]"); return;
	case N_CALL:
		buf_puts(p->out, func_text[n->func]);
		print_list(p, n, "(", ")");
		return;
	case N_NEG:
		buf_putc(p->out, '-');
		print_wrapped(p, a, prec(a) < 8);
		return;
	case N_NOT:
		buf_puts(p->out, "non ");
		print_wrapped(p, a, prec(a) < 4);
		return;
	case N_IF:
		buf_puts(p->out, "si ");
		print_node(p, a);
		buf_puts(p->out, " alors ");
		print_node(p, b);
		buf_puts(p->out, " sinon ");
		print_node(p, child(p->e, n, 2));
		return;
	default: break;
	}
	print_wrapped(p, a, prec(a) < prec(n));
	buf_printf(p->out, " %s ", op_text((enum nkind)n->kind));
	print_wrapped(p, b, prec(b) <= prec(n));
}

void rule_substitute(const struct ectx *c, const struct rexpr *e, struct buf *out)
{
	struct printer p = {c, e, out};

	if (e->nodes && e->root >= 0)
		print_node(&p, &e->nodes[e->root]);
}

json_t *rule_used_values(const struct ectx *c, const struct rexpr *e)
{
	json_t *o = json_object();

	for (int i = 0; i < e->nnodes; i++) {
		const struct node *n = &e->nodes[i];
		if (n->kind == N_VAR)
			json_object_set_new(o, c->r->vars[n->ref].name,
			                    rule_val_json(&c->vars[n->ref]));
		else if (n->kind == N_CALC)
			json_object_set_new(o, c->r->calcs[n->ref].name,
			                    c->calc_done[n->ref] ? rule_val_json(&c->calcs[n->ref])
			                                         : json_null());
	}
	return o;
}

static int has_bit(const struct miss *m, int i)
{
	return (m->w[i / 64] >> (i % 64)) & 1;
}

json_t *rule_missing_json(const struct rule *r, const struct miss *m)
{
	json_t *a = json_array();

	for (int i = 0; i < r->nvars; i++)
		if (has_bit(m, i))
			json_array_append_new(a, json_string(r->vars[i].name));
	return a;
}

void rule_missing_text(const struct rule *r, const struct miss *m, struct buf *out)
{
	int total = 0, seen = 0;

	for (int i = 0; i < r->nvars; i++)
		total += has_bit(m, i);
	for (int i = 0; i < r->nvars; i++) {
		if (!has_bit(m, i))
			continue;
		if (seen > 0)
			buf_puts(out, seen == total - 1 ? " et " : ", ");
		buf_printf(out, "%s « %s »", r->vars[i].name, r->vars[i].libelle);
		seen++;
	}
}
