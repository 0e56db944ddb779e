#include "domain/filetype.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"

#define PDF_TAIL    1024 /* readers look for %%EOF in the last 1024 bytes */
#define NAME_MAX_CP 120

/* --- PDF --- */

static int pdf_head(const unsigned char *p, size_t n)
{
	return n >= 8 && memcmp(p, "%PDF-", 5) == 0 && p[5] >= '1' && p[5] <= '2' && p[6] == '.';
}

static enum filetype_error pdf_check(const unsigned char *p, size_t n)
{
	size_t from = n > PDF_TAIL ? n - PDF_TAIL : 0;
	for (size_t i = n - 5 + 1; i-- > from;)
		if (memcmp(p + i, "%%EOF", 5) == 0)
			return FILETYPE_OK;
	return FILETYPE_DAMAGED;
}

/* --- JPEG --- */

static int is_frame_header(unsigned m)
{
	/* SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC) */
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* Skips entropy-coded data from i: returns the index of the next marker
 * (an FF not followed by 00, a restart marker or a fill FF), or n. */
static size_t skip_scan(const unsigned char *p, size_t n, size_t i)
{
	for (; i + 1 < n; i++) {
		if (p[i] != 0xff)
			continue;
		unsigned m = p[i + 1];
		if (m == 0x00 || (m >= 0xd0 && m <= 0xd7) || m == 0xff)
			continue;
		return i;
	}
	return n;
}

/* Walks the marker segments after SOI up to EOI. */
static enum filetype_error jpeg_check(const unsigned char *p, size_t n)
{
	size_t i = 2;
	int frame = 0, scan = 0;
	while (i + 1 < n) {
		if (p[i] != 0xff)
			return FILETYPE_DAMAGED;
		unsigned m = p[i + 1];
		if (m == 0xff) { /* fill byte before a marker */
			i++;
			continue;
		}
		if (m == 0xd9)
			return frame && scan ? FILETYPE_OK : FILETYPE_DAMAGED;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) { /* no length */
			i += 2;
			continue;
		}
		if (m == 0xd8 || m == 0x00 || i + 4 > n)
			return FILETYPE_DAMAGED;
		size_t len = (size_t)p[i + 2] << 8 | p[i + 3];
		if (len < 2 || i + 2 + len > n)
			return FILETYPE_DAMAGED;
		frame |= is_frame_header(m);
		i += 2 + len;
		if (m == 0xda) {
			if (!frame)
				return FILETYPE_DAMAGED;
			scan = 1;
			i = skip_scan(p, n, i);
		}
	}
	return FILETYPE_DAMAGED; /* no EOI: truncated */
}

/* --- PNG --- */

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

/* IHDR's 13 bytes at d: sizes, and a bit depth allowed for the colour type. */
static int ihdr_valid(const unsigned char *d)
{
	uint32_t w = be32(d), h = be32(d + 4);
	unsigned depth = d[8], colour = d[9];
	if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu)
		return 0;
	if (d[10] != 0 || d[11] != 0 || d[12] > 1) /* compression, filter, interlace */
		return 0;
	switch (colour) {
	case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
	case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case 2:
	case 4:
	case 6: return depth == 8 || depth == 16;
	default: return 0;
	}
}

static enum filetype_error png_check(const unsigned char *p, size_t n)
{
	/* signature, then IHDR: length 13, type, data, CRC over type and data */
	if (n < 8 + 25 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0 ||
	    !ihdr_valid(p + 16) || crc32_png(p + 12, 17) != be32(p + 29))
		return FILETYPE_DAMAGED;
	size_t i = 33;
	int idat = 0;
	while (i + 12 <= n) {
		uint32_t len = be32(p + i);
		if (len > 0x7fffffffu || len > n - i - 12)
			return FILETYPE_DAMAGED;
		const unsigned char *type = p + i + 4;
		idat |= memcmp(type, "IDAT", 4) == 0;
		if (memcmp(type, "IEND", 4) == 0)
			return idat && len == 0 ? FILETYPE_OK : FILETYPE_DAMAGED;
		i += 12 + (size_t)len;
	}
	return FILETYPE_DAMAGED; /* no IEND: truncated */
}

enum filetype_error filetype_check(const void *data, size_t len, size_t max, enum filetype *type)
{
	const unsigned char *p = data;
	*type = FILETYPE_NONE;
	if (len == 0 || !p)
		return FILETYPE_EMPTY;
	if (len > max)
		return FILETYPE_TOO_BIG;
	if (pdf_head(p, len)) {
		*type = FILETYPE_PDF;
		return pdf_check(p, len);
	}
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
		*type = FILETYPE_JPEG;
		return jpeg_check(p, len);
	}
	if (len >= 8 && memcmp(p, png_sig, 8) == 0) {
		*type = FILETYPE_PNG;
		return png_check(p, len);
	}
	return FILETYPE_UNKNOWN;
}

/* --- names and messages --- */

static const char *const mimes[] = {NULL, "application/pdf", "image/jpeg", "image/png"};
static const char *const labels[] = {"", "PDF", "JPEG", "PNG"};
static const char *const exts[] = {"", "pdf", "jpg", "png"};

static int known(enum filetype t)
{
	return t > FILETYPE_NONE && t <= FILETYPE_PNG;
}

const char *filetype_mime(enum filetype t)
{
	return known(t) ? mimes[t] : NULL;
}

enum filetype filetype_from_mime(const char *mime)
{
	for (int t = FILETYPE_PDF; mime && t <= FILETYPE_PNG; t++)
		if (strcmp(mime, mimes[t]) == 0)
			return (enum filetype)t;
	return FILETYPE_NONE;
}

const char *filetype_label(enum filetype t)
{
	return known(t) ? labels[t] : "";
}

const char *filetype_ext(enum filetype t)
{
	return known(t) ? exts[t] : "";
}

char *filetype_limit_text(size_t max, char *out, size_t outsz)
{
	const size_t mib = 1024 * 1024;
	if (max >= mib && max % mib == 0)
		snprintf(out, outsz, "%zu Mo", max / mib);
	else
		snprintf(out, outsz, "%zu Ko", (max + 1023) / 1024);
	return out;
}

char *filetype_message(enum filetype_error e, enum filetype type, size_t max, char *out,
                       size_t outsz)
{
	char size[32];
	switch (e) {
	case FILETYPE_OK: snprintf(out, outsz, "%s", ""); break;
	case FILETYPE_EMPTY: snprintf(out, outsz, "Le fichier est vide."); break;
	case FILETYPE_TOO_BIG:
		snprintf(out, outsz, "Fichier trop volumineux (%s au plus).",
		         filetype_limit_text(max, size, sizeof(size)));
		break;
	case FILETYPE_DAMAGED:
		snprintf(out, outsz,
		         "Ce fichier %s est incomplet ou endommagé : enregistrez-le ou "
		         "numérisez la pièce à nouveau.",
		         known(type) ? filetype_label(type) : "");
		break;
	default: snprintf(out, outsz, "Ce fichier n'est pas un PDF, JPEG ou PNG."); break;
	}
	return out;
}

/* The extension of name (after the last '.'), or NULL. */
static const char *extension(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name ? dot + 1 : NULL;
}

static int is_known_ext(const char *ext)
{
	static const char *const all[] = {"pdf", "jpg", "jpeg", "png"};
	for (size_t i = 0; ext && i < sizeof(all) / sizeof(all[0]); i++)
		if (strcasecmp(ext, all[i]) == 0)
			return 1;
	return 0;
}

/* Copies the last path element of name, cleaned, at most NAME_MAX_CP code
 * points, into out (outsz >= 4 * NAME_MAX_CP + 1). */
static void clean_base(const char *name, char *out, size_t outsz)
{
	const char *slash = strrchr(name, '/'), *back = strrchr(name, '\\');
	const char *s = slash > back ? slash + 1 : back ? back + 1 : name;
	s += strspn(s, ". "); /* no hidden file, no leading blank */
	size_t i = 0, o = 0, cps = 0;
	while (s[i] && cps < NAME_MAX_CP && o + 5 < outsz) {
		size_t start = i;
		long cp = utf8_next(s, &i);
		if (cp < 0x20 || cp == '"' || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			out[o++] = '_';
		} else {
			memcpy(out + o, s + start, i - start);
			o += i - start;
		}
		cps++;
	}
	while (o > 0 && (out[o - 1] == '.' || out[o - 1] == ' '))
		o--;
	out[o] = '\0';
}

char *filetype_safe_name(const char *name, enum filetype type, char *out, size_t outsz)
{
	char base[4 * NAME_MAX_CP + 8];
	clean_base(name ? name : "", base, sizeof(base));
	const char *want = filetype_ext(type);
	const char *ext = extension(base);
	int keep = ext && (strcasecmp(ext, want) == 0 ||
	                   (type == FILETYPE_JPEG && strcasecmp(ext, "jpeg") == 0));
	if (!keep && ext && is_known_ext(ext))
		base[ext - 1 - base] = '\0'; /* a wrong known extension is replaced */
	const char *stem = *base ? base : "piece";
	if (keep || !*want)
		snprintf(out, outsz, "%s", stem);
	else
		snprintf(out, outsz, "%s.%s", stem, want);
	return out;
}
