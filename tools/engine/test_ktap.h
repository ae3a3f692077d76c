/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The KTAP harness of the host tests (test_engine.c, test_huffman.c): checks
 * that count failures and print the first few, diagnostics, and the case
 * loop with its command line:
 *
 *   PROGRAM [--san PATH-TO-SANITIZER-BUILD] [--seed N]
 *
 * With --san, the last case (ktap_sanitizers) runs the same program built with
 * -fsanitize=address,undefined and passes if all of its cases passed; without
 * it, that case is left out. The includer defines `static uint64_t seed` (its
 * default) before including this file.
 */
#ifndef TEST_KTAP_H
#define TEST_KTAP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define KTAP_MAX_MSGS	12	/* failed checks printed per case */

struct ktap_case {
	const char *name;
	void (*fn)(void);
};

static unsigned int case_fail, case_msgs;
static const char *san_path;

static void __attribute__((format(printf, 3, 4)))
check_fail(const char *fn, int line, const char *fmt, ...)
{
	va_list ap;

	case_fail++;
	if (case_msgs++ >= KTAP_MAX_MSGS)
		return;
	printf("# FAIL %s:%d: ", fn, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			check_fail(__func__, __LINE__, __VA_ARGS__); \
	} while (0)

#define DIAG(...) \
	do { \
		printf("# " __VA_ARGS__); \
		printf("\n"); \
		fflush(stdout); \
	} while (0)

static inline void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

/* The last case: the sanitizer build of the same program, same seed */
static inline void ktap_sanitizers(void)
{
	char cmd[4096], line[512], last[512] = "";
	FILE *f;
	int st;

	snprintf(cmd, sizeof(cmd), "%s --seed %llu 2>&1", san_path, (unsigned long long)seed);
	f = popen(cmd, "r");
	if (!f) {
		CHECK(0, "cannot run %s", san_path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		/* relay failures and sanitizer reports */
		if (!strncmp(line, "not ok", 6) || strstr(line, "runtime error") ||
		    strstr(line, "ERROR: AddressSanitizer") || strstr(line, "# FAIL"))
			printf("# san: %s\n", line);
		snprintf(last, sizeof(last), "%s", line);
	}
	st = pclose(f);
	DIAG("san: %s", last);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sanitizer build failed (status %d)", st);
}

/* Parse the command line; returns how many of the @n cases run */
static inline unsigned int ktap_args(int argc, char **argv, unsigned int n)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--san") && i + 1 < argc)
			san_path = argv[++i];
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return san_path ? n : n - 1;
}

/*
 * Run @n cases as one KTAP document (before_case(i), if given, before case
 * i); "# WHAT: P passed, F failed" at the end. Returns the exit status.
 */
static inline int ktap_run(const struct ktap_case *cases, unsigned int n, const char *what,
			   void (*before_case)(unsigned int))
{
	unsigned int pass = 0, fail = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (before_case)
			before_case(i);
		case_fail = 0;
		case_msgs = 0;
		cases[i].fn();
		if (case_fail) {
			if (case_fail > KTAP_MAX_MSGS)
				DIAG("... %u failed checks in total", case_fail);
			printf("not ok %u %s\n", i + 1, cases[i].name);
			fail++;
		} else {
			printf("ok %u %s\n", i + 1, cases[i].name);
			pass++;
		}
	}
	printf("# %s: %u passed, %u failed\n", what, pass, fail);
	return fail ? 1 : 0;
}

#endif /* TEST_KTAP_H */
