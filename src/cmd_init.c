/* SPDX-License-Identifier: MIT */
/* cmd_init.c — placeholder: the command is not built yet. */
#include "cli.h"

int
cmd_init(struct ccl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	cli_err("init: not implemented yet");
	return EXIT_FAIL;
}
