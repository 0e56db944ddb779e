#include "base/tmpl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/utf8.h"
#include "base/xalloc.h"

#define MAX_NEST          32 /* open sections in one template */
#define MAX_PARTIAL_DEPTH 8
#define STACK_MAX         (1 + MAX_NEST * (MAX_PARTIAL_DEPTH + 1))
#define MAX_NAME          128
#define TRUSTED_PREFIX    "html_"

enum op_kind { OP_TEXT, OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL };

/* One compiled instruction. For OP_VAR, OP_RAW, OP_SECTION and OP_INVERTED,
 * str holds the name's segments one after the other, each NUL-terminated,
 * and len their count (0 for "."). */
struct op {
	enum op_kind kind;
	int line;
	const char *str; /* text (OP_TEXT), segments, or partial name */
	size_t len;      /* text bytes (OP_TEXT) or segment count */
	size_t end;      /* sections: index of the first op after the body */
};

struct tmpl {
	const char *name; /* in arena */
	struct arena *arena;
	struct op *ops;
	size_t nops, cap;
};

struct tmpl_set {
	struct tmpl **items; /* sorted by name */
	size_t n, cap;
};

/* ---- set ---------------------------------------------------------------- */

struct tmpl_set *tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

static void tmpl_free(struct tmpl *t)
{
	free(t->ops);
	arena_free(t->arena);
	free(t);
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_free(set->items[i]);
	free(set->items);
	free(set);
}

/* Index of name in the set, or where it would be inserted (*found = 0). */
static size_t set_search(const struct tmpl_set *set, const char *name, int *found)
{
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->items[mid]->name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static const struct tmpl *set_find(const struct tmpl_set *set, const char *name)
{
	int found;
	size_t i = set_search(set, name, &found);
	return found ? set->items[i] : NULL;
}

int tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return set_find(set, name) != NULL;
}

static void set_insert(struct tmpl_set *set, size_t at, struct tmpl *t)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->items = xrealloc(set->items, set->cap * sizeof(*set->items));
	}
	memmove(set->items + at + 1, set->items + at, (set->n - at) * sizeof(*set->items));
	set->items[at] = t;
	set->n++;
}

/* ---- parser ------------------------------------------------------------- */

struct open_section {
	size_t op;
	const char *name;
	size_t len;
	int line;
};

struct parser {
	struct tmpl *t;
	const char *src; /* the template's own copy of the text */
	size_t len, pos;
	int line; /* line number at pos */
	struct open_section open[MAX_NEST];
	int nopen;
	char *err;
	size_t errsz;
};

struct tag {
	size_t start, end; /* the whole tag, braces included */
	char sigil;        /* 0 for a plain value */
	const char *name;  /* trimmed content after the sigil */
	size_t nlen;
	int line;
};

static int fail(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int line, const char *fmt, ...)
{
	if (!p->err || p->errsz == 0)
		return CAS_EINVAL;
	int n = snprintf(p->err, p->errsz, "%s:%d: ", p->t->name, line);
	if (n >= 0 && (size_t)n < p->errsz) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errsz - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return CAS_EINVAL;
}

static int count_nl(const char *s, size_t n)
{
	int c = 0;
	for (const char *e = s + n; (s = memchr(s, '\n', (size_t)(e - s))) != NULL; s++)
		c++;
	return c;
}

static struct op *emit(struct parser *p, enum op_kind kind, int line)
{
	struct tmpl *t = p->t;
	if (t->nops == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->ops = xrealloc(t->ops, t->cap * sizeof(*t->ops));
	}
	struct op *op = &t->ops[t->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->line = line;
	return op;
}

static void emit_text(struct parser *p, size_t from, size_t to)
{
	if (to <= from)
		return;
	struct op *op = emit(p, OP_TEXT, p->line);
	op->str = p->src + from;
	op->len = to - from;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* "." or segments of name characters joined by single dots. */
static int valid_name(const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return 1;
	if (n == 0 || n > MAX_NAME || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !is_name_char(s[i]))
			return 0;
	}
	return 1;
}

static int valid_partial_name(const char *s, size_t n)
{
	if (n == 0 || n > MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]) && s[i] != '/' && s[i] != '.')
			return 0;
	return 1;
}

/* Copies a dotted name into the arena as NUL-separated segments. */
static const char *split_name(struct parser *p, const char *s, size_t n, size_t *nseg)
{
	if (n == 1 && s[0] == '.') {
		*nseg = 0;
		return "";
	}
	char *d = arena_strndup(p->t->arena, s, n);
	*nseg = 1;
	for (size_t i = 0; i < n; i++) {
		if (d[i] == '.') {
			d[i] = '\0';
			(*nseg)++;
		}
	}
	return d;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_sigil(char c)
{
	return c == '#' || c == '^' || c == '/' || c == '!' || c == '>' || c == '&' || c == '{';
}

/* Reads the tag starting at p->src[start] ("{{"). */
static int read_tag(struct parser *p, size_t start, struct tag *tag)
{
	size_t s = start + 2;
	tag->start = start;
	tag->sigil = s < p->len && is_sigil(p->src[s]) ? p->src[s] : 0;
	if (tag->sigil)
		s++;
	else if (s < p->len && p->src[s] == '}')
		return fail(p, tag->line, "empty tag");
	else if (s < p->len && !is_space(p->src[s]) && !is_name_char(p->src[s]) && p->src[s] != '.')
		return fail(p, tag->line, "unknown tag '{{%c'", p->src[s]);
	const char *close = tag->sigil == '{' ? "}}}" : "}}";
	size_t clen = strlen(close);
	const char *e = memmem(p->src + s, p->len - s, close, clen);
	if (!e)
		return fail(p, tag->line, "unclosed tag");
	size_t cpos = (size_t)(e - p->src);
	tag->end = cpos + clen;
	while (s < cpos && is_space(p->src[s]))
		s++;
	while (cpos > s && is_space(p->src[cpos - 1]))
		cpos--;
	tag->name = p->src + s;
	tag->nlen = cpos - s;
	return 0;
}

/* A block tag alone on its line takes the whole line with it: moves
 * *text_end back to the line start and *next past the newline. */
static void standalone(const struct parser *p, const struct tag *tag, size_t *text_end,
                       size_t *next)
{
	const char *s = p->src;
	size_t ls = tag->start, e = tag->end;
	while (ls > p->pos && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
		ls--;
	if (ls > 0 && s[ls - 1] != '\n')
		return;
	while (e < p->len && (s[e] == ' ' || s[e] == '\t'))
		e++;
	if (e < p->len && s[e] == '\r' && e + 1 < p->len && s[e + 1] == '\n')
		e++;
	if (e < p->len && s[e] != '\n')
		return;
	*text_end = ls;
	*next = e < p->len ? e + 1 : e;
}

static int open_section(struct parser *p, const struct tag *tag)
{
	if (!valid_name(tag->name, tag->nlen))
		return fail(p, tag->line, "invalid name '%.*s'", (int)tag->nlen, tag->name);
	if (p->nopen == MAX_NEST)
		return fail(p, tag->line, "sections nested too deep");
	struct op *op = emit(p, tag->sigil == '#' ? OP_SECTION : OP_INVERTED, tag->line);
	op->str = split_name(p, tag->name, tag->nlen, &op->len);
	struct open_section *o = &p->open[p->nopen++];
	o->op = p->t->nops - 1;
	o->name = tag->name;
	o->len = tag->nlen;
	o->line = tag->line;
	return 0;
}

static int close_section(struct parser *p, const struct tag *tag)
{
	if (p->nopen == 0)
		return fail(p, tag->line, "closing '%.*s' with no open section", (int)tag->nlen,
		            tag->name);
	struct open_section *o = &p->open[p->nopen - 1];
	if (o->len != tag->nlen || memcmp(o->name, tag->name, o->len) != 0)
		return fail(p, tag->line, "closing '%.*s' but '%.*s' (line %d) is open",
		            (int)tag->nlen, tag->name, (int)o->len, o->name, o->line);
	p->t->ops[o->op].end = p->t->nops;
	p->nopen--;
	return 0;
}

static int value_tag(struct parser *p, const struct tag *tag)
{
	if (!valid_name(tag->name, tag->nlen))
		return fail(p, tag->line, "invalid name '%.*s'", (int)tag->nlen, tag->name);
	struct op *op = emit(p, OP_VAR, tag->line);
	op->str = split_name(p, tag->name, tag->nlen, &op->len);
	if (tag->sigil == '&' || tag->sigil == '{') {
		const char *last = op->str;
		for (size_t i = 1; i < op->len; i++)
			last += strlen(last) + 1;
		if (strncmp(last, TRUSTED_PREFIX, strlen(TRUSTED_PREFIX)) == 0)
			op->kind = OP_RAW;
	}
	return 0;
}

static int partial_tag(struct parser *p, const struct tag *tag)
{
	if (!valid_partial_name(tag->name, tag->nlen))
		return fail(p, tag->line, "invalid partial name '%.*s'", (int)tag->nlen, tag->name);
	struct op *op = emit(p, OP_PARTIAL, tag->line);
	op->str = arena_strndup(p->t->arena, tag->name, tag->nlen);
	return 0;
}

static int handle_tag(struct parser *p, const struct tag *tag)
{
	switch (tag->sigil) {
	case '!': return 0;
	case '#':
	case '^': return open_section(p, tag);
	case '/': return close_section(p, tag);
	case '>': return partial_tag(p, tag);
	default: return value_tag(p, tag);
	}
}

static int is_block_sigil(char c)
{
	return c == '#' || c == '^' || c == '/' || c == '!' || c == '>';
}

static void advance(struct parser *p, size_t to)
{
	p->line += count_nl(p->src + p->pos, to - p->pos);
	p->pos = to;
}

static int parse(struct parser *p)
{
	while (p->pos < p->len) {
		const char *open = memmem(p->src + p->pos, p->len - p->pos, "{{", 2);
		if (!open) {
			emit_text(p, p->pos, p->len);
			advance(p, p->len);
			break;
		}
		struct tag tag = {0};
		size_t start = (size_t)(open - p->src);
		tag.line = p->line + count_nl(p->src + p->pos, start - p->pos);
		int rc = read_tag(p, start, &tag);
		if (rc != 0)
			return rc;
		size_t text_end = start, next = tag.end;
		if (is_block_sigil(tag.sigil))
			standalone(p, &tag, &text_end, &next);
		emit_text(p, p->pos, text_end);
		advance(p, next);
		if ((rc = handle_tag(p, &tag)) != 0)
			return rc;
	}
	if (p->nopen > 0) {
		struct open_section *o = &p->open[p->nopen - 1];
		return fail(p, o->line, "unclosed section '%.*s'", (int)o->len, o->name);
	}
	return 0;
}

static struct tmpl *compile(const char *name, const char *text, size_t len, char *err, size_t errsz,
                            int *rc)
{
	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->arena = arena_new();
	t->name = arena_strdup(t->arena, name);
	struct parser p = {.t = t, .len = len, .line = 1, .err = err, .errsz = errsz};
	p.src = arena_strndup(t->arena, text, len);
	size_t ok = utf8_valid_prefix(text, len);
	if (ok < len)
		*rc = fail(&p, 1 + count_nl(text, ok), "not valid UTF-8 text (byte %zu)", ok);
	else
		*rc = parse(&p);
	if (*rc != 0) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

int tmpl_set_add(struct tmpl_set *set, const char *name, const char *text, size_t len, char *err,
                 size_t errsz)
{
	int found, rc;
	size_t at = set_search(set, name, &found);
	if (found) {
		if (err && errsz)
			snprintf(err, errsz, "%s: template defined twice", name);
		return CAS_ECONFLICT;
	}
	struct tmpl *t = compile(name, text, len, err, errsz, &rc);
	if (!t)
		return rc;
	set_insert(set, at, t);
	return 0;
}

int tmpl_set_add_embedded(struct tmpl_set *set, const struct embedded_file *files, char *err,
                          size_t errsz)
{
	for (const struct embedded_file *f = files; f && f->name; f++) {
		int rc = tmpl_set_add(set, f->name, (const char *)f->data, f->len, err, errsz);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int tmpl_set_check(const struct tmpl_set *set, char *err, size_t errsz)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct tmpl *t = set->items[i];
		for (size_t k = 0; k < t->nops; k++) {
			const struct op *op = &t->ops[k];
			if (op->kind != OP_PARTIAL || set_find(set, op->str))
				continue;
			if (err && errsz)
				snprintf(err, errsz, "%s:%d: unknown partial '%s'", t->name,
				         op->line, op->str);
			return CAS_ENOTFOUND;
		}
	}
	return 0;
}

/* ---- renderer ----------------------------------------------------------- */

struct render {
	const struct tmpl_set *set;
	struct buf *out;
	json_t *stack[STACK_MAX];
	int depth;
	int partials;
};

static int render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to);

static const char *entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\0': return ""; /* never emitted */
	default: return NULL;
	}
}

static void escape_html(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ent = entity(s[i]);
		if (!ent)
			continue;
		buf_append(out, s + run, i - run);
		buf_puts(out, ent);
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
}

static json_t *lookup(const struct render *r, const struct op *op)
{
	if (op->len == 0)
		return r->stack[r->depth - 1];
	const char *seg = op->str;
	json_t *v = NULL;
	for (int i = r->depth - 1; i >= 0 && !v; i--)
		v = json_object_get(r->stack[i], seg); /* NULL for non-objects */
	for (size_t k = 1; k < op->len && v; k++) {
		seg += strlen(seg) + 1;
		v = json_object_get(v, seg);
	}
	return v;
}

static int truthy(json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE: return 1;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	default: return 0;
	}
}

static void put_value(struct render *r, json_t *v, int raw)
{
	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (raw)
			buf_append(r->out, json_string_value(v), json_string_length(v));
		else
			escape_html(r->out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(r->out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL: buf_printf(r->out, "%.15g", json_real_value(v)); break;
	case JSON_TRUE: buf_puts(r->out, "true"); break;
	default: break;
	}
}

static int push_and_render(struct render *r, json_t *v, const struct tmpl *t, size_t from,
                           size_t to)
{
	if (r->depth == STACK_MAX)
		return CAS_ETOOBIG;
	r->stack[r->depth++] = v;
	int rc = render_ops(r, t, from, to);
	r->depth--;
	return rc;
}

static int render_section(struct render *r, const struct tmpl *t, size_t i)
{
	const struct op *op = &t->ops[i];
	json_t *v = lookup(r, op);
	if (op->kind == OP_INVERTED)
		return truthy(v) ? 0 : render_ops(r, t, i + 1, op->end);
	if (!truthy(v))
		return 0;
	if (!json_is_array(v))
		return push_and_render(r, v, t, i + 1, op->end);
	size_t k;
	json_t *el;
	json_array_foreach(v, k, el)
	{
		int rc = push_and_render(r, el, t, i + 1, op->end);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int render_partial(struct render *r, const struct op *op)
{
	const struct tmpl *p = set_find(r->set, op->str);
	if (!p)
		return CAS_ENOTFOUND;
	if (r->partials == MAX_PARTIAL_DEPTH)
		return CAS_ETOOBIG;
	r->partials++;
	int rc = render_ops(r, p, 0, p->nops);
	r->partials--;
	return rc;
}

static int render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to)
{
	int rc = 0;
	for (size_t i = from; i < to && rc == 0; i++) {
		const struct op *op = &t->ops[i];
		switch (op->kind) {
		case OP_TEXT: buf_append(r->out, op->str, op->len); break;
		case OP_VAR:
		case OP_RAW: put_value(r, lookup(r, op), op->kind == OP_RAW); break;
		case OP_SECTION:
		case OP_INVERTED:
			rc = render_section(r, t, i);
			i = op->end - 1;
			break;
		case OP_PARTIAL: rc = render_partial(r, op); break;
		}
		if (rc == 0)
			rc = r->out->err;
	}
	return rc;
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_t *ctx, struct buf *out)
{
	const struct tmpl *t = set_find(set, name);
	if (!t)
		return CAS_ENOTFOUND;
	if (out->err)
		return out->err;
	struct render r = {.set = set, .out = out, .depth = 1};
	r.stack[0] = ctx;
	return render_ops(&r, t, 0, t->nops);
}

int tmpl_render_layout(const struct tmpl_set *set, const char *layout, const char *page,
                       json_t *ctx, struct buf *out)
{
	struct buf body;
	buf_init(&body, out->max);
	int rc = tmpl_render(set, page, ctx, &body);
	if (rc != 0) {
		buf_free(&body);
		return rc;
	}
	json_t *lctx = json_is_object(ctx) ? json_copy(ctx) : json_object();
	json_t *html = json_stringn(buf_cstr(&body), body.len);
	buf_free(&body);
	if (!html) {
		json_decref(lctx);
		return CAS_EINVAL;
	}
	json_object_set_new(lctx, "html_body", html);
	rc = tmpl_render(set, layout, lctx, out);
	json_decref(lctx);
	return rc;
}
