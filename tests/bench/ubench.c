// SPDX-License-Identifier: GPL-2.0
/*
 * ubench: the user-space rows of the benchmarks (tests/guest/bench.sh), linked statically
 * with our libkcapi.a (tools/libkcapi) and zlib.
 *
 *   ubench run N CMD [ARG...]    CMD run N times, one after the other (a shell line with its
 *                                redirections: sh -c '...')
 *   ubench zlib LEVEL N FILE     zlib in this process: FILE compressed N times in blocks of
 *                                64 KiB, raw deflate (windowBits -15), each block on its own
 *   ubench page ALG N FILE       FILE's 4 KiB pages one request at a time through libkcapi
 *                                (kcapi_acomp_compress, then kcapi_acomp_decompress of each
 *                                page that compressed), N passes; every page checked
 *
 * Prints one line, "ubench WHAT key=value ...", with the guest time of the whole (ns: under
 * -icount, guest instructions), the CPU time every CPU spent not idle meanwhile (busy_ns, from
 * /proc/stat: it includes the driver's threads and interrupts; 10 ms resolution) and, for
 * zlib and page, the bytes in and out. Exit status 0 only if everything ran and checked.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <kcapi.h>

#define PG 4096
#define BLK 65536

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* every CPU's time not idle, in ns (the "cpu" line of /proc/stat, in USER_HZ) */
static uint64_t busy_ns(void)
{
	unsigned long long v[8] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 5 || hz <= 0)
		return 0;
	return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * (1000000000ull / hz);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	FILE *f = fopen(path, "rb");

	if (!f || fstat(fileno(f), &st) || !st.st_size) {
		fprintf(stderr, "ubench: %s: cannot read\n", path);
		return NULL;
	}
	buf = malloc(st.st_size);
	if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "ubench: %s: short read\n", path);
		return NULL;
	}
	fclose(f);
	*len = st.st_size;
	return buf;
}

static int run(int n, char **argv)
{
	uint64_t t0, b0;
	int i, status;
	pid_t pid;

	t0 = now_ns();
	b0 = busy_ns();
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return perror("fork"), 1;
		if (!pid) {
			execvp(argv[0], argv);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "ubench: %s: failed (status %d)\n", argv[0], status);
			return 1;
		}
	}
	printf("ubench run n=%d ns=%llu busy_ns=%llu\n", n,
	       (unsigned long long)(now_ns() - t0), (unsigned long long)(busy_ns() - b0));
	return 0;
}

static int zlib_level(int level, int n, const unsigned char *in, size_t len)
{
	static unsigned char out[BLK + BLK / 8 + 64];
	uint64_t t0, b0, outb = 0;
	size_t off, blk;
	z_stream z;
	int i;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 1;
	t0 = now_ns();
	b0 = busy_ns();
	for (i = 0; i < n; i++) {
		for (off = 0; off < len; off += blk) {
			blk = len - off < BLK ? len - off : BLK;
			deflateReset(&z);
			z.next_in = (unsigned char *)in + off;
			z.avail_in = blk;
			z.next_out = out;
			z.avail_out = sizeof(out);
			if (deflate(&z, Z_FINISH) != Z_STREAM_END)
				return fprintf(stderr, "ubench: zlib: deflate\n"), 1;
			if (!i)
				outb += sizeof(out) - z.avail_out;
		}
	}
	printf("ubench zlib level=%d n=%d ns=%llu busy_ns=%llu in=%zu out=%llu\n", level, n,
	       (unsigned long long)(now_ns() - t0), (unsigned long long)(busy_ns() - b0), len,
	       (unsigned long long)outb);
	deflateEnd(&z);
	return 0;
}

static int page(const char *alg, int n, const unsigned char *in, size_t len)
{
	static unsigned char c[2 * PG], d[PG];
	uint64_t tc = 0, td = 0, t, outb = 0, nc = 0, nd = 0, b0;
	struct kcapi_handle *h;
	size_t off;
	ssize_t cl, dl;
	int i, ret;

	ret = kcapi_acomp_init(&h, alg, 0);
	if (ret)
		return fprintf(stderr, "ubench: kcapi_acomp_init %s: %d\n", alg, ret), 1;
	b0 = busy_ns();
	for (i = 0; i < n; i++) {
		for (off = 0; off + PG <= len; off += PG) {
			t = now_ns();
			cl = kcapi_acomp_compress(h, in + off, PG, c, sizeof(c));
			tc += now_ns() - t;
			nc++;
			if (cl < 0)
				return fprintf(stderr, "ubench: compress: %zd\n", cl), 1;
			if (!i)
				outb += cl < PG ? cl : PG;
			if (cl >= PG)
				continue;	/* stored as it is by a page store */
			t = now_ns();
			dl = kcapi_acomp_decompress(h, c, cl, d, sizeof(d));
			td += now_ns() - t;
			nd++;
			if (dl != PG || memcmp(d, in + off, PG))
				return fprintf(stderr, "ubench: page %zu: %zd\n", off / PG, dl), 1;
		}
	}
	printf("ubench page alg=%s n=%d comp=%llu comp_ns=%llu decomp=%llu decomp_ns=%llu busy_ns=%llu in=%zu out=%llu\n",
	       alg, n, (unsigned long long)nc, (unsigned long long)tc, (unsigned long long)nd,
	       (unsigned long long)td, (unsigned long long)(busy_ns() - b0), len / PG * PG,
	       (unsigned long long)outb);
	kcapi_acomp_destroy(h);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char *in;
	size_t len;

	if (argc >= 4 && !strcmp(argv[1], "run"))
		return run(atoi(argv[2]), argv + 3);
	if (argc != 5 || (strcmp(argv[1], "zlib") && strcmp(argv[1], "page")))
		goto usage;
	in = slurp(argv[4], &len);
	if (!in)
		return 1;
	if (!strcmp(argv[1], "zlib"))
		return zlib_level(atoi(argv[2]), atoi(argv[3]), in, len);
	return page(argv[2], atoi(argv[3]), in, len);
usage:
	fprintf(stderr, "usage: see the head of tests/bench/ubench.c\n");
	return 2;
}
