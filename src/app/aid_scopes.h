/* What the settings of the data an aid type asks for (API Particulier's
 * scopes in consultations.c, the DGFiP's in verify_settings.c) share:
 * reading the aid type with its choices, and writing the new list with its
 * audit entry. Internal to src/app. */
#ifndef CAS_APP_AID_SCOPES_H
#define CAS_APP_AID_SCOPES_H
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/actor.h"
#include "store/db.h"

/* Where one provider's scopes are stored, and its choices. */
struct aid_scopes_kind {
	json_t *(*load)(struct db *db, int64_t tenant_id, int64_t aid_type_id, int *err);
	int (*store)(struct db *db, int64_t tenant_id, int64_t aid_type_id, const char *scopes);
	json_t *(*choices)(void); /* [{code, label, ...}] (new reference) */
	const char *seps;         /* the separators of a stored list */
	/* The chosen codes of in["scopes"] into out (at most max bytes);
	 * NULL or a French message. */
	const char *(*parse)(json_t *in, char *out, size_t outsz);
	size_t max;              /* at most 768 */
	const char *audit_field; /* the name of the list in the audit entry */
};

/* The aid type (new reference) with "choices": every choice, "checked"
 * when its code is in the stored list; NULL with *err (CAS_EPERM when not
 * an administrator of aids). */
json_t *aid_scopes_read(struct db *db, const struct actor *who, int64_t aid_type_id,
                        const struct aid_scopes_kind *kind, int *err);

/* Stores the codes of in["scopes"] (see kind->parse) with the audit entry
 * of the change, in one transaction: 0, CAS_EINVAL with *errors (scopes →
 * message), or an error (CAS_EPERM when not an administrator of aids). */
int aid_scopes_update(struct db *db, const struct actor *who, int64_t aid_type_id,
                      const struct aid_scopes_kind *kind, json_t *in, json_t **errors);

#endif
