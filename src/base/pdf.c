/* PDF documents on libharu: document set-up, fonts, pages, letterhead,
 * footers and serialisation. The text flow is in pdf_flow.c. */
#include "base/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/err.h"
#include "base/log.h"
#include "base/pdf_internal.h"
#include "base/xalloc.h"

#define DEFAULT_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define MAX_PDF_BYTES    (64u << 20)

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct pdf *p = user;

	if (error_no == HPDF_STREAM_EOF) /* end of the output stream, not an error */
		return;
	if (p->err == 0)
		log_msg(LOG_ERROR, "libharu error 0x%04x (detail %u)", (unsigned)error_no,
		        (unsigned)detail_no);
	p->err = CAS_EIO;
}

static int parse_hex2(const char *s)
{
	int v = 0;

	for (int i = 0; i < 2; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static void set_colour(struct pdf *p, const char *colour)
{
	int r = -1, g = -1, b = -1;

	if (colour && strlen(colour) == 7 && colour[0] == '#') {
		r = parse_hex2(colour + 1);
		g = parse_hex2(colour + 3);
		b = parse_hex2(colour + 5);
	}
	if (r < 0 || g < 0 || b < 0) {
		r = 0x1b;
		g = 0x5e;
		b = 0x8c;
	}
	p->r = (float)r / 255.0f;
	p->g = (float)g / 255.0f;
	p->b = (float)b / 255.0f;
}

static char *dup_clean(const char *s)
{
	return s && *s ? pdf_clean(s) : NULL;
}

static HPDF_Font load_font(struct pdf *p, const char *file)
{
	const char *dir = getenv("CASSIS_PDF_FONT_DIR");
	char path[1024];
	const char *name;

	if (!dir || !*dir)
		dir = DEFAULT_FONT_DIR;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
		return NULL;
	name = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
	if (!name) {
		log_msg(LOG_ERROR, "pdf: cannot load the font %s", path);
		return NULL;
	}
	return HPDF_GetFont(p->doc, name, "UTF-8");
}

static void set_date(struct pdf *p, int64_t created)
{
	time_t t = (time_t)created;
	struct tm tm;
	HPDF_Date d;

	if (created <= 0 || !gmtime_r(&t, &tm))
		return;
	memset(&d, 0, sizeof d);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
}

static void set_info(struct pdf *p, HPDF_InfoType type, const char *value)
{
	char *clean;

	if (!value || !*value)
		return;
	clean = pdf_clean(value);
	HPDF_SetInfoAttr(p->doc, type, clean);
	free(clean);
}

/* The trailer's /ID: two copies of the first 16 bytes of SHA-256(seed). */
static void set_id(struct pdf *p, const struct pdf_meta *meta)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char seed[512];
	HPDF_Array id;

	if (meta->id_seed)
		crypto_hash_sha256(h, (const unsigned char *)meta->id_seed, strlen(meta->id_seed));
	else {
		snprintf(seed, sizeof seed, "%s\n%lld", meta->title, (long long)meta->created);
		crypto_hash_sha256(h, (const unsigned char *)seed, strlen(seed));
	}
	id = HPDF_Array_New(p->doc->mmgr);
	if (!id)
		return;
	HPDF_Array_Add(id, HPDF_Binary_New(p->doc->mmgr, h, 16));
	HPDF_Array_Add(id, HPDF_Binary_New(p->doc->mmgr, h, 16));
	HPDF_Dict_Add(p->doc->trailer, "ID", id);
}

static int setup_doc(struct pdf *p, const struct pdf_meta *meta)
{
	p->doc = HPDF_New(on_hpdf_error, p);
	if (!p->doc)
		return CAS_EIO;
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	p->font = load_font(p, "DejaVuSans.ttf");
	p->bold = load_font(p, "DejaVuSans-Bold.ttf");
	if (!p->font || !p->bold)
		return CAS_EIO;
	set_info(p, HPDF_INFO_TITLE, meta->title);
	set_info(p, HPDF_INFO_AUTHOR, meta->author);
	set_info(p, HPDF_INFO_SUBJECT, meta->subject);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "Cassis");
	set_date(p, meta->created);
	set_id(p, meta);
	return p->err;
}

struct pdf *pdf_new(const struct pdf_meta *meta, const struct pdf_letterhead *lh)
{
	struct pdf *p;

	if (!meta || !meta->title || !lh || !lh->name)
		return NULL;
	p = xcalloc(1, sizeof *p);
	set_colour(p, lh->colour);
	p->name = pdf_clean(lh->name);
	p->address = dup_clean(lh->address);
	p->communes = dup_clean(lh->communes);
	p->contact = dup_clean(lh->contact);
	p->footer = pdf_clean(meta->title);
	if (setup_doc(p, meta) != 0 || pdf_new_page(p) != 0) {
		pdf_free(p);
		return NULL;
	}
	return p;
}

void pdf_free(struct pdf *p)
{
	if (!p)
		return;
	if (p->doc)
		HPDF_Free(p->doc);
	free(p->pages);
	free(p->name);
	free(p->address);
	free(p->communes);
	free(p->contact);
	free(p->footer);
	free(p);
}

int pdf_page_count(const struct pdf *p)
{
	return p ? p->npages : 0;
}

double pdf_text_width(HPDF_Font f, double size, const char *s)
{
	HPDF_TextWidth tw;

	if (!*s)
		return 0;
	tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)strlen(s));
	return (double)tw.width * size / 1000.0;
}

void pdf_draw_text(HPDF_Page pg, HPDF_Font f, double size, double x, double y, const char *s)
{
	if (!*s)
		return;
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, f, (HPDF_REAL)size);
	HPDF_Page_TextOut(pg, (HPDF_REAL)x, (HPDF_REAL)y, s);
	HPDF_Page_EndText(pg);
}

static void set_fill(HPDF_Page pg, float r, float g, float b)
{
	HPDF_Page_SetRGBFill(pg, r, g, b);
}

static void rule(HPDF_Page pg, double y, double w, float r, float g, float b)
{
	HPDF_Page_SetRGBStroke(pg, r, g, b);
	HPDF_Page_SetLineWidth(pg, (HPDF_REAL)w);
	HPDF_Page_MoveTo(pg, (HPDF_REAL)PDF_MARGIN_L, (HPDF_REAL)y);
	HPDF_Page_LineTo(pg, (HPDF_REAL)(PDF_PAGE_W - PDF_MARGIN_R), (HPDF_REAL)y);
	HPDF_Page_Stroke(pg);
}

/* Lines of a multi-line letterhead field, each on its own baseline. */
static double draw_small_lines(struct pdf *p, HPDF_Page pg, const char *s, double y)
{
	struct pdf_lines l = {0};

	if (!s)
		return y;
	pdf_wrap(p->font, PDF_SIZE_SMALL, s, PDF_CONTENT_W, &l);
	for (int i = 0; i < l.n; i++) {
		pdf_draw_text(pg, p->font, PDF_SIZE_SMALL, PDF_MARGIN_L, y, l.v[i]);
		y -= PDF_SIZE_SMALL * 1.3;
	}
	pdf_lines_free(&l);
	return y;
}

static void draw_letterhead(struct pdf *p, HPDF_Page pg)
{
	double y = PDF_PAGE_H - 30;
	int first = p->npages == 1;

	set_fill(pg, p->r, p->g, p->b);
	HPDF_Page_Rectangle(pg, 0, (HPDF_REAL)y, (HPDF_REAL)PDF_PAGE_W, 6);
	HPDF_Page_Fill(pg);
	y -= first ? 26 : 20;
	pdf_draw_text(pg, p->bold, first ? 15 : 11, PDF_MARGIN_L, y, p->name);
	y -= first ? 14 : 10;
	set_fill(pg, 0.25f, 0.25f, 0.25f);
	if (first) {
		y = draw_small_lines(p, pg, p->address, y);
		y = draw_small_lines(p, pg, p->communes, y);
		y = draw_small_lines(p, pg, p->contact, y);
	}
	rule(pg, y + 2, 0.6, p->r, p->g, p->b);
	set_fill(pg, 0, 0, 0);
	p->y = y - (first ? 26 : 16);
}

int pdf_new_page(struct pdf *p)
{
	HPDF_Page pg;

	if (p->err)
		return p->err;
	pg = HPDF_AddPage(p->doc);
	if (!pg)
		return p->err ? p->err : CAS_EIO;
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	if (p->npages == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->pages = xrealloc(p->pages, (size_t)p->cap * sizeof *p->pages);
	}
	p->pages[p->npages++] = pg;
	draw_letterhead(p, pg);
	p->at_top = 1;
	return p->err;
}

int pdf_need(struct pdf *p, double h)
{
	if (p->err)
		return p->err;
	if (p->finished)
		return CAS_EINVAL;
	if (p->y - h < PDF_BOTTOM && !p->at_top)
		return pdf_new_page(p);
	return 0;
}

int pdf_page_break(struct pdf *p)
{
	if (!p)
		return CAS_EINVAL;
	if (p->err || p->finished)
		return p->err ? p->err : CAS_EINVAL;
	return pdf_new_page(p);
}

int pdf_footer(struct pdf *p, const char *label)
{
	if (!p || !label)
		return CAS_EINVAL;
	free(p->footer);
	p->footer = pdf_clean(label);
	return p->err;
}

static void draw_footer(struct pdf *p, int i)
{
	HPDF_Page pg = p->pages[i];
	char num[48];
	struct pdf_lines l = {0};
	double w;

	snprintf(num, sizeof num, "Page %d / %d", i + 1, p->npages);
	w = pdf_text_width(p->font, PDF_SIZE_SMALL, num);
	rule(pg, 42, 0.4, 0.6f, 0.6f, 0.6f);
	set_fill(pg, 0.3f, 0.3f, 0.3f);
	pdf_wrap(p->font, PDF_SIZE_SMALL, p->footer, PDF_CONTENT_W - w - 20, &l);
	if (l.n > 0)
		pdf_draw_text(pg, p->font, PDF_SIZE_SMALL, PDF_MARGIN_L, 30, l.v[0]);
	pdf_draw_text(pg, p->font, PDF_SIZE_SMALL, PDF_PAGE_W - PDF_MARGIN_R - w, 30, num);
	pdf_lines_free(&l);
}

static int save(struct pdf *p, unsigned char **out, size_t *len)
{
	HPDF_UINT32 size, got;
	unsigned char *buf;

	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return CAS_EIO;
	size = HPDF_GetStreamSize(p->doc);
	if (size == 0 || size > MAX_PDF_BYTES)
		return CAS_EIO;
	buf = xmalloc(size);
	got = size;
	HPDF_ResetError(p->doc);
	if (HPDF_ReadFromStream(p->doc, buf, &got) != HPDF_OK && got != size) {
		free(buf);
		return CAS_EIO;
	}
	*out = buf;
	*len = got;
	return 0;
}

int pdf_finish(struct pdf *p, unsigned char **out, size_t *len)
{
	int rc;

	if (!p || !out || !len)
		return CAS_EINVAL;
	*out = NULL;
	*len = 0;
	if (p->err || p->finished)
		return p->err ? p->err : CAS_EINVAL;
	p->finished = 1;
	for (int i = 0; i < p->npages; i++)
		draw_footer(p, i);
	if (p->err)
		return p->err;
	rc = save(p, out, len);
	if (rc == 0 && p->err) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	return rc ? rc : p->err;
}
