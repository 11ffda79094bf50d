/*
 * source.c: see source.h.
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

struct source *
source_new(const char *name, char *data, size_t len, int owned)
{
	struct source *s = xcalloc(1, sizeof(*s));
	size_t i, cap = 64;

	s->name = xstrdup(name);
	s->data = data;
	s->len = len;
	s->owned = owned ? 1 : 0;
	s->lines = xmalloc(cap * sizeof(size_t));
	s->lines[s->nlines++] = 0;
	for (i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (s->nlines == cap) {
			cap *= 2;
			s->lines = xreallocarray(s->lines, cap, sizeof(size_t));
		}
		s->lines[s->nlines++] = i + 1;
	}
	return s;
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	if (s->owned)
		free(s->data);
	free(s->lines);
	free(s->name);
	free(s);
}

const char *
source_line(const struct source *s, int line, size_t *n)
{
	size_t start, end;

	if (line < 1 || (size_t)line > s->nlines) {
		*n = 0;
		return "";
	}
	start = s->lines[line - 1];
	end = (size_t)line < s->nlines ? s->lines[line] : s->len;
	while (end > start && (s->data[end - 1] == '\n' || s->data[end - 1] == '\r'))
		end--;
	*n = end - start;
	return s->data + start;
}
