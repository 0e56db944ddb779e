/* The kinds of file accepted as pièces justificatives (PDF, JPEG, PNG),
 * recognised by their content only: the name and the type a browser
 * announces are never trusted. Besides the signature, the minimal structure
 * is checked, so that a truncated or damaged file is refused too:
 *   PDF   "%PDF-" and a version digit at the very start, "%%EOF" in the
 *         last 1024 bytes (where readers look for it);
 *   JPEG  SOI (FF D8), then well-formed marker segments with a frame header
 *         and a scan, up to EOI (FF D9); bytes after EOI are allowed
 *         (phones append their own data there);
 *   PNG   the 8-byte signature, IHDR first with valid fields and CRC, then
 *         whole chunks up to IEND, with at least one IDAT.
 * Pure functions: no I/O, no allocation. */
#ifndef CAS_DOMAIN_FILETYPE_H
#define CAS_DOMAIN_FILETYPE_H
#include <stddef.h>

enum filetype { FILETYPE_NONE, FILETYPE_PDF, FILETYPE_JPEG, FILETYPE_PNG };

/* Why a file is refused. */
enum filetype_error {
	FILETYPE_OK,
	FILETYPE_EMPTY,   /* no byte at all */
	FILETYPE_TOO_BIG, /* more than the limit */
	FILETYPE_UNKNOWN, /* not a PDF, JPEG or PNG */
	FILETYPE_DAMAGED, /* starts as one of them, but is truncated or malformed */
};

#define FILETYPE_MAX_DEFAULT ((size_t)10 * 1024 * 1024) /* 10 MiB */

/* Checks the len bytes at data against the limit max (bytes) and the
 * formats above. Returns FILETYPE_OK with *type set, or the reason of the
 * refusal (*type is then the format the file pretends to be, or
 * FILETYPE_NONE). data may be NULL when len is 0. */
enum filetype_error filetype_check(const void *data, size_t len, size_t max, enum filetype *type);

/* "application/pdf", "image/jpeg", "image/png"; NULL for FILETYPE_NONE. */
const char *filetype_mime(enum filetype t);
/* The reverse, for stored values; FILETYPE_NONE when unknown or NULL. */
enum filetype filetype_from_mime(const char *mime);
/* "PDF", "JPEG", "PNG" ("" for FILETYPE_NONE). */
const char *filetype_label(enum filetype t);
/* The usual extension without the dot: "pdf", "jpg", "png" ("" for none). */
const char *filetype_ext(enum filetype t);

/* The French message of a refusal, into out (NUL-terminated, truncated to
 * outsz): e.g. "Ce fichier n'est pas un PDF, JPEG ou PNG." or "Fichier trop
 * volumineux (10 Mo au plus)." (max in Mo when a whole number of Mio, else
 * in Ko). type is what filetype_check set. Returns out. */
char *filetype_message(enum filetype_error e, enum filetype type, size_t max, char *out,
                       size_t outsz);

/* The limit max for people: "10 Mo" when a whole number of Mio, else in Ko
 * ("1536 Ko"). Returns out. */
char *filetype_limit_text(size_t max, char *out, size_t outsz);

/* Writes to out a file name fit to be shown and sent back in a download:
 * name without its directories (anything up to the last '/' or '\'),
 * leading dots and blanks, trailing ones; control characters, '"' and
 * invalid UTF-8 replaced by '_'; at most 120 characters; and ending with the extension of type (".pdf" replacing
 * another of the three known extensions, appended otherwise, ".jpeg" kept
 * for a JPEG). An empty result becomes "piece.<ext>". Returns out;
 * outsz >= 512 holds any result. */
char *filetype_safe_name(const char *name, enum filetype type, char *out, size_t outsz);

#endif
