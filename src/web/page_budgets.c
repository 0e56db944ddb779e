/* The budgets page of the administrateur (/admin/budgets: the envelopes of
 * a year, the rule on overruns), the envelope on an aid type's page, and
 * the export of the dossiers list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/budgets.h"
#include "app/dossiers.h"
#include "app/exports.h"
#include "app/input.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/money.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_payments.h"
#include "web/reply.h"
#include "web/req.h"

static int this_year(void)
{
	int y, m, d;
	paris_ymd(clock_now(), &y, &m, &d);
	return y;
}

static void set_money(json_t *o, const char *key)
{
	char fr[MONEY_FMT_SIZE], out_key[48];
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return;
	money_format(json_integer_value(v), fr, sizeof(fr));
	snprintf(out_key, sizeof(out_key), "%s_fr", key);
	json_object_set_new(o, out_key, json_string(fr));
}

static void shape_figures(json_t *row)
{
	static const char *const keys[] = {"alloue", "engage", "paye", "restant"};
	for (int i = 0; i < 4; i++)
		set_money(row, keys[i]);
	/* the allocation as typed in the form: "1200,50" */
	json_t *a = json_object_get(row, "alloue");
	if (json_is_integer(a)) {
		char plain[MONEY_FMT_SIZE];
		int64_t c = json_integer_value(a);
		snprintf(plain, sizeof(plain), "%lld,%02lld", (long long)(c / 100),
		         (long long)(c % 100));
		json_object_set_new(row, "alloue_saisie", json_string(plain));
	}
}

void page_budgets_aid_ctx(struct req *r, json_t *ctx, int64_t aid_type_id)
{
	int err;
	int year = this_year();
	json_t *b = budget_year(r->db, &r->who, year, aid_type_id, &err);
	json_t *row = b ? json_array_get(json_object_get(b, "rows"), 0) : NULL;
	if (row) {
		shape_figures(row);
		json_object_set_new(row, "annee", json_integer(year));
		json_object_set(ctx, "budget", row);
	}
	json_decref(b);
}

/* ---- /admin/budgets ---- */

static int year_param(struct req *r)
{
	int64_t y = req_query_int(r, "annee", 0);
	return y >= 2000 && y <= 2100 ? (int)y : this_year();
}

/* errors, values borrowed: a refused allocation of aid failed_aid. */
static void render_budgets(struct req *r, int status, int year, json_t *errors, json_t *values,
                           int64_t failed_aid)
{
	int err;
	json_t *b = budget_year(r->db, &r->who, year, 0, &err);
	if (!b) {
		reply_cas_err(r, err);
		return;
	}
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(b, "rows"), i, row)
	{
		shape_figures(row);
		int failed = json_integer_value(json_object_get(row, "aid_type_id")) == failed_aid;
		if (failed && errors)
			json_object_set(row, "error", json_object_get(errors, "montant"));
		if (failed && values)
			json_object_set(row, "alloue_saisie", json_object_get(values, "montant"));
	}
	shape_figures(json_object_get(b, "totals"));
	json_object_set_new(
	    b, "bloquer",
	    json_boolean(strcmp(json_string_value(json_object_get(b, "depassement")), "bloquer") ==
	                 0));
	json_object_set_new(b, "prev_year", json_integer(year - 1));
	json_object_set_new(b, "next_year", json_integer(year + 1));
	json_object_set_new(b, "can_settings",
	                    json_boolean(perm_allows(r->who.role, PERM_SETTINGS_ADMIN)));
	if (errors) {
		page_add_form_errors(b, errors, values);
		json_array_foreach(json_object_get(b, "error_list"), i, row)
		{
			if (strcmp(json_string_value(json_object_get(row, "field")), "montant") ==
			    0)
				json_object_set_new(
				    row, "anchor",
				    json_string(arena_printf(r->arena, "alloue-%lld",
				                             (long long)failed_aid)));
		}
	}
	reply_page(r, status, "payments/budgets", arena_printf(r->arena, "Budgets %d", year), b);
}

void h_budgets(struct req *r)
{
	render_budgets(r, 200, year_param(r), NULL, NULL, 0);
}

void h_budget_set(struct req *r)
{
	json_t *errors = NULL;
	int rc = budget_set(r->db, &r->who, r->form, &errors);
	int64_t year = strtoll(req_form(r, "annee"), NULL, 10);
	if (year < 2000 || year > 2100)
		year = this_year();
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_budgets(r, 422, (int)year, errors, values, input_id(r->form, "aid_type_id"));
		json_decref(values);
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(
		    r, arena_printf(r->arena, "/admin/budgets?annee=%lld", (long long)year),
		    "enveloppe");
	}
	json_decref(errors);
}

void h_budget_overrun(struct req *r)
{
	json_t *errors = NULL;
	int rc = budget_set_overrun(r->db, &r->who, r->form, &errors);
	if (rc == CAS_EINVAL && errors)
		render_budgets(r, 422, this_year(), errors, NULL, 0);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, "/admin/budgets", "enregistre");
	json_decref(errors);
}

/* ---- the export of the dossiers list (/dossiers/export) ---- */

/* The list's own parameters (page_dossiers.c): etat, aide, tri, ordre. */
static void dossier_query_of(struct req *r, struct dossier_query *q)
{
	const char *tri = req_query(r, "tri"), *ordre = req_query(r, "ordre");
	memset(q, 0, sizeof(*q));
	q->etat = req_query(r, "etat") ? req_query(r, "etat") : "";
	q->aide = req_query(r, "aide") ? req_query(r, "aide") : "";
	q->order = tri && strcmp(tri, "date") == 0   ? DOSSIER_ORDER_DATE
	           : tri && strcmp(tri, "etat") == 0 ? DOSSIER_ORDER_ETAT
	                                             : DOSSIER_ORDER_NUMERO;
	q->desc = !(ordre && strcmp(ordre, "asc") == 0);
}

void h_dossiers_export(struct req *r)
{
	struct dossier_query q;
	enum export_format fmt;
	dossier_query_of(r, &q);
	if (export_format_parse(req_query(r, "format"), &fmt) != 0) {
		reply_not_found(r);
		return;
	}
	struct export_file f;
	json_t *errors = NULL;
	int rc = export_dossiers(r->db, &r->who, &q, fmt, &f, &errors);
	if (rc == 0) {
		reply_download(r, f.content_type, f.filename, f.data, f.len);
		export_file_free(&f);
	} else if (rc == CAS_EINVAL) {
		reply_error(r, 400, "Filtre inconnu : revenez à la liste des dossiers.");
	} else if (rc == CAS_ETOOBIG) {
		reply_error(
		    r, 413,
		    "Trop de lignes à exporter : resserrez les filtres (100 000 lignes au plus).");
	} else {
		reply_cas_err(r, rc);
	}
	json_decref(errors);
}

/* Only codes and ids travel in the links. */
static const char *token(struct req *r, const char *key)
{
	const char *s = req_query(r, key);
	return s && strlen(s) <= 40 &&
	               strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(s)
	           ? s
	           : "";
}

void page_exports_dossier_list_ctx(struct req *r, json_t *ctx)
{
	if (!perm_allows(r->who.role, PERM_EXPORT))
		return;
	const char *qs = arena_printf(r->arena, "etat=%s&aide=%s&tri=%s&ordre=%s", token(r, "etat"),
	                              token(r, "aide"), token(r, "tri"), token(r, "ordre"));
	json_object_set_new(
	    ctx, "exports",
	    json_pack("{s:s, s:s}", "csv",
	              arena_printf(r->arena, "/dossiers/export?format=csv&%s", qs), "xlsx",
	              arena_printf(r->arena, "/dossiers/export?format=xlsx&%s", qs)));
}
