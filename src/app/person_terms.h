/* Reading what an agent typed in the person search into a store query.
 *
 * Name: the text is folded (domain/fold.h). A person matches when the
 * folded nom de naissance or nom d'usage starts with it, or has the same
 * phonetic key ("lefevre" finds Lefebvre and Lefèvre). With two words or
 * more, the text may also be "nom prénom" (all words but the last as the
 * name, the last as the start of the prénoms) or "prénom nom".
 *
 * Birth date: a full date also finds the persons whose day or month of
 * birth is unknown in that month or year; "MM/AAAA" and "AAAA" find the
 * whole month or year. */
#ifndef CAS_PERSON_TERMS_H
#define CAS_PERSON_TERMS_H
#include "store/person_store.h"

#define PERSON_TERMS_MAX 200 /* bytes of folded name text that count */

/* Holds the query and the strings it points to: keep it alive while the
 * query is used. */
struct person_terms {
	struct person_query q;
	char full[PERSON_TERMS_MAX + 1];
	char head[PERSON_TERMS_MAX + 1]; /* all words but the last */
	char tail[PERSON_TERMS_MAX + 1]; /* all words but the first */
	char first[PERSON_TERMS_MAX + 1];
	char last[PERSON_TERMS_MAX + 1];
	char phon[3][PERSON_TERMS_MAX + 1];
	char dates[PERSON_QUERY_DATES][2][11];
};

/* Fills t->q's name alternatives and date ranges (the rest of t->q is
 * zeroed: the caller sets sort and limits). name and date may be NULL or
 * blank. Returns 0, or CAS_EINVAL with a French message in *why when the
 * date cannot be read. */
int person_terms_build(struct person_terms *t, const char *name, const char *date,
                       const char **why);

#endif
