/* Payments pages: the payments section of a dossier (payees, instalments,
 * acts), the page that shows a refused payment form again, and the list of
 * the CCAS's payments with its exports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/aid_types.h"
#include "app/exports.h"
#include "app/input.h"
#include "app/payments.h"
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

#define PAGE_SIZE 25

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void set_money(json_t *o, const char *key, const char *out_key)
{
	char fr[MONEY_FMT_SIZE];
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return;
	money_format(json_integer_value(v), fr, sizeof(fr));
	json_object_set_new(o, out_key, json_string(fr));
}

/* 'YYYY-MM-DD' -> "DD/MM/YYYY" under out_key. */
static void set_date(json_t *o, const char *key, const char *out_key)
{
	const char *s = str(o, key);
	char fr[16];
	if (strlen(s) != 10)
		return;
	snprintf(fr, sizeof(fr), "%.2s/%.2s/%.4s", s + 8, s + 5, s);
	json_object_set_new(o, out_key, json_string(fr));
}

static void shape_row(json_t *p)
{
	set_money(p, "montant", "montant_fr");
	set_date(p, "date_prevue", "date_prevue_fr");
	set_date(p, "mandate_le", "mandate_le_fr");
	set_date(p, "paye_le", "paye_le_fr");
	set_date(p, "remis_le", "remis_le_fr");
	set_date(p, "date_operation", "date_operation_fr");
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(p, "bons"), i, b)
	{
		set_money(b, "valeur", "valeur_fr");
	}
}

/* ---- the dossier's section ---- */

static json_t *section(struct req *r, int64_t dossier_id, int *err)
{
	json_t *v = payment_dossier_view(r->db, &r->who, dossier_id, err);
	if (!v)
		return NULL;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(v, "payments"), i, p)
	{
		shape_row(p);
		json_object_set_new(p, "has_actions",
		                    json_boolean(json_array_size(json_object_get(p, "actions"))));
	}
	set_money(v, "accorde", "accorde_fr");
	set_money(v, "engage", "engage_fr");
	set_money(v, "paye", "paye_fr");
	set_money(v, "reste", "reste_fr");
	char today[11];
	paris_date_iso(clock_now(), today);
	json_object_set_new(v, "today", json_string(today));
	json_object_set_new(v, "dossier_id", json_integer(dossier_id));
	json_object_set_new(v, "kinds", payee_kinds());
	json_object_set_new(v, "has_payments",
	                    json_boolean(json_array_size(json_object_get(v, "payments"))));
	json_object_set_new(v, "has_payees",
	                    json_boolean(json_array_size(json_object_get(v, "payees"))));
	return v;
}

void page_payments_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id)
{
	int err;
	json_t *v = section(r, dossier_id, &err);
	if (!v)
		return;
	if (!json_is_integer(json_object_get(v, "accorde")) &&
	    !json_is_true(json_object_get(v, "has_payments"))) {
		json_decref(v);
		return;
	}
	json_object_set_new(ctx, "pay", v);
}

/* ---- a refused form, shown again on its own page ---- */

/* The form's values in pay_values, marked for the selects and radios. */
static json_t *form_values(struct req *r)
{
	json_t *values = page_form_values(r);
	json_object_set_new(values, "is_nature",
	                    json_boolean(strcmp(str(values, "mode"), "nature") == 0));
	json_object_set_new(values, "is_virement",
	                    json_boolean(strcmp(str(values, "mode"), "virement") == 0));
	return values;
}

static void mark_selected(json_t *list, const char *key, const char *selected)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		json_t *v = json_object_get(o, key);
		char id[32];
		if (json_is_integer(v))
			snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(v));
		else
			snprintf(id, sizeof(id), "%s",
			         json_string_value(v) ? json_string_value(v) : "");
		json_object_set_new(o, "selected", json_boolean(strcmp(id, selected) == 0));
	}
}

/* which: "payee", "schedule" or "act"; errors borrowed. */
static void render_refused(struct req *r, const char *which, json_t *errors, json_t *act)
{
	int err;
	json_t *v = section(r, r->ids[0], &err);
	if (!v) {
		json_decref(act);
		reply_cas_err(r, err);
		return;
	}
	json_t *values = form_values(r);
	mark_selected(json_object_get(v, "payees"), "id", str(values, "payee_id"));
	mark_selected(json_object_get(v, "kinds"), "code", str(values, "kind"));
	json_t *ctx = json_pack("{s:o, s:O, s:o, s:b, s:b}", "pay", v, "pay_errors", errors,
	                        "pay_values", values, "show_payee", strcmp(which, "payee") == 0,
	                        "show_schedule", strcmp(which, "schedule") == 0);
	if (act)
		json_object_set_new(ctx, "act", act);
	page_add_form_errors(ctx, errors, NULL);
	const char *prefix = strcmp(which, "payee") == 0 ? "payee-" : "pay-";
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(ctx, "error_list"), i, e)
	{
		json_object_set_new(
		    e, "anchor",
		    json_string(act ? "act-date"
		                    : arena_printf(r->arena, "%s%s", prefix, str(e, "field"))));
	}
	reply_page(r, 422, "payments/form",
	           arena_printf(r->arena, "Paiements du dossier n° %lld", (long long)r->ids[0]),
	           ctx);
}

static void back_to_dossier(struct req *r, const char *flash)
{
	reply_redirect_flash(
	    r, arena_printf(r->arena, "/dossiers/%lld#paiements", (long long)r->ids[0]), flash);
}

void h_payee_create(struct req *r)
{
	int64_t id;
	json_t *errors = NULL;
	int rc = payee_create(r->db, &r->who, r->ids[0], r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors)
		render_refused(r, "payee", errors, NULL);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		back_to_dossier(r, "titulaire_ajoute");
	json_decref(errors);
}

void h_payment_schedule(struct req *r)
{
	int64_t id;
	json_t *errors = NULL;
	int rc = payment_schedule(r->db, &r->who, r->ids[0], r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors)
		render_refused(r, "schedule", errors, NULL);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		back_to_dossier(r, "paiement_prevu");
	json_decref(errors);
}

static void act(struct req *r, const char *action, const char *flash)
{
	json_t *errors = NULL;
	int rc = payment_act(r->db, &r->who, r->ids[0], r->ids[1], action, r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *a = json_pack("{s:s, s:I, s:s, s:s?}", "action", action, "payment_id",
		                      (json_int_t)r->ids[1], "date", req_form(r, "date"), "confirm",
		                      strcmp(action, "payer") == 0
		                          ? "Confirmez-vous que la trésorerie a payé ce mandat ?"
		                          : NULL);
		render_refused(r, "act", errors, a);
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		back_to_dossier(r, flash);
	}
	json_decref(errors);
}

void h_payment_mandate(struct req *r)
{
	act(r, "mandater", "paiement_mandate");
}

void h_payment_pay(struct req *r)
{
	act(r, "payer", "paiement_paye");
}

void h_payment_hand_over(struct req *r)
{
	act(r, "remettre", "paiement_remis");
}

void h_payment_cancel(struct req *r)
{
	act(r, "annuler", "paiement_annule");
}

/* ---- the list ---- */

/* Only dates, digits and codes travel in the list's links. */
static const char *safe(const char *s)
{
	return s && strlen(s) <= 40 &&
	               strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(s)
	           ? s
	           : "";
}

static void read_query(struct req *r, struct payment_query *q, int64_t *page)
{
	memset(q, 0, sizeof(*q));
	q->etat = safe(req_query(r, "etat"));
	q->aide = safe(req_query(r, "aide"));
	q->du = safe(req_query(r, "du"));
	q->au = safe(req_query(r, "au"));
	*page = req_query_int(r, "page", 1);
	if (*page < 1 || *page > 1000000)
		*page = 1;
	q->offset = (*page - 1) * PAGE_SIZE;
	q->limit = PAGE_SIZE;
}

static const char *filters_qs(struct req *r, const struct payment_query *q)
{
	return arena_printf(r->arena, "etat=%s&aide=%s&du=%s&au=%s", q->etat, q->aide, q->du,
	                    q->au);
}

static void add_pages(struct req *r, json_t *ctx, const struct payment_query *q, int64_t page,
                      int64_t total)
{
	int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	const char *qs = filters_qs(r, q);
	json_object_set_new(ctx, "page", json_integer(page));
	json_object_set_new(ctx, "pages", json_integer(pages));
	json_object_set_new(ctx, "export_qs", json_string(qs));
	if (page > 1)
		json_object_set_new(ctx, "prev_href",
		                    json_string(arena_printf(r->arena, "/paiements?%s&page=%lld",
		                                             qs, (long long)page - 1)));
	if (page < pages)
		json_object_set_new(ctx, "next_href",
		                    json_string(arena_printf(r->arena, "/paiements?%s&page=%lld",
		                                             qs, (long long)page + 1)));
	json_object_set_new(ctx, "caption",
	                    json_string(arena_printf(
	                        r->arena, "Paiements, page %lld sur %lld, les plus récents d'abord",
	                        (long long)page, (long long)pages)));
}

static json_t *list_ctx(struct req *r, const struct payment_query *q, json_t *rows, int64_t total,
                        int64_t sum)
{
	int err;
	json_t *aides = aid_type_list(r->db, &r->who, 0, &err);
	mark_selected(aides, "id", q->aide);
	json_t *states = payment_states();
	mark_selected(states, "state", q->etat);
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p)
	{
		shape_row(p);
	}
	char fr[MONEY_FMT_SIZE];
	money_format(sum, fr, sizeof(fr));
	return json_pack("{s:o, s:b, s:o, s:o, s:{s:s, s:s, s:s, s:s}, s:I, s:s, s:b}", "rows",
	                 rows, "has_rows", json_array_size(rows) > 0, "aides",
	                 aides ? aides : json_array(), "states", states, "filters", "etat", q->etat,
	                 "aide", q->aide, "du", q->du, "au", q->au, "total", (json_int_t)total,
	                 "total_fr", fr, "can_export", perm_allows(r->who.role, PERM_EXPORT));
}

/* The list with errors (a bad filter, a bad period of the treasury file). */
static void render_list(struct req *r, int status, const struct payment_query *q, int64_t page,
                        json_t *errors)
{
	int64_t total = 0, sum = 0;
	int err;
	json_t *list_errors = NULL;
	json_t *rows = payment_list(r->db, &r->who, q, &total, &sum, &err, &list_errors);
	if (!rows && err != CAS_EINVAL) {
		json_decref(list_errors);
		reply_cas_err(r, err);
		return;
	}
	json_t *ctx = list_ctx(r, q, rows ? rows : json_array(), total, sum);
	add_pages(r, ctx, q, page, total);
	json_t *errs = errors ? errors : list_errors;
	if (errs) {
		page_add_form_errors(ctx, errs, NULL);
		status = status == 200 ? 400 : status;
	}
	json_object_set_new(ctx, "du_tresorerie", json_string(safe(req_query(r, "du_tresorerie"))));
	json_object_set_new(ctx, "au_tresorerie", json_string(safe(req_query(r, "au_tresorerie"))));
	json_decref(list_errors);
	reply_page(r, status, "payments/list", "Paiements", ctx);
}

void h_payments(struct req *r)
{
	struct payment_query q;
	int64_t page;
	read_query(r, &q, &page);
	render_list(r, 200, &q, page, NULL);
}

static void send_file(struct req *r, int rc, struct export_file *f, json_t *errors)
{
	struct payment_query q;
	int64_t page;
	if (rc == 0) {
		reply_download(r, f->content_type, f->filename, f->data, f->len);
		export_file_free(f);
	} else if (rc == CAS_EINVAL && errors) {
		read_query(r, &q, &page);
		render_list(r, 400, &q, page, errors);
	} else if (rc == CAS_ETOOBIG) {
		reply_error(
		    r, 413,
		    "Trop de lignes à exporter : resserrez les filtres (100 000 lignes au plus).");
	} else {
		reply_cas_err(r, rc);
	}
	json_decref(errors);
}

void h_payments_export(struct req *r)
{
	struct payment_query q;
	int64_t page;
	enum export_format fmt;
	read_query(r, &q, &page);
	if (export_format_parse(req_query(r, "format"), &fmt) != 0) {
		reply_not_found(r);
		return;
	}
	struct export_file f;
	json_t *errors = NULL;
	int rc = export_payments(r->db, &r->who, &q, fmt, &f, &errors);
	send_file(r, rc, &f, errors);
}

void h_treasury_export(struct req *r)
{
	struct export_file f;
	json_t *errors = NULL;
	const char *du = req_query(r, "du_tresorerie"), *au = req_query(r, "au_tresorerie");
	int rc = export_treasury(r->db, &r->who, du ? du : "", au ? au : "", &f, &errors);
	if (errors) { /* the period's fields of the list page */
		json_t *renamed = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(errors, k, v)
		{
			json_object_set(
			    renamed, strcmp(k, "du") == 0 ? "du_tresorerie" : "au_tresorerie", v);
		}
		json_decref(errors);
		errors = renamed;
	}
	send_file(r, rc, &f, errors);
}
