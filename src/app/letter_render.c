/* Letter templates to PDF: the Mustache subset of base/tmpl.h rendered as
 * plain text, then the block markup of app/letters.h drawn with base/pdf.h
 * under the CCAS's letterhead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/letters_internal.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/pdf.h"
#include "base/tmpl.h"
#include "base/xalloc.h"

#define TEXT_MAX (1u << 20)

/* '&' -> "&amp;", so that the HTML escaping of the engine can be undone
 * exactly: literal text then comes back unchanged. */
static char *pre_escape(const char *s)
{
	struct buf b;

	buf_init(&b, TEXT_MAX);
	for (; *s; s++)
		if (*s == '&')
			buf_puts(&b, "&amp;");
		else
			buf_putc(&b, *s);
	return buf_steal(&b);
}

static char *unescape(const char *s)
{
	static const char *const ent[][2] = {
	    {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
	};
	struct buf b;

	buf_init(&b, TEXT_MAX);
	while (*s) {
		size_t i = 0;
		for (; i < sizeof ent / sizeof ent[0]; i++)
			if (strncmp(s, ent[i][0], strlen(ent[i][0])) == 0)
				break;
		if (i < sizeof ent / sizeof ent[0]) {
			buf_puts(&b, ent[i][1]);
			s += strlen(ent[i][0]);
		} else {
			buf_putc(&b, *s++);
		}
	}
	return buf_steal(&b);
}

static int line_number(const char *s)
{
	long v = strtol(s, NULL, 10);
	return v > 0 && v < 1000000 ? (int)v : 0;
}

/* The engine's message "modèle:LINE: what" in French: "ligne LINE : ...". */
static void french_error(char *err, size_t errsz)
{
	static const char *const fr[][2] = {
	    {"empty tag", "balise vide {{ }}"},
	    {"unknown tag", "balise inconnue"},
	    {"unclosed tag", "balise non fermée : il manque }}"},
	    {"invalid name", "nom de variable invalide"},
	    {"sections nested too deep", "sections trop imbriquées"},
	    {"closing", "fermeture {{/…}} sans la section ouverte correspondante"},
	    {"invalid partial", "les inclusions {{> …}} ne sont pas permises"},
	    {"unknown partial", "les inclusions {{> …}} ne sont pas permises"},
	    {"unclosed section", "section non fermée : il manque {{/…}}"},
	    {"not valid UTF-8", "caractères invalides"},
	};
	const char *p = strchr(err, ':');
	int line = p ? line_number(p + 1) : 0;
	const char *what = p ? strchr(p + 1, ':') : NULL;
	const char *msg = "modèle impossible à lire";

	for (size_t i = 0; what && i < sizeof fr / sizeof fr[0]; i++)
		if (strncmp(what + 2, fr[i][0], strlen(fr[i][0])) == 0)
			msg = fr[i][1];
	if (line > 0)
		snprintf(err, errsz, "ligne %d : %s", line, msg);
	else
		snprintf(err, errsz, "%s", msg);
}

int letter_text(const char *tmpl, json_t *vars, char **out, char *err, size_t errsz)
{
	struct tmpl_set *set = tmpl_set_new();
	char *src = pre_escape(tmpl);
	struct buf b;
	int rc;

	*out = NULL;
	buf_init(&b, TEXT_MAX);
	rc = tmpl_set_add(set, "modèle", src, strlen(src), err, errsz);
	if (rc == 0)
		rc = tmpl_set_check(set, err, errsz);
	if (rc == 0)
		rc = tmpl_render(set, "modèle", vars, &b);
	if (rc == 0 && b.err)
		rc = b.err;
	if (rc == 0)
		*out = unescape(buf_cstr(&b));
	else if (err)
		french_error(err, errsz);
	buf_free(&b);
	free(src);
	tmpl_set_free(set);
	return rc == 0 ? 0 : CAS_EINVAL;
}

/* --- blocks --- */

struct block {
	struct pdf *p;
	char style; /* 0 none, 'p' paragraph, '~' small print, '>' signature */
	struct buf text;
	int rc;
};

static void flush(struct block *b)
{
	unsigned flags = b->style == '~' ? PDF_SMALL : b->style == '>' ? PDF_WINDOW | PDF_KEEP : 0;

	if (b->style && b->text.len && b->rc == 0) {
		if (b->style == '>')
			b->rc = pdf_space(b->p, 4);
		if (b->rc == 0)
			b->rc = pdf_para(b->p, buf_cstr(&b->text), flags);
	}
	buf_reset(&b->text);
	b->style = 0;
}

static void add_line(struct block *b, char style, const char *s)
{
	if (b->style != style)
		flush(b);
	b->style = style;
	if (b->text.len)
		buf_putc(&b->text, '\n');
	buf_puts(&b->text, s);
}

static void one_line(struct block *b, char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == ' ' || line[n - 1] == '\r' || line[n - 1] == '\t'))
		line[--n] = '\0';
	if (n == 0) {
		flush(b);
	} else if (strncmp(line, "## ", 3) == 0) {
		flush(b);
		b->rc = b->rc ? b->rc : pdf_heading(b->p, line + 3);
	} else if (strncmp(line, "# ", 2) == 0) {
		flush(b);
		b->rc = b->rc ? b->rc : pdf_title(b->p, line + 2);
	} else if (strncmp(line, "- ", 2) == 0) {
		flush(b);
		b->rc = b->rc ? b->rc : pdf_bullet(b->p, line + 2);
	} else if (strncmp(line, "~ ", 2) == 0) {
		add_line(b, '~', line + 2);
	} else if (strncmp(line, "> ", 2) == 0) {
		add_line(b, '>', line + 2);
	} else {
		add_line(b, 'p', line);
	}
}

static int draw_blocks(struct pdf *p, const char *text)
{
	struct block b = {.p = p};
	char *copy = xstrdup(text), *line = copy, *nl;

	buf_init(&b.text, TEXT_MAX);
	for (;;) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		one_line(&b, line);
		if (!nl)
			break;
		line = nl + 1;
	}
	flush(&b);
	buf_free(&b.text);
	free(copy);
	return b.rc;
}

/* --- the letter --- */

static int draw_header(struct pdf *p, const struct letter_doc *doc)
{
	int rc = pdf_para(p, doc->destinataire, PDF_WINDOW | PDF_KEEP);

	if (rc == 0)
		rc = pdf_space(p, 8);
	if (rc == 0)
		rc = pdf_para(p, doc->lieu_date, PDF_RIGHT);
	if (rc == 0 && doc->reference && *doc->reference)
		rc = pdf_para(p, doc->reference, PDF_SMALL);
	if (rc == 0)
		rc = pdf_space(p, 4);
	return rc;
}

/* The template texts, rendered: *body and *recours (NULL when none). */
static int render_texts(const struct letter_doc *doc, char **body, char **recours, char *err,
                        size_t errsz)
{
	int rc = letter_text(doc->body, doc->vars, body, err, errsz);

	*recours = NULL;
	if (rc == 0 && doc->recours)
		rc = letter_text(doc->recours, doc->vars, recours, err, errsz);
	return rc;
}

int letter_render(const struct letter_doc *doc, unsigned char **pdf, size_t *len, char *err,
                  size_t errsz)
{
	struct pdf_meta meta = {.title = doc->title,
	                        .author = doc->ccas_nom,
	                        .subject = doc->footer,
	                        .created = doc->created,
	                        .id_seed = doc->id_seed};
	struct pdf_letterhead lh = {.name = doc->ccas_nom,
	                            .address = doc->adresse,
	                            .communes = doc->communes,
	                            .contact = doc->contact,
	                            .colour = doc->colour};
	char *body = NULL, *recours = NULL;
	struct pdf *p;
	int rc = render_texts(doc, &body, &recours, err, errsz);

	*pdf = NULL;
	*len = 0;
	p = rc == 0 ? pdf_new(&meta, &lh) : NULL;
	if (rc == 0 && !p)
		rc = CAS_EIO;
	if (rc == 0)
		rc = draw_header(p, doc);
	if (rc == 0)
		rc = draw_blocks(p, body);
	if (rc == 0 && recours)
		rc = draw_blocks(p, recours);
	if (rc == 0)
		rc = pdf_footer(p, doc->footer);
	if (rc == 0)
		rc = pdf_finish(p, pdf, len);
	pdf_free(p);
	free(body);
	free(recours);
	return rc;
}
