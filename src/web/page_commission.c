/* Pages of the commission: the list of sessions, creating and editing a
 * session, the session with its agenda (putting dossiers on it, deciding
 * one by one or in batch, closing), the anonymised agenda for the elected
 * members and the minutes (procès-verbal) as PDF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commission.h"
#include "app/input.h"
#include "base/arena.h"
#include "base/err.h"
#include "domain/dossier.h"
#include "domain/money.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_commission.h"
#include "web/reply.h"
#include "web/req.h"

#define PAGE_SIZE  25
#define MAX_CHOSEN 500 /* dossiers or items in one form */

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static json_int_t num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static json_t *money_fr(const json_t *o, const char *key)
{
	char out[MONEY_FMT_SIZE];
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return json_string("");
	money_format(json_integer_value(v), out, sizeof(out));
	return json_string(out);
}

static const char *session_url(struct req *r, int64_t id)
{
	return arena_printf(r->arena, "/commissions/%lld", (long long)id);
}

/* --- list --- */

static void add_pagination(struct req *r, json_t *ctx, int64_t page, int64_t total, int desc)
{
	int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	const char *ordre = desc ? "desc" : "asc";
	json_object_set_new(ctx, "page", json_integer(page));
	json_object_set_new(ctx, "pages", json_integer(pages));
	json_object_set_new(
	    ctx, "count_label",
	    json_string(total == 0   ? "Aucune séance n'est encore prévue."
	                : total == 1 ? "1 séance."
	                             : arena_printf(r->arena, "%lld séances.", (long long)total)));
	json_object_set_new(
	    ctx, "caption",
	    json_string(arena_printf(
	        r->arena, "Séances de la commission, page %lld sur %lld, %s", (long long)page,
	        (long long)pages, desc ? "la plus récente d'abord" : "la plus ancienne d'abord")));
	json_object_set_new(
	    ctx, "sort_href",
	    json_string(arena_printf(r->arena, "/commissions?ordre=%s", desc ? "asc" : "desc")));
	json_object_set_new(ctx, "sort_aria", json_string(desc ? "descending" : "ascending"));
	json_object_set_new(ctx, "sort_arrow", json_string(desc ? "▼" : "▲"));
	if (page > 1)
		json_object_set_new(
		    ctx, "prev_href",
		    json_string(arena_printf(r->arena, "/commissions?ordre=%s&page=%lld", ordre,
		                             (long long)page - 1)));
	if (page < pages)
		json_object_set_new(
		    ctx, "next_href",
		    json_string(arena_printf(r->arena, "/commissions?ordre=%s&page=%lld", ordre,
		                             (long long)page + 1)));
}

void h_commissions(struct req *r)
{
	const char *ordre = req_query(r, "ordre");
	int desc = !(ordre && strcmp(ordre, "asc") == 0);
	int64_t page = req_query_int(r, "page", 1), total = 0;
	if (page < 1 || page > 1000000)
		page = 1;
	int err;
	json_t *rows =
	    commission_list(r->db, &r->who, desc, (page - 1) * PAGE_SIZE, PAGE_SIZE, &total, &err);
	if (!rows) {
		reply_cas_err(r, err);
		return;
	}
	json_t *ctx =
	    json_pack("{s:o, s:b, s:b}", "rows", rows, "has_rows", json_array_size(rows) > 0,
	              "can_manage", perm_allows(r->who.role, PERM_COMMISSION_MANAGE));
	add_pagination(r, ctx, page, total, desc);
	reply_page(r, 200, "commission/list", "Commission", ctx);
}

/* --- creating and editing --- */

static void render_form(struct req *r, int status, int64_t id, json_t *values, json_t *errors)
{
	json_t *ctx =
	    json_pack("{s:s, s:b, s:s}", "action", id ? session_url(r, id) : "/commissions",
	              "is_edit", id != 0, "cancel", id ? session_url(r, id) : "/commissions");
	json_object_set(ctx, "values", values);
	if (errors)
		page_add_form_errors(ctx, errors, values);
	reply_page(r, status, "commission/form",
	           id ? "Modifier la séance de la commission" : "Nouvelle séance de la commission",
	           ctx);
}

void h_commission_new(struct req *r)
{
	json_t *values = json_object();
	render_form(r, 200, 0, values, NULL);
	json_decref(values);
}

void h_commission_create(struct req *r)
{
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = commission_create(r->db, &r->who, r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_form(r, 422, 0, values, errors);
		json_decref(values);
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, session_url(r, id), "commission_creee");
	}
	json_decref(errors);
}

void h_commission_edit(struct req *r)
{
	int err;
	json_t *c = commission_get(r->db, &r->who, r->ids[0], &err);
	if (!c) {
		reply_cas_err(r, err);
		return;
	}
	if (!json_is_true(json_object_get(c, "open"))) {
		json_decref(c);
		reply_error(r, 409, "La séance est close : elle ne change plus.");
		return;
	}
	json_t *values =
	    json_pack("{s:O, s:O, s:O, s:O}", "date_seance", json_object_get(c, "date_seance"),
	              "heure", json_object_get(c, "heure"), "lieu", json_object_get(c, "lieu"),
	              "membres", json_object_get(c, "membres_text"));
	render_form(r, 200, r->ids[0], values, NULL);
	json_decref(values);
	json_decref(c);
}

void h_commission_update(struct req *r)
{
	json_t *errors = NULL;
	int rc = commission_update(r->db, &r->who, r->ids[0], r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_form(r, 422, r->ids[0], values, errors);
		json_decref(values);
	} else if (rc == CAS_ECONFLICT) {
		reply_error(r, 409, "La séance est close : elle ne change plus.");
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, session_url(r, r->ids[0]), "enregistre");
	}
	json_decref(errors);
}

/* --- the session --- */

/* A refused form of the session page: which ("lot", "ajout", "cloture",
 * "retrait"), its errors and values (borrowed). */
struct refused {
	const char *form;
	json_t *errors, *values;
};

static const char *default_decision(const char *proposition)
{
	if (strcmp(proposition, "accord") == 0)
		return "accorde";
	if (strcmp(proposition, "refus") == 0)
		return "refuse";
	if (strcmp(proposition, "ajournement") == 0)
		return "ajourne";
	return "";
}

static json_t *decision_options(const char *selected)
{
	json_t *list = json_array();
	for (int d = 0; d < DD_COUNT; d++) {
		const char *code = dossier_decision_code((enum dossier_decision)d);
		json_array_append_new(list,
		                      json_pack("{s:s, s:s, s:b}", "code", code, "label",
		                                dossier_decision_label((enum dossier_decision)d),
		                                "selected", strcmp(code, selected) == 0));
	}
	return list;
}

/* "250,00" for a form field (money_parse reads it back). */
static json_t *amount_field(const json_t *it, const char *key)
{
	json_t *v = json_object_get(it, key);
	if (!json_is_integer(v))
		return json_string("");
	json_int_t c = json_integer_value(v);
	char s[48];
	snprintf(s, sizeof(s), "%lld,%02lld", (long long)(c / 100), (long long)(c % 100));
	return json_string(s);
}

static void row_field(json_t *f, const char *what, int64_t id, json_t *errors)
{
	char name[48], key[48];
	snprintf(name, sizeof(name), "%s_%lld", what, (long long)id);
	snprintf(key, sizeof(key), "err_%s", what);
	json_object_set_new(f, what, json_string(name));
	json_t *e = json_object_get(errors, name);
	if (e)
		json_object_set(f, key, e);
}

/* The fields of a decidable row of the batch form: "f". */
static void shape_batch_row(json_t *it, const struct refused *rf)
{
	int64_t id = num(it, "id");
	json_t *values = rf && strcmp(rf->form, "lot") == 0 ? rf->values : NULL;
	json_t *errors = values ? rf->errors : NULL;
	json_t *f = json_object();
	row_field(f, "item", id, errors);
	row_field(f, "decision", id, errors);
	row_field(f, "montant", id, errors);
	row_field(f, "motif", id, errors);
	const char *dec = values ? input_str(values, str(f, "decision"))
	                         : default_decision(str(it, "proposition"));
	json_object_set_new(f, "checked",
	                    json_boolean(values && *input_str(values, str(f, "item"))));
	json_object_set_new(f, "options", decision_options(dec));
	json_object_set_new(f, "montant_value",
	                    values ? json_string(input_str(values, str(f, "montant")))
	                           : amount_field(it, "montant_propose"));
	json_object_set_new(f, "motif_value",
	                    json_string(values ? input_str(values, str(f, "motif")) : ""));
	json_object_set_new(it, "f", f);
}

static int shape_items(json_t *c, const struct refused *rf)
{
	int decidable = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(c, "items"), i, it)
	{
		json_object_set_new(it, "montant_demande_fr", money_fr(it, "montant_demande"));
		json_object_set_new(it, "montant_propose_fr", money_fr(it, "montant_propose"));
		json_object_set_new(it, "montant_fr", money_fr(it, "montant"));
		json_object_set_new(it, "montant_accorde_fr", money_fr(it, "montant_accorde"));
		if (json_is_true(json_object_get(it, "decidable"))) {
			shape_batch_row(it, rf);
			decidable++;
		}
	}
	return decidable;
}

static json_t *candidates(struct req *r, json_t *c, const struct refused *rf)
{
	int err;
	if (!json_is_true(json_object_get(c, "open")) ||
	    !perm_allows(r->who.role, PERM_COMMISSION_MANAGE) ||
	    !perm_allows(r->who.role, PERM_DOSSIER_SEND_COMMISSION))
		return NULL;
	json_t *rows = commission_candidates(r->db, &r->who, &err);
	json_t *values = rf && strcmp(rf->form, "ajout") == 0 ? rf->values : NULL;
	size_t i;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		char name[48];
		snprintf(name, sizeof(name), "dossier_%lld", (long long)num(d, "id"));
		json_object_set_new(d, "field", json_string(name));
		json_object_set_new(d, "checked", json_boolean(values && *input_str(values, name)));
		json_object_set_new(d, "montant_demande_fr", money_fr(d, "montant_demande"));
		json_object_set_new(d, "montant_propose_fr", money_fr(d, "montant_propose"));
	}
	return rows;
}

static void add_refused(json_t *ctx, const struct refused *rf)
{
	page_add_form_errors(ctx, rf->errors, NULL);
	json_t *list = json_object_get(ctx, "error_list");
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		const char *field = str(e, "field");
		if (strcmp(field, "vote") == 0 || strcmp(field, "lot") == 0)
			continue;
		if (strcmp(field, "dossiers") == 0 || strcmp(field, "cloture") == 0 ||
		    strcmp(field, "item") == 0)
			json_object_set_new(
			    e, "anchor",
			    json_string(strcmp(field, "item") == 0 ? "agenda-title" : field));
	}
	if (strcmp(rf->form, "lot") == 0)
		json_object_set_new(ctx, "vote_value", json_string(input_str(rf->values, "vote")));
}

static void render_show(struct req *r, int status, int64_t id, const struct refused *rf)
{
	int err;
	json_t *c = commission_get(r->db, &r->who, id, &err);
	if (!c) {
		reply_cas_err(r, err);
		return;
	}
	int decidable = shape_items(c, rf);
	json_t *cand = candidates(r, c, rf);
	int open = json_is_true(json_object_get(c, "open"));
	json_t *ctx = json_pack("{s:b, s:b, s:b, s:b}", "has_items",
	                        json_array_size(json_object_get(c, "items")) > 0, "batch",
	                        decidable > 0, "can_add", cand != NULL, "can_close",
	                        open && json_is_true(json_object_get(c, "can_manage")));
	if (cand) {
		json_object_set_new(ctx, "has_candidates", json_boolean(json_array_size(cand) > 0));
		json_object_set_new(ctx, "candidates", cand);
	}
	json_object_set_new(
	    ctx, "pv_size_kb",
	    json_integer((num(json_object_get(c, "pv"), "pdf_size") + 1023) / 1024));
	if (rf)
		add_refused(ctx, rf);
	const char *title = arena_printf(r->arena, "Commission du %s", str(c, "date_fr"));
	json_object_set_new(ctx, "c", c);
	reply_page(r, status, "commission/show", title, ctx);
}

void h_commission_show(struct req *r)
{
	render_show(r, 200, r->ids[0], NULL);
}

/* Common ending of the session page's forms. */
static void after(struct req *r, int rc, json_t *errors, const char *form, const char *flash)
{
	if (rc == CAS_EINVAL && errors) {
		struct refused rf = {form, errors, r->form};
		render_show(r, 422, r->ids[0], &rf);
	} else if (rc == CAS_ECONFLICT) {
		reply_error(r, 409,
		            "La séance est close, ou ce dossier a déjà une décision : rechargez la "
		            "page de la séance.");
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, session_url(r, r->ids[0]), flash);
	}
	json_decref(errors);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The ids of the checked boxes named "<prefix><id>" (value "1"), sorted;
 * -1 when there are too many. */
static long checked_ids(struct req *r, const char *prefix, int64_t *ids, size_t max)
{
	size_t n = 0, plen = strlen(prefix);
	const char *k;
	json_t *v;
	json_object_foreach(r->form, k, v)
	{
		if (strncmp(k, prefix, plen) != 0 ||
		    strcmp(json_string_value(v) ? json_string_value(v) : "", "1") != 0)
			continue;
		char *end;
		long long id = strtoll(k + plen, &end, 10);
		if (*end || id <= 0 || k[plen] < '1' || k[plen] > '9')
			continue;
		if (n == max)
			return -1;
		ids[n++] = id;
	}
	qsort(ids, n, sizeof(*ids), cmp_id);
	return (long)n;
}

void h_commission_agenda_add(struct req *r)
{
	int64_t *ids = arena_alloc(r->arena, MAX_CHOSEN * sizeof(*ids));
	long n = checked_ids(r, "dossier_", ids, MAX_CHOSEN);
	if (n < 0) {
		reply_error(r, 413, "Inscrivez 500 dossiers au plus à la fois.");
		return;
	}
	json_t *errors = NULL;
	int rc = commission_add_dossiers(r->db, &r->who, r->ids[0], ids, (size_t)n, &errors);
	after(r, rc, errors, "ajout", "commission_inscrits");
}

void h_commission_item_remove(struct req *r)
{
	json_t *errors = NULL;
	int rc = commission_remove_item(r->db, &r->who, r->ids[0], r->ids[1], &errors);
	after(r, rc, errors, "retrait", "commission_retire");
}

void h_commission_batch(struct req *r)
{
	int64_t *ids = arena_alloc(r->arena, MAX_CHOSEN * sizeof(*ids));
	long n = checked_ids(r, "item_", ids, MAX_CHOSEN);
	if (n < 0) {
		reply_error(r, 413, "Décidez 500 dossiers au plus à la fois.");
		return;
	}
	json_t *decisions = json_array();
	for (long i = 0; i < n; i++) {
		char d[48], m[48], mo[48];
		snprintf(d, sizeof(d), "decision_%lld", (long long)ids[i]);
		snprintf(m, sizeof(m), "montant_%lld", (long long)ids[i]);
		snprintf(mo, sizeof(mo), "motif_%lld", (long long)ids[i]);
		json_array_append_new(
		    decisions,
		    json_pack("{s:I, s:s, s:s, s:s}", "item_id", (json_int_t)ids[i], "decision",
		              req_form(r, d), "montant", req_form(r, m), "motif", req_form(r, mo)));
	}
	json_t *errors = NULL;
	int rc = commission_decide_batch(r->db, &r->who, r->ids[0], decisions, req_form(r, "vote"),
	                                 &errors);
	json_decref(decisions);
	after(r, rc, errors, "lot", "commission_decisions");
}

void h_commission_close(struct req *r)
{
	json_t *errors = NULL;
	int rc = commission_close(r->db, &r->who, r->ids[0], &errors);
	after(r, rc, errors, "cloture", "commission_close");
}

/* --- one decision --- */

static json_t *find_item(json_t *c, int64_t item_id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(c, "items"), i, it)
	{
		if (num(it, "id") == item_id)
			return it;
	}
	return NULL;
}

static void render_decide(struct req *r, int status, json_t *values, json_t *errors)
{
	int err;
	json_t *c = commission_get(r->db, &r->who, r->ids[0], &err);
	if (!c) {
		reply_cas_err(r, err);
		return;
	}
	json_t *it = find_item(c, r->ids[1]);
	if (!it) {
		json_decref(c);
		reply_not_found(r);
		return;
	}
	json_object_set_new(it, "montant_demande_fr", money_fr(it, "montant_demande"));
	json_object_set_new(it, "montant_propose_fr", money_fr(it, "montant_propose"));
	const char *dec =
	    values ? input_str(values, "decision") : default_decision(str(it, "proposition"));
	json_t *v = values
	                ? json_incref(values)
	                : json_pack("{s:o, s:s, s:s}", "montant",
	                            amount_field(it, "montant_propose"), "motif", "", "vote", "");
	json_t *ctx =
	    json_pack("{s:O, s:O, s:o, s:s, s:s}", "c", c, "it", it, "options",
	              decision_options(dec), "session_url", session_url(r, r->ids[0]), "action",
	              arena_printf(r->arena, "/commissions/%lld/ordre-du-jour/%lld/decision",
	                           (long long)r->ids[0], (long long)r->ids[1]));
	json_object_set_new(ctx, "values", v);
	if (errors)
		page_add_form_errors(ctx, errors, v);
	reply_page(r, status, "commission/decide",
	           arena_printf(r->arena, "Décision sur le dossier %s", str(it, "numero")), ctx);
	json_decref(c);
}

void h_commission_item_decide_form(struct req *r)
{
	render_decide(r, 200, NULL, NULL);
}

void h_commission_item_decide(struct req *r)
{
	json_t *errors = NULL;
	int rc = commission_decide(r->db, &r->who, r->ids[0], r->ids[1], r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_decide(r, 422, values, errors);
		json_decref(values);
	} else if (rc == CAS_ECONFLICT) {
		reply_error(r, 409,
		            "La séance est close, ou ce dossier a déjà une décision : rechargez la "
		            "page de la séance.");
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, session_url(r, r->ids[0]), "commission_decision");
	}
	json_decref(errors);
}

/* --- anonymised agenda and minutes --- */

void h_commission_anonymous(struct req *r)
{
	int err;
	json_t *a = commission_anonymous(r->db, &r->who, r->ids[0], &err);
	if (!a) {
		reply_cas_err(r, err);
		return;
	}
	json_t *s = json_object_get(a, "session");
	json_object_set_new(a, "has_items",
	                    json_boolean(json_array_size(json_object_get(a, "items"))));
	json_object_set_new(a, "session_url", json_string(session_url(r, r->ids[0])));
	const char *title = arena_printf(r->arena, "Ordre du jour anonymisé de la commission du %s",
	                                 str(s, "date_fr"));
	reply_page(r, 200, "commission/anonyme", title, a);
}

void h_commission_minutes(struct req *r)
{
	unsigned char *pdf = NULL;
	size_t n = 0;
	int rc = commission_minutes(r->db, &r->who, r->ids[0], &pdf, &n);
	if (rc == CAS_ECONFLICT) {
		reply_error(r, 409,
		            "La séance n'est pas close : son procès-verbal n'existe pas encore.");
		return;
	}
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_download(
	    r, "application/pdf",
	    arena_printf(r->arena, "proces-verbal-commission-%lld.pdf", (long long)r->ids[0]), pdf,
	    n);
	free(pdf);
}

/* --- the dossier page --- */

void page_commission_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id)
{
	int err;
	json_t *o = commission_of_dossier(r->db, &r->who, dossier_id, &err);
	if (o)
		json_object_set_new(ctx, "commission", o);
}
