/* Pages of the persons (usagers): search, fiche, creation and update. */
#include <stdio.h>
#include <string.h>

#include "app/input.h"
#include "app/person_json.h"
#include "app/households.h"
#include "app/persons.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "domain/pdate.h"
#include "base/fr_time.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_rights.h"
#include "web/reply.h"
#include "web/req.h"

#define PAGE_SIZE 25

/* --- display helpers --- */

/* "12/03/1985", "03/1985" or "1985" from the storage form; the text
 * itself when it is not a date. */
static json_t *date_fr(const char *iso)
{
	struct pdate d;
	char out[11];
	if (!iso || pdate_parse(iso, &d, NULL) != 0)
		return json_string(iso ? iso : "");
	pdate_fr(&d, out);
	return json_string(out);
}

static const char *date_partial(const char *iso)
{
	struct pdate d;
	if (!iso || pdate_parse(iso, &d, NULL) != 0)
		return NULL;
	if (d.month == 0)
		return "jour et mois inconnus";
	return d.day == 0 ? "jour inconnu" : NULL;
}

/* "Jean, Pierre" */
static json_t *prenoms(json_t *p)
{
	char out[1024] = "";
	size_t n = 0;
	static const char *const keys[] = {"prenom1", "prenom2", "prenom3"};
	for (int i = 0; i < 3; i++) {
		const char *v = input_str(p, keys[i]);
		if (*v && n < sizeof(out))
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s", n ? ", " : "", v);
	}
	return json_string(out);
}

/* "05/03/2025", or with the time "05/03/2025 14:07" (Paris time). */
static json_t *timestamp_fr(json_t *p, const char *key, int with_time)
{
	char out[FR_DATETIME_SIZE];
	int64_t t = json_integer_value(json_object_get(p, key));
	if (with_time)
		fr_datetime(t, out);
	else
		fr_date(t, out);
	return json_string(out);
}

static const char *nationalite_label(const char *code)
{
	if (strcmp(code, "francaise") == 0)
		return "Française";
	if (strcmp(code, "ue") == 0)
		return "Union européenne";
	if (strcmp(code, "hors_ue") == 0)
		return "Hors Union européenne";
	return code;
}

static json_t *lieu_label(struct req *r, json_t *p)
{
	if (strcmp(input_str(p, "lieu_type"), "etranger") == 0)
		return json_string(arena_printf(r->arena, "À l'étranger (code pays INSEE %s)",
		                                input_str(p, "pays_naissance")));
	return json_string(arena_printf(r->arena, "En France (code commune INSEE %s)",
	                                input_str(p, "commune_naissance")));
}

/* --- URLs of the list --- */

static void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

struct list_params {
	const char *q;
	const char *date;
	const char *tri; /* "nom", "naissance", "creation" */
	int desc;
	int64_t page; /* from 1 */
};

static json_t *list_url(struct req *r, const struct list_params *lp, const char *tri, int desc,
                        int64_t page)
{
	struct buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "/usagers?q=");
	url_encode(&b, lp->q);
	buf_puts(&b, "&date_naissance=");
	url_encode(&b, lp->date);
	buf_printf(&b, "&tri=%s&ordre=%s", tri, desc ? "desc" : "asc");
	if (page > 1)
		buf_printf(&b, "&page=%lld", (long long)page);
	json_t *url = json_string(buf_cstr(&b));
	buf_free(&b);
	return url;
}

static json_t *sort_link(struct req *r, const struct list_params *lp, const char *tri)
{
	int current = strcmp(lp->tri, tri) == 0;
	int desc = current && !lp->desc;
	json_t *o = json_pack("{s:o}", "href", list_url(r, lp, tri, desc, 1));
	if (current) {
		json_object_set_new(o, "aria", json_string(lp->desc ? "descending" : "ascending"));
		json_object_set_new(o, "arrow", json_string(lp->desc ? "▼" : "▲"));
	}
	return o;
}

static void read_list_params(struct req *r, struct list_params *lp, enum person_order *order)
{
	const char *tri = req_query(r, "tri");
	const char *ordre = req_query(r, "ordre");
	lp->q = req_query(r, "q") ? req_query(r, "q") : "";
	lp->date = req_query(r, "date_naissance") ? req_query(r, "date_naissance") : "";
	lp->desc = ordre && strcmp(ordre, "desc") == 0;
	lp->page = req_query_int(r, "page", 1);
	if (lp->page < 1 || lp->page > 100000)
		lp->page = 1;
	lp->tri = "nom";
	*order = PERSON_ORDER_NOM;
	if (tri && strcmp(tri, "naissance") == 0) {
		lp->tri = "naissance";
		*order = PERSON_ORDER_NAISSANCE;
	} else if (tri && strcmp(tri, "creation") == 0) {
		lp->tri = "creation";
		*order = PERSON_ORDER_CREATION;
	}
}

/* --- list --- */

static json_t *list_row(json_t *p)
{
	return json_pack(
	    "{s:O, s:O, s:O, s:o, s:o, s:O, s:o}", "id", json_object_get(p, "id"), "nom_naissance",
	    json_object_get(p, "nom_naissance"), "nom_usage", json_object_get(p, "nom_usage"),
	    "prenoms", prenoms(p), "date_fr", date_fr(input_str(p, "date_naissance")), "commune",
	    json_object_get(p, "commune"), "created_fr", timestamp_fr(p, "created_at", 0));
}

static const char *sort_label(const struct list_params *lp)
{
	if (strcmp(lp->tri, "naissance") == 0)
		return lp->desc ? "date de naissance, la plus récente d'abord"
		                : "date de naissance, la plus ancienne d'abord";
	if (strcmp(lp->tri, "creation") == 0)
		return lp->desc ? "date de création, la plus récente d'abord"
		                : "date de création, la plus ancienne d'abord";
	return lp->desc ? "nom, de Z à A" : "nom, de A à Z";
}

static void add_counts(struct req *r, json_t *ctx, const struct list_params *lp, int64_t total,
                       size_t shown)
{
	int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	int64_t first = (lp->page - 1) * PAGE_SIZE + 1;
	const char *label =
	    total == 0   ? (*lp->q || *lp->date) ? "Aucun usager ne correspond à la recherche."
	                                         : "Aucun usager n'est encore enregistré."
	    : total == 1 ? "1 usager trouvé."
	                 : arena_printf(r->arena, "%lld usagers trouvés.", (long long)total);
	json_object_set_new(ctx, "count_label", json_string(label));
	json_object_set_new(ctx, "total", json_integer(total));
	json_object_set_new(ctx, "page", json_integer(lp->page));
	json_object_set_new(ctx, "pages", json_integer(pages));
	json_object_set_new(ctx, "has_rows", json_boolean(shown > 0));
	json_object_set_new(
	    ctx, "caption",
	    json_string(arena_printf(r->arena, "Usagers %lld à %lld sur %lld, par %s",
	                             (long long)first, (long long)(first + (int64_t)shown - 1),
	                             (long long)total, sort_label(lp))));
	if (lp->page > 1)
		json_object_set_new(ctx, "prev_href",
		                    list_url(r, lp, lp->tri, lp->desc, lp->page - 1));
	if (lp->page < pages)
		json_object_set_new(ctx, "next_href",
		                    list_url(r, lp, lp->tri, lp->desc, lp->page + 1));
}

/* The list page for found (stolen): rows, sort links, counts, pagination. */
static json_t *list_ctx(struct req *r, const struct list_params *lp, json_t *found, int64_t total,
                        json_t *errors)
{
	json_t *rows = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(found, i, p)
	{
		json_array_append_new(rows, list_row(p));
	}
	json_decref(found);
	json_t *ctx =
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "q", lp->q, "date_naissance", lp->date,
	              "tri", lp->tri, "ordre", lp->desc ? "desc" : "asc", "rows", rows, "can_write",
	              perm_allows(r->who.role, PERM_PERSON_WRITE));
	json_object_set_new(ctx, "sort",
	                    json_pack("{s:o, s:o, s:o}", "nom", sort_link(r, lp, "nom"),
	                              "naissance", sort_link(r, lp, "naissance"), "creation",
	                              sort_link(r, lp, "creation")));
	add_counts(r, ctx, lp, total, json_array_size(rows));
	if (errors) {
		json_object_set(ctx, "errors", errors);
		json_object_set_new(ctx, "count_label",
		                    json_string("Corrigez la date de naissance pour lancer la "
		                                "recherche."));
	}
	return ctx;
}

void h_persons_list(struct req *r)
{
	struct list_params lp;
	enum person_order order;
	read_list_params(r, &lp, &order);
	int64_t total = 0;
	struct person_search s = {.name = lp.q,
	                          .date_naissance = lp.date,
	                          .order = order,
	                          .desc = lp.desc,
	                          .limit = PAGE_SIZE,
	                          .offset = (int)((lp.page - 1) * PAGE_SIZE),
	                          .total = &total};
	int err;
	json_t *errors = NULL;
	json_t *found = person_search(r->db, &r->who, &s, &err, &errors);
	if (!found && err != CAS_EINVAL) {
		reply_cas_err(r, err);
		return;
	}
	if (json_array_size(found) == 0 && total > 0 && lp.page > 1) { /* past the last page */
		json_decref(found);
		json_t *last =
		    list_url(r, &lp, lp.tri, lp.desc, (total + PAGE_SIZE - 1) / PAGE_SIZE);
		reply_redirect(r, arena_strdup(r->arena, json_string_value(last)));
		json_decref(last);
		return;
	}
	reply_page(r, 200, "persons/list", "Usagers", list_ctx(r, &lp, found, total, errors));
	json_decref(errors);
}

/* --- fiche --- */

/* The households the person belongs or belonged to (an empty list when
 * they cannot be read). */
static json_t *person_households(struct req *r)
{
	int err;
	json_t *rows = household_of_person(r->db, &r->who, r->ids[0], &err);
	size_t i;
	json_t *h;
	json_array_foreach(rows, i, h)
	{
		json_object_set_new(h, "date_entree", date_fr(input_str(h, "date_entree")));
		if (*input_str(h, "date_sortie"))
			json_object_set_new(h, "date_sortie", date_fr(input_str(h, "date_sortie")));
	}
	return rows ? rows : json_array();
}

void h_person_show(struct req *r)
{
	int err;
	json_t *p = person_get(r->db, &r->who, r->ids[0], &err);
	if (!p) {
		reply_cas_err(r, err);
		return;
	}
	const char *iso = input_str(p, "date_naissance");
	const char *partial = date_partial(iso);
	int has_address =
	    *input_str(p, "adresse") || *input_str(p, "code_postal") || *input_str(p, "commune");
	json_t *ctx =
	    json_pack("{s:o, s:o, s:s, s:o, s:o, s:s, s:b, s:b, s:o, s:o, s:o}", "prenoms",
	              prenoms(p), "date_fr", date_fr(iso), "sexe_label",
	              strcmp(input_str(p, "sexe"), "F") == 0 ? "Féminin" : "Masculin", "lieu_label",
	              lieu_label(r, p), "foyers", person_households(r), "nationalite_label",
	              nationalite_label(input_str(p, "nationalite")), "has_address", has_address,
	              "can_write", perm_allows(r->who.role, PERM_PERSON_WRITE), "created_fr",
	              timestamp_fr(p, "created_at", 1), "updated_fr",
	              timestamp_fr(p, "updated_at", 1), "p", p);
	if (partial)
		json_object_set_new(ctx, "date_partial", json_string(partial));
	json_object_set_new(ctx, "has_foyers",
	                    json_boolean(json_array_size(json_object_get(ctx, "foyers")) > 0));
	json_object_set_new(ctx, "can_create_household",
	                    json_boolean(perm_allows(r->who.role, PERM_HOUSEHOLD_WRITE)));
	page_rights_person_ctx(r, ctx, r->ids[0]);
	json_object_set_new(ctx, "can_audit", /* the access log: who viewed this person */
	                    json_boolean(perm_allows(r->who.role, PERM_AUDIT_READ)));
	const char *title =
	    arena_printf(r->arena, "%s %s", input_str(p, "nom_naissance"), input_str(p, "prenom1"));
	reply_page(r, 200, "persons/show", title, ctx);
}

/* --- forms --- */

/* Which radio buttons and options are chosen, from the values shown. */
static json_t *selection(json_t *values)
{
	const char *sexe = input_str(values, "sexe"), *lieu = input_str(values, "lieu_type"),
	           *nat = input_str(values, "nationalite");
	return json_pack(
	    "{s:b, s:b, s:b, s:b, s:b, s:b, s:b}", "sexe_M", strcmp(sexe, "M") == 0, "sexe_F",
	    strcmp(sexe, "F") == 0, "lieu_commune", strcmp(lieu, "commune") == 0, "lieu_etranger",
	    strcmp(lieu, "etranger") == 0, "nat_francaise", strcmp(nat, "francaise") == 0, "nat_ue",
	    strcmp(nat, "ue") == 0, "nat_hors_ue", strcmp(nat, "hors_ue") == 0);
}

/* Renders the form; values borrowed, errors borrowed (NULL for none). */
static void show_form(struct req *r, int status, int64_t id, json_t *values, json_t *errors)
{
	json_t *ctx = json_object();
	if (id) {
		json_object_set_new(
		    ctx, "action",
		    json_string(arena_printf(r->arena, "/usagers/%lld", (long long)id)));
		json_object_set_new(
		    ctx, "back_href",
		    json_string(arena_printf(r->arena, "/usagers/%lld", (long long)id)));
		json_object_set_new(ctx, "back_label", json_string("Retour à la fiche"));
		json_object_set_new(ctx, "submit_label",
		                    json_string("Enregistrer les modifications"));
	} else {
		json_object_set_new(ctx, "action", json_string("/usagers"));
		json_object_set_new(ctx, "back_href", json_string("/usagers"));
		json_object_set_new(ctx, "back_label", json_string("Retour à la recherche"));
		json_object_set_new(ctx, "submit_label", json_string("Créer la fiche"));
	}
	json_object_set_new(ctx, "sel", selection(values));
	json_object_set(ctx, "values", values);
	if (errors && json_object_size(errors)) {
		page_add_form_errors(ctx, errors, values);
		json_object_set_new(ctx, "has_errors", json_true());
	}
	reply_page(r, status, "persons/form", id ? "Modifier la fiche" : "Nouvel usager", ctx);
}

void h_person_new(struct req *r)
{
	json_t *values = json_object();
	show_form(r, 200, 0, values, NULL);
	json_decref(values);
}

void h_person_create(struct req *r)
{
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = person_create(r->db, &r->who, r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors) {
		show_form(r, 422, 0, r->form, errors);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, arena_printf(r->arena, "/usagers/%lld", (long long)id), "cree");
}

void h_person_edit(struct req *r)
{
	int err;
	json_t *p = person_get(r->db, &r->who, r->ids[0], &err);
	if (!p) {
		reply_cas_err(r, err);
		return;
	}
	json_t *values = person_json_input_of(p);
	json_object_set_new(values, "date_naissance", date_fr(input_str(p, "date_naissance")));
	json_decref(p);
	show_form(r, 200, r->ids[0], values, NULL);
	json_decref(values);
}

void h_person_update(struct req *r)
{
	json_t *errors = NULL;
	int rc = person_update(r->db, &r->who, r->ids[0], r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		show_form(r, 422, r->ids[0], r->form, errors);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, arena_printf(r->arena, "/usagers/%lld", (long long)r->ids[0]),
	                     "enregistre");
}
