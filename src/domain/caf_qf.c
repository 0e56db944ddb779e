/* Quotient familial of the CAF and its parts table: see caf_qf.h. */
#include "domain/caf_qf.h"

#include <string.h>

#include "base/err.h"

#define CAF_MAX_CHILDREN 1000

static struct ratio half(void)
{
	struct ratio r = {1, 2};
	return r;
}

void caf_parts_table_cnaf(struct caf_parts_table *t)
{
	memset(t, 0, sizeof(*t));
	t->couple = ratio_int(2);
	t->isole = ratio_int(2);
	t->isole_sans_enfant = ratio_int(2);
	t->parent_isole = ratio_int(0);
	t->handicap = half();
	t->enfants[0] = half();
	t->enfants[1] = half();
	t->enfants[2] = ratio_int(1);
	t->enfants[3] = half();
	t->nb_ranks = 4;
}

/* Reads an optional part key: absent keeps *out; present must be >= 0
 * (> 0 when positive is set). */
static int read_part(const json_t *j, const char *key, int positive, struct ratio *out,
                     const char **why, const char *msg)
{
	const json_t *v = json_object_get(j, key);
	struct ratio r;
	if (!v)
		return 0;
	if (ratio_from_json(v, &r) != 0 || ratio_sign(r) < 0 || (positive && ratio_sign(r) == 0)) {
		if (why)
			*why = msg;
		return CAS_EINVAL;
	}
	*out = r;
	return 0;
}

static int read_ranks(const json_t *j, struct caf_parts_table *t, const char **why)
{
	const json_t *arr = json_object_get(j, "enfants");
	static const char *msg = "Le barème des parts par rang d'enfant doit être une liste de 1 "
	                         "à 8 nombres positifs ou nuls.";
	size_t i;
	const json_t *v;
	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) < 1 ||
	    json_array_size(arr) > CAF_PARTS_MAX_RANKS)
		goto bad;
	json_array_foreach(arr, i, v)
	{
		if (ratio_from_json(v, &t->enfants[i]) != 0 || ratio_sign(t->enfants[i]) < 0)
			goto bad;
	}
	t->nb_ranks = (int)json_array_size(arr);
	return 0;
bad:
	if (why)
		*why = msg;
	return CAS_EINVAL;
}

int caf_parts_table_from_json(const json_t *j, struct caf_parts_table *t, const char **why)
{
	caf_parts_table_cnaf(t);
	if (!j)
		return 0;
	if (!json_is_object(j)) {
		if (why)
			*why = "Le barème des parts CAF doit être un objet JSON.";
		return CAS_EINVAL;
	}
	int has_sans = json_object_get(j, "isole_sans_enfant") != NULL;
	if (read_part(j, "couple", 1, &t->couple, why,
	              "La part de base d'un couple doit être un nombre positif.") ||
	    read_part(j, "isole", 1, &t->isole, why,
	              "La part de base d'une personne isolée doit être un nombre positif.") ||
	    read_part(j, "isole_sans_enfant", 1, &t->isole_sans_enfant, why,
	              "La part d'une personne isolée sans enfant doit être un nombre positif.") ||
	    read_part(j, "parent_isole", 0, &t->parent_isole, why,
	              "La majoration du parent isolé doit être un nombre positif ou nul.") ||
	    read_part(j, "handicap", 0, &t->handicap, why,
	              "La part par enfant handicapé doit être un nombre positif ou nul.") ||
	    read_ranks(j, t, why))
		return CAS_EINVAL;
	if (!has_sans)
		t->isole_sans_enfant = t->isole;
	return 0;
}

static struct ratio base_parts(const struct caf_parts_table *t, int en_couple, int nb_enfants)
{
	if (en_couple)
		return t->couple;
	return nb_enfants > 0 ? t->isole : t->isole_sans_enfant;
}

int caf_parts(const struct caf_parts_table *t, int en_couple, int nb_enfants, int nb_aeeh,
              struct ratio *out)
{
	if (nb_enfants < 0 || nb_aeeh < 0 || nb_aeeh > nb_enfants ||
	    nb_enfants > CAF_MAX_CHILDREN || t->nb_ranks < 1 || t->nb_ranks > CAF_PARTS_MAX_RANKS)
		return CAS_EINVAL;
	struct ratio p = base_parts(t, en_couple, nb_enfants), extra;
	int rc = 0;
	if (!en_couple && nb_enfants > 0)
		rc = ratio_add(p, t->parent_isole, &p);
	for (int rank = 0; rc == 0 && rank < nb_enfants; rank++) {
		int k = rank < t->nb_ranks ? rank : t->nb_ranks - 1;
		rc = ratio_add(p, t->enfants[k], &p);
	}
	if (rc == 0)
		rc = ratio_mul(t->handicap, ratio_int(nb_aeeh), &extra);
	if (rc == 0)
		rc = ratio_add(p, extra, &p);
	if (rc == 0)
		*out = p;
	return rc;
}

int caf_qf(int64_t annual_cents, int64_t pf_month_cents, struct ratio parts, struct ratio *out)
{
	struct ratio monthly, total;
	if (annual_cents < 0 || pf_month_cents < 0 || ratio_sign(parts) <= 0)
		return CAS_EINVAL;
	int rc = ratio_make(annual_cents, 1200, &monthly);
	if (rc == 0)
		rc = ratio_add(monthly, ratio_cents(pf_month_cents), &total);
	if (rc == 0)
		rc = ratio_div(total, parts, out);
	return rc;
}
