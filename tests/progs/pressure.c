// SPDX-License-Identifier: GPL-2.0
/*
 * pressure [-j JOBS] [-p PASSES] [-x SEED] [-t SECONDS] MIB
 *
 * Memory pressure with every page checked. JOBS processes (default 2) share MIB MiB of
 * anonymous memory. Each fills its pages with content that names the page, the pass and the
 * seed, of mixed compressibility (text, small integers, mostly zero, random, repeated
 * records); then PASSES times (default 2) walks them - forwards, backwards, with a stride -
 * checking every byte of each page against what the previous pass wrote and writing the next
 * pass's content; and finally checks them all once more. With more memory than the machine
 * has, every walk pushes pages out (zswap, the swap disk) and pulls them back in.
 * -t SECONDS: start no new pass after that long (the final check always runs).
 *
 * Prints one line of figures and names the first corrupted pages. Exit 0 only if every byte of
 * every page came back; 1 if a page was corrupted; 2 if a job died (the OOM killer, a signal).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PG		4096
#define MAX_JOBS	16
#define MAX_REPORT	5

struct job_result {
	uint64_t pages, checked, corrupted, written;
	int done;
};

static const char *const words[] = {
	"zswap ", "stores ", "a ", "page ", "when ", "memory ", "is ", "tight ",
	"the ", "device ", "compresses ", "it ", "and ", "later ", "back ", "again ",
};

/* Text to take pages of "text" from, at an offset: made once */
static char text[2 * PG];

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void text_init(void)
{
	uint64_t s = 88172645463325252ull;
	size_t off = 0, l;

	while (off < sizeof(text)) {
		const char *w = words[xs(&s) % 16];

		l = strlen(w);
		if (off + l > sizeof(text))
			l = sizeof(text) - off;
		memcpy(text + off, w, l);
		off += l;
	}
}

/* The content of page idx in pass pass: a header naming it, then one of five bodies */
static void fill(uint8_t *p, uint64_t idx, uint64_t pass, uint64_t seed)
{
	uint64_t s = (idx * 0x9e3779b97f4a7c15ull) ^ (pass << 48) ^ seed ^ 0x5bd1e995ull;
	size_t off = 24, i;
	uint64_t v;

	xs(&s);
	memcpy(p, &idx, 8);
	memcpy(p + 8, &pass, 8);
	memcpy(p + 16, &seed, 8);
	switch ((idx + pass) % 5) {
	case 0:		/* text */
		memcpy(p + off, text + xs(&s) % PG, PG - off);
		break;
	case 1:		/* small integers */
		for (i = off; i < PG; i += 8) {
			v = xs(&s) & 0x000003ff000003ffull;
			memcpy(p + i, &v, 8);
		}
		break;
	case 2:		/* mostly zero */
		memset(p + off, 0, PG - off);
		for (i = 0; i < 24; i++)
			p[off + xs(&s) % (PG - off)] = (uint8_t)xs(&s);
		break;
	case 3:		/* random: incompressible */
		for (i = off; i < PG; i += 8) {
			v = xs(&s);
			memcpy(p + i, &v, 8);
		}
		break;
	default:	/* a repeated record */
		v = xs(&s);
		for (i = off; i < off + 24; i += 8)
			memcpy(p + i, &v, 8);
		for (i = off + 24; i < PG; i += i - off < PG - i ? i - off : PG - i)
			memcpy(p + i, p + off, i - off < PG - i ? i - off : PG - i);
		break;
	}
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The page visited at step k of a walk of n pages in pass pass */
static uint64_t order(uint64_t k, uint64_t n, uint64_t pass)
{
	switch (pass % 3) {
	case 0:
		return k;
	case 1:
		return n - 1 - k;
	default:
		/* a stride coprime with n */
		return (k * 7919) % n;
	}
}

static void run_job(int j, uint64_t pages, uint64_t first, int passes, uint64_t seed,
		    double deadline, struct job_result *r)
{
	uint8_t *mem, want[PG];
	uint64_t k, idx;
	int pass, reported = 0;

	mem = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		perror("pressure: mmap");
		exit(2);
	}
	if (pages % 7919 == 0)	/* keep the stride a permutation */
		pages--;
	r->pages = pages;
	for (k = 0; k < pages; k++)
		fill(mem + k * PG, first + k, 0, seed);
	r->written += pages;

	for (pass = 1; pass <= passes + 1; pass++) {
		int last = pass == passes + 1 || (deadline && now() > deadline);

		for (k = 0; k < pages; k++) {
			idx = order(k, pages, pass);
			fill(want, first + idx, pass - 1, seed);
			r->checked++;
			if (memcmp(mem + idx * PG, want, PG)) {
				r->corrupted++;
				if (reported++ < MAX_REPORT) {
					uint64_t got_idx, got_pass;

					memcpy(&got_idx, mem + idx * PG, 8);
					memcpy(&got_pass, mem + idx * PG + 8, 8);
					fprintf(stderr,
						"pressure: job %d page %llu (pass %d): corrupted; its header says page %llu pass %llu\n",
						j, (unsigned long long)(first + idx), pass - 1,
						(unsigned long long)got_idx,
						(unsigned long long)got_pass);
				}
			}
			if (!last) {
				fill(mem + idx * PG, first + idx, pass, seed);
				r->written++;
			}
		}
		if (last)
			break;
	}
	r->done = 1;
}

int main(int argc, char **argv)
{
	int jobs = 2, passes = 2, opt, j, died = 0;
	uint64_t seed = 1, mib, pages, per, sum_checked = 0, sum_bad = 0, sum_written = 0;
	double t0 = now(), limit = 0;
	struct job_result *res;

	while ((opt = getopt(argc, argv, "j:p:x:t:")) != -1) {
		switch (opt) {
		case 'j':
			jobs = atoi(optarg);
			break;
		case 'p':
			passes = atoi(optarg);
			break;
		case 'x':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			limit = atof(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || jobs < 1 || jobs > MAX_JOBS || passes < 0)
		goto usage;
	mib = strtoull(argv[optind], NULL, 0);
	pages = mib * (1024 * 1024 / PG);
	per = pages / jobs;
	if (!per)
		goto usage;

	res = mmap(NULL, sizeof(*res) * MAX_JOBS, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED) {
		perror("pressure: mmap");
		return 2;
	}
	memset(res, 0, sizeof(*res) * MAX_JOBS);
	setvbuf(stdout, NULL, _IOLBF, 0);
	text_init();
	for (j = 0; j < jobs; j++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("pressure: fork");
			return 2;
		}
		if (!pid) {
			run_job(j, per, j * per, passes, seed, limit ? t0 + limit : 0, &res[j]);
			_exit(0);
		}
	}
	for (j = 0; j < jobs; j++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
			died++;
			if (WIFSIGNALED(st))
				fprintf(stderr, "pressure: a job died of signal %d\n", WTERMSIG(st));
		}
	}
	for (j = 0; j < jobs; j++) {
		if (!res[j].done)
			died += !died;
		sum_checked += res[j].checked;
		sum_bad += res[j].corrupted;
		sum_written += res[j].written;
	}
	printf("pressure: %llu MiB in %d jobs, %llu page writes, %llu page checks, %llu corrupted, %d jobs died, %.0f s\n",
	       (unsigned long long)mib, jobs, (unsigned long long)sum_written,
	       (unsigned long long)sum_checked, (unsigned long long)sum_bad, died, now() - t0);
	return died ? 2 : sum_bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: pressure [-j JOBS] [-p PASSES] [-x SEED] [-t SECONDS] MIB\n");
	return 2;
}
