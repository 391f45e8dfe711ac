/* SPDX-License-Identifier: MIT */
/* cmd_publish.c — placeholder: the command is not built yet. */
#include "cli.h"

int
cmd_publish(struct ccl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	cli_err("publish: not implemented yet");
	return EXIT_FAIL;
}
