/* Retention pages: /admin/conservation (the administrateur sees what the
 * purges of the next 30 days remove, the holds in force, the latest
 * purges, and sets the durations), and the legal hold of a dossier (its
 * section on the dossier page, its forms). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/purge.h"
#include "app/retention.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_retention.h"
#include "web/reply.h"
#include "web/req.h"

#define PAGE_SIZE 25

/* --- the list of the coming purges --- */

struct list_params {
	const char *tri; /* date, dossier, aide, issue */
	int desc;
	int64_t page;
};

static const char *const sort_keys[][2] = {
    {"date", "purge_iso"}, {"dossier", "numero"}, {"aide", "aide"}, {"issue", "issue_label"}};
#define NSORT ((int)(sizeof(sort_keys) / sizeof(sort_keys[0])))

static void read_list(struct req *r, struct list_params *p)
{
	const char *tri = req_query(r, "tri");
	p->tri = "date";
	for (int i = 0; tri && i < NSORT; i++)
		if (strcmp(tri, sort_keys[i][0]) == 0)
			p->tri = sort_keys[i][0];
	const char *ordre = req_query(r, "ordre");
	p->desc = ordre && strcmp(ordre, "desc") == 0;
	p->page = req_query_int(r, "page", 1);
	if (p->page < 1)
		p->page = 1;
}

struct keyed {
	const char *key, *date;
	json_t *row;
};

static int compare(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->date, y->date);
}

static const char *field_of(json_t *row, const char *field)
{
	const char *s = json_string_value(json_object_get(row, field));
	return s ? s : "";
}

/* list sorted by p (ties by purge date), as a new array. */
static json_t *sorted(json_t *list, const struct list_params *p)
{
	const char *field = "purge_iso";
	for (int i = 0; i < NSORT; i++)
		if (strcmp(p->tri, sort_keys[i][0]) == 0)
			field = sort_keys[i][1];
	size_t n = json_array_size(list);
	struct keyed *v = calloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		v[i].row = json_array_get(list, i);
		v[i].key = field_of(v[i].row, field);
		v[i].date = field_of(v[i].row, "purge_iso");
	}
	qsort(v, n, sizeof(*v), compare);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[p->desc ? n - 1 - i : i].row);
	free(v);
	return out;
}

static json_t *list_href(struct req *r, const char *tri, int desc, int64_t page)
{
	return json_string(arena_printf(r->arena, "/admin/conservation?tri=%s&ordre=%s&page=%lld",
	                                tri, desc ? "desc" : "asc", (long long)page));
}

static json_t *sort_links(struct req *r, const struct list_params *p)
{
	json_t *out = json_object();
	for (int i = 0; i < NSORT; i++) {
		const char *k = sort_keys[i][0];
		int current = strcmp(k, p->tri) == 0;
		json_object_set_new(
		    out, k,
		    json_pack("{s:o, s:s, s:s}", "href", list_href(r, k, current && !p->desc, 1),
		              "aria", current ? (p->desc ? "descending" : "ascending") : "none",
		              "arrow", current ? (p->desc ? "▼" : "▲") : ""));
	}
	return out;
}

/* The page of the list in ctx, with its counts and links. */
static void add_page(struct req *r, json_t *ctx, json_t *all, const struct list_params *p)
{
	json_t *list = sorted(all, p);
	int64_t total = (int64_t)json_array_size(list);
	int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	int64_t page = p->page > pages ? pages : p->page;
	json_t *rows = json_array();
	for (int64_t i = (page - 1) * PAGE_SIZE; i < total && i < page * PAGE_SIZE; i++)
		json_array_append(rows, json_array_get(list, (size_t)i));
	json_decref(list);
	json_object_set_new(ctx, "dossiers", rows);
	json_object_set_new(ctx, "has_dossiers", json_boolean(total > 0));
	json_object_set_new(ctx, "count_label",
	                    total == 0   ? json_string("Aucun dossier à purger dans la période.")
	                    : total == 1 ? json_string("1 dossier à purger dans la période.")
	                                 : json_sprintf("%lld dossiers à purger dans la période.",
	                                                (long long)total));
	json_object_set_new(ctx, "page", json_integer(page));
	json_object_set_new(ctx, "pages", json_integer(pages));
	if (page > 1)
		json_object_set_new(ctx, "prev_href", list_href(r, p->tri, p->desc, page - 1));
	if (page < pages)
		json_object_set_new(ctx, "next_href", list_href(r, p->tri, p->desc, page + 1));
	json_object_set_new(ctx, "sort", sort_links(r, p));
}

/* --- the latest runs --- */

static json_t *fr_dt(json_t *v)
{
	if (!json_is_integer(v))
		return json_null();
	char out[FR_DATETIME_SIZE];
	fr_datetime(json_integer_value(v), out);
	return json_string(out);
}

static void shape_runs(json_t *runs)
{
	size_t i;
	json_t *run;
	json_array_foreach(runs, i, run)
	{
		json_t *lines = json_array();
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(run, "counts"), k, v) json_array_append_new(
		    lines, json_pack("{s:O, s:s}", "n", v, "label", purge_count_label(k)));
		json_object_set_new(run, "lines", lines);
		json_object_set_new(run, "debut", fr_dt(json_object_get(run, "started_at")));
		json_object_set_new(run, "fin", fr_dt(json_object_get(run, "finished_at")));
	}
}

/* --- the settings form --- */

static json_t *months_text(json_t *v)
{
	json_int_t n = json_integer_value(v);
	return n > 0 ? json_sprintf("%" JSON_INTEGER_FORMAT, n) : json_string("");
}

/* The values of the form: from the stored settings, or as submitted. */
static json_t *form_values(json_t *s, json_t *submitted)
{
	if (submitted)
		return json_incref(submitted);
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "accorde",
	                 months_text(json_object_get(s, "accorde")), "refus",
	                 months_text(json_object_get(s, "refus")), "corps_api",
	                 months_text(json_object_get(s, "corps_api")), "traces_api",
	                 months_text(json_object_get(s, "traces_api")), "acces",
	                 months_text(json_object_get(s, "acces")));
}

static json_t *aid_rows(struct req *r, json_t *s, json_t *submitted, json_t *errors)
{
	json_t *rows = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(s, "aides"), i, a)
	{
		json_int_t id = json_integer_value(json_object_get(a, "id"));
		const char *fa = arena_printf(r->arena, "accorde_%lld", (long long)id);
		const char *fr = arena_printf(r->arena, "refus_%lld", (long long)id);
		json_t *va = submitted ? json_object_get(submitted, fa) : NULL;
		json_t *vr = submitted ? json_object_get(submitted, fr) : NULL;
		json_array_append_new(
		    rows,
		    json_pack(
		        "{s:I, s:O, s:b, s:s, s:s, s:o, s:o, s:O, s:O}", "id", id, "label",
		        json_object_get(a, "label"), "active",
		        json_integer_value(json_object_get(a, "active")) != 0, "field_accorde", fa,
		        "field_refus", fr, "accorde",
		        va ? json_incref(va) : months_text(json_object_get(a, "accorde")), "refus",
		        vr ? json_incref(vr) : months_text(json_object_get(a, "refus")),
		        "err_accorde",
		        json_object_get(errors, fa) ? json_object_get(errors, fa) : json_null(),
		        "err_refus",
		        json_object_get(errors, fr) ? json_object_get(errors, fr) : json_null()));
	}
	return rows;
}

static int add_settings(struct req *r, json_t *ctx, json_t *errors, json_t *submitted)
{
	int err;
	json_t *s = retention_settings(r->db, &r->who, &err);
	if (!s)
		return err;
	json_t *values = form_values(s, submitted);
	if (errors)
		page_add_form_errors(ctx, errors, values);
	else
		json_object_set(ctx, "values", values);
	json_object_set_new(ctx, "aides", aid_rows(r, s, submitted, errors));
	json_object_set_new(ctx, "has_aides",
	                    json_boolean(json_array_size(json_object_get(s, "aides")) > 0));
	json_decref(values);
	json_decref(s);
	return 0;
}

/* --- /admin/conservation --- */

static void render_admin(struct req *r, int status, json_t *errors, json_t *submitted)
{
	int err;
	json_t *pv = retention_preview(r->db, &r->who, clock_now(), RETENTION_PREVIEW_DAYS, &err);
	if (!pv) {
		reply_cas_err(r, err);
		return;
	}
	struct list_params p;
	read_list(r, &p);
	json_t *ctx =
	    json_pack("{s:i, s:O, s:O, s:O, s:b}", "days", RETENTION_PREVIEW_DAYS, "gels",
	              json_object_get(pv, "gels"), "sans_dossier",
	              json_object_get(pv, "sans_dossier"), "runs", json_object_get(pv, "runs"),
	              "has_gels", json_array_size(json_object_get(pv, "gels")) > 0);
	char fr[11];
	const char *until = json_string_value(json_object_get(pv, "until"));
	snprintf(fr, sizeof(fr), "%.2s/%.2s/%.4s", until + 8, until + 5, until);
	json_object_set_new(ctx, "until_fr", json_string(fr));
	shape_runs(json_object_get(ctx, "runs"));
	json_object_set_new(ctx, "has_runs",
	                    json_boolean(json_array_size(json_object_get(ctx, "runs")) > 0));
	add_page(r, ctx, json_object_get(pv, "dossiers"), &p);
	json_decref(pv);
	err = add_settings(r, ctx, errors, submitted);
	if (err) {
		json_decref(ctx);
		reply_cas_err(r, err);
		return;
	}
	reply_page(r, status, "retention/admin", "Conservation des données", ctx);
}

void h_retention(struct req *r)
{
	render_admin(r, 200, NULL, NULL);
}

void h_retention_update(struct req *r)
{
	json_t *errors = NULL;
	int rc = retention_settings_update(r->db, &r->who, r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_admin(r, 422, errors, values);
		json_decref(values);
	} else if (rc == CAS_ECONFLICT) {
		reply_error(r, 409,
		            "Une aide vient d'être ajoutée au catalogue : rechargez la page et "
		            "enregistrez à nouveau.");
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_redirect_flash(r, "/admin/conservation", "conservation");
	}
	json_decref(errors);
}

/* --- the dossier page and its hold --- */

static json_t *hold_kinds(const char *selected)
{
	static const char *const kinds[] = {"contentieux", "recours", "autre"};
	json_t *out = json_array();
	for (int i = 0; i < 3; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", kinds[i], "label",
		                                     retention_hold_label(kinds[i]), "selected",
		                                     selected && strcmp(selected, kinds[i]) == 0));
	return out;
}

static json_t *conservation_of(struct req *r, int64_t dossier_id, const char *kind, int *err)
{
	json_t *c = retention_dossier(r->db, &r->who, dossier_id, clock_now(), err);
	if (!c)
		return NULL;
	json_object_set_new(c, "kinds", hold_kinds(kind));
	json_object_set_new(c, "dossier_id", json_integer(dossier_id));
	return c;
}

void page_retention_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id)
{
	int err;
	json_t *c = conservation_of(r, dossier_id, NULL, &err);
	if (c)
		json_object_set_new(ctx, "conservation", c);
}

/* A refused hold form: the form again, alone, with its errors. */
static void render_hold(struct req *r, int64_t dossier_id, json_t *errors)
{
	int err;
	json_t *c = conservation_of(r, dossier_id, req_form(r, "gel_type"), &err);
	if (!c) {
		reply_cas_err(r, err);
		return;
	}
	json_t *values = page_form_values(r);
	json_t *ctx = json_pack("{s:o}", "conservation", c);
	page_add_form_errors(ctx, errors, values);
	json_decref(values);
	reply_page(r, 422, "retention/hold", "Gel de la conservation du dossier", ctx);
}

static void after_hold(struct req *r, int rc, json_t *errors, const char *flash)
{
	if (rc == CAS_EINVAL && errors)
		render_hold(r, r->ids[0], errors);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(
		    r, arena_printf(r->arena, "/dossiers/%lld#conservation", (long long)r->ids[0]),
		    flash);
	json_decref(errors);
}

void h_legal_hold_set(struct req *r)
{
	json_t *errors = NULL;
	int rc = retention_hold_set(r->db, &r->who, r->ids[0], r->form, &errors);
	after_hold(r, rc, errors, "gel_pose");
}

void h_legal_hold_lift(struct req *r)
{
	json_t *errors = NULL;
	int rc = retention_hold_lift(r->db, &r->who, r->ids[0], r->form, &errors);
	after_hold(r, rc, errors, "gel_leve");
}
