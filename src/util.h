/*
 * util.h: allocation that cannot fail, a growable string buffer, and small
 * string helpers shared by every module.
 */
#ifndef BTPCTL_UTIL_H
#define BTPCTL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Out of memory or a broken invariant: print and abort (exit code 4). */
_Noreturn void	 fatal(const char *, ...) __attribute__((format(printf, 1, 2)));

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grow *p (an array of n elements of size sz) so index need-1 fits. */
void	*xreallocarray(void *, size_t n, size_t sz);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * A growable, always NUL-terminated byte buffer.  buf is never NULL after
 * sb_init().  sb_detach() hands the bytes to the caller.
 */
struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};
void	 sb_init(struct strbuf *);
void	 sb_release(struct strbuf *);
void	 sb_reset(struct strbuf *);
void	 sb_grow(struct strbuf *, size_t extra);
void	 sb_add(struct strbuf *, const void *, size_t);
void	 sb_adds(struct strbuf *, const char *);
void	 sb_addc(struct strbuf *, char);
void	 sb_printf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 sb_vprintf(struct strbuf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
char	*sb_detach(struct strbuf *);

/* Levenshtein distance, optionally ignoring ASCII case. */
size_t	 edit_distance(const char *, const char *, bool icase);
/*
 * The candidate closest to word, or NULL when none is within a distance
 * that a typo explains (a third of the word's length, at least 1, at most 3)
 * and no candidate equals it ignoring case.  candidates ends with NULL.
 */
const char *did_you_mean(const char *word, const char *const *candidates);

bool	 str_has_prefix(const char *, const char *);
bool	 str_has_suffix(const char *, const char *);
/* Is s one of the strings of the NULL-terminated list? */
bool	 str_in_list(const char *s, const char *const *list);

/* Read a whole file (or stdin for "-"); returns 0, or errno. */
int	 read_file(const char *path, char **data, size_t *len);

#endif
