/*
 * BTP032 unknown-section-name: a sectionName that names no listener or
 * route rule makes Envoy Gateway refuse the target (TargetNotFound).
 */
#include "lint.h"

/* Names of the listeners (Gateway, ListenerSet) or rules (routes) of o. */
static bool
has_section(const struct object *o, const char *section, struct strbuf *known)
{
	const struct node *list, *item;
	const char *name;
	size_t i;

	list = node_get(o->spec, o->type == OBJ_GATEWAY || o->type == OBJ_LISTENERSET ?
	    "listeners" : "rules");
	if (list == NULL || list->kind != NODE_SEQ)
		return false;
	for (i = 0; i < list->n; i++) {
		item = list->items[i];
		if ((name = node_get_str(item, "name")) == NULL)
			continue;
		if (strcmp(name, section) == 0)
			return true;
		sb_printf(known, "%s%s", known->len ? ", " : "", name);
	}
	return false;
}

static void
check(struct lint_ctx *ctx)
{
	const struct eff_fact *const *f;
	const struct object *o;
	size_t n = lint_facts(ctx, &f), i;
	struct strbuf known;
	const struct node *at;

	for (i = 0; i < n; i++) {
		if (f[i]->kind != EFF_FACT_UNKNOWN_SECTION || (o = f[i]->target) == NULL ||
		    f[i]->section == NULL)
			continue;
		sb_init(&known);
		if (!has_section(o, f[i]->section, &known)) {
			at = lint_key(f[i]->at, "sectionName");
			lint_report(ctx, at ? at : f[i]->at, lint_ref_path(ctx, f[i]->at),
			    "%s %s/%s has no %s named '%s', so Envoy Gateway does not accept "
			    "this target (TargetNotFound); use one of: %s",
			    obj_type_kind(o->type), object_ns(o), o->name,
			    o->type == OBJ_GATEWAY || o->type == OBJ_LISTENERSET ?
			    "listener" : "rule", f[i]->section,
			    known.len ? known.buf : "(none has a name)");
		}
		sb_release(&known);
	}
}

const struct lint_rule rule_BTP032 = {
	"BTP032", "unknown-section-name", SEV_ERROR, FAMILY_CROSS_OBJECT,
	"sectionName names no listener or route rule of the target",
	"A sectionName narrows a target to one listener of a Gateway or ListenerSet, "
	"or to one named rule of a route.  If the target has no section of that name, "
	"Envoy Gateway marks the policy Accepted=False with reason TargetNotFound and "
	"applies nothing for that target.",
	"Use the name of an existing listener (spec.listeners[].name) or route rule "
	"(spec.rules[].name), or give the rule a name.",
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata:\n"
	"  name: api\n"
	"  namespace: shop\n"
	"spec:\n"
	"  rules:\n"
	"  - name: orders\n"
	"    backendRefs:\n"
	"    - name: orders\n"
	"      port: 8080\n"
	"---\n"
	EX_HEAD
	"    sectionName: orders\n",
	"apiVersion: gateway.networking.k8s.io/v1\n"
	"kind: HTTPRoute\n"
	"metadata:\n"
	"  name: api\n"
	"  namespace: shop\n"
	"spec:\n"
	"  rules:\n"
	"  - name: orders\n"
	"    backendRefs:\n"
	"    - name: orders\n"
	"      port: 8080\n"
	"---\n"
	EX_HEAD
	"    sectionName: order\n",
	23,
	check,
	false,
};
