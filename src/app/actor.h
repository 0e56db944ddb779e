/* Who is acting: a signed-in user or an API key, within one tenant. Every
 * use case takes one and checks its permission before anything else. */
#ifndef CAS_ACTOR_H
#define CAS_ACTOR_H
#include <stdint.h>

#include "app/perm.h"

struct actor {
	int64_t user_id;    /* 0 for an API key */
	int64_t api_key_id; /* 0 for a user */
	int64_t tenant_id;  /* 0 for the platform administrator */
	enum role role;
	char label[128]; /* e-mail address or "clé API <prefix>", for the audit */
	char display_name[128];
	char tenant_name[160];
	char tenant_colour[16];
};

/* The system itself, acting outside any tenant and any account (the command
 * line, the background jobs): role ROLE_SYSTEME, label for the audit
 * ("ligne de commande", "tâche planifiée"). */
void actor_system(struct actor *who, const char *label);

#endif
