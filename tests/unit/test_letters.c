/* Letters of dossiers against a database: each kind and the states that
 * allow it, the parameters checked, the French text of the PDF (pdftotext
 * when installed), byte-identical reprints, permissions and tenant
 * isolation, the CCAS's templates and letterhead, the workflow hook. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/actor.h"
#include "app/aid_types.h"
#include "app/dossiers.h"
#include "app/households.h"
#include "app/letters.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "testdb.h"

struct fixture {
	struct db *db;
	struct actor admin, instr, accueil, valideur, auditeur, instr_b;
	int64_t dossier;
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

static int64_t make_tenant(struct db *db, const char *name, const char *siret)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "siret", siret, "communes",
	                       "93048", "colour", "#7a1f5c");
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(tenant_create(db, &sys, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static void actor(struct actor *who, int64_t tenant, enum role role, const char *label,
                  const char *name)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "%s", label);
	snprintf(who->display_name, sizeof(who->display_name), "%s", name);
}

static int64_t make_dossier(struct fixture *f)
{
	json_t *in = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", "Lefèvre",
	    "prenom1", "Gaëlle", "sexe", "F", "date_naissance", "1984-02-03", "lieu_type",
	    "commune", "commune_naissance", "75056", "nationalite", "francaise", "adresse",
	    "12 rue des Écoles\nBâtiment B", "code_postal", "93100", "commune", "Montreuil");
	int64_t pid, hid, aid, id;
	json_t *errors = NULL;

	assert_int_equal(person_create(f->db, &f->accueil, in, &pid, &errors), 0);
	json_decref(in);
	in = json_pack("{s:I}", "demandeur_id", (json_int_t)pid);
	assert_int_equal(household_create(f->db, &f->accueil, in, &hid, &errors), 0);
	json_decref(in);
	in = json_pack("{s:s, s:s, s:s}", "code", "energie", "label", "Aide à l'énergie",
	               "description", "");
	assert_int_equal(aid_type_create(f->db, &f->admin, in, &aid, &errors), 0);
	json_decref(in);
	in = json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)hid, "aid_type_id",
	               (json_int_t)aid, "motif", "Facture d'électricité impayée", "montant_demande",
	               "300");
	assert_int_equal(dossier_create(f->db, &f->accueil, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(clock_make(2026, 3, 15, 10, 0, 0));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	int64_t ta = make_tenant(f->db, "CCAS de Montreuil", "21750001600019");
	int64_t tb = make_tenant(f->db, "CCAS de Lyon", "21690123100011");
	actor(&f->admin, ta, ROLE_ADMINISTRATEUR, "admin@a.fr", "Alix Admin");
	actor(&f->instr, ta, ROLE_INSTRUCTEUR, "instr@a.fr", "Inès Instructrice");
	actor(&f->accueil, ta, ROLE_ACCUEIL, "accueil@a.fr", "Ali Accueil");
	actor(&f->valideur, ta, ROLE_VALIDEUR, "valideur@a.fr", "Véra Valideuse");
	actor(&f->auditeur, ta, ROLE_AUDITEUR, "audit@a.fr", "Aude Auditrice");
	actor(&f->instr_b, tb, ROLE_INSTRUCTEUR, "instr@b.fr", "Bob");
	f->dossier = make_dossier(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->db);
	clock_clear_override();
	free(f);
	return 0;
}

static void set_state(struct fixture *f, const char *state, const char *decision, const char *motif)
{
	assert_int_equal(q_exec(f->db,
	                        "UPDATE dossiers SET state = ?, depose_le = '2026-03-14', "
	                        "decision = ?, motif_decision = ?, montant_accorde = 15000, "
	                        "decided_at = ? WHERE id = ?",
	                        "tttii", state, decision, motif,
	                        (int64_t)clock_make(2026, 3, 13, 9, 0, 0), f->dossier),
	                 0);
}

static int has_pdftotext(void)
{
	return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

/* The text of a PDF (pdftotext -layout off), or "" when the tool is absent. */
static char *pdf_text(const unsigned char *b, size_t n)
{
	char path[] = "/tmp/cassis-test-letter-XXXXXX", cmd[128], chunk[4096];
	struct buf out;
	size_t got;
	FILE *p;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, n), (ssize_t)n);
	close(fd);
	buf_init(&out, 1 << 20);
	snprintf(cmd, sizeof cmd, "pdftotext -q %s - 2>/dev/null", path);
	p = has_pdftotext() ? popen(cmd, "r") : NULL;
	while (p && (got = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&out, chunk, got);
	if (p)
		pclose(p);
	unlink(path);
	buf_putc(&out, '\0');
	return buf_steal(&out);
}

/* pdftotext breaks lines where the PDF does: compare with spaces. */
static void expect_text(const char *text, const char *needle)
{
	char *flat = strdup(text);
	for (char *p = flat; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (has_pdftotext() && !strstr(flat, needle))
		fail_msg("missing \"%s\" in:\n%s", needle, text);
	free(flat);
}

static int64_t generate(struct fixture *f, const struct actor *who, const char *kind,
                        json_t *params, int expect)
{
	int64_t id = 0;
	json_t *errors = NULL;
	int rc = letters_generate(f->db, who, f->dossier, kind, params, &id, &errors);
	if (rc != expect) {
		char *s = json_dumps(errors, 0);
		fail_msg("letters_generate(%s) = %d, expected %d %s", kind, rc, expect, s ? s : "");
	}
	json_decref(errors);
	json_decref(params);
	return id;
}

static char *letter_text(struct fixture *f, int64_t id)
{
	unsigned char *pdf;
	size_t len;
	char *name, *text;
	assert_int_equal(letters_pdf(f->db, &f->instr, f->dossier, id, &pdf, &len, &name), 0);
	assert_memory_equal(pdf, "%PDF-", 5);
	text = pdf_text(pdf, len);
	free(pdf);
	free(name);
	return text;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

static void acknowledgement(void **state)
{
	struct fixture *f = *state;
	json_t *errors = NULL;
	int64_t id;

	/* a brouillon gets no letter */
	assert_int_equal(
	    letters_generate(f->db, &f->instr, f->dossier, "accuse_reception", NULL, &id, &errors),
	    CAS_EINVAL);
	assert_non_null(json_object_get(errors, "kind"));
	json_decref(errors);
	set_state(f, "depose", NULL, NULL);
	id = generate(f, &f->instr, "accuse_reception", NULL, 0);
	char *t = letter_text(f, id);
	expect_text(t, "CCAS de Montreuil");
	expect_text(t, "Madame Gaëlle Lefèvre");
	expect_text(t, "12 rue des Écoles");
	expect_text(t, "93100 Montreuil");
	expect_text(t, "Accusé de réception de votre demande d'aide");
	expect_text(t, "Nous avons reçu le 14 mars 2026 votre demande d'aide « Aide à l'énergie »");
	expect_text(t, "Le 15 mars 2026");
	expect_text(t, "Dossier n° 2026-00001 — Aide à l'énergie");
	expect_text(t, "Délais et voies de recours");
	expect_text(t, "tribunal administratif");
	expect_text(t, "Le Président du CCAS de Montreuil");
	expect_text(t, "Page 1 / 1");
	free(t);
	assert_int_equal(count(f->db, "SELECT count(*) FROM letters"), 1);
	assert_int_equal(
	    count(f->db, "SELECT count(*) FROM dossier_events WHERE kind = 'courrier'"), 1);
	assert_int_equal(count(f->db,
	                       "SELECT count(*) FROM audit_log WHERE action = 'creation' AND "
	                       "object_type = 'courrier'"),
	                 1);
	/* kinds of other states are refused */
	generate(f, &f->instr, "notification_refus", json_pack("{s:s}", "motif", "x"), CAS_EINVAL);
	generate(f, &f->instr, "inconnu", NULL, CAS_EINVAL);
}

static void documents_request(void **state)
{
	struct fixture *f = *state;
	set_state(f, "en_attente_pieces", NULL, NULL);
	generate(f, &f->instr, "demande_pieces", NULL, CAS_EINVAL);
	generate(
	    f, &f->instr, "demande_pieces",
	    json_pack("{s:s, s:s}", "pieces", "Avis d'imposition", "date_limite", "2026-03-01"),
	    CAS_EINVAL);
	int64_t id = generate(f, &f->instr, "demande_pieces",
	                      json_pack("{s:s, s:s}", "pieces",
	                                "Avis d'imposition 2025\n\n- Quittance de loyer\n", "motif",
	                                "Merci de joindre la facture d'énergie."),
	                      0);
	char *t = letter_text(f, id);
	expect_text(t, "Demande de pièces justificatives");
	expect_text(t, "• Avis d'imposition 2025");
	expect_text(t, "• Quittance de loyer");
	expect_text(t, "avant le 14 avril 2026"); /* 30 days by default */
	expect_text(t, "Précisions : Merci de joindre la facture d'énergie.");
	free(t);
	id = generate(f, &f->instr, "demande_pieces",
	              json_pack("{s:[s], s:s}", "pieces", "RIB", "date_limite", "2026-04-01"), 0);
	t = letter_text(f, id);
	expect_text(t, "avant le 1er avril 2026");
	free(t);
}

static void refusal_and_ajournement(void **state)
{
	struct fixture *f = *state;
	set_state(f, "decide", "refuse", "Les ressources du foyer dépassent le plafond.");
	generate(f, &f->instr, "notification_accord", NULL, CAS_EINVAL);
	generate(f, &f->instr, "notification_ajournement", NULL, CAS_EINVAL);
	int64_t id = generate(f, &f->valideur, "notification_refus", NULL, 0);
	char *t = letter_text(f, id);
	expect_text(t, "Notification de décision : refus");
	expect_text(t, "refusée le 13 mars 2026");
	expect_text(t, "Les ressources du foyer dépassent le plafond.");
	expect_text(t, "Délais et voies de recours");
	expect_text(t, "délai de deux mois à compter de la réception du présent courrier");
	expect_text(t, "recours gracieux");
	expect_text(t, "recours contentieux devant le tribunal administratif territorialement "
	               "compétent");
	expect_text(t, "Télérecours citoyens");
	free(t);
	/* the motive given overrides the decision's; an empty one is refused */
	set_state(f, "notifie", "ajourne", "");
	generate(f, &f->instr, "notification_ajournement", NULL, CAS_EINVAL);
	id = generate(f, &f->instr, "notification_ajournement",
	              json_pack("{s:s}", "motif", "Pièces à compléter"), 0);
	t = letter_text(f, id);
	expect_text(t, "Notification de décision : ajournement");
	expect_text(t, "Pièces à compléter");
	expect_text(t, "tribunal administratif");
	free(t);
}

static void agreement(void **state)
{
	struct fixture *f = *state;
	set_state(f, "decide", "accorde", NULL);
	int64_t id = generate(f, &f->valideur, "notification_accord", NULL, 0);
	char *t = letter_text(f, id);
	expect_text(t, "Notification de décision : accord");
	expect_text(t, "Montant accordé : 150,00");
	expect_text(t, "Versé à : Gaëlle Lefèvre");
	expect_text(t, "Délais et voies de recours"); /* 150 € of the 300 € asked */
	free(t);
	generate(f, &f->valideur, "notification_accord", json_pack("{s:s}", "montant", "abc"),
	         CAS_EINVAL);
	id = generate(f, &f->valideur, "notification_accord",
	              json_pack("{s:s, s:s, s:s}", "montant", "1 234,56", "beneficiaire",
	                        "EDF Collectivités", "modalites", "Virement au fournisseur."),
	              0);
	t = letter_text(f, id);
	expect_text(t, "1 234,56");
	expect_text(t, "Versé à : EDF Collectivités");
	expect_text(t, "Modalités : Virement au fournisseur.");
	if (has_pdftotext())
		assert_null(strstr(t, "voies de recours")); /* all that was asked */
	free(t);
}

static void reprint_is_identical(void **state)
{
	struct fixture *f = *state;
	unsigned char *a, *b;
	size_t na, nb;
	char *name;
	set_state(f, "depose", NULL, NULL);
	int64_t id = generate(f, &f->instr, "accuse_reception", NULL, 0);
	assert_int_equal(letters_pdf(f->db, &f->instr, f->dossier, id, &a, &na, &name), 0);
	assert_string_equal(name, "courrier-2026-00001-1-accuse_reception.pdf");
	free(name);
	/* templates and letterhead change, time passes: the reprint does not */
	json_t *errors = NULL, *in = json_pack("{s:s}", "ville", "Montreuil");
	assert_int_equal(letters_settings_update(f->db, &f->admin, in, &errors), 0);
	json_decref(in);
	clock_set_override(clock_make(2027, 1, 2, 10, 0, 0));
	assert_int_equal(letters_pdf(f->db, &f->auditeur, f->dossier, id, &b, &nb, &name), 0);
	free(name);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	json_t *list = letters_list(f->db, &f->instr, f->dossier, &(int){0});
	assert_int_equal(json_array_size(list), 1);
	char sha[65];
	sha256_hex(a, na, sha);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(list, 0), "pdf_sha256")), sha);
	json_decref(list);
	free(a);
	free(b);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'impression'"),
	                 2);
}

static void permissions_and_tenants(void **state)
{
	struct fixture *f = *state;
	unsigned char *pdf;
	size_t len;
	char *name;
	int err;
	set_state(f, "depose", NULL, NULL);
	generate(f, &f->accueil, "accuse_reception", NULL, CAS_EPERM);
	generate(f, &f->auditeur, "accuse_reception", NULL, CAS_EPERM);
	generate(f, &f->admin, "accuse_reception", NULL, CAS_EPERM);
	generate(f, &f->instr_b, "accuse_reception", NULL, CAS_ENOTFOUND);
	int64_t id = generate(f, &f->instr, "accuse_reception", NULL, 0);
	assert_null(letters_list(f->db, &f->admin, f->dossier, &err));
	assert_int_equal(err, CAS_EPERM);
	assert_null(letters_list(f->db, &f->instr_b, f->dossier, &err));
	assert_int_equal(err, CAS_ENOTFOUND);
	assert_int_equal(letters_pdf(f->db, &f->instr_b, f->dossier, id, &pdf, &len, &name),
	                 CAS_ENOTFOUND);
	assert_int_equal(letters_pdf(f->db, &f->instr, f->dossier, id + 1, &pdf, &len, &name),
	                 CAS_ENOTFOUND);
	json_t *kinds = letters_allowed_kinds(f->db, &f->instr, f->dossier, &err);
	assert_int_equal(json_array_size(kinds), 2); /* accusé de réception, demande de pièces */
	json_decref(kinds);
	kinds = letters_allowed_kinds(f->db, &f->auditeur, f->dossier, &err);
	assert_int_equal(json_array_size(kinds), 0);
	json_decref(kinds);
	assert_null(letters_templates(f->db, &f->instr, &err));
	assert_int_equal(err, CAS_EPERM);
}

static void update_template(struct fixture *f, const char *kind, const char *body, int expect,
                            const char *field)
{
	json_t *errors = NULL, *in = json_pack("{s:s}", "body", body);
	assert_int_equal(letters_template_update(f->db, &f->admin, kind, in, &errors), expect);
	if (field && !json_object_get(errors, field))
		fail_msg("no error on %s", field);
	json_decref(errors);
	json_decref(in);
}

static void tenant_templates(void **state)
{
	struct fixture *f = *state;
	update_template(f, "accuse_reception", "{{#dossier}}non fermé", CAS_EINVAL, "body");
	json_t *errs = NULL, *bad = json_pack("{s:s}", "body", "# Titre\n\n{{#pieces}}- {{.}}");
	assert_int_equal(letters_template_update(f->db, &f->admin, "demande_pieces", bad, &errs),
	                 CAS_EINVAL);
	assert_string_equal(json_string_value(json_object_get(errs, "body")),
	                    "Le modèle est invalide (ligne 3 : section non fermée : il manque "
	                    "{{/…}}).");
	json_decref(errs);
	json_decref(bad);
	update_template(f, "notification_refus", "# Refus\n\nSans motif.", CAS_EINVAL, "body");
	update_template(f, "voies_recours", "## Recours\n\nÉcrivez-nous.", CAS_EINVAL, "body");
	update_template(f, "demande_pieces", "# Pièces\n\nEnvoyez-les.", CAS_EINVAL, "body");
	update_template(f, "inconnu", "x", CAS_ENOTFOUND, NULL);
	update_template(f, "accuse_reception",
	                "# Accusé de réception du CCAS & de la mairie\r\n\r\n{{formule}}, votre "
	                "dossier {{dossier.numero}} <bien> reçu.\r\n\r\n> {{ccas.signataire}}",
	                0, NULL);
	json_t *errors = NULL, *in = json_pack("{s:s, s:s, s:s, s:s}", "tribunal", "TA", "ville",
	                                       "Montreuil", "adresse",
	                                       "1 place Jean-Jaurès\n93100 "
	                                       "Montreuil",
	                                       "signataire", "Pour le Président, la Directrice");
	assert_int_equal(letters_settings_update(f->db, &f->admin, in, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "tribunal"));
	json_decref(errors);
	json_object_set_new(in, "tribunal", json_string("tribunal administratif de Montreuil"));
	assert_int_equal(letters_settings_update(f->db, &f->admin, in, &errors), 0);
	json_decref(in);

	set_state(f, "depose", NULL, NULL);
	int64_t id = generate(f, &f->instr, "accuse_reception", NULL, 0);
	char *t = letter_text(f, id);
	expect_text(t, "Accusé de réception du CCAS & de la mairie");
	expect_text(t, "Madame, votre dossier 2026-00001 <bien> reçu.");
	expect_text(t, "Montreuil, le 15 mars 2026");
	expect_text(t, "1 place Jean-Jaurès");
	expect_text(t, "Pour le Président, la Directrice");
	expect_text(t, "recours contentieux devant le tribunal administratif de Montreuil");
	free(t);
	/* the other tenant keeps the default */
	int err;
	json_t *list = letters_templates(f->db, &f->admin, &err);
	assert_true(json_is_true(json_object_get(json_array_get(list, 0), "custom")));
	assert_true(json_is_false(json_object_get(json_array_get(list, 1), "custom")));
	json_decref(list);
	/* back to the default */
	update_template(f, "accuse_reception", "", 0, NULL);
	list = letters_templates(f->db, &f->admin, &err);
	assert_true(json_is_false(json_object_get(json_array_get(list, 0), "custom")));
	json_decref(list);
	/* a preview on made-up data */
	unsigned char *pdf;
	size_t len;
	assert_int_equal(
	    letters_preview(f->db, &f->admin, "voies_recours", NULL, &pdf, &len, &errors), 0);
	t = pdf_text(pdf, len);
	expect_text(t, "Camille Exemple");
	free(t);
	free(pdf);
	assert_int_equal(
	    count(f->db, "SELECT count(*) FROM audit_log WHERE action LIKE 'modele_courrier%'"), 2);
}

static void inside_a_transaction(void **state)
{
	struct fixture *f = *state;
	int64_t id;
	json_t *errors = NULL;
	set_state(f, "depose", NULL, NULL);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(letters_generate_in(f->db, &f->instr, f->dossier, "accuse_reception", NULL,
	                                     &id, &errors),
	                 0);
	db_rollback(f->db);
	assert_int_equal(count(f->db, "SELECT count(*) FROM letters"), 0);
	/* the workflow hook: deposit and notification */
	assert_int_equal(letters_on_transition(f->db, &f->accueil, f->dossier, "depose"), 0);
	assert_int_equal(letters_on_transition(f->db, &f->accueil, f->dossier, "en_instruction"),
	                 0);
	set_state(f, "notifie", "accorde", NULL);
	assert_int_equal(letters_on_transition(f->db, &f->valideur, f->dossier, "notifie"), 0);
	set_state(f, "notifie", "sans_suite", NULL);
	assert_int_equal(letters_on_transition(f->db, &f->valideur, f->dossier, "notifie"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM letters WHERE kind = "
	                              "'accuse_reception' AND numero = 1"),
	                 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM letters WHERE kind = "
	                              "'notification_accord' AND numero = 2"),
	                 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM letters"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(acknowledgement, setup, teardown),
	    cmocka_unit_test_setup_teardown(documents_request, setup, teardown),
	    cmocka_unit_test_setup_teardown(refusal_and_ajournement, setup, teardown),
	    cmocka_unit_test_setup_teardown(agreement, setup, teardown),
	    cmocka_unit_test_setup_teardown(reprint_is_identical, setup, teardown),
	    cmocka_unit_test_setup_teardown(permissions_and_tenants, setup, teardown),
	    cmocka_unit_test_setup_teardown(tenant_templates, setup, teardown),
	    cmocka_unit_test_setup_teardown(inside_a_transaction, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
