#include "app/actor.h"

#include <stdio.h>
#include <string.h>

void actor_system(struct actor *who, const char *label)
{
	memset(who, 0, sizeof(*who));
	who->role = ROLE_SYSTEME;
	snprintf(who->label, sizeof(who->label), "%s", label);
}
