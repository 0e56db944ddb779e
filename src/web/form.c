#include "web/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/xalloc.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes in place; returns the new length or -1 on a bad escape. */
static long decode(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			s[o++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			s[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	return (long)o;
}

static char *trim(char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		(*n)--;
	}
	while (*n &&
	       (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r' || s[*n - 1] == '\n'))
		(*n)--;
	s[*n] = '\0';
	return s;
}

static int add_pair(json_t *o, char *pair, size_t n)
{
	char *eq = memchr(pair, '=', n);
	size_t klen = eq ? (size_t)(eq - pair) : n;
	char *val = eq ? eq + 1 : pair + n;
	size_t vlen = eq ? n - klen - 1 : 0;
	long kl = decode(pair, klen), vl = decode(val, vlen);
	if (kl <= 0 || vl < 0 || !utf8_valid(pair, (size_t)kl) || !utf8_valid(val, (size_t)vl))
		return kl == 0 ? 0 : -1;
	pair[kl] = '\0';
	size_t vn = (size_t)vl;
	char *v = trim(val, &vn);
	if (!json_object_get(o, pair))
		return json_object_set_new(o, pair, json_stringn(v, vn));
	for (int i = 1; i < 100; i++) {
		char key[300];
		snprintf(key, sizeof(key), "%.280s[%d]", pair, i);
		if (!json_object_get(o, key))
			return json_object_set_new(o, key, json_stringn(v, vn));
	}
	return -1;
}

json_t *form_parse(const char *body, size_t len)
{
	json_t *o = json_object();
	char *copy = xstrndup(body ? body : "", body ? len : 0);
	char *p = copy, *end = copy + (body ? len : 0);
	while (p < end) {
		char *amp = memchr(p, '&', (size_t)(end - p));
		size_t n = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (n && add_pair(o, p, n) != 0) {
			json_decref(o);
			o = NULL;
			break;
		}
		p += n + 1;
	}
	free(copy);
	return o;
}
