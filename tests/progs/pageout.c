// SPDX-License-Identifier: GPL-2.0
/*
 * pageout [-s] [-H] [-f] [-r ROUNDS] [-x SEED] [-c COMMAND] NPAGES
 *
 * Fill NPAGES of anonymous memory (-s: shared, i.e. shmem) with content of mixed
 * compressibility that names its page, push them out with MADV_PAGEOUT, run COMMAND if given
 * (while the pages are out: to read zswap's figures), read them back and check every byte;
 * repeat ROUNDS times. Prints the figures and exits 0 only if every byte of
 * every page came back.
 *
 * -H: large folios. The mapping starts 1 MiB past a 2 MiB boundary and has MADV_HUGEPAGE, so
 * that with the transparent huge page sizes enabled for madvise its first MiB and its tail
 * fault in as mTHP (64 KiB and the like) and the 2 MiB ranges between as PMD-sized folios.
 * -f: print the folio sizes the pages are in (/proc/self/pagemap and /proc/kpageflags, as
 * root) after the fill and after each read back: "folios fill: o0=N o4=N o9=N", N the pages
 * in folios of 2^order pages.
 */
#include <fcntl.h>
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
#define PMD_BYTES (2ull << 20)
/* /proc/kpageflags bits (Documentation/admin-guide/mm/pagemap.rst) */
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define PM_PRESENT (1ull << 63)
#define PM_PFN_MASK ((1ull << 55) - 1)

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

/*
 * Print how many of the NPAGES pages at MEM are in folios of each order: a folio is a page
 * whose kpageflags say compound head, followed by the pages mapped at the next PFNs that say
 * compound tail. A page not present counts as order 0 ("absent" also counts it).
 */
static void folios(const char *when, uint8_t *mem, uint64_t npages)
{
	uint64_t pages[16] = { 0 }, absent = 0, i = 0, pm, fl, pfn;
	int pmfd = open("/proc/self/pagemap", O_RDONLY);
	int kfd = open("/proc/kpageflags", O_RDONLY);
	int o;

	if (pmfd < 0 || kfd < 0) {
		perror("pagemap/kpageflags");
		goto out;
	}
	while (i < npages) {
		uint64_t n = 1, j;

		if (pread(pmfd, &pm, 8, ((uintptr_t)mem / PG + i) * 8) != 8)
			break;
		pfn = pm & PM_PFN_MASK;
		if (!(pm & PM_PRESENT) || !pfn) {
			absent++;
			pages[0]++;
			i++;
			continue;
		}
		if (pread(kfd, &fl, 8, pfn * 8) != 8)
			break;
		if (fl & (1ull << KPF_COMPOUND_HEAD)) {
			for (j = i + 1; j < npages; j++, n++) {
				uint64_t pm2, fl2;

				if (pread(pmfd, &pm2, 8, ((uintptr_t)mem / PG + j) * 8) != 8 ||
				    !(pm2 & PM_PRESENT) || (pm2 & PM_PFN_MASK) != pfn + n ||
				    pread(kfd, &fl2, 8, (pfn + n) * 8) != 8 ||
				    !(fl2 & (1ull << KPF_COMPOUND_TAIL)))
					break;
			}
		}
		for (o = 0; o < 15 && (2ull << o) <= n; o++)
			;
		pages[o] += n;
		i += n;
	}
	printf("folios %s:", when);
	for (o = 0; o < 16; o++)
		if (pages[o])
			printf(" o%d=%llu", o, (unsigned long long)pages[o]);
	printf(" absent=%llu\n", (unsigned long long)absent);
out:
	if (pmfd >= 0)
		close(pmfd);
	if (kfd >= 0)
		close(kfd);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, npages, i, bad = 0, badpages = 0;
	int shared = 0, rounds = 1, huge = 0, show = 0, opt, r;
	const char *cmd = NULL;
	uint8_t *mem, ref[PG];

	while ((opt = getopt(argc, argv, "sHfr:x:c:")) != -1) {
		switch (opt) {
		case 's': shared = 1; break;
		case 'H': huge = 1; break;
		case 'f': show = 1; break;
		case 'r': rounds = atoi(optarg); break;
		case 'x': seed = strtoull(optarg, NULL, 0); break;
		case 'c': cmd = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	npages = strtoull(argv[optind], NULL, 0);
	if (huge) {
		/* reserve room to place the mapping 1 MiB past a 2 MiB boundary, keep only it */
		uint64_t len = npages * PG, room = len + 2 * PMD_BYTES;
		uint8_t *r = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (r == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		mem = (uint8_t *)(((uintptr_t)r + PMD_BYTES - 1) / PMD_BYTES * PMD_BYTES +
				  PMD_BYTES / 2);
		munmap(r, room);
		mem = mmap(mem, len, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) |
			   MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (mem != MAP_FAILED && madvise(mem, len, MADV_HUGEPAGE)) {
			perror("madvise(MADV_HUGEPAGE)");
			return 1;
		}
	} else {
		mem = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
			   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	}
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < npages; i++)
		fill(mem + i * PG, i, seed);
	if (show)
		folios("fill", mem, npages);
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
		if (show)
			folios("back", mem, npages);
	}
	printf("pageout: pages=%llu rounds=%d bad_pages=%llu bad_bytes=%llu seed=%llu\n",
	       (unsigned long long)npages, rounds, (unsigned long long)badpages,
	       (unsigned long long)bad, (unsigned long long)seed);
	return badpages ? 1 : 0;
usage:
	fprintf(stderr,
		"usage: pageout [-s] [-H] [-f] [-r ROUNDS] [-x SEED] [-c COMMAND] NPAGES\n");
	return 2;
}
