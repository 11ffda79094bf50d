/*
 * effective.c: the entry points of the effective-policy engine (see
 * effective.h); resolution, precedence and status live in precedence.c,
 * merging in merge.c.
 */
#include <string.h>

#include "arena.h"
#include "effective.h"

void
eff_opts_init(struct eff_opts *o)
{
	memset(o, 0, sizeof(*o));
}

const char *
eff_scope_name(enum eff_scope s)
{
	static const char *const names[EFF_SCOPE_COUNT] = {
		"route rule", "route", "listenerset listener", "listenerset",
		"gateway listener", "gateway",
	};

	return (unsigned)s < EFF_SCOPE_COUNT ? names[s] : "?";
}

int
effective_compute(struct effective *e, const struct objset *os,
    const struct eff_opts *o)
{
	(void)os;
	(void)o;
	memset(e, 0, sizeof(*e));
	e->arena = arena_new();
	return 0;
}

void
effective_release(struct effective *e)
{
	arena_free(e->arena);
	memset(e, 0, sizeof(*e));
}

const struct eff_policy *
effective_policy(const struct effective *e, const struct object *o)
{
	size_t i;

	for (i = 0; i < e->npolicies; i++)
		if (e->policies[i].obj == o)
			return &e->policies[i];
	return NULL;
}
