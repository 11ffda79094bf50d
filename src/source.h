/*
 * source.h: the bytes of one input (a file, stdin, a URL or an embedded
 * document) and its line table, so that any byte offset maps to a line and
 * column and any line can be shown under a diagnostic.
 */
#ifndef BTPCTL_SOURCE_H
#define BTPCTL_SOURCE_H

#include <stddef.h>

struct source {
	char		*name;		/* as the user spelled it; "<stdin>" for - */
	char		*data;		/* the bytes, NUL-terminated */
	size_t		 len;
	size_t		*lines;		/* byte offset where each line starts */
	size_t		 nlines;
	unsigned	 owned:1;	/* data is ours to free */
};

/* Wrap bytes (taken over when owned) and build the line table. */
struct source	*source_new(const char *name, char *data, size_t len, int owned);
void		 source_free(struct source *);
/* Text of line (1-based) without its newline; *n gets its length. */
const char	*source_line(const struct source *, int line, size_t *n);

#endif
