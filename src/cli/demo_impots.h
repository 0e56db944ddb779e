/* The numéros fiscaux of the demonstration households: fictitious, known
 * to the stand-in of API Impôt particulier (cassis standin impots, files
 * standin/fixtures/api-impot-particulier/demo-*.json). Cassis never stores
 * a numéro fiscal, so `cassis demo` prints them for the agent to type. */
#ifndef CAS_DEMO_IMPOTS_H
#define CAS_DEMO_IMPOTS_H
#include <stdio.h>

/* One row per household of demo_households, in the same order: the
 * numéro fiscal of the demandeur, then the conjoint's (NULL when the
 * demandeur files alone). */
extern const char *const demo_spis[][2];
extern const int demo_spis_count;

/* Prints the list, one household a line, with the declarants' names. */
void demo_print_spis(FILE *out);

#endif
