#include "app/home.h"

#include <string.h>

#include "app/actor.h"
#include "base/err.h"
#include "domain/dossier.h"
#include "store/dossier_store.h"

/* [{state, label, n}] in life-cycle order, from the store's [{state, n}]. */
static json_t *labelled_counts(json_t *rows)
{
	json_t *out = json_array();
	for (int s = 0; s < DS_COUNT; s++) {
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			if (strcmp(json_string_value(json_object_get(row, "state")),
			           dossier_state_code(s)) != 0)
				continue;
			json_array_append_new(out, json_pack("{s:s, s:s, s:O}", "state",
			                                     dossier_state_code(s), "label",
			                                     dossier_state_label(s), "n",
			                                     json_object_get(row, "n")));
		}
	}
	return out;
}

static void label_states(json_t *rows)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		enum dossier_state s;
		const char *code = json_string_value(json_object_get(row, "state"));
		const char *label =
		    dossier_state_from_code(code, &s) == 0 ? dossier_state_label(s) : code;
		json_object_set_new(row, "state_label", json_string(label ? label : ""));
	}
}

json_t *home_summary(struct db *db, const struct actor *who, int *err)
{
	if (!perm_allows(who->role, PERM_DOSSIER_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *counts = dossier_store_count_by_state(db, who->tenant_id);
	json_t *mine = dossier_store_recent_by_user(db, who->tenant_id, who->user_id, 10);
	if (!counts || !mine) {
		json_decref(counts);
		json_decref(mine);
		*err = CAS_EDB;
		return NULL;
	}
	json_t *labelled = labelled_counts(counts);
	json_decref(counts);
	label_states(mine);
	*err = 0;
	return json_pack("{s:o, s:o, s:b}", "counts", labelled, "mine", mine, "can_create",
	                 perm_allows(who->role, PERM_DOSSIER_CREATE));
}
