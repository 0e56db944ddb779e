/* libFuzzer target: the pièces justificatives' type check by content
 * (domain/filetype.h) on any bytes, under several size limits, and the
 * cleaning of a file name made of the same bytes. Never a crash; an
 * accepted file always has a type and a MIME type; a cleaned name is valid
 * UTF-8, has no directory part and ends with the type's extension. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "domain/filetype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const uint8_t *data, size_t size, enum filetype type)
{
	char *name = malloc(size + 1), out[512];
	memcpy(name, data, size);
	name[size] = '\0';
	filetype_safe_name(name, type, out, sizeof(out));
	size_t n = strlen(out);
	if (!utf8_valid(out, n) || strchr(out, '/') || strchr(out, '\\') || strchr(out, '"') || !n)
		abort();
	const char *ext = filetype_ext(type);
	const char *dot = strrchr(out, '.');
	if (*ext && (!dot || (strcmp(dot + 1, ext) != 0 && strcasecmp(dot + 1, ext) != 0 &&
	                      !(type == FILETYPE_JPEG && strcasecmp(dot + 1, "jpeg") == 0))))
		abort();
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = {0, 16, 1024, FILETYPE_MAX_DEFAULT};
	char msg[256];
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		enum filetype t;
		enum filetype_error e = filetype_check(data, size, limits[i], &t);
		if (e == FILETYPE_OK && (t == FILETYPE_NONE || !filetype_mime(t)))
			abort();
		if (e == FILETYPE_TOO_BIG && size <= limits[i])
			abort();
		filetype_message(e, t, limits[i], msg, sizeof(msg));
		if (!utf8_valid(msg, strlen(msg)))
			abort();
	}
	check_name(data, size, FILETYPE_PDF);
	check_name(data, size, FILETYPE_JPEG);
	return 0;
}
