#include <stdio.h>

#include "cli/cli.h"

int cmd_demo(int argc, char **argv)
{
	fprintf(stderr, "cassis demo: not yet\n");
	return 1;
}
