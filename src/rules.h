/*
 * rules.h: the lint rule catalogue.  Each rule lives in its own file,
 * src/rules/BTPnnn.c, and exports `const struct lint_rule rule_BTPnnn`;
 * lint_rules[] (lint_rules.c) lists them in id order.  The same table
 * drives `btpctl rules`, `btpctl explain`, the SARIF rules metadata, the
 * man page btpctl-rules(7) and the golden examples under testdata/lint/.
 *
 * Rule ids are stable: a rule that is retired keeps its number forever and
 * no new rule reuses it.
 */
#ifndef BTPCTL_RULES_H
#define BTPCTL_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct lint_ctx;

enum rule_family {
	FAMILY_PRACTICE,	/* the description's best practices */
	FAMILY_CONSISTENCY,	/* fields of one policy that contradict each other */
	FAMILY_DEPRECATED,	/* deprecated fields, with the replacement */
	FAMILY_CROSS_OBJECT,	/* policies and the Gateway API objects they target */
	FAMILY_META,		/* about btpctl's own suppressions */
};

struct lint_rule {
	const char	*id;		/* "BTP012" */
	const char	*name;		/* kebab-case: "health-check-timeout-not-below-interval" */
	enum severity	 sev;		/* default severity */
	enum rule_family family;
	const char	*summary;	/* one line, no final full stop */
	const char	*rationale;	/* why it matters (a paragraph) */
	const char	*fix;		/* how to fix it (a paragraph) */
	const char	*good;		/* an example that passes (YAML, may be multi-document) */
	const char	*bad;		/* an example that fails */
	int		 bad_line;	/* the line of bad where the finding is reported */
	/*
	 * Called once per BackendTrafficPolicy; reports findings with
	 * lint_report().  NULL for rules the engine raises itself (BTP900).
	 */
	void		(*check)(struct lint_ctx *);
	/*
	 * The rule asks what a mergeType policy inherits (lint_inherits()):
	 * it runs in the second pass, with the cross-object rules, on the
	 * policy's compact copy, which has the keys of spec and the targets
	 * but no typed model (ctx->pol is NULL).
	 */
	bool		 layered;
};

/*
 * The end of the rationale of rules about a field a policy leaves out,
 * which a mergeType policy inherits (the layered rules).
 */
#define INHERITED_NOTE \
	"  A route policy with mergeType takes what it leaves out from the Gateway " \
	"or listener policy it is layered over, so it is not reported when every " \
	"such policy sets it."

/*
 * Building blocks of the examples: a policy header (lines 1-6, ending with
 * "spec:") and a targetRefs list naming HTTPRoute "api" (lines 7-10).
 */
#define EX_POLICY(name) \
	"apiVersion: gateway.envoyproxy.io/v1alpha1\n" \
	"kind: BackendTrafficPolicy\n" \
	"metadata:\n" \
	"  name: " name "\n" \
	"  namespace: shop\n" \
	"spec:\n"
/* The same header with a creationTimestamp (lines 1-7). */
#define EX_POLICY_AT(name, ts) \
	"apiVersion: gateway.envoyproxy.io/v1alpha1\n" \
	"kind: BackendTrafficPolicy\n" \
	"metadata:\n" \
	"  name: " name "\n" \
	"  namespace: shop\n" \
	"  creationTimestamp: \"" ts "\"\n" \
	"spec:\n"
#define EX_TARGET(kind, name) \
	"  targetRefs:\n" \
	"  - group: gateway.networking.k8s.io\n" \
	"    kind: " kind "\n" \
	"    name: " name "\n"
#define EX_HEAD	EX_POLICY("api") EX_TARGET("HTTPRoute", "api")
/* A route of namespace shop with one rule, and the separator (lines 1-11). */
#define EX_ROUTE(version, kind, name) \
	"apiVersion: gateway.networking.k8s.io/" version "\n" \
	"kind: " kind "\n" \
	"metadata:\n" \
	"  name: " name "\n" \
	"  namespace: shop\n" \
	"spec:\n" \
	"  rules:\n" \
	"  - backendRefs:\n" \
	"    - name: " name "\n" \
	"      port: 8080\n" \
	"---\n"
/* Gateway shop/edge with listener http, and the separator (lines 1-12). */
#define EX_GATEWAY \
	"apiVersion: gateway.networking.k8s.io/v1\n" \
	"kind: Gateway\n" \
	"metadata:\n" \
	"  name: edge\n" \
	"  namespace: shop\n" \
	"spec:\n" \
	"  gatewayClassName: eg\n" \
	"  listeners:\n" \
	"  - name: http\n" \
	"    protocol: HTTP\n" \
	"    port: 80\n" \
	"---\n"

/* Every rule, in id order, ending with NULL. */
extern const struct lint_rule *const lint_rules[];

/* The rule with that id ("BTP012", any case) or name; NULL when unknown. */
const struct lint_rule	*rule_find(const char *id_or_name);
/* Its index in lint_rules[], or -1. */
int			 rule_index(const struct lint_rule *);
size_t			 rule_count(void);
const char		*rule_family_name(enum rule_family);

#endif
