// SPDX-License-Identifier: GPL-2.0
/*
 * kcapi_acomp: tests of libkcapi's compression API (tools/libkcapi), linked
 * statically with our libkcapi.a; zlib (raw deflate) checks every result.
 *
 *   kcapi_acomp single ALG N SEED       N round trips, one call at a time
 *   kcapi_acomp batch ALG DEPTH N SEED  N buffers compressed, then decompressed,
 *                                       in batches kept DEPTH deep
 *   kcapi_acomp errors ALG              the API's errno values
 *
 * Exit status 0: every check passed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <zlib.h>

#include <kcapi.h>

#define MAXIN 65536
#define MAXOUT (128 * 1024)

static int failures;
#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } while (0)

static uint64_t rs = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static size_t fill(unsigned char *p, size_t max)
{
	static const char w[] = "compression through af_alg sockets and the iaa device ";
	size_t n = 1 + rnd() % max, i;
	int kind = rnd() % 3;

	for (i = 0; i < n; i++)
		p[i] = kind == 0 ? w[(i * 3 + i / 77) % (sizeof(w) - 1)] :
		       kind == 1 ? (unsigned char)rnd() : (unsigned char)(i / 64);
	return n;
}

static ssize_t zinflate(const void *in, size_t len, void *out, size_t room)
{
	z_stream z;
	ssize_t r;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return -1;
	z.next_in = (void *)in;
	z.avail_in = len;
	z.next_out = out;
	z.avail_out = room;
	r = inflate(&z, Z_FINISH) == Z_STREAM_END ? (ssize_t)z.total_out : -1;
	inflateEnd(&z);
	return r;
}

static unsigned char in[MAXIN], comp[MAXOUT], out[MAXOUT];

static int init(struct kcapi_handle **h, const char *alg)
{
	int ret = kcapi_acomp_init(h, alg, 0);

	if (ret)
		FAIL("kcapi_acomp_init(%s): %s", alg, strerror(-ret));
	return ret;
}

static int cmd_single(const char *alg, long n)
{
	struct kcapi_handle *h;
	long i;

	if (init(&h, alg))
		return 1;
	for (i = 0; i < n && failures < 20; i++) {
		size_t len = fill(in, MAXIN);
		ssize_t c = kcapi_acomp_compress(h, in, len, comp, sizeof(comp));
		ssize_t d;

		if (c <= 0) {
			FAIL("compress %zu B: %s", len, c ? strerror((int)-c) : "empty");
			continue;
		}
		if (zinflate(comp, c, out, sizeof(out)) != (ssize_t)len || memcmp(in, out, len))
			FAIL("zlib does not inflate our %zu B", len);
		d = kcapi_acomp_decompress(h, comp, c, out, sizeof(out));
		if (d != (ssize_t)len || memcmp(in, out, len))
			FAIL("decompress %zu B: got %zd", len, d);
	}
	kcapi_acomp_destroy(h);
	fprintf(stderr, "single: %ld round trips, %d failures\n", i, failures);
	return failures != 0;
}

static int cmd_batch(const char *alg, unsigned int depth, long n)
{
	struct iovec *iv = calloc(n, sizeof(*iv)), *cv = calloc(n, sizeof(*cv));
	struct iovec *ov = calloc(n, sizeof(*ov));
	ssize_t *res = calloc(n, sizeof(*res));
	struct kcapi_handle *h;
	ssize_t r;
	long i;

	if (!iv || !cv || !ov || !res || init(&h, alg))
		return 1;
	for (i = 0; i < n; i++) {
		iv[i].iov_base = malloc(MAXIN);
		iv[i].iov_len = fill(iv[i].iov_base, 16384);
		cv[i].iov_base = malloc(MAXOUT);
		cv[i].iov_len = MAXOUT;
		ov[i].iov_base = malloc(MAXOUT);
		ov[i].iov_len = MAXOUT;
	}
	r = kcapi_acomp_compress_batch(h, iv, cv, res, n, depth);
	if (r != n)
		FAIL("compress_batch depth %u: %zd of %ld", depth, r, n);
	for (i = 0; i < n; i++) {
		if (res[i] <= 0) {
			FAIL("compress_batch %ld: %zd", i, res[i]);
			continue;
		}
		if (zinflate(cv[i].iov_base, res[i], out, sizeof(out)) != (ssize_t)iv[i].iov_len ||
		    memcmp(out, iv[i].iov_base, iv[i].iov_len))
			FAIL("batch %ld: zlib does not inflate our output", i);
		cv[i].iov_len = res[i];
	}
	r = kcapi_acomp_decompress_batch(h, cv, ov, res, n, depth);
	if (r != n)
		FAIL("decompress_batch depth %u: %zd of %ld", depth, r, n);
	for (i = 0; i < n; i++)
		if (res[i] != (ssize_t)iv[i].iov_len ||
		    memcmp(ov[i].iov_base, iv[i].iov_base, iv[i].iov_len))
			FAIL("decompress_batch %ld: %zd, want %zu", i, res[i], iv[i].iov_len);
	/* errors stay per request: a corrupt stream among good ones */
	if (n > 2) {
		memset(cv[1].iov_base, 0xff, 16);
		cv[1].iov_len = 16;
		r = kcapi_acomp_decompress_batch(h, cv, ov, res, n, depth);
		if (r != n - 1 || res[1] != -EBADMSG || res[0] != (ssize_t)iv[0].iov_len)
			FAIL("batch with a corrupt stream: %zd good, res[1] %zd", r, res[1]);
	}
	kcapi_acomp_destroy(h);
	fprintf(stderr, "batch: depth %u, %ld buffers, %d failures\n", depth, n, failures);
	return failures != 0;
}

static void expect(const char *what, ssize_t got, ssize_t want)
{
	if (got != want)
		FAIL("%s: got %zd, want %zd", what, got, want);
}

static int cmd_errors(const char *alg)
{
	struct kcapi_handle *h;
	ssize_t c;
	int ret;

	ret = kcapi_acomp_init(&h, "no-such-alg", 0);
	expect("init no-such-alg", ret, -ENOENT);
	if (init(&h, alg))
		return 1;
	memset(in, 'a', sizeof(in));
	c = kcapi_acomp_compress(h, in, 4096, comp, sizeof(comp));
	expect("compress 4096 B", c > 0, 1);
	expect("compress into one byte less", kcapi_acomp_compress(h, in, 4096, out, c - 1), -ENOSPC);
	expect("decompress into 4095 B", kcapi_acomp_decompress(h, comp, c, out, 4095), -ENOSPC);
	expect("compress of nothing", kcapi_acomp_compress(h, in, 0, out, 100), -EINVAL);
	memset(comp, 0xff, 32);
	expect("corrupt stream", kcapi_acomp_decompress(h, comp, 32, out, sizeof(out)), -EBADMSG);
	{
		static unsigned char big[MAXIN + 1];

		expect("over the limit", kcapi_acomp_compress(h, big, sizeof(big), out, sizeof(out)),
		       -EMSGSIZE);
	}
	expect("depth 0", kcapi_acomp_compress_batch(h, NULL, NULL, NULL, 1, 0), -EINVAL);
	expect("depth 65", kcapi_acomp_compress_batch(h, (void *)in, (void *)out, (void *)comp, 1, 65),
	       -EINVAL);
	/* the handle still works after all that */
	c = kcapi_acomp_compress(h, in, 4096, comp, sizeof(comp));
	expect("compress after errors", kcapi_acomp_decompress(h, comp, c, out, sizeof(out)), 4096);
	kcapi_acomp_destroy(h);
	fprintf(stderr, "errors: %d failures\n", failures);
	return failures != 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "single")) {
		rs ^= strtoull(argv[4], NULL, 0) * 0x9e3779b97f4a7c15ULL;
		return cmd_single(argv[2], atol(argv[3]));
	}
	if (argc == 6 && !strcmp(argv[1], "batch")) {
		rs ^= strtoull(argv[5], NULL, 0) * 0x9e3779b97f4a7c15ULL;
		return cmd_batch(argv[2], atoi(argv[3]), atol(argv[4]));
	}
	if (argc == 3 && !strcmp(argv[1], "errors"))
		return cmd_errors(argv[2]);
	fprintf(stderr, "usage: see the head of tests/progs/kcapi_acomp.c\n");
	return 2;
}
