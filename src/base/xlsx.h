/* XLSX workbooks of one sheet through libxlsxwriter: the same table as
 * csv_table (base/sheet.h), with typed cells: texts are string cells (never
 * formulas), amounts numeric cells in euros with a "# ##0,00 €" format,
 * dates date cells shown DD/MM/YYYY. The header row is bold and frozen,
 * with an autofilter.
 *
 * libxlsxwriter writes to a file: the workbook is built in a temporary
 * file (TMPDIR or /tmp), read back and removed. */
#ifndef CAS_XLSX_H
#define CAS_XLSX_H
#include <jansson.h>
#include <stddef.h>

#include "base/sheet.h"

/* sheet: the sheet's name (31 characters at most, none of []:*?/\).
 * *data (len bytes) is the file, freed by the caller with free(). Returns
 * 0, CAS_ETOOBIG beyond max bytes, or CAS_EIO. */
int xlsx_table(const char *sheet, const struct sheet_column *cols, int ncols, json_t *rows,
               size_t max, char **data, size_t *len);

#endif
