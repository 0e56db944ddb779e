#include "domain/redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/fold.h"

struct redact {
	char **words; /* folded, distinct */
	size_t n, cap;
};

struct redact *redact_new(void)
{
	return xcalloc(1, sizeof(struct redact));
}

void redact_free(struct redact *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->words[i]);
	free(r->words);
	free(r);
}

static int has_word(const struct redact *r, const char *w, size_t len)
{
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->words[i]) == len && memcmp(r->words[i], w, len) == 0)
			return 1;
	return 0;
}

static void add_word(struct redact *r, const char *w, size_t len)
{
	if (has_word(r, w, len))
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->words = xrealloc(r->words, r->cap * sizeof(*r->words));
	}
	r->words[r->n++] = xstrndup(w, len);
}

/* Words found in any address, never distinctive (folded, four letters or
 * more: shorter words are not added anyway). */
static const char *const address_words[] = {
    "allee",    "avenue", "batiment", "appartement", "boulevard", "chemin", "cite",
    "cours",    "etage",  "escalier", "hameau",      "impasse",   "lieu",   "lotissement",
    "place",    "porte",  "quai",     "residence",   "route",     "square", "sentier",
    "faubourg", "voie",   "villa",    "parc",        "domaine",   "rond",   "point",
};

static int all_digits(const char *w, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (w[i] < '0' || w[i] > '9')
			return 0;
	return 1;
}

static int address_distinctive(const char *w, size_t len)
{
	if (len < 4 || all_digits(w, len))
		return 0;
	for (size_t i = 0; i < sizeof(address_words) / sizeof(address_words[0]); i++)
		if (strlen(address_words[i]) == len && memcmp(address_words[i], w, len) == 0)
			return 0;
	return 1;
}

static void add_folded(struct redact *r, const char *text, int address)
{
	if (!text || !*text)
		return;
	size_t n = strlen(text) + 1;
	char *f = xmalloc(n);
	fold_text(text, f, n);
	for (char *p = f; *p;) {
		size_t len = strcspn(p, " ");
		if (address ? address_distinctive(p, len) : len >= 2)
			add_word(r, p, len);
		p += len;
		p += strspn(p, " ");
	}
	free(f);
}

void redact_add_name(struct redact *r, const char *name)
{
	add_folded(r, name, 0);
}

void redact_add_address(struct redact *r, const char *address)
{
	add_folded(r, address, 1);
}

/* ---- the text as segments: runs of spaces, runs of word characters,
 * single punctuation characters ---- */

enum seg_kind { SEG_SPACE, SEG_WORD, SEG_PUNCT };

struct seg {
	size_t at, len;
	enum seg_kind kind;
	int hide;
};

struct segs {
	const char *s;
	struct seg *v;
	size_t n, cap;
};

static enum seg_kind classify(long cp)
{
	if (cp == '\n' || cp == '\r' || utf8_is_space(cp))
		return SEG_SPACE;
	if (cp < 0)
		return SEG_PUNCT;
	if (cp < 0x80)
		return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || (cp >= '0' && cp <= '9')
		           ? SEG_WORD
		           : SEG_PUNCT;
	if ((cp >= 0xa1 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7 ||
	    (cp >= 0x2010 && cp <= 0x205e))
		return SEG_PUNCT;
	return SEG_WORD;
}

static void push(struct segs *g, size_t at, size_t len, enum seg_kind kind)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	g->v[g->n++] = (struct seg){at, len, kind, 0};
}

static void split(struct segs *g)
{
	size_t i = 0;
	while (g->s[i]) {
		size_t at = i;
		enum seg_kind k = classify(utf8_next(g->s, &i));
		struct seg *last = g->n ? &g->v[g->n - 1] : NULL;
		if (k != SEG_PUNCT && last && last->kind == k)
			last->len += i - at;
		else
			push(g, at, i - at, k);
	}
}

static int seg_is(const struct segs *g, size_t i, const char *lit)
{
	return i < g->n && g->v[i].len == strlen(lit) &&
	       memcmp(g->s + g->v[i].at, lit, g->v[i].len) == 0;
}

/* Number of digits of a word made of digits only, 0 otherwise. */
static int seg_digits(const struct segs *g, size_t i)
{
	if (i >= g->n || g->v[i].kind != SEG_WORD)
		return 0;
	const char *p = g->s + g->v[i].at;
	return all_digits(p, g->v[i].len) ? (int)g->v[i].len : 0;
}

static void hide(struct segs *g, size_t from, size_t to)
{
	for (size_t i = from; i <= to && i < g->n; i++)
		g->v[i].hide = 1;
}

/* ---- rules ---- */

/* A run of non-space characters holding an "@". */
static void rule_email(struct segs *g)
{
	size_t a = 0;
	while (a < g->n) {
		if (g->v[a].kind == SEG_SPACE) {
			a++;
			continue;
		}
		size_t b = a, at = 0, first = SIZE_MAX, last = 0;
		for (; b < g->n && g->v[b].kind != SEG_SPACE; b++) {
			at |= seg_is(g, b, "@");
			if (g->v[b].kind == SEG_WORD) {
				first = first == SIZE_MAX ? b : first;
				last = b;
			}
		}
		/* from its first to its last word: "(jp@x.fr)," keeps "(" and ")," */
		if (at && first != SIZE_MAX)
			hide(g, first, last);
		a = b;
	}
}

static int date_sep(const struct segs *g, size_t i)
{
	return seg_is(g, i, "/") || seg_is(g, i, ".") || seg_is(g, i, "-");
}

/* "12/03/1984", "1/3/1984", "12-03-1984", "12.03.1984", "1984-03-12". */
static void rule_numeric_date(struct segs *g)
{
	for (size_t i = 0; i + 4 < g->n; i++) {
		int d0 = seg_digits(g, i), d2 = seg_digits(g, i + 2), d4 = seg_digits(g, i + 4);
		int same =
		    date_sep(g, i + 1) && g->v[i + 1].len == g->v[i + 3].len &&
		    memcmp(g->s + g->v[i + 1].at, g->s + g->v[i + 3].at, g->v[i + 1].len) == 0;
		int fr = d0 >= 1 && d0 <= 2 && d2 >= 1 && d2 <= 2 && d4 == 4;
		int iso = d0 == 4 && d2 == 2 && d4 == 2 && seg_is(g, i + 1, "-");
		if (same && (fr || iso))
			hide(g, i, i + 4);
	}
}

/* Spaces inside a number ("06 12 34 56 78"), not a line break. */
static int inner_space(const struct segs *g, size_t i)
{
	return g->v[i].kind == SEG_SPACE && !memchr(g->s + g->v[i].at, '\n', g->v[i].len);
}

/* Runs of digit groups separated by spaces, dots or hyphens, 8 digits or
 * more in all (with a leading "+"). */
static void rule_long_numbers(struct segs *g)
{
	size_t i = 0;
	while (i < g->n) {
		if (!seg_digits(g, i)) {
			i++;
			continue;
		}
		size_t j = i, last = i;
		int digits = 0;
		for (; j < g->n; j++) {
			int d = seg_digits(g, j);
			if (d) {
				digits += d;
				last = j;
			} else if (!inner_space(g, j) && !seg_is(g, j, ".") && !seg_is(g, j, "-")) {
				break;
			}
		}
		if (digits >= 8)
			hide(g, i > 0 && seg_is(g, i - 1, "+") ? i - 1 : i, last);
		i = last + 1;
	}
}

static int fold_is(const struct segs *g, size_t i, const char *const *list, size_t n)
{
	char w[64], f[64];
	if (i >= g->n || g->v[i].kind != SEG_WORD || g->v[i].len >= sizeof(w))
		return 0;
	memcpy(w, g->s + g->v[i].at, g->v[i].len);
	w[g->v[i].len] = '\0';
	fold_text(w, f, sizeof(f));
	for (size_t k = 0; k < n; k++)
		if (strcmp(f, list[k]) == 0)
			return 1;
	return 0;
}

static int digits_value(const char *p, size_t len)
{
	int v = 0;
	for (size_t i = 0; i < len && v < 100000; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static int day_word(const struct segs *g, size_t i)
{
	if (seg_is(g, i, "1er"))
		return 1;
	int d = seg_digits(g, i);
	if (!d || d > 2)
		return 0;
	int v = digits_value(g->s + g->v[i].at, g->v[i].len);
	return v >= 1 && v <= 31;
}

static const char *const months[] = {"janvier",   "fevrier", "mars",     "avril",
                                     "mai",       "juin",    "juillet",  "aout",
                                     "septembre", "octobre", "novembre", "decembre"};

/* "12 mars 1984", "1er mai 1990". */
static void rule_written_date(struct segs *g)
{
	for (size_t i = 0; i + 4 < g->n; i++)
		if (day_word(g, i) && inner_space(g, i + 1) &&
		    fold_is(g, i + 2, months, sizeof(months) / sizeof(months[0])) &&
		    inner_space(g, i + 3) && seg_digits(g, i + 4) == 4)
			hide(g, i, i + 4);
}

/* A word whose folded form (or one of its folded parts) is in the set. */
static int name_word(const struct redact *r, const struct segs *g, size_t i)
{
	const struct seg *x = &g->v[i];
	char *w = xstrndup(g->s + x->at, x->len), *f = xmalloc(x->len + 1);
	fold_text(w, f, x->len + 1);
	int found = 0;
	for (char *p = f; *p && !found;) {
		size_t len = strcspn(p, " ");
		found = len > 0 && has_word(r, p, len);
		p += len;
		p += strspn(p, " ");
	}
	free(w);
	free(f);
	return found;
}

static void rule_names(const struct redact *r, struct segs *g)
{
	for (size_t i = 0; r && i < g->n; i++)
		if (g->v[i].kind == SEG_WORD && !g->v[i].hide && name_word(r, g, i))
			g->v[i].hide = 1;
}

/* ---- output ---- */

/* What may stand between two marks that then become one. */
static int connector(const struct segs *g, size_t i)
{
	return inner_space(g, i) || seg_is(g, i, "-") || seg_is(g, i, "'") ||
	       seg_is(g, i, "\u2019") || seg_is(g, i, ".");
}

static void emit(struct buf *b, const struct segs *g, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		buf_append(b, g->s + g->v[i].at, g->v[i].len);
}

static char *render(const struct segs *g, size_t size)
{
	struct buf b;
	buf_init(&b, size * 5 + 16);
	int after_mark = 0; /* only connectors since the last mark */
	size_t pending = 0; /* first of those connectors */
	for (size_t i = 0; i < g->n; i++) {
		if (g->v[i].hide) {
			if (!after_mark)
				buf_puts(&b, REDACT_MARK);
			after_mark = 1;
			pending = i + 1;
		} else if (!after_mark || !connector(g, i)) {
			if (after_mark)
				emit(&b, g, pending, i);
			after_mark = 0;
			emit(&b, g, i, i + 1);
		}
	}
	if (after_mark)
		emit(&b, g, pending, g->n);
	char *out = b.err ? NULL : buf_steal(&b);
	buf_free(&b);
	return out ? out : xstrdup("");
}

char *redact_text(const struct redact *r, const char *text)
{
	struct segs g = {text ? text : "", NULL, 0, 0};
	split(&g);
	rule_email(&g);
	rule_numeric_date(&g);
	rule_long_numbers(&g);
	rule_written_date(&g);
	rule_names(r, &g);
	char *out = render(&g, strlen(g.s));
	free(g.v);
	return out;
}
