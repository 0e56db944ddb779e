/* The access log page (administrateur, auditeur): "Qui a consulté cette
 * personne ?". Filters: the person (found by name, then by id), the agent,
 * a range of dates; 25 entries a page, newest first or oldest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/access_log.h"
#include "app/persons.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/xalloc.h"
#include "domain/pdate.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

#define PAGE_SIZE    25
#define MATCHES_MAX  10
#define NAME_MAX_LEN 200

struct params {
	const char *nom; /* name typed to find the person */
	int64_t usager;  /* the person */
	int64_t agent;
	const char *du, *au;
	int asc;
	int64_t page; /* from 1 */
};

static const char *query_or_empty(struct req *r, const char *key)
{
	const char *v = req_query(r, key);
	return v ? v : "";
}

static void read_params(struct req *r, struct params *p)
{
	p->nom = query_or_empty(r, "nom");
	if (strlen(p->nom) > NAME_MAX_LEN)
		p->nom = "";
	p->usager = req_query_int(r, "usager", 0);
	p->agent = req_query_int(r, "agent", 0);
	p->du = query_or_empty(r, "du");
	p->au = query_or_empty(r, "au");
	p->asc = strcmp(query_or_empty(r, "ordre"), "asc") == 0;
	p->page = req_query_int(r, "page", 1);
	if (p->page < 1)
		p->page = 1;
}

/* --- addresses --- */

static void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~", *c))
			buf_putc(b, (char)*c);
		else
			buf_printf(b, "%%%c%c", hex[*c >> 4], hex[*c & 15]);
	}
}

/* This page with the filters of p, the order asc and page. */
static json_t *page_href(const struct params *p, int asc, int64_t page)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "/audit/acces?");
	if (p->usager)
		buf_printf(&b, "usager=%lld&", (long long)p->usager);
	if (p->agent)
		buf_printf(&b, "agent=%lld&", (long long)p->agent);
	buf_puts(&b, "du=");
	url_encode(&b, p->du);
	buf_puts(&b, "&au=");
	url_encode(&b, p->au);
	buf_printf(&b, "&ordre=%s", asc ? "asc" : "desc");
	if (page > 1)
		buf_printf(&b, "&page=%lld", (long long)page);
	json_t *out = json_string(buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* --- rows --- */

static const char *type_label(const char *type)
{
	if (strcmp(type, "person") == 0)
		return "Fiche usager";
	if (strcmp(type, "dossier") == 0)
		return "Dossier";
	if (strcmp(type, "consultation") == 0)
		return "Consultation d'une API de l'État";
	if (strcmp(type, "document") == 0)
		return "Pièce justificative";
	return type;
}

static const char *type_href(const char *type)
{
	if (strcmp(type, "person") == 0)
		return "/usagers/";
	if (strcmp(type, "dossier") == 0)
		return "/dossiers/";
	return NULL;
}

static json_t *agent_of(json_t *e)
{
	json_t *name = json_object_get(e, "actor_name");
	const char *label = json_string_value(json_object_get(e, "actor_label"));
	if (json_is_string(name))
		return json_sprintf("%s (%s)", json_string_value(name), label ? label : "");
	return json_string(label ? label : "");
}

static json_t *entry_row(json_t *e)
{
	char at[FR_DATETIME_SIZE];
	fr_datetime(json_integer_value(json_object_get(e, "at")), at);
	const char *type = json_string_value(json_object_get(e, "object_type"));
	json_int_t oid = json_integer_value(json_object_get(e, "object_id"));
	json_t *pid = json_object_get(e, "person_id");
	json_t *row =
	    json_pack("{s:O, s:s, s:o, s:s, s:I, s:O}", "id", json_object_get(e, "id"), "at", at,
	              "agent", agent_of(e), "type", type_label(type ? type : ""), "object_id", oid,
	              "route", json_object_get(e, "route"));
	const char *href = type_href(type ? type : "");
	if (href)
		json_object_set_new(row, "href",
		                    json_sprintf("%s%" JSON_INTEGER_FORMAT, href, oid));
	if (json_is_integer(pid)) {
		json_t *person = json_object_get(e, "person");
		json_object_set_new(row, "usager",
		                    json_is_string(person)
		                        ? json_incref(person)
		                        : json_sprintf("usager n° %" JSON_INTEGER_FORMAT
		                                       " (effacé)",
		                                       json_integer_value(pid)));
		json_object_set_new(row, "usager_href",
		                    json_sprintf("/audit/acces?usager=%" JSON_INTEGER_FORMAT,
		                                 json_integer_value(pid)));
	}
	return row;
}

/* --- filters --- */

static json_t *agents_json(struct req *r, int64_t selected)
{
	int err;
	json_t *rows = access_log_agents(r->db, &r->who, &err);
	json_t *out = json_array();
	size_t i;
	json_t *u;
	json_array_foreach(rows, i, u)
	{
		json_int_t id = json_integer_value(json_object_get(u, "id"));
		json_array_append_new(
		    out, json_pack("{s:I, s:s++, s:b}", "id", id, "label",
		                   json_string_value(json_object_get(u, "display_name")), " — ",
		                   json_string_value(json_object_get(u, "email")), "selected",
		                   id == selected));
	}
	json_decref(rows);
	return out;
}

static json_t *birth_fr(json_t *person)
{
	struct pdate d;
	char out[11];
	const char *iso = json_string_value(json_object_get(person, "date_naissance"));
	if (!iso || pdate_parse(iso, &d, NULL) != 0)
		return json_string("");
	pdate_fr(&d, out);
	return json_string(out);
}

/* The persons whose name matches p->nom: [{id, label, naissance, href}]. */
static json_t *matches_json(struct req *r, const struct params *p)
{
	int err;
	json_t *errors = NULL;
	struct person_search s = {.name = p->nom, .order = PERSON_ORDER_NOM, .limit = MATCHES_MAX};
	json_t *rows = person_search(r->db, &r->who, &s, &err, &errors);
	json_decref(errors);
	json_t *out = json_array();
	size_t i;
	json_t *person;
	json_array_foreach(rows, i, person)
	{
		const char *usage = json_string_value(json_object_get(person, "nom_usage"));
		const char *nom = json_string_value(json_object_get(person, "nom_naissance"));
		const char *prenom = json_string_value(json_object_get(person, "prenom1"));
		json_int_t id = json_integer_value(json_object_get(person, "id"));
		json_t *label = json_sprintf("%s %s", usage && *usage ? usage : (nom ? nom : ""),
		                             prenom ? prenom : "");
		json_t *href = json_sprintf("/audit/acces?usager=%" JSON_INTEGER_FORMAT, id);
		json_array_append_new(out,
		                      json_pack("{s:I, s:o, s:o, s:o}", "id", id, "label", label,
		                                "href", href, "naissance", birth_fr(person)));
	}
	json_decref(rows);
	return out;
}

static json_t *filter_context(struct req *r, const struct params *p)
{
	json_t *ctx =
	    json_pack("{s:s, s:s, s:s, s:o, s:s}", "nom", p->nom, "du", p->du, "au", p->au,
	              "agents", agents_json(r, p->agent), "ordre", p->asc ? "asc" : "desc");
	if (p->usager) {
		char *name = access_log_person_name(r->db, &r->who, p->usager);
		json_object_set_new(ctx, "usager", json_integer(p->usager));
		json_object_set_new(ctx, "usager_nom",
		                    name ? json_string(name)
		                         : json_sprintf("usager n° %lld", (long long)p->usager));
		free(name);
	} else if (*p->nom) {
		json_t *m = matches_json(r, p);
		json_object_set_new(ctx, "searched", json_true());
		json_object_set_new(ctx, "has_matches", json_boolean(json_array_size(m) > 0));
		json_object_set_new(ctx, "matches", m);
	}
	return ctx;
}

/* --- results --- */

static void add_pagination(json_t *ctx, const struct params *p, int64_t total)
{
	int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	json_object_set_new(ctx, "page", json_integer(p->page));
	json_object_set_new(ctx, "pages", json_integer(pages));
	if (p->page > 1)
		json_object_set_new(ctx, "prev_href", page_href(p, p->asc, p->page - 1));
	if (p->page < pages)
		json_object_set_new(ctx, "next_href", page_href(p, p->asc, p->page + 1));
	json_object_set_new(ctx, "sort_href", page_href(p, !p->asc, 1));
	json_object_set_new(ctx, "caption",
	                    json_string(p->asc
	                                    ? "Lectures enregistrées, les plus anciennes d'abord "
	                                      "(heure de Paris)"
	                                    : "Lectures enregistrées, les plus récentes d'abord "
	                                      "(heure de Paris)"));
	json_object_set_new(ctx, "sort_aria", json_string(p->asc ? "ascending" : "descending"));
	json_object_set_new(ctx, "sort_arrow", json_string(p->asc ? "▲" : "▼"));
	json_object_set_new(
	    ctx, "count_label",
	    total == 0   ? json_string("Aucune consultation enregistrée.")
	    : total == 1 ? json_string("1 consultation enregistrée.")
	                 : json_sprintf("%lld consultations enregistrées.", (long long)total));
}

static int add_results(struct req *r, json_t *ctx, const struct params *p, json_t **errors)
{
	struct access_query q = {
	    .person_id = p->usager,
	    .actor_id = p->agent,
	    .du = p->du,
	    .au = p->au,
	    .asc = p->asc,
	    .offset = (p->page - 1) * PAGE_SIZE,
	    .limit = PAGE_SIZE,
	};
	int64_t total = 0;
	int err;
	json_t *rows = access_log_search(r->db, &r->who, &q, &total, &err, errors);
	if (!rows)
		return err;
	json_t *list = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e) json_array_append_new(list, entry_row(e));
	json_decref(rows);
	json_object_set_new(ctx, "rows", list);
	json_object_set_new(ctx, "has_rows", json_boolean(total > 0));
	add_pagination(ctx, p, total);
	return 0;
}

void h_access_log(struct req *r)
{
	struct params p;
	read_params(r, &p);
	json_t *ctx = filter_context(r, &p);
	json_t *errors = NULL;
	int rc = add_results(r, ctx, &p, &errors);
	if (rc == CAS_EINVAL) {
		json_t *values = json_pack("{s:s, s:s}", "du", p.du, "au", p.au);
		page_add_form_errors(ctx, errors, values);
		json_decref(values);
		json_decref(errors);
	} else if (rc != 0) {
		json_decref(ctx);
		reply_cas_err(r, rc);
		return;
	}
	reply_page(r, rc == CAS_EINVAL ? 400 : 200, "audit/acces", "Journal des accès", ctx);
}
