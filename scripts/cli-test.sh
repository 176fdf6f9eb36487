#!/bin/sh
# Runs the CLI black-box tests (tests/cli/cli_test.sh) against build/.
# Last line: "cli: N passed, N failed"; non-zero exit when any failed.
cd "$(dirname "$0")/.." || exit 1
exec sh tests/cli/cli_test.sh "$@"
