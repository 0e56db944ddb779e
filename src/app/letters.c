/* Letters of a dossier: generation (inside a transaction or in its own),
 * the workflow hook, the list and the exact bytes for a reprint. */
#include "app/letters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/letters_internal.h"
#include "app/perm.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/json_alloc.h"
#include "base/xalloc.h"
#include "store/db.h"
#include "store/dossier_store.h"
#include "store/letter_store.h"

struct kind {
	const char *code, *label;
	const char *states;   /* space-separated states where it may be produced */
	const char *decision; /* the decision it notifies, or NULL */
};

static const struct kind kinds[] = {
    {"accuse_reception", "Accusé de réception",
     "depose en_instruction en_attente_pieces instruit en_commission", NULL},
    {"demande_pieces", "Demande de pièces", "depose en_instruction en_attente_pieces", NULL},
    {"notification_accord", "Notification d'accord", "decide notifie paiement cloture", "accorde"},
    {"notification_refus", "Notification de refus", "decide notifie cloture", "refuse"},
    {"notification_ajournement", "Notification d'ajournement", "decide notifie cloture", "ajourne"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *const letter_kinds[] = {"accuse_reception",         "demande_pieces",
                                    "notification_accord",      "notification_refus",
                                    "notification_ajournement", NULL};
const char *const letter_templates[] = {"accuse_reception",
                                        "demande_pieces",
                                        "notification_accord",
                                        "notification_refus",
                                        "notification_ajournement",
                                        "voies_recours",
                                        NULL};

static const struct kind *find_kind(const char *code)
{
	for (size_t i = 0; code && i < NKINDS; i++)
		if (strcmp(kinds[i].code, code) == 0)
			return &kinds[i];
	return NULL;
}

const char *letter_kind_label(const char *kind)
{
	const struct kind *k = find_kind(kind);

	if (k)
		return k->label;
	return kind && strcmp(kind, "voies_recours") == 0 ? "Délais et voies de recours" : NULL;
}

int letter_kind_valid(const char *kind)
{
	return find_kind(kind) != NULL;
}

static int word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int letter_kind_fits(const char *kind, const char *state, const char *decision)
{
	const struct kind *k = find_kind(kind);

	if (!k || !state || !*state || !word_in(state, k->states))
		return 0;
	return !k->decision || (decision && strcmp(decision, k->decision) == 0);
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* --- generation --- */

struct made {
	unsigned char *pdf;
	size_t len;
	json_t *data;
	int64_t numero, now;
};

static int store_letter(struct db *db, const struct actor *who, json_t *d, const char *kind,
                        struct made *m, int64_t *letter_id)
{
	char sha[65], detail[300];
	char *data = json_dumps(m->data, JSON_COMPACT | JSON_SORT_KEYS);
	int64_t dossier_id = json_integer_value(json_object_get(d, "id"));
	struct letter_row row = {.dossier_id = dossier_id,
	                         .kind = kind,
	                         .titre = letter_kind_label(kind),
	                         .numero = m->numero,
	                         .pdf = m->pdf,
	                         .pdf_size = m->len,
	                         .pdf_sha256 = sha,
	                         .data = data ? data : "{}",
	                         .created_by = who->user_id,
	                         .created_by_label = who->label,
	                         .created_at = m->now};
	int rc;

	sha256_hex(m->pdf, m->len, sha);
	rc = letter_store_insert(db, who->tenant_id, &row, letter_id);
	json_free_text(data);
	snprintf(detail, sizeof detail, "Courrier n° %lld produit : %s.", (long long)m->numero,
	         letter_kind_label(kind));
	if (rc == 0)
		rc = dossier_store_event_insert(db, who->tenant_id, dossier_id, who->user_id,
		                                who->label, "courrier", detail, m->now);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "courrier", *letter_id,
		                 json_pack("{s:[nI], s:[ns], s:[nI], s:[ns]}", "dossier_id",
		                           (json_int_t)dossier_id, "kind", kind, "numero",
		                           (json_int_t)m->numero, "pdf_sha256", sha));
	return rc;
}

static int make(struct db *db, const struct actor *who, json_t *d, const char *kind,
                const json_t *params, int64_t *letter_id, json_t **errors)
{
	struct made m = {.now = clock_now()};
	int64_t dossier_id = json_integer_value(json_object_get(d, "id"));
	int rc;
	json_t *ccas = letter_ccas(db, who->tenant_id, &rc);

	if (!ccas)
		return rc;
	rc = letter_store_next_numero(db, who->tenant_id, dossier_id, &m.numero);
	if (rc == 0)
		rc = letter_build(db, who, ccas, d, kind, params, m.numero, m.now, NULL, &m.pdf,
		                  &m.len, &m.data, errors);
	json_decref(ccas);
	if (rc == 0)
		rc = store_letter(db, who, d, kind, &m, letter_id);
	free(m.pdf);
	json_decref(m.data);
	return rc;
}

/* Generation once the permission is settled. */
static int generate(struct db *db, const struct actor *who, int64_t dossier_id, const char *kind,
                    const json_t *params, int64_t *letter_id, json_t **errors)
{
	int rc;
	json_t *d = letter_store_dossier(db, who->tenant_id, dossier_id, &rc);

	if (!d)
		return rc;
	if (!find_kind(kind)) {
		*errors = json_pack("{s:s}", "kind", "Choisissez un type de courrier.");
		json_decref(d);
		return CAS_EINVAL;
	}
	if (!letter_kind_fits(kind, jstr(d, "state"), jstr(d, "decision"))) {
		char msg[300];
		snprintf(msg, sizeof msg,
		         "Ce courrier (%s) ne peut pas être produit pour un dossier dans cet état.",
		         letter_kind_label(kind));
		*errors = json_pack("{s:s}", "kind", msg);
		json_decref(d);
		return CAS_EINVAL;
	}
	rc = make(db, who, d, kind, params, letter_id, errors);
	json_decref(d);
	return rc;
}

int letters_generate_in(struct db *db, const struct actor *who, int64_t dossier_id,
                        const char *kind, const json_t *params, int64_t *letter_id, json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_LETTER_GENERATE) || !who->tenant_id)
		return CAS_EPERM;
	return generate(db, who, dossier_id, kind, params, letter_id, errors);
}

int letters_generate(struct db *db, const struct actor *who, int64_t dossier_id, const char *kind,
                     const json_t *params, int64_t *letter_id, json_t **errors)
{
	int rc;

	*errors = NULL;
	if (!perm_allows(who->role, PERM_LETTER_GENERATE) || !who->tenant_id)
		return CAS_EPERM;
	rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = generate(db, who, dossier_id, kind, params, letter_id, errors);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int letters_on_transition(struct db *db, const struct actor *who, int64_t dossier_id,
                          const char *to_state)
{
	const char *kind = NULL, *decision;
	json_t *d, *errors = NULL;
	int64_t id;
	int rc;

	if (!to_state || (strcmp(to_state, "depose") != 0 && strcmp(to_state, "notifie") != 0))
		return 0;
	d = letter_store_dossier(db, who->tenant_id, dossier_id, &rc);
	if (!d)
		return rc;
	decision = jstr(d, "decision");
	if (strcmp(to_state, "depose") == 0)
		kind = "accuse_reception";
	else
		for (size_t i = 0; i < NKINDS; i++)
			if (kinds[i].decision && strcmp(kinds[i].decision, decision) == 0)
				kind = kinds[i].code;
	rc = kind ? make(db, who, d, kind, NULL, &id, &errors) : 0;
	json_decref(d);
	json_decref(errors);
	return rc;
}

/* --- reading --- */

static json_t *form_defaults(json_t *d, const char *kind)
{
	json_t *def = json_pack("{s:s, s:s, s:s, s:s}", "motif", "", "montant", "", "beneficiaire",
	                        "", "modalites", "");
	int64_t cents = json_integer_value(json_object_get(d, "montant_accorde"));

	if (strncmp(kind, "notification_r", 14) == 0 ||
	    strcmp(kind, "notification_ajournement") == 0)
		json_object_set_new(def, "motif", json_string(jstr(d, "motif_decision")));
	if (strcmp(kind, "notification_accord") == 0 && cents > 0) {
		char m[32];
		snprintf(m, sizeof m, "%lld,%02lld", (long long)(cents / 100),
		         (long long)(cents % 100));
		json_object_set_new(def, "montant", json_string(m));
	}
	return def;
}

json_t *letters_prepare(struct db *db, const struct actor *who, int64_t dossier_id,
                        const char *kind, int *err, json_t **errors)
{
	json_t *d, *ccas, *out;
	char name[400];

	*errors = NULL;
	if (!perm_allows(who->role, PERM_LETTER_GENERATE) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	d = letter_store_dossier(db, who->tenant_id, dossier_id, err);
	if (!d)
		return NULL;
	if (!letter_kind_fits(kind, jstr(d, "state"), jstr(d, "decision"))) {
		*errors = json_pack("{s:s}", "kind",
		                    "Ce courrier ne peut pas être produit pour ce dossier dans son "
		                    "état actuel.");
		*err = CAS_EINVAL;
		json_decref(d);
		return NULL;
	}
	ccas = letter_ccas(db, who->tenant_id, err);
	snprintf(name, sizeof name, "%s %s", jstr(d, "prenom1"),
	         *jstr(d, "nom_usage") ? jstr(d, "nom_usage") : jstr(d, "nom_naissance"));
	out = ccas ? json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:O, s:o}", "dossier_id",
	                       (json_int_t)dossier_id, "numero", jstr(d, "numero"), "aide",
	                       jstr(d, "aide"), "demandeur", name, "kind", kind, "label",
	                       letter_kind_label(kind), "delai_pieces",
	                       json_object_get(ccas, "delai_pieces"), "defaults",
	                       form_defaults(d, kind))
	           : NULL;
	json_decref(ccas);
	json_decref(d);
	return out;
}

json_t *letters_allowed_kinds(struct db *db, const struct actor *who, int64_t dossier_id, int *err)
{
	json_t *out = json_array(), *d;

	*err = 0;
	if (!perm_allows(who->role, PERM_LETTER_GENERATE))
		return out;
	d = letter_store_dossier(db, who->tenant_id, dossier_id, err);
	if (!d) {
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; i < NKINDS; i++)
		if (letter_kind_fits(kinds[i].code, jstr(d, "state"), jstr(d, "decision")))
			json_array_append_new(out, json_pack("{s:s, s:s}", "kind", kinds[i].code,
			                                     "label", kinds[i].label));
	json_decref(d);
	return out;
}

json_t *letters_list(struct db *db, const struct actor *who, int64_t dossier_id, int *err)
{
	json_t *d, *rows, *l;
	size_t i;

	if (!perm_allows(who->role, PERM_LETTER_READ) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	d = letter_store_dossier(db, who->tenant_id, dossier_id, err);
	if (!d)
		return NULL;
	json_decref(d);
	rows = letter_store_list(db, who->tenant_id, dossier_id);
	*err = rows ? 0 : CAS_EDB;
	json_array_foreach(rows, i, l)
	{
		const char *label = letter_kind_label(jstr(l, "kind"));
		json_object_set_new(l, "label", json_string(label ? label : jstr(l, "kind")));
	}
	return rows;
}

static char *file_name(json_t *l, json_t *d)
{
	char name[200];

	snprintf(name, sizeof name, "courrier-%s-%lld-%s.pdf", jstr(d, "numero"),
	         (long long)json_integer_value(json_object_get(l, "numero")), jstr(l, "kind"));
	for (char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_' || *p == '.'))
			*p = '_';
	return xstrdup(name);
}

/* A reprint is recorded in the audit, in its own transaction (a GET runs
 * in a read snapshot, which db_begin ends). */
static int audit_read(struct db *db, const struct actor *who, int64_t dossier_id, int64_t letter_id)
{
	int rc = db_begin(db);

	if (rc != 0)
		return rc;
	rc = audit_write(db, who, "impression", "courrier", letter_id,
	                 json_pack("{s:[nI]}", "dossier_id", (json_int_t)dossier_id));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int letters_pdf(struct db *db, const struct actor *who, int64_t dossier_id, int64_t letter_id,
                unsigned char **pdf, size_t *len, char **filename)
{
	json_t *d, *l;
	int rc;

	*pdf = NULL;
	*filename = NULL;
	if (!perm_allows(who->role, PERM_LETTER_READ) || !who->tenant_id)
		return CAS_EPERM;
	d = letter_store_dossier(db, who->tenant_id, dossier_id, &rc);
	l = d ? letter_store_get(db, who->tenant_id, dossier_id, letter_id, &rc) : NULL;
	if (l)
		rc = letter_store_pdf(db, who->tenant_id, dossier_id, letter_id, pdf, len);
	if (rc == 0) {
		*filename = file_name(l, d);
		rc = audit_read(db, who, dossier_id, letter_id);
	}
	if (rc != 0) {
		free(*pdf);
		free(*filename);
		*pdf = NULL;
		*filename = NULL;
	}
	json_decref(d);
	json_decref(l);
	return rc;
}

json_t *letters_get(struct db *db, const struct actor *who, int64_t dossier_id, int64_t letter_id,
                    int *err)
{
	unsigned char *pdf;
	size_t len;
	char *name, *b64;
	json_t *l;

	*err = letters_pdf(db, who, dossier_id, letter_id, &pdf, &len, &name);
	if (*err)
		return NULL;
	free(name);
	l = letter_store_get(db, who->tenant_id, dossier_id, letter_id, err);
	if (l) {
		size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
		b64 = xmalloc(n);
		sodium_bin2base64(b64, n, pdf, len, sodium_base64_VARIANT_ORIGINAL);
		json_object_del(l, "data");
		json_object_set_new(l, "label", json_string(letter_kind_label(jstr(l, "kind"))));
		json_object_set_new(l, "pdf_base64", json_string(b64));
		free(b64);
	}
	free(pdf);
	return l;
}
