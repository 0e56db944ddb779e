/* PDF documents (letters, minutes, proofs) on libharu: A4 portrait pages,
 * DejaVu Sans embedded with UTF-8 text (every French accent, œ, €, « »),
 * the CCAS letterhead on every page, a title, word-wrapped paragraphs,
 * bullet lists, simple tables and "Page i / n" footers.
 *
 * Flow: pdf_new() (the first page is opened and its letterhead drawn), then
 * any number of pdf_title / pdf_heading / pdf_para / pdf_bullet /
 * pdf_table / pdf_space calls, which flow down the page and open new pages
 * as needed, then pdf_finish() for the bytes, then pdf_free().
 *
 * Deterministic: the output depends only on the arguments. No clock is
 * read: the creation date is meta->created, and the document /ID is the
 * SHA-256 of meta->id_seed. The same calls in the same order give the same
 * bytes, so a reprint of a stored letter is byte-identical (storing the
 * bytes remains the simplest guarantee across library upgrades).
 *
 * Text: every string is UTF-8 (invalid sequences are replaced by '?');
 * '\n' inside a paragraph starts a new line, an empty line leaves a blank
 * line. Characters the font lacks are drawn as the font's missing glyph.
 * Every function is safe to call after an earlier failure: the first error
 * is sticky and returned again by pdf_finish().
 *
 * Fonts: DejaVuSans.ttf and DejaVuSans-Bold.ttf, looked up in the directory
 * named by the environment variable CASSIS_PDF_FONT_DIR, else
 * /usr/share/fonts/truetype/dejavu (Debian package fonts-dejavu-core).
 *
 * Not thread-safe per document; distinct documents may be built in
 * different threads at the same time. */
#ifndef CAS_PDF_H
#define CAS_PDF_H
#include <stddef.h>
#include <stdint.h>

/* The letterhead drawn at the top of every page (and the footer line). */
struct pdf_letterhead {
	const char *name;     /* the CCAS, e.g. "CCAS de Montreuil" (required) */
	const char *address;  /* postal address, lines separated by '\n', or NULL */
	const char *communes; /* e.g. "Communes : Montreuil, Bagnolet", or NULL */
	const char *contact;  /* phone / e-mail line, or NULL */
	const char *colour;   /* "#RRGGBB" for the band and headings; NULL or
	                       * invalid = "#1b5e8c" */
};

/* Document information. Strings are borrowed for the call only. */
struct pdf_meta {
	const char *title;   /* /Title, also the default footer label (required) */
	const char *author;  /* /Author, e.g. the CCAS name, or NULL */
	const char *subject; /* /Subject, or NULL */
	int64_t created;     /* unix seconds written as /CreationDate (UTC);
	                      * take it from the data (the letter's creation),
	                      * never from the clock at print time; 0 = none */
	const char *id_seed; /* bytes whose SHA-256 gives the document /ID, e.g.
	                      * "letter:42"; NULL = the title and created */
};

/* Paragraph flags (combine with |). */
enum pdf_flag {
	PDF_BOLD = 1,
	PDF_RIGHT = 2,   /* right-aligned */
	PDF_CENTER = 4,  /* centred */
	PDF_SMALL = 8,   /* 8.5 pt instead of 10.5 pt */
	PDF_WINDOW = 16, /* starts at the window-envelope column (the recipient
	                  * block of a letter: 105 mm from the left edge) */
	PDF_KEEP = 32,   /* do not split across pages (moves to the next page
	                  * when it does not fit) */
};

/* Column alignment in tables. */
enum pdf_align { PDF_ALIGN_LEFT = 0, PDF_ALIGN_RIGHT, PDF_ALIGN_CENTER };

/* A simple table: an optional caption, a header row (bold, tinted) and
 * rows of cells. Cells wrap inside their column; rows never split across
 * pages, and the header row is repeated at the top of a new page. */
struct pdf_table {
	const char *caption;         /* bold line above the table, or NULL */
	int ncols;                   /* 1..12 */
	const char *const *headers;  /* ncols strings, or NULL: no header */
	const double *widths;        /* ncols relative widths, or NULL: equal */
	const enum pdf_align *align; /* ncols alignments, or NULL: left */
	int nrows;
	const char *const *cells; /* nrows * ncols strings, row-major;
	                                 * NULL cells print nothing */
};

struct pdf; /* opaque */

/* A new document with its first page. NULL when the fonts cannot be loaded
 * or libharu fails (logged). Free with pdf_free(). lh and meta are borrowed
 * (copied where needed). */
struct pdf *pdf_new(const struct pdf_meta *meta, const struct pdf_letterhead *lh);

/* The document title: large, bold, in the letterhead colour. */
int pdf_title(struct pdf *p, const char *text);
/* A section heading: bold, coloured, with space above; never left alone at
 * the bottom of a page. */
int pdf_heading(struct pdf *p, const char *text);
/* A word-wrapped paragraph followed by a half-line of space. */
int pdf_para(struct pdf *p, const char *text, unsigned flags);
/* A bullet item ("•" and a hanging indent). */
int pdf_bullet(struct pdf *p, const char *text);
/* Vertical space in millimetres (ignored at the top of a page). */
int pdf_space(struct pdf *p, double mm);
/* A table as described above. */
int pdf_table(struct pdf *p, const struct pdf_table *t);
/* Starts a new page (letterhead included). */
int pdf_page_break(struct pdf *p);

/* Draws the footers ("<footer label> — Page i / n") and serialises the
 * document. On success *out (malloc'ed, caller frees) holds *len bytes.
 * 0, or the first error met (CAS_EIO for a libharu failure, CAS_EINVAL for
 * bad arguments). The document cannot be extended afterwards. */
int pdf_finish(struct pdf *p, unsigned char **out, size_t *len);

/* Replaces the footer label (default: meta->title), e.g. a reference
 * "Dossier 2025-0042 — Courrier n° 7". Borrowed for the call only. */
int pdf_footer(struct pdf *p, const char *label);

void pdf_free(struct pdf *p); /* NULL is fine */

/* Number of pages so far (≥ 1). */
int pdf_page_count(const struct pdf *p);

#endif
