/* UTF-8 validation and counting for text that crosses an input boundary. */
#ifndef CAS_UTF8_H
#define CAS_UTF8_H
#include <stddef.h>

/* 1 if the n bytes at s are acceptable text, 0 otherwise.
 * Acceptable means well-formed UTF-8 (no overlong forms, no surrogates
 * U+D800..U+DFFF, nothing above U+10FFFF, no truncated sequence) AND no
 * control character of the C0 range (U+0000..U+001F, so NUL bytes too)
 * except TAB, LF and CR. DEL and C1 controls are accepted. */
int utf8_valid(const char *s, size_t n);

/* Length of the longest acceptable prefix of s (n bytes): the offset of
 * the first rejected byte, or n when all are acceptable. */
size_t utf8_valid_prefix(const char *s, size_t n);

/* Number of code points in the NUL-terminated string s, counting every
 * byte that does not start a sequence's continuation. Meant for valid
 * UTF-8; on invalid input the count is an approximation. */
size_t utf8_strlen(const char *s);

/* Length in bytes of the longest prefix of s (n bytes) holding at most
 * max_cp code points and never cutting a sequence in the middle. */
size_t utf8_prefix(const char *s, size_t n, size_t max_cp);

/* Decodes the code point at s[*i] and advances *i past it. Returns 0 at
 * the terminating NUL (without advancing), -1 for an invalid sequence
 * (advancing by one byte so that the caller can go on). */
long utf8_next(const char *s, size_t *i);
/* Encodes cp into out; returns the number of bytes, 0 for an invalid cp. */
size_t utf8_encode(long cp, char out[4]);
/* Space characters of text input: space, tab, no-break and typographic spaces. */
int utf8_is_space(long cp);

#endif
