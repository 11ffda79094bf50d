/*
 * yaml-floor.c: the physical floor for reading YAML here: libyaml's bare
 * event scan of each file named, building nothing.  Prints the number of
 * events so the work cannot be optimised away.
 */
#include <stdio.h>

#include <yaml.h>

int
main(int argc, char **argv)
{
	yaml_parser_t p;
	yaml_event_t ev;
	unsigned long events = 0;
	FILE *f;
	int i, done;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return 1;
		}
		yaml_parser_initialize(&p);
		yaml_parser_set_input_file(&p, f);
		for (done = 0; !done; events++) {
			if (!yaml_parser_parse(&p, &ev)) {
				fprintf(stderr, "%s: parse error\n", argv[i]);
				return 1;
			}
			done = ev.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&p);
		fclose(f);
	}
	printf("%lu events\n", events);
	return 0;
}
