/* Search keys for names: an accent- and case-insensitive form, and a
 * French phonetic key. Both write into a caller-provided buffer, always
 * NUL-terminated when outsz > 0, truncated at a character boundary when it
 * is too small (the output is never longer than the input, so a buffer of
 * strlen(input) + 1 bytes always suffices).
 *
 * fold_text():
 *   - ASCII letters are lower-cased; digits are kept;
 *   - Latin letters with diacritics (Latin-1, Latin Extended-A, Romanian
 *     ș ț) lose them: "Élodie Françoise" -> "elodie francoise"; the
 *     ligatures become two letters: æ -> ae, œ -> oe, ß -> ss, ĳ -> ij,
 *     þ -> th; combining accents (decomposed input) are dropped;
 *   - spaces of any kind, apostrophes, hyphens, dashes and other ASCII or
 *     Latin-1 punctuation separate words; runs of separators become one
 *     space, and leading and trailing ones are trimmed:
 *     "  D'Artagnan--Le Grand " -> "d artagnan le grand";
 *   - other characters (Greek, Cyrillic, Arabic, CJK...) are copied
 *     unchanged, so that such names still have a key; invalid UTF-8 bytes
 *     are dropped.
 *
 * phonetic_key() folds the text, then computes for each word a key of
 * lower-case ASCII letters; the word keys are joined by one space. Digits
 * and non-Latin characters are ignored. Per word, in order:
 *   1. spelling of consonants: sch, sh, ch -> c (the "ch" sound; no other
 *      c remains), but chr -> kr and chl -> kl (Christophe, Chloé);
 *      ph -> f, th -> t, gh -> g, rh -> r, ck, qu, q -> k; c before e, i,
 *      y -> s, other c -> k; gu before e, i, y -> g; ge before a, o, u ->
 *      j; g before e, i, y -> j; sc before e, i, y -> s; bv -> v
 *      (Lefebvre), dt -> t (Schmidt); w -> v, z -> s, y -> i; any other
 *      h is silent;
 *   2. doubled letters are reduced to one;
 *   3. vowel groups: eaux, eau, au -> o, final aux and ault -> o; ou -> u;
 *      ai, ei -> e; final er -> e; nasals (not followed by a vowel, n or m):
 *      ain, ein, ien, in, im, un, um -> in; ean, an, am, en, em -> an;
 *      on, om -> on;
 *   4. silent endings: a final s or x, then a final t or d, then a final
 *      e are dropped, each only while the key keeps at least one letter
 *      (so the consonant before a final e stays: Laurence "lorans" is not
 *      Laurent "loran");
 *   5. doubled letters are reduced to one again.
 * Examples: Lefebvre, Lefèvre -> "lefevr"; Dupont, Dupond -> "dupon";
 * Philippe, Filipe -> "filip"; Gauthier, Gautier -> "goti";
 * Rousseau, Rousseaux -> "ruso"; Martin, Martins -> "martin"; Bernard ->
 * "bernar" and Bertrand -> "bertran" stay apart.
 * The key is a search aid that brings homophones together; it is neither
 * an identity check nor a complete model of French pronunciation. */
#ifndef CAS_DOMAIN_FOLD_H
#define CAS_DOMAIN_FOLD_H
#include <stddef.h>

void fold_text(const char *utf8, char *out, size_t outsz);

/* Only the first FOLD_PHONETIC_MAX - 1 bytes of the folded text count. */
#define FOLD_PHONETIC_MAX 256
void phonetic_key(const char *utf8, char *out, size_t outsz);

#endif
