#include "base/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/err.h"
#include "base/fr_time.h"
#include "base/xalloc.h"

struct formats {
	lxw_format *header, *money, *date;
};

static void add_formats(lxw_workbook *wb, struct formats *f)
{
	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	f->money = workbook_add_format(wb);
	format_set_num_format(f->money, "#,##0.00\\ \"€\"");
	f->date = workbook_add_format(wb);
	format_set_num_format(f->date, "dd/mm/yyyy");
}

static int date_parts(json_t *v, lxw_datetime *dt)
{
	memset(dt, 0, sizeof(*dt));
	if (json_is_integer(v)) {
		paris_ymd(json_integer_value(v), &dt->year, &dt->month, &dt->day);
		return 1;
	}
	const char *s = json_string_value(v);
	return s && sscanf(s, "%4d-%2d-%2d", &dt->year, &dt->month, &dt->day) == 3 &&
	       dt->year >= 1900 && dt->month >= 1 && dt->month <= 12 && dt->day >= 1 &&
	       dt->day <= 31;
}

static void cell(lxw_worksheet *ws, const struct formats *f, lxw_row_t r, lxw_col_t c,
                 const struct sheet_column *col, json_t *v)
{
	lxw_datetime dt;
	switch (col->kind) {
	case SHEET_INT:
		if (json_is_integer(v))
			worksheet_write_number(ws, r, c, (double)json_integer_value(v), NULL);
		break;
	case SHEET_MONEY:
		/* display only: the figures themselves stay integer cents */
		if (json_is_integer(v))
			worksheet_write_number(ws, r, c, (double)json_integer_value(v) / 100.0,
			                       f->money);
		break;
	case SHEET_DATE:
		if (date_parts(v, &dt))
			worksheet_write_datetime(ws, r, c, &dt, f->date);
		else if (json_is_string(v))
			worksheet_write_string(ws, r, c, json_string_value(v), NULL);
		break;
	default:
		if (json_is_string(v) && *json_string_value(v))
			worksheet_write_string(ws, r, c, json_string_value(v), NULL);
		break;
	}
}

static void fill(lxw_workbook *wb, const char *sheet, const struct sheet_column *cols, int ncols,
                 json_t *rows)
{
	struct formats f;
	add_formats(wb, &f);
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
	for (int c = 0; c < ncols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].title, f.header);
		if (cols[c].width > 0)
			worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
	}
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		for (int c = 0; c < ncols; c++)
			cell(ws, &f, (lxw_row_t)(i + 1), (lxw_col_t)c, &cols[c],
			     json_object_get(row, cols[c].key));
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (ncols > 0)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)json_array_size(rows),
		                     (lxw_col_t)(ncols - 1));
}

/* Reads the whole file at path into *data. */
static int slurp(const char *path, size_t max, char **data, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return CAS_EIO;
	struct stat st;
	int rc = fstat(fileno(fp), &st) == 0 ? 0 : CAS_EIO;
	if (rc == 0 && (size_t)st.st_size > max)
		rc = CAS_ETOOBIG;
	if (rc == 0) {
		*len = (size_t)st.st_size;
		*data = xmalloc(*len ? *len : 1);
		if (fread(*data, 1, *len, fp) != *len) {
			free(*data);
			*data = NULL;
			rc = CAS_EIO;
		}
	}
	fclose(fp);
	return rc;
}

int xlsx_table(const char *sheet, const struct sheet_column *cols, int ncols, json_t *rows,
               size_t max, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	const char *tmp = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof(path), "%s/cassis-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return CAS_EIO;
	close(fd);
	lxw_workbook_options opt = {.constant_memory = 0,
	                            .tmpdir = tmp && *tmp ? (char *)tmp : NULL};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	int rc = CAS_EIO;
	if (wb) {
		fill(wb, sheet, cols, ncols, rows);
		if (workbook_close(wb) == LXW_NO_ERROR)
			rc = slurp(path, max, data, len);
	}
	unlink(path);
	return rc;
}
