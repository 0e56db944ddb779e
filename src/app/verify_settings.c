/* The settings of "Vérifier la situation" (see verify.h): how each CCAS
 * reaches API Impôt particulier (the operator only) and the DGFiP data
 * each aid type keeps (the CCAS's administrateur). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/actor.h"
#include "app/aid_scopes.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/verify.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/db.h"
#include "store/tenant_store.h"
#include "store/verification_store.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* --- scopes --- */

static const char *const scope_table[][2] = {
    {"dgfip_rfr", "Revenu fiscal de référence"},
    {"dgfip_nbpart", "Nombre de parts"},
    {"dgfip_sitfam", "Situation de famille"},
    {"dgfip_pac_nbPac", "Nombre de personnes à charge"},
    {"dgfip_pac", "Détail des personnes à charge"},
    {"dgfip_pariso", "Parent isolé (case T)"},
    {"dgfip_aft", "Adresse fiscale"},
    {"dgfip_nmNaiDec1", "Nom de naissance du déclarant 1"},
    {"dgfip_nmUsaDec1", "Nom d'usage du déclarant 1"},
    {"dgfip_prnmDec1", "Prénoms du déclarant 1"},
    {"dgfip_dateNaisDec1", "Date de naissance du déclarant 1"},
    {"dgfip_nmNaiDec2", "Nom de naissance du déclarant 2"},
    {"dgfip_nmUsaDec2", "Nom d'usage du déclarant 2"},
    {"dgfip_prnmDec2", "Prénoms du déclarant 2"},
    {"dgfip_dateNaisDec2", "Date de naissance du déclarant 2"},
    {"dgfip_montTotIr", "Montant de l'impôt"},
    {"dgfip_impAvImput", "Impôt sur le revenu net avant corrections"},
    {"dgfip_mntRevbareme", "Impôt sur les revenus soumis au barème"},
    {"dgfip_revImposable", "Revenu imposable"},
    {"dgfip_rbg", "Revenu brut global"},
    {"dgfip_avis", "Dates d'établissement et de recouvrement de l'avis"},
};
#define NSCOPES (sizeof(scope_table) / sizeof(scope_table[0]))

json_t *impots_scopes(void)
{
	json_t *out = json_array();
	for (size_t i = 0; i < NSCOPES; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "code", scope_table[i][0],
		                                     "label", scope_table[i][1]));
	return out;
}

static const char *read_scopes(json_t *in, char *out, size_t outsz);

static const struct aid_scopes_kind impots_kind = {verification_store_aid_scopes,
                                                   verification_store_set_aid_scopes,
                                                   impots_scopes,
                                                   " ",
                                                   read_scopes,
                                                   768,
                                                   "scopes_impots"};

json_t *aid_impots_scopes_get(struct db *db, const struct actor *who, int64_t aid_type_id, int *err)
{
	return aid_scopes_read(db, who, aid_type_id, &impots_kind, err);
}

/* The codes of in["scopes"] (array, or string separated by spaces or
 * commas), in table order, into out; NULL or a French message. */
static const char *read_scopes(json_t *in, char *out, size_t outsz)
{
	int chosen[NSCOPES] = {0};
	json_t *v = json_object_get(in, "scopes");
	json_t *words = json_array();
	if (json_is_string(v)) {
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s", json_string_value(v));
		for (char *p = buf; *p; p++)
			*p = *p == ',' ? ' ' : *p;
		for (char *p = buf; *p;) {
			p += strspn(p, " ");
			size_t n = strcspn(p, " ");
			if (n)
				json_array_append_new(words, json_stringn(p, n));
			p += n;
		}
	} else if (json_is_array(v)) {
		json_array_extend(words, v);
	}
	size_t i, k;
	json_t *w;
	const char *why = NULL;
	json_array_foreach(words, i, w)
	{
		for (k = 0; k < NSCOPES; k++)
			if (json_is_string(w) &&
			    strcmp(json_string_value(w), scope_table[k][0]) == 0)
				break;
		if (k == NSCOPES) {
			why =
			    "Une des données demandées n'existe pas dans l'API Impôt particulier.";
			break;
		}
		chosen[k] = 1;
	}
	json_decref(words);
	if (why)
		return why;
	out[0] = '\0';
	for (size_t j = 0, o = 0; j < NSCOPES; j++)
		if (chosen[j] && o < outsz)
			o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? " " : "",
			                      scope_table[j][0]);
	return out[0] ? NULL
	              : "Choisissez au moins une donnée : sans elle, la consultation est inutile.";
}

int aid_impots_scopes_set(struct db *db, const struct actor *who, int64_t aid_type_id, json_t *in,
                          json_t **errors)
{
	return aid_scopes_update(db, who, aid_type_id, &impots_kind, in, errors);
}

/* --- the tenant's settings --- */

static int url_ok(const char *u)
{
	if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
		return 0;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return strlen(u) < 500;
}

static void check_file(json_t *errs, const json_t *s, const char *key, int required,
                       const char *what)
{
	const char *path = str(s, key);
	char msg[200];
	if (!*path && !required)
		return;
	if (path[0] != '/') {
		snprintf(msg, sizeof(msg), "Indiquez le chemin absolu du fichier %s.", what);
		input_error(errs, key, msg);
	} else if (access(path, R_OK) != 0) {
		snprintf(msg, sizeof(msg),
		         "Le fichier %s n'existe pas ou n'est pas lisible par Cassis.", what);
		input_error(errs, key, msg);
	}
}

static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static json_t *impots_errors(const json_t *s)
{
	json_t *errs = json_object();
	if (!url_ok(str(s, "base_url")))
		input_error(
		    errs, "base_url",
		    "L'adresse de la passerelle de la DGFiP commence par https:// (ou http:// "
		    "pour un service local), sans espace.");
	check_file(errs, s, "client_id_file", 1, "de l'identifiant client");
	check_file(errs, s, "client_secret_file", 1, "du secret client");
	check_file(errs, s, "cert_file", 0, "du certificat client");
	check_file(errs, s, "key_file", 0, "de la clé du certificat");
	if (*str(s, "key_file") && !*str(s, "cert_file"))
		input_error(errs, "cert_file", "Une clé sans certificat client ne sert à rien.");
	const char *idt = str(s, "id_teleservice");
	if (strlen(idt) > 100 || !printable(idt))
		input_error(
		    errs, "id_teleservice",
		    "L'identifiant de téléservice s'écrit sans espace, en 100 caractères au "
		    "plus.");
	if (json_object_size(errs))
		return errs;
	json_decref(errs);
	return NULL;
}

static const char *const setting_keys[] = {"base_url",  "client_id_file", "client_secret_file",
                                           "cert_file", "key_file",       "id_teleservice"};
#define NKEYS (sizeof(setting_keys) / sizeof(setting_keys[0]))

/* Only the known keys, each a string ("" when absent). */
static json_t *settings_of(const json_t *s)
{
	json_t *out = json_object();
	for (size_t i = 0; i < NKEYS; i++)
		json_object_set_new(out, setting_keys[i], json_string(str(s, setting_keys[i])));
	return out;
}

static int64_t tenant_id_of(struct db *db, const char *siret, int *err)
{
	json_t *t = tenant_store_by_siret(db, siret, err);
	if (!t)
		return 0;
	int64_t id = json_integer_value(json_object_get(t, "id"));
	json_decref(t);
	return id;
}

static int save_impots(struct db *db, const struct actor *who, int64_t tid, json_t *after)
{
	int rc;
	json_t *before = verification_store_impots(db, tid, &rc);
	json_t *changes = json_object();
	if (before)
		json_object_del(before, "updated_at");
	audit_diff(changes, before, after);
	json_decref(before);
	rc = db_begin(db);
	if (rc == 0)
		rc = verification_store_set_impots(db, tid, after, clock_now());
	if (rc == 0)
		rc = audit_write_in(db, who, tid, "modification", "tenant_provider", tid,
		                    json_incref(changes));
	json_decref(changes);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int provider_set_impots(struct db *db, const struct actor *who, const char *siret, json_t *s,
                        json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_PROVIDER_CONFIG))
		return CAS_EPERM;
	int rc = 0;
	int64_t tid = tenant_id_of(db, siret, &rc);
	if (!tid)
		return rc ? rc : CAS_ENOTFOUND;
	json_t *after = settings_of(s);
	*errors = impots_errors(after);
	if (*errors) {
		json_decref(after);
		return CAS_EINVAL;
	}
	rc = save_impots(db, who, tid, after);
	json_decref(after);
	return rc;
}

json_t *provider_get_impots(struct db *db, const struct actor *who, const char *siret, int *err)
{
	if (!perm_allows(who->role, PERM_PROVIDER_CONFIG)) {
		*err = CAS_EPERM;
		return NULL;
	}
	int64_t tid = tenant_id_of(db, siret, err);
	if (!tid)
		return NULL;
	return verification_store_impots(db, tid, err);
}
