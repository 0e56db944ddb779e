/* Redaction of free text written about a household (the motif of a
 * demand, the agent's assessment, an explanation) before it is shown to
 * readers who must not learn who the household is, such as the elected
 * members of the commission.
 *
 * A redaction set holds the words to hide, in folded form (domain/fold.h:
 * case and accents do not matter): the names of the persons, the
 * distinctive words of their address. redact_text() replaces, in a text:
 *   - every word of the set ("Gaëlle", "GAELLE" and "gaelle" alike);
 *   - every character run holding an "@" (an e-mail address);
 *   - every full date, numeric ("12/03/1984", "12.03.84" is not one,
 *     "1984-03-12") or written ("12 mars 1984", "1er mai 1990");
 *   - every run of digit groups of 8 digits or more (a telephone number,
 *     a social security or bank account number),
 * by the mark REDACT_MARK; marks separated only by spaces, hyphens,
 * apostrophes or dots become one ("Gaëlle Martin-Durand" -> "[…]").
 * Everything else is kept as written. Pure: no I/O. */
#ifndef CAS_DOMAIN_REDACT_H
#define CAS_DOMAIN_REDACT_H

#define REDACT_MARK "[…]"

struct redact;

/* An empty set; free with redact_free(). */
struct redact *redact_new(void);
void redact_free(struct redact *r); /* NULL is fine */

/* Adds each word of a name (nom, prénom; NULL or "" adds nothing): words
 * of one letter are skipped. */
void redact_add_name(struct redact *r, const char *name);
/* Adds the distinctive words of a postal address: words of four letters
 * or more that are neither numbers nor words of any address ("rue",
 * "avenue", "résidence", "bâtiment"...). */
void redact_add_address(struct redact *r, const char *address);

/* The text with the redactions above: a new string (caller frees). NULL
 * text gives "". */
char *redact_text(const struct redact *r, const char *text);

#endif
