// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the kernel selftests we build (tools/build.mk, target kselftest): stdout is
 * line buffered before main() runs, as ksft_print_header() would make it. test_zswap's main()
 * never calls that, and its cg_run() children end with exit(), which flushes the copy of the
 * parent's stdout buffer they were forked with: into a pipe or a file, every result line not
 * yet flushed at a fork would be printed again by the child.
 */
#include <stdio.h>

static void __attribute__((constructor)) ksft_line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}
