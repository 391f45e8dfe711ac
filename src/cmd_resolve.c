/* SPDX-License-Identifier: MIT */
/* cmd_resolve.c — placeholder: the command is not built yet. */
#include "cli.h"

int
cmd_resolve(struct ccl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	cli_err("resolve: not implemented yet");
	return EXIT_FAIL;
}
