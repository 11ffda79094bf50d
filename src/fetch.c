/*
 * fetch.c: see fetch.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "diag.h"
#include "fetch.h"
#include "util.h"

#define FETCH_MAX_BYTES		(64L * 1024 * 1024)
#define FETCH_CONNECT_SECS	10L
#define FETCH_TOTAL_SECS	60L

struct sink {
	struct strbuf	sb;
	int		too_big;
};

static size_t
on_data(char *p, size_t sz, size_t n, void *ud)
{
	struct sink *s = ud;

	if (s->sb.len + sz * n > (size_t)FETCH_MAX_BYTES) {
		s->too_big = 1;
		return 0;
	}
	sb_add(&s->sb, p, sz * n);
	return sz * n;
}

int
fetch_url(const char *url, char **data, size_t *len, struct diags *d)
{
	CURL *c;
	CURLcode rc;
	struct sink s;
	long status = 0;
	char errbuf[CURL_ERROR_SIZE];

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		diag_add_file(d, SEV_ERROR, "io", url, "cannot initialise libcurl");
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		diag_add_file(d, SEV_ERROR, "io", url, "cannot initialise libcurl");
		return -1;
	}
	sb_init(&s.sb);
	s.too_big = 0;
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, FETCH_CONNECT_SECS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, FETCH_TOTAL_SECS);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE, FETCH_MAX_BYTES);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "btpctl/" BTPCTL_VERSION);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		diag_add_file(d, SEV_ERROR, "io", url, "response larger than %ld bytes",
		    FETCH_MAX_BYTES);
		sb_release(&s.sb);
		return -1;
	}
	if (rc != CURLE_OK) {
		diag_add_file(d, SEV_ERROR, "io", url, "cannot fetch: %s",
		    errbuf[0] ? errbuf : curl_easy_strerror(rc));
		sb_release(&s.sb);
		return -1;
	}
	if (status >= 400) {
		diag_add_file(d, SEV_ERROR, "io", url, "cannot fetch: HTTP status %ld",
		    status);
		sb_release(&s.sb);
		return -1;
	}
	*len = s.sb.len;
	*data = sb_detach(&s.sb);
	return 0;
}
