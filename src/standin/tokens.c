#include "standin/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/xalloc.h"

#define TOKENS_FILE_MAX (1024 * 1024)

static void entry_free(struct token_entry *e)
{
	for (int i = 0; i < e->nscopes; i++)
		free(e->scopes[i]);
	free(e->scopes);
	free(e->token);
	free(e->name);
}

void tokens_free(struct token_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++)
		entry_free(&t->items[i]);
	free(t->items);
	free(t);
}

/* Splits line into at most max blank-separated words (line is modified). */
static int words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static void parse_scopes(struct token_entry *e, const char *list)
{
	if (strcmp(list, "-") == 0)
		return;
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len) {
			e->scopes = xrealloc(e->scopes, (size_t)(e->nscopes + 1) * sizeof(char *));
			e->scopes[e->nscopes++] = xstrndup(p, len);
		}
		p += len + (p[len] == ',');
	}
}

static int parse_option(struct token_entry *e, const char *opt)
{
	if (strcmp(opt, "expire") == 0)
		e->state = TOKEN_EXPIRED;
	else if (strcmp(opt, "liste-noire") == 0)
		e->state = TOKEN_REVOKED;
	else if (strncmp(opt, "nom=", 4) == 0) {
		free(e->name);
		e->name = xstrdup(opt + 4);
	} else
		return CAS_EINVAL;
	return 0;
}

static int parse_line(char *line, int lineno, struct token_entry *e, char *err, size_t errsz)
{
	char *w[8];
	int n = words(line, w, 6);
	memset(e, 0, sizeof(*e));
	if (n < 2 || n > 6) {
		snprintf(err, errsz, "ligne %d : « JETON DROITS [OPTIONS] » attendu", lineno);
		return CAS_EINVAL;
	}
	e->token = xstrdup(w[0]);
	e->name = xstrdup("");
	parse_scopes(e, w[1]);
	for (int i = 2; i < n; i++)
		if (parse_option(e, w[i]) != 0) {
			snprintf(
			    err, errsz,
			    "ligne %d : option inconnue « %s » (expire, liste-noire, nom=TEXTE)",
			    lineno, w[i]);
			entry_free(e);
			return CAS_EINVAL;
		}
	return 0;
}

static int add_line(struct token_table *t, char *line, int lineno, char *err, size_t errsz)
{
	line[strcspn(line, "\r")] = '\0';
	char *p = line + strspn(line, " \t");
	if (!*p || *p == '#')
		return 0;
	struct token_entry e;
	if (parse_line(p, lineno, &e, err, errsz) != 0)
		return CAS_EINVAL;
	if (tokens_find(t, e.token)) {
		snprintf(err, errsz, "ligne %d : jeton déjà présent plus haut", lineno);
		entry_free(&e);
		return CAS_EINVAL;
	}
	t->items = xrealloc(t->items, (size_t)(t->n + 1) * sizeof(*t->items));
	t->items[t->n++] = e;
	return 0;
}

int tokens_parse(const char *text, struct token_table **out, char *err, size_t errsz)
{
	struct token_table *t = xcalloc(1, sizeof(*t));
	char *copy = xstrdup(text);
	char *line = copy;
	int lineno = 1, rc = 0;
	while (line && rc == 0) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		rc = add_line(t, line, lineno++, err, errsz);
		line = next;
	}
	free(copy);
	if (rc != 0) {
		tokens_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int tokens_load(const char *path, struct token_table **out, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsz, "fichier illisible");
		return CAS_EIO;
	}
	struct buf b;
	buf_init(&b, TOKENS_FILE_MAX);
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, got);
	fclose(f);
	int rc = b.err ? CAS_EINVAL : tokens_parse(buf_cstr(&b), out, err, errsz);
	if (b.err)
		snprintf(err, errsz, "fichier trop gros");
	buf_free(&b);
	return rc;
}

const struct token_entry *tokens_find(const struct token_table *t, const char *token)
{
	const struct token_entry *found = NULL;
	for (int i = 0; t && token && i < t->n; i++)
		if (ct_streq(t->items[i].token, token))
			found = &t->items[i];
	return found;
}

int token_has_scope(const struct token_entry *e, const char *scope)
{
	for (int i = 0; i < e->nscopes; i++)
		if (strcmp(e->scopes[i], scope) == 0)
			return 1;
	return 0;
}

void token_id(const char *token, char out[37])
{
	char hex[65];
	sha256_hex(token, strlen(token), hex);
	snprintf(out, 37, "%.8s-%.4s-4%.3s-a%.3s-%.12s", hex, hex + 8, hex + 12, hex + 15,
	         hex + 18);
}
