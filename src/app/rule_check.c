/* Checks of a rule document for the catalogue and the editor: size, JSON
 * syntax, then the rule engine's own parse (domain/rules.h), each failure
 * with its position and a French sentence. */
#include <stdio.h>
#include <string.h>

#include "app/aid_rules.h"
#include "base/err.h"
#include "domain/pdate.h"
#include "domain/rules.h"

int aid_date_iso(const char *s, char out[11])
{
	struct pdate d;
	if (!s || pdate_parse(s, &d, NULL) != 0 || !d.month || !d.day)
		return CAS_EINVAL;
	pdate_iso(&d, out);
	return 0;
}

/* jansson's English messages, by their start, in French. */
static const char *json_reason_fr(const char *text)
{
	static const char *const map[][2] = {
	    {"end of file expected", "du texte suit la fin du document"},
	    {"'[' or '{' expected", "le document doit commencer par « { »"},
	    {"string or '}' expected", "un nom entre guillemets ou « } » est attendu"},
	    {"'}' expected", "« } » est attendu"},
	    {"']' expected", "« ] » est attendu"},
	    {"':' expected", "« : » est attendu"},
	    {"duplicate object key", "ce nom figure deux fois dans le même objet"},
	    {"premature end of input", "le document s'arrête avant sa fin"},
	    {"unexpected newline", "une chaîne ne peut pas contenir de retour à la ligne"},
	    {"control character", "caractère de contrôle interdit dans une chaîne"},
	    {"invalid escape", "séquence d'échappement invalide"},
	    {"invalid token", "élément inattendu"},
	    {"unexpected token", "élément inattendu"},
	    {"too big", "nombre trop grand"},
	    {"real number overflow", "nombre trop grand"},
	    {"maximum parsing depth", "imbrication trop profonde"},
	    {"unable to decode byte", "texte non UTF-8"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(text, map[i][0], strlen(map[i][0])) == 0)
			return map[i][1];
	return "erreur de syntaxe";
}

static void problem_json_syntax(struct rule_problem *p, const json_error_t *e)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "json");
	p->line = e->line > 0 ? e->line : 1;
	p->column = e->column > 0 ? e->column : 1;
	snprintf(p->message, sizeof(p->message), "%s", json_reason_fr(e->text));
	snprintf(p->text, sizeof(p->text),
	         "Le document n'est pas du JSON valide à la ligne %d, colonne %d : %s.", p->line,
	         p->column, p->message);
}

static void problem_simple(struct rule_problem *p, const char *message)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "json");
	p->line = 1;
	p->column = 1;
	snprintf(p->message, sizeof(p->message), "%s", message);
	snprintf(p->text, sizeof(p->text), "%s", message);
}

static void problem_rule(struct rule_problem *p, const struct rule_error *e)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "regle");
	snprintf(p->path, sizeof(p->path), "%s", e->path);
	p->line = e->line;
	p->column = e->column;
	snprintf(p->message, sizeof(p->message), "%s", e->message);
	size_t n = strlen(p->message);
	while (n > 0 && (p->message[n - 1] == '.' || p->message[n - 1] == ' '))
		p->message[--n] = '\0';
	if (*p->path && p->line > 0)
		snprintf(p->text, sizeof(p->text),
		         "Règle invalide à %s (ligne %d, colonne %d) : %s.", p->path, p->line,
		         p->column, p->message);
	else if (*p->path)
		snprintf(p->text, sizeof(p->text), "Règle invalide à %s : %s.", p->path,
		         p->message);
	else
		snprintf(p->text, sizeof(p->text), "Règle invalide : %s.", p->message);
}

int rule_document_check_json(const json_t *doc, struct rule_problem *p)
{
	if (!json_is_object(doc)) {
		problem_simple(p, "La règle doit être un objet JSON : { ... }.");
		return CAS_EINVAL;
	}
	struct rule_error e;
	memset(&e, 0, sizeof(e));
	struct rule *r = rule_parse(doc, &e);
	if (!r) {
		if (!*e.message)
			snprintf(e.message, sizeof(e.message), "La règle est invalide.");
		problem_rule(p, &e);
		return CAS_EINVAL;
	}
	rule_free(r);
	return 0;
}

int rule_document_check(const char *text, json_t **doc, struct rule_problem *p)
{
	if (doc)
		*doc = NULL;
	if (!text || !*text) {
		problem_simple(p, "Écrivez la règle : un objet JSON { ... }.");
		return CAS_EINVAL;
	}
	if (strlen(text) > RULE_DOC_MAX) {
		problem_simple(p, "La règle dépasse la taille permise (256 Kio).");
		return CAS_EINVAL;
	}
	json_error_t e;
	json_t *d = json_loads(text, JSON_REJECT_DUPLICATES, &e);
	if (!d) {
		problem_json_syntax(p, &e);
		return CAS_EINVAL;
	}
	json_object_del(d, "du");
	json_object_del(d, "au");
	json_object_del(d, "statut");
	int rc = rule_document_check_json(d, p);
	if (rc == 0 && doc)
		*doc = d;
	else
		json_decref(d);
	return rc;
}

json_t *rule_problem_json(const struct rule_problem *p)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:s, s:s}", "kind", p->kind, "path", p->path, "line",
	                 p->line, "column", p->column, "message", p->message, "text", p->text);
}
