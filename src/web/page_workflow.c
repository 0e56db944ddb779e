/* The instruction workflow on the pages: the actions of the dossier page
 * (POST /dossiers/{id}/etat, page_dossiers.c), "Mes dossiers", and the
 * instruction settings of the CCAS (page_settings.c). */
#include <stdio.h>
#include <string.h>

#include "app/dossiers.h"
#include "app/input.h"
#include "app/workflow.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/dossier.h"
#include "domain/money.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_workflow.h"
#include "web/reply.h"
#include "web/req.h"

static int64_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void set_money(json_t *o, const char *key, const json_t *d, const char *from)
{
	char out[MONEY_FMT_SIZE];
	if (!json_is_integer(json_object_get(d, from)))
		return;
	money_format(int_of(d, from), out, sizeof(out));
	json_object_set_new(o, key, json_string(out));
}

static void set_date(json_t *o, const char *key, const json_t *d, const char *from)
{
	char out[FR_DATETIME_SIZE];
	if (!int_of(d, from))
		return;
	fr_date(int_of(d, from), out);
	json_object_set_new(o, key, json_string(out));
}

/* "2026-03-15" -> "15/03/2026" */
static void set_iso_date(json_t *o, const char *key, const char *iso)
{
	char out[16];
	if (strlen(iso) != 10)
		return;
	snprintf(out, sizeof(out), "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	json_object_set_new(o, key, json_string(out));
}

static json_t *proposal_view(const json_t *d)
{
	json_t *p =
	    json_pack("{s:s, s:s, s:s}", "code", str_of(d, "proposition"), "label",
	              str_of(d, "proposition_label"), "by", str_of(d, "instructed_by_name"));
	set_money(p, "montant_fr", d, "montant_propose");
	set_date(p, "at_fr", d, "instructed_at");
	if (*str_of(d, "appreciation"))
		json_object_set_new(p, "appreciation", json_string(str_of(d, "appreciation")));
	if (int_of(d, "evaluation_id"))
		json_object_set_new(p, "evaluation_id", json_integer(int_of(d, "evaluation_id")));
	return p;
}

static json_t *decision_view(const json_t *d)
{
	json_t *v = json_pack("{s:s, s:s, s:s, s:b}", "code", str_of(d, "decision"), "label",
	                      str_of(d, "decision_label"), "by", str_of(d, "decided_by_name"),
	                      "a_rapporter", int_of(d, "a_rapporter") != 0);
	set_money(v, "montant_fr", d, "montant_accorde");
	set_date(v, "at_fr", d, "decided_at");
	if (*str_of(d, "motif_decision"))
		json_object_set_new(v, "motif", json_string(str_of(d, "motif_decision")));
	return v;
}

static const char *motif_label(const char *to)
{
	if (strcmp(to, "en_attente_pieces") == 0)
		return "Pièces demandées au demandeur";
	if (strcmp(to, "cloture") == 0)
		return "Motif du classement sans suite";
	if (strcmp(to, "decide") == 0)
		return "Motif (obligatoire pour un refus ou un ajournement ; il figure dans la "
		       "lettre)";
	return "Motif de la reprise de l'instruction";
}

static json_t *options(int n, const char *(*code)(int), const char *(*label)(int),
                       const char *selected)
{
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", code(i), "label",
		                                      label(i), "selected",
		                                      strcmp(code(i), selected) == 0));
	return list;
}

static const char *prop_code(int i)
{
	return dossier_proposal_code((enum dossier_proposal)i);
}
static const char *prop_label(int i)
{
	return dossier_proposal_label((enum dossier_proposal)i);
}
static const char *dec_code(int i)
{
	return dossier_decision_code((enum dossier_decision)i);
}
static const char *dec_label(int i)
{
	return dossier_decision_label((enum dossier_decision)i);
}

/* The default amount of a form: the one proposed for a decision, the one
 * asked for a proposal. */
static void default_amount(json_t *values, const json_t *d, const char *to)
{
	char out[MONEY_FMT_SIZE];
	const char *key = strcmp(to, "decide") == 0 ? "montant_propose" : "montant_demande";
	if (json_object_get(values, "montant") || !json_is_integer(json_object_get(d, key)) ||
	    int_of(d, key) <= 0)
		return;
	money_format_plain(int_of(d, key), out, sizeof(out));
	for (char *c = out; *c; c++)
		if (*c == '.')
			*c = ',';
	json_object_set_new(values, "montant", json_string(out));
}

/* Error summary links point at the fields of the refused action form (a
 * radio group: its first button). A refused transition itself ("to": four
 * eyes, a state changed meanwhile) has no field: it is shown as an alert in
 * the action's box, without a summary. */
static void anchor_errors(json_t *ctx, const char *form_id, json_t *errors)
{
	size_t i;
	json_t *e;
	if (json_object_get(errors, "to")) {
		json_object_del(ctx, "errors");
		json_object_del(ctx, "error_list");
		return;
	}
	json_array_foreach(json_object_get(ctx, "error_list"), i, e)
	{
		const char *field = str_of(e, "field");
		char anchor[96];
		if (strcmp(field, "proposition") == 0)
			field = "proposition-accord";
		else if (strcmp(field, "decision") == 0)
			field = "decision-accorde";
		else if (strcmp(field, "montant_centimes") == 0)
			field = "montant";
		snprintf(anchor, sizeof(anchor), "%s-%s", form_id, field);
		json_object_set_new(e, "anchor", json_string(anchor));
	}
}

static void shape_action(json_t *ctx, json_t *a, const json_t *d, json_t *errors, json_t *values)
{
	const char *to = str_of(a, "to");
	char form_id[48];
	snprintf(form_id, sizeof(form_id), "action-%s", to);
	json_object_set_new(a, "form_id", json_string(form_id));
	json_object_set_new(a, "motif_label", json_string(motif_label(to)));
	int mine = errors && strcmp(str_of(values, "etat"), to) == 0;
	json_t *v = mine ? json_deep_copy(values) : json_object();
	/* always set: the lookup would otherwise find the page's own */
	json_object_set_new(a, "errors", mine ? json_incref(errors) : json_object());
	if (mine)
		anchor_errors(ctx, form_id, errors);
	default_amount(v, d, to);
	if (json_is_true(json_object_get(a, "needs_proposal")))
		json_object_set_new(
		    a, "proposals",
		    options(DP_COUNT, prop_code, prop_label, str_of(v, "proposition")));
	if (json_is_true(json_object_get(a, "needs_decision")))
		json_object_set_new(a, "decisions",
		                    options(DD_COUNT, dec_code, dec_label, str_of(v, "decision")));
	json_object_set_new(a, "values", v);
}

void page_workflow_dossier_ctx(struct req *r, json_t *ctx, const json_t *d, json_t *errors,
                               json_t *values)
{
	json_t *wf = json_object();
	set_iso_date(wf, "depose_fr", str_of(d, "depose_le"));
	set_iso_date(wf, "due_fr", str_of(d, "due"));
	set_date(wf, "notified_fr", d, "notified_at");
	if (*str_of(d, "proposition"))
		json_object_set_new(wf, "proposal", proposal_view(d));
	if (*str_of(d, "decision"))
		json_object_set_new(wf, "decision", decision_view(d));
	json_t *actions = json_deep_copy(json_object_get(d, "actions"));
	size_t i;
	json_t *a;
	json_array_foreach(actions, i, a)
	{
		shape_action(ctx, a, d, errors, values);
	}
	json_object_set_new(wf, "has_actions", json_boolean(json_array_size(actions) > 0));
	json_object_set_new(wf, "actions", actions ? actions : json_array());
	json_object_set_new(ctx, "wf", wf);
}

void page_workflow_settings_values(struct req *r, json_t *values)
{
	int err;
	json_t *s = workflow_settings_get(r->db, &r->who, &err);
	if (!s)
		return;
	json_object_update(values, s);
	json_decref(s);
}

/* ---- mes dossiers ---- */

void h_my_dossiers(struct req *r)
{
	int err;
	json_t *rows = workflow_my_dossiers(r->db, &r->who, &err);
	if (!rows) {
		reply_cas_err(r, err);
		return;
	}
	size_t i, late = 0;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		set_iso_date(d, "due_fr", str_of(d, "due"));
		late += json_is_true(json_object_get(d, "overdue"));
	}
	json_t *ctx = json_pack("{s:o, s:b, s:I}", "rows", rows, "has_rows",
	                        json_array_size(rows) > 0, "late", (json_int_t)late);
	reply_page(r, 200, "workflow/mine", "Mes dossiers", ctx);
}

/* ---- the emergency short path on the aid page ---- */

void page_workflow_aid_ctx(struct req *r, json_t *ctx, int64_t aid_type_id)
{
	int on = 0;
	if (workflow_aid_urgence(r->db, &r->who, aid_type_id, &on) != 0)
		return;
	json_object_set_new(ctx, "urgence",
	                    json_pack("{s:b, s:I}", "on", on, "aid_id", (json_int_t)aid_type_id));
}

void h_aid_urgence(struct req *r)
{
	int on = strcmp(req_form(r, "urgence"), "1") == 0;
	int rc = workflow_aid_urgence_set(r->db, &r->who, r->ids[0], on);
	if (rc != 0) {
		reply_cas_err(r, rc);
		return;
	}
	reply_redirect_flash(r, arena_printf(r->arena, "/admin/aides/%lld", (long long)r->ids[0]),
	                     "enregistre");
}
