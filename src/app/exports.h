/* Exports of lists to spreadsheets: the dossiers and the payments as the
 * screen shows them (same filters, same order, same figures), in CSV for
 * a French Excel (base/csv.h) or XLSX (base/xlsx.h), and the treasury file
 * of the transfers mandated in a period (CSV). Exporting is a bulk
 * extraction of personal data: it needs PERM_EXPORT on top of the
 * permission to read what is listed, and every export writes an audit
 * entry (what, format, filters, number of rows) before the file is handed
 * over. */
#ifndef CAS_EXPORTS_H
#define CAS_EXPORTS_H
#include <jansson.h>
#include <stddef.h>

struct actor;
struct db;
struct dossier_query;
struct payment_query;

enum export_format { EXPORT_CSV, EXPORT_XLSX };

struct export_file {
	char *data; /* owned: export_file_free */
	size_t len;
	const char *content_type; /* static */
	char filename[96];        /* e.g. "dossiers-2026-03-15.csv" */
	int rows;
};

/* "csv" or "xlsx" (NULL or "" is CSV). 0, or CAS_EINVAL. */
int export_format_parse(const char *s, enum export_format *out);

/* Every dossier matching q (its offset and limit are ignored). CAS_EINVAL
 * with *errors for a bad filter; CAS_ETOOBIG beyond EXPORT_MAX_ROWS. */
int export_dossiers(struct db *db, const struct actor *who, const struct dossier_query *q,
                    enum export_format fmt, struct export_file *out, json_t **errors);
/* Every payment matching q, as export_dossiers. */
int export_payments(struct db *db, const struct actor *who, const struct payment_query *q,
                    enum export_format fmt, struct export_file *out, json_t **errors);
/* The transfers mandated from du to au ('YYYY-MM-DD', both required):
 * beneficiary, IBAN, BIC, amount, object, dossier reference, date. */
int export_treasury(struct db *db, const struct actor *who, const char *du, const char *au,
                    struct export_file *out, json_t **errors);

void export_file_free(struct export_file *f);

#define EXPORT_MAX_ROWS 100000

#endif
