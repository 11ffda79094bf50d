/*
 * cli.h: commands and their options.
 *
 * Adding a command (the checklist):
 *   1. src/cmd_<name>.c defining `const struct command cmd_<name>` with its
 *      option table (struct opt, ending with OPT_END);
 *   2. a line in commands[] in src/commands.c and an extern below;
 *   3. man/btpctl-<name>.1, and the command and every option in
 *      completions/btpctl.bash, completions/_btpctl, completions/btpctl.fish
 *      and README.md (tests/docs.sh fails otherwise);
 *   4. golden cases under tests/cases/<name>-*.
 */
#ifndef BTPCTL_CLI_H
#define BTPCTL_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes (DESIGN.md). */
#define EXIT_CLEAN	0	/* nothing found, or no difference */
#define EXIT_FINDINGS	1	/* findings, or differences */
#define EXIT_USAGE	2	/* usage or configuration error */
#define EXIT_INPUT	3	/* input could not be read */
#define EXIT_INTERNAL	4

enum opt_kind {
	OPT_FLAG,	/* bool *dest */
	OPT_STRING,	/* const char **dest */
	OPT_INT,	/* long *dest */
	OPT_MULTI,	/* struct strlist *dest, repeatable */
	OPT_COUNT,	/* int *dest, each use adds one */
	OPT_END,
};

struct strlist {
	const char	**v;
	int		  n, cap;
};
void	strlist_push(struct strlist *, const char *);

struct opt {
	const char	*lng;		/* long name without "--" */
	char		 shrt;		/* short letter, or 0 */
	enum opt_kind	 kind;
	const char	*arg;		/* argument name for help, or NULL */
	const char	*help;
	void		*dest;
	const char	*values;	/* allowed values "a|b|c" for completion, or NULL */
};

/* Global options, valid for every command. */
struct cli {
	const char	*prog;
	const char	*command;	/* the command's name, for messages */
	const char	*output;	/* -o/--output; NULL when not given */
	const char	*color_arg;	/* --color=auto|always|never */
	bool		 color;		/* resolved for stdout */
	bool		 color_err;	/* resolved for stderr */
	bool		 quiet;
	int		 verbose;
	bool		 help;
	int		 jobs;		/* -j/--jobs: threads; 0 means one per core */
	bool		 offline;	/* --offline: no network use */
};

struct command {
	const char	*name;
	const char	*summary;	/* one line */
	const char	*synopsis;	/* "[options] PATH..." */
	const char	*outputs;	/* allowed -o values "text|json", or NULL */
	int		(*run)(struct cli *, int argc, char **argv);
	const struct opt *opts;		/* ends with OPT_END */
	bool		 hidden;
};

extern const struct command *const commands[];
extern const struct opt global_opts[];

const struct command	*command_find(const char *name);

/*
 * Parse argv (argv[0] is the command name) into the global options and
 * cmd's options; operands are compacted into argv[0..*nargs).  Returns 0,
 * EXIT_USAGE after printing a message (with a did-you-mean), or -1 when
 * --help was given and printed.
 */
int	cli_parse(struct cli *, const struct command *, int argc, char **argv,
	    int *nargs);
void	cli_usage(const struct command *, FILE *);
/* Check -o against cmd->outputs; prints and returns EXIT_USAGE when bad. */
int	cli_check_output(const struct cli *, const struct command *);
/* The -o value, or "text". */
const char *cli_output(const struct cli *);
bool	color_wanted(const char *arg, int fd);

/* Commands. */
extern const struct command cmd_help;
extern const struct command cmd_validate;
extern const struct command cmd_simulate;
extern const struct command cmd_lint;
extern const struct command cmd_rules;
extern const struct command cmd_lint_gen;
extern const struct command cmd_explain;
extern const struct command cmd_effective;
extern const struct command cmd_diff;

#endif
