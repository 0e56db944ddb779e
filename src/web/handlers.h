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

#endif
