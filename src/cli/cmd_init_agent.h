/* SPDX-License-Identifier: MIT */
/* cmd_init_agent.h — `cclink init --agent` (called by cmd_init). */
#ifndef CCL_CMD_INIT_AGENT_H
#define CCL_CMD_INIT_AGENT_H
#include "cli.h"

#include <stdint.h>

/*
 * Enrol the agent key sel names (NULL: the only ssh-ed25519 key, or ask) at
 * *epoch (NULL: the epoch already recorded for that key, else 0). An exit
 * status.
 */
int cmd_init_agent(struct ccl_ctx *ctx, const char *sel, const uint32_t *epoch, int yes);
#endif
