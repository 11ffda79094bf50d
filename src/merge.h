/*
 * merge.h: the two mergeType strategies Envoy Gateway applies when a route
 * policy is layered over its parent (docs/upstream-api.md c4), on node
 * trees.  Results are new trees in the arena whose leaves are the input
 * nodes' clones (locations kept), so the source of every merged field can
 * be traced back to the policy that wrote it.
 */
#ifndef BTPCTL_MERGE_H
#define BTPCTL_MERGE_H

#include <stdbool.h>

#include "node.h"

struct arena;

struct merge_result {
	struct node	*spec;		/* the merged tree */
};

/*
 * RFC 7386 JSON merge patch: maps merge recursively, a null in patch
 * deletes, anything else (scalars, lists) in patch replaces.
 */
struct node	*merge_json(struct arena *, const struct node *base,
		    const struct node *patch);
/*
 * Kubernetes strategic merge with BackendTrafficPolicy's merge keys: the
 * lists at "compression", "compressor" and "httpUpgrade" (relative to the
 * spec) are merged by their items' "type" (patch items first, merged with
 * the base item of the same type, then the base items of other types);
 * every other list is replaced by the patch's.  path is the dotted path of
 * base/patch relative to the spec ("" for the spec itself).
 */
struct node	*merge_strategic(struct arena *, const struct node *base,
		    const struct node *patch, const char *path);
/*
 * Layer a route policy's spec (patch) over its parent's spec (base) as
 * the translator does; json selects JSONMerge, else StrategicMerge.
 * Target fields (targetRef, targetRefs, targetSelectors) and mergeType
 * come from the patch.  Rate limits follow the translator, which merges
 * translated rules: with StrategicMerge the route's rules and then the
 * parent's all apply; with JSONMerge the route's replace the parent's.
 */
void		 merge_policies(struct arena *, const struct node *base,
		    const struct node *patch, bool json, struct merge_result *);

#endif
