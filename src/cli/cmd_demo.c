/* cassis demo: seeds the demonstration CCAS ("CCAS de Démoville") with one
 * account per role, an aid catalogue and a dozen households with their
 * dossiers, through the same use cases as the web pages, so that the audit
 * trail and the timelines are those of real work. Running it again on the
 * same database does nothing. */
#include <stdio.h>
#include <string.h>

#include "app/aid_types.h"
#include "app/dossiers.h"
#include "app/workflow.h"
#include "app/households.h"
#include "app/persons.h"
#include "app/tenants.h"
#include "app/users.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/demo_data.h"
#include "cli/demo_impots.h"
#include "store/db.h"
#include "store/tenant_store.h"

#define DEMO_NAME     "CCAS de Démoville"
#define DEMO_SIRET    "26999012300011"
#define DEMO_COMMUNE  "49999"
#define DEMO_PASSWORD "Demoville-2026"
#define DEMO_PLATFORM "plateforme@cassis.local"

static const char *particulier_url; /* --particulier-url, NULL: the default */
static const char *impots_url;      /* --impots-url, NULL: the default */

static const char help[] =
    "Usage : cassis demo [--db URL] [--particulier-url URL] [--impots-url URL]\n"
    "Crée le CCAS de démonstration « " DEMO_NAME " » : un compte par rôle, un catalogue\n"
    "d'aides, une douzaine de foyers et leurs dossiers. Sans effet si ce CCAS existe déjà.\n"
    "Le CCAS est raccordé au simulateur local d'API Particulier (--particulier-url,\n"
    "défaut http://127.0.0.1:8081 : celui que lance « make run ») et à celui de l'API\n"
    "Impôt particulier (--impots-url, défaut http://127.0.0.1:8082).\n";

/* --- the data --- */

static const struct {
	const char *code, *label, *description;
} aid_types[] = {
    {"aide_alimentaire", "Aide alimentaire",
     "Bons d'achat et colis de l'épicerie sociale, pour un mois au plus."},
    {"aide_energie", "Aide à l'énergie",
     "Participation au paiement d'une facture d'électricité, de gaz ou de fioul."},
    {"secours_urgence", "Secours d'urgence",
     "Aide ponctuelle et immédiate face à une situation imprévue."},
    {"aide_logement", "Aide au logement",
     "Dépôt de garantie, premier loyer ou dette locative, en complément du FSL."},
    {"aide_vacances", "Aide aux vacances",
     "Participation aux séjours des enfants en centre de loisirs ou en colonie."},
};

/* --- accounts --- */

struct demo_actors {
	struct actor admin, accueil, instructeur;
	int64_t tenant_id;
};

static const char *const roles[] = {"accueil", "instructeur", "valideur", "administrateur",
                                    "auditeur"};
static const char *const names[] = {"Camille Accueil", "Julien Instructeur", "Sophie Valideuse",
                                    "Nadia Administratrice", "Marc Auditeur"};

static int add_user(struct db *db, int64_t tenant, const char *email, const char *name,
                    const char *role, int64_t *id)
{
	struct actor sys;
	cli_operator(&sys);
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "email", email, "name", name, "role", role,
	                       "password", DEMO_PASSWORD);
	json_t *errors = NULL;
	int rc = user_create(db, &sys, tenant, in, id, &errors);
	json_decref(in);
	if (rc == CAS_EINVAL && json_object_get(errors, "email") && !tenant) {
		printf("Le compte %s existe déjà : il est gardé tel quel.\n", email);
		rc = 0;
	}
	json_decref(errors);
	if (rc != 0)
		fprintf(stderr, "cassis demo : création du compte %s impossible (%s)\n", email,
		        cas_err_name(rc));
	return rc;
}

static void make_actor(struct actor *who, int64_t tenant, int64_t user, enum role role,
                       const char *email, const char *name)
{
	memset(who, 0, sizeof(*who));
	who->tenant_id = tenant;
	who->user_id = user;
	who->role = role;
	snprintf(who->label, sizeof(who->label), "%s", email);
	snprintf(who->display_name, sizeof(who->display_name), "%s", name);
}

static int create_accounts(struct db *db, struct demo_actors *a)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char email[64];
		int64_t id = 0;
		snprintf(email, sizeof(email), "%s@demoville.fr", roles[i]);
		if (add_user(db, a->tenant_id, email, names[i], roles[i], &id) != 0)
			return 1;
		enum role r = (enum role)role_from_code(roles[i]);
		if (r == ROLE_ADMINISTRATEUR)
			make_actor(&a->admin, a->tenant_id, id, r, email, names[i]);
		else if (r == ROLE_ACCUEIL)
			make_actor(&a->accueil, a->tenant_id, id, r, email, names[i]);
		else if (r == ROLE_INSTRUCTEUR)
			make_actor(&a->instructeur, a->tenant_id, id, r, email, names[i]);
	}
	int64_t id;
	return add_user(db, 0, DEMO_PLATFORM, "Administration de la plateforme", "plateforme", &id);
}

static int create_tenant(struct db *db, int64_t *id)
{
	struct actor sys;
	cli_operator(&sys);
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "name", DEMO_NAME, "siret", DEMO_SIRET,
	                       "communes", DEMO_COMMUNE, "colour", "#7a3e9d");
	json_t *errors = NULL;
	int rc = tenant_create(db, &sys, in, id, &errors);
	json_decref(in);
	json_decref(errors);
	if (rc != 0)
		fprintf(stderr, "cassis demo : création du CCAS impossible (%s)\n",
		        cas_err_name(rc));
	return rc;
}

static int create_aid_types(struct db *db, const struct demo_actors *a)
{
	for (size_t i = 0; i < sizeof(aid_types) / sizeof(aid_types[0]); i++) {
		json_t *in = json_pack("{s:s, s:s, s:s}", "code", aid_types[i].code, "label",
		                       aid_types[i].label, "description", aid_types[i].description);
		json_t *errors = NULL;
		int64_t id;
		int rc = aid_type_create(db, &a->admin, in, &id, &errors);
		json_decref(in);
		json_decref(errors);
		if (rc != 0) {
			fprintf(stderr, "cassis demo : aide %s refusée (%s)\n", aid_types[i].code,
			        cas_err_name(rc));
			return 1;
		}
	}
	return 0;
}

/* --- households and dossiers --- */

/* Prints the field errors of a refused step; returns 1. */
static int refused(const char *what, int rc, json_t *errors)
{
	fprintf(stderr, "cassis demo : %s refusé (%s)\n", what, cas_err_name(rc));
	const char *field;
	json_t *msg;
	json_object_foreach(errors, field, msg)
	{
		fprintf(stderr, "  %s : %s\n", field, json_string_value(msg));
	}
	json_decref(errors);
	return 1;
}

static json_t *person_input(const struct demo_person *p, const struct demo_household *h, int first)
{
	json_t *in =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "nom_naissance", p->nom, "prenom1",
	              p->prenom, "sexe", p->sexe, "date_naissance", p->naissance, "nationalite",
	              p->nationalite, "lieu_type", p->pays ? "etranger" : "commune");
	json_object_set_new(in, p->pays ? "pays_naissance" : "commune_naissance",
	                    json_string(p->pays ? p->pays : p->commune_naissance));
	if (p->nom_usage)
		json_object_set_new(in, "nom_usage", json_string(p->nom_usage));
	if (p->prenom2)
		json_object_set_new(in, "prenom2", json_string(p->prenom2));
	json_object_set_new(in, "adresse", json_string(h->adresse));
	json_object_set_new(in, "code_postal", json_string("49990"));
	json_object_set_new(in, "commune", json_string("Démoville"));
	if (first && h->telephone)
		json_object_set_new(in, "telephone", json_string(h->telephone));
	if (first && h->email)
		json_object_set_new(in, "email", json_string(h->email));
	return in;
}

static int create_person(struct db *db, const struct demo_actors *a, const struct demo_household *h,
                         const struct demo_person *p, int first, int64_t *id)
{
	json_t *in = person_input(p, h, first);
	json_t *errors = NULL;
	int rc = person_create(db, &a->accueil, in, id, &errors);
	json_decref(in);
	if (rc != 0)
		return refused(p->nom, rc, errors);
	json_decref(errors);
	return 0;
}

/* The household around its first member, then the others. */
static int create_members(struct db *db, const struct demo_actors *a,
                          const struct demo_household *h, int64_t *hid)
{
	const struct demo_person *end = h->members + sizeof(h->members) / sizeof(h->members[0]);
	for (const struct demo_person *p = h->members; p < end && p->relation; p++) {
		int64_t pid, mid;
		int first = p == h->members;
		if (create_person(db, a, h, p, first, &pid) != 0)
			return 1;
		json_t *errors = NULL, *in;
		int rc;
		if (first) {
			in = json_pack("{s:I, s:s}", "demandeur_id", (json_int_t)pid, "date_entree",
			               p->entree);
			rc = household_create(db, &a->accueil, in, hid, &errors);
		} else {
			in = json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)pid, "relation",
			               p->relation, "date_entree", p->entree);
			rc = household_add_member(db, &a->accueil, *hid, in, &mid, &errors);
		}
		json_decref(in);
		if (rc != 0)
			return refused("membre du foyer", rc, errors);
	}
	return 0;
}

static int64_t aid_id(struct db *db, const struct demo_actors *a, const char *code)
{
	int err;
	int64_t id = 0;
	json_t *list = aid_type_list(db, &a->admin, 0, &err);
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t)
	{
		if (strcmp(json_string_value(json_object_get(t, "code")), code) == 0)
			id = json_integer_value(json_object_get(t, "id"));
	}
	json_decref(list);
	return id;
}

static int set_state(struct db *db, const struct demo_actors *a, int64_t id, const char *state)
{
	/* the demo's closed dossiers are classés sans suite, which needs a reason */
	json_t *fields = strcmp(state, "cloture") == 0
	                     ? json_pack("{s:s}", "motif", "Le foyer a retiré sa demande.")
	                     : json_object();
	json_t *errors = NULL;
	int rc = workflow_transition(db, &a->instructeur, id, state, fields, &errors);
	json_decref(fields);
	return rc == 0 ? (json_decref(errors), 0) : refused("changement d'état", rc, errors);
}

static int add_budget(struct db *db, const struct demo_actors *a, int64_t id,
                      const struct demo_dossier *d)
{
	size_t n = sizeof(d->lines) / sizeof(d->lines[0]);
	for (const struct demo_line *l = d->lines; l < d->lines + n && l->category; l++) {
		json_t *in = json_pack("{s:s, s:s, s:s}", "category", l->category, "label",
		                       l->label ? l->label : "", "montant", l->montant);
		json_t *errors = NULL;
		int64_t line;
		int rc = dossier_add_line(db, &a->instructeur, id, in, &line, &errors);
		json_decref(in);
		if (rc != 0)
			return refused("ligne de budget", rc, errors);
	}
	if (!d->note)
		return 0;
	json_t *in = json_pack("{s:s}", "note", d->note);
	json_t *errors = NULL;
	int rc = dossier_add_note(db, &a->instructeur, id, in, &errors);
	json_decref(in);
	return rc == 0 ? 0 : refused("note", rc, errors);
}

/* Opens the dossier as the reception desk, then instructs it up to its
 * demo state: deposited, budget and note, then instruction or closure. */
static int create_dossier(struct db *db, const struct demo_actors *a, int64_t hid,
                          const struct demo_dossier *d)
{
	json_t *in = json_pack("{s:I, s:I, s:s, s:s}", "household_id", (json_int_t)hid,
	                       "aid_type_id", (json_int_t)aid_id(db, a, d->aide), "motif", d->motif,
	                       "montant_demande", d->montant);
	json_t *errors = NULL;
	int64_t id;
	int rc = dossier_create(db, &a->accueil, in, &id, &errors);
	json_decref(in);
	if (rc != 0)
		return refused("dossier", rc, errors);
	int deposit = strcmp(d->state, "brouillon") != 0;
	if (deposit && set_state(db, a, id, "depose") != 0)
		return 1;
	if (add_budget(db, a, id, d) != 0)
		return 1;
	if (strcmp(d->state, "en_instruction") == 0 || strcmp(d->state, "cloture") == 0)
		if (set_state(db, a, id, "en_instruction") != 0)
			return 1;
	return strcmp(d->state, "cloture") == 0 ? set_state(db, a, id, "cloture") : 0;
}

static int create_households(struct db *db, const struct demo_actors *a, int *nh, int *nd)
{
	for (size_t i = 0; i < demo_households_count; i++) {
		const struct demo_household *h = &demo_households[i];
		int64_t hid;
		if (create_members(db, a, h, &hid) != 0)
			return 1;
		(*nh)++;
		const struct demo_dossier *end =
		    h->dossiers + sizeof(h->dossiers) / sizeof(h->dossiers[0]);
		for (const struct demo_dossier *d = h->dossiers; d < end && d->aide; d++, (*nd)++)
			if (create_dossier(db, a, hid, d) != 0)
				return 1;
	}
	return 0;
}

/* --- the command --- */

static int already_there(struct db *db)
{
	int err;
	json_t *t = tenant_store_by_siret(db, DEMO_SIRET, &err);
	if (!t)
		return 0;
	/* a demo made before API Particulier existed gets connected */
	demo_wire_particulier(db, DEMO_SIRET, json_integer_value(json_object_get(t, "id")),
	                      particulier_url);
	demo_wire_impots(db, DEMO_SIRET, json_integer_value(json_object_get(t, "id")), impots_url);
	json_decref(t);
	printf("Le CCAS de démonstration (« %s », SIRET %s) existe déjà dans ", DEMO_NAME,
	       DEMO_SIRET);
	cli_print_url(stdout, cli_db_url);
	printf(" :\nrien n'a été modifié.\n");
	return 1;
}

static void print_logins(void)
{
	printf("Démarrez le serveur :  cassis serve --db ");
	cli_print_url(stdout, cli_db_url);
	printf("\npuis ouvrez           http://127.0.0.1:8080/\n\n");
	printf("Comptes (mot de passe commun : %s) :\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		printf("  %-16s %s@demoville.fr\n", roles[i], roles[i]);
	printf("  %-16s %s\n", "plateforme", DEMO_PLATFORM);
	printf("\n");
	demo_print_spis(stdout);
	printf("\nCe mot de passe est public : ne gardez pas ces comptes sur un serveur réel.\n");
}

static int seed(struct db *db)
{
	struct demo_actors a = {0};
	int nh = 0, nd = 0;
	if (create_tenant(db, &a.tenant_id) != 0 || create_accounts(db, &a) != 0 ||
	    create_aid_types(db, &a) != 0 || create_households(db, &a, &nh, &nd) != 0 ||
	    demo_wire_particulier(db, DEMO_SIRET, a.tenant_id, particulier_url) != 0 ||
	    demo_wire_impots(db, DEMO_SIRET, a.tenant_id, impots_url) != 0) {
		fprintf(stderr,
		        "cassis demo : données de démonstration incomplètes ; repartez d'une "
		        "base vide.\n");
		return 1;
	}
	printf("CCAS de démonstration créé : « %s » (SIRET %s, commune %s),\n"
	       "%zu aides au catalogue, %d foyers, %d dossiers.\n\n",
	       DEMO_NAME, DEMO_SIRET, DEMO_COMMUNE, sizeof(aid_types) / sizeof(aid_types[0]), nh,
	       nd);
	print_logins();
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
	                                     {"particulier-url", required_argument, NULL, 'u'},
	                                     {"impots-url", required_argument, NULL, 'i'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int opt;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': cli_db_url = optarg; break;
		case 'u': particulier_url = optarg; break;
		case 'i': impots_url = optarg; break;
		case 'h': fputs(help, stdout); return 0;
		default: return cli_usage_error("demo", "option inconnue ou valeur manquante");
		}
	}
	if (optind < argc)
		return cli_usage_error("demo", "argument inattendu");
	struct db *db = NULL;
	if (cli_open_db(&db) != 0)
		return 1;
	int rc = 0;
	if (already_there(db))
		print_logins();
	else
		rc = seed(db);
	db_close(db);
	return rc;
}
