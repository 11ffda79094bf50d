/*
 * merge.c: JSONMerge (RFC 7386) and StrategicMerge on node trees; see
 * merge.h.
 */
#include <string.h>

#include "arena.h"
#include "merge.h"

/* A map with the same pairs as m (values shared), ready to be changed. */
static struct node *
map_copy(struct arena *a, const struct node *m)
{
	struct node *n = node_new(a, NODE_MAP);
	size_t i;

	n->loc = m->loc;
	for (i = 0; i < m->n; i++)
		node_map_set(a, n, m->pairs[i].key->str, m->pairs[i].val);
	return n;
}

/* Replace key's value in map (or append); val NULL removes it. */
static void
map_put(struct arena *a, struct node *map, const char *key, struct node *val)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		if (strcmp(map->pairs[i].key->str, key) != 0)
			continue;
		if (val != NULL) {
			map->pairs[i].val = val;
			return;
		}
		memmove(&map->pairs[i], &map->pairs[i + 1],
		    (map->n - i - 1) * sizeof(map->pairs[0]));
		map->n--;
		return;
	}
	if (val != NULL)
		node_map_set(a, map, key, val);
}

struct node *
merge_json(struct arena *a, const struct node *base, const struct node *patch)
{
	struct node *out;
	size_t i;
	const char *k;

	if (patch == NULL)
		return base ? node_clone(a, base) : NULL;
	if (patch->kind != NODE_MAP)
		return node_clone(a, patch);
	out = base != NULL && base->kind == NODE_MAP ? map_copy(a, base) :
	    node_new(a, NODE_MAP);
	if (base == NULL || base->kind != NODE_MAP)
		out->loc = patch->loc;
	for (i = 0; i < patch->n; i++) {
		k = patch->pairs[i].key->str;
		if (patch->pairs[i].val->kind == NODE_NULL)
			map_put(a, out, k, NULL);
		else
			map_put(a, out, k, merge_json(a, node_get(out, k),
			    patch->pairs[i].val));
	}
	return out;
}

static bool
keyed_list(const char *path)
{
	return strcmp(path, "compression") == 0 || strcmp(path, "compressor") == 0 ||
	    strcmp(path, "httpUpgrade") == 0;
}

static const char *
item_type(const struct node *n)
{
	return node_get_str(n, "type");
}

struct node *
merge_strategic(struct arena *a, const struct node *base, const struct node *patch,
    const char *path)
{
	struct node *out, *seq;
	size_t i, j;
	const char *k, *t;
	char *sub;
	bool seen;

	if (patch == NULL)
		return base ? node_clone(a, base) : NULL;
	if (patch->kind == NODE_SEQ && base != NULL && base->kind == NODE_SEQ &&
	    keyed_list(path)) {
		seq = node_new(a, NODE_SEQ);
		seq->loc = patch->loc;
		for (i = 0; i < patch->n; i++) {
			const struct node *match = NULL;

			t = item_type(patch->items[i]);
			for (j = 0; t != NULL && j < base->n; j++)
				if (item_type(base->items[j]) != NULL &&
				    strcmp(item_type(base->items[j]), t) == 0)
					match = base->items[j];
			node_seq_push(a, seq, merge_strategic(a, match,
			    patch->items[i], "[]"));
		}
		for (j = 0; j < base->n; j++) {
			t = item_type(base->items[j]);
			seen = false;
			for (i = 0; t != NULL && i < patch->n; i++)
				if (item_type(patch->items[i]) != NULL &&
				    strcmp(item_type(patch->items[i]), t) == 0)
					seen = true;
			if (!seen)
				node_seq_push(a, seq, node_clone(a, base->items[j]));
		}
		return seq;
	}
	if (patch->kind != NODE_MAP || base == NULL || base->kind != NODE_MAP)
		return patch->kind == NODE_NULL ? NULL : node_clone(a, patch);
	out = map_copy(a, base);
	for (i = 0; i < patch->n; i++) {
		k = patch->pairs[i].key->str;
		if (patch->pairs[i].val->kind == NODE_NULL) {
			map_put(a, out, k, NULL);
			continue;
		}
		sub = *path ? arena_printf(a, "%s.%s", path, k) : arena_strdup(a, k);
		map_put(a, out, k, merge_strategic(a, node_get(base, k),
		    patch->pairs[i].val, sub));
	}
	return out;
}

/*
 * Rate limits are merged on the translated rules: with StrategicMerge,
 * when both policies have rules of a kind (global, local), the route's
 * rules apply first, then the parent's.
 */
static void
both_rule_sets(struct arena *a, struct node *spec, const struct node *base,
    const struct node *patch)
{
	static const char *const kinds[] = { "global", "local" };
	const struct node *br, *pr;
	struct node *rl, *k, *rules;
	size_t i, j;

	for (i = 0; i < 2; i++) {
		br = node_get(node_get(node_get(base, "rateLimit"), kinds[i]), "rules");
		pr = node_get(node_get(node_get(patch, "rateLimit"), kinds[i]), "rules");
		if (br == NULL || pr == NULL || br->kind != NODE_SEQ || pr->kind != NODE_SEQ)
			continue;
		rl = node_get(spec, "rateLimit");
		k = node_get(rl, kinds[i]);
		if (k == NULL || k->kind != NODE_MAP)
			continue;
		rules = node_new(a, NODE_SEQ);
		rules->loc = pr->loc;
		for (j = 0; j < pr->n; j++)
			node_seq_push(a, rules, pr->items[j]);
		for (j = 0; j < br->n; j++)
			node_seq_push(a, rules, br->items[j]);
		map_put(a, k, "rules", rules);
	}
}

void
merge_policies(struct arena *a, const struct node *base, const struct node *patch,
    bool json, struct merge_result *r)
{
	static const char *const own[] = { "targetRef", "targetRefs",
	    "targetSelectors", "mergeType" };
	struct node *b;
	size_t i;

	b = base != NULL && base->kind == NODE_MAP ? map_copy(a, base) :
	    node_new(a, NODE_MAP);
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		map_put(a, b, own[i], NULL);
	r->spec = json ? merge_json(a, b, patch) : merge_strategic(a, b, patch, "");
	if (r->spec == NULL)
		r->spec = node_new(a, NODE_MAP);
	if (!json)
		both_rule_sets(a, r->spec, base, patch);
}
