/* The export of a person's data (droit d'accès): gathering, audit and
 * access log. The PDF is person_export_pdf.c, the erasure person_erase.c. */
#include "app/person_export.h"

#include <string.h>

#include "app/access_log.h"
#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/payments.h"
#include "app/person_export_internal.h"
#include "app/retention.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/access_store.h"
#include "store/consultation_store.h"
#include "store/db.h"
#include "store/document_store.h"
#include "store/dossier_store.h"
#include "store/household_store.h"
#include "store/letter_store.h"
#include "store/payment_store.h"
#include "store/person_rights_store.h"
#include "store/person_store.h"
#include "store/retention_store.h"
#include "store/tenant_store.h"
#include "store/verification_store.h"

#define FORMAT_NAME    "cassis-export-personne"
#define FORMAT_VERSION 1
#define MANY           100000 /* rows of a list: every one */

const struct person_export_table person_export_tables[] = {
    {"persons", "personne"},
    {"households", "foyers[]"},
    {"household_members", "foyers[] (relation, dates) et foyers[].membres[]"},
    {"payees", "comptes_bancaires[] et dossiers[].paiements[].titulaire"},
    {"dossiers", "dossiers[]"},
    {"dossier_lines", "dossiers[].lignes[]"},
    {"dossier_events", "dossiers[].notes[] et dossiers[].historique[]"},
    {"evaluations", "dossiers[].evaluations[]"},
    {"commission_items", "dossiers[].commission[]"},
    {"letters", "dossiers[].courriers[] (sans le PDF)"},
    {"documents", "dossiers[].pieces[] (sans le contenu)"},
    {"document_requests", "dossiers[].demandes_pieces[]"},
    {"payments", "dossiers[].paiements[]"},
    {"payment_vouchers", "dossiers[].paiements[].bons[]"},
    {"consultations", "dossiers[].consultations[]"},
    {"verifications", "dossiers[].verifications[]"},
    {"legal_holds", "dossiers[].gels_conservation[]"},
    {"access_log", "journal_acces[]"},
    {"audit_log", "journal_audit[]"},
    {NULL, NULL},
};

/* --- small helpers --- */

static int64_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Replaces o[key], a JSON text, by the value it holds (left as it is when
 * it does not parse). */
static void parse_text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	json_t *v = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
	if (v)
		json_object_set_new(o, key, v);
}

static void parse_texts(json_t *rows, const char *key)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) parse_text(row, key);
}

/* Timestamps (keys "at", "*_at", "state_since": unix seconds) become RFC
 * 3339 strings, everywhere in v. */
static int is_time_key(const char *key)
{
	size_t n = strlen(key);
	return strcmp(key, "at") == 0 || strcmp(key, "state_since") == 0 ||
	       (n > 3 && strcmp(key + n - 3, "_at") == 0);
}

static void timestamps_rfc3339(json_t *v)
{
	const char *key;
	json_t *child;
	size_t i;
	if (json_is_array(v)) {
		json_array_foreach(v, i, child) timestamps_rfc3339(child);
		return;
	}
	json_object_foreach(v, key, child)
	{
		if (json_is_integer(child) && is_time_key(key)) {
			char out[32];
			clock_rfc3339(json_integer_value(child), out);
			json_object_set_new(v, key, json_string(out));
		} else if (json_is_object(child) || json_is_array(child)) {
			timestamps_rfc3339(child);
		}
	}
}

/* Sets o[key] to v (stolen); a NULL v (a failed read) fails the export. */
static int put(json_t *o, const char *key, json_t *v)
{
	if (!v)
		return CAS_EDB;
	json_object_set_new(o, key, v);
	return 0;
}

/* --- households --- */

/* The members of a household, without the birth dates of the others (third
 * parties): [{person_id, nom, prenom, relation, date_entree, date_sortie}]. */
static json_t *members_of(struct db *db, int64_t tenant_id, int64_t household_id, int64_t person_id)
{
	json_t *rows = household_store_members(db, tenant_id, household_id);
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m)
	{
		json_object_del(m, "id");
		if (int_of(m, "person_id") != person_id)
			json_object_del(m, "date_naissance");
	}
	return rows;
}

static json_t *households(struct db *db, int64_t tenant_id, int64_t person_id)
{
	json_t *rows = household_store_by_person(db, tenant_id, person_id);
	size_t i;
	json_t *h;
	json_array_foreach(rows, i, h)
	{
		json_t *members = members_of(db, tenant_id, int_of(h, "id"), person_id);
		if (put(h, "membres", members) != 0) {
			json_decref(rows);
			return NULL;
		}
	}
	return rows;
}

/* The person's own bank details, IBAN in full. */
static json_t *own_payees(struct db *db, int64_t tenant_id, int64_t person_id)
{
	json_t *rows = payee_store_for_person(db, tenant_id, person_id);
	json_t *out = rows ? json_array() : NULL;
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p)
	{
		if (int_of(p, "person_id") == person_id)
			json_array_append(out, p);
	}
	json_decref(rows);
	return out;
}

/* --- dossiers --- */

/* The payee of a payment: the person's own IBAN in full, a third party's
 * masked. */
static json_t *payee_of(struct db *db, int64_t tenant_id, int64_t payee_id, int64_t person_id)
{
	int err;
	json_t *p = payee_store_get(db, tenant_id, payee_id, &err);
	if (p && int_of(p, "person_id") != person_id) {
		char masked[64];
		payment_iban_mask(input_str(p, "iban"), masked);
		json_object_set_new(p, "iban", json_string(masked));
	}
	return p;
}

static json_t *payments(struct db *db, int64_t tenant_id, int64_t dossier_id, int64_t person_id)
{
	json_t *rows = payment_store_for_dossier(db, tenant_id, dossier_id);
	size_t i;
	json_t *p;
	json_array_foreach(rows, i, p)
	{
		int rc = 0;
		if (int_of(p, "payee_id"))
			rc = put(p, "titulaire",
			         payee_of(db, tenant_id, int_of(p, "payee_id"), person_id));
		if (rc == 0 && strcmp(input_str(p, "mode"), "nature") == 0)
			rc = put(p, "bons", payment_store_vouchers(db, tenant_id, int_of(p, "id")));
		if (rc != 0) {
			json_decref(rows);
			return NULL;
		}
	}
	return rows;
}

/* The dossier's consultations of the State APIs (the parameters sent and
 * the minimised answer as JSON; the proof's signature left out); only those
 * that sent the person's identity when person_id is not 0. */
static json_t *consultations(struct db *db, int64_t tenant_id, int64_t dossier_id,
                             int64_t person_id)
{
	json_t *rows = consultation_store_list(db, tenant_id, dossier_id, MANY);
	json_t *out = rows ? json_array() : NULL;
	size_t i;
	json_t *c;
	json_array_foreach(rows, i, c)
	{
		if (person_id && int_of(c, "person_id") != person_id)
			continue;
		json_object_del(c, "signature");
		json_object_del(c, "public_key");
		parse_text(c, "parameters");
		parse_text(c, "response");
		json_array_append(out, c);
	}
	json_decref(rows);
	return out;
}

/* Notes (kind "note") apart from the rest of the timeline. */
static int timeline(struct db *db, int64_t tenant_id, json_t *d)
{
	json_t *events = dossier_store_events(db, tenant_id, int_of(d, "id"));
	if (!events)
		return CAS_EDB;
	json_t *notes = json_array(), *rest = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e)
	    json_array_append(strcmp(input_str(e, "kind"), "note") == 0 ? notes : rest, e);
	json_decref(events);
	json_object_set_new(d, "notes", notes);
	json_object_set_new(d, "historique", rest);
	return 0;
}

static int documents(struct db *db, int64_t tenant_id, json_t *d)
{
	int64_t id = int_of(d, "id");
	int rc = put(d, "courriers", letter_store_list(db, tenant_id, id));
	if (rc == 0)
		rc = put(d, "pieces", document_store_list(db, tenant_id, id));
	json_t *reqs = rc == 0 ? document_store_requests(db, tenant_id, id) : NULL;
	parse_texts(reqs, "pieces");
	return rc == 0 ? put(d, "demandes_pieces", reqs) : rc;
}

/* Everything about a dossier the person applied for. */
static int full_dossier(struct db *db, int64_t tenant_id, int64_t person_id, json_t *d)
{
	int64_t id = int_of(d, "id");
	json_t *evals = prs_evaluations(db, tenant_id, id);
	parse_texts(evals, "inputs");
	parse_texts(evals, "result");
	int rc = put(d, "lignes", dossier_store_lines(db, tenant_id, id));
	if (rc == 0)
		rc = timeline(db, tenant_id, d);
	if (rc == 0)
		rc = put(d, "evaluations", json_incref(evals));
	if (rc == 0)
		rc = put(d, "commission", prs_commission_items(db, tenant_id, id));
	if (rc == 0)
		rc = documents(db, tenant_id, d);
	if (rc == 0)
		rc = put(d, "paiements", payments(db, tenant_id, id, person_id));
	if (rc == 0)
		rc = put(d, "consultations", consultations(db, tenant_id, id, 0));
	if (rc == 0)
		rc = put(d, "verifications", verification_store_list(db, tenant_id, id, MANY));
	if (rc == 0)
		rc = put(d, "gels_conservation", retention_store_holds_of(db, tenant_id, id));
	json_decref(evals);
	return rc;
}

/* A dossier of someone else where the person appears (a member of the
 * household, a person whose identity was sent): its header, the budget of
 * the household (member), the consultations about them. */
static const char *const header_keys[] = {
    "id",         "numero",   "household_id",    "household_label", "aide_code",
    "aide",       "motif",    "state",           "montant_demande", "depose_le",
    "created_at", "decision", "montant_accorde", "decided_at",      "notified_at",
    NULL,
};

static json_t *partial_dossier(struct db *db, int64_t tenant_id, int64_t person_id, json_t *d,
                               const char *role)
{
	json_t *out = json_object();
	for (int i = 0; header_keys[i]; i++) {
		json_t *v = json_object_get(d, header_keys[i]);
		json_object_set(out, header_keys[i], v ? v : json_null());
	}
	json_object_set_new(out, "role", json_string(role));
	int64_t id = int_of(d, "id");
	int rc = 0;
	if (strcmp(role, PX_ROLE_MEMBER) == 0)
		rc = put(out, "lignes", dossier_store_lines(db, tenant_id, id));
	if (rc == 0)
		rc = put(out, "consultations", consultations(db, tenant_id, id, person_id));
	if (rc != 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static json_t *one_dossier(struct db *db, int64_t tenant_id, int64_t person_id, const char *role,
                           int64_t id)
{
	int err;
	json_t *d = dossier_store_get(db, tenant_id, id, &err);
	if (!d)
		return NULL;
	if (strcmp(role, PX_ROLE_APPLICANT) != 0) {
		json_t *p = partial_dossier(db, tenant_id, person_id, d, role);
		json_decref(d);
		return p;
	}
	json_object_set_new(d, "role", json_string(role));
	if (full_dossier(db, tenant_id, person_id, d) != 0) {
		json_decref(d);
		return NULL;
	}
	return d;
}

/* How long the dossier (r, a row of px_dossiers) is kept: d["conservation"]
 * = {texte, jusqu_au ("YYYY-MM-DD", null while open or held)}. */
static int retention_of(struct db *db, int64_t tenant_id, const struct retention_table *t,
                        const json_t *r, json_t *d)
{
	char text[256], until[11];
	int rc = px_kept_until(db, tenant_id, t, r, text, sizeof(text), until);
	if (rc == 0)
		json_object_set_new(d, "conservation",
		                    json_pack("{s:s, s:o}", "texte", text, "jusqu_au",
		                              *until ? json_string(until) : json_null()));
	return rc;
}

static json_t *dossier_list(struct db *db, int64_t tenant_id, int64_t person_id,
                            const struct retention_table *t, json_t *rows)
{
	json_t *out = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		json_t *d =
		    one_dossier(db, tenant_id, person_id, input_str(r, "role"), int_of(r, "id"));
		if (!d || retention_of(db, tenant_id, t, r, d) != 0) {
			json_decref(d);
			json_decref(out);
			return NULL;
		}
		json_array_append_new(out, d);
	}
	return out;
}

static json_t *dossiers(struct db *db, int64_t tenant_id, int64_t person_id)
{
	struct retention_table t;
	json_t *rows = px_dossiers(db, tenant_id, person_id), *out = NULL;
	if (rows && retention_table_load(db, tenant_id, &t) == 0) {
		out = dossier_list(db, tenant_id, person_id, &t, rows);
		retention_table_free(&t);
	}
	json_decref(rows);
	return out;
}

/* --- logs --- */

static json_t *access_entries(struct db *db, int64_t tenant_id, int64_t person_id)
{
	struct access_filter f = {.person_id = person_id, .asc = 1, .limit = MANY};
	json_t *rows = access_store_search(db, tenant_id, &f, NULL);
	json_t *out = rows ? json_array() : NULL;
	size_t i;
	json_t *a;
	json_array_foreach(rows, i, a)
	{
		json_t *name = json_object_get(a, "actor_name");
		json_array_append_new(
		    out,
		    json_pack("{s:O, s:O, s:O, s:O, s:O}", "at", json_object_get(a, "at"), "agent",
		              json_is_string(name) ? name : json_object_get(a, "actor_label"),
		              "object_type", json_object_get(a, "object_type"), "object_id",
		              json_object_get(a, "object_id"), "route",
		              json_object_get(a, "route")));
	}
	json_decref(rows);
	return out;
}

static json_t *audit_entries(struct db *db, int64_t tenant_id, int64_t person_id)
{
	json_t *rows = prs_audit(db, tenant_id, person_id);
	parse_texts(rows, "changes");
	return rows;
}

/* --- the document --- */

static json_t *header(struct db *db, const struct actor *who)
{
	int err;
	json_t *t = tenant_store_get(db, who->tenant_id, &err);
	if (!t)
		return NULL;
	char now[32];
	clock_rfc3339(clock_now(), now);
	json_t *doc = json_pack("{s:s, s:i, s:s, s:s, s:{s:O, s:O}}", "format", FORMAT_NAME,
	                        "version", FORMAT_VERSION, "genere_le", now, "genere_par",
	                        *who->display_name ? who->display_name : who->label, "ccas", "nom",
	                        json_object_get(t, "name"), "siret", json_object_get(t, "siret"));
	json_decref(t);
	return doc;
}

static int build(struct db *db, const struct actor *who, int64_t id, json_t **out)
{
	int64_t t = who->tenant_id;
	int rc;
	json_t *person = person_store_get(db, t, id, &rc);
	if (!person)
		return rc;
	json_t *doc = header(db, who);
	rc = put(doc, "personne", person);
	if (rc == 0)
		rc = put(doc, "foyers", households(db, t, id));
	if (rc == 0)
		rc = put(doc, "comptes_bancaires", own_payees(db, t, id));
	if (rc == 0)
		rc = put(doc, "dossiers", dossiers(db, t, id));
	if (rc == 0)
		rc = put(doc, "journal_acces", access_entries(db, t, id));
	if (rc == 0)
		rc = put(doc, "journal_audit", audit_entries(db, t, id));
	if (rc != 0) {
		json_decref(doc);
		return rc;
	}
	timestamps_rfc3339(doc);
	*out = doc;
	return 0;
}

/* The reads the export makes, in the access log: the person, each
 * dossier, each consultation record. */
static void log_reads(struct db *db, const struct actor *who, int64_t id, const json_t *doc)
{
	size_t i, j;
	json_t *d, *c;
	access_log_read(db, who, "person", id);
	json_array_foreach(json_object_get(doc, "dossiers"), i, d)
	{
		access_log_read_about(db, who, "dossier", int_of(d, "id"), id);
		json_array_foreach(json_object_get(d, "consultations"), j, c)
		    access_log_read_about(db, who, "consultation", int_of(c, "id"), id);
	}
}

int person_export(struct db *db, const struct actor *who, int64_t id,
                  enum person_export_format format, json_t **doc)
{
	*doc = NULL;
	if (!perm_allows(who->role, PERM_PERSON_EXPORT) || !who->tenant_id)
		return CAS_EPERM;
	json_t *out = NULL;
	access_log_flush(db); /* the reads other requests queued */
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = build(db, who, id, &out);
	if (rc == 0)
		rc = audit_write(
		    db, who, "export_donnees", "person", id,
		    json_pack("{s:[ns]}", "format", format == PERSON_EXPORT_PDF ? "pdf" : "json"));
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc != 0) {
		json_decref(out);
		return rc;
	}
	log_reads(db, who, id, out);
	*doc = out;
	return 0;
}
