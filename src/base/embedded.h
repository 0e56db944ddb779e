/* Files embedded into the binary at build time by scripts/embed.py.
 * A generated table is an array of struct embedded_file ending with an
 * entry whose name is NULL. Everything is static data: nothing to free. */
#ifndef CAS_EMBEDDED_H
#define CAS_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *name;          /* logical name, '/'-separated, e.g. "dossier/show.html" */
	const unsigned char *data; /* len bytes, followed by a NUL not counted in len */
	size_t len;
};

/* The entry named name in files, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *files, const char *name);

/* Number of entries in files (the terminator not counted). */
size_t embedded_count(const struct embedded_file *files);

#endif
