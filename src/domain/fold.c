#include "domain/fold.h"

#include <string.h>

#include "base/utf8.h"

/* Output under construction: a separator is only written before the next
 * word, so that runs collapse and the end is trimmed. */
struct out {
	char *p;
	size_t sz;
	size_t len;
	int sep;  /* a separator is pending */
	int full; /* a piece did not fit: nothing more is written */
};

/* What a code point becomes in folded text. */
enum fold_kind { FOLD_TEXT, FOLD_SEP, FOLD_DROP, FOLD_KEEP };

/* Base letters of U+00C0..U+00FF and U+0100..U+017F. Entries for the
 * ligatures and for × ÷ are handled before the lookup. */
static const char latin1[64 + 1] = "aaaaaaaceeeeiiii"
                                   "dnooooo ouuuuytt"
                                   "aaaaaaaceeeeiiii"
                                   "dnooooo ouuuuyty";
static const char latin_ext_a[128 + 1] = "aaaaaaccccccccdd"
                                         "ddeeeeeeeeeegggg"
                                         "gggghhhhiiiiiiii"
                                         "iiiijjkkklllllll"
                                         "lllnnnnnnnnnoooo"
                                         "oooorrrrrrssssss"
                                         "ssttttttuuuuuuuu"
                                         "uuuuwwyyyzzzzzzs";

static void out_bytes(struct out *o, const char *s, size_t n)
{
	size_t need = n + (o->sep && o->len > 0);

	if (o->full || n == 0)
		return;
	if (o->len + need >= o->sz) {
		o->full = 1;
		return;
	}
	if (o->sep && o->len > 0)
		o->p[o->len++] = ' ';
	o->sep = 0;
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static const char *ligature(long cp)
{
	switch (cp) {
	case 0xc6:
	case 0xe6: return "ae";
	case 0xde:
	case 0xfe: return "th";
	case 0xdf: return "ss";
	case 0x132:
	case 0x133: return "ij";
	case 0x152:
	case 0x153: return "oe";
	}
	return NULL;
}

/* Classifies cp and, for FOLD_TEXT, sets *text to its ASCII form (at most
 * two letters, stored in buf when built here). */
static enum fold_kind classify(long cp, const char **text, char buf[2])
{
	buf[1] = '\0';
	*text = buf;
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		buf[0] = (char)cp;
		return FOLD_TEXT;
	}
	if (cp >= 'A' && cp <= 'Z') {
		buf[0] = (char)(cp - 'A' + 'a');
		return FOLD_TEXT;
	}
	if (cp < 0 || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200d) ||
	    cp == 0x2060 || cp == 0xfeff)
		return FOLD_DROP;
	if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7 || cp == 0x2bc ||
	    (cp >= 0x2000 && cp <= 0x206f) || cp == 0x2212 || cp == 0x3000)
		return FOLD_SEP;
	if ((*text = ligature(cp)) != NULL)
		return FOLD_TEXT;
	*text = buf;
	if (cp <= 0xff)
		buf[0] = latin1[cp - 0xc0];
	else if (cp <= 0x17f)
		buf[0] = latin_ext_a[cp - 0x100];
	else if (cp >= 0x218 && cp <= 0x21b)
		buf[0] = cp < 0x21a ? 's' : 't';
	else
		return FOLD_KEEP;
	return FOLD_TEXT;
}

void fold_text(const char *utf8, char *out, size_t outsz)
{
	struct out o = {out, outsz, 0, 0, 0};
	size_t i = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (!utf8)
		return;
	while (!o.full) {
		size_t start = i;
		long cp = utf8_next(utf8, &i);
		const char *text;
		char buf[2];

		if (cp == 0)
			break;
		switch (classify(cp, &text, buf)) {
		case FOLD_TEXT: out_bytes(&o, text, strlen(text)); break;
		case FOLD_SEP: o.sep = 1; break;
		case FOLD_DROP: break;
		case FOLD_KEEP: out_bytes(&o, utf8 + start, i - start); break;
		}
	}
}

/* Where a phonetic rule applies, by the letter that follows the match. */
enum ctx { CTX_ANY, CTX_END, CTX_FRONT, CTX_BACK, CTX_NASAL };

/* Rules never lengthen the text (strlen(to) <= strlen(from)). */
struct rule {
	const char *from;
	const char *to;
	enum ctx ctx;
};

static const struct rule consonant_rules[] = {
    {"sch", "c", CTX_ANY},  {"chr", "kr", CTX_ANY}, {"chl", "kl", CTX_ANY}, {"ch", "c", CTX_ANY},
    {"sh", "c", CTX_ANY},   {"ph", "f", CTX_ANY},   {"th", "t", CTX_ANY},   {"gh", "g", CTX_ANY},
    {"rh", "r", CTX_ANY},   {"ck", "k", CTX_ANY},   {"qu", "k", CTX_ANY},   {"q", "k", CTX_ANY},
    {"gu", "g", CTX_FRONT}, {"ge", "j", CTX_BACK},  {"g", "j", CTX_FRONT},  {"sc", "s", CTX_FRONT},
    {"c", "s", CTX_FRONT},  {"c", "k", CTX_ANY},    {"bv", "v", CTX_ANY},   {"dt", "t", CTX_ANY},
    {"w", "v", CTX_ANY},    {"z", "s", CTX_ANY},    {"y", "i", CTX_ANY},    {"h", "", CTX_ANY},
};

static const struct rule vowel_rules[] = {
    {"eaux", "o", CTX_ANY},   {"eau", "o", CTX_ANY},    {"ault", "o", CTX_END},
    {"aux", "o", CTX_END},    {"au", "o", CTX_ANY},     {"ou", "u", CTX_ANY},
    {"ain", "in", CTX_NASAL}, {"ein", "in", CTX_NASAL}, {"ien", "in", CTX_NASAL},
    {"ean", "an", CTX_NASAL}, {"ai", "e", CTX_ANY},     {"ei", "e", CTX_ANY},
    {"er", "e", CTX_END},     {"an", "an", CTX_NASAL},  {"am", "an", CTX_NASAL},
    {"en", "an", CTX_NASAL},  {"em", "an", CTX_NASAL},  {"in", "in", CTX_NASAL},
    {"im", "in", CTX_NASAL},  {"un", "in", CTX_NASAL},  {"um", "in", CTX_NASAL},
    {"on", "on", CTX_NASAL},  {"om", "on", CTX_NASAL},
};

#define NRULES(t) (sizeof(t) / sizeof((t)[0]))

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int context_ok(enum ctx ctx, char next)
{
	switch (ctx) {
	case CTX_ANY: return 1;
	case CTX_END: return next == '\0';
	case CTX_FRONT: return next == 'e' || next == 'i' || next == 'y';
	case CTX_BACK: return next == 'a' || next == 'o' || next == 'u';
	case CTX_NASAL: return next != 'n' && next != 'm' && !is_vowel(next);
	}
	return 0;
}

static const struct rule *match(const char *s, const struct rule *rules, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		size_t len = strlen(rules[k].from);

		if (strncmp(s, rules[k].from, len) == 0 && context_ok(rules[k].ctx, s[len]))
			return &rules[k];
	}
	return NULL;
}

/* Applies the first matching rule at each position, left to right, in
 * place: rules never lengthen, so writing never overtakes reading. */
static void rewrite(char *w, const struct rule *rules, size_t n)
{
	size_t r = 0, wr = 0;

	while (w[r]) {
		const struct rule *m = match(w + r, rules, n);

		if (!m) {
			w[wr++] = w[r++];
			continue;
		}
		size_t to_len = strlen(m->to);

		r += strlen(m->from);
		memmove(w + wr, m->to, to_len);
		wr += to_len;
	}
	w[wr] = '\0';
}

static void squeeze(char *w)
{
	size_t wr = 0;

	for (size_t r = 0; w[r]; r++) {
		if (wr == 0 || w[wr - 1] != w[r])
			w[wr++] = w[r];
	}
	w[wr] = '\0';
}

/* Drops the last letter when it is one of set and at least one remains. */
static void drop_final(char *w, const char *set)
{
	size_t len = strlen(w);

	if (len > 1 && strchr(set, w[len - 1]))
		w[len - 1] = '\0';
}

static void word_key(char *w)
{
	rewrite(w, consonant_rules, NRULES(consonant_rules));
	squeeze(w);
	rewrite(w, vowel_rules, NRULES(vowel_rules));
	drop_final(w, "sx");
	drop_final(w, "td");
	drop_final(w, "e");
	squeeze(w);
}

void phonetic_key(const char *utf8, char *out, size_t outsz)
{
	char folded[FOLD_PHONETIC_MAX];
	struct out o = {out, outsz, 0, 0, 0};
	const char *p = folded;

	if (outsz == 0)
		return;
	out[0] = '\0';
	fold_text(utf8, folded, sizeof(folded));
	while (*p) {
		char word[FOLD_PHONETIC_MAX];
		size_t n = 0;

		for (; *p && *p != ' '; p++) {
			if (*p >= 'a' && *p <= 'z')
				word[n++] = *p;
		}
		word[n] = '\0';
		word_key(word);
		out_bytes(&o, word, strlen(word));
		o.sep = 1;
		if (*p == ' ')
			p++;
	}
}
