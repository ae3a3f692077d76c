// SPDX-License-Identifier: GPL-2.0
/*
 * failnth N load MODULE.ko [PARAMS]
 * failnth N write FILE STRING
 *
 * One operation with the Nth fault-injection point of this task failed (FAILSLAB:
 * slab allocations): load a module (finit_module) or write STRING to a file (a sysfs
 * attribute, e.g. a driver's bind). The file is opened before the fault is armed, so the
 * count starts at the operation itself. Prints "RC ERRNO LEFT": the operation's return
 * value, its errno (0 on success) and what is left of the count afterwards, 0 when the
 * failure was injected. Exit 0 when that line was printed, 2 on a usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int arm(const char *n)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);

	if (fd < 0 || write(fd, n, strlen(n)) != (ssize_t)strlen(n)) {
		perror("failnth: fail-nth");
		return -1;
	}
	return fd;
}

static long left(int fd)
{
	char buf[32] = "";

	/* the read itself does not allocate from a slab that failslab watches */
	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

int main(int argc, char **argv)
{
	int fd, nth, err = 0;
	long ret;

	if (argc < 4 || (strcmp(argv[2], "load") && strcmp(argv[2], "write")) ||
	    (!strcmp(argv[2], "write") && argc != 5)) {
		fprintf(stderr, "usage: failnth N load MODULE.ko [PARAMS] | failnth N write FILE STRING\n");
		return 2;
	}
	fd = open(argv[3], !strcmp(argv[2], "load") ? O_RDONLY | O_CLOEXEC : O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[3]);
		return 2;
	}
	nth = arm(argv[1]);
	if (nth < 0)
		return 2;

	if (!strcmp(argv[2], "load"))
		ret = syscall(SYS_finit_module, fd, argc > 4 ? argv[4] : "", 0);
	else
		ret = write(fd, argv[4], strlen(argv[4]));
	if (ret < 0)
		err = errno;

	printf("%ld %d %ld\n", ret < 0 ? -1 : 0L, err, left(nth));
	return 0;
}
