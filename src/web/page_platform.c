/* Platform administration (plateforme): the hosted CCAS, their creation and
 * their administrators' accounts. No tenant data is shown here. */
#include <stdio.h>
#include <string.h>

#include "app/input.h"
#include "app/tenants.h"
#include "app/users.h"
#include "base/err.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

#define PLATFORM_PATH "/plateforme"

static json_t *tenant_row(json_t *t)
{
	return json_pack("{s:O, s:s, s:s, s:o, s:O, s:s}", "id", json_object_get(t, "id"), "name",
	                 input_str(t, "name"), "siret", input_str(t, "siret"), "communes",
	                 page_communes_text(input_str(t, "communes")), "users",
	                 json_object_get(t, "users"), "colour", input_str(t, "colour"));
}

/* The administrator form of one tenant after a refused creation. */
struct admin_form {
	int64_t tenant_id;
	json_t *errors; /* borrowed */
	json_t *values; /* borrowed */
};

static void add_admin_errors(json_t *row, const struct admin_form *af)
{
	json_t *sub = json_object();
	page_add_form_errors(sub, af->errors, af->values);
	json_object_set(row, "admin_errors", json_object_get(sub, "errors"));
	json_object_set(row, "admin_error_list", json_object_get(sub, "error_list"));
	json_object_set(row, "admin_values", json_object_get(sub, "values"));
	json_object_set_new(row, "open", json_true());
	json_decref(sub);
}

/* The page; errors/values (borrowed) refill the CCAS form, af the
 * administrator form of one CCAS. */
static void render_platform(struct req *r, int status, json_t *errors, json_t *values,
                            const struct admin_form *af)
{
	int rc;
	json_t *rows = tenant_list(r->db, &r->who, &rc);
	if (!rows) {
		reply_cas_err(r, rc);
		return;
	}
	json_t *tenants = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(rows, i, t)
	{
		json_t *row = tenant_row(t);
		if (af && json_integer_value(json_object_get(t, "id")) == af->tenant_id)
			add_admin_errors(row, af);
		json_array_append_new(tenants, row);
	}
	json_decref(rows);
	json_t *ctx = json_pack("{s:o, s:I}", "tenants", tenants, "count",
	                        (json_int_t)json_array_size(tenants));
	if (errors)
		page_add_form_errors(ctx, errors, values);
	if (!values || !*input_str(values, "colour"))
		json_object_set_new(ctx, "default_colour", json_string("#1b5e8c"));
	reply_page(r, status, "platform", "CCAS hébergés", ctx);
}

void h_platform(struct req *r)
{
	render_platform(r, 200, NULL, NULL, NULL);
}

void h_platform_tenant_create(struct req *r)
{
	int64_t id;
	json_t *errors = NULL;
	int rc = tenant_create(r->db, &r->who, r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		render_platform(r, 422, errors, values, NULL);
		json_decref(values);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, PLATFORM_PATH, "ccas_cree");
}

/* 1 when tenant id is hosted here. */
static int tenant_exists(struct req *r, int64_t id, int *err)
{
	json_t *rows = tenant_list(r->db, &r->who, err);
	if (!rows)
		return 0;
	int found = 0;
	size_t i;
	json_t *t;
	json_array_foreach(rows, i, t)
	{
		found |= json_integer_value(json_object_get(t, "id")) == id;
	}
	json_decref(rows);
	*err = found ? 0 : CAS_ENOTFOUND;
	return found;
}

void h_platform_admin_create(struct req *r)
{
	int rc;
	if (!tenant_exists(r, r->ids[0], &rc)) {
		reply_cas_err(r, rc);
		return;
	}
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "email", req_form(r, "email"), "name",
	                       req_form(r, "name"), "password", req_form(r, "password"), "role",
	                       "administrateur");
	int64_t id;
	json_t *errors = NULL;
	rc = user_create(r->db, &r->who, r->ids[0], in, &id, &errors);
	json_decref(in);
	if (rc == CAS_EINVAL && errors) {
		json_t *values = page_form_values(r);
		struct admin_form af = {r->ids[0], errors, values};
		render_platform(r, 422, NULL, NULL, &af);
		json_decref(values);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, PLATFORM_PATH, "admin_cree");
}
