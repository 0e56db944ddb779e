#include "standin/params.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/xalloc.h"

void sp_init(struct sp_params *p)
{
	memset(p, 0, sizeof(*p));
}

static void clear_values(struct sp_param *it)
{
	for (int i = 0; i < it->nvalues; i++)
		free(it->values[i]);
	free(it->values);
	it->values = NULL;
	it->nvalues = 0;
}

void sp_free(struct sp_params *p)
{
	for (int i = 0; i < p->n; i++) {
		clear_values(&p->items[i]);
		free(p->items[i].name);
	}
	free(p->items);
	sp_init(p);
}

static struct sp_param *find(const struct sp_params *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->items[i].name, name) == 0)
			return &p->items[i];
	return NULL;
}

static struct sp_param *find_or_add(struct sp_params *p, const char *name)
{
	struct sp_param *it = find(p, name);
	if (it)
		return it;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->items = xrealloc(p->items, (size_t)p->cap * sizeof(*p->items));
	}
	it = &p->items[p->n++];
	memset(it, 0, sizeof(*it));
	it->name = xstrdup(name);
	return it;
}

static void push(struct sp_param *it, const char *value)
{
	it->values = xrealloc(it->values, (size_t)(it->nvalues + 1) * sizeof(char *));
	it->values[it->nvalues++] = xstrdup(value ? value : "");
}

void sp_set(struct sp_params *p, const char *name, const char *value)
{
	struct sp_param *it = find_or_add(p, name);
	clear_values(it);
	it->is_list = 0;
	push(it, value);
}

void sp_add_list(struct sp_params *p, const char *name, const char *value)
{
	struct sp_param *it = find_or_add(p, name);
	if (!it->is_list)
		clear_values(it);
	it->is_list = 1;
	push(it, value);
}

void sp_touch_list(struct sp_params *p, const char *name)
{
	struct sp_param *it = find_or_add(p, name);
	if (!it->is_list)
		clear_values(it);
	it->is_list = 1;
}

void sp_remove(struct sp_params *p, const char *name)
{
	struct sp_param *it = find(p, name);
	if (!it)
		return;
	clear_values(it);
	free(it->name);
	size_t i = (size_t)(it - p->items);
	memmove(it, it + 1, (size_t)(p->n - 1 - (int)i) * sizeof(*it));
	p->n--;
}

const struct sp_param *sp_get(const struct sp_params *p, const char *name)
{
	return find(p, name);
}

const char *sp_str(const struct sp_params *p, const char *name)
{
	const struct sp_param *it = find(p, name);
	if (!it || it->is_list || it->nvalues != 1)
		return NULL;
	return it->values[0];
}

/* The lower-case letter of cp, or cp itself. */
static long lower_cp(long cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp == 0x178)
		return 0xFF; /* Ÿ */
	if (cp == 0x130)
		return 'i'; /* İ */
	/* Latin Extended-A: upper case at even code points, except the
	 * shifted run U+0139..U+0148 and U+0179..U+017E (odd upper case). */
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return (cp & 1) ? cp + 1 : cp;
	if (cp >= 0x100 && cp <= 0x177 && cp != 0x138 && cp != 0x149)
		return (cp & 1) ? cp : cp + 1;
	return cp;
}

static char *map_cps(const char *s, long (*fn)(long))
{
	struct buf b;
	buf_init(&b, (size_t)-1 / 2);
	size_t i = 0;
	for (;;) {
		size_t at = i;
		long cp = utf8_next(s, &i);
		if (cp == 0)
			break;
		char enc[4];
		size_t n = cp > 0 ? utf8_encode(fn(cp), enc) : 0;
		if (n)
			buf_append(&b, enc, n);
		else
			buf_append(&b, s + at, i - at); /* invalid byte: kept */
	}
	return buf_steal(&b);
}

char *sp_lower(const char *s)
{
	return map_cps(s, lower_cp);
}

static long plain_apostrophe(long cp)
{
	return cp == 0x2019 ? '\'' : cp;
}

char *sp_plain_apostrophes(const char *s)
{
	return map_cps(s, plain_apostrophe);
}
