/* Pièces justificatives of a dossier: the section of the dossier page, the
 * page of the pièces (where a refused form comes back with its messages),
 * upload, download, deletion and the request for the missing pieces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/documents.h"
#include "app/input.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/filetype.h"
#include "domain/fold.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_documents.h"
#include "web/reply.h"
#include "web/req.h"
#include "web/server.h"
#include "web/upload.h"

/* A refused form of the section: "upload" or "request". */
struct refused {
	const char *form;
	json_t *errors, *values;
};

static json_t *date_fr(json_t *v)
{
	char out[FR_DATETIME_SIZE];
	if (!json_is_integer(v))
		return json_null();
	fr_datetime(json_integer_value(v), out);
	return json_string(out);
}

static json_t *size_fr(json_int_t n)
{
	char out[32];
	if (n < 1024)
		snprintf(out, sizeof(out), "%lld octets", (long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, sizeof(out), "%lld Ko", (long long)((n + 1023) / 1024));
	else
		snprintf(out, sizeof(out), "%lld,%lld Mo", (long long)(n / (1024 * 1024)),
		         (long long)(n % (1024 * 1024) * 10 / (1024 * 1024)));
	return json_string(out);
}

static void shape_documents(struct req *r, json_t *p)
{
	int64_t did = json_integer_value(json_object_get(p, "dossier_id"));
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(p, "documents"), i, d)
	{
		long long id = (long long)json_integer_value(json_object_get(d, "id"));
		json_object_set_new(d, "created_fr", date_fr(json_object_get(d, "created_at")));
		json_object_set_new(d, "taille_fr",
		                    size_fr(json_integer_value(json_object_get(d, "taille"))));
		json_object_set_new(d, "href",
		                    json_string(arena_printf(r->arena, "/dossiers/%lld/pieces/%lld",
		                                             (long long)did, id)));
	}
}

static void shape_checklist(json_t *p)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(p, "checklist"), i, c)
	{
		json_object_set_new(c, "n", json_integer((json_int_t)i + 1));
		json_object_set_new(c, "demandee_fr", date_fr(json_object_get(c, "demandee_le")));
	}
	json_array_foreach(json_object_get(p, "requests"), i, c)
	{
		json_object_set_new(c, "created_fr", date_fr(json_object_get(c, "created_at")));
	}
}

/* The label chosen when nothing was: the first missing piece, else "autre". */
static const char *default_piece(json_t *p)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(p, "checklist"), i, c)
	{
		if (!json_is_true(json_object_get(c, "recue")))
			return input_str(c, "piece");
	}
	return "autre";
}

/* The choices of the upload form: the checklist, then "autre". */
static json_t *piece_options(json_t *p, const char *selected)
{
	json_t *out = json_array();
	size_t i;
	json_t *c;
	if (!*selected)
		selected = default_piece(p);
	json_array_foreach(json_object_get(p, "checklist"), i, c)
	{
		const char *label = input_str(c, "piece");
		int got = json_is_true(json_object_get(c, "recue"));
		json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:b}", "value", label,
		                                     "label", label, "selected",
		                                     strcmp(label, selected) == 0, "recue", got));
	}
	json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:b}", "value", "autre", "label",
	                                     "Autre pièce (précisez ci-dessous)", "selected",
	                                     strcmp(selected, "autre") == 0, "recue", 0));
	return out;
}

/* The checkboxes of the request: the missing pieces, all ticked, or those
 * ticked in a refused request. */
static json_t *missing_options(json_t *p, json_t *values)
{
	json_t *out = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(p, "manquantes"), i, m)
	{
		int ticked = !values;
		for (int k = 0; values && k < 100 && !ticked; k++) {
			char key[24];
			snprintf(key, sizeof(key), k ? "pieces[%d]" : "pieces", k);
			ticked = strcmp(input_str(values, key), json_string_value(m)) == 0;
		}
		json_array_append_new(out, json_pack("{s:O, s:I, s:b}", "label", m, "n",
		                                     (json_int_t)i + 1, "checked", ticked));
	}
	return out;
}

static void add_refused(json_t *ctx, json_t *p, const struct refused *f)
{
	char key[32];
	page_add_form_errors(ctx, f->errors, NULL);
	snprintf(key, sizeof(key), "%s_errors", f->form);
	json_object_set(p, key, f->errors);
	snprintf(key, sizeof(key), "%s_values", f->form);
	json_object_set(p, key, f->values);
	static const char *const anchors[][2] = {{"fichier", "piece-fichier"},
	                                         {"piece", "piece-choix"},
	                                         {"autre", "piece-autre"},
	                                         {"pieces", "demande-autres"},
	                                         {"message", "demande-message"},
	                                         {"etat", "err-demande-etat"},
	                                         {"courrier", "err-demande-courrier"}};
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(ctx, "error_list"), i, e)
	{
		for (size_t k = 0; k < sizeof(anchors) / sizeof(anchors[0]); k++)
			if (strcmp(input_str(e, "field"), anchors[k][0]) == 0)
				json_object_set_new(e, "anchor", json_string(anchors[k][1]));
	}
}

/* The "pieces" object of the templates, or NULL with *err. */
static json_t *pieces_ctx(struct req *r, json_t *ctx, int64_t dossier_id, const struct refused *f,
                          int *err)
{
	json_t *p = document_dossier(r->db, &r->who, dossier_id, err);
	if (!p)
		return NULL;
	shape_documents(r, p);
	shape_checklist(p);
	int upload = f && strcmp(f->form, "upload") == 0;
	int request = f && strcmp(f->form, "request") == 0;
	json_t *uv = upload ? f->values : NULL;
	json_object_set_new(p, "options", piece_options(p, input_str(uv, "piece")));
	json_object_set_new(p, "missing", missing_options(p, request ? f->values : NULL));
	json_object_set_new(p, "has_documents",
	                    json_boolean(json_array_size(json_object_get(p, "documents")) > 0));
	json_object_set_new(p, "has_checklist",
	                    json_boolean(json_array_size(json_object_get(p, "checklist")) > 0));
	json_object_set_new(p, "has_requests",
	                    json_boolean(json_array_size(json_object_get(p, "requests")) > 0));
	json_object_set_new(p, "waiting",
	                    json_boolean(strcmp(input_str(p, "state"), "en_attente_pieces") == 0));
	char limit[32];
	json_object_set_new(
	    p, "max_fr",
	    json_string(filetype_limit_text(server_cfg.upload_max, limit, sizeof(limit))));
	if (f)
		add_refused(ctx, p, f);
	return p;
}

void page_documents_dossier_ctx(struct req *r, json_t *ctx, int64_t dossier_id)
{
	int err;
	json_t *p = pieces_ctx(r, ctx, dossier_id, NULL, &err);
	if (p)
		json_object_set_new(ctx, "pieces", p);
}

/* The page of the pièces of the dossier, with a refused form (f may be
 * NULL). */
static void render(struct req *r, int status, const struct refused *f)
{
	int err;
	json_t *ctx = json_object();
	json_t *p = pieces_ctx(r, ctx, r->ids[0], f, &err);
	if (!p) {
		json_decref(ctx);
		reply_cas_err(r, err);
		return;
	}
	const char *title =
	    arena_printf(r->arena, "Pièces justificatives du dossier %s", input_str(p, "numero"));
	json_object_set_new(ctx, "pieces", p);
	reply_page(r, status, "documents/page", title, ctx);
}

void h_documents(struct req *r)
{
	render(r, 200, NULL);
}

static void refuse(struct req *r, int status, const char *form, json_t *errors)
{
	json_t *values = page_form_values(r);
	struct refused f = {form, errors, values};
	render(r, status, &f);
	json_decref(values);
}

static const char *back(struct req *r)
{
	return arena_printf(r->arena, "/dossiers/%lld#pieces", (long long)r->ids[0]);
}

void h_document_upload(struct req *r)
{
	struct document_file file;
	upload_file(r, &file);
	int64_t id;
	json_t *errors = NULL;
	int rc = document_upload(r->db, &r->who, r->ids[0], r->form, &file, server_cfg.upload_max,
	                         &id, &errors);
	if ((rc == CAS_EINVAL || rc == CAS_ETOOBIG) && errors)
		refuse(r, rc == CAS_ETOOBIG ? 413 : 422, "upload", errors);
	else if (rc == CAS_ECONFLICT)
		reply_error(r, 409, "Un dossier clôturé ne reçoit plus de pièces.");
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, back(r), "piece_ajoutee");
	json_decref(errors);
}

void h_document_too_big(struct req *r)
{
	char msg[128];
	filetype_message(FILETYPE_TOO_BIG, FILETYPE_NONE, server_cfg.upload_max, msg, sizeof(msg));
	json_t *errors = json_pack("{s:s}", "fichier", msg);
	struct refused f = {"upload", errors, NULL};
	render(r, 413, &f);
	json_decref(errors);
}

/* The name sent with the bytes: ASCII (reply_download keeps letters, digits,
 * '-', '_' and '.'), accents folded away, the extension kept. */
static const char *download_name(struct req *r, json_t *meta)
{
	const char *name = input_str(meta, "nom_fichier");
	const char *dot = strrchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : strlen(name);
	char *s = arena_strndup(r->arena, name, stem);
	char *folded = arena_alloc(r->arena, stem + 1);
	fold_text(s, folded, stem + 1);
	const char *ext = filetype_ext(filetype_from_mime(input_str(meta, "type_mime")));
	return arena_printf(r->arena, "%s.%s", *folded ? folded : "piece", ext);
}

void h_document_download(struct req *r)
{
	void *data;
	size_t len;
	json_t *meta;
	int rc = document_download(r->db, &r->who, r->ids[0], r->ids[1], &data, &len, &meta);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_download(r, input_str(meta, "type_mime"), download_name(r, meta), data, len);
	free(data);
	json_decref(meta);
}

void h_document_delete(struct req *r)
{
	int rc = document_delete(r->db, &r->who, r->ids[0], r->ids[1]);
	if (rc == CAS_ECONFLICT)
		reply_error(
		    r, 409,
		    "Le dossier est décidé : ses pièces justifient la décision et restent au "
		    "dossier.");
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, back(r), "piece_supprimee");
}

void h_document_request(struct req *r)
{
	json_t *errors = NULL;
	int rc = document_request_missing(r->db, &r->who, r->ids[0], r->form, NULL, NULL, &errors);
	if (rc == CAS_EINVAL && errors)
		refuse(r, 422, "request", errors);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_redirect_flash(r, back(r), "pieces_demandees");
	json_decref(errors);
}
