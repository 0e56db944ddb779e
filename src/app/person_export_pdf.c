/* The export of a person's data as a readable PDF, in French, drawn from
 * the JSON document of person_export() with base/pdf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/input.h"
#include "app/person_export.h"
#include "app/person_export_internal.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/json_alloc.h"
#include "base/pdf.h"
#include "base/xalloc.h"
#include "domain/dossier.h"
#include "domain/household.h"
#include "domain/money.h"
#include "domain/pdate.h"
#include "store/letter_store.h"

#define TEXT_MAX  (256 * 1024)
#define FLAT_MAX  (16 * 1024) /* a flattened JSON value in a table cell */
#define FLAT_LINE 200         /* characters of one of its lines */

/* --- values --- */

static const char *str(const json_t *o, const char *key)
{
	return input_str((json_t *)o, key);
}

static int64_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* A cell's text: a copy kept in cells (a JSON array) until the table is
 * drawn. */
void px_cell(json_t *cells, const char *s)
{
	json_t *v = json_string(s ? s : "");
	json_array_append_new(cells, v ? v : json_string("?"));
}

void px_cellf(json_t *cells, const char *fmt, ...)
{
	char out[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, sizeof(out), fmt, ap);
	va_end(ap);
	px_cell(cells, out);
}

/* "15/03/2026 11:00" (Paris) from an RFC 3339 timestamp of the document. */
void px_when(const json_t *o, const char *key, char out[FR_DATETIME_SIZE])
{
	int y, m, d, hh, mi, ss;
	const char *s = str(o, key);
	out[0] = '\0';
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &m, &d, &hh, &mi, &ss) == 6)
		fr_datetime(clock_make(y, m, d, hh, mi, ss), out);
}

/* "15/03/2026", "03/1985" or "1985" from a date "YYYY-MM-DD" (with 00 for
 * unknown parts); "" for none. */
void px_day(const json_t *o, const char *key, char out[11])
{
	struct pdate p;
	const char *s = str(o, key);
	out[0] = '\0';
	if (*s && pdate_parse(s, &p, NULL) == 0)
		pdate_fr(&p, out);
	else
		snprintf(out, 11, "%s", s);
}

void px_amount(const json_t *o, const char *key, char out[MONEY_FMT_SIZE])
{
	json_t *v = json_object_get(o, key);
	out[0] = '\0';
	if (json_is_integer(v))
		money_format(json_integer_value(v), out, MONEY_FMT_SIZE);
}

const char *px_state_label(const char *code)
{
	enum dossier_state s;
	return dossier_state_from_code(code, &s) == 0 ? dossier_state_label(s) : code;
}

const char *px_decision_label(const char *code)
{
	enum dossier_decision d;
	return dossier_decision_from_code(code, &d) == 0 ? dossier_decision_label(d) : code;
}

static const char *relation_text(const char *code)
{
	enum relation r;
	return relation_from_code(code, &r) == 0 ? relation_label(r) : code;
}

static const char *const object_labels[][2] = {
    {"person", "Fiche de la personne"},
    {"household", "Foyer"},
    {"dossier", "Dossier"},
    {"consultation", "Consultation d'une administration"},
    {"verification", "Vérification de la situation"},
    {"document", "Pièce justificative"},
    {"document_request", "Demande de pièces"},
    {"courrier", "Courrier"},
    {"payment", "Paiement"},
    {"payee", "Coordonnées bancaires"},
};

static const char *const action_labels[][2] = {
    {"creation", "Création"},
    {"modification", "Modification"},
    {"changement_etat", "Changement d'état"},
    {"ajout_note", "Ajout d'une note"},
    {"ajout_ligne", "Ajout d'une ressource ou charge"},
    {"ajout_membre", "Arrivée d'un membre"},
    {"sortie_membre", "Départ d'un membre"},
    {"evaluation", "Évaluation"},
    {"consultation", "Consultation"},
    {"telechargement", "Téléchargement"},
    {"suppression", "Suppression"},
    {"impression", "Réimpression"},
    {"export_donnees", "Export des données"},
    {"effacement_refuse", "Effacement refusé"},
};

static const char *label_of(const char *const table[][2], size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i][0], code) == 0)
			return table[i][1];
	return code;
}

#define OBJECT_LABEL(c) label_of(object_labels, sizeof(object_labels) / sizeof(*object_labels), c)
#define ACTION_LABEL(c) label_of(action_labels, sizeof(action_labels) / sizeof(*action_labels), c)

/* A JSON value as lines "path : value" (objects and arrays walked). */
static void flatten(struct buf *b, const char *path, const json_t *v)
{
	const char *key;
	json_t *child;
	size_t i;
	char sub[FLAT_LINE];
	if (json_is_object(v) || json_is_array(v)) {
		if (json_is_object(v)) {
			json_object_foreach((json_t *)v, key, child)
			{
				snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", key);
				flatten(b, sub, child);
			}
		} else {
			json_array_foreach(v, i, child)
			{
				snprintf(sub, sizeof(sub), "%s[%zu]", path, i + 1);
				flatten(b, sub, child);
			}
		}
		return;
	}
	char *text = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	const char *shown = json_is_string(v) ? json_string_value(v) : text;
	if (b->len)
		buf_putc(b, '\n');
	buf_printf(b, "%s : %.*s", *path ? path : "valeur", FLAT_LINE, shown ? shown : "");
	json_free_text(text);
}

/* The changes of an audit entry, field -> [old, new]: "field : new" for a
 * creation, "field : old → new" otherwise; another shape flattened. */
static void cell_changes(json_t *cells, const json_t *changes)
{
	const char *key;
	json_t *v;
	struct buf b;
	buf_init(&b, FLAT_MAX);
	json_object_foreach((json_t *)changes, key, v)
	{
		if (!json_is_array(v) || json_array_size(v) != 2) {
			flatten(&b, key, v);
			continue;
		}
		char *old = json_dumps(json_array_get(v, 0), JSON_ENCODE_ANY | JSON_COMPACT);
		char *now = json_dumps(json_array_get(v, 1), JSON_ENCODE_ANY | JSON_COMPACT);
		const char *o = json_is_string(json_array_get(v, 0))
		                    ? json_string_value(json_array_get(v, 0))
		                    : old;
		const char *n = json_is_string(json_array_get(v, 1))
		                    ? json_string_value(json_array_get(v, 1))
		                    : now;
		if (json_is_null(json_array_get(v, 0)))
			buf_printf(&b, "%s%s : %.*s", b.len ? "\n" : "", key, FLAT_LINE,
			           n ? n : "");
		else
			buf_printf(&b, "%s%s : %.*s → %.*s", b.len ? "\n" : "", key, FLAT_LINE,
			           o ? o : "", FLAT_LINE, n ? n : "");
		json_free_text(old);
		json_free_text(now);
	}
	px_cell(cells, buf_cstr(&b));
	buf_free(&b);
}

void px_cell_flat(json_t *cells, const json_t *v)
{
	struct buf b;
	buf_init(&b, FLAT_MAX);
	if (v && !json_is_null(v))
		flatten(&b, "", v);
	px_cell(cells, buf_cstr(&b));
	buf_free(&b);
}

/* --- tables --- */

/* Draws the rows held in cells (strings, row-major); nothing when empty. */
int px_draw(struct pdf *p, const struct px_grid *g, json_t *cells)
{
	size_t n = json_array_size(cells);
	if (n == 0)
		return 0;
	const char **c = xmalloc(n * sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c[i] = json_string_value(json_array_get(cells, i));
	struct pdf_table t = {.caption = g->caption,
	                      .ncols = g->ncols,
	                      .headers = g->headers,
	                      .widths = g->widths,
	                      .nrows = (int)(n / (size_t)g->ncols),
	                      .cells = c};
	int rc = pdf_table(p, &t);
	free(c);
	return rc;
}

int px_draw_none(struct pdf *p, const json_t *rows, const char *none)
{
	return json_array_size(rows) ? 0 : pdf_para(p, none, 0);
}

/* --- sections --- */

/* The French words for the coded values of the identity. */
static const char *value_label(const char *field, const char *v)
{
	static const char *const labels[][3] = {
	    {"sexe", "F", "Féminin"},
	    {"sexe", "M", "Masculin"},
	    {"nationalite", "francaise", "Française"},
	    {"nationalite", "ue", "Union européenne"},
	    {"nationalite", "hors_ue", "Hors Union européenne"},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++)
		if (strcmp(labels[i][0], field) == 0 && strcmp(labels[i][1], v) == 0)
			return labels[i][2];
	return v;
}

static int identity(struct pdf *p, const json_t *pe)
{
	static const char *const h[] = {"Donnée", "Valeur"};
	static const double w[] = {1, 2};
	static const char *const rows[][2] = {
	    {"nom_naissance", "Nom de naissance"},
	    {"nom_usage", "Nom d'usage"},
	    {"prenom1", "Prénom"},
	    {"prenom2", "Deuxième prénom"},
	    {"prenom3", "Troisième prénom"},
	    {"sexe", "Sexe"},
	    {"date_naissance", "Date de naissance"},
	    {"commune_naissance", "Commune de naissance (code INSEE)"},
	    {"pays_naissance", "Pays de naissance (code INSEE)"},
	    {"nationalite", "Nationalité"},
	    {"telephone", "Téléphone"},
	    {"email", "Adresse électronique"},
	    {"adresse", "Adresse"},
	    {"code_postal", "Code postal"},
	    {"commune", "Commune"},
	};
	struct px_grid g = {NULL, 2, h, w};
	json_t *cells = json_array();
	char buf[11];
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		const char *v = str(pe, rows[i][0]);
		if (!*v)
			continue;
		if (strcmp(rows[i][0], "date_naissance") == 0) {
			px_day(pe, rows[i][0], buf);
			v = buf;
		}
		v = value_label(rows[i][0], v);
		px_cell(cells, rows[i][1]);
		px_cell(cells, v);
	}
	char created[FR_DATETIME_SIZE], updated[FR_DATETIME_SIZE];
	px_when(pe, "created_at", created);
	px_when(pe, "updated_at", updated);
	px_cell(cells, "Fiche créée le / modifiée le");
	px_cellf(cells, "%s / %s", created, updated);
	int rc = pdf_heading(p, PX_TITLE_IDENTITY);
	if (rc == 0)
		rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int household(struct pdf *p, const json_t *h)
{
	static const char *const hd[] = {"Membre", "Lien", "Entrée", "Sortie"};
	struct px_grid g = {NULL, 4, hd, NULL};
	char in[11], out[11], caption[512];
	px_day(h, "date_entree", in);
	px_day(h, "date_sortie", out);
	snprintf(caption, sizeof(caption), "Foyer « %s » : %s depuis le %s%s%s", str(h, "label"),
	         relation_text(str(h, "relation")), in, *out ? ", sortie le " : "", out);
	g.caption = caption;
	json_t *cells = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(h, "membres"), i, m)
	{
		px_cellf(cells, "%s %s", str(m, "nom"), str(m, "prenom"));
		px_cell(cells, relation_text(str(m, "relation")));
		px_day(m, "date_entree", in);
		px_day(m, "date_sortie", out);
		px_cell(cells, in);
		px_cell(cells, out);
	}
	int rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int households(struct pdf *p, const json_t *rows)
{
	size_t i;
	json_t *h;
	int rc = pdf_heading(p, PX_TITLE_HOUSEHOLDS);
	if (rc == 0)
		rc = px_draw_none(p, rows, "Vous n'êtes membre d'aucun foyer enregistré.");
	json_array_foreach(rows, i, h)
	{
		if (rc == 0)
			rc = household(p, h);
	}
	return rc;
}

static int bank(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Titulaire", "IBAN", "BIC", "Enregistré le"};
	static const double w[] = {2, 3, 1.2, 1.6};
	struct px_grid g = {NULL, 4, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *y;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, y)
	{
		px_cell(cells, str(y, "nom"));
		px_cell(cells, str(y, "iban"));
		px_cell(cells, str(y, "bic"));
		px_when(y, "created_at", at);
		px_cell(cells, at);
	}
	int rc = pdf_heading(p, PX_TITLE_BANK);
	if (rc == 0)
		rc = px_draw_none(p, rows, "Aucune coordonnée bancaire n'est enregistrée.");
	if (rc == 0)
		rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int access_log(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Date", "Agent", "Donnée consultée"};
	static const double w[] = {1.3, 2, 2.5};
	struct px_grid g = {NULL, 3, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *a;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, a)
	{
		px_when(a, "at", at);
		px_cell(cells, at);
		px_cell(cells, str(a, "agent"));
		px_cellf(cells, "%s n° %lld", OBJECT_LABEL(str(a, "object_type")),
		         (long long)int_of(a, "object_id"));
	}
	int rc = pdf_heading(p, PX_TITLE_ACCESS);
	if (rc == 0)
		rc = pdf_para(p,
		              "Chaque consultation de vos données par un agent du CCAS est "
		              "enregistrée : date, agent, donnée consultée.",
		              PDF_SMALL);
	if (rc == 0)
		rc = px_draw_none(p, rows, "Aucune consultation enregistrée.");
	if (rc == 0)
		rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int audit_log(struct pdf *p, const json_t *rows)
{
	static const char *const h[] = {"Date", "Agent", "Action", "Objet", "Modifications"};
	static const double w[] = {1.2, 2, 1.3, 1.4, 3};
	struct px_grid g = {NULL, 5, h, w};
	json_t *cells = json_array();
	size_t i;
	json_t *a;
	char at[FR_DATETIME_SIZE];
	json_array_foreach(rows, i, a)
	{
		px_when(a, "at", at);
		px_cell(cells, at);
		px_cell(cells, str(a, "actor_label"));
		px_cell(cells, ACTION_LABEL(str(a, "action")));
		px_cellf(cells, "%s n° %lld", OBJECT_LABEL(str(a, "object_type")),
		         (long long)int_of(a, "object_id"));
		if (json_is_object(json_object_get(a, "changes")))
			cell_changes(cells, json_object_get(a, "changes"));
		else
			px_cell_flat(cells, json_object_get(a, "changes"));
	}
	int rc = pdf_heading(p, PX_TITLE_AUDIT);
	if (rc == 0)
		rc =
		    pdf_para(p,
		             "Chaque création ou modification de vos données est inscrite au "
		             "journal d'audit du CCAS, avec les valeurs enregistrées (« ancienne → "
		             "nouvelle » pour une modification). « [effacé] » marque une valeur "
		             "effacée depuis.",
		             PDF_SMALL);
	if (rc == 0)
		rc = px_draw_none(p, rows, "Aucune entrée.");
	if (rc == 0)
		rc = px_draw(p, &g, cells);
	json_decref(cells);
	return rc;
}

static int rights(struct pdf *p, const json_t *doc)
{
	char text[1024];
	snprintf(text, sizeof(text),
	         "Vous pouvez demander au %s la rectification des données inexactes ou "
	         "incomplètes, leur effacement lorsqu'aucune obligation légale n'impose de les "
	         "conserver (les dossiers d'aide sociale sont conservés pendant la durée fixée "
	         "par la réglementation, puis effacés), ainsi que la limitation du traitement. "
	         "Adressez votre demande au CCAS ou à son délégué à la protection des données. "
	         "Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une "
	         "réclamation à la Commission nationale de l'informatique et des libertés "
	         "(CNIL, www.cnil.fr).",
	         str(json_object_get(doc, "ccas"), "nom"));
	int rc = pdf_heading(p, PX_TITLE_RIGHTS);
	if (rc == 0)
		rc = pdf_para(p, text, 0);
	return rc;
}

/* --- the document --- */

static int intro(struct pdf *p, const json_t *doc)
{
	const json_t *pe = json_object_get(doc, "personne");
	char title[512], at[FR_DATETIME_SIZE], text[1024];
	snprintf(title, sizeof(title), "%s %s %s", PX_TITLE, str(pe, "prenom1"),
	         str(pe, "nom_naissance"));
	px_when(doc, "genere_le", at);
	snprintf(text, sizeof(text),
	         "Ce document rassemble toutes les données que le %s détient sur vous le %s, en "
	         "réponse à votre demande d'accès (article 15 du règlement général sur la "
	         "protection des données). Les montants sont en euros, les heures celles de "
	         "Paris. Les courriers et les pièces justificatives sont listés : une copie peut "
	         "vous en être remise sur demande. Le même contenu existe au format JSON, lisible "
	         "par une machine.",
	         str(json_object_get(doc, "ccas"), "nom"), at);
	int rc = pdf_title(p, title);
	if (rc == 0)
		rc = pdf_para(p, text, 0);
	return rc;
}

static int body(struct pdf *p, const json_t *doc)
{
	int rc = intro(p, doc);
	if (rc == 0)
		rc = identity(p, json_object_get(doc, "personne"));
	if (rc == 0)
		rc = households(p, json_object_get(doc, "foyers"));
	if (rc == 0)
		rc = bank(p, json_object_get(doc, "comptes_bancaires"));
	if (rc == 0)
		rc = px_pdf_dossiers(p, json_object_get(doc, "dossiers"));
	if (rc == 0)
		rc = access_log(p, json_object_get(doc, "journal_acces"));
	if (rc == 0)
		rc = audit_log(p, json_object_get(doc, "journal_audit"));
	if (rc == 0)
		rc = rights(p, doc);
	return rc;
}

/* The letterhead of the CCAS's letters (name, colour, address, contact). */
static json_t *letterhead(struct db *db, const struct actor *who, struct pdf_letterhead *lh)
{
	int err;
	json_t *t = letter_store_tenant(db, who->tenant_id, &err);
	json_t *s = letter_store_settings(db, who->tenant_id, &err);
	json_t *keep = json_pack("[oo]", t ? t : json_object(), s ? s : json_object());
	t = json_array_get(keep, 0);
	s = json_array_get(keep, 1);
	lh->name = *str(t, "name") ? str(t, "name") : who->tenant_name;
	lh->colour = *str(t, "colour") ? str(t, "colour") : NULL;
	lh->address = *str(s, "adresse") ? str(s, "adresse") : NULL;
	lh->contact = *str(s, "contact") ? str(s, "contact") : NULL;
	return keep;
}

int person_export_pdf(struct db *db, const struct actor *who, const json_t *doc,
                      unsigned char **pdf, size_t *len)
{
	const json_t *pe = json_object_get(doc, "personne");
	char seed[128];
	int y, m, d, hh, mi, ss;
	int64_t created = 0;
	if (sscanf(str(doc, "genere_le"), "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &m, &d, &hh, &mi, &ss) ==
	    6)
		created = clock_make(y, m, d, hh, mi, ss);
	snprintf(seed, sizeof(seed), "export-personne:%lld:%lld:%lld", (long long)who->tenant_id,
	         (long long)int_of(pe, "id"), (long long)created);
	struct pdf_letterhead lh = {0};
	json_t *keep = letterhead(db, who, &lh);
	struct pdf_meta meta = {.title = PX_TITLE_META,
	                        .author = lh.name,
	                        .subject = "Droit d'accès aux données personnelles",
	                        .created = created,
	                        .id_seed = seed};
	struct pdf *p = pdf_new(&meta, &lh);
	int rc = p ? body(p, doc) : CAS_EIO;
	if (rc == 0)
		rc = pdf_finish(p, pdf, len);
	pdf_free(p);
	json_decref(keep);
	return rc;
}
