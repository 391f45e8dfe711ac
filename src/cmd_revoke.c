/* SPDX-License-Identifier: MIT */
/* cmd_revoke.c — placeholder: the command is not built yet. */
#include "cli.h"

int
cmd_revoke(struct ccl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	cli_err("revoke: not implemented yet");
	return EXIT_FAIL;
}
