#include "base/utf8.h"

#include <stdint.h>

/* Length of the sequence starting with lead byte c, 0 if c cannot start one. */
static int seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

static int is_allowed_ascii(unsigned char c)
{
	return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
}

/* Decodes the multi-byte sequence at p of length len (2..4) and checks
 * continuation bytes and the code point range. */
static int multibyte_ok(const unsigned char *p, int len)
{
	uint32_t cp = p[0] & (0xFF >> (len + 1));
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min_cp[len])
		return 0; /* overlong */
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0; /* surrogate */
	return cp <= 0x10FFFF;
}

size_t utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		int len = seq_len(p[i]);
		if (len == 0 || (size_t)len > n - i)
			return i;
		if (len == 1 && !is_allowed_ascii(p[i]))
			return i;
		if (len > 1 && !multibyte_ok(p + i, len))
			return i;
		i += (size_t)len;
	}
	return n;
}

int utf8_valid(const char *s, size_t n)
{
	return utf8_valid_prefix(s, n) == n;
}

size_t utf8_strlen(const char *s)
{
	size_t count = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			count++;
	return count;
}

size_t utf8_prefix(const char *s, size_t n, size_t max_cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if ((p[i] & 0xC0) == 0x80)
			continue;
		if (count == max_cp)
			return i;
		count++;
	}
	return n;
}

/* Length of the sequence announced by a lead byte, 0 when it cannot lead. */
static long min_for_length(int n)
{
	return n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
}

long utf8_next(const char *s, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	int n = seq_len(p[0]);
	long cp;

	if (p[0] == 0)
		return 0;
	if (n == 0)
		goto bad;
	if (n == 1) {
		*i += 1;
		return p[0];
	}
	cp = p[0] & (0x7f >> n);
	for (int k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if (cp < min_for_length(n) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*i += (size_t)n;
	return cp;
bad:
	*i += 1;
	return -1;
}

size_t utf8_encode(long cp, char out[4])
{
	if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int utf8_is_space(long cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}
