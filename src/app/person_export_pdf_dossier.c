/* The "Dossiers" section of the PDF export of a person's data. */
#include <stdio.h>
#include <string.h>

#include "app/input.h"
#include "app/person_export_internal.h"
#include "base/buf.h"
#include "base/pdf.h"
#include "domain/dossier.h"

#define TEXT_MAX (64 * 1024)

static const char *str(const json_t *o, const char *key)
{
	return input_str((json_t *)o, key);
}

static int64_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static const char *pick(const char *const table[][2], size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i][0], code) == 0)
			return table[i][1];
	return code;
}

#define PICK(t, c) pick(t, sizeof(t) / sizeof(*t), c)

static const char *const roles[][2] = {
    {PX_ROLE_APPLICANT, "vous avez fait cette demande"},
    {PX_ROLE_MEMBER, "vous étiez membre du foyer à l'ouverture du dossier"},
    {PX_ROLE_CONSULTED, "votre identité a été transmise à une administration pour ce dossier"},
};
static const char *const issues[][2] = {
    {"eligible", "Éligible"},
    {"non_eligible", "Non éligible"},
    {"indetermine", "Indéterminé"},
};
static const char *const payment_states[][2] = {
    {"prevu", "Prévu"}, {"mandate", "Mandaté"}, {"paye", "Payé"},
    {"remis", "Remis"}, {"annule", "Annulé"},
};
static const char *const apis[][2] = {
    {"particulier", "CAF / MSA (API Particulier)"},
    {"impots", "DGFiP (API Impôt particulier)"},
};
static const char *const proposals[][2] = {
    {"accord", "Accord"},
    {"refus", "Refus"},
    {"ajournement", "Ajournement"},
};

/* --- the dossier's header --- */

static void header_decision(struct buf *b, const json_t *d)
{
	char at[FR_DATETIME_SIZE], eur[MONEY_FMT_SIZE];
	if (*str(d, "proposition")) {
		px_amount(d, "montant_propose", eur);
		buf_printf(b, "\nProposition de l'instruction : %s%s%s",
		           PICK(proposals, str(d, "proposition")), *eur ? ", " : "", eur);
		if (*str(d, "appreciation"))
			buf_printf(b, "\nAppréciation : %s", str(d, "appreciation"));
	}
	if (*str(d, "decision")) {
		px_amount(d, "montant_accorde", eur);
		px_when(d, "decided_at", at);
		buf_printf(b, "\nDécision : %s%s%s, le %s", px_decision_label(str(d, "decision")),
		           *eur ? ", montant accordé " : "", eur, at);
		if (*str(d, "motif_decision"))
			buf_printf(b, "\nMotif de la décision : %s", str(d, "motif_decision"));
	}
	if (*str(d, "notified_at")) {
		px_when(d, "notified_at", at);
		buf_printf(b, "\nDécision notifiée le %s", at);
	}
}

static int header(struct pdf *p, const json_t *d)
{
	char title[512], at[FR_DATETIME_SIZE], eur[MONEY_FMT_SIZE], dep[11];
	struct buf b;
	snprintf(title, sizeof(title), "Dossier %s — %s", str(d, "numero"), str(d, "aide"));
	px_when(d, "created_at", at);
	px_amount(d, "montant_demande", eur);
	px_day(d, "depose_le", dep);
	buf_init(&b, TEXT_MAX);
	buf_printf(&b, "Votre lien avec ce dossier : %s\nFoyer : %s\nÉtat : %s\nOuvert le : %s",
	           PICK(roles, str(d, "role")), str(d, "household_label"),
	           px_state_label(str(d, "state")), at);
	if (*dep)
		buf_printf(&b, "\nDéposé le : %s", dep);
	buf_printf(&b, "\nMotif de la demande : %s\nMontant demandé : %s", str(d, "motif"), eur);
	header_decision(&b, d);
	buf_printf(&b, "\nConservation : %s",
	           input_str(json_object_get(d, "conservation"), "texte"));
	int rc = pdf_heading(p, title);
	if (rc == 0)
		rc = pdf_para(p, buf_cstr(&b), 0);
	buf_free(&b);
	return rc;
}

/* --- the dossier's lists --- */

static int lines(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Type", "Catégorie", "Libellé", "Montant mensuel"};
	struct px_grid g = {"Ressources et charges", 4, h, NULL};
	json_t *cells = json_array();
	size_t i;
	json_t *l;
	char eur[MONEY_FMT_SIZE];
	json_array_foreach(rows, i, l)
	{
		const struct line_type *t = line_type_find(str(l, "category"));
		px_cell(cells, strcmp(str(l, "kind"), "charge") == 0 ? "Charge" : "Ressource");
		px_cell(cells, t ? t->label : str(l, "category"));
		px_cell(cells, str(l, "label"));
		px_amount(l, "montant", eur);
		px_cell(cells, eur);
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

/* Notes and the timeline: {created_at, actor, detail}. */
static int events(struct pdf *p, const char *caption, const json_t *rows)
{
	static const char *const h[] = {"Date", "Auteur", "Texte"};
	static const double w[] = {1.2, 1.5, 4};
	struct px_grid g = {caption, 3, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *e;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, e)
	{
		px_when(e, "created_at", at);
		px_cell(cells, at);
		px_cell(cells, str(e, "actor"));
		px_cell(cells, str(e, "detail"));
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static void explanation(json_t *cells, const json_t *result)
{
	struct buf b;
	size_t i;
	json_t *t;
	buf_init(&b, TEXT_MAX);
	json_array_foreach(json_object_get(json_object_get(result, "explication"), "texte"), i, t)
	{
		if (json_is_string(t))
			buf_printf(&b, "%s%s", b.len ? "\n" : "", json_string_value(t));
	}
	px_cell(cells, buf_cstr(&b));
	buf_free(&b);
}

static int evaluations(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Date", "Version", "Résultat", "Montant", "Explication"};
	static const double w[] = {1.2, 0.8, 1, 1, 4};
	struct px_grid g = {"Évaluations", 5, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *e;
	char at[FR_DATETIME_SIZE], eur[MONEY_FMT_SIZE];
	json_array_foreach(rows, i, e)
	{
		px_when(e, "created_at", at);
		px_cell(cells, at);
		px_cellf(cells, "%lld", (long long)int_of(e, "version_numero"));
		px_cell(cells, PICK(issues, str(e, "issue")));
		px_amount(e, "montant_centimes", eur);
		px_cell(cells, eur);
		explanation(cells, json_object_get(e, "result"));
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int commission(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Séance", "Décision", "Montant", "Motif et vote"};
	static const double w[] = {1.5, 1, 1, 3};
	struct px_grid g = {"Commission", 4, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *c;
	char date[11], eur[MONEY_FMT_SIZE];
	json_array_foreach(rows, i, c)
	{
		px_day(c, "date_seance", date);
		px_cellf(cells, "%s, %s", date, str(c, "lieu"));
		px_cell(cells, *str(c, "decision") ? px_decision_label(str(c, "decision"))
		                                   : "Pas encore décidé");
		px_amount(c, "montant", eur);
		px_cell(cells, eur);
		px_cellf(cells, "%s%s%s", str(c, "motif"), *str(c, "vote") ? "\n" : "",
		         str(c, "vote"));
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int letters(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"N°", "Courrier", "Date", "Auteur"};
	static const double w[] = {0.5, 3, 1.3, 1.6};
	struct px_grid g = {"Courriers", 4, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *l;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, l)
	{
		px_cellf(cells, "%lld", (long long)int_of(l, "numero"));
		px_cell(cells, str(l, "titre"));
		px_when(l, "created_at", at);
		px_cell(cells, at);
		px_cell(cells, str(l, "created_by_label"));
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int pieces(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Pièce", "Fichier", "Type", "Taille", "Déposée le"};
	static const double w[] = {2, 2, 1.3, 0.9, 1.3};
	struct px_grid g = {"Pièces justificatives", 5, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *d;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, d)
	{
		px_cell(cells, str(d, "piece"));
		px_cell(cells, str(d, "nom_fichier"));
		px_cell(cells, str(d, "type_mime"));
		px_cellf(cells, "%lld octets", (long long)int_of(d, "taille"));
		px_when(d, "created_at", at);
		px_cell(cells, at);
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int requests(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Date", "Pièces demandées", "Message"};
	struct px_grid g = {"Demandes de pièces", 3, h, NULL};
	json_t *cells = json_array();
	size_t i, j;
	json_t *r, *x;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, r)
	{
		struct buf b;
		buf_init(&b, TEXT_MAX);
		json_array_foreach(json_object_get(r, "pieces"), j, x)
		    buf_printf(&b, "%s%s", b.len ? "\n" : "",
		               json_string_value(x) ? json_string_value(x) : "");
		px_when(r, "created_at", at);
		px_cell(cells, at);
		px_cell(cells, buf_cstr(&b));
		px_cell(cells, str(r, "message"));
		buf_free(&b);
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int payments(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"N°", "Objet", "Montant", "État", "Bénéficiaire", "IBAN"};
	static const double w[] = {0.5, 1.6, 1, 0.9, 1.5, 3.2};
	struct px_grid g = {"Paiements", 6, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *y;
	char eur[MONEY_FMT_SIZE];
	json_array_foreach(rows, i, y)
	{
		const json_t *payee = json_object_get(y, "titulaire");
		px_cellf(cells, "%lld", (long long)int_of(y, "echeance"));
		px_cell(cells, str(y, "objet"));
		px_amount(y, "montant", eur);
		px_cell(cells, eur);
		px_cell(cells, PICK(payment_states, str(y, "state")));
		px_cell(cells, payee ? str(payee, "nom") : "Aide en nature");
		px_cell(cells, payee ? str(payee, "iban") : "");
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int consultations(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Date", "Organisme", "Agent", "Résultat", "Données reçues"};
	static const double w[] = {1.1, 1.5, 1.3, 1.1, 3.4};
	struct px_grid g = {"Consultations des administrations", 5, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *c;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, c)
	{
		px_when(c, "at", at);
		px_cell(cells, at);
		px_cell(cells, PICK(apis, str(c, "api")));
		px_cell(cells, *str(c, "agent") ? str(c, "agent") : str(c, "agent_label"));
		px_cell(cells, *str(c, "error_kind") ? str(c, "error_message") : "Réponse reçue");
		px_cell_flat(cells, json_object_get(c, "response"));
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int verifications(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Date", "Agent", "Année des revenus"};
	struct px_grid g = {"Vérifications de la situation", 3, h, NULL};
	json_t *cells = json_array();
	size_t i;
	json_t *v;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, v)
	{
		px_when(v, "at", at);
		px_cell(cells, at);
		px_cell(cells, *str(v, "agent") ? str(v, "agent") : str(v, "agent_label"));
		if (int_of(v, "annee"))
			px_cellf(cells, "%lld", (long long)int_of(v, "annee"));
		else
			px_cell(cells, "la dernière connue");
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int holds(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Depuis le", "Motif", "Par", "Levé le"};
	static const double w[] = {1.2, 3, 1.5, 1.2};
	struct px_grid g = {"Gels de la conservation (contentieux, recours)", 4, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *x;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, x)
	{
		px_when(x, "created_at", at);
		px_cell(cells, at);
		px_cellf(cells, "%s (%s)", str(x, "motif"), str(x, "kind"));
		px_cell(cells, str(x, "created_by_label"));
		px_when(x, "lifted_at", at);
		px_cell(cells, at);
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int dossier(struct pdf *p, const json_t *d)
{
	int rc = header(p, d);
	if (rc == 0)
		rc = lines(p, json_object_get(d, "lignes"));
	if (rc == 0)
		rc = events(p, "Notes", json_object_get(d, "notes"));
	if (rc == 0)
		rc = events(p, "Historique", json_object_get(d, "historique"));
	if (rc == 0)
		rc = evaluations(p, json_object_get(d, "evaluations"));
	if (rc == 0)
		rc = commission(p, json_object_get(d, "commission"));
	if (rc == 0)
		rc = letters(p, json_object_get(d, "courriers"));
	if (rc == 0)
		rc = pieces(p, json_object_get(d, "pieces"));
	if (rc == 0)
		rc = requests(p, json_object_get(d, "demandes_pieces"));
	if (rc == 0)
		rc = payments(p, json_object_get(d, "paiements"));
	if (rc == 0)
		rc = consultations(p, json_object_get(d, "consultations"));
	if (rc == 0)
		rc = verifications(p, json_object_get(d, "verifications"));
	if (rc == 0)
		rc = holds(p, json_object_get(d, "gels_conservation"));
	return rc;
}

int px_pdf_dossiers(struct pdf *p, const json_t *rows)
{
	size_t i;
	json_t *d;
	int rc = pdf_heading(p, PX_TITLE_DOSSIERS);
	if (rc == 0)
		rc = px_draw_none(p, rows, "Aucun dossier ne vous concerne.");
	json_array_foreach(rows, i, d)
	{
		if (rc == 0)
			rc = dossier(p, d);
	}
	return rc;
}
