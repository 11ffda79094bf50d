/*
 * effective.h: what Envoy Gateway's translator makes of a set of
 * BackendTrafficPolicies (docs/upstream-api.md section c).
 *
 * effective_compute() takes an object set (objects.h) and computes:
 *   - for every policy: its resolved targets, the status.ancestors[] with
 *     the conditions Envoy Gateway writes, in upstream's words;
 *   - for every gateway listener x route x rule a route reaches: the
 *     winning policies (most specific first) and the effective spec as a
 *     node tree, with the source of every API path (policy and file:line,
 *     or "default" when --defaults filled it in);
 *   - facts that lint reports: targets not found, targets in another
 *     namespace, unknown sectionName, same-scope conflicts (and whether
 *     input order decided them), route policies hiding gateway-level
 *     fields, HTTP-only fields on TCP/UDP routes, refused mergeType,
 *     seed-description spellings read by their meaning, and what each
 *     mergeType policy is layered over.
 *
 * Policies are processed in Envoy Gateway's order: creationTimestamp,
 * then namespace, then name; when no policy has a timestamp, input order
 * (objset order: files as given, documents in file order).
 *
 * Everything the result points to lives in its arena or in the objset's
 * node trees: keep the objset (and its docset) alive as long as the
 * result.  The engine never prints and records no diagnostics: what is
 * worth saying is in facts.  Time is near-linear in the number of objects
 * (hash indexes throughout; target selectors scan the objects of their
 * kind once per selector).
 */
#ifndef BTPCTL_EFFECTIVE_H
#define BTPCTL_EFFECTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"
#include "objects.h"

struct arena;

#define EFF_CONTROLLER	"gateway.envoyproxy.io/gatewayclass-controller"
#define EFF_MAX_ANCESTORS 16

/* A ConfigMap that responseOverride may reference. */
struct eff_configmap {
	const char	*ns, *name;
	bool		 has_data;	/* data has at least one key */
};

struct eff_opts {
	bool		 defaults;	/* fill unset fields with Envoy Gateway defaults */
	/*
	 * The ConfigMaps that exist, for responseOverride valueRefs.  When
	 * check_configmaps is false, references are not checked (btpctl
	 * usually does not see the cluster's ConfigMaps).
	 */
	const struct eff_configmap *configmaps;
	size_t		 nconfigmaps;
	bool		 check_configmaps;
	/*
	 * Compute policies, targets and facts only, what lint needs: no rows
	 * (routes stays empty), no merged specs, no translation checks, no
	 * status (ancestors stay empty), and specs are read as written, so no
	 * seed-spelling facts (lint reports spellings policy by policy).
	 */
	bool		 facts_only;
};
void	eff_opts_init(struct eff_opts *);

/* Attachment scopes, most specific first (the translator's passes). */
enum eff_scope {
	EFF_SCOPE_RULE,		/* xRoute + sectionName = rule name */
	EFF_SCOPE_ROUTE,	/* xRoute */
	EFF_SCOPE_LS_LISTENER,	/* ListenerSet + sectionName */
	EFF_SCOPE_LISTENERSET,	/* ListenerSet */
	EFF_SCOPE_GW_LISTENER,	/* Gateway + sectionName */
	EFF_SCOPE_GATEWAY,	/* Gateway */
	EFF_SCOPE_COUNT,
};
const char	*eff_scope_name(enum eff_scope);	/* "route rule", "gateway listener"... */

/* One resolved target of a policy. */
struct eff_target {
	enum eff_scope		 scope;
	const struct object	*obj;		/* Gateway, ListenerSet or route */
	const char		*section;	/* listener or rule name, or NULL */
	const struct node	*ref;		/* the targetRef / selector node */
	bool			 from_selector;
	bool			 section_missing; /* sectionName names nothing (TargetNotFound) */
	bool			 conflicted;	/* another policy already holds this scope */
	const struct eff_policy	*winner;	/* when conflicted: the policy that holds it */
};

struct eff_condition {
	const char	*type;		/* Accepted, Overridden, Merged, Warning, Aggregated */
	const char	*status;	/* "True" / "False" */
	const char	*reason;
	const char	*message;
};

struct eff_ancestor {
	const char	*group, *kind, *ns, *name;
	const char	*section;	/* NULL when the ancestorRef has none */
	struct eff_condition *conds;
	size_t		 nconds;
	bool		 direct;	/* from a Gateway/ListenerSet target (not a route's parentRef) */
};

enum eff_merge {
	EFF_MERGE_NONE,
	EFF_MERGE_STRATEGIC,
	EFF_MERGE_JSON,
	EFF_MERGE_INVALID,		/* some other value: "unsupported merge type" */
};

struct eff_policy {
	const struct object	*obj;
	const struct node	*spec;		/* obj's spec as read: seed-description
						   spellings moved to upstream's fields */
	size_t			 rank;		/* position in processing order */
	bool			 by_input_order; /* rank decided by input order (no timestamps) */
	enum eff_merge		 merge;
	const char		*invalid;	/* translation error message (b2), or NULL */
	struct eff_target	*targets;
	size_t			 ntargets;
	struct eff_ancestor	*ancestors;	/* status.ancestors, upstream order */
	size_t			 nancestors;
};

/* Where an effective field came from. */
struct eff_source {
	const char		*path;		/* API path under spec: "retry.numRetries" */
	const struct eff_policy	*policy;	/* NULL for a default or the route's own field */
	const struct object	*object;	/* the route, for its own timeouts/retry; else NULL */
	const struct node	*node;		/* the value as written; NULL for defaults */
};

/* One gateway listener x route x rule. */
struct eff_route {
	const struct object	*gateway;
	const struct object	*listenerset;	/* NULL when attached to the Gateway itself */
	const char		*listener;	/* listener name */
	const struct object	*route;
	const char		*rule_name;	/* NULL when the rule has no name */
	int			 rule_index;	/* -1 when the route has no rules */
	const struct eff_policy	**policies;	/* contributing, most specific first */
	size_t			 npolicies;
	struct node		*spec;		/* effective spec (map; empty when no policy) */
	struct eff_source	*sources;	/* one per leaf path of spec, in spec order */
	size_t			 nsources;
	const char		*invalid;	/* winning policy's translation error: direct 500 */
	const struct eff_policy	*hidden;	/* less specific policy a route policy
						   without mergeType replaces as a whole */
};

enum eff_fact_kind {
	EFF_FACT_TARGET_NOT_FOUND,	/* ref to an object that does not exist */
	EFF_FACT_TARGET_OTHER_NS,	/* exists, but only in another namespace */
	EFF_FACT_UNKNOWN_SECTION,	/* sectionName names no listener / rule */
	EFF_FACT_CONFLICT,		/* same scope: policy loses to other */
	EFF_FACT_HIDDEN_FIELDS,		/* route policy without mergeType hides other's fields */
	EFF_FACT_HTTP_ONLY_ON_L4,	/* HTTP-only field on a TCP/TLS/UDP route target */
	EFF_FACT_MERGE_INVALID,		/* mergeType value the translator refuses */
	EFF_FACT_SEED_SPELLING,		/* a seed-description field read by its meaning */
	/*
	 * A route policy with mergeType is layered over other, the parent
	 * policy of one of its listeners, or applies alone where other is
	 * NULL; once per parent.
	 */
	EFF_FACT_LAYERED,
};

struct eff_fact {
	enum eff_fact_kind	 kind;
	const struct eff_policy	*policy;	/* the policy the fact is about */
	const struct eff_policy	*other;		/* CONFLICT: the winner; HIDDEN: the hidden
						   policy; LAYERED: the parent, or NULL */
	const struct node	*at;		/* where to point (ref, field) */
	const char		*path;		/* API path ("spec.retry"), or NULL */
	const char		*target_kind;	/* kind of the target in question */
	const char		*target_ns;
	const char		*target_name;
	const char		*section;	/* sectionName in question, or NULL */
	/*
	 * The target object in question (CONFLICT, UNKNOWN_SECTION), or the
	 * object of that kind and name found in another namespace
	 * (TARGET_OTHER_NS); NULL otherwise.
	 */
	const struct object	*target;
	enum eff_scope		 scope;		/* CONFLICT: the contested scope */
	bool			 by_input_order; /* CONFLICT: winner decided by input order */
	const char		*message;	/* one readable sentence */
};

struct effective {
	struct arena		*arena;
	struct eff_policy	*policies;	/* every BTP, in processing order */
	size_t			 npolicies;
	struct eff_route	*routes;	/* by gateway, listener, route, rule */
	size_t			 nroutes;
	struct eff_fact		*facts;
	size_t			 nfacts;
	bool			 no_timestamps;	/* no policy has a creationTimestamp: input order */
};

/*
 * Compute everything for os.  Returns 0.  The result must be released
 * with effective_release().
 */
int	effective_compute(struct effective *, const struct objset *os,
	    const struct eff_opts *);
void	effective_release(struct effective *);

/*
 * A stable identity for a row, to match rows of two results (diff):
 * "Gateway edge/eg listener http HTTPRoute shop/checkout rule pay", with
 * "ListenerSet ns/name" before the listener when there is one and the
 * rule's index when it has no name.  Allocated in e's arena.
 */
const char *eff_route_key(const struct effective *e, const struct eff_route *);

/* The entry for a policy object, or NULL (a linear scan). */
const struct eff_policy *effective_policy(const struct effective *,
	    const struct object *);

#endif
