/* The workflow on the HTML pages (page_workflow.c): the dossier page's
 * "Instruction et décision" section, the settings page's fields. */
#ifndef CAS_PAGE_WORKFLOW_H
#define CAS_PAGE_WORKFLOW_H
#include <jansson.h>
#include <stdint.h>

struct req;

/* Adds "wf" to the dossier page's context ctx for dossier d (as
 * dossier_get returns it): where the dossier stands (deposit, deadline,
 * proposal, decision, notification) and the forms of the actions open to
 * the agent. errors / values (borrowed, may be NULL): a refused action
 * form, refilled next to its fields. */
void page_workflow_dossier_ctx(struct req *r, json_t *ctx, const json_t *d, json_t *errors,
                               json_t *values);

/* Adds the CCAS's instruction settings (quatre_yeux, delais) to values,
 * the settings form's values. */
void page_workflow_settings_values(struct req *r, json_t *values);

/* Adds "urgence" {on, aid_id} to the aid page's context: the emergency
 * short path of the aid type. */
void page_workflow_aid_ctx(struct req *r, json_t *ctx, int64_t aid_type_id);

#endif
