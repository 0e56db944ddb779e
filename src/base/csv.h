/* CSV files that a spreadsheet in a French locale (Excel, LibreOffice)
 * opens right with a double click:
 *   - UTF-8 with a byte order mark (else Excel reads Windows-1252);
 *   - ';' between cells (',' is the French decimal separator);
 *   - CRLF at the end of every row;
 *   - a cell holding ';', '"', CR or LF is quoted, its quotes doubled;
 *   - amounts with a decimal comma and no grouping ("1234,56");
 *   - dates as DD/MM/YYYY;
 *   - a text cell that a spreadsheet would take for a formula (starting
 *     with '=', '+', '-', '@', TAB or CR) is prefixed with an apostrophe,
 *     so that exported data never runs as a formula (CSV injection).
 * Numbers and amounts that this code formats itself are never prefixed.
 *
 * Writing goes to a struct buf (base/buf.h): its sticky error (size limit)
 * is checked once by the caller at the end. */
#ifndef CAS_CSV_H
#define CAS_CSV_H
#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/sheet.h"

struct csv {
	struct buf *out; /* borrowed */
	int cells;       /* cells written on the current row */
};

/* Starts a file in out (appends the byte order mark). */
void csv_begin(struct csv *c, struct buf *out);

/* One cell each; NULL text is an empty cell. */
void csv_text(struct csv *c, const char *s);
void csv_int(struct csv *c, int64_t v);
void csv_money(struct csv *c, int64_t cents); /* "1234,56", "-0,05" */
/* 'YYYY-MM-DD' (anything longer is cut at 10) as "DD/MM/YYYY"; other text
 * is written as text (protected as above). */
void csv_date(struct csv *c, const char *iso);
/* Ends the current row (CRLF). */
void csv_end_row(struct csv *c);

/* The whole table: a header row of titles, then one row per element of
 * rows (an array of objects). SHEET_DATE integers are unix seconds, written
 * as the Paris date. Returns out's error (0 or CAS_ETOOBIG). */
int csv_table(struct buf *out, const struct sheet_column *cols, int ncols, json_t *rows);

#endif
