#include "base/embedded.h"

#include <string.h>

const struct embedded_file *embedded_find(const struct embedded_file *files, const char *name)
{
	if (!files || !name)
		return NULL;
	for (const struct embedded_file *f = files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

size_t embedded_count(const struct embedded_file *files)
{
	size_t n = 0;
	while (files && files[n].name)
		n++;
	return n;
}
