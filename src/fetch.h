/*
 * fetch.h: http(s) inputs and CRDs through libcurl.  TLS verification on,
 * redirects only to http(s), connect and total timeouts, a size cap, and a
 * content-addressed cache under $XDG_CACHE_HOME/btpctl.
 */
#ifndef BTPCTL_FETCH_H
#define BTPCTL_FETCH_H

#include <stddef.h>

struct diags;

/*
 * Fetch url; on success *data (heap, NUL-terminated) and *len are set and
 * 0 is returned.  On failure an error diagnostic (code "io") is recorded
 * and -1 returned.
 */
int	fetch_url(const char *url, char **data, size_t *len, struct diags *);

#endif
