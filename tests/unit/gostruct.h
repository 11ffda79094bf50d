/*
 * gostruct.h: for conformance tests.  Upstream's test harnesses decode
 * YAML into Go structs: JSON keys match field names case-insensitively
 * ("backoff" is read as backOff) and unknown fields are dropped.
 * decode_like_go() does the same to a BackendTrafficPolicy spec, guided
 * by the CRD's openAPIV3Schema (load_crd_spec() reads the embedded CRD
 * file schemas/...v1.9.0.yaml).  Header-only; include once per test.
 */
#ifndef BTPCTL_TEST_GOSTRUCT_H
#define BTPCTL_TEST_GOSTRUCT_H

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load.h"
#include "node.h"
#include "util.h"

static void
decode_like_go(struct node *n, const struct node *schema)
{
	const struct node *props = node_get(schema, "properties");
	const struct node *addl = node_get(schema, "additionalProperties");
	const struct node *items = node_get(schema, "items");
	const struct node *sub;
	size_t i, j, k;

	if (n == NULL || schema == NULL)
		return;
	if (n->kind == NODE_SEQ) {
		for (i = 0; i < n->n; i++)
			decode_like_go(n->items[i], items);
		return;
	}
	if (n->kind != NODE_MAP)
		return;
	if (props == NULL || props->kind != NODE_MAP) {
		for (i = 0; addl != NULL && i < n->n; i++)
			decode_like_go(n->pairs[i].val, addl);
		return;
	}
	for (i = 0, k = 0; i < n->n; i++) {
		sub = NULL;
		for (j = 0; j < props->n; j++)
			if (strcmp(props->pairs[j].key->str, n->pairs[i].key->str) == 0)
				sub = props->pairs[j].val;
		for (j = 0; sub == NULL && j < props->n; j++)
			if (strcasecmp(props->pairs[j].key->str,
			    n->pairs[i].key->str) == 0) {
				sub = props->pairs[j].val;
				n->pairs[i].key->str = props->pairs[j].key->str;
			}
		if (sub == NULL)
			continue;	/* unknown field: dropped */
		decode_like_go(n->pairs[i].val, sub);
		n->pairs[k++] = n->pairs[i];
	}
	n->n = k;
}


/* The CRD's properties.spec schema, loaded into ds (caller releases). */
static const struct node *
load_crd_spec(struct inputs *in, struct docset *ds, struct diags *d)
{
	const char *root = getenv("ROOT");
	char *p = xasprintf("%s/schemas/gateway.envoyproxy.io_backendtrafficpolicies."
	    "v1.9.0.yaml", root ? root : ".");
	struct load_opts lo;
	const struct node *vs, *spec = NULL;

	load_opts_init(&lo);
	inputs_init(in);
	docset_init(ds);
	if (inputs_add(in, p, &lo, d) == 0 && docset_load(ds, in, &lo, d) == 0 &&
	    ds->n > 0 && (vs = node_path(ds->v[0].root, "spec.versions")) != NULL &&
	    vs->kind == NODE_SEQ && vs->n > 0)
		spec = node_path(vs->items[0], "schema.openAPIV3Schema.properties.spec");
	free(p);
	return spec;
}

#endif
