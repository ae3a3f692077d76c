// SPDX-License-Identifier: GPL-2.0
/*
 * pagebench [-r ROUNDS] [-f CORPUS] [-c COMMAND] NPAGES
 *
 * The swap workload of the benchmarks (zswap, and swap on zram): NPAGES of private anonymous
 * memory filled with the pages of CORPUS (page i holds corpus page i mod N), pushed out with
 * MADV_PAGEOUT and read back by touching one byte of every page, ROUNDS times. COMMAND, if
 * given, runs through sh -c while the pages are out (untimed: to read mm_stat, or to time a
 * recompression itself). Only the madvise() call and the touching loop are timed
 * (CLOCK_MONOTONIC: guest time); every byte is checked afterwards.
 *
 * Prints one line a round:
 *   pagebench round=R pages=N out_ns=NS in_ns=NS bad_pages=B
 * and exits 0 only if every byte of every page came back.
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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
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
	int rounds = 1, opt, r, fail = 0;
	uint8_t *corpus, *mem;

	while ((opt = getopt(argc, argv, "r:f:c:")) != -1) {
		switch (opt) {
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
	mem = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < npages; i++)
		memcpy(mem + i * PG, corpus + (i % ncorpus) * PG, PG);

	for (r = 1; r <= rounds; r++) {
		uint64_t t0, t1, tc, t2, bad = 0;
		volatile uint8_t sink = 0;

		t0 = now_ns();
		if (madvise(mem, npages * PG, MADV_PAGEOUT)) {
			perror("madvise(MADV_PAGEOUT)");
			return 1;
		}
		t1 = now_ns();
		if (cmd && system(cmd) != 0)
			fprintf(stderr, "pagebench: %s: failed\n", cmd);
		tc = now_ns();
		for (i = 0; i < npages; i++)
			sink += ((volatile uint8_t *)mem)[i * PG];
		t2 = now_ns();
		(void)sink;
		for (i = 0; i < npages; i++)
			bad += memcmp(mem + i * PG, corpus + (i % ncorpus) * PG, PG) != 0;
		printf("pagebench round=%d pages=%zu out_ns=%llu in_ns=%llu bad_pages=%llu\n", r,
		       npages, (unsigned long long)(t1 - t0), (unsigned long long)(t2 - tc),
		       (unsigned long long)bad);
		fail |= bad != 0;
	}
	return fail;
usage:
	fprintf(stderr, "usage: pagebench [-r ROUNDS] [-f CORPUS] [-c COMMAND] NPAGES\n");
	return 2;
}
