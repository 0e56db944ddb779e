#include "store/db_bulk.h"

#include <jansson.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/db.h"
#include "store/query.h"

static int plain(const char *s)
{
	if (!s || !*s || strlen(s) > 63 || (*s >= '0' && *s <= '9'))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

static int reset_one(struct db *db, const char *table, const char *col)
{
	struct buf sql;
	buf_init(&sql, 4096);
	buf_printf(&sql, "SELECT setval(pg_get_serial_sequence(?, ?), max(%s)) FROM %s", col,
	           table);
	int rc = sql.err ? sql.err : q_exec(db, buf_cstr(&sql), "tt", table, col);
	buf_free(&sql);
	return rc;
}

int db_after_bulk_insert(struct db *db, const char *table)
{
	if (db_kind(db) != DB_POSTGRESQL)
		return 0;
	if (!plain(table))
		return CAS_EINVAL;
	json_t *cols = q_rows(db,
	                      "SELECT column_name AS col FROM information_schema.columns "
	                      "WHERE table_schema = current_schema() AND table_name = ? "
	                      "AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')",
	                      "t", table);
	if (!cols)
		return CAS_EDB;
	int rc = 0;
	size_t i;
	json_t *c;
	json_array_foreach(cols, i, c)
	{
		const char *col = json_string_value(json_object_get(c, "col"));
		rc = plain(col) ? reset_one(db, table, col) : CAS_EINVAL;
		if (rc != 0)
			break;
	}
	json_decref(cols);
	return rc;
}
