// SPDX-License-Identifier: GPL-2.0
/*
 * pageout [-s] [-r ROUNDS] [-x SEED] [-c COMMAND] NPAGES
 *
 * Fill NPAGES of anonymous memory (-s: shared, i.e. shmem) with content of mixed
 * compressibility that names its page, push them out with MADV_PAGEOUT, run COMMAND if given
 * (while the pages are out: to read zswap's figures), read them back and check every byte;
 * repeat ROUNDS times. Prints the figures and exits 0 only if every byte of
 * every page came back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define PG 4096

static const char *const words[] = {
	"the ", "device ", "queue ", "compress ", "page ", "swap ", "memory ", "of ",
	"descriptor ", "and ", "kernel ", "zswap ", "work ", "in ", "data ", "a ",
};

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Deterministic page content: a header naming the page, then one of five kinds of body. */
static void fill(uint8_t *p, uint64_t idx, uint64_t seed)
{
	uint64_t s = (idx + 1) * 0x9e3779b97f4a7c15ull ^ seed;
	size_t off = 16, i;

	memcpy(p, &idx, 8);
	memcpy(p + 8, &seed, 8);
	switch (idx % 5) {
	case 0: /* text */
		while (off < PG) {
			const char *w = words[next(&s) % 16];
			size_t l = strlen(w);

			if (off + l > PG)
				l = PG - off;
			memcpy(p + off, w, l);
			off += l;
		}
		break;
	case 1: /* small integers, like tables and structs */
		for (i = off; i < PG; i += 4) {
			uint32_t v = next(&s) % 512;

			memcpy(p + i, &v, 4);
		}
		break;
	case 2: /* mostly zero with a few values */
		memset(p + off, 0, PG - off);
		for (i = 0; i < 32; i++)
			p[16 + next(&s) % (PG - 16)] = (uint8_t)next(&s);
		break;
	case 3: /* random: incompressible */
		for (i = off; i < PG; i++)
			p[i] = (uint8_t)next(&s);
		break;
	default: /* a repeated record */
		for (i = off; i < PG; i++)
			p[i] = (uint8_t)("record:0123456789abcdef;"[(i - off) % 24] + (idx & 1));
		break;
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, npages, i, bad = 0, badpages = 0;
	int shared = 0, rounds = 1, opt, r;
	const char *cmd = NULL;
	uint8_t *mem, ref[PG];

	while ((opt = getopt(argc, argv, "sr:x:c:")) != -1) {
		switch (opt) {
		case 's': shared = 1; break;
		case 'r': rounds = atoi(optarg); break;
		case 'x': seed = strtoull(optarg, NULL, 0); break;
		case 'c': cmd = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	npages = strtoull(argv[optind], NULL, 0);
	mem = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < npages; i++)
		fill(mem + i * PG, i, seed);
	for (r = 0; r < rounds; r++) {
		if (madvise(mem, npages * PG, MADV_PAGEOUT)) {
			perror("madvise(MADV_PAGEOUT)");
			return 1;
		}
		if (cmd && system(cmd) == -1)
			perror("system");
		for (i = 0; i < npages; i++) {
			fill(ref, i, seed);
			if (memcmp(mem + i * PG, ref, PG)) {
				size_t j;

				badpages++;
				for (j = 0; j < PG; j++)
					bad += mem[i * PG + j] != ref[j];
				if (badpages <= 3)
					printf("# page %llu differs\n", (unsigned long long)i);
			}
		}
	}
	printf("pageout: pages=%llu rounds=%d bad_pages=%llu bad_bytes=%llu seed=%llu\n",
	       (unsigned long long)npages, rounds, (unsigned long long)badpages,
	       (unsigned long long)bad, (unsigned long long)seed);
	return badpages ? 1 : 0;
usage:
	fprintf(stderr, "usage: pageout [-s] [-r ROUNDS] [-x SEED] [-c COMMAND] NPAGES\n");
	return 2;
}
