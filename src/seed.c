/*
 * seed.c: see seed.h.
 */
#include <stddef.h>
#include <string.h>

#include "seed.h"

static const struct seed_fix fixes[] = {
	{ "spec.retry.perRetryTimeout", NULL, "spec.retry.perRetry.timeout",
	  "the per-try timeout lives under retry.perRetry" },
	{ NULL, NULL, NULL, NULL },
};

const struct seed_fix *
seed_lookup(const char *path, const char *value)
{
	size_t i;

	for (i = 0; fixes[i].path != NULL; i++) {
		if (strcmp(fixes[i].path, path) != 0)
			continue;
		if ((fixes[i].value == NULL) != (value == NULL))
			continue;
		if (value != NULL && strcmp(fixes[i].value, value) != 0)
			continue;
		return &fixes[i];
	}
	return NULL;
}
