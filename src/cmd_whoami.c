/* SPDX-License-Identifier: MIT */
/* cmd_whoami.c — placeholder: the command is not built yet. */
#include "cli.h"

int
cmd_whoami(struct ccl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	cli_err("whoami: not implemented yet");
	return EXIT_FAIL;
}
