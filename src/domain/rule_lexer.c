/* Tokens of the rule expression language (see docs/rules.md): numbers
 * with a dot, strings in "…", '…' or « … », names, keywords (et, ou, non,
 * si, alors, sinon, dans, vrai, faux; any letter case), operators, and
 * comments from '#' to the end of the line. Positions are 1-based lines
 * and columns counted in characters. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "domain/rule_internal.h"

static const struct {
	const char *word;
	enum tok kind;
} keywords[] = {
    {"et", T_ET},       {"ou", T_OU},     {"non", T_NON},   {"si", T_SI},     {"alors", T_ALORS},
    {"sinon", T_SINON}, {"dans", T_DANS}, {"vrai", T_VRAI}, {"faux", T_FAUX},
};

void lexer_init(struct lexer *lx, const char *src)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = strlen(src);
	lx->line = 1;
	lx->col = 1;
	buf_init(&lx->str, RULE_MAX_STRING + 8);
}

void lexer_free(struct lexer *lx)
{
	buf_free(&lx->str);
}

const char *tok_text(enum tok t)
{
	static const char *const names[] = {
	    [T_EOF] = "la fin de l'expression",
	    [T_NUM] = "un nombre",
	    [T_STR] = "un texte",
	    [T_IDENT] = "un nom",
	    [T_LPAREN] = "« ( »",
	    [T_RPAREN] = "« ) »",
	    [T_LBRACK] = "« [ »",
	    [T_RBRACK] = "« ] »",
	    [T_COMMA] = "« , »",
	    [T_PLUS] = "« + »",
	    [T_MINUS] = "« - »",
	    [T_STAR] = "« * »",
	    [T_SLASH] = "« / »",
	    [T_EQ] = "« = »",
	    [T_NE] = "« != »",
	    [T_LT] = "« < »",
	    [T_LE] = "« <= »",
	    [T_GT] = "« > »",
	    [T_GE] = "« >= »",
	    [T_ET] = "« et »",
	    [T_OU] = "« ou »",
	    [T_NON] = "« non »",
	    [T_SI] = "« si »",
	    [T_ALORS] = "« alors »",
	    [T_SINON] = "« sinon »",
	    [T_DANS] = "« dans »",
	    [T_VRAI] = "« vrai »",
	    [T_FAUX] = "« faux »",
	    [T_ERROR] = "une erreur",
	};
	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

/* The code point at the current position (0 at the end, -1 invalid). */
static long peek_cp(const struct lexer *lx, size_t *len)
{
	size_t i = lx->pos;
	long cp = utf8_next(lx->src, &i);

	*len = i - lx->pos;
	return cp;
}

static void advance(struct lexer *lx, size_t nbytes)
{
	size_t end = lx->pos + nbytes;

	while (lx->pos < end) {
		size_t i = lx->pos;
		long cp = utf8_next(lx->src, &i);
		if (cp == 0)
			break;
		lx->pos = i;
		if (cp == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
	}
}

static int starts(const struct lexer *lx, const char *s)
{
	return strncmp(lx->src + lx->pos, s, strlen(s)) == 0;
}

static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		size_t n;
		long cp = peek_cp(lx, &n);
		if (cp == '#') {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
				advance(lx, 1);
		} else if (cp == '\n' || cp == '\r' || utf8_is_space(cp)) {
			advance(lx, n);
		} else {
			return;
		}
	}
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static struct token error_tok(struct lexer *lx, struct token t, const char *msg)
{
	t.kind = T_ERROR;
	snprintf(lx->msg, sizeof(lx->msg), "%s", msg);
	return t;
}

static enum tok keyword(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].word) == n && strncasecmp(keywords[i].word, s, n) == 0)
			return keywords[i].kind;
	return T_IDENT;
}

static struct token lex_name(struct lexer *lx, struct token t)
{
	size_t end = lx->pos;

	while (end < lx->len && (is_alpha(lx->src[end]) || is_digit(lx->src[end])))
		end++;
	t.len = end - lx->pos;
	t.kind = keyword(lx->src + lx->pos, t.len);
	if ((unsigned char)lx->src[end] >= 0x80)
		return error_tok(lx, t,
		                 "les noms s'écrivent sans accent ni caractère spécial "
		                 "(lettres a-z, chiffres, « _ »)");
	advance(lx, t.len);
	return t;
}

static struct token lex_number(struct lexer *lx, struct token t)
{
	size_t end = lx->pos;
	char text[64];

	while (end < lx->len && is_digit(lx->src[end]))
		end++;
	if (lx->src[end] == '.') {
		end++;
		if (!is_digit(lx->src[end]))
			return error_tok(lx, t,
			                 "nombre mal écrit : un chiffre doit suivre le point");
		while (end < lx->len && is_digit(lx->src[end]))
			end++;
	}
	if (is_alpha(lx->src[end]) || lx->src[end] == '.')
		return error_tok(lx, t, "nombre mal écrit");
	t.len = end - lx->pos;
	if (t.len >= sizeof(text))
		return error_tok(lx, t, "nombre trop long");
	memcpy(text, lx->src + lx->pos, t.len);
	text[t.len] = '\0';
	if (ratio_parse(text, &t.num) != 0)
		return error_tok(lx, t, "nombre trop grand ou trop précis (18 décimales au plus)");
	t.kind = T_NUM;
	advance(lx, t.len);
	return t;
}

/* A string: close is the closing delimiter ("\"", "'" or "»"). */
static struct token lex_string(struct lexer *lx, struct token t, size_t open_len, const char *close)
{
	size_t close_len = strlen(close);

	buf_reset(&lx->str);
	advance(lx, open_len);
	while (lx->pos < lx->len && !starts(lx, close)) {
		char c = lx->src[lx->pos];
		if (c == '\n')
			break;
		if (c == '\\' && close_len == 1 && lx->pos + 1 < lx->len &&
		    (lx->src[lx->pos + 1] == '\\' || lx->src[lx->pos + 1] == close[0])) {
			advance(lx, 1);
			c = lx->src[lx->pos];
		}
		buf_putc(&lx->str, c);
		lx->pos++; /* bytes; columns are fixed by advance() below */
		lx->col += ((unsigned char)c & 0xc0) != 0x80;
	}
	if (lx->pos >= lx->len || lx->src[lx->pos] == '\n')
		return error_tok(lx, t, "texte non terminé : il manque le guillemet fermant");
	if (lx->str.err || lx->str.len > RULE_MAX_STRING)
		return error_tok(lx, t, "texte trop long (1024 octets au plus)");
	advance(lx, close_len);
	t.kind = T_STR;
	t.len = lx->pos - t.start;
	return t;
}

/* Removes the spaces that French typography puts inside « … ». */
static void trim_guillemets(struct buf *b)
{
	static const char *const spaces[] = {" ", "\xc2\xa0", "\xe2\x80\xaf"};
	const char *s = buf_cstr(b);
	size_t start = 0, end = b->len;
	int again = 1;

	while (again) {
		again = 0;
		for (size_t i = 0; i < 3; i++) {
			size_t n = strlen(spaces[i]);
			if (end - start >= n && strncmp(s + start, spaces[i], n) == 0) {
				start += n;
				again = 1;
			}
			if (end - start >= n && strncmp(s + end - n, spaces[i], n) == 0) {
				end -= n;
				again = 1;
			}
		}
	}
	if (start == 0 && end == b->len)
		return;
	memmove(b->data, s + start, end - start);
	b->len = end - start;
	b->data[b->len] = '\0';
}

/* Operators of one or more characters, longest first. */
static const struct {
	const char *text;
	enum tok kind;
} operators[] = {
    {"<=", T_LE},    {">=", T_GE},    {"!=", T_NE},    {"<>", T_NE},    {"==", T_EQ},
    {"≤", T_LE},     {"≥", T_GE},     {"≠", T_NE},     {"×", T_STAR},   {"÷", T_SLASH},
    {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACK}, {"]", T_RBRACK}, {",", T_COMMA},
    {"+", T_PLUS},   {"-", T_MINUS},  {"*", T_STAR},   {"/", T_SLASH},  {"=", T_EQ},
    {"<", T_LT},     {">", T_GT},
};

static struct token lex_operator(struct lexer *lx, struct token t)
{
	char msg[120];
	size_t n;
	long cp;

	for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++) {
		if (starts(lx, operators[i].text)) {
			t.kind = operators[i].kind;
			t.len = strlen(operators[i].text);
			advance(lx, t.len);
			return t;
		}
	}
	cp = peek_cp(lx, &n);
	if (cp < 0)
		return error_tok(lx, t, "texte mal encodé (UTF-8 attendu)");
	if (cp < 0x20 || cp == 0x7f)
		return error_tok(lx, t, "caractère de contrôle interdit");
	snprintf(msg, sizeof(msg), "caractère inattendu « %.*s »", (int)n, lx->src + lx->pos);
	return error_tok(lx, t, msg);
}

struct token lexer_next(struct lexer *lx)
{
	struct token t;
	char c;

	skip_blanks(lx);
	memset(&t, 0, sizeof(t));
	t.start = lx->pos;
	t.line = lx->line;
	t.col = lx->col;
	if (lx->pos >= lx->len) {
		t.kind = T_EOF;
		return t;
	}
	c = lx->src[lx->pos];
	if (is_alpha(c))
		return lex_name(lx, t);
	if (is_digit(c))
		return lex_number(lx, t);
	if (c == '"' || c == '\'')
		return lex_string(lx, t, 1, c == '"' ? "\"" : "'");
	if (starts(lx, "«")) {
		/* « texte » with the usual (no-break) spaces inside the guillemets */
		struct token s = lex_string(lx, t, strlen("«"), "»");
		if (s.kind == T_STR)
			trim_guillemets(&lx->str);
		return s;
	}
	return lex_operator(lx, t);
}
