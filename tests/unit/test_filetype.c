/* Pièces justificatives recognised by their content: real minimal files
 * (tests/unit/data/filetype), files that lie about their type, truncated
 * and damaged files, the size limit, the messages and the names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/filetype.h"

#ifndef FILETYPE_DATA
#error "FILETYPE_DATA: the directory of the sample files"
#endif

struct sample {
	unsigned char *p;
	size_t n;
};

static struct sample load(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", FILETYPE_DATA, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct sample s = {malloc(1 << 16), 0};
	s.n = fread(s.p, 1, 1 << 16, f);
	fclose(f);
	assert_true(s.n > 0);
	return s;
}

static enum filetype_error check(const void *p, size_t n, enum filetype *t)
{
	return filetype_check(p, n, FILETYPE_MAX_DEFAULT, t);
}

static void expect(const void *p, size_t n, enum filetype_error want, enum filetype want_type)
{
	enum filetype t = FILETYPE_PNG;
	assert_int_equal(check(p, n, &t), want);
	assert_int_equal(t, want_type);
}

static void real_files_are_recognised(void **state)
{
	static const struct {
		const char *file;
		enum filetype type;
		const char *mime, *label;
	} cases[] = {
	    {"minimal.pdf", FILETYPE_PDF, "application/pdf", "PDF"},
	    {"minimal.jpg", FILETYPE_JPEG, "image/jpeg", "JPEG"},
	    {"minimal.png", FILETYPE_PNG, "image/png", "PNG"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sample s = load(cases[i].file);
		expect(s.p, s.n, FILETYPE_OK, cases[i].type);
		assert_string_equal(filetype_mime(cases[i].type), cases[i].mime);
		assert_int_equal(filetype_from_mime(cases[i].mime), cases[i].type);
		assert_string_equal(filetype_label(cases[i].type), cases[i].label);
		free(s.p);
	}
	assert_null(filetype_mime(FILETYPE_NONE));
	assert_int_equal(filetype_from_mime("text/html"), FILETYPE_NONE);
	assert_int_equal(filetype_from_mime(NULL), FILETYPE_NONE);
}

/* The content decides, whatever the name or the announced type. */
static void liars_are_caught(void **state)
{
	/* a PNG sent as "justificatif.pdf" is a PNG, not a PDF */
	struct sample png = load("minimal.png");
	expect(png.p, png.n, FILETYPE_OK, FILETYPE_PNG);
	free(png.p);
	/* an HTML page named "photo.jpg" */
	static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script>"
	                           "</body></html>\n";
	expect(html, sizeof(html) - 1, FILETYPE_UNKNOWN, FILETYPE_NONE);
	/* a text that mentions %PDF- later, a GIF, an executable, a ZIP */
	static const char later[] = "Bonjour\n%PDF-1.4\n%%EOF\n";
	expect(later, sizeof(later) - 1, FILETYPE_UNKNOWN, FILETYPE_NONE);
	static const char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
	expect(gif, sizeof(gif) - 1, FILETYPE_UNKNOWN, FILETYPE_NONE);
	static const char exe[] = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";
	expect(exe, sizeof(exe) - 1, FILETYPE_UNKNOWN, FILETYPE_NONE);
	static const char zip[] = "PK\x03\x04\x14\x00\x00\x00\x08\x00";
	expect(zip, sizeof(zip) - 1, FILETYPE_UNKNOWN, FILETYPE_NONE);
	/* signatures alone, or nearly */
	expect("%PDF-1.4", 8, FILETYPE_DAMAGED, FILETYPE_PDF);
	expect("%PDF-9.9\n%%EOF\n", 15, FILETYPE_UNKNOWN, FILETYPE_NONE);
	expect("\xff\xd8\xff", 3, FILETYPE_DAMAGED, FILETYPE_JPEG);
	expect("\x89PNG\r\n\x1a\n", 8, FILETYPE_DAMAGED, FILETYPE_PNG);
	/* a text file whose first line looks like a PDF header */
	static const char fake[] = "%PDF-1.7 ceci n'est pas un document\n";
	expect(fake, sizeof(fake) - 1, FILETYPE_DAMAGED, FILETYPE_PDF);
}

/* Every strict prefix of the JPEG and the PNG is refused; the PDF's as
 * soon as its %%EOF is cut. */
static void truncated_files_are_refused(void **state)
{
	static const char *const files[] = {"minimal.jpg", "minimal.png", "minimal.pdf"};
	for (size_t f = 0; f < 3; f++) {
		struct sample s = load(files[f]);
		size_t upto = s.n;
		if (f == 2) { /* the PDF ends with "%%EOF\n" */
			assert_memory_equal(s.p + s.n - 6, "%%EOF\n", 6);
			upto = s.n - 1;
		}
		for (size_t n = 1; n < upto; n++) {
			enum filetype t;
			enum filetype_error e = check(s.p, n, &t);
			if (e == FILETYPE_OK)
				fail_msg("%s cut at %zu bytes accepted", files[f], n);
			assert_true(e == FILETYPE_DAMAGED || e == FILETYPE_UNKNOWN);
		}
		free(s.p);
	}
}

static void empty_and_too_big(void **state)
{
	enum filetype t;
	expect(NULL, 0, FILETYPE_EMPTY, FILETYPE_NONE);
	expect("", 0, FILETYPE_EMPTY, FILETYPE_NONE);
	struct sample s = load("minimal.pdf");
	assert_int_equal(filetype_check(s.p, s.n, s.n, &t), FILETYPE_OK);
	assert_int_equal(filetype_check(s.p, s.n, s.n - 1, &t), FILETYPE_TOO_BIG);
	free(s.p);
}

/* Damage inside the structure, not only at the end. */
static void damaged_structures(void **state)
{
	struct sample j = load("minimal.jpg");
	/* bytes after EOI (a phone's own data) are allowed */
	unsigned char *more = malloc(j.n + 16);
	memcpy(more, j.p, j.n);
	memcpy(more + j.n, "<html>trailer</html>", 16);
	expect(more, j.n + 16, FILETYPE_OK, FILETYPE_JPEG);
	/* a segment length running past the end */
	memcpy(more, j.p, j.n);
	more[4] = 0x7f;
	expect(more, j.n, FILETYPE_DAMAGED, FILETYPE_JPEG);
	/* a segment that does not start with FF */
	memcpy(more, j.p, j.n);
	more[2] = 0x00;
	expect(more, j.n, FILETYPE_UNKNOWN, FILETYPE_NONE);
	memcpy(more, j.p, j.n);
	more[2 + 18] = 0x00; /* the byte after APP0 (16 bytes + marker) */
	expect(more, j.n, FILETYPE_DAMAGED, FILETYPE_JPEG);
	/* SOI then EOI: no frame, no scan */
	expect("\xff\xd8\xff\xd9", 4, FILETYPE_DAMAGED, FILETYPE_JPEG);
	free(more);
	free(j.p);

	struct sample p = load("minimal.png");
	unsigned char *bad = malloc(p.n);
	memcpy(bad, p.p, p.n);
	bad[29] ^= 1; /* IHDR's CRC */
	expect(bad, p.n, FILETYPE_DAMAGED, FILETYPE_PNG);
	memcpy(bad, p.p, p.n);
	bad[24] = 3; /* bit depth 3 */
	expect(bad, p.n, FILETYPE_DAMAGED, FILETYPE_PNG);
	memcpy(bad, p.p, p.n);
	bad[16] = bad[17] = bad[18] = bad[19] = 0; /* width 0 (CRC no longer matters) */
	expect(bad, p.n, FILETYPE_DAMAGED, FILETYPE_PNG);
	memcpy(bad, p.p, p.n);
	bad[33] = 0x7f; /* IDAT's length past the end */
	expect(bad, p.n, FILETYPE_DAMAGED, FILETYPE_PNG);
	/* signature, IHDR, then IEND at once: no image data */
	memcpy(bad, p.p, 33);
	memcpy(bad + 33, p.p + p.n - 12, 12);
	expect(bad, 45, FILETYPE_DAMAGED, FILETYPE_PNG);
	free(bad);
	free(p.p);
}

static void messages_in_french(void **state)
{
	char m[256];
	const size_t ten = FILETYPE_MAX_DEFAULT;
	assert_string_equal(filetype_message(FILETYPE_TOO_BIG, FILETYPE_NONE, ten, m, sizeof(m)),
	                    "Fichier trop volumineux (10 Mo au plus).");
	assert_string_equal(
	    filetype_message(FILETYPE_TOO_BIG, FILETYPE_NONE, 1536 * 1024, m, sizeof(m)),
	    "Fichier trop volumineux (1536 Ko au plus).");
	assert_string_equal(filetype_message(FILETYPE_UNKNOWN, FILETYPE_NONE, ten, m, sizeof(m)),
	                    "Ce fichier n'est pas un PDF, JPEG ou PNG.");
	assert_string_equal(filetype_message(FILETYPE_EMPTY, FILETYPE_NONE, ten, m, sizeof(m)),
	                    "Le fichier est vide.");
	assert_string_equal(filetype_message(FILETYPE_DAMAGED, FILETYPE_PNG, ten, m, sizeof(m)),
	                    "Ce fichier PNG est incomplet ou endommagé : enregistrez-le ou "
	                    "numérisez la pièce à nouveau.");
	assert_string_equal(filetype_message(FILETYPE_OK, FILETYPE_PDF, ten, m, sizeof(m)), "");
	assert_string_equal(filetype_limit_text(ten, m, sizeof(m)), "10 Mo");
	assert_string_equal(filetype_limit_text(1000, m, sizeof(m)), "1 Ko");
}

static void name_is(const char *in, enum filetype t, const char *want)
{
	char out[512];
	assert_string_equal(filetype_safe_name(in, t, out, sizeof(out)), want);
}

static void safe_names(void **state)
{
	name_is("facture.pdf", FILETYPE_PDF, "facture.pdf");
	name_is("Scan.PDF", FILETYPE_PDF, "Scan.PDF");
	name_is("C:\\Users\\agent\\Relevé d'identité.pdf", FILETYPE_PDF, "Relevé d'identité.pdf");
	name_is("../../etc/passwd", FILETYPE_PNG, "passwd.png");
	/* the content wins over the extension */
	name_is("justificatif.pdf", FILETYPE_PNG, "justificatif.png");
	name_is("photo.jpeg", FILETYPE_JPEG, "photo.jpeg");
	name_is("photo.png", FILETYPE_JPEG, "photo.jpg");
	name_is("avis.2024", FILETYPE_PDF, "avis.2024.pdf");
	name_is("", FILETYPE_PDF, "piece.pdf");
	name_is(NULL, FILETYPE_JPEG, "piece.jpg");
	name_is("..", FILETYPE_PDF, "piece.pdf");
	name_is(".bashrc", FILETYPE_PNG, "bashrc.png");
	name_is("a\"b\tc\x01.pdf", FILETYPE_PDF, "a_b_c_.pdf");
	name_is("bad\xff\xfe.png", FILETYPE_PNG, "bad__.png");
	name_is("trailing. . ", FILETYPE_PDF, "trailing.pdf");
	char longname[400];
	memset(longname, 'e', 300);
	memcpy(longname + 300, ".pdf", 5);
	char out[512];
	filetype_safe_name(longname, FILETYPE_PDF, out, sizeof(out));
	assert_int_equal(strlen(out), 124); /* 120 characters, then ".pdf" */
	assert_string_equal(out + 120, ".pdf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(real_files_are_recognised),
	    cmocka_unit_test(liars_are_caught),
	    cmocka_unit_test(truncated_files_are_refused),
	    cmocka_unit_test(empty_and_too_big),
	    cmocka_unit_test(damaged_structures),
	    cmocka_unit_test(messages_in_french),
	    cmocka_unit_test(safe_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
