/*
 * effective_map.c: the engine's small containers: an arena-backed
 * string hash map (open addressing, linear probing) and a pointer vector.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "effective_int.h"
#include "util.h"

static size_t
hash_str(const char *s)
{
	size_t h = (size_t)1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

void
emap_init(struct emap *m, struct arena *a)
{
	memset(m, 0, sizeof(*m));
	m->arena = a;
}

static struct emap_slot *
find_slot(struct emap_slot *slots, size_t cap, const char *key, size_t h)
{
	size_t i = h & (cap - 1);

	while (slots[i].key != NULL &&
	    (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

void *
emap_get(const struct emap *m, const char *key)
{
	struct emap_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find_slot(m->slots, m->cap, key, hash_str(key));
	return s->key != NULL ? s->val : NULL;
}

static void
grow(struct emap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 16, i;
	struct emap_slot *ns = arena_alloc(m->arena, ncap * sizeof(*ns));

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			*find_slot(ns, ncap, m->slots[i].key, m->slots[i].hash) =
			    m->slots[i];
	m->slots = ns;
	m->cap = ncap;
}

void *
emap_put(struct emap *m, const char *key, void *val)
{
	struct emap_slot *s;
	size_t h = hash_str(key);
	void *old;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	s = find_slot(m->slots, m->cap, key, h);
	if (s->key != NULL) {
		old = s->val;
		s->val = val;
		return old;
	}
	s->key = arena_strdup(m->arena, key);
	s->hash = h;
	s->val = val;
	m->n++;
	return NULL;
}

const char *
ekey(struct arena *a, const char *p, const char *q, const char *r, const char *s)
{
	const char *part[4] = { p, q, r, s };
	size_t len[4], total = 3, i;
	char *k, *w;

	for (i = 0; i < 4; i++) {
		if (part[i] == NULL)
			part[i] = "";
		total += len[i] = strlen(part[i]);
	}
	w = k = arena_alloc(a, total + 1);
	for (i = 0; i < 4; i++) {
		memcpy(w, part[i], len[i]);
		w += len[i];
		if (i < 3)
			*w++ = '\x1f';
	}
	return k;
}

void
pvec_push(struct pvec *v, void *p)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->v = xreallocarray(v->v, v->cap, sizeof(*v->v));
	}
	v->v[v->n++] = p;
}

void
pvec_free(struct pvec *v)
{
	free(v->v);
	memset(v, 0, sizeof(*v));
}
