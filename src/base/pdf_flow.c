/* PDF text flow: cleaning, word wrapping, titles, paragraphs, bullets and
 * tables, moving down the page and opening new pages as needed. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/pdf_internal.h"
#include "base/utf8.h"
#include "base/xalloc.h"

#define BULLET_IND 16.0

char *pdf_clean(const char *s)
{
	size_t n = strlen(s), i = 0;
	char *out = xmalloc(n + 1), *o = out;

	while (i < n) {
		size_t start = i;
		long cp = utf8_next(s, &i);

		if (cp < 0 || (cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') || cp == 0x7f)
			*o++ = '?';
		else if (cp == '\t')
			*o++ = ' ';
		else if (cp != '\r')
			for (size_t k = start; k < i; k++)
				*o++ = s[k];
		if (cp == 0)
			break;
	}
	*o = '\0';
	return out;
}

static void lines_push(struct pdf_lines *l, const char *s, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = xstrndup(s, n);
}

void pdf_lines_free(struct pdf_lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Splits a word wider than the line at code point boundaries. */
static void wrap_long_word(HPDF_Font f, double size, struct buf *line, double width,
                           struct pdf_lines *out)
{
	const char *s = buf_cstr(line);
	size_t n = line->len, start = 0, i = 0, last = 0;
	char *tmp = xmalloc(n + 1);

	while (i < n) {
		utf8_next(s, &i);
		memcpy(tmp, s + start, i - start);
		tmp[i - start] = '\0';
		if (pdf_text_width(f, size, tmp) > width && last > start) {
			lines_push(out, s + start, last - start);
			start = last;
		}
		last = i;
	}
	free(tmp);
	if (start > 0) {
		char *rest = xstrndup(s + start, n - start);
		buf_reset(line);
		buf_puts(line, rest);
		free(rest);
	}
}

/* Wraps one line of text (no '\n') into out. */
static void wrap_line(HPDF_Font f, double size, const char *s, size_t n, double width,
                      struct pdf_lines *out)
{
	struct buf line, trial;
	size_t i = 0;

	buf_init(&line, 1 << 20);
	buf_init(&trial, 1 << 20);
	while (i < n) {
		size_t w = i;
		while (w < n && s[w] != ' ')
			w++;
		if (w > i) {
			buf_reset(&trial);
			buf_append(&trial, line.data, line.len);
			if (line.len)
				buf_putc(&trial, ' ');
			buf_append(&trial, s + i, w - i);
			if (line.len && pdf_text_width(f, size, buf_cstr(&trial)) > width) {
				lines_push(out, line.data, line.len);
				buf_reset(&line);
				buf_append(&line, s + i, w - i);
			} else {
				buf_reset(&line);
				buf_append(&line, trial.data, trial.len);
			}
			if (pdf_text_width(f, size, buf_cstr(&line)) > width)
				wrap_long_word(f, size, &line, width, out);
		}
		i = w + 1;
	}
	lines_push(out, buf_cstr(&line), line.len);
	buf_free(&line);
	buf_free(&trial);
}

void pdf_wrap(HPDF_Font f, double size, const char *s, double width, struct pdf_lines *out)
{
	const char *nl;

	for (;;) {
		nl = strchr(s, '\n');
		wrap_line(f, size, s, nl ? (size_t)(nl - s) : strlen(s), width, out);
		if (!nl)
			break;
		s = nl + 1;
	}
}

static int check(struct pdf *p, const char *text)
{
	if (!p)
		return CAS_EINVAL;
	if (p->err)
		return p->err;
	if (p->finished || !text)
		return CAS_EINVAL;
	return 0;
}

static double line_x(double left, double width, double w, unsigned flags)
{
	if (flags & PDF_RIGHT)
		return left + width - w;
	if (flags & PDF_CENTER)
		return left + (width - w) / 2;
	return left;
}

/* Draws wrapped text at [left, left+width], flowing across pages. */
static int flow(struct pdf *p, HPDF_Font f, double size, const char *text, double left,
                double width, unsigned flags)
{
	struct pdf_lines l = {0};
	double lh = size * PDF_LEADING;
	char *clean = pdf_clean(text);
	int rc = 0;

	pdf_wrap(f, size, clean, width, &l);
	free(clean);
	if (flags & PDF_KEEP)
		rc = pdf_need(p, lh * l.n);
	for (int i = 0; i < l.n && rc == 0; i++) {
		rc = pdf_need(p, lh);
		if (rc)
			break;
		p->y -= size;
		pdf_draw_text(PDF_CUR(p), f, size,
		              line_x(left, width, pdf_text_width(f, size, l.v[i]), flags), p->y,
		              l.v[i]);
		p->y -= lh - size;
		p->at_top = 0;
	}
	pdf_lines_free(&l);
	return rc ? rc : p->err;
}

int pdf_para(struct pdf *p, const char *text, unsigned flags)
{
	double size = flags & PDF_SMALL ? PDF_SIZE_SMALL : PDF_SIZE_BODY;
	double left = flags & PDF_WINDOW ? PDF_WINDOW_X : PDF_MARGIN_L;
	double width = PDF_PAGE_W - PDF_MARGIN_R - left;
	int rc = check(p, text);

	if (rc)
		return rc;
	rc = flow(p, flags & PDF_BOLD ? p->bold : p->font, size, text, left, width, flags);
	if (rc == 0)
		rc = pdf_gap(p, size * 0.6);
	return rc;
}

int pdf_title(struct pdf *p, const char *text)
{
	int rc = check(p, text);

	if (rc)
		return rc;
	rc = pdf_need(p, PDF_SIZE_TITLE * PDF_LEADING + 3 * PDF_SIZE_BODY * PDF_LEADING);
	if (rc)
		return rc;
	HPDF_Page_SetRGBFill(PDF_CUR(p), p->r, p->g, p->b);
	rc = flow(p, p->bold, PDF_SIZE_TITLE, text, PDF_MARGIN_L, PDF_CONTENT_W, 0);
	HPDF_Page_SetRGBFill(PDF_CUR(p), 0, 0, 0);
	return rc ? rc : pdf_gap(p, 8);
}

int pdf_heading(struct pdf *p, const char *text)
{
	int rc = check(p, text);

	if (rc)
		return rc;
	rc = pdf_gap(p, 6);
	if (rc == 0)
		rc = pdf_need(p, PDF_SIZE_HEADING * PDF_LEADING + 3 * PDF_SIZE_BODY * PDF_LEADING);
	if (rc)
		return rc;
	HPDF_Page_SetRGBFill(PDF_CUR(p), p->r, p->g, p->b);
	rc = flow(p, p->bold, PDF_SIZE_HEADING, text, PDF_MARGIN_L, PDF_CONTENT_W, 0);
	HPDF_Page_SetRGBFill(PDF_CUR(p), 0, 0, 0);
	return rc ? rc : pdf_gap(p, 3);
}

int pdf_bullet(struct pdf *p, const char *text)
{
	double lh = PDF_SIZE_BODY * PDF_LEADING;
	int rc = check(p, text);

	if (rc)
		return rc;
	rc = pdf_need(p, lh);
	if (rc)
		return rc;
	pdf_draw_text(PDF_CUR(p), p->font, PDF_SIZE_BODY, PDF_MARGIN_L + 4, p->y - PDF_SIZE_BODY,
	              "•");
	rc = flow(p, p->font, PDF_SIZE_BODY, text, PDF_MARGIN_L + BULLET_IND,
	          PDF_CONTENT_W - BULLET_IND, 0);
	return rc ? rc : pdf_gap(p, 2);
}

int pdf_gap(struct pdf *p, double pt)
{
	if (!p)
		return CAS_EINVAL;
	if (p->err || p->finished)
		return p->err ? p->err : CAS_EINVAL;
	if (!p->at_top)
		p->y -= pt;
	return 0;
}

int pdf_space(struct pdf *p, double mm)
{
	return pdf_gap(p, mm * 72.0 / 25.4);
}
