/* Amounts of money in euros, held as integer cents (int64_t): no floating
 * point anywhere.
 *
 * money_parse() reads what an agent types in a form: "1234", "1234,5",
 * "1 234,56", "1234.56", "12 €", "1 234,56 €". The decimal separator is a
 * comma or a dot followed by one or two digits; thousands may be grouped
 * by spaces (ASCII, U+00A0 or U+202F), in groups of exactly three digits.
 * A "€" sign may follow (or precede) the number. Refused: empty text,
 * negative amounts, more than two decimals, dots or commas used as
 * thousands separators ("1.234,56"), anything else, and amounts above
 * MONEY_MAX_CENTS (100 000 000,00 €).
 *
 * Formatting, two forms:
 *   money_format()       "1 234,56 €" for people: U+202F (narrow no-break
 *                        space) between thousands, U+00A0 before "€";
 *   money_format_plain() "1234.56" for machines: CSV and spreadsheet
 *                        exports, log lines. No grouping, dot decimal, no
 *                        sign of currency. JSON carries the integer cents
 *                        themselves, not this text.
 * Both write a '-' before negative amounts (a balance can be negative), are
 * NUL-terminated when outsz > 0 and truncated at a character boundary; a
 * buffer of MONEY_FMT_SIZE bytes always suffices. */
#ifndef CAS_DOMAIN_MONEY_H
#define CAS_DOMAIN_MONEY_H
#include <stddef.h>
#include <stdint.h>

#define MONEY_MAX_CENTS INT64_C(10000000000) /* 100 000 000,00 € */
#define MONEY_FMT_SIZE  64

/* Returns 0 and sets *cents, or CAS_EINVAL with a static French message in
 * *why (when not NULL); *cents is left untouched on failure. */
int money_parse(const char *s, int64_t *cents, const char **why);

void money_format(int64_t cents, char *out, size_t outsz);
void money_format_plain(int64_t cents, char *out, size_t outsz);

#endif
