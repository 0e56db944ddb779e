#include "app/home.h"

#include "app/actor.h"
#include "base/err.h"
#include "store/dossier_store.h"

json_t *home_summary(struct db *db, const struct actor *who, int *err)
{
	json_t *counts = dossier_store_count_by_state(db, who->tenant_id);
	json_t *mine = dossier_store_recent_by_user(db, who->tenant_id, who->user_id, 10);
	if (!counts || !mine) {
		json_decref(counts);
		json_decref(mine);
		*err = CAS_EDB;
		return NULL;
	}
	*err = 0;
	return json_pack("{s:o, s:o, s:b}", "counts", counts, "mine", mine, "can_create",
			 perm_allows(who->role, PERM_DOSSIER_CREATE));
}
