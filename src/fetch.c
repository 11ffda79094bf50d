/*
 * fetch.c: see fetch.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <xxhash.h>

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

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void
init_curl(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

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

/* ---- the cache ---- */

char *
fetch_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x != NULL && x[0] == '/')
		return xasprintf("%s/btpctl", x);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.cache/btpctl", home);
	return NULL;
}

static void
hash_hex(const void *p, size_t n, char out[33])
{
	XXH128_hash_t h = XXH3_128bits(p, n);

	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
	    (unsigned long long)h.low64);
}

static int
mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* Write data to path through a temporary file and a rename. */
static int
write_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	FILE *f;
	int rc = -1;

	if ((f = fopen(tmp, "wb")) != NULL) {
		if (fwrite(data, 1, len, f) == len && fclose(f) == 0)
			rc = rename(tmp, path);
		else
			fclose(f);
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static void
cache_store(const char *dir, const char *url, const char *data, size_t len)
{
	char uh[33], bh[33], *bdir, *udir, *bpath, *upath, *rec;

	hash_hex(url, strlen(url), uh);
	hash_hex(data, len, bh);
	bdir = xasprintf("%s/blobs", dir);
	udir = xasprintf("%s/urls", dir);
	bpath = xasprintf("%s/%s", bdir, bh);
	upath = xasprintf("%s/%s", udir, uh);
	rec = xasprintf("%s\n%s\n", bh, url);
	if (mkdirs(bdir) == 0 && mkdirs(udir) == 0 &&
	    write_atomic(bpath, data, len) == 0)
		write_atomic(upath, rec, strlen(rec));
	free(bdir);
	free(udir);
	free(bpath);
	free(upath);
	free(rec);
}

/* The cached answer for url, verified; 0 on a hit. */
static int
cache_load(const char *dir, const char *url, char **data, size_t *len, time_t *when)
{
	char uh[33], bh[33], *upath, *bpath = NULL, *rec = NULL, *blob = NULL, *nl;
	size_t reclen, blen;
	struct stat st;
	int rc = -1;

	hash_hex(url, strlen(url), uh);
	upath = xasprintf("%s/urls/%s", dir, uh);
	if (read_file(upath, &rec, &reclen) != 0)
		goto out;
	/* the record names the blob, then the URL (hash collisions) */
	if ((nl = strchr(rec, '\n')) == NULL || (size_t)(nl - rec) != 32 ||
	    strncmp(nl + 1, url, strlen(url)) != 0 || nl[1 + strlen(url)] != '\n')
		goto out;
	*nl = '\0';
	bpath = xasprintf("%s/blobs/%s", dir, rec);
	if (read_file(bpath, &blob, &blen) != 0)
		goto out;
	hash_hex(blob, blen, bh);
	if (strcmp(bh, rec) != 0)
		goto out;		/* damaged: not what was stored */
	if (stat(bpath, &st) == 0)
		*when = st.st_mtime;
	*data = blob;
	*len = blen;
	blob = NULL;
	rc = 0;
out:
	free(upath);
	free(bpath);
	free(rec);
	free(blob);
	return rc;
}

/* ---- fetching ---- */

/* Fetch url into *data; 0, or -1 with a message in err. */
static int
http_get(const char *url, char **data, size_t *len, char *err, size_t errcap)
{
	CURL *c;
	CURLcode rc;
	struct sink s;
	long status = 0;
	char errbuf[CURL_ERROR_SIZE];

	pthread_once(&curl_once, init_curl);
	if (curl_init_rc != CURLE_OK || (c = curl_easy_init()) == NULL) {
		snprintf(err, errcap, "cannot initialise libcurl");
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
	if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, errcap, "response larger than %ld bytes", FETCH_MAX_BYTES);
	else if (rc != CURLE_OK)
		snprintf(err, errcap, "cannot fetch: %s",
		    errbuf[0] ? errbuf : curl_easy_strerror(rc));
	else if (status < 200 || status > 299)
		snprintf(err, errcap, "cannot fetch: HTTP status %ld", status);
	else {
		*len = s.sb.len;
		*data = sb_detach(&s.sb);
		return 0;
	}
	sb_release(&s.sb);
	return -1;
}

int
fetch_url_opts(const char *url, const struct fetch_opts *o, char **data,
    size_t *len, struct diags *d)
{
	char err[CURL_ERROR_SIZE + 64], *dir, when_s[32];
	time_t when = 0;
	struct tm tm;
	int rc = -1;

	if (o->cache_dir != NULL)
		dir = o->cache_dir[0] != '\0' ? xstrdup(o->cache_dir) : NULL;
	else
		dir = fetch_cache_dir();
	if (o->offline) {
		if (dir != NULL && cache_load(dir, url, data, len, &when) == 0)
			rc = 0;
		else
			diag_add_file(d, SEV_ERROR, "io", url,
			    "not in the cache, and --offline forbids fetching it");
		free(dir);
		return rc;
	}
	if (http_get(url, data, len, err, sizeof(err)) == 0) {
		if (dir != NULL)
			cache_store(dir, url, *data, *len);
		rc = 0;
	} else if (dir != NULL && cache_load(dir, url, data, len, &when) == 0) {
		gmtime_r(&when, &tm);
		strftime(when_s, sizeof(when_s), "%Y-%m-%dT%H:%M:%SZ", &tm);
		diag_add_file(d, SEV_WARNING, "io", url, "%s; using the copy cached at %s",
		    err, when_s);
		rc = 0;
	} else
		diag_add_file(d, SEV_ERROR, "io", url, "%s", err);
	free(dir);
	return rc;
}

int
fetch_url(const char *url, char **data, size_t *len, struct diags *d)
{
	struct fetch_opts o;

	memset(&o, 0, sizeof(o));
	return fetch_url_opts(url, &o, data, len, d);
}
