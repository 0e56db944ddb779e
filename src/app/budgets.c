#include "app/budgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/budget.h"
#include "domain/money.h"
#include "store/aid_type_store.h"
#include "store/budget_store.h"
#include "store/db.h"
#include "store/dossier_store.h"

#define YEAR_MIN 2000
#define YEAR_MAX 2100

void budget_year_bounds(int year, int64_t *from, int64_t *to)
{
	int64_t a = clock_make(year, 1, 1, 0, 0, 0), b = clock_make(year + 1, 1, 1, 0, 0, 0);
	*from = a - paris_offset(a);
	*to = b - paris_offset(b);
}

/* ---- reading ---- */

static void add_figures(json_t *row, json_t *totals)
{
	json_t *alloue = json_object_get(row, "alloue");
	struct budget_envelope e = {json_is_integer(alloue), json_integer_value(alloue),
	                            json_integer_value(json_object_get(row, "engage")),
	                            json_integer_value(json_object_get(row, "paye"))};
	json_object_set_new(row, "restant",
	                    e.has_envelope ? json_integer(budget_remaining(&e)) : json_null());
	json_object_set_new(row, "depasse", json_boolean(budget_would_exceed(&e, 0, NULL)));
	json_object_set_new(row, "pourcentage", json_integer(budget_used_percent(&e)));
	static const char *const keys[] = {"alloue", "engage", "paye", "restant"};
	for (int i = 0; i < 4; i++) {
		json_t *t = json_object_get(totals, keys[i]);
		json_integer_set(t, json_integer_value(t) +
		                        json_integer_value(json_object_get(row, keys[i])));
	}
}

json_t *budget_year(struct db *db, const struct actor *who, int annee, int64_t aid_type_id,
                    int *err)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	int64_t from, to;
	const char *mode = "avertir";
	budget_year_bounds(annee, &from, &to);
	*err = budget_store_overrun_get(db, who->tenant_id, &mode);
	json_t *rows =
	    *err ? NULL : budget_store_year(db, who->tenant_id, aid_type_id, annee, from, to);
	if (!rows) {
		*err = *err ? *err : CAS_EDB;
		return NULL;
	}
	/* restant: over the aid types that have an envelope */
	json_t *totals =
	    json_pack("{s:i, s:i, s:i, s:i}", "alloue", 0, "engage", 0, "paye", 0, "restant", 0);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		add_figures(row, totals);
	}
	return json_pack("{s:i, s:s, s:o, s:o}", "annee", annee, "depassement", mode, "rows", rows,
	                 "totals", totals);
}

/* ---- allocation ---- */

static int read_year(const char *s, int *year)
{
	if (!*s || strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return 0;
	*year = (int)strtol(s, NULL, 10);
	return *year >= YEAR_MIN && *year <= YEAR_MAX;
}

struct allocation {
	int64_t aid_type_id, montant;
	int annee;
};

static json_t *validate_allocation(struct db *db, const struct actor *who, json_t *in,
                                   struct allocation *a)
{
	json_t *errs = json_object();
	int err;
	a->aid_type_id = input_id(in, "aid_type_id");
	json_t *aid =
	    a->aid_type_id ? aid_type_store_get(db, who->tenant_id, a->aid_type_id, &err) : NULL;
	if (!aid)
		input_error(errs, "aid_type_id", "Choisissez une aide du catalogue.");
	json_decref(aid);
	if (!read_year(input_str(in, "annee"), &a->annee))
		input_error(errs, "annee", "Indiquez une année de 2000 à 2100.");
	const char *why = NULL;
	if (!*input_str(in, "montant"))
		input_error(errs, "montant", "Indiquez le montant alloué à l'aide pour l'année.");
	else if (money_parse(input_str(in, "montant"), &a->montant, &why) != 0)
		input_error(errs, "montant", why);
	return errs;
}

int budget_set(struct db *db, const struct actor *who, json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	struct allocation a = {0};
	json_t *errs = validate_allocation(db, who, in, &a);
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	int64_t before = -1;
	rc = budget_store_allocated(db, who->tenant_id, a.aid_type_id, a.annee, &before);
	json_t *old = rc == 0 ? json_integer(before) : json_null();
	rc = rc == CAS_ENOTFOUND ? 0 : rc;
	if (rc == 0)
		rc = budget_store_set(db, who->tenant_id, a.aid_type_id, a.annee, a.montant,
		                      who->user_id, clock_now());
	if (rc == 0)
		rc = audit_write(db, who, "allocation", "budget", a.aid_type_id,
		                 json_pack("{s:[ii], s:[OI]}", "annee", a.annee, a.annee,
		                           "montant_alloue", old, (json_int_t)a.montant));
	json_decref(old);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int budget_set_overrun(struct db *db, const struct actor *who, json_t *in, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_SETTINGS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	const char *mode = input_str(in, "depassement"), *before = "avertir";
	if (strcmp(mode, "avertir") != 0 && strcmp(mode, "bloquer") != 0) {
		*errors = json_pack("{s:s}", "depassement",
		                    "Choisissez d'avertir ou de bloquer en cas de dépassement.");
		return CAS_EINVAL;
	}
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = budget_store_overrun_get(db, who->tenant_id, &before);
	if (rc == 0 && strcmp(before, mode) != 0) {
		rc = budget_store_overrun_set(db, who->tenant_id, mode);
		if (rc == 0)
			rc = audit_write(db, who, "modification", "tenant", who->tenant_id,
			                 json_pack("{s:[ss]}", "budget_depassement", before, mode));
	}
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* ---- the decision's check ---- */

static json_t *overrun(const char *label, int year, const struct budget_envelope *e, int64_t amount,
                       int64_t excess, int blocks)
{
	char a[MONEY_FMT_SIZE], c[MONEY_FMT_SIZE], m[MONEY_FMT_SIZE], x[MONEY_FMT_SIZE], msg[700];
	money_format(e->alloue, a, sizeof(a));
	money_format(e->engage, c, sizeof(c));
	money_format(amount, m, sizeof(m));
	money_format(excess, x, sizeof(x));
	snprintf(msg, sizeof(msg),
	         "%s l'enveloppe %d de l'aide « %s » : %s alloués, %s déjà engagés, %s pour cette "
	         "décision, soit %s au-delà.%s",
	         blocks ? "Cette décision dépasserait" : "Décision au-delà de", year, label, a, c,
	         m, x,
	         blocks ? " Le CCAS refuse les décisions qui dépassent l'enveloppe : réduisez le "
	                  "montant ou faites augmenter l'enveloppe."
	                : "");
	return json_pack("{s:s, s:I, s:I, s:I, s:I}", "message", msg, "alloue",
	                 (json_int_t)e->alloue, "engage", (json_int_t)e->engage, "montant",
	                 (json_int_t)amount, "depassement", (json_int_t)excess);
}

static int envelope_of(struct db *db, int64_t tenant, int64_t aid_type_id, int year,
                       struct budget_envelope *e)
{
	int64_t from, to;
	memset(e, 0, sizeof(*e));
	int rc = budget_store_allocated(db, tenant, aid_type_id, year, &e->alloue);
	if (rc == CAS_ENOTFOUND)
		return 0;
	e->has_envelope = rc == 0;
	budget_year_bounds(year, &from, &to);
	return rc ? rc : budget_store_committed(db, tenant, aid_type_id, from, to, &e->engage);
}

int budget_check_commit(struct db *db, const struct actor *who, int64_t aid_type_id, int year,
                        int64_t amount_cents, json_t **warning)
{
	*warning = NULL;
	if (!who->tenant_id)
		return CAS_EPERM;
	/* concurrent decisions on this aid wait here until this one commits */
	int rc = db_lock(db, DB_LOCK_BUDGET(aid_type_id));
	struct budget_envelope e;
	if (rc == 0)
		rc = envelope_of(db, who->tenant_id, aid_type_id, year, &e);
	int64_t excess = 0;
	if (rc != 0 || !budget_would_exceed(&e, amount_cents, &excess))
		return rc;
	const char *mode = "avertir";
	json_t *aid = aid_type_store_get(db, who->tenant_id, aid_type_id, &rc);
	if (aid)
		rc = budget_store_overrun_get(db, who->tenant_id, &mode);
	if (rc == 0) {
		int blocks = strcmp(mode, "bloquer") == 0;
		const char *label = json_string_value(json_object_get(aid, "label"));
		*warning = overrun(label ? label : "", year, &e, amount_cents, excess, blocks);
		rc = blocks ? CAS_EINVAL : 0;
	}
	json_decref(aid);
	return rc;
}

int budget_decision_check(struct db *db, const struct actor *who, const json_t *d, int64_t montant,
                          json_t *errors)
{
	int y, m, day;
	json_t *warning = NULL;
	paris_ymd(clock_now(), &y, &m, &day);
	int64_t aid = json_integer_value(json_object_get(d, "aid_type_id"));
	int64_t id = json_integer_value(json_object_get(d, "id"));
	int rc = montant > 0 ? budget_check_commit(db, who, aid, y, montant, &warning) : 0;
	const char *msg = json_string_value(json_object_get(warning, "message"));
	if (rc == CAS_EINVAL && msg) {
		input_error(errors, "montant", msg);
		rc = 0;
	} else if (rc == 0 && msg) {
		rc = dossier_store_event_insert(db, who->tenant_id, id, who->user_id, who->label,
		                                "budget", msg, clock_now());
	}
	json_decref(warning);
	return rc;
}
