/*
 * source.c: see source.h.
 *
 * The line table is computed lazily under one process-wide lock: the
 * pointer is published with release semantics and read with acquire, so
 * worker threads may ask for it concurrently.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "util.h"

/* Files smaller than this are read, not mapped. */
#define SOURCE_MAP_MIN	(1024 * 1024)
/* Standard input beyond this goes to a temporary file, which is mapped. */
#define SOURCE_SPOOL_MIN	(8u * 1024 * 1024)

static pthread_mutex_t lines_lock = PTHREAD_MUTEX_INITIALIZER;

struct source *
source_new(const char *name, char *data, size_t len, int owned)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(name);
	s->data = data;
	s->len = len;
	s->owned = owned ? 1 : 0;
	return s;
}

int
source_map(const char *path, struct source **out)
{
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	size_t len;
	void *p;
	int fd, err;
	char *data;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	if (fstat(fd, &st) != 0) {
		err = errno;
		close(fd);
		return err;
	}
	len = (size_t)st.st_size;
	/* the byte after the end must be a NUL of the last page's zero fill */
	if (!S_ISREG(st.st_mode) || len < SOURCE_MAP_MIN || page <= 0 ||
	    len % (size_t)page == 0) {
		close(fd);
		if ((err = read_file(path, &data, &len)) != 0)
			return err;
		*out = source_new(path, data, len, 1);
		return 0;
	}
	p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	err = errno;
	close(fd);
	if (p == MAP_FAILED)
		return err;
	*out = source_new(path, p, len, 0);
	(*out)->mapped = 1;
	(*out)->maplen = len;
	return 0;
}

/* Map len bytes of fd read-only, plus the NUL at len (inside the last page). */
static int
map_fd(int fd, size_t len, const char *name, struct source **out)
{
	void *p = mmap(NULL, len + 1, PROT_READ, MAP_PRIVATE, fd, 0);

	if (p == MAP_FAILED)
		return errno;
	*out = source_new(name, p, len, 0);
	(*out)->mapped = 1;
	(*out)->maplen = len + 1;
	return 0;
}

int
source_fd(int fd, const char *name, struct source **out)
{
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	char buf[65536], *data;
	struct strbuf sb;
	FILE *spool = NULL;
	size_t len;
	ssize_t n;
	int err = 0;
	bool stop = false;

	/* a regular file, unread so far: map it as it is */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && page > 0 &&
	    (size_t)st.st_size >= SOURCE_MAP_MIN &&
	    (size_t)st.st_size % (size_t)page != 0 && lseek(fd, 0, SEEK_CUR) == 0 &&
	    map_fd(fd, (size_t)st.st_size, name, out) == 0)
		return 0;
	sb_init(&sb);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		/* a NUL byte: binary (the loader says so); do not read on */
		if (memchr(buf, '\0', (size_t)n) != NULL)
			stop = true;
		if (spool == NULL && sb.len + (size_t)n > SOURCE_SPOOL_MIN) {
			/* big: continue on disk rather than in memory */
			if ((spool = tmpfile()) != NULL &&
			    fwrite(sb.buf, 1, sb.len, spool) != sb.len)
				err = errno ? errno : EIO;
			if (spool != NULL)
				sb_release(&sb);
			sb_init(&sb);
		}
		if (spool != NULL) {
			if (fwrite(buf, 1, (size_t)n, spool) != (size_t)n) {
				err = errno ? errno : EIO;
				break;
			}
		} else
			sb_add(&sb, buf, (size_t)n);
		if (stop)
			break;
	}
	if (spool == NULL) {
		if (err != 0) {
			sb_release(&sb);
			return err;
		}
		len = sb.len;
		data = sb_detach(&sb);
		*out = source_new(name, data, len, 1);
		return 0;
	}
	sb_release(&sb);
	if (err == 0 && fflush(spool) != 0)
		err = errno;
	if (err == 0) {
		len = (size_t)ftello(spool);
		/* one more byte of zero: the terminating NUL of the mapping */
		if (ftruncate(fileno(spool), (off_t)len + 1) != 0)
			err = errno;
		else
			err = map_fd(fileno(spool), len, name, out);
	}
	fclose(spool);
	return err;
}

int
source_stdin(struct source **out)
{
	return source_fd(0, "<stdin>", out);
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	if (s->mapped)
		munmap(s->data, s->maplen);
	else if (s->owned)
		free(s->data);
	free(s->lines);
	free(s->name);
	free(s);
}

const size_t *
source_lines(const struct source *cs)
{
	struct source *s = (struct source *)(uintptr_t)cs;
	size_t *lines, n = 0, cap = 64;
	const char *p, *end, *nl;

	lines = __atomic_load_n(&s->lines, __ATOMIC_ACQUIRE);
	if (lines != NULL)
		return lines;
	pthread_mutex_lock(&lines_lock);
	if (s->lines == NULL) {
		lines = xmalloc(cap * sizeof(size_t));
		lines[n++] = 0;
		p = s->data;
		end = s->data + s->len;
		while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (n == cap) {
				cap *= 2;
				lines = xreallocarray(lines, cap, sizeof(size_t));
			}
			lines[n++] = (size_t)(nl - s->data) + 1;
			p = nl + 1;
		}
		s->nlines = n;
		__atomic_store_n(&s->lines, lines, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&lines_lock);
	return s->lines;
}

const char *
source_line(const struct source *s, int line, size_t *n)
{
	const size_t *lines = source_lines(s);
	size_t start, end;

	if (line < 1 || (size_t)line > s->nlines) {
		*n = 0;
		return "";
	}
	start = lines[line - 1];
	end = (size_t)line < s->nlines ? lines[line] : s->len;
	while (end > start && (s->data[end - 1] == '\n' || s->data[end - 1] == '\r'))
		end--;
	*n = end - start;
	return s->data + start;
}

void
source_locate(const struct source *s, size_t off, int *line, int *col)
{
	const size_t *lines = source_lines(s);
	size_t lo = 0, hi = s->nlines, i;
	int c = 1;

	if (off > s->len)
		off = s->len;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	for (i = lines[lo]; i < off; i++)
		if (((unsigned char)s->data[i] & 0xc0) != 0x80)
			c++;
	*line = (int)lo + 1;
	*col = c;
}

void
source_drop(const struct source *s, size_t off, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t b, e;

	if (!s->mapped || page <= 0 || off >= s->len)
		return;
	if (len > s->len - off)
		len = s->len - off;
	b = ((uintptr_t)s->data + off + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
	e = ((uintptr_t)s->data + off + len) & ~(uintptr_t)(page - 1);
	if (e > b)
		madvise((void *)b, e - b, MADV_DONTNEED);
}
