/* Letters (courriers): the section of the dossier page, the form that
 * prepares a letter, the download (reprint) of the exact PDF, the JSON API,
 * and the administrateur's pages of letter templates and letterhead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/letters.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "web/api.h"
#include "web/api_fields.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_letters.h"
#include "web/reply.h"
#include "web/req.h"

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static json_t *size_fr(int64_t n)
{
	char out[32];

	if (n < 1024)
		snprintf(out, sizeof out, "%lld octets", (long long)n);
	else
		snprintf(out, sizeof out, "%lld Ko", (long long)((n + 1023) / 1024));
	return json_string(out);
}

/* --- the dossier page --- */

void page_letters_dossier_ctx(struct req *r, json_t *ctx, const json_t *d)
{
	int64_t did = json_integer_value(json_object_get(d, "id"));
	int err;
	json_t *rows = letters_list(r->db, &r->who, did, &err), *kinds, *l;
	size_t i;

	if (!rows)
		return;
	kinds = letters_allowed_kinds(r->db, &r->who, did, &err);
	if (!kinds)
		kinds = json_array();
	json_array_foreach(rows, i, l)
	{
		char fr[FR_DATETIME_SIZE];
		fr_datetime(json_integer_value(json_object_get(l, "created_at")), fr);
		json_object_set_new(l, "created_fr", json_string(fr));
		json_object_set_new(l, "size_fr",
		                    size_fr(json_integer_value(json_object_get(l, "pdf_size"))));
	}
	json_object_set_new(ctx, "courriers",
	                    json_pack("{s:I, s:b, s:o, s:b, s:o}", "dossier_id", (json_int_t)did,
	                              "has_letters", json_array_size(rows) > 0, "letters", rows,
	                              "has_kinds", json_array_size(kinds) > 0, "kinds", kinds));
}

/* --- preparing and producing a letter --- */

static const char *dossier_path(struct req *r)
{
	return arena_printf(r->arena, "/dossiers/%lld", (long long)r->ids[0]);
}

/* The form of kind; errors and values borrowed (NULL on the first show). */
static void render_form(struct req *r, int status, const char *kind, json_t *errors, json_t *values)
{
	json_t *kerr = NULL;
	int err;
	json_t *f = letters_prepare(r->db, &r->who, r->ids[0], kind, &err, &kerr);

	if (!f && err == CAS_EINVAL) {
		reply_error(r, 409, str(kerr, "kind"));
		json_decref(kerr);
		return;
	}
	if (!f) {
		reply_cas_err(r, err);
		return;
	}
	json_t *ctx = json_pack("{s:o, s:b, s:b, s:b}", "f", f, "is_pieces",
	                        strcmp(kind, "demande_pieces") == 0, "is_accord",
	                        strcmp(kind, "notification_accord") == 0, "is_motif",
	                        strncmp(kind, "notification_r", 14) == 0 ||
	                            strcmp(kind, "notification_ajournement") == 0);
	json_object_set(ctx, "values", values ? values : json_object_get(f, "defaults"));
	if (errors)
		page_add_form_errors(ctx, errors, values);
	reply_page(r, status, "courriers/new",
	           arena_printf(r->arena, "%s — dossier %s", str(f, "label"), str(f, "numero")),
	           ctx);
}

void h_letter_new(struct req *r)
{
	const char *kind = req_query(r, "type");

	render_form(r, 200, kind ? kind : "", NULL, NULL);
}

/* The form's fields as letters_generate parameters (strings). */
static json_t *form_params(struct req *r)
{
	static const char *const keys[] = {"pieces",       "date_limite", "montant",
	                                   "beneficiaire", "modalites",   "motif"};
	json_t *p = json_object();

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_set_new(p, keys[i], json_string(req_form(r, keys[i])));
	return p;
}

void h_letter_create(struct req *r)
{
	const char *kind = req_form(r, "kind");
	json_t *params = form_params(r), *errors = NULL;
	int64_t id;
	int rc = letters_generate(r->db, &r->who, r->ids[0], kind, params, &id, &errors);

	if (rc == CAS_EINVAL && errors && json_object_get(errors, "kind"))
		reply_error(r, 409, str(errors, "kind"));
	else if (rc == CAS_EINVAL && errors)
		render_form(r, 422, kind, errors, params);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, arena_printf(r->arena, "%s#courriers", dossier_path(r)),
		                     "courrier_cree");
	json_decref(errors);
	json_decref(params);
}

/* The exact bytes stored, as a file to save (the reprint). */
static void send_pdf(struct req *r)
{
	unsigned char *pdf;
	size_t len;
	char *name;
	int rc = letters_pdf(r->db, &r->who, r->ids[0], r->ids[1], &pdf, &len, &name);

	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_download(r, "application/pdf", name, pdf, len);
	free(pdf);
	free(name);
}

void h_letter_download(struct req *r)
{
	send_pdf(r);
}

/* --- JSON API --- */

void h_api_letters(struct req *r)
{
	int err;
	json_t *rows = letters_list(r->db, &r->who, r->ids[0], &err), *l;
	size_t i;

	if (!rows) {
		reply_cas_err(r, err);
		return;
	}
	json_array_foreach(rows, i, l)
	{
		json_object_set_new(
		    l, "href",
		    json_string(arena_printf(
		        r->arena, "/api/v1/dossiers/%lld/letters/%lld", (long long)r->ids[0],
		        (long long)json_integer_value(json_object_get(l, "id")))));
	}
	reply_json(r, 200, json_pack("{s:o}", "data", rows));
}

void h_api_letter_create(struct req *r)
{
	/* "pieces": a list or one string (checked by letters_generate) */
	static const struct api_field fields[] = {{"kind", 's'},
	                                          {"pieces", 'a'},
	                                          {"date_limite", 's'},
	                                          {"montant", 's'},
	                                          {"montant_centimes", 'i'},
	                                          {"beneficiaire", 's'},
	                                          {"modalites", 's'},
	                                          {"motif", 's'},
	                                          {NULL, 0}};
	json_t *errors = NULL;
	int64_t id;
	int rc;

	if (!json_is_object(r->json)) {
		reply_api_error(r, 400, "bad_request", "Le corps doit être un objet JSON.", NULL);
		return;
	}
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	rc = letters_generate(r->db, &r->who, r->ids[0], str(r->json, "kind"), r->json, &id,
	                      &errors);
	if (rc == CAS_EINVAL && errors) {
		api_reply_field_errors(r, errors);
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		r->location = arena_printf(r->arena, "/api/v1/dossiers/%lld/letters/%lld",
		                           (long long)r->ids[0], (long long)id);
		reply_json(r, 201,
		           json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "kind",
		                     str(r->json, "kind"), "href", r->location));
	}
	json_decref(errors);
}

void h_api_letter_get(struct req *r)
{
	int err;
	json_t *l = letters_get(r->db, &r->who, r->ids[0], r->ids[1], &err);

	if (!l) {
		reply_cas_err(r, err);
		return;
	}
	json_object_set_new(l, "href",
	                    json_string(arena_printf(r->arena, "/api/v1/dossiers/%lld/letters/%lld",
	                                             (long long)r->ids[0], (long long)r->ids[1])));
	reply_json(r, 200, l);
}

/* --- templates and letterhead (administrateur) --- */

static void render_admin(struct req *r, int status, json_t *errors, json_t *values)
{
	int err;
	json_t *settings = letters_settings(r->db, &r->who, &err), *templates, *t;
	size_t i;

	templates = settings ? letters_templates(r->db, &r->who, &err) : NULL;
	if (!templates) {
		json_decref(settings);
		reply_cas_err(r, err);
		return;
	}
	json_array_foreach(templates, i, t)
	{
		json_object_del(t, "body");
		json_object_del(t, "default_body");
	}
	json_t *ctx = json_pack("{s:O, s:o, s:o}", "values", values ? values : settings, "settings",
	                        settings, "templates", templates);
	if (errors)
		page_add_form_errors(ctx, errors, values);
	reply_page(r, status, "courriers/admin", "Courriers", ctx);
}

void h_letters_admin(struct req *r)
{
	render_admin(r, 200, NULL, NULL);
}

void h_letters_settings_update(struct req *r)
{
	json_t *errors = NULL;
	int rc = letters_settings_update(r->db, &r->who, r->form, &errors);

	if (rc == CAS_EINVAL && errors)
		render_admin(r, 422, errors, r->form);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, "/admin/courriers", "entete_courriers");
	json_decref(errors);
}

static json_t *find_template(json_t *templates, const char *kind)
{
	size_t i;
	json_t *t;

	json_array_foreach(templates, i, t) if (strcmp(str(t, "kind"), kind) == 0) return t;
	return NULL;
}

static void render_template(struct req *r, int status, const char *kind, json_t *errors,
                            const char *body)
{
	int err;
	json_t *templates = letters_templates(r->db, &r->who, &err), *t;

	if (!templates) {
		reply_cas_err(r, err);
		return;
	}
	t = find_template(templates, kind);
	if (!t) {
		json_decref(templates);
		reply_not_found(r);
		return;
	}
	json_t *ctx = json_pack("{s:O, s:o, s:b}", "t", t, "variables", letters_variables(),
	                        "is_recours", strcmp(kind, "voies_recours") == 0);
	json_object_set_new(ctx, "values",
	                    json_pack("{s:s}", "body", body ? body : str(t, "body")));
	if (errors)
		page_add_form_errors(ctx, errors, NULL);
	reply_page(r, status, "courriers/template",
	           arena_printf(r->arena, "Modèle : %s", str(t, "label")), ctx);
	json_decref(templates);
}

void h_letter_template_edit(struct req *r)
{
	const char *kind = req_query(r, "type");

	render_template(r, 200, kind ? kind : "", NULL, NULL);
}

void h_letter_template_update(struct req *r)
{
	const char *kind = req_form(r, "kind");
	json_t *errors = NULL;
	int rc = letters_template_update(r->db, &r->who, kind, r->form, &errors);

	if (rc == CAS_EINVAL && errors)
		render_template(r, 422, kind, errors, req_form(r, "body"));
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, "/admin/courriers",
		                     *req_form(r, "body") ? "modele_courrier" : "modele_defaut");
	json_decref(errors);
}

void h_letter_template_preview(struct req *r)
{
	const char *kind = req_form(r, "kind");
	json_t *errors = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	int rc = letters_preview(r->db, &r->who, kind, req_form(r, "body"), &pdf, &len, &errors);

	if (rc == CAS_EINVAL && errors) {
		json_t *e =
		    json_pack("{s:s}", "body",
		              *str(errors, "template") ? str(errors, "template")
		                                       : "Le modèle ne peut pas être appliqué.");
		render_template(r, 422, kind, e, req_form(r, "body"));
		json_decref(e);
	} else if (rc != 0) {
		reply_cas_err(r, rc);
	} else {
		reply_bytes(r, 200, "application/pdf", pdf, len, NULL);
	}
	free(pdf);
	json_decref(errors);
}
