#include "base/csv.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/fr_time.h"

#define BOM "\xef\xbb\xbf"

void csv_begin(struct csv *c, struct buf *out)
{
	c->out = out;
	c->cells = 0;
	buf_puts(out, BOM);
}

static void separate(struct csv *c)
{
	if (c->cells++ > 0)
		buf_putc(c->out, ';');
}

/* Would a spreadsheet read this cell as a formula? */
static int formula_like(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

static int needs_quotes(const char *s)
{
	return strpbrk(s, ";\"\r\n") != NULL;
}

static void put_quoted(struct buf *out, const char *prefix, const char *s)
{
	buf_putc(out, '"');
	buf_puts(out, prefix);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

void csv_text(struct csv *c, const char *s)
{
	separate(c);
	if (!s || !*s)
		return;
	const char *prefix = formula_like(s) ? "'" : "";
	if (needs_quotes(s)) {
		put_quoted(c->out, prefix, s);
		return;
	}
	buf_puts(c->out, prefix);
	buf_puts(c->out, s);
}

void csv_int(struct csv *c, int64_t v)
{
	separate(c);
	buf_printf(c->out, "%" PRId64, v);
}

void csv_money(struct csv *c, int64_t cents)
{
	separate(c);
	/* INT64_MIN has no positive counterpart: go through unsigned. */
	uint64_t abs = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	buf_printf(c->out, "%s%" PRIu64 ",%02u", cents < 0 ? "-" : "", abs / 100,
	           (unsigned)(abs % 100));
}

static int iso_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	if (strlen(s) < 10)
		return 0;
	for (int i = 0; i < 10; i++) {
		int digit = s[i] >= '0' && s[i] <= '9';
		if (shape[i] == 'd' ? !digit : s[i] != '-')
			return 0;
	}
	return 1;
}

void csv_date(struct csv *c, const char *iso)
{
	if (!iso || !iso_date(iso)) {
		csv_text(c, iso);
		return;
	}
	separate(c);
	buf_printf(c->out, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

void csv_end_row(struct csv *c)
{
	buf_puts(c->out, "\r\n");
	c->cells = 0;
}

static void cell(struct csv *c, const struct sheet_column *col, json_t *v)
{
	switch (col->kind) {
	case SHEET_INT:
		if (json_is_integer(v))
			csv_int(c, json_integer_value(v));
		else
			csv_text(c, NULL);
		break;
	case SHEET_MONEY:
		if (json_is_integer(v))
			csv_money(c, json_integer_value(v));
		else
			csv_text(c, NULL);
		break;
	case SHEET_DATE:
		if (json_is_integer(v)) {
			int y, m, d;
			char iso[16];
			paris_ymd(json_integer_value(v), &y, &m, &d);
			snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
			csv_date(c, iso);
		} else {
			csv_date(c, json_string_value(v));
		}
		break;
	default: csv_text(c, json_string_value(v)); break;
	}
}

int csv_table(struct buf *out, const struct sheet_column *cols, int ncols, json_t *rows)
{
	struct csv c;
	csv_begin(&c, out);
	for (int i = 0; i < ncols; i++)
		csv_text(&c, cols[i].title);
	csv_end_row(&c);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		for (int k = 0; k < ncols; k++)
			cell(&c, &cols[k], json_object_get(row, cols[k].key));
		csv_end_row(&c);
		if (out->err)
			break;
	}
	return out->err;
}
