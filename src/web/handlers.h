/* Every route handler, grouped by the file that holds it. The route table
 * (routes.c) is the only user. */
#ifndef CAS_HANDLERS_H
#define CAS_HANDLERS_H

struct req;

/* page_auth.c */
void h_login_form(struct req *r);
void h_login(struct req *r);
void h_logout(struct req *r);
/* page_home.c */
void h_home(struct req *r);
void h_healthz(struct req *r);
void h_theme(struct req *r);

/* page_admin_users.c */
void h_admin_users(struct req *r);
void h_admin_user_create(struct req *r);
void h_admin_user_deactivate(struct req *r);
void h_admin_user_reactivate(struct req *r);
void h_admin_user_password_form(struct req *r);
void h_admin_user_password(struct req *r);
/* page_admin_apikeys.c */
void h_admin_apikeys(struct req *r);
void h_admin_apikey_create(struct req *r);
void h_admin_apikey_revoke(struct req *r);
/* page_settings.c */
void h_settings(struct req *r);
void h_settings_update(struct req *r);
/* page_audit.c */
void h_audit(struct req *r);
/* page_access_log.c */
void h_access_log(struct req *r);
/* page_platform.c */
void h_platform(struct req *r);
void h_platform_tenant_create(struct req *r);
void h_platform_admin_create(struct req *r);

/* page_persons.c */
void h_persons_list(struct req *r);
void h_person_new(struct req *r);
void h_person_create(struct req *r);
void h_person_show(struct req *r);
void h_person_edit(struct req *r);
void h_person_update(struct req *r);
/* api_persons.c */
void h_api_persons_list(struct req *r);
void h_api_person_create(struct req *r);
void h_api_person_get(struct req *r);
void h_api_person_update(struct req *r);
/* api_openapi.c */
void h_api_openapi(struct req *r);

/* page_households.c */
void h_households(struct req *r);
void h_household_new(struct req *r);
void h_household_create(struct req *r);
void h_household_show(struct req *r);
void h_household_member_add(struct req *r);
void h_household_member_exit(struct req *r);
/* page_dossiers.c */
void h_dossiers(struct req *r);
void h_dossier_new(struct req *r);
void h_dossier_create(struct req *r);
void h_dossier_show(struct req *r);
void h_dossier_state(struct req *r);
void h_dossier_line_add(struct req *r);
void h_dossier_note_add(struct req *r);
/* page_aid_types.c */
void h_aid_types(struct req *r);
void h_aid_type_create(struct req *r);
void h_aid_type_state(struct req *r);
/* page_aid_rules.c */
void h_aid_type_show(struct req *r);
void h_aid_type_update(struct req *r);
void h_aid_type_export(struct req *r);
void h_aid_import_form(struct req *r);
void h_aid_import(struct req *r);
void h_caf_parts_update(struct req *r);
void h_rule_version_new(struct req *r);
void h_rule_version_create(struct req *r);
void h_rule_version_show(struct req *r);
void h_rule_version_update(struct req *r);
void h_rule_version_activate(struct req *r);
void h_rule_version_close(struct req *r);
void h_rule_version_retire(struct req *r);
void h_rule_validate(struct req *r);
void h_rule_test(struct req *r);
/* page_evaluations.c */
void h_dossier_evaluate(struct req *r);
/* api_simulations.c */
void h_api_simulations(struct req *r);
/* api_households.c */
void h_api_households(struct req *r);
void h_api_household_create(struct req *r);
void h_api_household_get(struct req *r);
void h_api_household_update(struct req *r);
void h_api_household_member_add(struct req *r);
void h_api_household_member_update(struct req *r);
/* api_dossiers.c */
void h_api_dossiers(struct req *r);
void h_api_dossier_create(struct req *r);
void h_api_dossier_get(struct req *r);
void h_api_dossier_update(struct req *r);
void h_api_dossier_line_add(struct req *r);
void h_api_dossier_note_add(struct req *r);
void h_api_aid_types(struct req *r);
/* page_workflow.c, api_dossiers.c: the instruction workflow */
void h_my_dossiers(struct req *r);
void h_api_dossier_transition(struct req *r);
void h_aid_urgence(struct req *r);
/* page_consultations.c */
void h_consultation_create(struct req *r);
void h_consultation_show(struct req *r);
void h_consultation_proof(struct req *r);
void h_consultation_apply_form(struct req *r);
void h_consultation_apply(struct req *r);
void h_aid_scopes_form(struct req *r);
void h_aid_scopes_update(struct req *r);
/* page_verifications.c */
void h_verification_create(struct req *r);
void h_verification_show(struct req *r);
void h_api_verification_create(struct req *r);
void h_api_verification_get(struct req *r);
void h_aid_impots_scopes_form(struct req *r);
void h_aid_impots_scopes_update(struct req *r);

/* page_documents.c: pièces justificatives */
void h_documents(struct req *r);
void h_document_upload(struct req *r);
void h_document_too_big(struct req *r); /* the upload's body was over the limit */
void h_document_download(struct req *r);
void h_document_delete(struct req *r);
void h_document_request(struct req *r);

/* page_payments.c, page_budgets.c: payments, budgets, exports */
void h_payee_create(struct req *r);
void h_payment_schedule(struct req *r);
void h_payment_mandate(struct req *r);
void h_payment_pay(struct req *r);
void h_payment_hand_over(struct req *r);
void h_payment_cancel(struct req *r);
void h_payments(struct req *r);
void h_payments_export(struct req *r);
void h_treasury_export(struct req *r);
void h_dossiers_export(struct req *r);
void h_budgets(struct req *r);
void h_budget_set(struct req *r);
void h_budget_overrun(struct req *r);
/* page_letters.c: letters of a dossier, letter templates and letterhead */
void h_letter_new(struct req *r);
void h_letter_create(struct req *r);
void h_letter_download(struct req *r);
void h_api_letters(struct req *r);
void h_api_letter_create(struct req *r);
void h_api_letter_get(struct req *r);
void h_letters_admin(struct req *r);
void h_letters_settings_update(struct req *r);
void h_letter_template_edit(struct req *r);
void h_letter_template_update(struct req *r);
void h_letter_template_preview(struct req *r);
/* page_commission.c: commission sessions, agenda, decisions, minutes */
void h_commissions(struct req *r);
void h_commission_new(struct req *r);
void h_commission_create(struct req *r);
void h_commission_show(struct req *r);
void h_commission_edit(struct req *r);
void h_commission_update(struct req *r);
void h_commission_agenda_add(struct req *r);
void h_commission_item_remove(struct req *r);
void h_commission_item_decide_form(struct req *r);
void h_commission_item_decide(struct req *r);
void h_commission_batch(struct req *r);
void h_commission_close(struct req *r);
void h_commission_anonymous(struct req *r);
void h_commission_minutes(struct req *r);
/* page_rights.c: rights of the person (export of their data, erasure) */
void h_person_export_json(struct req *r);
void h_person_export_pdf(struct req *r);
void h_person_erase(struct req *r);
void h_api_person_export(struct req *r);
void h_api_person_erase(struct req *r);
/* page_retention.c: retention and purge (/admin/conservation), legal holds */
void h_retention(struct req *r);
void h_retention_update(struct req *r);
void h_legal_hold_set(struct req *r);
void h_legal_hold_lift(struct req *r);
#endif
