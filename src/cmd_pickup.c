/* SPDX-License-Identifier: MIT */
/* cmd_pickup.c — placeholder: the command is not built yet. */
#include "cli.h"

int
cmd_pickup(struct ccl_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	cli_err("pickup: not implemented yet");
	return EXIT_FAIL;
}
