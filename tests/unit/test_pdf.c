#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/pdf.h"

static const struct pdf_letterhead LH = {
    .name = "CCAS de Saint-Étienne-du-Rouvray",
    .address = "Hôtel de ville, place de la Libération\n76800 Saint-Étienne-du-Rouvray",
    .communes = "Commune : Saint-Étienne-du-Rouvray",
    .contact = "02 35 00 00 00 — ccas@example.fr",
    .colour = "#7a1f5c",
};

static const char *const CELLS[] = {
    "Loyer",   "450,00 €",        "mensuel", "Électricité",  "62,30 €",
    "mensuel", "Cantine (ÉCOLE)", "18,00 €", "hebdomadaire",
};

/* A letter-like document; body_repeat paragraphs of filler. */
static int build(const char *seed, int body_repeat, unsigned char **out, size_t *len)
{
	struct pdf_meta meta = {.title = "Notification de décision",
	                        .author = LH.name,
	                        .subject = "Aide facultative",
	                        .created = 1735732800,
	                        .id_seed = seed};
	static const double widths[] = {3, 2, 2};
	static const enum pdf_align align[] = {PDF_ALIGN_LEFT, PDF_ALIGN_RIGHT, PDF_ALIGN_CENTER};
	static const char *const headers[] = {"Charge", "Montant", "Fréquence"};
	struct pdf_table t = {.caption = "Charges déclarées",
	                      .ncols = 3,
	                      .headers = headers,
	                      .widths = widths,
	                      .align = align,
	                      .nrows = 3,
	                      .cells = CELLS};
	struct pdf *p = pdf_new(&meta, &LH);
	int rc;

	if (!p)
		return CAS_EIO;
	pdf_para(p, "Madame Zoé Lefèvre\n12 rue des Écoles\n76800 Saint-Étienne-du-Rouvray",
	         PDF_WINDOW);
	pdf_para(p, "Saint-Étienne-du-Rouvray, le 1er janvier 2025", PDF_RIGHT);
	pdf_title(p, "Notification d’accord");
	pdf_heading(p, "Objet : aide à l’énergie");
	for (int i = 0; i < body_repeat; i++)
		pdf_para(
		    p,
		    "Nous avons l’honneur de vous informer que la commission a accordé une aide "
		    "de 150,00 € à régler au fournisseur d’énergie. « Œuvre » çà et là, "
		    "garçon, Noël, où, île, âge, cœur.",
		    0);
	pdf_bullet(p, "Avis d’imposition 2024 sur les revenus 2023");
	pdf_table(p, &t);
	pdf_para(p, "Voies de recours : tribunal administratif.", PDF_SMALL | PDF_KEEP);
	pdf_footer(p, "Dossier 2025-0042 — Courrier n° 7");
	rc = pdf_finish(p, out, len);
	pdf_free(p);
	return rc;
}

static void produces_a_pdf(void **state)
{
	unsigned char *b;
	size_t n;

	assert_int_equal(build("letter:1", 2, &b, &n), 0);
	assert_true(n > 1000);
	assert_memory_equal(b, "%PDF-", 5);
	assert_non_null(memmem(b, n, "%%EOF", 5));
	assert_non_null(memmem(b, n, "/CreationDate (D:20250101120000Z", 32));
	assert_non_null(memmem(b, n, "/ID", 3));
	assert_non_null(memmem(b, n, "DejaVuSans", 10));
	free(b);
}

static void output_is_deterministic(void **state)
{
	unsigned char *a, *b, *c;
	size_t na, nb, nc;

	assert_int_equal(build("letter:1", 3, &a, &na), 0);
	assert_int_equal(build("letter:1", 3, &b, &nb), 0);
	assert_int_equal(build("letter:2", 3, &c, &nc), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	/* another seed: another /ID, same length */
	assert_int_equal(na, nc);
	assert_true(memcmp(a, c, na) != 0);
	free(a);
	free(b);
	free(c);
}

static char *pdftotext(const unsigned char *b, size_t n)
{
	char path[] = "/tmp/cassis-test-pdf-XXXXXX", cmd[128];
	struct buf out;
	char chunk[4096];
	size_t got;
	FILE *f;
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, b, n) != (ssize_t)n)
		return NULL;
	close(fd);
	snprintf(cmd, sizeof cmd, "pdftotext -q %s - 2>/dev/null", path);
	f = popen(cmd, "r");
	buf_init(&out, 1 << 20);
	while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&out, chunk, got);
	if (f)
		pclose(f);
	unlink(path);
	return buf_steal(&out);
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

static void text_is_extractable(void **state)
{
	unsigned char *b;
	size_t n;
	char *text;

	if (system("command -v pdftotext >/dev/null 2>&1") != 0)
		skip();
	assert_int_equal(build("letter:3", 40, &b, &n), 0);
	text = pdftotext(b, n);
	free(b);
	assert_non_null(text);
	assert_non_null(strstr(text, "CCAS de Saint-Étienne-du-Rouvray"));
	assert_non_null(strstr(text, "Notification d’accord"));
	assert_non_null(strstr(text, "« Œuvre » çà et là, garçon, Noël, où, île, âge, cœur."));
	assert_non_null(strstr(text, "Électricité"));
	assert_non_null(strstr(text, "450,00 €"));
	assert_non_null(strstr(text, "Fréquence"));
	assert_non_null(strstr(text, "Avis d’imposition 2024"));
	assert_non_null(strstr(text, "Dossier 2025-0042 — Courrier n° 7"));
	/* 40 paragraphs span pages: every page numbered out of the total */
	assert_non_null(strstr(text, "Page 1 / 3"));
	assert_non_null(strstr(text, "Page 3 / 3"));
	assert_int_equal(count(text, "CCAS de Saint-Étienne-du-Rouvray"), 3);
	free(text);
}

static void long_words_and_bad_bytes(void **state)
{
	struct pdf_meta meta = {.title = "Essai"};
	struct pdf *p = pdf_new(&meta, &LH);
	unsigned char *b;
	size_t n;
	char big[3000];

	assert_non_null(p);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(pdf_para(p, big, 0), 0);
	assert_int_equal(pdf_para(p, "bad \xff\xfe bytes \x01 and tab\there", PDF_BOLD), 0);
	assert_int_equal(pdf_para(p, "", 0), 0);
	assert_int_equal(pdf_bullet(p, "a\n\nb"), 0);
	assert_int_equal(pdf_space(p, 10), 0);
	int pages = pdf_page_count(p);
	assert_int_equal(pdf_page_break(p), 0);
	assert_int_equal(pdf_page_count(p), pages + 1);
	assert_int_equal(pdf_finish(p, &b, &n), 0);
	free(b);
	/* finished: no more content */
	assert_int_equal(pdf_para(p, "x", 0), CAS_EINVAL);
	assert_int_equal(pdf_finish(p, &b, &n), CAS_EINVAL);
	pdf_free(p);
}

static void bad_arguments(void **state)
{
	struct pdf_meta meta = {.title = "Essai"};
	struct pdf_letterhead nolh = {0};
	struct pdf *p;
	struct pdf_table t = {.ncols = 0};

	assert_null(pdf_new(&meta, &nolh));
	assert_null(pdf_new(NULL, &LH));
	p = pdf_new(&meta, &LH);
	assert_non_null(p);
	assert_int_equal(pdf_table(p, &t), CAS_EINVAL);
	t.ncols = 13;
	assert_int_equal(pdf_table(p, &t), CAS_EINVAL);
	t.ncols = 2;
	t.nrows = 1;
	assert_int_equal(pdf_table(p, &t), CAS_EINVAL); /* rows without cells */
	assert_int_equal(pdf_para(p, NULL, 0), CAS_EINVAL);
	assert_int_equal(pdf_para(NULL, "x", 0), CAS_EINVAL);
	pdf_free(p);
	pdf_free(NULL);
}

static void missing_font_fails_cleanly(void **state)
{
	struct pdf_meta meta = {.title = "Essai"};

	setenv("CASSIS_PDF_FONT_DIR", "/nonexistent", 1);
	assert_null(pdf_new(&meta, &LH));
	unsetenv("CASSIS_PDF_FONT_DIR");
}

static void long_table_repeats_header(void **state)
{
	struct pdf_meta meta = {.title = "Procès-verbal", .created = 1, .id_seed = "pv:1"};
	static const char *const headers[] = {"N°", "Décision"};
	const char *cells[200];
	struct pdf_table t = {.ncols = 2, .headers = headers, .nrows = 100, .cells = cells};
	struct pdf *p = pdf_new(&meta, &LH);
	unsigned char *b;
	size_t n;
	char *text;

	for (int i = 0; i < 200; i += 2) {
		cells[i] = "2025-0001";
		cells[i + 1] = "Accordé — aide alimentaire d’urgence";
	}
	assert_int_equal(pdf_table(p, &t), 0);
	assert_true(pdf_page_count(p) >= 3);
	assert_int_equal(pdf_finish(p, &b, &n), 0);
	if (system("command -v pdftotext >/dev/null 2>&1") == 0) {
		text = pdftotext(b, n);
		assert_int_equal(count(text, "Décision"), pdf_page_count(p));
		free(text);
	}
	free(b);
	pdf_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(produces_a_pdf),
	    cmocka_unit_test(output_is_deterministic),
	    cmocka_unit_test(text_is_extractable),
	    cmocka_unit_test(long_words_and_bad_bytes),
	    cmocka_unit_test(bad_arguments),
	    cmocka_unit_test(missing_font_fails_cleanly),
	    cmocka_unit_test(long_table_repeats_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
