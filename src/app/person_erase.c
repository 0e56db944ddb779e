/* Erasure of a person (droit à l'effacement, RGPD article 17) where the law
 * allows it: nothing may keep them, that is no dossier that concerns them
 * remains (a dossier is kept for its legal retention, then purged with
 * the personal data in it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/person_export.h"
#include "app/person_export_internal.h"
#include "app/retention.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/xalloc.h"
#include "domain/dossier.h"
#include "store/audit_chain.h"
#include "store/db.h"
#include "store/household_store.h"
#include "store/person_rights_store.h"
#include "store/person_store.h"
#include "store/retention_store.h"

#define REASONS_LISTED 5 /* dossiers named in a refusal; the others counted */

static int64_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* --- the dossiers that concern a person --- */

/* The Paris date of a timestamp, "YYYY-MM-DD". */
static void day_of(int64_t t, char out[11])
{
	paris_date_iso(t, out);
}

/* Was the person a member of household hid on day? */
static int member_on(const json_t *memberships, int64_t hid, const char *day)
{
	size_t i;
	json_t *m;
	json_array_foreach(memberships, i, m)
	{
		const char *in = input_str((json_t *)m, "date_entree");
		const char *out = input_str((json_t *)m, "date_sortie");
		if (int_of(m, "id") == hid && strcmp(in, day) <= 0 &&
		    (!*out || strcmp(day, out) <= 0))
			return 1;
	}
	return 0;
}

static const char *role_of(const json_t *d, const json_t *memberships, int64_t person_id)
{
	char day[11];
	if (int_of(d, "applicant_id") == person_id)
		return PX_ROLE_APPLICANT;
	day_of(int_of(d, "created_at"), day);
	if (member_on(memberships, int_of(d, "household_id"), day))
		return PX_ROLE_MEMBER;
	return int_of(d, "consulted") ? PX_ROLE_CONSULTED : NULL;
}

json_t *px_dossiers(struct db *db, int64_t tenant_id, int64_t person_id)
{
	json_t *rows = prs_dossiers(db, tenant_id, person_id);
	json_t *memberships = household_store_by_person(db, tenant_id, person_id);
	json_t *out = rows && memberships ? json_array() : NULL;
	size_t i;
	json_t *d;
	json_array_foreach(out ? rows : NULL, i, d)
	{
		const char *role = role_of(d, memberships, person_id);
		if (!role)
			continue;
		json_object_set_new(d, "role", json_string(role));
		json_array_append(out, d);
	}
	json_decref(rows);
	json_decref(memberships);
	return out;
}

/* --- how long a dossier is kept --- */

/* The hold in force among holds (newest first), or NULL. */
static const json_t *hold_in_force(const json_t *holds)
{
	size_t i;
	json_t *h;
	json_array_foreach(holds, i, h)
	{
		if (json_is_null(json_object_get(h, "lifted_at")) ||
		    !json_object_get(h, "lifted_at"))
			return h;
	}
	return NULL;
}

static void open_dossier(const json_t *d, const struct retention_rules *r, char *out, size_t size)
{
	const char *code = input_str((json_t *)d, "state");
	const char *decision = input_str((json_t *)d, "decision");
	enum dossier_state s;
	const char *label = dossier_state_from_code(code, &s) == 0 ? dossier_state_label(s) : code;
	if (*decision || r->accorde == r->refus)
		snprintf(out, size,
		         "en cours (état « %s ») : il est conservé %d mois après sa clôture", label,
		         retention_months(r, *decision ? decision : NULL));
	else
		snprintf(
		    out, size,
		    "en cours (état « %s ») : il est conservé %d mois après sa clôture si l'aide "
		    "est accordée, %d mois sinon",
		    label, r->accorde, r->refus);
}

int px_kept_until(struct db *db, int64_t tenant_id, const struct retention_table *t,
                  const json_t *d, char *out, size_t size, char until[11])
{
	json_t *holds = retention_store_holds_of(db, tenant_id, int_of(d, "id"));
	if (!holds)
		return CAS_EDB;
	const struct retention_rules *r = retention_rules_for(t, int_of(d, "aid_type_id"));
	const json_t *hold = hold_in_force(holds);
	const char *decision = input_str((json_t *)d, "decision");
	char closed[11];
	until[0] = '\0';
	if (hold)
		snprintf(out, size, "gelé pour « %s » : il est conservé tant que dure ce gel",
		         retention_hold_label(input_str((json_t *)hold, "kind")));
	else if (strcmp(input_str((json_t *)d, "state"), "cloture") != 0)
		open_dossier(d, r, out, size);
	else {
		retention_date_of(int_of(d, "state_since"), closed);
		if (retention_purge_date(r, closed, *decision ? decision : NULL, until) != 0)
			until[0] = '\0';
		snprintf(out, size, "conservé jusqu'au %.2s/%.2s/%.4s", until + 8, until + 5,
		         until);
	}
	json_decref(holds);
	return 0;
}

/* --- why a person cannot be erased --- */

/* What a refusal is computed from. */
struct refusal {
	struct db *db;
	int64_t tenant_id;
	const char *sexe; /* of the person, for "demandeuse" */
	struct retention_table table;
};

static int dossier_reason(struct refusal *x, struct buf *b, const json_t *d)
{
	char kept[256], until[11];
	const char *role = input_str((json_t *)d, "role");
	const char *numero = input_str((json_t *)d, "numero");
	int rc = px_kept_until(x->db, x->tenant_id, &x->table, d, kept, sizeof(kept), until);
	if (rc != 0)
		return rc;
	if (b->len)
		buf_putc(b, ' ');
	if (strcmp(role, PX_ROLE_APPLICANT) == 0)
		buf_printf(b, "La personne est %s du dossier %s",
		           strcmp(x->sexe, "F") == 0 ? "demandeuse" : "demandeur", numero);
	else if (strcmp(role, PX_ROLE_MEMBER) == 0)
		buf_printf(b, "La personne est membre du foyer du dossier %s", numero);
	else
		buf_printf(b,
		           "L'identité de la personne a servi à une consultation des "
		           "administrations pour le dossier %s",
		           numero);
	buf_printf(b, ", %s (obligation légale de conservation).", kept);
	return 0;
}

/* The refusal text for the dossiers (rows of px_dossiers) and the payees
 * in use into *out, NULL when nothing keeps the person. */
static int refusal_text(struct refusal *x, const json_t *dossiers, const json_t *payees, char **out)
{
	struct buf b;
	size_t i, n = json_array_size(dossiers);
	json_t *d;
	int rc = 0;
	buf_init(&b, 64 * 1024);
	json_array_foreach(dossiers, i, d)
	{
		if (i == REASONS_LISTED || rc != 0)
			break;
		rc = dossier_reason(x, &b, d);
	}
	if (n > REASONS_LISTED)
		buf_printf(&b, " Et %zu autres dossiers.", n - REASONS_LISTED);
	if (!n && json_array_size(payees))
		buf_printf(&b, "Les coordonnées bancaires de la personne servent à un paiement "
		               "enregistré (obligation légale de conservation des pièces "
		               "comptables).");
	*out = rc == 0 && b.len ? xstrdup(buf_cstr(&b)) : NULL;
	buf_free(&b);
	return rc;
}

/* The refusal for person (its row), or NULL with *err 0 when nothing keeps
 * them. */
static char *refusal_of(struct db *db, int64_t tenant_id, const json_t *person, int *err)
{
	int64_t id = int_of(person, "id");
	struct refusal x = {db, tenant_id, input_str((json_t *)person, "sexe"), {0}};
	json_t *dossiers = px_dossiers(db, tenant_id, id);
	json_t *payees = prs_payees_in_use(db, tenant_id, id);
	char *out = NULL;
	*err = dossiers && payees ? 0 : CAS_EDB;
	int kept = json_array_size(dossiers) || json_array_size(payees);
	if (!*err && kept && (*err = retention_table_load(db, tenant_id, &x.table)) == 0) {
		*err = refusal_text(&x, dossiers, payees, &out);
		retention_table_free(&x.table);
	}
	json_decref(dossiers);
	json_decref(payees);
	return out;
}

char *person_erase_refusal(struct db *db, const struct actor *who, int64_t id, int *err)
{
	if (!perm_allows(who->role, PERM_PERSON_ERASE) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *person = person_store_get(db, who->tenant_id, id, err);
	if (!person)
		return NULL;
	char *out = refusal_of(db, who->tenant_id, person, err);
	json_decref(person);
	return out;
}

/* --- erasure --- */

/* Redacts the audit entries about each object of ids (integers). */
static int redact_all(struct db *db, int64_t tenant_id, const char *type, const json_t *ids,
                      int64_t now, int64_t *n)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		int64_t k = 0;
		int rc = audit_chain_redact(db, tenant_id, type, json_integer_value(v), now, &k);
		if (rc != 0)
			return rc;
		*n += k;
	}
	return 0;
}

/* Erases what erasure removes, redacts the audit entries about it and
 * records the erasure: inside the caller's transaction. */
static int erase_in(struct db *db, const struct actor *who, int64_t id)
{
	int64_t t = who->tenant_id, now = clock_now(), redacted = 0;
	json_t *payees = json_array(), *homes = json_array(), *self = json_pack("[I]", id);
	int rc = prs_erase(db, t, id, payees, homes);
	if (rc == 0)
		rc = redact_all(db, t, "person", self, now, &redacted);
	if (rc == 0)
		rc = redact_all(db, t, "payee", payees, now, &redacted);
	if (rc == 0)
		rc = redact_all(db, t, "household", homes, now, &redacted);
	if (rc == 0)
		rc = audit_write(db, who, "effacement", "person", id,
		                 json_pack("{s:[sn], s:[nI], s:[nI], s:[nI]}", "personne",
		                           "[effacé]", "foyers_supprimes",
		                           (json_int_t)json_array_size(homes), "comptes_supprimes",
		                           (json_int_t)json_array_size(payees),
		                           "entrees_audit_caviardees", (json_int_t)redacted));
	json_decref(payees);
	json_decref(homes);
	json_decref(self);
	return rc;
}

static int refuse_in(struct db *db, const struct actor *who, int64_t id, const char *why)
{
	return audit_write(db, who, "effacement_refuse", "person", id,
	                   json_pack("{s:[ns]}", "motif", why));
}

int person_erase(struct db *db, const struct actor *who, int64_t id, char **reason)
{
	*reason = NULL;
	if (!perm_allows(who->role, PERM_PERSON_ERASE) || !who->tenant_id)
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *person = person_store_get(db, who->tenant_id, id, &rc);
	char *why = person ? refusal_of(db, who->tenant_id, person, &rc) : NULL;
	json_decref(person);
	if (rc == 0 && why)
		rc = refuse_in(db, who, id, why);
	else if (rc == 0)
		rc = erase_in(db, who, id);
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc == 0 && why) {
		*reason = why;
		return CAS_ECONFLICT;
	}
	free(why);
	return rc;
}
