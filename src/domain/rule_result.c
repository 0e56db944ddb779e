/* rule_eval(): evaluates a parsed rule over the variables of a situation
 * and writes the result with its explanation: each calculation, each
 * condition with the values it read and its outcome, each bracket chosen,
 * the rate, the amount formula with the numbers put in, the rounding and
 * the ceiling, and the same as French sentences. */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "domain/rule_internal.h"

struct report {
	struct ectx *c;
	json_t *texte, *conds, *calcs, *failed;
	size_t logged;    /* grid lookups already written as sentences */
	struct miss miss; /* missing variables the decision waits for */
	int err;          /* index of the first blocking error, -1 none */
	int nfalse, nopen;
	struct buf line;
};

#define MONEY_LIMIT INT64_C(10000000000) /* 100 000 000,00 € in cents */

static int has_missing(const struct miss *m)
{
	for (size_t w = 0; w < sizeof(m->w) / sizeof(m->w[0]); w++)
		if (m->w[w])
			return 1;
	return 0;
}

static void emit(struct report *rp)
{
	json_array_append_new(rp->texte, json_string(buf_cstr(&rp->line)));
	buf_reset(&rp->line);
}

/* The source text on one line. */
static void one_line(const char *src, struct buf *b)
{
	for (; *src; src++)
		buf_putc(b, *src == '\n' || *src == '\r' || *src == '\t' ? ' ' : *src);
}

static enum runit unit_of(const char *s)
{
	if (s && strcmp(s, "euros") == 0)
		return UNIT_EUROS;
	if (s && strcmp(s, "pourcent") == 0)
		return UNIT_PERCENT;
	return UNIT_NUMBER;
}

static void lookup_sentence(struct report *rp, const json_t *o)
{
	struct ratio x, v;
	const char *col = json_string_value(json_object_get(o, "colonne"));
	const char *lib = json_string_value(json_object_get(o, "tranche_libelle"));

	ratio_parse(json_string_value(json_object_get(o, "valeur")), &x);
	ratio_parse(json_string_value(json_object_get(o, "resultat")), &v);
	buf_printf(&rp->line, "Barème « %s » : ", json_string_value(json_object_get(o, "libelle")));
	rule_fmt_number(x, UNIT_NUMBER, &rp->line);
	buf_printf(&rp->line, " est dans la tranche %d (%s%s%s)",
	           (int)json_integer_value(json_object_get(o, "tranche")),
	           json_string_value(json_object_get(o, "tranche_texte")), lib ? ", " : "",
	           lib ? lib : "");
	if (col)
		buf_printf(&rp->line, ", colonne « %s »", col);
	buf_puts(&rp->line, " : ");
	rule_fmt_number(v, unit_of(json_string_value(json_object_get(o, "unite"))), &rp->line);
	buf_putc(&rp->line, '.');
	emit(rp);
}

static void log_lookups(struct report *rp)
{
	while (rp->logged < json_array_size(rp->c->lookups))
		lookup_sentence(rp, json_array_get(rp->c->lookups, rp->logged++));
}

/* "qf_fiscal = 400, commune_residence = « 67218 »" ("≈" for a value with
 * no finite decimal form). */
static void values_text(const struct ectx *c, const struct rexpr *e, struct buf *b)
{
	uint8_t seen_v[RULE_MAX_VARS] = {0}, seen_c[RULE_MAX_CALCS] = {0};
	int first = 1;
	struct buf v;

	buf_init(&v, 4096);
	for (int i = 0; i < e->nnodes; i++) {
		const struct node *n = &e->nodes[i];
		uint8_t *seen = n->kind == N_VAR ? &seen_v[n->ref] : &seen_c[n->ref];
		if ((n->kind != N_VAR && n->kind != N_CALC) || *seen ||
		    (n->kind == N_CALC && !c->calc_done[n->ref]))
			continue;
		*seen = 1;
		buf_reset(&v);
		rule_fmt_val(n->kind == N_VAR ? &c->vars[n->ref] : &c->calcs[n->ref], &v);
		buf_printf(b, "%s%s %s", first ? "" : ", ",
		           n->kind == N_VAR ? c->r->vars[n->ref].name : c->r->calcs[n->ref].name,
		           strncmp(buf_cstr(&v), "≈ ", strlen("≈ ")) == 0 ? "" : "= ");
		buf_puts(b, buf_cstr(&v));
		first = 0;
	}
	buf_free(&v);
}

/* "src = substituted": the second part only when it says more than the
 * source text and than the value itself. */
static void formula(const struct ectx *c, const struct rexpr *e, const struct val *v, struct buf *b)
{
	size_t start = b->len;
	struct buf s, val;

	one_line(e->src, b);
	buf_init(&s, 16384);
	buf_init(&val, 256);
	rule_substitute(c, e, &s);
	rule_print_value(v, &val);
	if (strcmp(buf_cstr(b) + start, buf_cstr(&s)) != 0 &&
	    strcmp(buf_cstr(&val), buf_cstr(&s)) != 0)
		buf_printf(b, " = %s", buf_cstr(&s));
	buf_free(&s);
	buf_free(&val);
}

static void why_unknown(struct report *rp, const struct val *v)
{
	if (v->kind == V_ERR) {
		buf_printf(&rp->line, "%s", rp->c->errs[v->err]);
	} else {
		buf_puts(&rp->line, "il manque ");
		rule_missing_text(rp->c->r, &v->m, &rp->line);
	}
}

/* ectx callback: a calculation was just computed. Its sentence goes
 * before the one of the expression that needed it. */
static void calc_done(void *arg, int i)
{
	struct report *rp = arg;
	const struct rcalc *k = &rp->c->r->calcs[i];
	struct val v = rp->c->calcs[i];
	struct buf saved = rp->line; /* the caller writes its sentence after evaluating */
	json_t *o;

	buf_init(&rp->line, 64 * 1024);
	log_lookups(rp);
	o = json_pack("{s:s, s:s, s:s, s:o}", "nom", k->name, "libelle", k->libelle, "expression",
	              k->e.src, "valeur", rule_val_json(&v));
	if (v.kind == V_ERR)
		json_object_set_new(o, "erreur", json_string(rp->c->errs[v.err]));
	json_array_append_new(rp->calcs, o);
	buf_printf(&rp->line, "Calcul « %s » : %s = ", k->libelle, k->name);
	if (v.kind < V_UNK) {
		formula(rp->c, &k->e, &v, &rp->line);
		buf_puts(&rp->line, " = ");
		rule_fmt_val(&v, &rp->line);
	} else {
		one_line(k->e.src, &rp->line);
		buf_puts(&rp->line, " : impossible, ");
		why_unknown(rp, &v);
	}
	buf_putc(&rp->line, '.');
	emit(rp);
	buf_free(&rp->line);
	rp->line = saved;
}

static void block(struct report *rp, const struct val *v)
{
	if (v->kind == V_ERR && rp->err < 0)
		rp->err = v->err;
	for (size_t w = 0; w < sizeof(rp->miss.w) / sizeof(rp->miss.w[0]); w++)
		rp->miss.w[w] |= v->m.w[w];
}

static void cond_one(struct report *rp, const struct rcond *k, struct miss *open)
{
	struct val v = rexpr_eval(rp->c, &k->e);
	json_t *res = v.kind == V_BOOL ? json_boolean(v.b) : json_null();
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "libelle", k->libelle, "expression", k->e.src,
	                      "valeurs", rule_used_values(rp->c, &k->e), "resultat", res);

	log_lookups(rp);
	buf_printf(&rp->line, "Condition « %s » : ", k->libelle);
	if (v.kind == V_BOOL) {
		size_t mark, start;
		buf_puts(&rp->line, v.b ? "remplie" : "non remplie");
		mark = rp->line.len;
		buf_puts(&rp->line, " (");
		start = rp->line.len;
		values_text(rp->c, &k->e, &rp->line);
		if (rp->line.len == start && !rp->line.err && rp->line.data) {
			rp->line.len = mark;
			rp->line.data[mark] = '\0';
		} else {
			buf_putc(&rp->line, ')');
		}
		buf_putc(&rp->line, '.');
		if (!v.b) {
			rp->nfalse++;
			json_array_append_new(rp->failed, json_string(k->libelle));
		}
	} else {
		buf_puts(&rp->line, "indéterminée, ");
		why_unknown(rp, &v);
		buf_putc(&rp->line, '.');
		rp->nopen++;
		if (v.kind == V_ERR) {
			json_object_set_new(o, "erreur", json_string(rp->c->errs[v.err]));
			if (rp->err < 0)
				rp->err = v.err;
		}
		for (size_t w = 0; w < sizeof(open->w) / sizeof(open->w[0]); w++)
			open->w[w] |= v.m.w[w];
		json_object_set_new(o, "manquants", rule_missing_json(rp->c->r, &v.m));
	}
	json_array_append_new(rp->conds, o);
	emit(rp);
}

/* Starts the sentence "what : formula" of a number of the result and
 * evaluates it; 0 when known (the caller ends the sentence), else the
 * sentence says why and the decision is blocked. f, when not NULL,
 * receives the formula with its value. */
static int result_value(struct report *rp, const struct rexpr *e, const char *what,
                        struct ratio *out, struct buf *f)
{
	struct val v = rexpr_eval(rp->c, e);

	log_lookups(rp);
	buf_printf(&rp->line, "%s : ", what);
	formula(rp->c, e, &v, &rp->line);
	if (f) {
		formula(rp->c, e, &v, f);
		buf_puts(f, " = ");
		rule_print_value(&v, f);
	}
	if (v.kind != V_NUM) {
		buf_puts(&rp->line, " : impossible, ");
		why_unknown(rp, &v);
		buf_putc(&rp->line, '.');
		emit(rp);
		block(rp, &v);
		return -1;
	}
	*out = v.n;
	return 0;
}

static int fail_result(struct report *rp, const char *msg)
{
	struct val v;

	memset(&v, 0, sizeof(v));
	v.kind = V_ERR;
	v.err = ectx_error(rp->c, "%s", msg);
	block(rp, &v);
	buf_printf(&rp->line, "%s.", msg);
	emit(rp);
	return -1;
}

static const char *rounding_text(int decimals)
{
	return decimals == 0 ? "à l'euro" : decimals == 1 ? "aux dix centimes" : "au centime";
}

/* The amount (or tariff) in cents, rounded as the rule says, not negative. */
static int amount(struct report *rp, int64_t *cents, struct buf *f)
{
	const struct rule *r = rp->c->r;
	struct ratio m, rounded;

	if (result_value(rp, &r->montant, r->nature == NAT_TARIF ? "Tarif" : "Montant", &m, f) < 0)
		return -1;
	if (ratio_round(m, r->decimals, r->mode, &rounded) != 0 ||
	    ratio_to_scaled(rounded, 2, RATIO_HALF_UP, cents) != 0 || *cents > MONEY_LIMIT ||
	    *cents < -MONEY_LIMIT) {
		buf_putc(&rp->line, '.');
		emit(rp);
		return fail_result(rp, "le montant calculé est trop grand");
	}
	buf_puts(&rp->line, " = ");
	if (ratio_cmp(rounded, m) != 0) {
		rule_fmt_number(m, UNIT_NUMBER, &rp->line);
		buf_printf(&rp->line, " €, arrondi %s (%s) : ", rounding_text(r->decimals),
		           rule_mode_text(r->mode));
	}
	rule_fmt_number(rounded, UNIT_EUROS, &rp->line);
	buf_putc(&rp->line, '.');
	emit(rp);
	if (*cents < 0) {
		*cents = 0;
		buf_puts(&rp->line,
		         "Le montant calculé est négatif : il est ramené à 0,00\xc2\xa0€.");
		emit(rp);
	}
	return 0;
}

static int ceiling_part(struct report *rp, const struct rexpr *e, const char *what,
                        struct ratio *out)
{
	if (result_value(rp, e, what, out, NULL) < 0)
		return -1;
	buf_puts(&rp->line, " = ");
	rule_fmt_number(*out, UNIT_EUROS, &rp->line);
	buf_putc(&rp->line, '.');
	emit(rp);
	return 0;
}

/* Applies the ceiling for the period, given what was already paid. */
static int ceiling(struct report *rp, int64_t *cents, json_t **expl)
{
	const struct rule *r = rp->c->r;
	struct ratio p, d, avail;
	int64_t left;
	char a[RATIO_FMT_SIZE], b[RATIO_FMT_SIZE];

	if (ceiling_part(rp, &r->plafond, r->plafond_libelle, &p) < 0 ||
	    ceiling_part(rp, &r->deja_verse, "Déjà versé sur la période", &d) < 0)
		return -1;
	if (ratio_sub(p, d, &avail) != 0 || ratio_to_scaled(avail, 2, RATIO_DOWN, &left) != 0)
		return fail_result(rp, "le plafond disponible est trop grand pour être calculé");
	if (left < 0)
		left = 0;
	buf_printf(&rp->line,
	           "Reste disponible sous le plafond%s%s%s : ", r->plafond_periode ? " (" : "",
	           r->plafond_periode ? r->plafond_periode : "", r->plafond_periode ? ")" : "");
	rule_fmt_number(ratio_cents(left), UNIT_EUROS, &rp->line);
	buf_putc(&rp->line, '.');
	emit(rp);
	*expl = json_pack("{s:s, s:s?, s:s, s:s, s:I, s:b}", "libelle", r->plafond_libelle,
	                  "periode", r->plafond_periode, "plafond", ratio_format_exact(p, a),
	                  "deja_verse", ratio_format_exact(d, b), "disponible_centimes",
	                  (json_int_t)left, "applique", *cents > left);
	if (*cents > left) {
		*cents = left;
		buf_puts(&rp->line, "Le montant est ramené au plafond disponible : ");
		rule_fmt_number(ratio_cents(left), UNIT_EUROS, &rp->line);
		buf_putc(&rp->line, '.');
		emit(rp);
	}
	return 0;
}

static int rate(struct report *rp, json_t **taux, struct buf *f)
{
	struct ratio t;
	char text[RATIO_FMT_SIZE];

	if (result_value(rp, &rp->c->r->taux, "Taux", &t, f) < 0)
		return -1;
	buf_puts(&rp->line, " = ");
	rule_fmt_number(t, UNIT_PERCENT, &rp->line);
	buf_putc(&rp->line, '.');
	emit(rp);
	*taux = json_string(ratio_format_exact(t, text));
	return 0;
}

struct outcome {
	const char *issue;
	int has_cents;
	int64_t cents;
	json_t *taux, *plafond;
	struct buf formule;
};

static void decide_outputs(struct report *rp, struct outcome *out)
{
	const struct rule *r = rp->c->r;
	int ok = 1;

	if (r->has_taux)
		ok = rate(rp, &out->taux, r->nature == NAT_NONE ? &out->formule : NULL) == 0;
	if (ok && r->nature != NAT_NONE) {
		ok = amount(rp, &out->cents, &out->formule) == 0;
		if (ok && r->has_plafond)
			ok = ceiling(rp, &out->cents, &out->plafond) == 0;
		out->has_cents = ok;
	}
	if (!ok)
		out->issue = "indetermine";
}

static void conclusion(struct report *rp, const struct outcome *out)
{
	const struct rule *r = rp->c->r;
	size_t n = json_array_size(rp->failed);

	if (strcmp(out->issue, "non_eligible") == 0) {
		buf_printf(&rp->line, "Résultat : non éligible, %s ",
		           n > 1 ? "les conditions" : "la condition");
		for (size_t i = 0; i < n; i++)
			buf_printf(&rp->line, "%s« %s »",
			           i == 0       ? ""
			           : i + 1 == n ? " et "
			                        : ", ",
			           json_string_value(json_array_get(rp->failed, i)));
		buf_puts(&rp->line, n > 1 ? " ne sont pas remplies." : " n'est pas remplie.");
	} else if (strcmp(out->issue, "indetermine") == 0) {
		buf_puts(&rp->line, "Résultat : indéterminé, ");
		if (rp->err >= 0 && !has_missing(&rp->miss))
			buf_printf(&rp->line, "%s.", rp->c->errs[rp->err]);
		else {
			buf_puts(&rp->line, "il manque ");
			rule_missing_text(r, &rp->miss, &rp->line);
			buf_putc(&rp->line, '.');
		}
	} else {
		buf_puts(&rp->line, "Résultat : éligible");
		if (out->taux) {
			struct ratio t;
			ratio_parse(json_string_value(out->taux), &t);
			buf_puts(&rp->line, ", taux ");
			rule_fmt_number(t, UNIT_PERCENT, &rp->line);
		}
		if (out->has_cents) {
			buf_puts(&rp->line, r->nature == NAT_TARIF ? ", tarif " : ", montant ");
			rule_fmt_number(ratio_cents(out->cents), UNIT_EUROS, &rp->line);
		}
		buf_putc(&rp->line, '.');
	}
	emit(rp);
}

static const char *nature_code(const struct rule *r)
{
	if (r->nature == NAT_MONTANT)
		return "montant";
	if (r->nature == NAT_TARIF)
		return "tarif";
	return r->has_taux ? "taux" : "eligibilite";
}

static json_t *build(struct report *rp, struct outcome *out)
{
	const struct rule *r = rp->c->r;
	json_t *lookups = rp->c->lookups, *res;
	json_t *expl = json_pack(
	    "{s:O, s:O, s:O, s:O, s:s?, s:O, s:O}", "conditions", rp->conds, "calculs", rp->calcs,
	    "bareme", json_array_size(lookups) ? json_array_get(lookups, 0) : json_null(),
	    "baremes", lookups, "formule", out->formule.len ? buf_cstr(&out->formule) : NULL,
	    "plafond", out->plafond ? out->plafond : json_null(), "texte", rp->texte);

	res = json_pack(
	    "{s:s, s:s, s:o, s:o, s:o}", "issue", out->issue, "nature", nature_code(r),
	    "montant_centimes", out->has_cents ? json_integer((json_int_t)out->cents) : json_null(),
	    "manquants",
	    strcmp(out->issue, "indetermine") == 0 ? rule_missing_json(r, &rp->miss) : json_array(),
	    "explication", expl);
	if (r->has_taux)
		json_object_set(res, "taux", out->taux ? out->taux : json_null());
	if (strcmp(out->issue, "indetermine") == 0 && rp->err >= 0)
		json_object_set_new(res, "erreur", json_string(rp->c->errs[rp->err]));
	return res;
}

static void report_free(struct report *rp, struct outcome *out)
{
	json_decref(rp->texte);
	json_decref(rp->conds);
	json_decref(rp->calcs);
	json_decref(rp->failed);
	json_decref(rp->c->lookups);
	buf_free(&rp->line);
	json_decref(out->taux);
	json_decref(out->plafond);
	buf_free(&out->formule);
}

int rule_eval(const struct rule *r, const json_t *vars, json_t **result)
{
	struct report rp;
	struct outcome out;
	struct miss open;

	if (!r || !result)
		return CAS_EINVAL;
	memset(&rp, 0, sizeof(rp));
	memset(&out, 0, sizeof(out));
	memset(&open, 0, sizeof(open));
	rp.c = xmalloc(sizeof(*rp.c));
	ectx_init(rp.c, r, vars);
	rp.c->lookups = json_array();
	rp.texte = json_array();
	rp.conds = json_array();
	rp.calcs = json_array();
	rp.failed = json_array();
	rp.err = -1;
	buf_init(&rp.line, 64 * 1024);
	buf_init(&out.formule, 32 * 1024);
	rp.c->on_calc = calc_done;
	rp.c->arg = &rp;
	for (int i = 0; i < r->nconds; i++)
		cond_one(&rp, &r->conds[i], &open);
	if (rp.nfalse > 0) {
		out.issue = "non_eligible";
		rp.err = -1;
	} else if (rp.nopen > 0) {
		out.issue = "indetermine";
		for (size_t w = 0; w < sizeof(open.w) / sizeof(open.w[0]); w++)
			rp.miss.w[w] |= open.w[w];
	} else {
		out.issue = "eligible";
		decide_outputs(&rp, &out);
	}
	conclusion(&rp, &out);
	*result = build(&rp, &out);
	report_free(&rp, &out);
	free(rp.c);
	return *result ? 0 : CAS_ENOMEM;
}
