/* Encryption at rest in the database: a note is sealed in its row and
 * read back in clear, a sealed value moved to another row does not open,
 * the start-up check of the key ring, and a rotation (values in clear and
 * under the old key re-sealed, counts audited, the old key retired and no
 * longer needed). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/aid_types.h"
#include "app/data_keys.h"
#include "app/dossiers.h"
#include "app/households.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/seal.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/query.h"
#include "store/sealed_store.h"
#include "testdb.h"

#define NOTE "Dette de loyer de 1 240 euros, ne pas en parler au conjoint."

struct fixture {
	struct db *db;
	struct actor instr, accueil, admin;
	int64_t dossier;
	struct seal_ring ring; /* the test ring: one key */
};

static const struct actor sys = {.role = ROLE_SYSTEME, .label = "test"};

static void actor(struct actor *who, int64_t tenant, enum role role, const char *label)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "%s", label);
}

static int64_t create(struct fixture *f, const struct actor *who,
                      int (*fn)(struct db *, const struct actor *, json_t *, int64_t *, json_t **),
                      json_t *in)
{
	int64_t id = 0;
	json_t *errors = NULL;
	assert_int_equal(fn(f->db, who, in, &id, &errors), 0);
	json_decref(in);
	return id;
}

static void make_dossier(struct fixture *f)
{
	int64_t t = create(f, &sys, tenant_create,
	                   json_pack("{s:s, s:s, s:s}", "name", "CCAS", "siret", "21750001600019",
	                             "communes", "75056"));
	actor(&f->instr, t, ROLE_INSTRUCTEUR, "instr@a.fr");
	actor(&f->accueil, t, ROLE_ACCUEIL, "accueil@a.fr");
	actor(&f->admin, t, ROLE_ADMINISTRATEUR, "admin@a.fr");
	int64_t p = create(f, &f->accueil, person_create,
	                   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance",
	                             "Martin", "prenom1", "Léa", "sexe", "F", "date_naissance",
	                             "1984-00-00", "lieu_type", "commune", "commune_naissance",
	                             "75056", "nationalite", "francaise"));
	int64_t aid = create(
	    f, &f->admin, aid_type_create,
	    json_pack("{s:s, s:s, s:s}", "code", "secours", "label", "Secours", "description", ""));
	int64_t h = create(f, &f->accueil, household_create,
	                   json_pack("{s:I}", "demandeur_id", (json_int_t)p));
	f->dossier =
	    create(f, &f->accueil, dossier_create,
	           json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)h, "aid_type_id",
	                     (json_int_t)aid, "motif", "Loyer", "montant_demande", "100"));
}

static void add_note(struct fixture *f, const char *text)
{
	json_t *errors = NULL, *in = json_pack("{s:s}", "note", text);
	assert_int_equal(dossier_add_note(f->db, &f->instr, f->dossier, in, &errors), 0);
	json_decref(in);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	clock_set_override(clock_make(2026, 3, 15, 10, 0, 0));
	testdb_open(&f->db);
	assert_int_equal(migrate_up(f->db, NULL), 0);
	struct seal_key k;
	seal_key_generate(&k);
	seal_ring_add(&f->ring, &k, 1);
	seal_set_ring(&f->ring);
	char missing[64];
	assert_int_equal(data_keys_check(f->db, &f->ring, missing, sizeof(missing)), 0);
	make_dossier(f);
	add_note(f, NOTE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	testdb_close(f->db);
	clock_clear_override();
	seal_ring_wipe(&f->ring);
	free(f);
	return 0;
}

/* The detail of the n-th note event (1-based), as stored. */
static char *stored_note(struct fixture *f, int n)
{
	json_t *rows = q_rows(
	    f->db, "SELECT id, detail FROM dossier_events WHERE kind = 'note' ORDER BY id", "");
	json_t *row = json_array_get(rows, (size_t)n - 1);
	assert_non_null(row);
	char *s = strdup(json_string_value(json_object_get(row, "detail")));
	json_decref(rows);
	return s;
}

/* The text of the dossier's notes, as the instructeur reads them; NULL
 * when the dossier cannot be read. */
static char *notes_read(struct fixture *f)
{
	int err = 0;
	json_t *d = dossier_get(f->db, &f->instr, f->dossier, &err), *e;
	size_t i;
	if (!d)
		return NULL;
	char *all = calloc(1, 4096);
	json_array_foreach(json_object_get(d, "events"), i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "kind")), "note") == 0)
			strncat(all, json_string_value(json_object_get(e, "detail")),
			        4095 - strlen(all));
	}
	json_decref(d);
	return all;
}

static void note_sealed_at_rest(void **state)
{
	struct fixture *f = *state;
	char *raw = stored_note(f, 1);
	assert_true(seal_is_sealed_text(raw));
	assert_null(strstr(raw, "loyer"));
	free(raw);
	char *read = notes_read(f);
	assert_string_equal(read, NOTE);
	free(read);
	/* the sealed value copied into another note's row does not open */
	add_note(f, "Deuxième note.");
	raw = stored_note(f, 1);
	assert_int_equal(q_exec(f->db,
	                        "UPDATE dossier_events SET detail = ? WHERE kind = 'note' AND id = "
	                        "(SELECT max(id) FROM dossier_events WHERE kind = 'note')",
	                        "t", raw),
	                 0);
	free(raw);
	assert_null(notes_read(f));
}

static void ring_check(void **state)
{
	struct fixture *f = *state;
	struct seal_ring other = {0};
	struct seal_key k;
	char missing[64];
	seal_key_generate(&k);
	seal_ring_add(&other, &k, 1);
	assert_int_equal(data_keys_check(f->db, &other, missing, sizeof(missing)), CAS_EAUTH);
	assert_string_equal(missing, f->ring.keys[0].id_hex);
	assert_int_equal(data_keys_in_use(f->db), 1);
	/* the same key again: accepted, nothing changes */
	assert_int_equal(data_keys_check(f->db, &f->ring, missing, sizeof(missing)), 0);
	json_t *keys = sealed_store_keys(f->db);
	assert_int_equal(json_array_size(keys), 1);
	json_decref(keys);
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(q_int(db, &n, sql, ""), 1);
	return n;
}

static void rotation(void **state)
{
	struct fixture *f = *state;
	struct seal_ring both = f->ring, fresh = {0};
	struct seal_key k;
	struct data_keys_report rep;
	char others[128];
	add_note(f, "Seconde note, écrite en clair avant le chiffrement.");
	char *raw = stored_note(f, 2);
	assert_int_equal(q_exec(f->db,
	                        "UPDATE dossier_events SET detail = ? WHERE kind = 'note' AND "
	                        "detail = ?",
	                        "tt", "Seconde note, écrite en clair avant le chiffrement.", raw),
	                 0);
	free(raw);
	seal_key_generate(&k);
	seal_ring_add(&both, &k, 1);
	seal_set_ring(&both);
	assert_int_equal(data_keys_rotate(f->db, &sys, 1, NULL, NULL, &rep), 0);
	assert_int_equal(rep.resealed_total, 1);
	assert_int_equal(rep.cleared_total, 1);
	assert_int_equal(data_keys_census(f->db, &rep, others, sizeof(others)), 0);
	assert_int_equal(rep.current_total, 2);
	assert_int_equal(rep.other_total + rep.cleared_total, 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM data_keys WHERE state = 'retire'"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = "
	                              "'rotation_cle_donnees'"),
	                 1);
	/* the old key removed: everything still opens */
	seal_ring_add(&fresh, &k, 1);
	seal_set_ring(&fresh);
	char *read = notes_read(f);
	assert_non_null(read);
	assert_non_null(strstr(read, NOTE));
	assert_non_null(strstr(read, "Seconde note"));
	free(read);
	char missing[64];
	assert_int_equal(data_keys_check(f->db, &fresh, missing, sizeof(missing)), 0);
	/* a second run finds nothing to do */
	assert_int_equal(data_keys_rotate(f->db, &sys, 100, NULL, NULL, &rep), 0);
	assert_int_equal(rep.resealed_total + rep.cleared_total, 0);
	seal_ring_wipe(&both);
	seal_ring_wipe(&fresh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(note_sealed_at_rest, setup, teardown),
	    cmocka_unit_test_setup_teardown(ring_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(rotation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
