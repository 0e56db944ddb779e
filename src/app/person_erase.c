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

/* Months a closed dossier is kept after its closure (the default legal
 * retention of social-aid files). */
#define RETENTION_MONTHS 24
#define REASONS_LISTED   5 /* dossiers named in a refusal; the others counted */

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
		if (int_of(m, "id") == hid && strcmp(in, day) <= 0 && (!*out || strcmp(day, out) <= 0))
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

static void add_months(int *y, int *m, int *d, int months)
{
	int total = *y * 12 + (*m - 1) + months;
	*y = total / 12;
	*m = total % 12 + 1;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int last = days[*m - 1] + (*m == 2 && ((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0));
	if (*d > last)
		*d = last;
}

void px_kept_until(const json_t *d, char *out, size_t size)
{
	const char *code = input_str((json_t *)d, "state");
	enum dossier_state s;
	if (dossier_state_from_code(code, &s) != 0 || s != DS_CLOTURE) {
		snprintf(out, size,
		         "en cours (état « %s ») : il est conservé jusqu'à %d mois après sa clôture",
		         dossier_state_from_code(code, &s) == 0 ? dossier_state_label(s) : code,
		         RETENTION_MONTHS);
		return;
	}
	int y, m, day;
	paris_ymd(int_of(d, "state_since"), &y, &m, &day);
	add_months(&y, &m, &day, RETENTION_MONTHS);
	snprintf(out, size, "conservé jusqu'au %02d/%02d/%04d", day, m, y);
}

/* --- why a person cannot be erased --- */

static void dossier_reason(struct buf *b, const json_t *d, const char *sexe)
{
	char kept[160];
	const char *role = input_str((json_t *)d, "role");
	const char *numero = input_str((json_t *)d, "numero");
	px_kept_until(d, kept, sizeof(kept));
	if (b->len)
		buf_putc(b, ' ');
	if (strcmp(role, PX_ROLE_APPLICANT) == 0)
		buf_printf(b, "La personne est %s du dossier %s",
		           strcmp(sexe, "F") == 0 ? "demandeuse" : "demandeur", numero);
	else if (strcmp(role, PX_ROLE_MEMBER) == 0)
		buf_printf(b, "La personne est membre du foyer du dossier %s", numero);
	else
		buf_printf(b, "L'identité de la personne a servi à une consultation des "
		              "administrations pour le dossier %s",
		           numero);
	buf_printf(b, ", %s (obligation légale de conservation).", kept);
}

/* The refusal text for the dossiers (rows of px_dossiers) and the payees
 * in use, or NULL when nothing keeps the person. */
static char *refusal_text(const json_t *dossiers, const json_t *payees, const char *sexe)
{
	struct buf b;
	size_t i, n = json_array_size(dossiers);
	json_t *d;
	buf_init(&b, 64 * 1024);
	json_array_foreach(dossiers, i, d)
	{
		if (i == REASONS_LISTED)
			break;
		dossier_reason(&b, d, sexe);
	}
	if (n > REASONS_LISTED)
		buf_printf(&b, " Et %zu autres dossiers.", n - REASONS_LISTED);
	if (!n && json_array_size(payees))
		buf_printf(&b, "Les coordonnées bancaires de la personne servent à un paiement "
		               "enregistré (obligation légale de conservation des pièces "
		               "comptables).");
	char *out = b.len ? xstrdup(buf_cstr(&b)) : NULL;
	buf_free(&b);
	return out;
}

/* The refusal for person (its row), or NULL with *err 0 when nothing keeps
 * them. */
static char *refusal_of(struct db *db, int64_t tenant_id, const json_t *person, int *err)
{
	int64_t id = int_of(person, "id");
	json_t *dossiers = px_dossiers(db, tenant_id, id);
	json_t *payees = prs_payees_in_use(db, tenant_id, id);
	char *out = NULL;
	*err = dossiers && payees ? 0 : CAS_EDB;
	if (!*err)
		out = refusal_text(dossiers, payees, input_str((json_t *)person, "sexe"));
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
		                 json_pack("{s:[sn], s:[nI], s:[nI], s:[nI]}", "personne", "[effacé]",
		                           "foyers_supprimes", (json_int_t)json_array_size(homes),
		                           "comptes_supprimes", (json_int_t)json_array_size(payees),
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
