// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The driver's Huffman code builder (../../iaa_crypto_huffman.c, compiled as it is
 * against kshim/linux/) on real pages, the way deflate-iaa-dynamic uses it: the
 * engine's statistics mode counts a page's symbols, the builder makes the codes and
 * the header, the engine compresses the page with them (the AECS path), and zlib's
 * inflate must give the page back. Output is KTAP; the exit status is non-zero if a
 * case failed.
 *
 * usage: test_huffman_pages [--pages FILE] [--reps N] [--seed N]
 *
 *   --pages FILE  4 KiB pages to use (make bench's corpus, build/bench/corpus.bin);
 *                 without it, pages read from files on this machine (test_corpus.h)
 *                 plus zero and pseudo-random pages
 *   --reps N      builds per page in the cost case (default 200; 1 under callgrind)
 *
 * Cases:
 *   pages_inflate  every page: the predicted size of the dynamic block is the engine's
 *                  output, bit for bit, and zlib inflates it to the page
 *   ratio          the pages as the driver stores them (dynamic, fixed or stored,
 *                  whichever is smallest) against zlib level 1 at a 4 KiB window
 *   build_cost     iaa_huff_block_build(), the block's size from it and the codes
 *                  (iaa_huff_block_entries()), as the driver does: CPU ns per page on this host (a figure, never a verdict).
 *                  The guest's instruction count is what callgrind counts:
 *                  make -C tools/engine huffman-cost
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "iaa_engine.h"
#include "iaa_crypto_huffman.h"
#include "test_corpus.h"

static uint64_t seed = CORPUS_SEED;

#include "test_ktap.h"

static const char *pages_path;
static unsigned int reps = 200;
static uint8_t *pages;
static size_t npages;

/* The counts of each page, as the driver reads them: the EOB added */
struct page_counts {
	u32 ll[DEFL_LL_SYMS];
	u32 d[DEFL_D_SYMS];
	u64 extra;		/* extra bits of lengths and distances */
	u64 fixed_bits;		/* the block with the fixed code */
	u64 syms;
};

static struct page_counts *counts;
static struct iaa_huff_work *work;

static unsigned int len_extra(unsigned int c)
{
	return c < 8 || c == 28 ? 0 : (c - 4) / 4;
}

static unsigned int dist_extra(unsigned int c)
{
	return c < 4 ? 0 : c / 2 - 1;
}

/* RFC 1951 3.2.6 */
static unsigned int fixed_ll_len(unsigned int s)
{
	return s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
}

static void page_count(const uint8_t *p, struct page_counts *c)
{
	struct iaa_result r;
	unsigned int i;

	iaa_compress_stats(p, PAGE, c->ll, c->d, &r);
	c->ll[DEFL_EOB] = 1;
	c->extra = 0;
	c->fixed_bits = 3;
	c->syms = 0;
	for (i = 0; i < DEFL_LL_SYMS; i++) {
		c->fixed_bits += (u64)c->ll[i] * fixed_ll_len(i);
		c->syms += c->ll[i];
		if (i >= DEFL_FIRST_LEN)
			c->extra += (u64)c->ll[i] * len_extra(i - DEFL_FIRST_LEN);
	}
	for (i = 0; i < DEFL_D_SYMS; i++) {
		c->fixed_bits += (u64)c->d[i] * 5;
		c->extra += (u64)c->d[i] * dist_extra(i);
	}
	c->fixed_bits += c->extra;
}

static void load_pages(void)
{
	if (pages_path) {
		FILE *f = fopen(pages_path, "rb");
		long n;

		if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < PAGE) {
			printf("Bail out! cannot read pages from %s\n", pages_path);
			exit(1);
		}
		npages = (size_t)n / PAGE;
		pages = xmalloc(npages * PAGE);
		rewind(f);
		if (fread(pages, PAGE, npages, f) != npages) {
			printf("Bail out! short read of %s\n", pages_path);
			exit(1);
		}
		fclose(f);
		DIAG("%zu pages from %s", npages, pages_path);
	} else {
		size_t got, i;
		struct rng r = { seed };

		npages = 512 + 8;
		pages = xmalloc(npages * PAGE);
		got = load_real_pages(pages, 512, seed);
		memset(pages + 512 * PAGE, 0, 4 * PAGE);
		for (i = 516 * PAGE; i < npages * PAGE; i++)
			pages[i] = (uint8_t)rng_next(&r);
		DIAG("%zu pages: %zu from this machine's files, %zu synthetic, 4 zero, 4 random",
		     npages, got, 512 - got);
	}
	counts = xmalloc(npages * sizeof(*counts));
	for (size_t i = 0; i < npages; i++)
		page_count(pages + i * PAGE, &counts[i]);
}

/* The dynamic block's bits as the driver predicts them */
static u64 dyn_bits(const struct page_counts *c, const struct iaa_huff_block *b)
{
	return b->hdr_bits + c->extra + b->data_bits;
}

/* ---- case: every page's block, through the engine and zlib ---- */
static void t_pages_inflate(void)
{
	static struct iaa_huff_block b;
	static u32 ll_sym[DEFL_LL_SYMS], d_sym[DEFL_D_SYMS];
	uint8_t *out = xmalloc(2 * PAGE + 512), *back = xmalloc(PAGE + 1);
	unsigned int ok_pages = 0, hmin = ~0u, hmax = 0, i;

	for (size_t k = 0; k < npages; k++) {
		const struct page_counts *c = &counts[k];
		const uint8_t *p = pages + k * PAGE;
		struct iaa_comp_args a = { 0 };
		struct iaa_result r;
		z_stream z = { 0 };
		u64 bits;
		int ret = iaa_huff_block_build(c->ll, c->d, &b, work);

		CHECK(!ret, "page %zu: build returned %d", k, ret);
		if (ret)
			continue;
		/* the entries as the driver writes them into the AECS */
		iaa_huff_block_entries(&b, ll_sym, d_sym);
		for (i = 0; i < DEFL_LL_SYMS; i++) {
			CHECK(b.ll_len[i] <= DEFL_MAX_BITS, "page %zu: ll %u length %u", k, i,
			      b.ll_len[i]);
			CHECK(!c->ll[i] || b.ll_len[i], "page %zu: used ll %u without code", k, i);
			CHECK(ll_sym[i] >> 15 == b.ll_len[i] && (b.ll_len[i] || !ll_sym[i]),
			      "page %zu: ll %u entry %#x, length %u", k, i, ll_sym[i],
			      b.ll_len[i]);
		}
		for (i = 0; i < DEFL_D_SYMS; i++) {
			CHECK(b.d_len[i] <= DEFL_MAX_BITS, "page %zu: d %u length %u", k, i,
			      b.d_len[i]);
			CHECK(!c->d[i] || b.d_len[i], "page %zu: used d %u without code", k, i);
			CHECK(d_sym[i] >> 15 == b.d_len[i] && (b.d_len[i] || !d_sym[i]),
			      "page %zu: d %u entry %#x, length %u", k, i, d_sym[i], b.d_len[i]);
		}
		CHECK(b.extra_bits == c->extra && 3 + b.fixed_bits + b.extra_bits == c->fixed_bits &&
		      b.ll_syms == c->syms && b.matches == b.dists,
		      "page %zu: extra %llu fixed %llu symbols %llu matches %llu dists %llu", k,
		      (unsigned long long)b.extra_bits, (unsigned long long)b.fixed_bits,
		      (unsigned long long)b.ll_syms, (unsigned long long)b.matches,
		      (unsigned long long)b.dists);
		CHECK(b.data_bits == iaa_huff_cost(c->ll, b.ll_len, DEFL_LL_SYMS) +
				     iaa_huff_cost(c->d, b.d_len, DEFL_D_SYMS),
		      "page %zu: data_bits %llu, not the cost of the lengths", k,
		      (unsigned long long)b.data_bits);
		hmin = b.hdr_bits < hmin ? b.hdr_bits : hmin;
		hmax = b.hdr_bits > hmax ? b.hdr_bits : hmax;
		bits = dyn_bits(c, &b);
		a.src = p;
		a.src_len = PAGE;
		a.dst = out;
		a.dst_cap = 2 * PAGE + 512;
		a.ll_sym = ll_sym;
		a.d_sym = d_sym;
		a.accum = b.hdr;
		a.accum_bits = b.hdr_bits;
		a.append_eob = true;
		a.flush_output = true;
		iaa_compress(&a, &r);
		if (r.status != IAA_ST_SUCCESS) {
			CHECK(0, "page %zu: engine status %#x error %#x", k, r.status, r.error_code);
			continue;
		}
		CHECK(r.out_size == (bits + 7) / 8, "page %zu: %u bytes out, %llu bits predicted",
		      k, r.out_size, (unsigned long long)bits);
		if (inflateInit2(&z, -15) != Z_OK)
			abort();
		z.next_in = out;
		z.avail_in = r.out_size;
		z.next_out = back;
		z.avail_out = PAGE + 1;
		ret = inflate(&z, Z_FINISH);
		CHECK(ret == Z_STREAM_END && z.total_out == PAGE && !memcmp(back, p, PAGE) &&
		      z.avail_in == 0, "page %zu: inflate %d, %lu bytes, %s", k, ret,
		      z.total_out, memcmp(back, p, PAGE) ? "differ" : "same");
		ok_pages += ret == Z_STREAM_END && z.total_out == PAGE && !memcmp(back, p, PAGE);
		inflateEnd(&z);
	}
	DIAG("%u of %zu pages inflated by zlib from our tables; headers %u..%u bits", ok_pages,
	     npages, hmin, hmax);
	free(out);
	free(back);
}

/* ---- case: the ratio the driver's choice gives ---- */
static size_t zlib1_w12(const uint8_t *p, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };
	size_t n;

	if (deflateInit2(&z, 1, Z_DEFLATED, -12, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (uint8_t *)p;
	z.avail_in = PAGE;
	z.next_out = out;
	z.avail_out = cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	n = z.total_out;
	deflateEnd(&z);
	return n;
}

static void t_ratio(void)
{
	static struct iaa_huff_block b;
	uint8_t *out = xmalloc(2 * PAGE);
	u64 ours = 0, zl = 0, fixed = 0;
	unsigned int ndyn = 0, nfixed = 0, nstored = 0;

	for (size_t k = 0; k < npages; k++) {
		const struct page_counts *c = &counts[k];
		u64 d = UINT64_MAX, best;
		size_t z = zlib1_w12(pages + k * PAGE, out, 2 * PAGE);

		if (!iaa_huff_block_build(c->ll, c->d, &b, work))
			d = dyn_bits(c, &b);
		best = ((d < c->fixed_bits ? d : c->fixed_bits) + 7) / 8;
		if (best > PAGE + 5) {
			best = PAGE + 5;
			nstored++;
		} else if (d < c->fixed_bits) {
			ndyn++;
		} else {
			nfixed++;
		}
		ours += best;
		fixed += (c->fixed_bits + 7) / 8 < PAGE + 5 ? (c->fixed_bits + 7) / 8 : PAGE + 5;
		zl += z;
	}
	DIAG("%zu pages: dynamic %u, fixed %u, stored %u blocks", npages, ndyn, nfixed, nstored);
	DIAG("ratio: ours %.4f, fixed code alone %.4f, zlib level 1 window 4 KiB %.4f: %.4fx zlib",
	     (double)npages * PAGE / ours, (double)npages * PAGE / fixed,
	     (double)npages * PAGE / zl, (double)zl / ours);
	/* zlib level 1 parses lazily with its own matcher; the device greedily. The codes
	 * are what the builder owns: never larger than the fixed code's */
	CHECK(ours <= fixed, "ours %llu bytes, fixed %llu", (unsigned long long)ours,
	      (unsigned long long)fixed);
	free(out);
}

/* ---- case: the cost ---- */
static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * What the driver does between its two device operations: the build (which reads the
 * counts), the block's size, the codes into the AECS
 */
static noinline u64 build_one(const struct page_counts *c, struct iaa_huff_block *b)
{
	static u32 ll_ent[DEFL_LL_SYMS], d_ent[DEFL_D_SYMS];

	if (iaa_huff_block_build(c->ll, c->d, b, work))
		return 0;
	iaa_huff_block_entries(b, ll_ent, d_ent);
	return dyn_bits(c, b);
}

static void t_build_cost(void)
{
	static struct iaa_huff_block b;
	double t0, ns;
	u64 sink = 0;

	t0 = cpu_ns();
	for (unsigned int r = 0; r < reps; r++)
		for (size_t k = 0; k < npages; k++)
			sink += build_one(&counts[k], &b);
	ns = (cpu_ns() - t0) / ((double)reps * npages);
	DIAG("build_one (iaa_huff_block_build, the block's size, the AECS entries): %.0f ns CPU per page on this host, %zu pages x %u (%llu)",
	     ns, npages, reps, (unsigned long long)(sink % 10));
}

static const struct ktap_case cases[] = {
	{ "pages_inflate", t_pages_inflate },
	{ "ratio", t_ratio },
	{ "build_cost", t_build_cost },
	{ "sanitizer_build", ktap_sanitizers },
};

int main(int argc, char **argv)
{
	unsigned int n;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pages") && i + 1 < argc)
			pages_path = argv[++i];
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = (unsigned int)strtoul(argv[++i], NULL, 0);
	}
	n = ktap_args(argc, argv, ARRAY_SIZE(cases));
	printf("KTAP version 1\n1..%u\n", n);
	work = xmalloc(sizeof(*work));
	load_pages();
	rc = ktap_run(cases, n, "huffman pages", NULL);
	free(work);
	free(counts);
	free(pages);
	return rc;
}
