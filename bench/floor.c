/*
 * floor.c: the physical floor for btpctl's loader: a bare, single-threaded
 * libyaml event scan of a file (events parsed and deleted, nothing built).
 * Prints the wall seconds, the CPU seconds and the number of events.
 *
 *   floor FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <yaml.h>

int
main(int argc, char **argv)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct timespec t0, t1, c0, c1;
	unsigned long events = 0;
	FILE *f;
	int done = 0;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "floor: %s at line %lu\n", p.problem,
			    (unsigned long)p.problem_mark.line + 1);
			return 1;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		events++;
	}
	yaml_parser_delete(&p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	fclose(f);
	printf("%.3f %.3f %lu\n", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, (double)(c1.tv_sec - c0.tv_sec) +
	    (double)(c1.tv_nsec - c0.tv_nsec) / 1e9, events);
	return 0;
}
