/* The minutes (procès-verbal) of a closed session as PDF (base/pdf.h):
 * the session, its members, the decisions taken (from the anonymised
 * agenda: dossier numbers, household composition, no names), the
 * emergency decisions reported, a summary and the signatures. The output
 * depends only on the stored data and the closing instant, so the same
 * session always gives the same bytes; the bytes are stored anyway. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/commission_internal.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/pdf.h"
#include "base/xalloc.h"
#include "domain/money.h"
#include "store/commission_store.h"

/* Table cells under construction (strings owned). */
struct cells {
	char **v;
	size_t n, cap;
};

static void cell(struct cells *c, const char *s)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = xstrdup(s ? s : "");
}

static void cells_free(struct cells *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
}

static const char *sub(const json_t *o, const char *obj, const char *key)
{
	return cm_str(json_object_get(o, obj), key);
}

/* "Motif : ...\nVote : ..." of a decision. */
static void motive_cell(struct cells *c, const json_t *it)
{
	const char *motif = sub(it, "decision", "motif"), *vote = sub(it, "decision", "vote");
	size_t len = strlen(motif) + strlen(vote) + 32;
	char *s = xmalloc(len);
	snprintf(s, len, "%s%s%s%s", motif, *motif && *vote ? "\n" : "", *vote ? "Vote : " : "",
	         vote);
	cell(c, s);
	free(s);
}

static int draw_session(struct pdf *p, const json_t *session, const char *title)
{
	char lg[64], text[600];
	const char *heure = cm_str(session, "heure");
	cm_date_long(cm_str(session, "date_seance"), lg, sizeof(lg));
	snprintf(text, sizeof(text), "Séance du %s%s%s.\nLieu : %s.", lg, *heure ? " à " : "",
	         heure, cm_str(session, "lieu"));
	int rc = pdf_title(p, title);
	if (rc == 0)
		rc = pdf_para(p, text, 0);
	if (rc == 0)
		rc = pdf_heading(p, "Membres présents");
	json_t *membres = json_loads(cm_str(session, "membres"), 0, NULL);
	size_t i;
	json_t *m;
	if (rc == 0 && !json_array_size(membres))
		rc = pdf_para(p, "Aucun membre n'a été inscrit pour cette séance.", 0);
	json_array_foreach(membres, i, m)
	{
		const char *q = cm_str(m, "qualite");
		snprintf(text, sizeof(text), "%s%s%s", cm_str(m, "nom"), *q ? ", " : "", q);
		if (rc == 0)
			rc = pdf_bullet(p, text);
	}
	json_decref(membres);
	return rc;
}

static int draw_decisions(struct pdf *p, const json_t *items)
{
	static const char *const headers[] = {"N°",       "Dossier", "Aide",         "Proposition",
	                                      "Décision", "Montant", "Motif et vote"};
	static const double widths[] = {0.65, 1.9, 1.8, 1.8, 1.6, 1.5, 3.1};
	static const enum pdf_align align[] = {PDF_ALIGN_RIGHT, 0, 0, 0, 0, PDF_ALIGN_RIGHT, 0};
	struct cells c = {0};
	size_t i;
	json_t *it;
	char ordre[24];
	json_array_foreach(items, i, it)
	{
		if (json_is_true(json_object_get(it, "a_rapporter")))
			continue;
		snprintf(ordre, sizeof(ordre), "%lld", (long long)cm_int(it, "ordre"));
		cell(&c, ordre);
		cell(&c, cm_str(it, "numero"));
		cell(&c, cm_str(it, "aide"));
		cell(&c, sub(it, "proposition", "label"));
		cell(&c, sub(it, "decision", "label"));
		cell(&c, sub(it, "decision", "montant_fr"));
		motive_cell(&c, it);
	}
	int rc = pdf_heading(p, "Décisions de la commission");
	if (rc == 0 && c.n == 0)
		rc = pdf_para(p, "Aucun dossier n'a été soumis à la décision de la commission.", 0);
	struct pdf_table t = {
	    NULL, 7, headers, widths, align, (int)(c.n / 7), (const char *const *)c.v};
	if (rc == 0 && c.n)
		rc = pdf_table(p, &t);
	cells_free(&c);
	return rc;
}

static int draw_reported(struct pdf *p, const json_t *items)
{
	static const char *const headers[] = {"N°",    "Dossier",  "Aide",
	                                      "Foyer", "Décision", "Montant"};
	static const double widths[] = {0.65, 1.9, 2.2, 2.2, 1.6, 1.5};
	static const enum pdf_align align[] = {PDF_ALIGN_RIGHT, 0, 0, 0, 0, PDF_ALIGN_RIGHT};
	struct cells c = {0};
	size_t i;
	json_t *it;
	char ordre[24];
	json_array_foreach(items, i, it)
	{
		if (!json_is_true(json_object_get(it, "a_rapporter")))
			continue;
		snprintf(ordre, sizeof(ordre), "%lld", (long long)cm_int(it, "ordre"));
		cell(&c, ordre);
		cell(&c, cm_str(it, "numero"));
		cell(&c, cm_str(it, "aide"));
		cell(&c, sub(it, "composition", "resume"));
		cell(&c, sub(it, "decision", "label"));
		cell(&c, sub(it, "decision", "montant_fr"));
	}
	struct pdf_table t = {
	    NULL, 6, headers, widths, align, (int)(c.n / 6), (const char *const *)c.v};
	int rc = 0;
	if (c.n) {
		rc = pdf_heading(p, "Aides d'urgence rapportées à la commission");
		if (rc == 0)
			rc = pdf_para(
			    p,
			    "Ces aides ont été décidées en urgence par un valideur ; elles "
			    "sont rapportées pour information.",
			    0);
		if (rc == 0)
			rc = pdf_table(p, &t);
	}
	cells_free(&c);
	return rc;
}

static const char *plural(int n, const char *one, const char *many)
{
	return n > 1 ? many : one;
}

static int draw_summary(struct pdf *p, const json_t *items)
{
	int n = 0, acc = 0, ref = 0, ajo = 0, ss = 0, rep = 0;
	int64_t total = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *code = sub(it, "decision", "code");
		if (json_is_true(json_object_get(it, "a_rapporter"))) {
			rep++;
			continue;
		}
		n++;
		acc += strcmp(code, "accorde") == 0;
		ref += strcmp(code, "refuse") == 0;
		ajo += strcmp(code, "ajourne") == 0;
		ss += strcmp(code, "sans_suite") == 0;
		if (strcmp(code, "accorde") == 0)
			total += cm_int(json_object_get(it, "decision"), "montant");
	}
	char amount[MONEY_FMT_SIZE], text[600];
	money_format(total, amount, sizeof(amount));
	snprintf(text, sizeof(text),
	         "%d %s : %d %s pour un montant total de %s, %d %s, %d %s, %d %s sans suite.\n"
	         "%d %s d'urgence %s.",
	         n, plural(n, "dossier examiné", "dossiers examinés"), acc,
	         plural(acc, "accordé", "accordés"), amount, ref, plural(ref, "refusé", "refusés"),
	         ajo, plural(ajo, "ajourné", "ajournés"), ss, plural(ss, "classé", "classés"), rep,
	         plural(rep, "aide", "aides"), plural(rep, "rapportée", "rapportées"));
	int rc = pdf_heading(p, "Synthèse");
	if (rc == 0)
		rc = pdf_para(p, text, 0);
	return rc;
}

static int draw_end(struct pdf *p, int64_t closed_at)
{
	char when[FR_DATETIME_SIZE], text[160];
	fr_datetime(closed_at, when);
	snprintf(text, sizeof(text),
	         "Procès-verbal établi le %.10s à %s, à la clôture de la séance.", when, when + 11);
	int rc = pdf_space(p, 4);
	if (rc == 0)
		rc = pdf_para(p, text, 0);
	if (rc == 0)
		rc = pdf_space(p, 6);
	if (rc == 0)
		rc = pdf_para(p, "Le président de séance\n\n\n\nLe secrétaire de séance",
		              PDF_RIGHT | PDF_KEEP);
	return rc;
}

static struct pdf *open_pdf(const json_t *lh_row, const json_t *session, int64_t tenant_id,
                            int64_t closed_at, const char *title)
{
	char seed[96];
	snprintf(seed, sizeof(seed), "commission-pv:%lld:%lld", (long long)tenant_id,
	         (long long)cm_int(session, "id"));
	const char *adresse = cm_str(lh_row, "adresse"), *contact = cm_str(lh_row, "contact");
	struct pdf_meta meta = {title, cm_str(lh_row, "name"),
	                        "Procès-verbal de la commission d'attribution des aides", closed_at,
	                        seed};
	struct pdf_letterhead lh = {cm_str(lh_row, "name"), *adresse ? adresse : NULL, NULL,
	                            *contact ? contact : NULL, cm_str(lh_row, "colour")};
	return pdf_new(&meta, &lh);
}

int cm_minutes_render(struct db *db, int64_t tenant_id, json_t *session, json_t *items,
                      int64_t closed_at, unsigned char **pdf, size_t *n)
{
	int rc;
	*pdf = NULL;
	*n = 0;
	json_t *lh_row = commission_store_letterhead(db, tenant_id, &rc);
	if (!lh_row)
		return rc;
	char fr[48], title[128];
	cm_date_fr(cm_str(session, "date_seance"), fr, sizeof(fr));
	snprintf(title, sizeof(title), "Procès-verbal de la commission du %s", fr);
	struct pdf *p = open_pdf(lh_row, session, tenant_id, closed_at, title);
	rc = p ? draw_session(p, session, title) : CAS_EIO;
	if (rc == 0)
		rc = draw_decisions(p, items);
	if (rc == 0)
		rc = draw_reported(p, items);
	if (rc == 0)
		rc = draw_summary(p, items);
	if (rc == 0)
		rc = draw_end(p, closed_at);
	if (rc == 0)
		rc = pdf_footer(p, title);
	if (rc == 0)
		rc = pdf_finish(p, pdf, n);
	pdf_free(p);
	json_decref(lh_row);
	return rc;
}
