/* sekisho: the command-line client; everything lives in src/cli (cli.h). */
#include "cli/cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
