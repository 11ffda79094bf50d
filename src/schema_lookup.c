/*
 * schema_lookup.c: finding a field of the compiled schema by its API path,
 * and naming its type the way kubectl explain does.
 */
#include <ctype.h>
#include <string.h>

#include "schema.h"
#include "util.h"

static const struct snode *
child(const struct snode *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < s->nprops; i++)
		if (strlen(s->props[i].name) == n && strncmp(s->props[i].name, name, n) == 0)
			return s->props[i].s;
	return NULL;
}

static const struct snode *
walk(const struct snode *s, const char *p)
{
	const char *e;

	while (s != NULL && *p) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			/* "[]", "[0]", "[*]", "[key]": an item or a map value */
			if ((e = strchr(p, ']')) == NULL)
				return NULL;
			s = s->items != NULL ? s->items : s->additional;
			p = e + 1;
			continue;
		}
		for (e = p; *e && *e != '.' && *e != '['; e++)
			;
		/* a field of a list's items may be named without the index */
		if (s->items != NULL && child(s, p, (size_t)(e - p)) == NULL)
			s = s->items;
		s = child(s, p, (size_t)(e - p));
		p = e;
	}
	return s;
}

const struct snode *
schema_lookup(const struct schema *sc, const char *path)
{
	const struct snode *s, *spec;

	if (sc->root == NULL)
		return NULL;
	if (*path == '\0' || strcmp(path, ".") == 0)
		return sc->root;
	if ((s = walk(sc->root, path)) != NULL)
		return s;
	spec = child(sc->root, "spec", 4);
	return spec != NULL ? walk(spec, path) : NULL;
}

static void
scalar_name(const struct snode *s, struct strbuf *sb)
{
	if (s->int_or_string)
		sb_adds(sb, "IntOrString");
	else if (s->types & ST_STRING)
		sb_adds(sb, "string");
	else if (s->types & ST_INTEGER)
		sb_adds(sb, "integer");
	else if (s->types & ST_NUMBER)
		sb_adds(sb, "number");
	else if (s->types & ST_BOOLEAN)
		sb_adds(sb, "boolean");
	else if (s->types & ST_OBJECT)
		sb_adds(sb, s->additional != NULL ? "map[string]" : "Object");
	else
		sb_adds(sb, "Object");
}

void
schema_type_name(const struct snode *s, struct strbuf *sb)
{
	sb_addc(sb, '<');
	if ((s->types & ST_ARRAY) && s->items != NULL) {
		sb_adds(sb, "[]");
		s = s->items;
	}
	if ((s->types & ST_OBJECT) && s->additional != NULL && !s->has_props) {
		sb_adds(sb, "map[string]");
		scalar_name(s->additional, sb);
	} else
		scalar_name(s, sb);
	sb_addc(sb, '>');
}
