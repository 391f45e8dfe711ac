/* SPDX-License-Identifier: MIT */
/* cmd_list.c — placeholder: the command is not built yet. */
#include "cli.h"

int
cmd_list(struct ccl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	cli_err("list: not implemented yet");
	return EXIT_FAIL;
}
