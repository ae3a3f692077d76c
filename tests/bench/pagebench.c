// SPDX-License-Identifier: GPL-2.0
/*
 * pagebench [-H] [-r ROUNDS] [-f CORPUS] [-c COMMAND] NPAGES
 *
 * The swap workload of the benchmarks (zswap, and swap on zram): NPAGES of private anonymous
 * memory filled with the pages of CORPUS (page i holds corpus page i mod N), pushed out with
 * MADV_PAGEOUT and read back by touching one byte of every page, ROUNDS times. COMMAND, if
 * given, runs through sh -c while the pages are out (untimed: to read mm_stat, or to time a
 * recompression itself). Only the madvise() call and the touching loop are timed
 * (CLOCK_MONOTONIC: guest time); every byte is checked afterwards.
 *
 * -H: large folios. The mapping starts on a 2 MiB boundary and has MADV_HUGEPAGE, so that it
 * faults in as folios of the largest transparent huge page size enabled for madvise that
 * fits (the caller enables the sizes it wants, e.g. 64 KiB alone).
 *
 * Prints one line a round:
 *   pagebench round=R pages=N out_ns=NS in_ns=NS bad_pages=B out_busy_ns=NS in_busy_ns=NS
 * out_busy_ns and in_busy_ns: the time every online CPU spent not idle during each timed
 * phase, in ns (the CPUs' count times the phase's length, less the idle and iowait time the
 * tick code accounts, read from /proc/timer_list before and after the phase; -1 when that file
 * gives no idle time, as on 7.3, which keeps it in the scheduler's cpustat). A CPU idle at
 * either reading has its current idle period left out, so the figure is exact with one CPU
 * (the reader's own) and an upper bound with several.
 * Exits 0 only if every byte of every page came back.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define PG 4096
#define PMD_BYTES (2ull << 20)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * The idle and iowait time of every CPU so far, in ns: the sum of the idle_sleeptime and
 * iowait_sleeptime lines of /proc/timer_list, and the CPUs' count in *ncpu; -1 when none.
 */
static int64_t idle_ns(int *ncpu)
{
	char line[256];
	unsigned long long v;
	int64_t sum = 0;
	int n = 0, seen = 0;
	FILE *f = fopen("/proc/timer_list", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " .idle_sleeptime : %llu nsecs", &v) == 1) {
			sum += v;
			seen = 1;
		} else if (sscanf(line, " .iowait_sleeptime : %llu nsecs", &v) == 1) {
			sum += v;
		} else if (!strncmp(line, "cpu: ", 5)) {
			n++;
		}
	}
	fclose(f);
	*ncpu = n;
	return seen && n ? sum : -1;
}

/* the CPU time of every CPU not idle between two idle_ns() readings T ns apart; -1 unknown */
static int64_t busy_ns(int64_t idle0, int64_t idle1, int ncpu, uint64_t t)
{
	if (idle0 < 0 || idle1 < 0)
		return -1;
	return (int64_t)(ncpu * t) - (idle1 - idle0);
}

static uint8_t *read_corpus(const char *path, size_t *npages)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || st.st_size < PG || st.st_size % PG) {
		fprintf(stderr, "pagebench: %s: not a file of whole pages\n", path);
		return NULL;
	}
	buf = malloc(st.st_size);
	if (!buf)
		return NULL;
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, st.st_size - got);
		if (n <= 0) {
			perror("read");
			return NULL;
		}
		got += n;
	}
	close(fd);
	*npages = st.st_size / PG;
	return buf;
}

int main(int argc, char **argv)
{
	const char *path = "/data/corpus.bin", *cmd = NULL;
	size_t ncorpus, npages, i;
	int rounds = 1, opt, r, fail = 0, huge = 0, ncpu = 0;
	uint8_t *corpus, *mem;

	while ((opt = getopt(argc, argv, "Hr:f:c:")) != -1) {
		switch (opt) {
		case 'H': huge = 1; break;
		case 'r': rounds = atoi(optarg); break;
		case 'f': path = optarg; break;
		case 'c': cmd = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	npages = strtoull(argv[optind], NULL, 0);
	corpus = read_corpus(path, &ncorpus);
	if (!corpus || !npages)
		return 2;
	if (huge) {
		/* reserve room to place the mapping on a 2 MiB boundary, keep only it */
		size_t len = npages * PG, room = len + PMD_BYTES;
		uint8_t *res = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (res == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		mem = (uint8_t *)(((uintptr_t)res + PMD_BYTES - 1) / PMD_BYTES * PMD_BYTES);
		munmap(res, room);
		mem = mmap(mem, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (mem != MAP_FAILED && madvise(mem, len, MADV_HUGEPAGE)) {
			perror("madvise(MADV_HUGEPAGE)");
			return 1;
		}
	} else {
		mem = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < npages; i++)
		memcpy(mem + i * PG, corpus + (i % ncorpus) * PG, PG);

	for (r = 1; r <= rounds; r++) {
		uint64_t t0, t1, tc, t2, bad = 0;
		int64_t i0, i1, ic, i2;
		volatile uint8_t sink = 0;

		i0 = idle_ns(&ncpu);
		t0 = now_ns();
		if (madvise(mem, npages * PG, MADV_PAGEOUT)) {
			perror("madvise(MADV_PAGEOUT)");
			return 1;
		}
		t1 = now_ns();
		i1 = idle_ns(&ncpu);
		if (cmd && system(cmd) != 0)
			fprintf(stderr, "pagebench: %s: failed\n", cmd);
		ic = idle_ns(&ncpu);
		tc = now_ns();
		for (i = 0; i < npages; i++)
			sink += ((volatile uint8_t *)mem)[i * PG];
		t2 = now_ns();
		i2 = idle_ns(&ncpu);
		(void)sink;
		for (i = 0; i < npages; i++)
			bad += memcmp(mem + i * PG, corpus + (i % ncorpus) * PG, PG) != 0;
		printf("pagebench round=%d pages=%zu out_ns=%llu in_ns=%llu bad_pages=%llu", r,
		       npages, (unsigned long long)(t1 - t0), (unsigned long long)(t2 - tc),
		       (unsigned long long)bad);
		printf(" out_busy_ns=%lld in_busy_ns=%lld\n",
		       (long long)busy_ns(i0, i1, ncpu, t1 - t0),
		       (long long)busy_ns(ic, i2, ncpu, t2 - tc));
		fail |= bad != 0;
	}
	return fail;
usage:
	fprintf(stderr, "usage: pagebench [-H] [-r ROUNDS] [-f CORPUS] [-c COMMAND] NPAGES\n");
	return 2;
}
