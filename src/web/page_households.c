/* Pages of the households (foyers): list, creation around a demandeur,
 * the household with its members, adding a member and recording an exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/input.h"
#include "app/dossiers.h"
#include "app/households.h"
#include "app/persons.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/err.h"
#include "domain/household.h"
#include "domain/pdate.h"
#include "base/fr_time.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/reply.h"
#include "web/req.h"

#define PAGE_SIZE      25
#define CANDIDATES_MAX 20

/* "12/03/1985", "03/1985" or "1985" from the storage form; NULL when empty. */
static json_t *date_fr(const char *iso)
{
	struct pdate d;
	char out[11];
	if (!iso || !*iso)
		return json_null();
	if (pdate_parse(iso, &d, NULL) != 0)
		return json_string(iso);
	pdate_fr(&d, out);
	return json_string(out);
}

/* "né(e) le 12/03/1985", "né(e) en 03/1985", "né(e) en 1985"; null when
 * unknown. */
static json_t *born_fr(const char *iso)
{
	struct pdate d;
	char out[11], text[40];
	if (!iso || pdate_parse(iso, &d, NULL) != 0)
		return json_null();
	pdate_fr(&d, out);
	snprintf(text, sizeof(text), "né(e) %s %s", d.day ? "le" : "en", out);
	return json_string(text);
}

static json_t *timestamp_fr(json_t *o, const char *key)
{
	char out[FR_DATETIME_SIZE];
	fr_date(json_integer_value(json_object_get(o, key)), out);
	return json_string(out);
}

static void today_iso(char out[11])
{
	paris_date_iso(clock_now(), out);
}

/* --- list --- */

struct list_params {
	const char *tri; /* "libelle" or "date" */
	int desc;
	int64_t page; /* from 1 */
};

static json_t *list_url(struct req *r, const char *tri, int desc, int64_t page)
{
	return json_string(arena_printf(r->arena, "/foyers?tri=%s&ordre=%s&page=%lld", tri,
	                                desc ? "desc" : "asc", (long long)page));
}

static json_t *sort_link(struct req *r, const struct list_params *lp, const char *tri)
{
	int current = strcmp(lp->tri, tri) == 0;
	json_t *o = json_pack("{s:o}", "href", list_url(r, tri, current && !lp->desc, 1));
	if (current) {
		json_object_set_new(o, "aria", json_string(lp->desc ? "descending" : "ascending"));
		json_object_set_new(o, "arrow", json_string(lp->desc ? "▼" : "▲"));
	}
	return o;
}

static void read_list_params(struct req *r, struct list_params *lp)
{
	const char *tri = req_query(r, "tri"), *ordre = req_query(r, "ordre");
	lp->tri = tri && strcmp(tri, "date") == 0 ? "date" : "libelle";
	lp->desc = ordre && strcmp(ordre, "desc") == 0;
	lp->page = req_query_int(r, "page", 1);
	if (lp->page < 1 || lp->page > 1000000)
		lp->page = 1;
}

static json_t *list_rows(json_t *found)
{
	json_t *rows = json_array();
	size_t i;
	json_t *h;
	json_array_foreach(found, i, h)
	{
		json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:O, s:o}", "id",
		                                      json_object_get(h, "id"), "label",
		                                      json_object_get(h, "label"), "demandeur",
		                                      json_object_get(h, "demandeur"), "members",
		                                      json_object_get(h, "members"), "created_fr",
		                                      timestamp_fr(h, "created_at")));
	}
	return rows;
}

static void add_counts(struct req *r, json_t *ctx, const struct list_params *lp, int64_t total)
{
	int64_t pages = total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	const char *label = total == 0   ? "Aucun foyer n'est encore enregistré."
	                    : total == 1 ? "1 foyer."
	                                 : arena_printf(r->arena, "%lld foyers.", (long long)total);
	const char *by = strcmp(lp->tri, "date") == 0
	                     ? (lp->desc ? "date de création, la plus récente d'abord"
	                                 : "date de création, la plus ancienne d'abord")
	                     : (lp->desc ? "libellé, de Z à A" : "libellé, de A à Z");
	json_object_set_new(ctx, "count_label", json_string(label));
	json_object_set_new(ctx, "page", json_integer(lp->page));
	json_object_set_new(ctx, "pages", json_integer(pages));
	json_object_set_new(ctx, "caption",
	                    json_string(arena_printf(r->arena, "Foyers, page %lld sur %lld, par %s",
	                                             (long long)lp->page, (long long)pages, by)));
	if (lp->page > 1)
		json_object_set_new(ctx, "prev_href", list_url(r, lp->tri, lp->desc, lp->page - 1));
	if (lp->page < pages)
		json_object_set_new(ctx, "next_href", list_url(r, lp->tri, lp->desc, lp->page + 1));
}

void h_households(struct req *r)
{
	struct list_params lp;
	read_list_params(r, &lp);
	int64_t total = 0;
	int err;
	json_t *found = household_list(r->db, &r->who,
	                               strcmp(lp.tri, "date") == 0 ? HOUSEHOLD_ORDER_DATE
	                                                           : HOUSEHOLD_ORDER_LABEL,
	                               lp.desc, (lp.page - 1) * PAGE_SIZE, PAGE_SIZE, &total, &err);
	if (!found) {
		reply_cas_err(r, err);
		return;
	}
	json_t *rows = list_rows(found);
	json_decref(found);
	json_t *ctx = json_pack("{s:b, s:o, s:b}", "has_rows", json_array_size(rows) > 0, "rows",
	                        rows, "can_write", perm_allows(r->who.role, PERM_HOUSEHOLD_WRITE));
	json_object_set_new(ctx, "sort",
	                    json_pack("{s:o, s:o}", "libelle", sort_link(r, &lp, "libelle"), "date",
	                              sort_link(r, &lp, "date")));
	add_counts(r, ctx, &lp, total);
	reply_page(r, 200, "households/list", "Foyers", ctx);
}

/* --- persons found by a search --- */

/* Persons whose name matches q: [{id, nom, prenom, born}]; NULL
 * with *err on failure. */
static json_t *find_persons(struct req *r, const char *q, int *err)
{
	struct person_search s = {.name = q, .order = PERSON_ORDER_NOM, .limit = CANDIDATES_MAX};
	json_t *errors = NULL;
	json_t *found = person_search(r->db, &r->who, &s, err, &errors);
	json_decref(errors);
	if (!found && *err == CAS_EINVAL) { /* an unreadable search finds nobody */
		*err = 0;
		return json_array();
	}
	if (!found)
		return NULL;
	json_t *out = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(found, i, p)
	{
		const char *nom = *input_str(p, "nom_usage") ? input_str(p, "nom_usage")
		                                             : input_str(p, "nom_naissance");
		json_array_append_new(out, json_pack("{s:O, s:s, s:s, s:o}", "id",
		                                     json_object_get(p, "id"), "nom", nom, "prenom",
		                                     input_str(p, "prenom1"), "born",
		                                     born_fr(input_str(p, "date_naissance"))));
	}
	json_decref(found);
	*err = 0;
	return out;
}

static void add_search(struct req *r, json_t *ctx, const char *q, json_t *candidates)
{
	size_t n = json_array_size(candidates);
	json_object_set_new(ctx, "q", json_string(q));
	json_object_set_new(ctx, "searched", json_true());
	json_object_set_new(ctx, "has_candidates", json_boolean(n > 0));
	json_object_set_new(
	    ctx, "count_label",
	    json_string(n == 0   ? "Aucun usager ne correspond à la recherche."
	                : n == 1 ? "1 usager trouvé."
	                         : arena_printf(r->arena, "%zu usagers trouvés%s.", n,
	                                        n == CANDIDATES_MAX ? " (les premiers seulement : "
	                                                              "précisez la recherche)"
	                                                            : "")));
	json_object_set_new(ctx, "candidates", candidates);
}

/* --- creation --- */

/* Adds the person pid (with the households they belong to) to ctx. */
static int add_person(struct req *r, json_t *ctx, int64_t pid)
{
	int err;
	json_t *p = household_person_summary(r->db, &r->who, pid, &err);
	json_t *hh = p ? household_of_person(r->db, &r->who, pid, &err) : NULL;
	if (!hh) {
		json_decref(p);
		return err;
	}
	json_object_set_new(p, "born", born_fr(input_str(p, "date_naissance")));
	json_object_set_new(p, "default_label", json_string(input_str(p, "label")));
	json_object_set_new(ctx, "has_households", json_boolean(json_array_size(hh) > 0));
	size_t i;
	json_t *h;
	json_array_foreach(hh, i, h)
	{
		json_object_set_new(h, "date_sortie", date_fr(input_str(h, "date_sortie")));
	}
	json_object_set_new(p, "households", hh);
	json_object_set_new(ctx, "person", p);
	return 0;
}

/* The creation form for person pid, or the demandeur search when pid is 0.
 * errors and values borrowed. */
static void render_new(struct req *r, int status, int64_t pid, json_t *errors, json_t *values)
{
	int err = 0;
	json_t *ctx = json_object(), *found = NULL;
	const char *q = req_query(r, "q");
	if (pid)
		err = add_person(r, ctx, pid);
	else if (q && *q && (found = find_persons(r, q, &err)) != NULL)
		add_search(r, ctx, q, found);
	if (err != 0) {
		json_decref(ctx);
		reply_cas_err(r, err);
		return;
	}
	char today[11];
	today_iso(today);
	json_t *v = values ? json_deep_copy(values) : json_object();
	if (!*input_str(v, "date_entree"))
		json_object_set_new(v, "date_entree", json_string(today));
	if (errors)
		page_add_form_errors(ctx, errors, v);
	else
		json_object_set(ctx, "values", v);
	json_decref(v);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(ctx, "error_list"), i, e)
	{
		if (!pid) /* the demandeur was refused: back to the search */
			json_object_set_new(e, "anchor", json_string("q"));
	}
	reply_page(r, status, "households/new", "Nouveau foyer", ctx);
}

void h_household_new(struct req *r)
{
	render_new(r, 200, req_query_int(r, "demandeur", 0), NULL, NULL);
}

void h_household_create(struct req *r)
{
	int64_t id;
	json_t *errors = NULL;
	int rc = household_create(r->db, &r->who, r->form, &id, &errors);
	if (rc == CAS_EINVAL && errors) {
		int64_t pid = json_object_get(errors, "demandeur_id")
		                  ? 0
		                  : strtoll(req_form(r, "demandeur_id"), NULL, 10);
		render_new(r, 422, pid, errors, r->form);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, arena_printf(r->arena, "/foyers/%lld", (long long)id),
	                     "foyer_cree");
}

/* --- the household --- */

/* What a refused form left to show again on the household page. */
struct show_state {
	json_t *errors;      /* field -> message, for the summary */
	int64_t exit_member; /* refused exit: the member's id */
	int64_t add_person;  /* refused addition: the person's id */
	json_t *values;      /* the refused form's values */
};

static json_t *relations_json(const char *selected, int has_demandeur)
{
	json_t *list = json_array();
	for (int i = 0; i < REL_COUNT; i++) {
		if (i == REL_DEMANDEUR && has_demandeur)
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", relation_code(i),
		                                      "label", relation_label(i), "selected",
		                                      strcmp(selected, relation_code(i)) == 0));
	}
	return list;
}

/* Formats the members; returns the number of current ones. */
static int64_t shape_members(json_t *h, const struct show_state *st)
{
	int64_t current = 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(h, "members"), i, m)
	{
		int cur = json_is_true(json_object_get(m, "current"));
		int64_t id = json_integer_value(json_object_get(m, "id"));
		current += cur;
		json_object_set_new(m, "naissance_fr", date_fr(input_str(m, "date_naissance")));
		json_object_set_new(m, "entree_fr", date_fr(input_str(m, "date_entree")));
		json_object_set_new(m, "sortie_fr", date_fr(input_str(m, "date_sortie")));
		json_object_set_new(
		    m, "can_exit",
		    json_boolean(cur && strcmp(input_str(m, "relation"), "demandeur") != 0));
		if (st->exit_member == id) {
			json_object_set(m, "exit_error",
			                json_object_get(st->errors, "date_sortie"));
			json_object_set_new(m, "exit_value",
			                    json_string(input_str(st->values, "date_sortie")));
		}
	}
	return current;
}

static int is_current_member(json_t *h, int64_t pid)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(h, "members"), i, m)
	{
		if (json_integer_value(json_object_get(m, "person_id")) == pid &&
		    json_is_true(json_object_get(m, "current")))
			return 1;
	}
	return 0;
}

/* Candidates of the add-member form: the search results, or the person of
 * a refused addition with its errors. */
static json_t *candidates(struct req *r, json_t *h, const struct show_state *st, int *err)
{
	json_t *list;
	*err = 0;
	if (st->add_person) {
		json_t *p = household_person_summary(r->db, &r->who, st->add_person, err);
		list = json_array();
		if (p) {
			json_object_set_new(p, "born", born_fr(input_str(p, "date_naissance")));
			json_array_append_new(list, p);
		}
		*err = 0;
	} else {
		list = find_persons(r, req_query(r, "q"), err);
		if (!list)
			return NULL;
	}
	char today[11];
	today_iso(today);
	int has_demandeur = json_is_integer(json_object_get(h, "demandeur_id"));
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		int refused = st->add_person != 0;
		const char *d = refused ? input_str(st->values, "date_entree") : today;
		json_object_set_new(
		    c, "member",
		    json_boolean(!refused && is_current_member(
		                                 h, json_integer_value(json_object_get(c, "id")))));
		json_object_set_new(c, "relations",
		                    relations_json(refused ? input_str(st->values, "relation") : "",
		                                   has_demandeur));
		json_object_set_new(c, "date_entree", json_string(d));
		if (refused)
			json_object_set(c, "errs", st->errors);
	}
	return list;
}

/* Dossiers of the household, newest first (empty without the permission). */
static json_t *household_dossiers(struct req *r, int64_t hid, int *err)
{
	*err = 0;
	if (!perm_allows(r->who.role, PERM_DOSSIER_READ))
		return json_array();
	struct dossier_query q = {
	    .household_id = hid, .order = DOSSIER_ORDER_DATE, .desc = 1, .limit = 100};
	json_t *errors = NULL;
	json_t *rows = dossier_list(r->db, &r->who, &q, NULL, err, &errors);
	json_decref(errors);
	size_t i;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		json_object_set_new(d, "created_fr", timestamp_fr(d, "created_at"));
	}
	return rows;
}

/* Anchors of the summary's links when the fields carry a suffix. */
static void suffix_anchors(json_t *ctx, int64_t suffix)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(ctx, "error_list"), i, e)
	{
		const char *field = input_str(e, "field");
		json_object_set_new(e, "anchor",
		                    strcmp(field, "person_id") == 0
		                        ? json_string("member-q")
		                        : json_sprintf("%s-%lld", field, (long long)suffix));
	}
}

static void render_household(struct req *r, int status, int64_t id, const struct show_state *st)
{
	int err;
	json_t *h = household_get(r->db, &r->who, id, &err);
	json_t *dossiers = h ? household_dossiers(r, id, &err) : NULL;
	int can_write = perm_allows(r->who.role, PERM_HOUSEHOLD_WRITE);
	int searching = can_write && (st->add_person || (req_query(r, "q") && *req_query(r, "q")));
	json_t *cands = dossiers && searching ? candidates(r, h, st, &err) : NULL;
	if (!h || !dossiers || (searching && !cands)) {
		json_decref(h);
		json_decref(dossiers);
		reply_cas_err(r, err);
		return;
	}
	int64_t current = shape_members(h, st);
	json_object_set_new(h, "created_fr", timestamp_fr(h, "created_at"));
	json_t *ctx = json_pack("{s:O, s:O, s:I, s:b, s:b, s:b, s:b, s:o}", "household", h,
	                        "members", json_object_get(h, "members"), "current_count",
	                        (json_int_t)current, "can_write", can_write, "can_read_dossiers",
	                        perm_allows(r->who.role, PERM_DOSSIER_READ), "can_create_dossier",
	                        perm_allows(r->who.role, PERM_DOSSIER_CREATE), "has_dossiers",
	                        json_array_size(dossiers) > 0, "dossiers", dossiers);
	if (cands && !st->add_person)
		add_search(r, ctx, req_query(r, "q"), cands);
	else if (cands)
		json_object_set_new(ctx, "candidates", cands);
	if (st->errors) {
		page_add_form_errors(ctx, st->errors, st->values);
		suffix_anchors(ctx, st->exit_member ? st->exit_member : st->add_person);
	}
	reply_page(r, status, "households/show", input_str(h, "label"), ctx);
	json_decref(h);
}

void h_household_show(struct req *r)
{
	struct show_state st = {0};
	render_household(r, 200, r->ids[0], &st);
}

void h_household_member_add(struct req *r)
{
	int64_t mid;
	json_t *errors = NULL;
	int rc = household_add_member(r->db, &r->who, r->ids[0], r->form, &mid, &errors);
	if (rc == CAS_EINVAL && errors) {
		struct show_state st = {.errors = errors, .values = r->form};
		st.add_person = strtoll(req_form(r, "person_id"), NULL, 10);
		if (st.add_person < 0)
			st.add_person = 0;
		render_household(r, 422, r->ids[0], &st);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r,
	                     arena_printf(r->arena, "/foyers/%lld#membres", (long long)r->ids[0]),
	                     "membre_ajoute");
}

void h_household_member_exit(struct req *r)
{
	json_t *errors = NULL;
	int rc = household_member_exit(r->db, &r->who, r->ids[0], r->ids[1], r->form, &errors);
	if (rc == CAS_EINVAL && errors) {
		struct show_state st = {
		    .errors = errors, .values = r->form, .exit_member = r->ids[1]};
		render_household(r, 422, r->ids[0], &st);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r,
	                     arena_printf(r->arena, "/foyers/%lld#membres", (long long)r->ids[0]),
	                     "membre_sorti");
}
