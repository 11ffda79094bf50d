/*
 * check.h: structural checks every BackendTrafficPolicy must pass before
 * anything else looks at it: apiVersion, metadata.name (DNS-1123
 * subdomain), metadata.namespace, a spec that is a map.
 */
#ifndef BTPCTL_CHECK_H
#define BTPCTL_CHECK_H

struct diags;
struct object;

/* Record an error diagnostic (code "schema") for each problem; returns their count. */
int	check_structure(const struct object *, struct diags *);

#endif
