/* Budget envelope arithmetic (domain/budget.h): remaining, overruns,
 * percentage used, without an envelope. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/budget.h"

static void remaining(void **state)
{
	struct budget_envelope e = {1, 100000, 30000, 10000};
	assert_int_equal(budget_remaining(&e), 70000);
	e.engage = 120000;
	assert_int_equal(budget_remaining(&e), -20000);
	struct budget_envelope none = {0, 0, 50000, 0};
	assert_int_equal(budget_remaining(&none), 0);
}

static void exceeding(void **state)
{
	struct budget_envelope e = {1, 100000, 30000, 0};
	int64_t excess = -1;
	assert_int_equal(budget_would_exceed(&e, 70000, &excess), 0); /* exactly full */
	assert_int_equal(excess, 0);
	assert_int_equal(budget_would_exceed(&e, 70001, &excess), 1);
	assert_int_equal(excess, 1);
	assert_int_equal(budget_would_exceed(&e, -5, &excess), 0);
	assert_int_equal(budget_would_exceed(&e, 0, NULL), 0);
	e.engage = 100500; /* already overspent: any amount, even 0, exceeds */
	assert_int_equal(budget_would_exceed(&e, 0, &excess), 1);
	assert_int_equal(excess, 500);
	struct budget_envelope none = {0, 0, 0, 0};
	assert_int_equal(budget_would_exceed(&none, INT64_C(10000000000), &excess), 0);
	assert_int_equal(excess, 0);
	struct budget_envelope zero = {1, 0, 0, 0}; /* an envelope of 0: nothing may be granted */
	assert_int_equal(budget_would_exceed(&zero, 1, &excess), 1);
}

static void percent(void **state)
{
	struct budget_envelope e = {1, 300000, 100000, 0};
	assert_int_equal(budget_used_percent(&e), 33);
	e.engage = 450000;
	assert_int_equal(budget_used_percent(&e), 150);
	e.alloue = 0;
	assert_int_equal(budget_used_percent(&e), 0);
	struct budget_envelope none = {0, 300000, 100000, 0};
	assert_int_equal(budget_used_percent(&none), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(remaining),
	    cmocka_unit_test(exceeding),
	    cmocka_unit_test(percent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
