#include "domain/budget.h"

int64_t budget_remaining(const struct budget_envelope *e)
{
	return e->has_envelope ? e->alloue - e->engage : 0;
}

int budget_would_exceed(const struct budget_envelope *e, int64_t amount, int64_t *excess)
{
	if (amount < 0)
		amount = 0;
	int64_t over = e->has_envelope ? e->engage + amount - e->alloue : 0;
	if (excess)
		*excess = over > 0 ? over : 0;
	return over > 0;
}

int budget_used_percent(const struct budget_envelope *e)
{
	if (!e->has_envelope || e->alloue <= 0 || e->engage <= 0)
		return 0;
	return (int)(e->engage * 100 / e->alloue);
}
