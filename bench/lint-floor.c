/*
 * lint-floor.c: the floor lint is measured against -- a bare,
 * single-threaded libyaml event scan of FILE (no tree, no checks).
 * Prints the wall time in seconds.
 *
 *   lint-floor FILE
 */
#include <stdio.h>
#include <time.h>

#include <yaml.h>

int
main(int argc, char **argv)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct timespec a, b;
	FILE *f;
	int done = 0;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: lint-floor FILE\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "lint-floor: parse error\n");
			return 1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
