/*
 * source.h: the bytes of one input (a file, stdin, a URL or an embedded
 * document) and its line table, so that any byte offset maps to a line and
 * column and any line can be shown under a diagnostic.
 *
 * The line table is built on first use (source_line, source_lines,
 * source_locate), under a lock, so that a big input that never needs it
 * does not pay for it; read `lines` directly only after one of those calls.
 * A source may be memory-mapped (source_map): its pages can then be given
 * back with source_drop() once parsed, and are read again on demand.
 */
#ifndef BTPCTL_SOURCE_H
#define BTPCTL_SOURCE_H

#include <stddef.h>

struct source {
	char		*name;		/* as the user spelled it; "<stdin>" for - */
	char		*data;		/* the bytes, NUL-terminated */
	size_t		 len;
	size_t		*lines;		/* byte offset where each line starts (lazy) */
	size_t		 nlines;
	unsigned	 owned:1;	/* data is ours to free */
	unsigned	 mapped:1;	/* data is a read-only file mapping */
	size_t		 maplen;	/* length of the mapping */
};

/* Wrap bytes (taken over when owned); the line table comes on first use. */
struct source	*source_new(const char *name, char *data, size_t len, int owned);
/*
 * Map the regular file at path read-only; falls back to reading it when
 * it cannot be mapped with a terminating NUL.  Returns 0 and sets *out, or
 * an errno value.
 */
int		 source_map(const char *path, struct source **out);
/*
 * The rest of open file fd as a source called name: a big regular file is
 * mapped, a big pipe or device is spooled to an unlinked temporary file
 * that is mapped, so that neither stays in memory.  Reading stops after a
 * block with a NUL byte (binary input, such as /dev/zero: the loader
 * reports it).  Returns 0, or an errno value.  source_stdin() is
 * source_fd(0, "<stdin>").
 */
int		 source_fd(int fd, const char *name, struct source **out);
int		 source_stdin(struct source **out);
void		 source_free(struct source *);
/* Build the line table if needed (thread-safe); returns s->lines. */
const size_t	*source_lines(const struct source *);
/* Text of line (1-based) without its newline; *n gets its length. */
const char	*source_line(const struct source *, int line, size_t *n);
/*
 * Line (1-based) and column (1-based, in characters: UTF-8 continuation
 * bytes do not count) of byte offset off.
 */
void		 source_locate(const struct source *, size_t off, int *line, int *col);
/*
 * Hint that bytes [off, off+len) will not be read again soon: a mapped
 * source returns the whole pages in that range to the kernel (they are
 * read back from the file if touched again).  No-op otherwise.
 */
void		 source_drop(const struct source *, size_t off, size_t len);

#endif
