/*
 * effective_int.h: the engine's private types, shared by effective*.c,
 * precedence.c and merge.c.  Not for use outside the engine.
 */
#ifndef BTPCTL_EFFECTIVE_INT_H
#define BTPCTL_EFFECTIVE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "effective.h"

struct arena;

/* A string-keyed hash map whose storage lives in an arena. */
struct emap_slot {
	const char	*key;
	void		*val;
	size_t		 hash;
};
struct emap {
	struct arena	*arena;
	struct emap_slot *slots;
	size_t		 n, cap;	/* cap is 0 or a power of two */
};
void	 emap_init(struct emap *, struct arena *);
/* The value for key, or NULL. */
void	*emap_get(const struct emap *, const char *key);
/* Set key (copied into the arena) to val; returns the previous value. */
void	*emap_put(struct emap *, const char *key, void *val);
/* Key from parts joined by '\x1f' (unit separator); static buffer-free. */
const char *ekey(struct arena *, const char *a, const char *b, const char *c,
	    const char *d);

/* A growable array of pointers in the heap. */
struct pvec {
	void	**v;
	size_t	  n, cap;
};
void	 pvec_push(struct pvec *, void *);
void	 pvec_free(struct pvec *);

struct gw_ctx;
struct ls_ctx;

struct listener {
	const char	*name;
	const char	*protocol;
	const char	*hostname;	/* NULL when unset */
	long		 port;
	const struct node *node;
	const struct node *allowed;	/* allowedRoutes, or NULL */
	struct gw_ctx	*gw;
	struct ls_ctx	*ls;		/* NULL for the Gateway's own listeners */
};

struct gw_ctx {
	const struct object *obj;
	struct listener	*listeners;
	size_t		 nlisteners;
};

struct ls_ctx {
	const struct object *obj;
	struct gw_ctx	*gw;		/* parent Gateway, or NULL when absent */
	struct listener	*listeners;
	size_t		 nlisteners;
};

/* One parentRef of a route that reaches a Gateway or ListenerSet. */
struct attach {
	const struct node *ref;
	bool		 to_ls;
	const char	*ns, *name;	/* the parent */
	const char	*section;	/* NULL when unset */
	struct gw_ctx	*gw;
	struct ls_ctx	*ls;
	struct listener	**listeners;	/* listeners that accept the route */
	size_t		 nlisteners;
};

struct route_ctx {
	const struct object *obj;
	const char	*kind;
	struct node	*rules;		/* spec.rules, or NULL */
	struct attach	*attach;
	size_t		 nattach;
};

struct anc_build {
	struct eff_ancestor a;
	size_t		 cap;
	bool		 direct;	/* made by a Gateway/ListenerSet target */
};

/* A policy while the passes run. */
struct pol_state {
	struct eff_policy *p;
	struct pvec	 anc;		/* struct anc_build * */
	struct pvec	 targets;	/* struct eff_target * */
	struct pvec	 layers;	/* parents of LAYERED facts so far (NULL: none) */
};

/* Processing state shared by precedence.c and effective.c. */
struct engine {
	struct effective *e;
	struct arena	*a;
	const struct objset *os;
	const struct eff_opts *opts;
	struct emap	 gws, lss, routes, nss;	/* "ns\x1fname" (routes: "Kind\x1fns\x1fname") */
	struct emap	 claims;		/* scope key -> winning eff_policy */
	struct emap	 parent_policy;	/* merge parents: scope key -> first policy */
	struct emap	 factseen;
	struct pvec	 gwv, lsv, routev, grants, nsv;
	struct pvec	 facts;		/* struct eff_fact * */
	struct pvec	 rows;		/* struct eff_route * */
	struct pol_state **pstate;	/* per policy, same order */
};

/* precedence.c */
void	 eng_load(struct engine *);
void	 eng_resolve(struct engine *);
void	 eng_passes(struct engine *);
struct eff_fact *eng_fact(struct engine *, enum eff_fact_kind,
	    const struct eff_policy *, const struct node *at);
bool	 route_is_http(const struct route_ctx *);
const char *scope_key(struct engine *, enum eff_scope, const char *ns,
	    const char *name, const char *section);
/* Claim keys of a route and of one of its named rules. */
const char *route_key(struct engine *, const struct route_ctx *);
const char *rule_key(struct engine *, const struct route_ctx *, const char *rule);

/* The namespace responseOverride refs of route merged over parent use. */
const char *override_ns(const struct eff_policy *route,
	    const struct eff_policy *parent);

/* effective_rows.c */
void	 eng_rows(struct engine *);

/* effective_check.c: the translator's own checks (b2); message or NULL. */
const char *eff_translate_errors(struct arena *, const struct node *spec,
	    const char *policy_ns, const struct eff_opts *);

/* effective_defaults.c: fill defaults into spec (sources appended). */
void	 eff_fill_defaults(struct arena *, struct node *spec, bool http, bool udp);

#endif
