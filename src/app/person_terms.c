#include "app/person_terms.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "domain/fold.h"
#include "domain/pdate.h"

static void copy_n(char *out, size_t outsz, const char *s, size_t n)
{
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static void add_alt(struct person_terms *t, const char *nom, const char *prenom)
{
	int k = t->q.nalts;
	phonetic_key(nom, t->phon[k], sizeof(t->phon[k]));
	t->q.alts[k].nom_prefix = nom;
	t->q.alts[k].nom_phon = t->phon[k];
	t->q.alts[k].prenom_prefix = prenom;
	t->q.nalts++;
}

static void build_names(struct person_terms *t, const char *name)
{
	fold_text(name ? name : "", t->full, sizeof(t->full));
	size_t n = strlen(t->full);
	while (n > 0 && t->full[n - 1] == ' ') /* a cut may leave a separator */
		t->full[--n] = '\0';
	if (n == 0)
		return;
	add_alt(t, t->full, NULL);
	const char *sp1 = strchr(t->full, ' ');
	if (!sp1)
		return;
	const char *sp2 = strrchr(t->full, ' ');
	copy_n(t->first, sizeof(t->first), t->full, (size_t)(sp1 - t->full));
	copy_n(t->tail, sizeof(t->tail), sp1 + 1, strlen(sp1 + 1));
	copy_n(t->head, sizeof(t->head), t->full, (size_t)(sp2 - t->full));
	copy_n(t->last, sizeof(t->last), sp2 + 1, strlen(sp2 + 1));
	add_alt(t, t->head, t->last);  /* "nom prénom" */
	add_alt(t, t->tail, t->first); /* "prénom nom" */
}

static void add_range(struct person_terms *t, int y, int m1, int d1, int m2, int d2)
{
	int k = t->q.ndates;
	snprintf(t->dates[k][0], sizeof(t->dates[k][0]), "%04d-%02d-%02d", y, m1, d1);
	snprintf(t->dates[k][1], sizeof(t->dates[k][1]), "%04d-%02d-%02d", y, m2, d2);
	t->q.dates[k].lo = t->dates[k][0];
	t->q.dates[k].hi = t->dates[k][1];
	t->q.ndates++;
}

static int blank(const char *s)
{
	return !s || s[strspn(s, " \t")] == '\0';
}

static int build_dates(struct person_terms *t, const char *date, const char **why)
{
	struct pdate d;
	if (blank(date))
		return 0;
	if (pdate_parse(date, &d, why) != 0)
		return CAS_EINVAL;
	if (d.month == 0) {
		add_range(t, d.year, 0, 0, 12, 31);
		return 0;
	}
	if (d.day == 0) {
		add_range(t, d.year, d.month, 0, d.month, 31);
	} else {
		add_range(t, d.year, d.month, d.day, d.month, d.day);
		add_range(t, d.year, d.month, 0, d.month, 0);
	}
	add_range(t, d.year, 0, 0, 0, 0);
	return 0;
}

int person_terms_build(struct person_terms *t, const char *name, const char *date, const char **why)
{
	memset(t, 0, sizeof(*t));
	build_names(t, name);
	return build_dates(t, date, why);
}
