/* Rights of the person: the export of their data (page and API), the
 * erasure (page and API). Thin adapters over app/person_export.h. */
#include "web/page_rights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/person_export.h"
#include "app/persons.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

void page_rights_person_ctx(struct req *r, json_t *ctx, int64_t person_id)
{
	int can_export = perm_allows(r->who.role, PERM_PERSON_EXPORT);
	int can_erase = perm_allows(r->who.role, PERM_PERSON_ERASE);
	if (!can_export && !can_erase)
		return;
	json_t *rights = json_pack("{s:I, s:b, s:b}", "id", (json_int_t)person_id, "can_export",
	                           can_export, "can_erase", can_erase);
	if (can_erase) {
		int err = 0;
		char *why = person_erase_refusal(r->db, &r->who, person_id, &err);
		if (why)
			json_object_set_new(rights, "erase_refusal", json_string(why));
		else if (err) /* unknown: no button, the POST would say */
			json_object_set_new(rights, "can_erase", json_false());
		free(why);
	}
	json_object_set_new(ctx, "rights", rights);
}

/* --- export --- */

static char *export_name(struct req *r, const char *ext)
{
	return arena_printf(r->arena, "donnees-personne-%lld.%s", (long long)r->ids[0], ext);
}

static void send_json(struct req *r, json_t *doc, int download)
{
	char *text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!text) {
		reply_cas_err(r, CAS_EDB);
		return;
	}
	if (download)
		reply_download(r, "application/json; charset=utf-8", export_name(r, "json"), text,
		               strlen(text));
	else
		reply_bytes(r, 200, "application/json; charset=utf-8", text, strlen(text), NULL);
	json_free_text(text);
}

static void send_pdf(struct req *r, json_t *doc, int download)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	int rc = person_export_pdf(r->db, &r->who, doc, &pdf, &len);
	json_decref(doc);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	if (download)
		reply_download(r, "application/pdf", export_name(r, "pdf"), pdf, len);
	else
		reply_bytes(r, 200, "application/pdf", pdf, len, NULL);
	free(pdf);
}

static void export(struct req *r, enum person_export_format format, int download)
{
	json_t *doc = NULL;
	int rc = person_export(r->db, &r->who, r->ids[0], format, &doc);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	if (format == PERSON_EXPORT_PDF)
		send_pdf(r, doc, download);
	else
		send_json(r, doc, download);
}

void h_person_export_json(struct req *r)
{
	export(r, PERSON_EXPORT_JSON, 1);
}

void h_person_export_pdf(struct req *r)
{
	export(r, PERSON_EXPORT_PDF, 1);
}

void h_api_person_export(struct req *r)
{
	const char *format = req_query(r, "format");
	if (format && strcmp(format, "json") != 0 && strcmp(format, "pdf") != 0) {
		reply_api_error(r, 400, "bad_request", "Le format demandé est « json » ou « pdf ».",
		                "format");
		return;
	}
	export(r, format && strcmp(format, "pdf") == 0 ? PERSON_EXPORT_PDF : PERSON_EXPORT_JSON, 0);
}

/* --- erasure --- */

void h_person_erase(struct req *r)
{
	char *why = NULL;
	int rc = person_erase(r->db, &r->who, r->ids[0], &why);
	if (rc == 0) {
		reply_redirect_flash(r, "/usagers", "personne_effacee");
		return;
	}
	if (rc == CAS_ECONFLICT && why) {
		json_t *ctx = json_pack("{s:s, s:I}", "reason", why, "id", (json_int_t)r->ids[0]);
		free(why);
		reply_page(r, 409, "rights/refused", "Effacement impossible", ctx);
		return;
	}
	free(why);
	reply_cas_err(r, rc);
}

void h_api_person_erase(struct req *r)
{
	char *why = NULL;
	int rc = person_erase(r->db, &r->who, r->ids[0], &why);
	if (rc == 0)
		reply_bytes(r, 204, "application/json; charset=utf-8", "", 0, NULL);
	else if (rc == CAS_ECONFLICT && why)
		reply_api_error(r, 409, "retention", why, NULL);
	else
		reply_cas_err(r, rc);
	free(why);
}
