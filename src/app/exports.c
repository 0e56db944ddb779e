#include "app/exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/dossiers.h"
#include "app/input.h"
#include "app/payments.h"
#include "app/payments_internal.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/xlsx.h"
#include "domain/dossier.h"
#include "store/db.h"
#include "store/payment_store.h"

#define CHUNK     500
#define FILE_MAX  ((size_t)256 * 1024 * 1024)
#define CSV_TYPE  "text/csv; charset=utf-8"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

int export_format_parse(const char *s, enum export_format *out)
{
	if (!s || !*s || strcmp(s, "csv") == 0)
		*out = EXPORT_CSV;
	else if (strcmp(s, "xlsx") == 0)
		*out = EXPORT_XLSX;
	else
		return CAS_EINVAL;
	return 0;
}

void export_file_free(struct export_file *f)
{
	free(f->data);
	f->data = NULL;
	f->len = 0;
}

/* ---- rendering and audit, common to every export ---- */

struct table {
	const char *what;  /* audit object type, file name prefix */
	const char *sheet; /* XLSX sheet name */
	const struct sheet_column *cols;
	int ncols;
	json_t *rows;    /* borrowed */
	json_t *filters; /* stolen: the filters, for the audit */
};

static int render(const struct table *t, enum export_format fmt, struct export_file *out)
{
	char today[11];
	paris_date_iso(clock_now(), today);
	snprintf(out->filename, sizeof(out->filename), "%s-%s.%s", t->what, today,
	         fmt == EXPORT_XLSX ? "xlsx" : "csv");
	out->rows = (int)json_array_size(t->rows);
	if (fmt == EXPORT_XLSX) {
		out->content_type = XLSX_TYPE;
		return xlsx_table(t->sheet, t->cols, t->ncols, t->rows, FILE_MAX, &out->data,
		                  &out->len);
	}
	struct buf b;
	buf_init(&b, FILE_MAX);
	int rc = csv_table(&b, t->cols, t->ncols, t->rows);
	out->content_type = CSV_TYPE;
	out->len = b.len;
	out->data = rc == 0 ? buf_steal(&b) : NULL;
	buf_free(&b);
	return rc;
}

/* Renders the table, then writes the audit entry: no file without it. */
static int deliver(struct db *db, const struct actor *who, struct table *t, enum export_format fmt,
                   struct export_file *out)
{
	json_t *filters = t->filters;
	int rc = render(t, fmt, out);
	if (rc == 0)
		rc = db_begin(db);
	if (rc == 0) {
		rc = audit_write(db, who, "export", t->what, 0,
		                 json_pack("{s:[ns], s:[ni], s:[nO]}", "format",
		                           fmt == EXPORT_XLSX ? "xlsx" : "csv", "lignes", out->rows,
		                           "filtres", filters));
		rc = rc == 0 ? db_commit(db) : (db_rollback(db), rc);
	}
	json_decref(filters);
	if (rc != 0)
		export_file_free(out);
	return rc;
}

static int may_export(const struct actor *who, enum perm read)
{
	return who->tenant_id && perm_allows(who->role, PERM_EXPORT) &&
	       perm_allows(who->role, read);
}

/* Appends one page of a list (rows, stolen; NULL when reading failed,
 * *err set) to *all. 1 when the list is whole, or on failure (*all then
 * NULL, *err set: CAS_ETOOBIG past EXPORT_MAX_ROWS); 0 when more may
 * follow. */
static int add_chunk(json_t **all, json_t *rows, int *err)
{
	if (!rows || json_array_size(*all) + json_array_size(rows) > EXPORT_MAX_ROWS) {
		*err = rows ? CAS_ETOOBIG : *err;
		json_decref(rows);
		json_decref(*all);
		*all = NULL;
		return 1;
	}
	size_t n = json_array_size(rows);
	json_array_extend(*all, rows);
	json_decref(rows);
	return n < CHUNK;
}

/* ---- dossiers ---- */

static const struct sheet_column dossier_cols[] = {
    {"numero", "Numéro", SHEET_TEXT, 12},
    {"created_at", "Ouvert le", SHEET_DATE, 12},
    {"demandeur", "Demandeur", SHEET_TEXT, 28},
    {"household_label", "Foyer", SHEET_TEXT, 24},
    {"aide", "Aide", SHEET_TEXT, 28},
    {"state_label", "État", SHEET_TEXT, 16},
    {"montant_demande", "Montant demandé (€)", SHEET_MONEY, 16},
    {"decision_label", "Décision", SHEET_TEXT, 16},
    {"montant_accorde", "Montant accordé (€)", SHEET_MONEY, 16},
};

static void label_decision(json_t *rows)
{
	size_t i;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		enum dossier_decision dd;
		const char *code = json_string_value(json_object_get(d, "decision"));
		if (code && dossier_decision_from_code(code, &dd) == 0)
			json_object_set_new(d, "decision_label",
			                    json_string(dossier_decision_label(dd)));
	}
}

static json_t *all_dossiers(struct db *db, const struct actor *who, const struct dossier_query *q,
                            int *err, json_t **errors)
{
	struct dossier_query page = *q;
	json_t *all = json_array();
	page.limit = CHUNK;
	for (page.offset = 0;; page.offset += CHUNK)
		if (add_chunk(&all, dossier_list(db, who, &page, NULL, err, errors), err))
			return all;
}

int export_dossiers(struct db *db, const struct actor *who, const struct dossier_query *q,
                    enum export_format fmt, struct export_file *out, json_t **errors)
{
	*errors = NULL;
	memset(out, 0, sizeof(*out));
	if (!may_export(who, PERM_DOSSIER_READ))
		return CAS_EPERM;
	int err;
	json_t *rows = all_dossiers(db, who, q, &err, errors);
	if (!rows)
		return err;
	label_decision(rows);
	struct table t = {"dossiers",
	                  "Dossiers",
	                  dossier_cols,
	                  (int)(sizeof(dossier_cols) / sizeof(dossier_cols[0])),
	                  rows,
	                  json_pack("{s:s, s:s, s:s, s:s}", "etat", q->etat ? q->etat : "", "aide",
	                            q->aide ? q->aide : "", "tri",
	                            q->order == DOSSIER_ORDER_DATE   ? "date"
	                            : q->order == DOSSIER_ORDER_ETAT ? "etat"
	                                                             : "numero",
	                            "ordre", q->desc ? "desc" : "asc")};
	int rc = deliver(db, who, &t, fmt, out);
	json_decref(rows);
	return rc;
}

/* ---- payments ---- */

static const struct sheet_column payment_cols[] = {
    {"numero", "Dossier", SHEET_TEXT, 12},
    {"echeance", "Échéance", SHEET_INT, 9},
    {"demandeur", "Demandeur", SHEET_TEXT, 28},
    {"aide", "Aide", SHEET_TEXT, 24},
    {"mode_label", "Mode", SHEET_TEXT, 16},
    {"payee_nom", "Bénéficiaire du paiement", SHEET_TEXT, 28},
    {"objet", "Objet", SHEET_TEXT, 36},
    {"montant", "Montant (€)", SHEET_MONEY, 14},
    {"state_label", "État", SHEET_TEXT, 10},
    {"date_prevue", "Prévu le", SHEET_DATE, 12},
    {"mandate_le", "Mandaté le", SHEET_DATE, 12},
    {"paye_le", "Payé le", SHEET_DATE, 12},
    {"remis_le", "Remis le", SHEET_DATE, 12},
};

static json_t *all_payments(struct db *db, const struct actor *who, const struct payment_query *q,
                            int *err, json_t **errors)
{
	struct payment_query page = *q;
	json_t *all = json_array();
	page.limit = CHUNK;
	for (page.offset = 0;; page.offset += CHUNK)
		if (add_chunk(&all, payment_list(db, who, &page, NULL, NULL, err, errors), err))
			return all;
}

#define S(x) ((x) ? (x) : "")

int export_payments(struct db *db, const struct actor *who, const struct payment_query *q,
                    enum export_format fmt, struct export_file *out, json_t **errors)
{
	*errors = NULL;
	memset(out, 0, sizeof(*out));
	if (!may_export(who, PERM_PAYMENT_READ))
		return CAS_EPERM;
	int err;
	json_t *rows = all_payments(db, who, q, &err, errors);
	if (!rows)
		return err;
	struct table t = {"paiements",
	                  "Paiements",
	                  payment_cols,
	                  (int)(sizeof(payment_cols) / sizeof(payment_cols[0])),
	                  rows,
	                  json_pack("{s:s, s:s, s:s, s:s}", "etat", S(q->etat), "aide", S(q->aide),
	                            "du", S(q->du), "au", S(q->au))};
	int rc = deliver(db, who, &t, fmt, out);
	json_decref(rows);
	return rc;
}

/* ---- the treasury file ---- */

static const struct sheet_column treasury_cols[] = {
    {"beneficiaire", "Bénéficiaire", SHEET_TEXT, 0},
    {"iban", "IBAN", SHEET_TEXT, 0},
    {"bic", "BIC", SHEET_TEXT, 0},
    {"montant", "Montant", SHEET_MONEY, 0},
    {"objet", "Objet", SHEET_TEXT, 0},
    {"numero", "Référence du dossier", SHEET_TEXT, 0},
    {"mandate_le", "Date du mandat", SHEET_DATE, 0},
};

static json_t *period_errors(const char *du, const char *au)
{
	json_t *errs = json_object();
	if (!pay_date_ok(du))
		input_error(errs, "du", "Indiquez le premier jour de la période (AAAA-MM-JJ).");
	if (!pay_date_ok(au))
		input_error(errs, "au", "Indiquez le dernier jour de la période (AAAA-MM-JJ).");
	if (!json_object_size(errs) && strcmp(du, au) > 0)
		input_error(errs, "au", "La fin de la période précède son début.");
	if (json_object_size(errs))
		return errs;
	json_decref(errs);
	return NULL;
}

int export_treasury(struct db *db, const struct actor *who, const char *du, const char *au,
                    struct export_file *out, json_t **errors)
{
	*errors = NULL;
	memset(out, 0, sizeof(*out));
	if (!may_export(who, PERM_PAYMENT_READ))
		return CAS_EPERM;
	*errors = period_errors(du, au);
	if (*errors)
		return CAS_EINVAL;
	json_t *rows = payment_store_treasury(db, who->tenant_id, du, au);
	if (!rows)
		return CAS_EDB;
	if (json_array_size(rows) > EXPORT_MAX_ROWS) {
		json_decref(rows);
		return CAS_ETOOBIG;
	}
	struct table t = {"tresorerie",  "Trésorerie",
	                  treasury_cols, (int)(sizeof(treasury_cols) / sizeof(treasury_cols[0])),
	                  rows,          json_pack("{s:s, s:s}", "du", du, "au", au)};
	int rc = deliver(db, who, &t, EXPORT_CSV, out);
	if (rc == 0)
		snprintf(out->filename, sizeof(out->filename), "tresorerie-%s-%s.csv", du, au);
	json_decref(rows);
	return rc;
}
