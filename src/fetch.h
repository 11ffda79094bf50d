/*
 * fetch.h: http(s) inputs and CRDs through libcurl.  TLS verification on,
 * redirects only to http(s) (at most 5), a 10 s connect and 60 s total
 * timeout, a 64 MiB size cap, and a content-addressed cache.
 *
 * The cache lives in $XDG_CACHE_HOME/btpctl (else ~/.cache/btpctl):
 * blobs/<XXH3-128 of the bytes> holds what a URL answered, and
 * urls/<XXH3-128 of the URL> names the blob of each URL's last answer.  A
 * blob whose bytes no longer hash to its name is ignored.  Online, a URL
 * is always fetched afresh (and the cache updated); when the fetch fails
 * the cached copy is used with a warning.  Offline, only the cache is
 * read.
 */
#ifndef BTPCTL_FETCH_H
#define BTPCTL_FETCH_H

#include <stdbool.h>
#include <stddef.h>

struct diags;

struct fetch_opts {
	bool		 offline;	/* read the cache only */
	const char	*cache_dir;	/* NULL: the default; "" disables the cache */
};

/*
 * Fetch url; on success *data (heap, NUL-terminated) and *len are set and
 * 0 is returned.  On failure an error diagnostic (code "io") is recorded
 * and -1 returned.  fetch_url() is fetch_url_opts() with the defaults
 * (online, default cache).
 */
int	fetch_url(const char *url, char **data, size_t *len, struct diags *);
int	fetch_url_opts(const char *url, const struct fetch_opts *, char **data,
	    size_t *len, struct diags *);

/* The default cache directory (heap), or NULL when there is no home. */
char	*fetch_cache_dir(void);

#endif
