/*
 * check.h: structural checks every BackendTrafficPolicy must pass before
 * anything else looks at it: apiVersion, metadata.name (DNS-1123
 * subdomain), metadata.namespace, a spec that is a map.
 */
#ifndef BTPCTL_CHECK_H
#define BTPCTL_CHECK_H

struct diags;
struct node;
struct object;

/* Leave spec to the schema engine, which words it as the API server does. */
#define CHECK_NO_SPEC	0x1

/*
 * Record an error diagnostic (code "schema") for each problem; returns
 * their count.  flags: CHECK_NO_SPEC or 0.
 */
int	check_structure(const struct object *, struct diags *, unsigned flags);

/*
 * A document whose BackendTrafficPolicy has no apiVersion, or one that
 * names no group ("v1alpha1"), is no object of any group btpctl knows:
 * the object index skips it, kubectl refuses it.  Record that (code
 * "schema") for root and, for a List, its items.
 */
void	check_groupless(const struct node *root, struct diags *);

#endif
