/* Commission sessions and their agenda: creating and editing a session,
 * the list, the session with its agenda, the dossiers that may be put on
 * it, putting them on and taking them off (through the workflow). */
#include "app/commission.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/commission_internal.h"
#include "app/input.h"
#include "app/workflow.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "domain/dossier.h"
#include "domain/pdate.h"
#include "store/commission_store.h"
#include "store/db.h"
#include "store/dossier_store.h"

#define LIEU_MAX       200  /* characters */
#define MEMBRES_MAX    4000 /* characters of the members' text */
#define MEMBERS_MAX    40   /* lines */
#define CANDIDATES_MAX 500

/* ---- shared helpers ---- */

const char *cm_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

int64_t cm_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

int cm_finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int cm_open_session(struct db *db, const struct actor *who, int64_t id, json_t **session)
{
	int rc;
	*session = commission_store_get(db, who->tenant_id, id, &rc);
	if (!*session)
		return rc;
	if (strcmp(cm_str(*session, "state"), "close") == 0) {
		json_decref(*session);
		*session = NULL;
		return CAS_ECONFLICT;
	}
	return 0;
}

void cm_date_fr(const char *iso, char *out, size_t size)
{
	int y, m, d;
	if (ymd_parse_iso(iso, &y, &m, &d) != 0) {
		snprintf(out, size, "%s", iso ? iso : "");
		return;
	}
	snprintf(out, size, "%02d/%02d/%04d", d % 100, m % 100, y % 10000);
}

void cm_date_long(const char *iso, char *out, size_t size)
{
	static const char *const days[] = {"jeudi", "vendredi", "samedi",  "dimanche",
	                                   "lundi", "mardi",    "mercredi"};
	static const char *const months[] = {"janvier",   "février", "mars",     "avril",
	                                     "mai",       "juin",    "juillet",  "août",
	                                     "septembre", "octobre", "novembre", "décembre"};
	int y, m, d;
	if (ymd_parse_iso(iso, &y, &m, &d) != 0) {
		snprintf(out, size, "%s", iso ? iso : "");
		return;
	}
	int w = ((day_number(y, m, d) % 7) + 7) % 7; /* 1970-01-01 was a Thursday */
	snprintf(out, size, "%s %d%s %s %d", days[w], d, d == 1 ? "er" : "", months[m - 1], y);
}

const char *commission_state_label(const char *state)
{
	static const char *const t[][2] = {
	    {"planifiee", "Planifiée"}, {"tenue", "Tenue"}, {"close", "Close"}};
	for (size_t i = 0; state && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i][0], state) == 0)
			return t[i][1];
	return "";
}

/* ---- the session's fields ---- */

struct session_in {
	char date[11];
	char heure[6];
	const char *lieu;
	json_t *membres; /* [{nom, qualite}] */
};

static void read_date(json_t *in, struct session_in *s, json_t *errs)
{
	const char *t = input_str(in, "date_seance");
	struct pdate p = {0, 0, 0};
	if (ymd_parse_iso(t, &p.year, &p.month, &p.day) != 0 &&
	    (pdate_parse(t, &p, NULL) != 0 || !p.month || !p.day))
		p.year = 0;
	if (p.year < 2000 || p.year > 2100) {
		input_error(errs, "date_seance", "Indiquez la date de la séance (JJ/MM/AAAA).");
		return;
	}
	pdate_iso(&p, s->date);
}

static int digits2(const char *t, size_t *i, int *v)
{
	int n = 0;
	*v = 0;
	while (n < 2 && t[*i] >= '0' && t[*i] <= '9') {
		*v = *v * 10 + (t[*i] - '0');
		(*i)++;
		n++;
	}
	return n;
}

/* "14:30", "14h30", "14h", "9:05"; "" for none. */
static void read_time(json_t *in, struct session_in *s, json_t *errs)
{
	const char *t = input_str(in, "heure");
	size_t i = 0;
	int h, mi = 0, nh = digits2(t, &i, &h), nm = 0;
	s->heure[0] = '\0';
	if (!*t)
		return;
	int sep = t[i] == ':' || t[i] == 'h' || t[i] == 'H';
	if (sep) {
		i++;
		nm = digits2(t, &i, &mi);
	}
	if (!nh || !sep || t[i] || (nm != 0 && nm != 2) || (nm == 0 && t[i - 1] == ':') || h > 23 ||
	    mi > 59) {
		input_error(errs, "heure",
		            "Indiquez l'heure de la séance (HH:MM), ou laissez vide.");
		return;
	}
	s->heure[0] = (char)('0' + h / 10);
	s->heure[1] = (char)('0' + h % 10);
	s->heure[2] = ':';
	s->heure[3] = (char)('0' + mi / 10);
	s->heure[4] = (char)('0' + mi % 10);
	s->heure[5] = '\0';
}

static json_t *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return json_stringn(s, n);
}

/* One line "Name, qualité" (the qualité optional). */
static void add_member(json_t *list, const char *line, size_t n)
{
	const char *comma = memchr(line, ',', n);
	size_t name_len = comma ? (size_t)(comma - line) : n;
	json_t *nom = trimmed(line, name_len);
	json_t *qualite = comma ? trimmed(comma + 1, n - name_len - 1) : json_string("");
	if (nom && qualite && (json_string_length(nom) || json_string_length(qualite)))
		json_array_append_new(list,
		                      json_pack("{s:o, s:o}", "nom", nom, "qualite", qualite));
	else {
		json_decref(nom);
		json_decref(qualite);
	}
}

static void read_members(json_t *in, struct session_in *s, json_t *errs)
{
	const char *t = input_str(in, "membres");
	s->membres = json_array();
	if (utf8_strlen(t) > MEMBRES_MAX) {
		input_error(errs, "membres",
		            "La liste des membres tient en 4 000 caractères au plus.");
		return;
	}
	while (*t) {
		size_t n = strcspn(t, "\r\n");
		add_member(s->membres, t, n);
		t += n;
		t += strspn(t, "\r\n");
	}
	if (json_array_size(s->membres) > MEMBERS_MAX)
		input_error(errs, "membres", "Indiquez 40 membres au plus, un par ligne.");
}

static void read_session(json_t *in, struct session_in *s, json_t *errs)
{
	memset(s, 0, sizeof(*s));
	read_date(in, s, errs);
	read_time(in, s, errs);
	s->lieu = input_str(in, "lieu");
	if (!*s->lieu || utf8_strlen(s->lieu) > LIEU_MAX || strpbrk(s->lieu, "\r\n"))
		input_error(errs, "lieu",
		            "Indiquez le lieu de la séance (une ligne de 200 caractères "
		            "au plus).");
	read_members(in, s, errs);
}

/* Validates in; CAS_EINVAL with *errors when invalid (s->membres freed). */
static int validate(json_t *in, struct session_in *s, json_t **errors)
{
	json_t *errs = json_object();
	read_session(in, s, errs);
	if (!json_object_size(errs)) {
		json_decref(errs);
		return 0;
	}
	json_decref(s->membres);
	s->membres = NULL;
	*errors = errs;
	return CAS_EINVAL;
}

/* ---- creating and editing ---- */

int commission_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                      json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_COMMISSION_MANAGE) || !who->tenant_id)
		return CAS_EPERM;
	struct session_in s;
	int rc = validate(in, &s, errors);
	if (rc != 0)
		return rc;
	char *membres = json_dumps(s.membres, JSON_COMPACT);
	struct commission_row row = {s.date, s.heure, s.lieu, membres};
	rc = db_begin(db);
	if (rc == 0) {
		rc = commission_store_insert(db, who->tenant_id, &row, who->user_id, clock_now(),
		                             id);
		if (rc == 0)
			rc = audit_write(db, who, "creation", "commission", *id,
			                 json_pack("{s:[ns], s:[ns], s:[ns], s:[nO]}",
			                           "date_seance", s.date, "heure", s.heure, "lieu",
			                           s.lieu, "membres", s.membres));
		rc = cm_finish(db, rc);
	}
	json_free_text(membres);
	json_decref(s.membres);
	return rc;
}

static int apply_update(struct db *db, const struct actor *who, int64_t id, json_t *before,
                        const struct session_in *s)
{
	char *membres = json_dumps(s->membres, JSON_COMPACT);
	json_t *after = json_pack("{s:s, s:s, s:s, s:s}", "date_seance", s->date, "heure", s->heure,
	                          "lieu", s->lieu, "membres", membres);
	json_t *changes = json_object();
	audit_diff(changes, before, after);
	struct commission_row row = {s->date, s->heure, s->lieu, membres};
	int rc = 0;
	if (json_object_size(changes))
		rc = commission_store_update(db, who->tenant_id, id, &row, clock_now());
	if (rc == 0 && json_object_size(changes))
		rc = audit_write(db, who, "modification", "commission", id, json_incref(changes));
	json_decref(changes);
	json_decref(after);
	json_free_text(membres);
	return rc;
}

int commission_update(struct db *db, const struct actor *who, int64_t id, json_t *in,
                      json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_COMMISSION_MANAGE) || !who->tenant_id)
		return CAS_EPERM;
	struct session_in s;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *before = NULL;
	rc = cm_open_session(db, who, id, &before); /* a 404 or 409 before field errors */
	if (rc == 0)
		rc = validate(in, &s, errors);
	if (rc == 0) {
		rc = apply_update(db, who, id, before, &s);
		json_decref(s.membres);
	}
	json_decref(before);
	return cm_finish(db, rc);
}

/* ---- reading ---- */

static void shape_session(json_t *c)
{
	char fr[48], lg[64];
	cm_date_fr(cm_str(c, "date_seance"), fr, sizeof(fr));
	cm_date_long(cm_str(c, "date_seance"), lg, sizeof(lg));
	json_object_set_new(c, "date_fr", json_string(fr));
	json_object_set_new(c, "date_long", json_string(lg));
	json_object_set_new(c, "state_label",
	                    json_string(commission_state_label(cm_str(c, "state"))));
	json_object_set_new(c, "has_pv", json_boolean(cm_int(c, "has_pv") > 0));
	json_object_set_new(c, "open", json_boolean(strcmp(cm_str(c, "state"), "close") != 0));
}

json_t *commission_list(struct db *db, const struct actor *who, int desc, int64_t offset, int limit,
                        int64_t *total, int *err)
{
	if (!perm_allows(who->role, PERM_COMMISSION_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	*err = commission_store_count(db, who->tenant_id, total);
	json_t *rows =
	    *err == 0 ? commission_store_list(db, who->tenant_id, desc, offset, limit) : NULL;
	if (!rows && *err == 0)
		*err = CAS_EDB;
	size_t i;
	json_t *c;
	json_array_foreach(rows, i, c)
	{
		shape_session(c);
		json_object_del(c, "membres");
	}
	return rows;
}

static const char *state_label_of(const char *code)
{
	enum dossier_state s;
	return dossier_state_from_code(code, &s) == 0 ? dossier_state_label(s) : "";
}

static void set_label(json_t *o, const char *key, const char *label)
{
	if (label)
		json_object_set_new(o, key, json_string(label));
}

static void shape_item(const struct actor *who, json_t *session, json_t *it)
{
	enum dossier_proposal p;
	enum dossier_decision d;
	int open = json_is_true(json_object_get(session, "open"));
	int undecided = json_is_null(json_object_get(it, "decision"));
	int report = cm_int(it, "a_rapporter") != 0;
	json_object_set_new(it, "state_label", json_string(state_label_of(cm_str(it, "state"))));
	if (dossier_proposal_from_code(cm_str(it, "proposition"), &p) == 0)
		set_label(it, "proposition_label", dossier_proposal_label(p));
	if (dossier_decision_from_code(cm_str(it, "decision"), &d) == 0)
		set_label(it, "decision_label", dossier_decision_label(d));
	if (dossier_decision_from_code(cm_str(it, "dossier_decision"), &d) == 0)
		set_label(it, "dossier_decision_label", dossier_decision_label(d));
	json_object_set_new(it, "a_rapporter", json_boolean(report));
	json_object_set_new(it, "decidable",
	                    json_boolean(open && undecided && !report &&
	                                 strcmp(cm_str(it, "state"), "en_commission") == 0 &&
	                                 perm_allows(who->role, PERM_DOSSIER_DECIDE)));
	json_object_set_new(it, "removable",
	                    json_boolean(open && undecided &&
	                                 perm_allows(who->role, PERM_COMMISSION_MANAGE) &&
	                                 perm_allows(who->role, PERM_DOSSIER_SEND_COMMISSION)));
	if (!perm_allows(who->role, PERM_DOSSIER_DETAIL)) {
		json_object_del(it, "appreciation");
		json_object_del(it, "dossier_motif");
	}
}

/* "nom, qualité" lines of the members, for the edit form. */
static json_t *members_text(json_t *membres)
{
	size_t i, len = 1;
	json_t *m;
	json_array_foreach(membres, i, m) len +=
	    strlen(cm_str(m, "nom")) + strlen(cm_str(m, "qualite")) + 4;
	char *s = xmalloc(len), *p = s;
	*p = '\0';
	json_array_foreach(membres, i, m)
	{
		const char *q = cm_str(m, "qualite");
		p += snprintf(p, len - (size_t)(p - s), "%s%s%s%s", i ? "\n" : "", cm_str(m, "nom"),
		              *q ? ", " : "", q);
	}
	json_t *out = json_string(s);
	free(s);
	return out ? out : json_string("");
}

static void add_session_details(struct db *db, const struct actor *who, json_t *c)
{
	json_t *membres = json_loads(cm_str(c, "membres"), 0, NULL);
	if (!json_is_array(membres)) {
		json_decref(membres);
		membres = json_array();
	}
	json_object_set_new(c, "membres_text", members_text(membres));
	json_object_set_new(c, "membres", membres);
	json_object_set_new(c, "has_membres", json_boolean(json_array_size(membres) > 0));
	json_object_set_new(c, "can_manage",
	                    json_boolean(perm_allows(who->role, PERM_COMMISSION_MANAGE)));
	json_object_set_new(c, "can_decide",
	                    json_boolean(perm_allows(who->role, PERM_DOSSIER_DECIDE)));
	if (json_is_true(json_object_get(c, "has_pv")))
		json_object_set_new(
		    c, "pv", commission_store_pv_info(db, who->tenant_id, cm_int(c, "id"), NULL));
}

json_t *commission_get(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_COMMISSION_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *c = commission_store_get(db, who->tenant_id, id, err);
	if (!c)
		return NULL;
	json_t *items = commission_store_items(db, who->tenant_id, id);
	if (!items) {
		json_decref(c);
		*err = CAS_EDB;
		return NULL;
	}
	shape_session(c);
	add_session_details(db, who, c);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) shape_item(who, c, it);
	json_object_set_new(c, "items", items);
	return c;
}

json_t *commission_candidates(struct db *db, const struct actor *who, int *err)
{
	if (!perm_allows(who->role, PERM_COMMISSION_MANAGE) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = commission_store_candidates(db, who->tenant_id, CANDIDATES_MAX);
	if (!rows) {
		*err = CAS_EDB;
		return NULL;
	}
	size_t i;
	json_t *d;
	json_array_foreach(rows, i, d)
	{
		json_object_set_new(d, "state_label",
		                    json_string(state_label_of(cm_str(d, "state"))));
		json_object_set_new(d, "a_rapporter", json_boolean(cm_int(d, "a_rapporter") != 0));
		if (!perm_allows(who->role, PERM_DOSSIER_DETAIL))
			json_object_del(d, "appreciation");
	}
	return rows;
}

json_t *commission_of_dossier(struct db *db, const struct actor *who, int64_t dossier_id, int *err)
{
	if (!perm_allows(who->role, PERM_COMMISSION_READ) || !who->tenant_id) {
		*err = CAS_ENOTFOUND;
		return NULL;
	}
	json_t *o = commission_store_open_item_of(db, who->tenant_id, dossier_id, err);
	if (o) {
		char fr[48];
		cm_date_fr(cm_str(o, "date_seance"), fr, sizeof(fr));
		json_object_set_new(o, "date_fr", json_string(fr));
		json_object_set_new(o, "state_label",
		                    json_string(commission_state_label(cm_str(o, "state"))));
	}
	return o;
}

/* ---- the agenda ---- */

/* errors {key: "Dossier <numero> : <message>"}; CAS_EINVAL. */
static int named(json_t **errors, const char *key, const char *numero, const char *message)
{
	char text[600];
	snprintf(text, sizeof(text), "Dossier %s : %s", numero, message);
	json_decref(*errors);
	*errors = json_pack("{s:s}", key, text);
	return CAS_EINVAL;
}

/* The first message of a workflow refusal ("to" first). */
static const char *first_message(json_t *errs)
{
	const char *m = json_string_value(json_object_get(errs, "to"));
	const char *k;
	json_t *v;
	json_object_foreach(errs, k, v)
	{
		if (!m && json_is_string(v))
			m = json_string_value(v);
	}
	return m ? m : "la transition est refusée.";
}

/* How a dossier joins the agenda: 0 refused, 1 through the workflow
 * (instruit), 2 as it is (en_commission), 3 reported (emergency aid). */
static int joining(json_t *d)
{
	const char *state = cm_str(d, "state");
	if (strcmp(state, "instruit") == 0)
		return 1;
	if (strcmp(state, "en_commission") == 0)
		return 2;
	return cm_int(d, "a_rapporter") ? 3 : 0;
}

static int check_not_listed(struct db *db, const struct actor *who, json_t *d, json_t **errors)
{
	int rc;
	json_t *o = commission_store_open_item_of(db, who->tenant_id, cm_int(d, "id"), &rc);
	if (!o)
		return rc == CAS_ENOTFOUND ? 0 : rc;
	char fr[48], msg[160];
	cm_date_fr(cm_str(o, "date_seance"), fr, sizeof(fr));
	snprintf(msg, sizeof(msg), "il est déjà à l'ordre du jour de la commission du %s.", fr);
	json_decref(o);
	return named(errors, "dossiers", cm_str(d, "numero"), msg);
}

static int move_to_commission(struct db *db, const struct actor *who, int64_t cid, json_t *d,
                              json_t **errors)
{
	char num[24];
	snprintf(num, sizeof(num), "%lld", (long long)cid);
	json_t *fields = json_pack("{s:s}", "commission_id", num), *errs = NULL;
	int rc = workflow_transition_in(db, who, cm_int(d, "id"), "en_commission", fields, &errs);
	json_decref(fields);
	if (rc == CAS_EINVAL)
		rc = named(errors, "dossiers", cm_str(d, "numero"), first_message(errs));
	json_decref(errs);
	return rc;
}

static int add_one(struct db *db, const struct actor *who, int64_t cid, int64_t did,
                   json_t **errors)
{
	int rc;
	json_t *d = dossier_store_get(db, who->tenant_id, did, &rc);
	if (!d)
		return rc;
	int how = joining(d);
	rc = check_not_listed(db, who, d, errors);
	if (rc == 0 && !how)
		rc = named(errors, "dossiers", cm_str(d, "numero"),
		           "seuls les dossiers instruits, en commission ou décidés en urgence à "
		           "rapporter peuvent être inscrits.");
	if (rc == 0 && how == 1)
		rc = move_to_commission(db, who, cid, d, errors);
	int64_t item = 0;
	if (rc == 0)
		rc = commission_store_item_insert(db, who->tenant_id, cid, did, how == 3,
		                                  clock_now(), &item);
	if (rc == CAS_ECONFLICT) /* put on another agenda meanwhile */
		rc = named(errors, "dossiers", cm_str(d, "numero"),
		           "il vient d'être inscrit à l'ordre du jour d'une autre séance.");
	if (rc == 0)
		rc = audit_write(db, who, "inscription", "commission", cid,
		                 json_pack("{s:[ns], s:[nb]}", "dossier", cm_str(d, "numero"),
		                           "a_rapporter", how == 3));
	json_decref(d);
	return rc;
}

int commission_add_dossiers(struct db *db, const struct actor *who, int64_t id,
                            const int64_t *dossier_ids, size_t n, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_COMMISSION_MANAGE) || !who->tenant_id)
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *session = NULL;
	rc = cm_open_session(db, who, id, &session); /* another CCAS's session: 404 first */
	json_decref(session);
	if (rc == 0 && !perm_allows(who->role, PERM_DOSSIER_SEND_COMMISSION))
		rc = CAS_EPERM;
	if (rc == 0 && n == 0) {
		*errors = json_pack("{s:s}", "dossiers", "Cochez au moins un dossier à inscrire.");
		rc = CAS_EINVAL;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = add_one(db, who, id, dossier_ids[i], errors);
	return cm_finish(db, rc);
}

static int take_back(struct db *db, const struct actor *who, json_t *session, json_t *it,
                     json_t **errors)
{
	if (strcmp(cm_str(it, "state"), "en_commission") != 0 || cm_int(it, "a_rapporter"))
		return 0;
	char fr[48], motif[160];
	cm_date_fr(cm_str(session, "date_seance"), fr, sizeof(fr));
	snprintf(motif, sizeof(motif), "Retiré de l'ordre du jour de la commission du %s.", fr);
	json_t *fields = json_pack("{s:s}", "motif", motif), *errs = NULL;
	int rc =
	    workflow_transition_in(db, who, cm_int(it, "dossier_id"), "instruit", fields, &errs);
	json_decref(fields);
	if (rc == CAS_EINVAL)
		rc = named(errors, "item", cm_str(it, "numero"), first_message(errs));
	json_decref(errs);
	return rc;
}

int commission_remove_item(struct db *db, const struct actor *who, int64_t id, int64_t item_id,
                           json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_COMMISSION_MANAGE) || !who->tenant_id)
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *session = NULL, *it = NULL;
	rc = cm_open_session(db, who, id, &session);
	if (rc == 0)
		it = commission_store_item(db, who->tenant_id, id, item_id, &rc);
	if (it && !perm_allows(who->role, PERM_DOSSIER_SEND_COMMISSION))
		rc = CAS_EPERM; /* after the lookup: another CCAS's item is a 404 */
	if (it && !json_is_null(json_object_get(it, "decision")))
		rc = CAS_ECONFLICT;
	if (it && rc == 0)
		rc = take_back(db, who, session, it, errors);
	if (it && rc == 0)
		rc = commission_store_item_delete(db, who->tenant_id, id, item_id);
	if (it && rc == 0)
		rc = audit_write(db, who, "retrait", "commission", id,
		                 json_pack("{s:[sn]}", "dossier", cm_str(it, "numero")));
	json_decref(it);
	json_decref(session);
	return cm_finish(db, rc);
}
