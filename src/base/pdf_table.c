/* PDF simple tables: wrapped cells, thin borders, a tinted header row
 * repeated on each page; rows never split across pages. */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/pdf_internal.h"

#define CELL_PAD 3.5
#define MAX_COLS 12

struct layout {
	const struct pdf_table *t;
	double x[MAX_COLS + 1]; /* column edges */
	double size, lh;
};

static int valid_table(const struct pdf_table *t)
{
	if (!t || t->ncols < 1 || t->ncols > MAX_COLS || t->nrows < 0)
		return 0;
	if (t->nrows > 0 && !t->cells)
		return 0;
	if (t->widths)
		for (int c = 0; c < t->ncols; c++)
			if (!(t->widths[c] > 0))
				return 0;
	return 1;
}

static void columns(struct layout *L)
{
	double total = 0, x = PDF_MARGIN_L;
	int n = L->t->ncols;

	for (int c = 0; c < n; c++)
		total += L->t->widths ? L->t->widths[c] : 1;
	L->x[0] = x;
	for (int c = 0; c < n; c++) {
		x += PDF_CONTENT_W * (L->t->widths ? L->t->widths[c] : 1) / total;
		L->x[c + 1] = x;
	}
	L->x[n] = PDF_PAGE_W - PDF_MARGIN_R;
}

/* Wraps each cell of a row; returns the row height. */
static double wrap_row(struct pdf *p, const struct layout *L, const char *const *cells, int bold,
                       struct pdf_lines *out)
{
	int most = 1;

	for (int c = 0; c < L->t->ncols; c++) {
		char *clean = pdf_clean(cells[c] ? cells[c] : "");
		pdf_wrap(bold ? p->bold : p->font, L->size, clean,
		         L->x[c + 1] - L->x[c] - 2 * CELL_PAD, &out[c]);
		free(clean);
		if (out[c].n > most)
			most = out[c].n;
	}
	return most * L->lh + 2 * CELL_PAD - (L->lh - L->size) + 2;
}

static double cell_x(const struct layout *L, int c, double w)
{
	enum pdf_align a = L->t->align ? L->t->align[c] : PDF_ALIGN_LEFT;
	double left = L->x[c] + CELL_PAD, width = L->x[c + 1] - L->x[c] - 2 * CELL_PAD;

	if (a == PDF_ALIGN_RIGHT)
		return left + width - w;
	if (a == PDF_ALIGN_CENTER)
		return left + (width - w) / 2;
	return left;
}

static void draw_row(struct pdf *p, const struct layout *L, struct pdf_lines *cells, double h,
                     int header)
{
	HPDF_Page pg = PDF_CUR(p);
	HPDF_Font f = header ? p->bold : p->font;
	double top = p->y;

	if (header) {
		HPDF_Page_SetRGBFill(pg, 0.85f + 0.15f * p->r, 0.85f + 0.15f * p->g,
		                     0.85f + 0.15f * p->b);
		HPDF_Page_Rectangle(pg, (HPDF_REAL)L->x[0], (HPDF_REAL)(top - h),
		                    (HPDF_REAL)(L->x[L->t->ncols] - L->x[0]), (HPDF_REAL)h);
		HPDF_Page_Fill(pg);
		HPDF_Page_SetRGBFill(pg, 0, 0, 0);
	}
	HPDF_Page_SetRGBStroke(pg, 0.55f, 0.55f, 0.55f);
	HPDF_Page_SetLineWidth(pg, 0.5);
	for (int c = 0; c < L->t->ncols; c++) {
		HPDF_Page_Rectangle(pg, (HPDF_REAL)L->x[c], (HPDF_REAL)(top - h),
		                    (HPDF_REAL)(L->x[c + 1] - L->x[c]), (HPDF_REAL)h);
		HPDF_Page_Stroke(pg);
		for (int i = 0; i < cells[c].n; i++) {
			const char *s = cells[c].v[i];
			double y = top - CELL_PAD - L->size - i * L->lh;
			pdf_draw_text(pg, f, L->size, cell_x(L, c, pdf_text_width(f, L->size, s)),
			              y, s);
		}
	}
	p->y = top - h;
	p->at_top = 0;
}

static void free_cells(struct pdf_lines *cells, int n)
{
	for (int c = 0; c < n; c++)
		pdf_lines_free(&cells[c]);
}

/* Draws the header row (when there is one). */
static int header_row(struct pdf *p, const struct layout *L)
{
	struct pdf_lines cells[MAX_COLS] = {0};
	double h;

	if (!L->t->headers)
		return p->err;
	h = wrap_row(p, L, L->t->headers, 1, cells);
	draw_row(p, L, cells, h, 1);
	free_cells(cells, L->t->ncols);
	return p->err;
}

static int body_row(struct pdf *p, const struct layout *L, int r)
{
	struct pdf_lines cells[MAX_COLS] = {0};
	const char *const *row = L->t->cells + (size_t)r * (size_t)L->t->ncols;
	double h = wrap_row(p, L, row, 0, cells);
	int rc = 0;

	if (p->y - h < PDF_BOTTOM && !p->at_top) {
		rc = pdf_new_page(p);
		if (rc == 0)
			rc = header_row(p, L);
	}
	if (rc == 0)
		draw_row(p, L, cells, h, 0);
	free_cells(cells, L->t->ncols);
	return rc ? rc : p->err;
}

static int caption(struct pdf *p, const char *text)
{
	char *clean = pdf_clean(text);
	struct pdf_lines l = {0};
	int rc;

	pdf_wrap(p->bold, PDF_SIZE_BODY, clean, PDF_CONTENT_W, &l);
	free(clean);
	for (int i = 0; i < l.n; i++) {
		p->y -= PDF_SIZE_BODY;
		pdf_draw_text(PDF_CUR(p), p->bold, PDF_SIZE_BODY, PDF_MARGIN_L, p->y, l.v[i]);
		p->y -= PDF_SIZE_BODY * (PDF_LEADING - 1);
		p->at_top = 0;
	}
	pdf_lines_free(&l);
	rc = pdf_gap(p, 3);
	return rc;
}

int pdf_table(struct pdf *p, const struct pdf_table *t)
{
	struct layout L = {.t = t, .size = PDF_SIZE_BODY - 1};
	int rc;

	if (!p || !valid_table(t) || p->finished)
		return p && p->err ? p->err : CAS_EINVAL;
	if (p->err)
		return p->err;
	L.lh = L.size * PDF_LEADING;
	columns(&L);
	/* caption + header + first row stay together */
	rc = pdf_need(p, (t->caption ? 2 : 0) * PDF_SIZE_BODY * PDF_LEADING + 5 * L.lh);
	if (rc == 0 && t->caption)
		rc = caption(p, t->caption);
	if (rc == 0)
		rc = header_row(p, &L);
	for (int r = 0; r < t->nrows && rc == 0; r++)
		rc = body_row(p, &L, r);
	if (rc == 0)
		rc = pdf_gap(p, PDF_SIZE_BODY * 0.8);
	return rc;
}
