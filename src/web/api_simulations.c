/* POST /api/v1/simulations: a household's situation through the rules of
 * an aid of the catalogue (version in force at the date) or of an inline
 * rule document; the result with its explanation; nothing is stored. */
#include "app/simulate.h"
#include "base/err.h"
#include "web/api.h"
#include "web/api_fields.h"
#include "web/handlers.h"
#include "web/reply.h"
#include "web/req.h"

void h_api_simulations(struct req *r)
{
	static const struct api_field fields[] = {
	    {"aide_code", 's'}, {"regle", 'o'}, {"situation", 'o'}, {"date", 's'}, {NULL, 0}};
	if (api_fields_check_or_reply(r, fields) != 0)
		return;
	json_t *out = NULL, *errors = NULL;
	json_t *in = r->json ? r->json : json_object();
	int rc = simulation_run(r->db, &r->who, in, &out, &errors, NULL);
	if (in != r->json)
		json_decref(in);
	if (rc == CAS_EINVAL && errors)
		api_reply_field_errors(r, errors);
	else if (rc != 0)
		reply_cas_err(r, rc);
	else
		reply_json(r, 200, out);
	json_decref(errors);
}
