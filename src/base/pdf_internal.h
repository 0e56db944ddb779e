/* Shared between pdf.c (document, pages, letterhead, footers) and
 * pdf_flow.c (text wrapping, paragraphs, tables). Not a public header. */
#ifndef CAS_PDF_INTERNAL_H
#define CAS_PDF_INTERNAL_H
#include <hpdf.h>

#include "base/pdf.h"

/* A4 portrait in points, margins. */
#define PDF_PAGE_W    595.276
#define PDF_PAGE_H    841.89
#define PDF_MARGIN_L  56.69 /* 20 mm */
#define PDF_MARGIN_R  56.69
#define PDF_BOTTOM    62.0  /* lowest baseline of the flow */
#define PDF_WINDOW_X  297.6 /* 105 mm: window-envelope column */
#define PDF_CONTENT_W (PDF_PAGE_W - PDF_MARGIN_L - PDF_MARGIN_R)

#define PDF_SIZE_BODY    10.5
#define PDF_SIZE_SMALL   8.5
#define PDF_SIZE_HEADING 12.0
#define PDF_SIZE_TITLE   15.0
#define PDF_LEADING      1.38 /* line height / font size */

struct pdf {
	HPDF_Doc doc;
	HPDF_Font font, bold;
	HPDF_Page *pages;
	int npages, cap;
	double y;   /* top of the free space on the current page, in points */
	int at_top; /* nothing drawn on the current page since its letterhead */
	float r, g, b;
	char *name, *address, *communes, *contact, *footer;
	int err; /* first error, sticky */
	int finished;
};

/* Lines of a wrapped text: strings owned by the array. */
struct pdf_lines {
	char **v;
	int n, cap;
};

/* Opens a new page with its letterhead; p->y below it. */
int pdf_new_page(struct pdf *p);
/* Makes room for h points (new page when needed). 0 or the sticky error. */
int pdf_need(struct pdf *p, double h);
/* Vertical space in points (ignored at the top of a page). */
int pdf_gap(struct pdf *p, double pt);
/* Text width in points. */
double pdf_text_width(HPDF_Font f, double size, const char *s);
/* The current page. */
#define PDF_CUR(p) ((p)->pages[(p)->npages - 1])
/* Draws one line of text on pg with its baseline at y. */
void pdf_draw_text(HPDF_Page pg, HPDF_Font f, double size, double x, double y, const char *s);
/* Copy of s with invalid UTF-8 and control characters (but '\n') replaced
 * by '?' and tabs by spaces. Caller frees. */
char *pdf_clean(const char *s);
/* Wraps the cleaned text s into lines no wider than width. */
void pdf_wrap(HPDF_Font f, double size, const char *s, double width, struct pdf_lines *out);
void pdf_lines_free(struct pdf_lines *l);

#endif
