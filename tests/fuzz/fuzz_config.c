/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config — libFuzzer target for the config file parser. Whatever it
 * accepts must hold only well-formed values (host:port bootstrap entries,
 * relay URLs the relay client accepts, OLD=NEW maps) within the caps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "relay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccl_config c;
	size_t i;

	if (config_parse(&c, data, size) == 0) {
		if (c.n_bootstrap > CONFIG_MAX_LIST || c.n_relays > CONFIG_MAX_LIST ||
		    c.n_maps > CONFIG_MAX_LIST)
			abort();
		for (i = 0; i < c.n_bootstrap; i++)
			if (strrchr(c.bootstrap[i], ':') == NULL)
				abort();
		for (i = 0; i < c.n_relays; i++)
			if (relay_url_check(c.relays[i]) != 0)
				abort();
		for (i = 0; i < c.n_maps; i++)
			if (c.maps[i][0] != '/' || strchr(c.maps[i], '=') == NULL)
				abort();
	}
	config_cleanup(&c);
	return 0;
}
