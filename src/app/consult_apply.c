/* Applying the composition known to the CAF / MSA to the dossier's
 * household: the children it lists and the household lacks are added
 * (consultations.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/consultations.h"
#include "app/households.h"
#include "app/input.h"
#include "app/persons.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/xalloc.h"
#include "domain/caf_compare.h"
#include "domain/fold.h"
#include "domain/pdate.h"
#include "domain/person.h"
#include "store/consultation_store.h"

#define NAME_BUF 512

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The CAF birth date in storage form ("2016-02-00"); 0, or -1 when
 * unknown. */
static int storage_date(const json_t *p, char out[11])
{
	struct pdate d;
	const char *why, *s = json_string_value(json_object_get(p, "date_naissance"));
	if (!s || pdate_parse(s, &d, &why) != 0)
		return -1;
	pdate_iso(&d, out);
	return 0;
}

/* Both dates known in the same parts agree (an unknown part agrees). */
static int dates_agree(const char *iso_a, const char *iso_b)
{
	struct pdate a, b;
	const char *why;
	if (pdate_parse(iso_a, &a, &why) != 0 || pdate_parse(iso_b, &b, &why) != 0)
		return 0;
	return a.year == b.year && (!a.month || !b.month || a.month == b.month) &&
	       (!a.day || !b.day || a.day == b.day);
}

/* A person of the tenant with the CAF child's name, first prénom and a
 * compatible birth date, or 0. */
static int64_t existing_person(struct db *db, const struct actor *who, const json_t *p)
{
	char nom[NAME_BUF], first[NAME_BUF], iso[11];
	if (storage_date(p, iso) != 0)
		return 0;
	fold_text(str(p, "nom_naissance"), nom, sizeof(nom));
	fold_text(str(p, "prenoms"), first, sizeof(first));
	first[strcspn(first, " ")] = '\0';
	json_t *rows =
	    consultation_store_persons_like(db, who->tenant_id, nom, (int)strtol(iso, NULL, 10));
	int64_t id = 0;
	size_t n = strlen(first), i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		const char *pf = str(r, "prenom_fold");
		if (!id && n && strncmp(pf, first, n) == 0 && (pf[n] == '\0' || pf[n] == ' ') &&
		    dates_agree(iso, str(r, "date_naissance")))
			id = json_integer_value(json_object_get(r, "id"));
	}
	json_decref(rows);
	return id;
}

json_t *consultation_missing_children(struct db *db, const struct actor *who, int64_t dossier_id,
                                      int64_t id, int *err)
{
	json_t *cmp = consultation_compare(db, who, dossier_id, id, err);
	if (!cmp)
		return NULL;
	json_t *out = json_array();
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(json_object_get(cmp, "enfants"), "lignes"), i, l)
	{
		if (strcmp(str(l, "statut"), "manquant") != 0)
			continue;
		json_t *row = json_deep_copy(l);
		int64_t pid = existing_person(db, who, l);
		char iso[11];
		json_object_set_new(row, "existing_person_id",
		                    pid ? json_integer(pid) : json_null());
		json_object_set_new(row, "needs_details", json_boolean(!pid));
		json_object_set_new(row, "date_connue", json_boolean(storage_date(l, iso) == 0));
		json_array_append_new(out, row);
	}
	json_decref(cmp);
	return out;
}

/* --- a new person from the CAF identity --- */

/* Splits "JEAN PIERRE MARIE" into up to three title-cased prénoms. */
static void put_prenoms(json_t *in, const char *prenoms)
{
	static const char *const keys[] = {"prenom1", "prenom2", "prenom3"};
	char buf[NAME_BUF], word[NAME_BUF];
	caf_title_case(prenoms, buf, sizeof(buf));
	int k = 0;
	for (const char *p = buf; *p && k < 3;) {
		p += strspn(p, " ");
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		/* the last slot takes the rest, so that nothing is lost */
		if (k == 2)
			n = strlen(p);
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		json_object_set_new(in, keys[k++], json_string(word));
		p += n;
	}
}

/* The person input for CAF child l, the birth place and nationality from
 * form; address of the applicant (ctx). */
static json_t *child_input(const json_t *l, json_t *form, const json_t *ctx)
{
	char nom[NAME_BUF], key[48], iso[11] = "";
	long idx = (long)json_integer_value(json_object_get(l, "index"));
	json_t *in = json_object();
	caf_title_case(str(l, "nom_naissance"), nom, sizeof(nom));
	json_object_set_new(in, "nom_naissance", json_string(nom));
	if (*str(l, "nom_usage")) {
		caf_title_case(str(l, "nom_usage"), nom, sizeof(nom));
		json_object_set_new(in, "nom_usage", json_string(nom));
	}
	put_prenoms(in, str(l, "prenoms"));
	json_object_set_new(in, "sexe", json_string(str(l, "sexe")));
	storage_date(l, iso);
	json_object_set_new(in, "date_naissance", json_string(iso));
	snprintf(key, sizeof(key), "lieu_naissance_%ld", idx);
	const char *lieu = input_str(form, key);
	int abroad = strncmp(lieu, "99", 2) == 0;
	json_object_set_new(in, "lieu_type",
	                    json_string(*lieu ? (abroad ? "etranger" : "commune") : ""));
	json_object_set_new(in, abroad ? "pays_naissance" : "commune_naissance", json_string(lieu));
	snprintf(key, sizeof(key), "nationalite_%ld", idx);
	json_object_set_new(in, "nationalite", json_string(input_str(form, key)));
	json_object_set_new(in, "adresse", json_string(str(ctx, "adresse")));
	json_object_set_new(in, "code_postal", json_string(str(ctx, "code_postal")));
	json_object_set_new(in, "commune", json_string(str(ctx, "commune")));
	return in;
}

/* The form field an error of a person field belongs to. */
static void error_field(const char *person_field, long idx, char *out, size_t outsz)
{
	if (strcmp(person_field, "lieu_type") == 0 ||
	    strcmp(person_field, "commune_naissance") == 0 ||
	    strcmp(person_field, "pays_naissance") == 0)
		snprintf(out, outsz, "lieu_naissance_%ld", idx);
	else if (strcmp(person_field, "nationalite") == 0)
		snprintf(out, outsz, "nationalite_%ld", idx);
	else
		snprintf(out, outsz, "enfant_%ld", idx);
}

/* The checks of person_create on the input of one child, without writing:
 * errors added to errs under the form's field names. */
static void check_child(json_t *in, long idx, json_t *errs)
{
	struct person_input p = {
	    .nom_naissance = input_str(in, "nom_naissance"),
	    .nom_usage = input_str(in, "nom_usage"),
	    .prenoms = {input_str(in, "prenom1"), input_str(in, "prenom2"),
	                input_str(in, "prenom3")},
	    .sexe = input_str(in, "sexe"),
	    .date_naissance = input_str(in, "date_naissance"),
	    .lieu_type = input_str(in, "lieu_type"),
	    .commune_naissance = input_str(in, "commune_naissance"),
	    .pays_naissance = input_str(in, "pays_naissance"),
	    .nationalite = input_str(in, "nationalite"),
	    .adresse = input_str(in, "adresse"),
	    .code_postal = input_str(in, "code_postal"),
	    .commune = input_str(in, "commune"),
	};
	struct field_errors fe = {0};
	char field[48];
	int y, m, d;
	paris_ymd(clock_now(), &y, &m, &d);
	if (!*p.lieu_type) {
		snprintf(field, sizeof(field), "lieu_naissance_%ld", idx);
		input_error(errs, field,
		            "Indiquez le code INSEE de la commune de naissance (ou du pays, 99…, "
		            "pour un enfant né à l'étranger).");
	}
	if (!*p.nationalite) {
		snprintf(field, sizeof(field), "nationalite_%ld", idx);
		input_error(errs, field, "Indiquez la nationalité de l'enfant.");
	}
	person_validate(&p, y, m, d, &fe);
	for (int i = 0; i < fe.n && i < FIELD_ERRORS_MAX; i++) {
		error_field(fe.items[i].field, idx, field, sizeof(field));
		input_error(errs, field, fe.items[i].message);
	}
}

/* --- applying --- */

struct child_plan {
	int64_t person_id; /* existing person, or 0: create from in */
	json_t *in;
};

/* Validates every missing child; plans[] filled (n of them). */
static json_t *plan_children(json_t *missing, json_t *form, const json_t *ctx,
                             struct child_plan *plans, size_t *n)
{
	json_t *errs = json_object();
	char field[48];
	size_t i;
	json_t *l;
	*n = 0;
	json_array_foreach(missing, i, l)
	{
		long idx = (long)json_integer_value(json_object_get(l, "index"));
		struct child_plan *pl = &plans[(*n)++];
		pl->person_id = json_integer_value(json_object_get(l, "existing_person_id"));
		pl->in = NULL;
		if (!json_is_true(json_object_get(l, "date_connue")) && !pl->person_id) {
			snprintf(field, sizeof(field), "enfant_%ld", idx);
			input_error(errs, field,
			            "La CAF ne connaît pas la date de naissance de cet enfant : "
			            "ajoutez-le depuis la fiche du foyer.");
			continue;
		}
		if (pl->person_id)
			continue;
		pl->in = child_input(l, form, ctx);
		check_child(pl->in, idx, errs);
	}
	return errs;
}

/* Creates (when needed) and adds one child; 0 or an error. */
static int add_child(struct db *db, const struct actor *who, int64_t household_id,
                     const struct child_plan *pl)
{
	int64_t pid = pl->person_id, mid;
	json_t *errors = NULL;
	int rc = 0;
	if (!pid)
		rc = person_create(db, who, pl->in, &pid, &errors);
	json_decref(errors);
	errors = NULL;
	if (rc != 0)
		return rc;
	json_t *m = json_pack("{s:I, s:s}", "person_id", (json_int_t)pid, "relation", "enfant");
	rc = household_add_member(db, who, household_id, m, &mid, &errors);
	json_decref(m);
	json_decref(errors);
	return rc;
}

int consultation_apply_children(struct db *db, const struct actor *who, int64_t dossier_id,
                                int64_t id, json_t *in, int *added, json_t **errors)
{
	*errors = NULL;
	*added = 0;
	if (!perm_allows(who->role, PERM_PARTICULIER_APPLY))
		return CAS_EPERM;
	int rc;
	json_t *missing = consultation_missing_children(db, who, dossier_id, id, &rc);
	json_t *ctx =
	    missing ? consultation_store_context(db, who->tenant_id, dossier_id, &rc) : NULL;
	if (!ctx) {
		json_decref(missing);
		return rc;
	}
	size_t n = json_array_size(missing), planned = 0;
	struct child_plan *plans = xcalloc(n + 1, sizeof(*plans));
	json_t *errs = plan_children(missing, in, ctx, plans, &planned);
	int64_t hid = json_integer_value(json_object_get(ctx, "household_id"));
	rc = 0;
	if (json_object_size(errs)) {
		*errors = errs;
		errs = NULL;
		rc = CAS_EINVAL;
	}
	for (size_t i = 0; rc == 0 && i < planned; i++) {
		rc = add_child(db, who, hid, &plans[i]);
		*added += rc == 0;
	}
	for (size_t i = 0; i < planned; i++)
		json_decref(plans[i].in);
	free(plans);
	json_decref(errs);
	json_decref(ctx);
	json_decref(missing);
	return rc;
}
