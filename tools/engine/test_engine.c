// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host unit tests of the IAA compute engine. Output is KTAP; the exit
 * status is non-zero if a case failed.
 *
 * usage: test_engine [--san PATH-TO-SANITIZER-BUILD] [--seed N]
 *
 * With --san, a last case runs the same tests built with
 * -fsanitize=address,undefined and reports whether they all passed.
 *
 * Reference decoders: zlib's inflate() (windowBits -15, one shot) accepts
 * any distance up to the output produced. The "4 KiB oracle" below is
 * zlib's inflate() with a 4 KiB window fed one output byte per call: then
 * every match is checked against min(output so far, 4096), exactly the
 * hardware rule, so the oracle is a zlib-based model of the device.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "iaa_engine.h"
#include "test_corpus.h"

static uint64_t seed = CORPUS_SEED;

#include "test_ktap.h"

/* ---- shared data ---- */
static struct corpus corpus;
static uint32_t fixed_ll[IAA_LL_SYMS], fixed_d[IAA_D_SYMS];
static const uint8_t fixed_hdr = 0x3;	/* BFINAL=1, BTYPE=01 */

/* guarded output buffers: GUARD canary bytes after cap */
#define GUARD		64
#define CANARY		0xa5

static uint8_t *guarded(size_t cap)
{
	uint8_t *p = xmalloc(cap + GUARD);

	memset(p, CANARY, cap + GUARD);
	return p;
}

static bool guard_ok(const uint8_t *p, size_t cap)
{
	for (size_t i = 0; i < GUARD; i++)
		if (p[cap + i] != CANARY)
			return false;
	return true;
}

static size_t fixed_bound(size_t n)
{
	return n + n / 8 + 16;
}

static void comp_fixed(const uint8_t *src, uint32_t n, uint8_t *dst, uint32_t cap,
		       struct iaa_result *r)
{
	struct iaa_comp_args a = {
		.src = src, .src_len = n, .dst = dst, .dst_cap = cap,
		.ll_sym = fixed_ll, .d_sym = fixed_d,
		.accum = &fixed_hdr, .accum_bits = 3,
		.append_eob = true, .flush_output = true,
	};

	iaa_compress(&a, r);
}

static void decomp(const uint8_t *src, uint32_t n, uint8_t *dst, uint32_t cap,
		   struct iaa_result *r)
{
	struct iaa_decomp_args a = {
		.src = src, .src_len = n, .dst = dst, .dst_cap = cap,
		.stop_on_eob = true, .check_for_eob = true, .sel_bfinal_eob = true,
	};

	iaa_decompress(&a, r);
}

/* zlib raw one-shot inflate (32 KiB window); returns zlib's code */
static int zinflate(const uint8_t *src, size_t n, uint8_t *out, size_t cap,
		    size_t *outlen, size_t *inused)
{
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	z.next_out = out;
	z.avail_out = cap;
	ret = inflate(&z, Z_FINISH);
	*outlen = cap - z.avail_out;
	if (inused)
		*inused = n - z.avail_in;
	inflateEnd(&z);
	return ret;
}

/* raw deflate with zlib; flush_at: issue 'flush' after that many bytes */
static size_t zdeflate(const uint8_t *src, size_t n, int level, int wbits, int strategy,
		       uint8_t *out, size_t cap, size_t flush_at, int flush)
{
	z_stream z;
	size_t first = flush_at < n ? flush_at : n;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, wbits, 8, strategy) != Z_OK)
		abort();
	z.next_out = out;
	z.avail_out = cap;
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	if (flush_at < n) {
		z.avail_in = first;
		if (deflate(&z, flush) == Z_STREAM_ERROR)
			abort();
		/* change parameters mid-stream: another block type */
		if (flush == Z_FULL_FLUSH)
			deflateParams(&z, level ? 9 - level % 9 : 6, Z_FIXED);
		z.avail_in = n - first;
	}
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	deflateEnd(&z);
	return cap - z.avail_out;
}

static size_t zbound(size_t n)
{
	return n + n / 500 + 1024;
}

/* ---- the 4 KiB zlib oracle ---- */
enum { OR_END, OR_DATAERR, OR_TRUNC, OR_OVERFLOW };

struct oracle {
	int st;
	size_t out_len;		/* bytes produced (<= cap) */
	size_t in_used;		/* bytes consumed, for OR_END */
	const char *msg;
};

static struct oracle oracle_inflate(const uint8_t *src, size_t n, uint8_t *out, size_t cap)
{
	struct oracle o = { 0 };
	z_stream z;
	uint8_t sink;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -12) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	for (;;) {
		int ret;

		z.next_out = o.out_len < cap ? out + o.out_len : &sink;
		z.avail_out = 1;
		ret = inflate(&z, Z_NO_FLUSH);
		if (!z.avail_out) {
			if (o.out_len == cap) {
				o.st = OR_OVERFLOW;
				break;
			}
			o.out_len++;
		}
		if (ret == Z_STREAM_END) {
			o.st = OR_END;
			o.in_used = n - z.avail_in;
			break;
		}
		if (ret == Z_DATA_ERROR) {
			o.st = OR_DATAERR;
			o.msg = z.msg;
			break;
		}
		if (ret == Z_BUF_ERROR) {
			o.st = OR_TRUNC;
			break;
		}
		if (ret != Z_OK)
			abort();
	}
	inflateEnd(&z);
	return o;
}

/*
 * Decompress with our engine and compare with the oracle. @stop asks for
 * the end of the final block (STOP_ON_EOB | SEL_BFINAL_EOB), where zlib's
 * Z_STREAM_END is; @check adds CHECK_FOR_EOB. Returns false (after
 * reporting) on a mismatch.
 */
struct dcmp_stats {
	unsigned int ok, err, trunc, ovf;
};

static bool compare_with_oracle(const uint8_t *src, uint32_t n, uint32_t cap,
				bool stop, bool check, bool suppress,
				struct dcmp_stats *stats, const char *what)
{
	uint8_t *ref = xmalloc(cap);
	uint8_t *out = suppress ? guarded(0) : guarded(cap);
	struct iaa_decomp_args a = {
		.src = src, .src_len = n, .dst = out, .dst_cap = suppress ? 0 : cap,
		.suppress_output = suppress, .stop_on_eob = stop,
		.check_for_eob = check, .sel_bfinal_eob = stop,
	};
	struct oracle o = oracle_inflate(src, n, ref, cap);
	struct iaa_result r;
	unsigned int before = case_fail;

	iaa_decompress(&a, &r);
	CHECK(guard_ok(out, suppress ? 0 : cap), "%s: wrote past dst_cap", what);
	switch (o.st) {
	case OR_END:
		stats->ok++;
		CHECK(r.status == IAA_ST_SUCCESS, "%s: status %#x/%#x, zlib accepts",
		      what, r.status, r.error_code);
		CHECK(r.out_size == o.out_len, "%s: out_size %u, want %zu", what,
		      r.out_size, o.out_len);
		CHECK(suppress || !memcmp(out, ref, o.out_len), "%s: output differs", what);
		CHECK(r.crc == (uint32_t)crc32(0, ref, o.out_len), "%s: crc", what);
		CHECK(r.in_consumed == (stop ? o.in_used : n),
		      "%s: in_consumed %u, want %zu", what, r.in_consumed,
		      stop ? o.in_used : n);
		break;
	case OR_DATAERR:
		stats->err++;
		CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code &&
		      r.error_code != IAA_ERR_BAD_EOF,
		      "%s: status %#x/%#x, zlib says '%s'", what, r.status,
		      r.error_code, o.msg);
		break;
	case OR_TRUNC:
		stats->trunc++;
		if (check) {
			CHECK(r.status == IAA_ST_ANALYTICS_ERROR &&
			      r.error_code == IAA_ERR_BAD_EOF,
			      "%s: truncated: status %#x/%#x", what, r.status, r.error_code);
		} else {
			CHECK(r.status == IAA_ST_SUCCESS && r.out_size == o.out_len,
			      "%s: truncated, no check: status %#x/%#x size %u want %zu",
			      what, r.status, r.error_code, r.out_size, o.out_len);
			CHECK(suppress || !memcmp(out, ref, o.out_len),
			      "%s: partial output differs", what);
		}
		break;
	case OR_OVERFLOW:
		stats->ovf++;
		if (suppress)
			break;
		CHECK(r.status == IAA_ST_OUTBUF_OVERFLOW && r.out_size == cap,
		      "%s: overflow: status %#x/%#x size %u", what, r.status,
		      r.error_code, r.out_size);
		CHECK(!memcmp(out, ref, cap), "%s: overflow output differs", what);
		break;
	}
	free(ref);
	free(out);
	return case_fail == before;
}

/* ---- Huffman code construction for the table tests ---- */

/* lengths for freq[0..n) limited to maxlen; symbols with freq 0 get 0 */
static void huff_lengths(const uint32_t *freq_in, unsigned int n, unsigned int maxlen,
			 uint8_t *len)
{
	uint64_t freq[288];
	unsigned int i;

	for (i = 0; i < n; i++)
		freq[i] = freq_in[i];
	for (;;) {
		uint64_t w[2 * 288];
		int parent[2 * 288], alive[2 * 288];
		unsigned int nodes = 0, nused = 0, maxd = 0;
		int map[288];

		for (i = 0; i < n; i++) {
			map[i] = -1;
			if (freq[i]) {
				map[i] = nodes;
				w[nodes] = freq[i];
				parent[nodes] = -1;
				alive[nodes++] = 1;
				nused++;
			}
		}
		memset(len, 0, n);
		if (nused == 0)
			return;
		if (nused == 1) {
			for (i = 0; i < n; i++)
				if (map[i] >= 0)
					len[i] = 1;
			return;
		}
		for (unsigned int k = 1; k < nused; k++) {
			int a = -1, b = -1;

			for (unsigned int j = 0; j < nodes; j++) {
				if (!alive[j])
					continue;
				if (a < 0 || w[j] < w[a]) {
					b = a;
					a = j;
				} else if (b < 0 || w[j] < w[b]) {
					b = j;
				}
			}
			alive[a] = alive[b] = 0;
			w[nodes] = w[a] + w[b];
			parent[nodes] = -1;
			alive[nodes] = 1;
			parent[a] = parent[b] = nodes++;
		}
		for (i = 0; i < n; i++) {
			unsigned int d = 0;

			if (map[i] < 0)
				continue;
			for (int j = map[i]; parent[j] >= 0; j = parent[j])
				d++;
			len[i] = d;
			if (d > maxd)
				maxd = d;
		}
		if (maxd <= maxlen)
			return;
		for (i = 0; i < n; i++)
			if (freq[i])
				freq[i] = (freq[i] + 1) / 2;
	}
}

/* canonical codes (MSB-first) for lengths */
static void canonical_codes(const uint8_t *len, unsigned int n, uint16_t *code)
{
	unsigned int count[16] = { 0 }, next[16];
	unsigned int c = 0, i;

	for (i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	for (i = 1; i < 16; i++) {
		c = (c + count[i - 1]) << 1;
		next[i] = c;
	}
	for (i = 0; i < n; i++)
		code[i] = len[i] ? next[len[i]]++ : 0;
}

/*
 * Random prefix code with nleaves leaves (depth <= maxlen) by random
 * splitting; complete unless nleaves == 1. Codes are tree paths, i.e.
 * generally not canonical.
 */
static void random_tree(struct rng *r, unsigned int nleaves, unsigned int maxlen,
			uint8_t *llen, uint16_t *lcode)
{
	unsigned int cnt = 1;

	if (nleaves == 1) {
		llen[0] = 1;
		lcode[0] = rng_below(r, 2);
		return;
	}
	llen[0] = 0;
	lcode[0] = 0;
	while (cnt < nleaves) {
		unsigned int j = rng_below(r, 2) ? cnt - 1 : rng_below(r, cnt);

		while (llen[j] >= maxlen)
			j = rng_below(r, cnt);
		llen[cnt] = llen[j] + 1;
		lcode[cnt] = (lcode[j] << 1) | 1;
		llen[j]++;
		lcode[j] <<= 1;
		cnt++;
	}
}

/* assign the leaves to the symbols with used[s] set, in random order */
static void assign_leaves(struct rng *r, const bool *used, unsigned int n,
			  const uint8_t *llen, const uint16_t *lcode, unsigned int nleaves,
			  uint8_t *len, uint16_t *code)
{
	unsigned int perm[400], k = 0, i;

	for (i = 0; i < nleaves; i++)
		perm[i] = i;
	for (i = nleaves; i > 1; i--) {
		unsigned int j = rng_below(r, i), t = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < n; i++) {
		if (used[i]) {
			len[i] = llen[perm[k]];
			code[i] = lcode[perm[k]];
			k++;
		} else {
			len[i] = 0;
			code[i] = 0;
		}
	}
}

/* bit writer for building headers in the tests */
struct tbits {
	uint8_t b[IAA_ACCUM_MAX_BITS / 8 + 64];
	unsigned int n;
};

static void tb_put(struct tbits *t, uint32_t v, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++, t->n++) {
		if (t->n / 8 >= sizeof(t->b))
			return;
		if (v >> i & 1)
			t->b[t->n / 8] |= 1u << (t->n % 8);
		else
			t->b[t->n / 8] &= ~(1u << (t->n % 8));
	}
}

static void tb_put_code(struct tbits *t, uint32_t code, unsigned int len)
{
	for (unsigned int i = len; i-- > 0;)
		tb_put(t, code >> i & 1, 1);
}

/*
 * Dynamic block header (BFINAL=1, BTYPE=10) describing the lengths.
 * Returns false if it does not fit in the 2048-bit accumulator.
 */
static bool dynamic_header(const uint8_t *ll_len, const uint8_t *d_len, struct tbits *t)
{
	uint8_t seq[IAA_LL_SYMS + IAA_D_SYMS], cl_len[19];
	uint16_t cl_code[19];
	uint32_t cl_freq[19] = { 0 };
	struct { uint8_t sym, extra; } rle[IAA_LL_SYMS + IAA_D_SYMS];
	unsigned int hlit = 257, hdist = 1, hclen = 19, nseq, nrle = 0, i;
	static const uint8_t order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
	};

	for (i = 0; i < IAA_LL_SYMS; i++)
		if (ll_len[i])
			hlit = i + 1 > 257 ? i + 1 : 257;
	for (i = 0; i < IAA_D_SYMS; i++)
		if (d_len[i])
			hdist = i + 1;
	memcpy(seq, ll_len, hlit);
	memcpy(seq + hlit, d_len, hdist);
	nseq = hlit + hdist;
	for (i = 0; i < nseq;) {
		unsigned int run = 1;

		while (i + run < nseq && seq[i + run] == seq[i])
			run++;
		if (seq[i] == 0 && run >= 3) {
			unsigned int k = run > 138 ? 138 : run;

			if (k >= 11) {
				rle[nrle].sym = 18;
				rle[nrle++].extra = k - 11;
			} else {
				rle[nrle].sym = 17;
				rle[nrle++].extra = k - 3;
			}
			i += k;
		} else if (seq[i] != 0 && run >= 4) {
			unsigned int k = run - 1 > 6 ? 6 : run - 1;

			rle[nrle].sym = seq[i];
			rle[nrle++].extra = 0;
			rle[nrle].sym = 16;
			rle[nrle++].extra = k - 3;
			i += k + 1;
		} else {
			rle[nrle].sym = seq[i];
			rle[nrle++].extra = 0;
			i++;
		}
	}
	for (i = 0; i < nrle; i++)
		cl_freq[rle[i].sym]++;
	/* a complete code needs two symbols */
	for (i = 0; i < 19 && cl_freq[i] == (uint32_t)nrle; i++)
		;
	if (i < 19)
		cl_freq[i ? 0 : 1]++;
	huff_lengths(cl_freq, 19, 7, cl_len);
	canonical_codes(cl_len, 19, cl_code);
	while (hclen > 4 && !cl_len[order[hclen - 1]])
		hclen--;

	memset(t, 0, sizeof(*t));
	tb_put(t, 1, 1);
	tb_put(t, 2, 2);
	tb_put(t, hlit - 257, 5);
	tb_put(t, hdist - 1, 5);
	tb_put(t, hclen - 4, 4);
	for (i = 0; i < hclen; i++)
		tb_put(t, cl_len[order[i]], 3);
	for (i = 0; i < nrle; i++) {
		unsigned int s = rle[i].sym;

		tb_put_code(t, cl_code[s], cl_len[s]);
		if (s == 16)
			tb_put(t, rle[i].extra, 2);
		else if (s == 17)
			tb_put(t, rle[i].extra, 3);
		else if (s == 18)
			tb_put(t, rle[i].extra, 7);
	}
	return t->n <= IAA_ACCUM_MAX_BITS;
}

/* ---- reference decoder driven directly by AECS tables ---- */
/* [2][16][32768]: (table, len, code) -> symbol or -1 */
static int16_t *refmap;
#define REFMAP_SIZE	(2 * 16 * 32768)

static void refmap_set(const uint32_t *tab, unsigned int n, int which, bool set)
{
	for (unsigned int s = 0; s < n; s++) {
		unsigned int l = IAA_HUFF_LEN(tab[s]);

		if (l)
			refmap[(which * 16 + l) * 32768 + IAA_HUFF_CODE(tab[s])] =
				set ? (int16_t)s : -1;
	}
}

static int ref_sym(const uint8_t *s, size_t *bit, size_t nbits, int which)
{
	unsigned int code = 0;

	for (unsigned int l = 1; l <= 15; l++) {
		int sym;

		if (*bit >= nbits)
			return -1;
		code = code << 1 | (s[*bit / 8] >> (*bit % 8) & 1);
		(*bit)++;
		sym = refmap[(which * 16 + l) * 32768 + code];
		if (sym >= 0)
			return sym;
	}
	return -1;
}

static int ref_bits(const uint8_t *s, size_t *bit, size_t nbits, unsigned int n)
{
	int v = 0;

	for (unsigned int i = 0; i < n; i++, (*bit)++) {
		if (*bit >= nbits)
			return -1;
		v |= (s[*bit / 8] >> (*bit % 8) & 1) << i;
	}
	return v;
}

/*
 * Decode the symbols of a stream written with tables ll/d starting at bit
 * 'start', until EOB (if eob), else until nbits or 'cap' bytes are
 * decoded. Returns the decoded length or -1. *end gets the bit position
 * after the last symbol. ll_cnt/d_cnt (if not NULL) count the lit/len
 * (EOB included) and distance symbols decoded; the caller zeroes them.
 */
static long ref_decode(const uint8_t *s, size_t start, size_t nbits, const uint32_t *ll,
		       const uint32_t *d, bool eob, uint8_t *out, size_t cap, size_t *end,
		       uint32_t *ll_cnt, uint32_t *d_cnt)
{
	static const uint16_t lbase[29] = {
		3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
	};
	static const uint16_t dbase[30] = {
		1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
		257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
		8193, 12289, 16385, 24577
	};
	size_t bit = start, o = 0;
	long ret = -1;

	refmap_set(ll, IAA_LL_SYMS, 0, true);
	refmap_set(d, IAA_D_SYMS, 1, true);
	for (;;) {
		int sym, x, ds;
		unsigned int len, dist;

		if (!eob && (bit == nbits || o == cap)) {
			ret = o;
			break;
		}
		sym = ref_sym(s, &bit, nbits, 0);
		if (sym < 0)
			break;
		if (ll_cnt)
			ll_cnt[sym]++;
		if (sym < 256) {
			if (o == cap)
				break;
			out[o++] = sym;
			continue;
		}
		if (sym == 256) {
			if (eob)
				ret = o;
			break;
		}
		sym -= 257;
		x = sym < 8 || sym == 28 ? 0 : (sym - 4) / 4;
		x = ref_bits(s, &bit, nbits, x);
		if (x < 0)
			break;
		len = lbase[sym] + x;
		ds = ref_sym(s, &bit, nbits, 1);
		if (ds < 0)
			break;
		if (d_cnt)
			d_cnt[ds]++;
		x = ref_bits(s, &bit, nbits, ds < 4 ? 0 : ds / 2 - 1);
		if (x < 0)
			break;
		dist = dbase[ds] + x;
		if (dist > o || dist > IAA_HIST_SIZE || o + len > cap)
			break;
		for (unsigned int i = 0; i < len; i++, o++)
			out[o] = out[o - dist];
	}
	refmap_set(ll, IAA_LL_SYMS, 0, false);
	refmap_set(d, IAA_D_SYMS, 1, false);
	*end = bit;
	return ret;
}

/* ==== test cases ==== */

static void t_crc32(void)
{
	struct rng r = { seed ^ 1 };
	uint8_t *b = xmalloc(70000);

	rng_fill(&r, b, 70000);
	for (int i = 0; i < 2000; i++) {
		size_t off = rng_below(&r, 1000), n = rng_below(&r, 69000);
		uint32_t s = i & 1 ? (uint32_t)rng_next(&r) : 0;
		size_t cut = rng_below(&r, n + 1);

		CHECK(iaa_crc32(s, b + off, n) == (uint32_t)crc32(s, b + off, n),
		      "crc32 n=%zu", n);
		CHECK(iaa_crc32(iaa_crc32(s, b + off, cut), b + off + cut, n - cut) ==
		      iaa_crc32(s, b + off, n), "crc32 chaining n=%zu", n);
	}
	CHECK(iaa_crc32(0, "123456789", 9) == 0xcbf43926u, "crc32 check value");
	CHECK(iaa_crc32(0x1234, NULL, 0) == 0x1234, "crc32 of nothing keeps the seed");
	free(b);
}

static void t_fixed_tables(void)
{
	uint32_t ll[IAA_LL_SYMS], d[IAA_D_SYMS];

	iaa_fixed_tables(ll, d);
	/* values of the Linux iaa_crypto fixed mode tables */
	CHECK(ll[0] == 0x40030 && ll[143] == 0x400bf, "ll 0..143");
	CHECK(ll[144] == 0x48190 && ll[255] == 0x481ff, "ll 144..255");
	CHECK(ll[256] == 0x38000 && ll[279] == 0x38017, "ll 256..279");
	CHECK(ll[280] == 0x400c0 && ll[285] == 0x400c5, "ll 280..285");
	for (int i = 0; i < IAA_D_SYMS; i++)
		CHECK(d[i] == 0x28000u + i, "d[%d] = %#x", i, d[i]);
}

static void t_compress_fixed_roundtrip(void)
{
	size_t i, bytes_in = 0, bytes_out = 0;
	uint8_t *out = xmalloc(65536), *ref = xmalloc(65536);
	unsigned int per_pat[PAT_COUNT] = { 0 };

	for (i = 0; i < corpus.n; i++) {
		const struct buf *b = &corpus.b[i];
		size_t cap = fixed_bound(b->n), zl, zin;
		uint8_t *dst = guarded(cap);
		struct iaa_result r, rd;
		int zr;

		per_pat[b->pat]++;
		comp_fixed(b->p, b->n, dst, cap, &r);
		CHECK(guard_ok(dst, cap), "buf %zu: wrote past dst_cap", i);
		CHECK(r.status == IAA_ST_SUCCESS, "buf %zu (%u B %s): status %#x/%#x", i,
		      b->n, pattern_name[b->pat], r.status, r.error_code);
		if (r.status != IAA_ST_SUCCESS) {
			free(dst);
			continue;
		}
		CHECK(r.crc == (uint32_t)crc32(0, b->p, b->n), "buf %zu: crc", i);
		CHECK(r.in_consumed == b->n, "buf %zu: in_consumed", i);
		zr = zinflate(dst, r.out_size, ref, 65536, &zl, &zin);
		CHECK(zr == Z_STREAM_END && zl == b->n && !memcmp(ref, b->p, b->n),
		      "buf %zu (%u B %s): zlib inflate %d, %zu bytes", i, b->n,
		      pattern_name[b->pat], zr, zl);
		CHECK(zin == r.out_size, "buf %zu: zlib used %zu of %u bytes", i, zin,
		      r.out_size);
		decomp(dst, r.out_size, out, b->n, &rd);
		CHECK(rd.status == IAA_ST_SUCCESS && rd.out_size == b->n &&
		      !memcmp(out, b->p, b->n) && rd.crc == r.crc &&
		      rd.in_consumed == r.out_size,
		      "buf %zu: own round trip status %#x/%#x", i, rd.status, rd.error_code);
		bytes_in += b->n;
		bytes_out += r.out_size;
		free(dst);
	}
	DIAG("%zu buffers (%zu bytes), sizes 1..65536, seed %#llx: zeros %u random %u text %u binary %u real %u repeat %u sparse %u",
	     corpus.n, bytes_in, (unsigned long long)seed, per_pat[0], per_pat[1],
	     per_pat[2], per_pat[3], per_pat[4], per_pat[5], per_pat[6]);
	DIAG("fixed-table ratio over the corpus %.3f", (double)bytes_in / bytes_out);
	free(out);
	free(ref);
}

static void t_compress_edge(void)
{
	uint8_t dst[64], src[8] = "abcdefgh", out[16];
	struct iaa_result r;
	size_t zl;
	struct iaa_comp_args a = {
		.src = src, .src_len = 0, .dst = dst, .dst_cap = sizeof(dst),
		.ll_sym = fixed_ll, .d_sym = fixed_d,
		.accum = &fixed_hdr, .accum_bits = 3,
		.append_eob = true, .flush_output = true,
	};

	/* empty input: header + EOB = 10 bits */
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_SUCCESS && r.out_size == 2, "empty: %#x size %u",
	      r.status, r.out_size);
	CHECK(zinflate(dst, r.out_size, out, sizeof(out), &zl, NULL) == Z_STREAM_END &&
	      zl == 0, "empty: zlib");
	CHECK(r.crc == 0, "empty crc");

	/* crc seed */
	a.src_len = 8;
	a.crc_seed = 0xdeadbeef;
	iaa_compress(&a, &r);
	CHECK(r.crc == (uint32_t)crc32(0xdeadbeef, src, 8), "seeded crc");

	/* 8 literals: 3 + 64 + 7 = 74 bits, so 2 valid bits in the 10th byte */
	a.crc_seed = 0;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_SUCCESS && r.out_size == 10 && r.last_bits == 2,
	      "last_bits: size %u last_bits %u", r.out_size, r.last_bits);

	/*
	 * END_PROC 2 and 3: EOB, then an empty stored block; with BFINAL clear
	 * in the header the stream is final only through the stored block
	 */
	{
		static const uint8_t nonfinal_hdr = 0x2;	/* BFINAL=0, BTYPE=01 */

		a.accum = &nonfinal_hdr;
		for (int fin = 0; fin < 2; fin++) {
			int zr;

			a.end_stored = fin ? IAA_END_STORED_FINAL : IAA_END_STORED;
			iaa_compress(&a, &r);
			CHECK(r.status == IAA_ST_SUCCESS && r.out_size == 14 && !r.last_bits &&
			      !memcmp(dst + 10, "\x00\x00\xff\xff", 4),
			      "end_stored %d: size %u last_bits %u", fin, r.out_size,
			      r.last_bits);
			zr = zinflate(dst, r.out_size, out, sizeof(out), &zl, NULL);
			CHECK(fin ? zr == Z_STREAM_END && zl == 8 && !memcmp(out, src, 8) :
				    zr != Z_STREAM_END,
			      "end_stored %d: zlib says %d after %zu bytes", fin, zr, zl);
		}
		a.end_stored = 0;
		a.accum = &fixed_hdr;
	}

	/* no EOB, no flush: 3 + 8 * 8 = 67 bits -> 8 bytes + 3 tail bits */
	a.append_eob = false;
	a.flush_output = false;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_SUCCESS && r.out_size == 8 && r.tail_nbits == 3,
	      "no flush: size %u tail %u", r.out_size, r.tail_nbits);

	/* accumulator too long */
	a.accum_bits = IAA_ACCUM_MAX_BITS + 1;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_AECS,
	      "accum_bits > 2048: %#x/%#x", r.status, r.error_code);

	/* NULL dst with zero capacity */
	a.accum_bits = 3;
	a.dst = NULL;
	a.dst_cap = 0;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_COMP_OVERFLOW &&
	      r.out_size == 0, "NULL dst: %#x/%#x", r.status, r.error_code);
}

/* random canonical complete tables + dynamic header; zlib checks */
static void t_compress_random_tables_zlib(void)
{
	struct rng r = { seed ^ 2 };
	uint8_t *out = xmalloc(65536 + 1);
	unsigned int iters = 0, retries = 0, data_driven = 0;

	while (iters < 600) {
		const struct buf *b = &corpus.b[rng_below(&r, corpus.n)];
		uint32_t n = b->n > 16384 ? 16384 : b->n;
		bool ll_used[IAA_LL_SYMS] = { false }, d_used[IAA_D_SYMS] = { false };
		uint8_t ll_len[IAA_LL_SYMS], d_len[IAA_D_SYMS], tl[288];
		uint16_t ll_code[IAA_LL_SYMS], d_code[IAA_D_SYMS], tc[288];
		uint32_t ll[IAA_LL_SYMS], d[IAA_D_SYMS];
		unsigned int nll = 0, nd = 0, i, pl = rng_below(&r, 101), pd = rng_below(&r, 101);
		struct tbits hdr;
		struct iaa_result res;
		size_t cap = fixed_bound(n) * 2 + 64, zl;
		uint8_t *dst;
		int zr;

		if (rng_below(&r, 4) == 0)
			pd = 0;
		for (i = 0; i < n; i++)
			ll_used[b->p[i]] = true;
		ll_used[256] = true;
		for (i = 0; i < 256; i++)
			if (rng_below(&r, 100) < 5)
				ll_used[i] = true;
		for (i = 257; i < IAA_LL_SYMS; i++)
			ll_used[i] = rng_below(&r, 100) < pl;
		for (i = 0; i < IAA_D_SYMS; i++)
			d_used[i] = rng_below(&r, 100) < pd;
		for (i = 0; i < IAA_LL_SYMS; i++)
			nll += ll_used[i];
		for (i = 0; i < IAA_D_SYMS; i++)
			nd += d_used[i];

		if (iters & 1) {
			/* random tree shapes */
			random_tree(&r, nll, 15, tl, tc);
			assign_leaves(&r, ll_used, IAA_LL_SYMS, tl, tc, nll, ll_len, ll_code);
			if (nd) {
				random_tree(&r, nd, 15, tl, tc);
				assign_leaves(&r, d_used, IAA_D_SYMS, tl, tc, nd, d_len, d_code);
			} else {
				memset(d_len, 0, sizeof(d_len));
			}
		} else {
			/* data-driven lengths with a random length limit */
			uint32_t f[IAA_LL_SYMS] = { 0 }, fd[IAA_D_SYMS];
			unsigned int lim = 9 + rng_below(&r, 7);

			for (i = 0; i < n; i++)
				f[b->p[i]] += 4;
			for (i = 0; i < IAA_LL_SYMS; i++)
				if (ll_used[i])
					f[i] += 1 + rng_below(&r, 8);
			for (i = 0; i < IAA_D_SYMS; i++)
				fd[i] = d_used[i] ? 1 + rng_below(&r, 100) : 0;
			huff_lengths(f, IAA_LL_SYMS, lim, ll_len);
			huff_lengths(fd, IAA_D_SYMS, lim, d_len);
			data_driven++;
		}
		if (!dynamic_header(ll_len, d_len, &hdr)) {
			retries++;
			continue;
		}
		canonical_codes(ll_len, IAA_LL_SYMS, ll_code);
		canonical_codes(d_len, IAA_D_SYMS, d_code);
		for (i = 0; i < IAA_LL_SYMS; i++)
			ll[i] = IAA_HUFF_ENTRY(ll_code[i], ll_len[i]);
		for (i = 0; i < IAA_D_SYMS; i++)
			d[i] = IAA_HUFF_ENTRY(d_code[i], d_len[i]);

		dst = guarded(cap);
		{
			struct iaa_comp_args a = {
				.src = b->p, .src_len = n, .dst = dst, .dst_cap = cap,
				.ll_sym = ll, .d_sym = d,
				.accum = hdr.b, .accum_bits = hdr.n,
				.append_eob = true, .flush_output = true,
			};

			iaa_compress(&a, &res);
		}
		CHECK(guard_ok(dst, cap), "iter %u: wrote past dst_cap", iters);
		CHECK(res.status == IAA_ST_SUCCESS, "iter %u: status %#x/%#x", iters,
		      res.status, res.error_code);
		if (res.status == IAA_ST_SUCCESS) {
			zr = zinflate(dst, res.out_size, out, 65536 + 1, &zl, NULL);
			CHECK(zr == Z_STREAM_END && zl == n && !memcmp(out, b->p, n),
			      "iter %u (%u B, %u ll, %u d codes, header %u bits): zlib %d, %zu bytes",
			      iters, n, nll, nd, hdr.n, zr, zl);
			/* and our own decoder */
			if (n) {
				struct iaa_result rd;

				decomp(dst, res.out_size, out, n, &rd);
				CHECK(rd.status == IAA_ST_SUCCESS && rd.out_size == n &&
				      !memcmp(out, b->p, n), "iter %u: own decoder %#x/%#x",
				      iters, rd.status, rd.error_code);
			}
		}
		free(dst);
		iters++;
	}
	DIAG("%u table sets (%u data-driven, %u random shapes), %u regenerated for header size",
	     iters, data_driven, iters - data_driven, retries);
	free(out);
}

/*
 * Random prefix-free codes, incomplete and not canonical, random
 * accumulator prefix, flush or not: checked with the table-driven
 * reference decoder.
 */
static void t_compress_random_tables_prefix(void)
{
	struct rng r = { seed ^ 3 };
	uint8_t *out = xmalloc(16384);
	unsigned int it;

	for (it = 0; it < 800; it++) {
		const struct buf *b = &corpus.b[rng_below(&r, corpus.n)];
		uint32_t n = b->n > 8192 ? rng_below(&r, 8192) : b->n;
		bool ll_used[IAA_LL_SYMS] = { false }, d_used[IAA_D_SYMS] = { false };
		uint8_t ll_len[IAA_LL_SYMS], d_len[IAA_D_SYMS], tl[400];
		uint16_t ll_code[IAA_LL_SYMS], d_code[IAA_D_SYMS], tc[400];
		uint32_t ll[IAA_LL_SYMS], d[IAA_D_SYMS];
		unsigned int nll = 0, nd = 0, i, spare;
		uint8_t accum[IAA_ACCUM_MAX_BITS / 8];
		uint32_t accum_bits = rng_below(&r, 4) ? rng_below(&r, IAA_ACCUM_MAX_BITS + 1) : 0;
		bool flush = rng_below(&r, 2), eob = rng_below(&r, 4) != 0;
		size_t cap = fixed_bound(n) * 2 + 64 + 256, nbits, end;
		uint8_t *dst = guarded(cap);
		struct iaa_result res;
		long got;

		rng_fill(&r, accum, sizeof(accum));
		for (i = 0; i < n; i++)
			ll_used[b->p[i]] = true;
		ll_used[256] = true;
		for (i = 257; i < IAA_LL_SYMS; i++)
			ll_used[i] = rng_below(&r, 2);
		for (i = 0; i < IAA_D_SYMS; i++)
			d_used[i] = rng_below(&r, 3) != 0;
		for (i = 0; i < IAA_LL_SYMS; i++)
			nll += ll_used[i];
		for (i = 0; i < IAA_D_SYMS; i++)
			nd += d_used[i];
		/* extra leaves left unassigned make the codes incomplete */
		spare = rng_below(&r, 3) ? rng_below(&r, 40) : 0;
		random_tree(&r, nll + spare, 15, tl, tc);
		assign_leaves(&r, ll_used, IAA_LL_SYMS, tl, tc, nll + spare, ll_len, ll_code);
		spare = rng_below(&r, 8);
		if (nd + spare) {
			random_tree(&r, nd + spare, 15, tl, tc);
			assign_leaves(&r, d_used, IAA_D_SYMS, tl, tc, nd + spare, d_len, d_code);
		} else {
			memset(d_len, 0, sizeof(d_len));
			memset(d_code, 0, sizeof(d_code));
		}
		for (i = 0; i < IAA_LL_SYMS; i++)
			ll[i] = IAA_HUFF_ENTRY(ll_code[i], ll_len[i]);
		for (i = 0; i < IAA_D_SYMS; i++)
			d[i] = IAA_HUFF_ENTRY(d_code[i], d_len[i]);
		{
			struct iaa_comp_args a = {
				.src = b->p, .src_len = n, .dst = dst, .dst_cap = cap,
				.ll_sym = ll, .d_sym = d,
				.accum = accum, .accum_bits = accum_bits,
				.append_eob = eob, .flush_output = flush,
			};

			iaa_compress(&a, &res);
		}
		CHECK(guard_ok(dst, cap), "iter %u: wrote past dst_cap", it);
		CHECK(res.status == IAA_ST_SUCCESS, "iter %u: status %#x/%#x", it,
		      res.status, res.error_code);
		if (res.status != IAA_ST_SUCCESS) {
			free(dst);
			continue;
		}
		CHECK(flush ? res.tail_nbits == 0 : res.tail_nbits < 8, "iter %u: tail bits", it);
		/* reassemble the whole bit stream */
		nbits = (size_t)res.out_size * 8;
		if (!flush && res.tail_nbits) {
			dst[res.out_size] = res.tail_bits;
			nbits += res.tail_nbits;
		}
		for (i = 0; i < accum_bits; i++)
			CHECK((dst[i / 8] >> (i % 8) & 1) == (accum[i / 8] >> (i % 8) & 1),
			      "iter %u: accumulator bit %u", it, i);
		got = ref_decode(dst, accum_bits, nbits, ll, d, eob, out, eob ? 16384 : n, &end,
				 NULL, NULL);
		CHECK(got == (long)n && !memcmp(out, b->p, n),
		      "iter %u (%u B, accum %u bits, eob %d flush %d): reference decoder %ld",
		      it, n, accum_bits, eob, flush, got);
		CHECK(flush ? (end + 7) / 8 == res.out_size : end == nbits,
		      "iter %u: stream length %zu bits, output %u bytes + %u bits", it, end,
		      res.out_size, res.tail_nbits);
		free(dst);
	}
	DIAG("%u random prefix-code table sets", it);
	free(out);
}

/* symbols of length 0: literals -> error, lengths/distances -> avoided */
static void t_compress_unencodable(void)
{
	const struct buf *b = NULL;
	uint32_t ll[IAA_LL_SYMS], d[IAA_D_SYMS];
	uint8_t *dst = xmalloc(20000), *out = xmalloc(8192);
	struct iaa_result r;
	size_t zl, i;
	struct iaa_comp_args a = {
		.dst = dst, .dst_cap = 20000, .ll_sym = ll, .d_sym = d,
		.accum = &fixed_hdr, .accum_bits = 3,
		.append_eob = true, .flush_output = true,
	};

	for (i = 0; i < corpus.n && !b; i++)
		if (corpus.b[i].pat == PAT_TEXT && corpus.b[i].n >= 3000 &&
		    corpus.b[i].n <= 8000)
			b = &corpus.b[i];
	if (!b) {
		CHECK(0, "no text buffer");
		return;
	}
	a.src = b->p;
	a.src_len = b->n;

	/* no length codes at all: literals only */
	iaa_fixed_tables(ll, d);
	for (i = 257; i < IAA_LL_SYMS; i++)
		ll[i] = 0;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_SUCCESS, "no length codes: %#x/%#x", r.status, r.error_code);
	CHECK(zinflate(dst, r.out_size, out, 8192, &zl, NULL) == Z_STREAM_END &&
	      zl == b->n && !memcmp(out, b->p, zl), "no length codes: zlib");

	/* only odd length codes, distances <= 64 only */
	iaa_fixed_tables(ll, d);
	for (i = 257; i < IAA_LL_SYMS; i += 2)
		ll[i] = 0;
	for (i = 12; i < IAA_D_SYMS; i++)
		d[i] = 0;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_SUCCESS, "sparse codes: %#x/%#x", r.status, r.error_code);
	CHECK(zinflate(dst, r.out_size, out, 8192, &zl, NULL) == Z_STREAM_END &&
	      zl == b->n && !memcmp(out, b->p, zl), "sparse codes: zlib");

	/* a literal of the input missing */
	iaa_fixed_tables(ll, d);
	ll[b->p[b->n / 2]] = 0;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_INVALID_HUFFCODE,
	      "missing literal: %#x/%#x", r.status, r.error_code);

	/* EOB missing: error only when it is needed */
	iaa_fixed_tables(ll, d);
	ll[256] = 0;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_INVALID_HUFFCODE,
	      "missing EOB: %#x/%#x", r.status, r.error_code);
	a.append_eob = false;
	iaa_compress(&a, &r);
	CHECK(r.status == IAA_ST_SUCCESS, "missing EOB, no append: %#x/%#x", r.status,
	      r.error_code);
	free(dst);
	free(out);
}

static void t_compress_overflow(void)
{
	struct rng r = { seed ^ 4 };
	uint32_t sizes[] = { 1, 2, 7, 100, 4096, 4096, 4096, 4096, 5000, 9000 };
	int pats[] = { PAT_RANDOM, PAT_TEXT, PAT_ZERO, PAT_BINARY, PAT_TEXT, PAT_RANDOM,
		       PAT_ZERO, PAT_REAL, PAT_REAL, PAT_REPEAT };
	unsigned int runs = 0;

	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		uint8_t *src = xmalloc(sizes[k]), *full = xmalloc(fixed_bound(sizes[k]));
		struct iaa_result ref;
		uint32_t e;

		gen_pattern(&r, src, sizes[k], pats[k], corpus.real, corpus.nreal_pages * PAGE);
		comp_fixed(src, sizes[k], full, fixed_bound(sizes[k]), &ref);
		CHECK(ref.status == IAA_ST_SUCCESS, "reference compress");
		e = ref.out_size;
		for (uint32_t cap = 0; cap <= e + 2; cap++) {
			uint8_t *dst = guarded(cap);
			struct iaa_result res;

			comp_fixed(src, sizes[k], cap ? dst : NULL, cap, &res);
			if (cap) {
				comp_fixed(src, sizes[k], dst, cap, &res);
				CHECK(guard_ok(dst, cap), "%u B %s cap %u: wrote past dst_cap",
				      sizes[k], pattern_name[pats[k]], cap);
			}
			if (cap < e)
				CHECK(res.status == IAA_ST_ANALYTICS_ERROR &&
				      res.error_code == IAA_ERR_COMP_OVERFLOW &&
				      res.out_size <= cap,
				      "%u B cap %u < %u: %#x/%#x size %u", sizes[k], cap, e,
				      res.status, res.error_code, res.out_size);
			else
				CHECK(res.status == IAA_ST_SUCCESS && res.out_size == e &&
				      !memcmp(dst, full, e), "%u B cap %u >= %u: %#x/%#x",
				      sizes[k], cap, e, res.status, res.error_code);
			runs++;
			free(dst);
		}
		free(src);
		free(full);
	}
	DIAG("%u capacities checked", runs);
}

/* ---- statistics mode ---- */

/* extra bits of lit/len symbol 257..285, and of distance symbol 0..29 */
static unsigned int ll_extra(unsigned int sym)
{
	sym -= 257;
	return sym < 8 || sym == 28 ? 0 : (sym - 4) / 4;
}

static unsigned int d_extra(unsigned int sym)
{
	return sym < 4 ? 0 : sym / 2 - 1;
}

/*
 * What a driver does with a histogram: length-limited (15) Huffman code
 * lengths for every symbol counted, the EOB forced in (the device never
 * counts it), at least two distance codes, as AECS entries.
 */
static void tables_from_stats(const uint32_t *llh, const uint32_t *dh, uint8_t *ll_len,
			      uint8_t *d_len, uint32_t *ll, uint32_t *d)
{
	uint32_t f[IAA_LL_SYMS], fd[IAA_D_SYMS];
	uint16_t code[IAA_LL_SYMS];
	unsigned int i, nd = 0;

	memcpy(f, llh, sizeof(f));
	memcpy(fd, dh, sizeof(fd));
	f[256] = 1;
	for (i = 0; i < IAA_D_SYMS; i++)
		nd += fd[i] != 0;
	for (i = 0; i < IAA_D_SYMS && nd < 2; i++) {
		if (!fd[i]) {
			fd[i] = 1;
			nd++;
		}
	}
	huff_lengths(f, IAA_LL_SYMS, 15, ll_len);
	huff_lengths(fd, IAA_D_SYMS, 15, d_len);
	canonical_codes(ll_len, IAA_LL_SYMS, code);
	for (i = 0; i < IAA_LL_SYMS; i++)
		ll[i] = IAA_HUFF_ENTRY(code[i], ll_len[i]);
	canonical_codes(d_len, IAA_D_SYMS, code);
	for (i = 0; i < IAA_D_SYMS; i++)
		d[i] = IAA_HUFF_ENTRY(code[i], d_len[i]);
}

/* bits the counted symbols take with these code lengths, extra bits included */
static uint64_t stats_bits(const uint32_t *llh, const uint32_t *dh, const uint8_t *ll_len,
			   const uint8_t *d_len)
{
	uint64_t bits = 0;
	unsigned int i;

	for (i = 0; i < IAA_LL_SYMS; i++)
		bits += (uint64_t)llh[i] * (ll_len[i] + (i > 256 ? ll_extra(i) : 0));
	for (i = 0; i < IAA_D_SYMS; i++)
		bits += (uint64_t)dh[i] * (d_len[i] + d_extra(i));
	return bits;
}

/*
 * Statistics -> dynamic tables and header -> compress into a buffer of
 * exactly the size the counts predict. Returns the header size in bits,
 * 0 after a failed check.
 */
static unsigned int stats_dynamic_one(const uint8_t *p, uint32_t n, const char *what,
				      size_t idx, uint8_t *out)
{
	uint32_t llh[IAA_LL_SYMS], dh[IAA_D_SYMS], ll[IAA_LL_SYMS], d[IAA_D_SYMS];
	uint8_t ll_len[IAA_LL_SYMS], d_len[IAA_D_SYMS], *dst;
	struct iaa_result rs, r, rd;
	struct tbits hdr;
	uint64_t bits;
	uint32_t want;
	size_t zl, zin;
	unsigned int before = case_fail;
	int zr;

	iaa_compress_stats(p, n, llh, dh, &rs);
	CHECK(rs.status == IAA_ST_SUCCESS && rs.in_consumed == n &&
	      rs.crc == (uint32_t)crc32(0, p, n),
	      "%s %zu (%u B): stats status %#x in %u", what, idx, n, rs.status,
	      rs.in_consumed);
	CHECK(llh[256] == 0, "%s %zu: EOB counted (%u)", what, idx, llh[256]);
	tables_from_stats(llh, dh, ll_len, d_len, ll, d);
	if (!dynamic_header(ll_len, d_len, &hdr)) {
		CHECK(0, "%s %zu (%u B): header of %u bits does not fit the accumulator",
		      what, idx, n, hdr.n);
		return 0;
	}
	bits = hdr.n + stats_bits(llh, dh, ll_len, d_len) + ll_len[256];
	if (bits > 16 * ((uint64_t)n + 256)) {
		CHECK(0, "%s %zu (%u B): counts predict %llu bits", what, idx, n,
		      (unsigned long long)bits);
		return 0;
	}
	want = (uint32_t)((bits + 7) / 8);

	/* a buffer of exactly the predicted size, as a driver would allocate */
	dst = guarded(want);
	{
		struct iaa_comp_args a = {
			.src = p, .src_len = n, .dst = dst, .dst_cap = want,
			.ll_sym = ll, .d_sym = d,
			.accum = hdr.b, .accum_bits = hdr.n,
			.append_eob = true, .flush_output = true,
		};

		iaa_compress(&a, &r);
	}
	CHECK(guard_ok(dst, want), "%s %zu: wrote past dst_cap", what, idx);
	CHECK(r.status == IAA_ST_SUCCESS && r.out_size == want &&
	      r.last_bits == bits % 8,
	      "%s %zu (%u B): compress %#x/%#x, %u bytes (last %u bits), counts predict %llu bits",
	      what, idx, n, r.status, r.error_code, r.out_size, r.last_bits,
	      (unsigned long long)bits);
	if (r.status != IAA_ST_SUCCESS) {
		free(dst);
		return 0;
	}
	CHECK(r.crc == rs.crc, "%s %zu: crc of compress and stats differ", what, idx);
	zr = zinflate(dst, r.out_size, out, (size_t)n + 1, &zl, &zin);
	CHECK(zr == Z_STREAM_END && zl == n && !memcmp(out, p, n) && zin == r.out_size,
	      "%s %zu (%u B): zlib inflate %d, %zu bytes from %zu of %u", what, idx, n,
	      zr, zl, zin, r.out_size);
	memset(out, 0, n);
	decomp(dst, r.out_size, out, n, &rd);
	CHECK(rd.status == IAA_ST_SUCCESS && rd.out_size == n && !memcmp(out, p, n) &&
	      rd.crc == rs.crc && rd.in_consumed == r.out_size,
	      "%s %zu: own decoder %#x/%#x, %u bytes", what, idx, rd.status,
	      rd.error_code, rd.out_size);
	free(dst);
	if (case_fail != before)
		return 0;
	return hdr.n;
}

/* inputs beside the corpus: tiny, degenerate, window-sized repeats */
static uint8_t *stats_special(struct rng *r, unsigned int k, uint32_t *n, const char **what)
{
	static const char *const names[] = {
		"1 random byte", "2 random bytes", "3 random bytes", "4 random bytes",
		"1 zero byte", "2 zero bytes", "3 zero bytes", "4 zero bytes",
		"5 zero bytes", "4 KiB zeros", "64 KiB random", "64 KiB zeros",
		"64 KiB 'ab'", "64 KiB period 3", "64 KiB byte ramp",
		"259 zeros", "260 zeros", "261 zeros", "16 x 4 KiB random block",
		"64 KiB period 25 text",
	};
	static const uint32_t sizes[] = {
		1, 2, 3, 4, 1, 2, 3, 4, 5, 4096, 65536, 65536, 65536, 65536, 65536,
		259, 260, 261, 65536, 65536,
	};
	uint8_t *p;

	if (k >= ARRAY_SIZE(sizes))
		return NULL;
	*n = sizes[k];
	*what = names[k];
	p = xmalloc(*n);
	memset(p, 0, *n);
	switch (k) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 10:
		rng_fill(r, p, *n);
		break;
	case 12:
		for (uint32_t i = 0; i < *n; i++)
			p[i] = "ab"[i % 2];
		break;
	case 13:
		for (uint32_t i = 0; i < *n; i++)
			p[i] = "xyz"[i % 3];
		break;
	case 14:
		for (uint32_t i = 0; i < *n; i++)
			p[i] = (uint8_t)i;
		break;
	case 18:
		/* every match at distance 4096, the end of the history */
		rng_fill(r, p, PAGE);
		for (uint32_t i = PAGE; i < *n; i++)
			p[i] = p[i - PAGE];
		break;
	case 19:
		for (uint32_t i = 0; i < *n; i++)
			p[i] = "hello, accelerated world "[i % 25];
		break;
	}
	return p;
}

/*
 * Statistics mode's promise to a driver: Huffman tables built from its
 * histogram make iaa_compress() produce exactly the counted symbols, so the
 * output size in bits is header + sum(count x (length + extra bits)) + EOB,
 * and the stream inflates (zlib and the engine's own decoder).
 */
static void t_compress_stats_dynamic(void)
{
	struct rng r = { seed ^ 5 };
	uint8_t *out = xmalloc(65536 + 1);
	unsigned int hmin = ~0u, hmax = 0, h, k, nspecial = 0;
	size_t i;

	for (i = 0; i < corpus.n; i++) {
		h = stats_dynamic_one(corpus.b[i].p, corpus.b[i].n,
				      pattern_name[corpus.b[i].pat], i, out);
		if (h) {
			hmin = h < hmin ? h : hmin;
			hmax = h > hmax ? h : hmax;
		}
	}
	for (k = 0;; k++) {
		const char *what;
		uint32_t n;
		uint8_t *p = stats_special(&r, k, &n, &what);

		if (!p)
			break;
		stats_dynamic_one(p, n, what, k, out);
		nspecial++;
		free(p);
	}
	DIAG("%zu corpus buffers and %u special inputs sized exactly from their statistics; headers %u..%u bits",
	     corpus.n, nspecial, hmin, hmax);
	free(out);
}

/*
 * The parse statistics mode counts is the parse of a compress: the symbols
 * of a fixed-table compress (every symbol has a code), decoded one by one,
 * are the counts, plus the one EOB the compress appended.
 */
static void t_compress_stats_fixed_symbols(void)
{
	uint8_t *out = xmalloc(65536);
	uint64_t syms = 0;
	size_t i;

	for (i = 0; i < corpus.n; i++) {
		const struct buf *b = &corpus.b[i];
		uint32_t llh[IAA_LL_SYMS], dh[IAA_D_SYMS];
		uint32_t llc[IAA_LL_SYMS] = { 0 }, dc[IAA_D_SYMS] = { 0 };
		size_t cap = fixed_bound(b->n), end;
		uint8_t *dst = xmalloc(cap);
		struct iaa_result rs, r;
		unsigned int s, bad = 0;
		long got;

		iaa_compress_stats(b->p, b->n, llh, dh, &rs);
		comp_fixed(b->p, b->n, dst, cap, &r);
		CHECK(r.status == IAA_ST_SUCCESS, "buf %zu: compress %#x", i, r.status);
		if (r.status != IAA_ST_SUCCESS) {
			free(dst);
			continue;
		}
		got = ref_decode(dst, 3, (size_t)r.out_size * 8, fixed_ll, fixed_d, true, out,
				 65536, &end, llc, dc);
		CHECK(got == (long)b->n && !memcmp(out, b->p, b->n),
		      "buf %zu: reference decoder %ld", i, got);
		CHECK(llc[256] == 1 && llh[256] == 0, "buf %zu: EOB decoded %u, counted %u",
		      i, llc[256], llh[256]);
		llc[256] = 0;
		for (s = 0; s < IAA_LL_SYMS; s++) {
			bad += llc[s] != llh[s];
			syms += llh[s];
		}
		for (s = 0; s < IAA_D_SYMS; s++)
			bad += dc[s] != dh[s];
		CHECK(!bad, "buf %zu (%u B %s): %u symbol counts differ from the output's",
		      i, b->n, pattern_name[b->pat], bad);
		free(dst);
	}
	DIAG("%zu buffers, %llu lit/len symbols compared", corpus.n, (unsigned long long)syms);
	free(out);
}

/*
 * Statistics are a function of the input alone (not of the arrays' old
 * contents or the buffer's address), never count the EOB, and add up:
 * one distance per length, literals + match lengths = input size.
 */
static void t_compress_stats_deterministic(void)
{
	static const uint16_t lbase[29] = {
		3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
	};
	struct rng r = { seed ^ 6 };
	uint8_t *p = xmalloc(65536 + 8);
	uint32_t llh[IAA_LL_SYMS], dh[IAA_D_SYMS], llh2[IAA_LL_SYMS], dh2[IAA_D_SYMS];
	struct iaa_result rs, rs2;
	unsigned int it;

	/* empty input (no buffer at all): nothing counted */
	memset(llh, 0xff, sizeof(llh));
	memset(dh, 0xff, sizeof(dh));
	iaa_compress_stats(NULL, 0, llh, dh, &rs);
	memset(llh2, 0, sizeof(llh2));
	memset(dh2, 0, sizeof(dh2));
	CHECK(rs.status == IAA_ST_SUCCESS && rs.in_consumed == 0 && rs.crc == 0 &&
	      !rs.out_size && !memcmp(llh, llh2, sizeof(llh)) && !memcmp(dh, dh2, sizeof(dh)),
	      "empty input: status %#x", rs.status);

	for (it = 0; it < 400; it++) {
		uint32_t n = it < 8 ? it + 1 : rng_below(&r, 4) ? 1 + rng_below(&r, 8192) :
			     1 + rng_below(&r, 65536);
		unsigned int off = 1 + rng_below(&r, 7), s;
		uint64_t lits = 0, lo = 0, hi = 0, nlen = 0, ndist = 0;

		gen_pattern(&r, p, n, rng_below(&r, PAT_COUNT), corpus.real,
			    corpus.nreal_pages * PAGE);
		memset(llh, 0xff, sizeof(llh));
		memset(dh, 0xff, sizeof(dh));
		iaa_compress_stats(p, n, llh, dh, &rs);
		CHECK(rs.status == IAA_ST_SUCCESS && !rs.error_code && rs.in_consumed == n &&
		      rs.crc == (uint32_t)crc32(0, p, n) && !rs.out_size,
		      "iter %u (%u B): status %#x/%#x in %u out %u", it, n, rs.status,
		      rs.error_code, rs.in_consumed, rs.out_size);
		/* again, with other old contents and at another address */
		memmove(p + off, p, n);
		memset(llh2, 0x5a, sizeof(llh2));
		memset(dh2, 0x5a, sizeof(dh2));
		iaa_compress_stats(p + off, n, llh2, dh2, &rs2);
		memmove(p, p + off, n);
		CHECK(!memcmp(llh, llh2, sizeof(llh)) && !memcmp(dh, dh2, sizeof(dh)) &&
		      !memcmp(&rs, &rs2, sizeof(rs)), "iter %u (%u B): not deterministic", it, n);
		CHECK(llh[256] == 0, "iter %u: EOB counted (%u)", it, llh[256]);
		for (s = 0; s < 256; s++)
			lits += llh[s];
		for (s = 257; s < IAA_LL_SYMS; s++) {
			nlen += llh[s];
			lo += (uint64_t)llh[s] * lbase[s - 257];
			hi += (uint64_t)llh[s] * (lbase[s - 257] + (1u << ll_extra(s)) - 1);
		}
		for (s = 0; s < IAA_D_SYMS; s++)
			ndist += dh[s];
		CHECK(nlen == ndist, "iter %u: %llu lengths, %llu distances", it,
		      (unsigned long long)nlen, (unsigned long long)ndist);
		CHECK(lits + lo <= n && n <= lits + hi,
		      "iter %u (%u B): %llu literals, matches %llu..%llu bytes", it, n,
		      (unsigned long long)lits, (unsigned long long)lo, (unsigned long long)hi);
		CHECK(n >= 4 || nlen == 0, "iter %u: a match in %u bytes", it, n);
		for (s = 24; s < IAA_D_SYMS; s++)
			CHECK(dh[s] == 0, "iter %u: distance code %u (> 4096) counted", it, s);
	}
	DIAG("%u inputs counted twice", it);
	free(p);
}

static void t_decompress_zlib_streams(void)
{
	static const struct { int level, strategy; const char *name; } modes[] = {
		{ 0, Z_DEFAULT_STRATEGY, "L0 stored" },
		{ 1, Z_DEFAULT_STRATEGY, "L1" }, { 2, Z_DEFAULT_STRATEGY, "L2" },
		{ 3, Z_DEFAULT_STRATEGY, "L3" }, { 4, Z_DEFAULT_STRATEGY, "L4" },
		{ 5, Z_DEFAULT_STRATEGY, "L5" }, { 6, Z_DEFAULT_STRATEGY, "L6" },
		{ 7, Z_DEFAULT_STRATEGY, "L7" }, { 8, Z_DEFAULT_STRATEGY, "L8" },
		{ 9, Z_DEFAULT_STRATEGY, "L9" },
		{ 6, Z_FIXED, "L6 fixed" }, { 6, Z_FILTERED, "L6 filtered" },
		{ 6, Z_HUFFMAN_ONLY, "L6 huffman" }, { 6, Z_RLE, "L6 rle" },
	};
	struct dcmp_stats st = { 0 };
	unsigned int streams = 0;
	uint8_t *comp = xmalloc(zbound(65536)), *out = xmalloc(65536);

	for (size_t i = 0; i < corpus.n; i += 29) {
		const struct buf *b = &corpus.b[i];

		for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
			size_t cl = zdeflate(b->p, b->n, modes[m].level, -12, modes[m].strategy,
					     comp, zbound(65536), SIZE_MAX, 0);
			struct iaa_result r;

			decomp(comp, cl, out, b->n, &r);
			CHECK(r.status == IAA_ST_SUCCESS && r.out_size == b->n &&
			      !memcmp(out, b->p, b->n),
			      "buf %zu (%u B %s) %s: status %#x/%#x size %u", i, b->n,
			      pattern_name[b->pat], modes[m].name, r.status, r.error_code,
			      r.out_size);
			CHECK(r.crc == (uint32_t)crc32(0, b->p, b->n), "buf %zu %s: crc", i,
			      modes[m].name);
			CHECK(r.in_consumed == cl, "buf %zu %s: in_consumed %u of %zu", i,
			      modes[m].name, r.in_consumed, cl);
			streams++;
		}
	}
	/* 32 KiB window streams of data <= 4 KiB are fine too */
	for (size_t i = 0; i < corpus.n; i += 97) {
		const struct buf *b = &corpus.b[i];

		if (b->n > PAGE)
			continue;
		size_t cl = zdeflate(b->p, b->n, 9, -15, Z_DEFAULT_STRATEGY, comp,
				     zbound(65536), SIZE_MAX, 0);

		compare_with_oracle(comp, cl, 65536, true, true, false, &st, "wbits 15");
		streams++;
	}
	DIAG("%u zlib streams (levels 0-9, fixed/filtered/huffman/rle) decoded", streams);
	free(comp);
	free(out);
}

static void t_decompress_multiblock(void)
{
	static const struct { int flush; const char *name; } fl[] = {
		{ Z_FULL_FLUSH, "full flush" }, { Z_SYNC_FLUSH, "sync flush" },
		{ Z_PARTIAL_FLUSH, "partial flush" }, { Z_BLOCK, "block" },
	};
	struct rng r = { seed ^ 5 };
	struct dcmp_stats st = { 0 };
	uint8_t *comp = xmalloc(zbound(65536));
	unsigned int streams = 0;

	for (int it = 0; it < 200; it++) {
		const struct buf *b = &corpus.b[rng_below(&r, corpus.n)];
		size_t at = rng_below(&r, b->n + 1);
		int f = rng_below(&r, 4), level = rng_below(&r, 10);
		size_t cl = zdeflate(b->p, b->n, level, -12, Z_DEFAULT_STRATEGY, comp,
				     zbound(65536), at, fl[f].flush);
		char what[64];

		snprintf(what, sizeof(what), "L%d %s at %zu/%u", level, fl[f].name, at, b->n);
		compare_with_oracle(comp, cl, 65536, true, true, false, &st, what);
		streams++;
	}
	CHECK(st.ok == streams, "all multi-block streams decode (%u of %u)", st.ok, streams);

	/* a stream of many small stored, fixed and dynamic blocks */
	{
		z_stream z;
		const struct buf *b = &corpus.b[corpus.n - 1];
		size_t pos = 0;
		uint8_t *out = xmalloc(b->n);
		struct iaa_result res;
		int k = 0;

		memset(&z, 0, sizeof(z));
		deflateInit2(&z, 6, Z_DEFLATED, -12, 8, Z_DEFAULT_STRATEGY);
		z.next_out = comp;
		z.avail_out = zbound(65536);
		while (pos < b->n) {
			size_t n = 1 + rng_below(&r, 3000);

			if (n > b->n - pos)
				n = b->n - pos;
			deflateParams(&z, k % 3 == 0 ? 0 : 6,
				      k % 3 == 1 ? Z_FIXED : Z_DEFAULT_STRATEGY);
			z.next_in = b->p + pos;
			z.avail_in = n;
			deflate(&z, Z_FULL_FLUSH);
			pos += n;
			k++;
		}
		deflate(&z, Z_FINISH);
		decomp(comp, zbound(65536) - z.avail_out, out, b->n, &res);
		CHECK(res.status == IAA_ST_SUCCESS && res.out_size == b->n &&
		      !memcmp(out, b->p, b->n), "%d mixed blocks: %#x/%#x", k, res.status,
		      res.error_code);
		deflateEnd(&z);
		free(out);
		DIAG("%u flushed streams, plus one stream of %d mixed blocks", streams, k);
	}
	free(comp);
}

/* hand-made fixed-block streams */
struct sbits {
	uint8_t b[64];
	unsigned int n;
};

static void sb_put(struct sbits *s, uint32_t v, unsigned int len)
{
	for (unsigned int i = 0; i < len; i++, s->n++)
		if (v >> i & 1)
			s->b[s->n / 8] |= 1u << (s->n % 8);
}

static void sb_code(struct sbits *s, uint32_t entry)
{
	for (unsigned int i = IAA_HUFF_LEN(entry); i-- > 0;)
		sb_put(s, IAA_HUFF_CODE(entry) >> i & 1, 1);
}

static void t_decompress_far_distance(void)
{
	struct rng r = { seed ^ 6 };
	uint8_t *data = xmalloc(20000), *comp = xmalloc(zbound(20000)), *out = xmalloc(20000);
	struct iaa_result res;
	struct oracle o;
	size_t cl, zl;

	/* period 5000: zlib (32 KiB window) uses distance 5000 */
	rng_fill(&r, data, 5000);
	for (int i = 5000; i < 20000; i++)
		data[i] = data[i - 5000];
	cl = zdeflate(data, 20000, 6, -15, Z_DEFAULT_STRATEGY, comp, zbound(20000), SIZE_MAX, 0);
	CHECK(zinflate(comp, cl, out, 20000, &zl, NULL) == Z_STREAM_END && zl == 20000 &&
	      !memcmp(out, data, zl), "zlib accepts its own stream");
	o = oracle_inflate(comp, cl, out, 20000);
	CHECK(o.st == OR_DATAERR && o.out_len >= 5000 && o.out_len < 5100,
	      "the stream has a distance > 4096 near offset 5000 (oracle %d after %zu bytes)",
	      o.st, o.out_len);
	decomp(comp, cl, out, 20000, &res);
	CHECK(res.status == IAA_ST_ANALYTICS_ERROR && res.error_code == IAA_ERR_BAD_DIST,
	      "period 5000: %#x/%#x", res.status, res.error_code);
	CHECK(res.out_size == o.out_len && !memcmp(out, data, res.out_size),
	      "period 5000: output up to the bad match (%u bytes, oracle %zu)",
	      res.out_size, o.out_len);

	/* periods just past the history: every distance is > 4096 */
	for (unsigned int period = 4097; period <= 4200; period += 7) {
		struct dcmp_stats st = { 0 };
		char what[48];

		rng_fill(&r, data, period);
		for (unsigned int i = period; i < 12000; i++)
			data[i] = data[i - period];
		cl = zdeflate(data, 12000, 9, -15, Z_DEFAULT_STRATEGY, comp, zbound(20000),
			      SIZE_MAX, 0);
		decomp(comp, cl, out, 20000, &res);
		CHECK(res.status == IAA_ST_ANALYTICS_ERROR && res.error_code == IAA_ERR_BAD_DIST,
		      "period %u: %#x/%#x", period, res.status, res.error_code);
		snprintf(what, sizeof(what), "period %u", period);
		compare_with_oracle(comp, cl, 20000, true, true, false, &st, what);
		CHECK(st.err == 1, "period %u: the oracle finds the bad distance", period);
	}

	/* period 4096: distance 4096 is within the history */
	for (int i = 4096; i < 20000; i++)
		data[i] = data[i - 4096];
	cl = zdeflate(data, 20000, 6, -15, Z_DEFAULT_STRATEGY, comp, zbound(20000), SIZE_MAX, 0);
	decomp(comp, cl, out, 20000, &res);
	CHECK(res.status == IAA_ST_SUCCESS && res.out_size == 20000 &&
	      !memcmp(out, data, 20000), "period 4096: %#x/%#x", res.status, res.error_code);

	/* fixed block: 'a', then a match of distance 2 -> before the start */
	{
		struct sbits s = { { 0 }, 0 };

		sb_put(&s, 3, 3);
		sb_code(&s, fixed_ll['a']);
		sb_code(&s, fixed_ll[257]);	/* length 3 */
		sb_code(&s, fixed_d[1]);	/* distance 2 */
		sb_code(&s, fixed_ll[256]);
		decomp(s.b, (s.n + 7) / 8, out, 100, &res);
		CHECK(res.status == IAA_ST_ANALYTICS_ERROR &&
		      res.error_code == IAA_ERR_REF_BEFORE_START,
		      "distance before start: %#x/%#x", res.status, res.error_code);
	}
	/* fixed block: distance codes 30 and literal/length 286 are invalid */
	{
		struct sbits s = { { 0 }, 0 };

		sb_put(&s, 3, 3);
		sb_code(&s, fixed_ll['a']);
		sb_code(&s, fixed_ll[257]);
		sb_code(&s, IAA_HUFF_ENTRY(30, 5));
		decomp(s.b, (s.n + 7) / 8, out, 100, &res);
		CHECK(res.status == IAA_ST_ANALYTICS_ERROR && res.error_code == IAA_ERR_BAD_D_CODE,
		      "distance code 30: %#x/%#x", res.status, res.error_code);
		memset(&s, 0, sizeof(s));
		sb_put(&s, 3, 3);
		sb_code(&s, IAA_HUFF_ENTRY(0xc6, 8));	/* symbol 286 */
		decomp(s.b, (s.n + 7) / 8, out, 100, &res);
		CHECK(res.status == IAA_ST_ANALYTICS_ERROR && res.error_code == IAA_ERR_BAD_LL_CODE,
		      "lit/len code 286: %#x/%#x", res.status, res.error_code);
	}
	/* block type 3, bad stored length */
	{
		uint8_t bt3[2] = { 0x07, 0 }, st[6] = { 0x01, 0x05, 0x00, 0xfa, 0xfe, 0 };

		decomp(bt3, 2, out, 100, &res);
		CHECK(res.status == IAA_ST_ANALYTICS_ERROR &&
		      res.error_code == IAA_ERR_INVALID_BLOCK_TYPE, "block type 3: %#x/%#x",
		      res.status, res.error_code);
		decomp(st, 6, out, 100, &res);
		CHECK(res.status == IAA_ST_ANALYTICS_ERROR &&
		      res.error_code == IAA_ERR_INVALID_STORED_LEN, "stored LEN/NLEN: %#x/%#x",
		      res.status, res.error_code);
	}
	free(data);
	free(comp);
	free(out);
}

/*
 * Hand-made dynamic blocks. The code-length code used: symbols 0..12 have
 * 4 bits, 13..18 have 5 bits (complete).
 */
struct hdr_spec {
	unsigned int hlit, hdist, hclen;	/* header fields as written */
	bool bad_cl;				/* write an incomplete CL code */
	bool zero_cl;				/* write an all-zero CL code */
};

static void put_dyn_header(struct tbits *t, const struct hdr_spec *h,
			   const uint8_t *clsym, const uint8_t *clx, unsigned int n)
{
	static const uint8_t order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
	};
	uint8_t cl_len[19];
	uint16_t cl_code[19];
	unsigned int i;

	for (i = 0; i < 19; i++)
		cl_len[i] = h->zero_cl ? 0 : h->bad_cl ? 5 : i < 13 ? 4 : 5;
	canonical_codes(cl_len, 19, cl_code);
	tb_put(t, 1, 1);
	tb_put(t, 2, 2);
	tb_put(t, h->hlit, 5);
	tb_put(t, h->hdist, 5);
	tb_put(t, h->hclen, 4);
	for (i = 0; i < h->hclen + 4u; i++)
		tb_put(t, cl_len[order[i]], 3);
	for (i = 0; i < n; i++) {
		tb_put_code(t, cl_code[clsym[i]], cl_len[clsym[i]]);
		if (clsym[i] == 16)
			tb_put(t, clx[i], 2);
		else if (clsym[i] == 17)
			tb_put(t, clx[i], 3);
		else if (clsym[i] == 18)
			tb_put(t, clx[i], 7);
	}
}

/* code-length symbols for a sequence of lengths (zero runs as 17/18) */
static unsigned int rle_lengths(const uint8_t *len, unsigned int n, uint8_t *sym, uint8_t *x)
{
	unsigned int i = 0, k = 0;

	while (i < n) {
		unsigned int run = 0;

		while (i + run < n && !len[i + run] && run < 138)
			run++;
		if (run >= 11) {
			sym[k] = 18;
			x[k++] = run - 11;
			i += run;
		} else if (run >= 3) {
			sym[k] = 17;
			x[k++] = run - 3;
			i += run;
		} else {
			sym[k] = len[i++];
			x[k++] = 0;
		}
	}
	return k;
}

/*
 * One dynamic block with lit/len lengths ll[0..nll) and distance lengths
 * d[0..nd), followed by body symbols: ll symbols, or 1000 + d for a
 * distance symbol, or 2000 + b for one raw bit.
 */
static unsigned int dyn_block(uint8_t *out, const uint8_t *ll, unsigned int nll,
			      const uint8_t *d, unsigned int nd, const int *body,
			      unsigned int nbody, const struct hdr_spec *over)
{
	struct tbits t;
	uint8_t seq[320], sym[320], x[320];
	uint16_t llc[IAA_LL_SYMS], dc[IAA_D_SYMS];
	struct hdr_spec h = { nll - 257, nd - 1, 15, false, false };
	unsigned int n;

	if (over)
		h = *over;
	memcpy(seq, ll, nll);
	memcpy(seq + nll, d, nd);
	n = rle_lengths(seq, nll + nd, sym, x);
	memset(&t, 0, sizeof(t));
	put_dyn_header(&t, &h, sym, x, n);
	canonical_codes(ll, nll, llc);
	canonical_codes(d, nd, dc);
	for (unsigned int i = 0; i < nbody; i++) {
		if (body[i] >= 2000)
			tb_put(&t, body[i] - 2000, 1);
		else if (body[i] >= 1000)
			tb_put_code(&t, dc[body[i] - 1000], d[body[i] - 1000]);
		else
			tb_put_code(&t, llc[body[i]], ll[body[i]]);
	}
	/* zero padding: a header error is not taken for a truncation */
	memset(out, 0, (t.n + 7) / 8 + 40);
	memcpy(out, t.b, (t.n + 7) / 8);
	return (t.n + 7) / 8 + 40;
}

static void t_decompress_crafted_headers(void)
{
	struct dcmp_stats st = { 0 };
	uint8_t ll[IAA_LL_SYMS], d[IAA_D_SYMS], blk[512], out[64];
	struct iaa_result r;
	unsigned int n;
	struct {
		const char *name;
		uint8_t want;	/* expected error, 0 = success */
	} exp;

#define RUN(bodyv, over, code, nm) do { \
		int body_[] = bodyv; \
		n = dyn_block(blk, ll, 258, d, 1, body_, sizeof(body_) / sizeof(int), over); \
		exp.name = nm; \
		exp.want = code; \
		decomp(blk, n, out, sizeof(out), &r); \
		if (exp.want) \
			CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == exp.want, \
			      "%s: %#x/%#x, want error %#x", exp.name, r.status, \
			      r.error_code, exp.want); \
		else \
			CHECK(r.status == IAA_ST_SUCCESS, "%s: %#x/%#x", exp.name, \
			      r.status, r.error_code); \
		compare_with_oracle(blk, n, sizeof(out), true, true, false, &st, nm); \
	} while (0)
#define B(...) { __VA_ARGS__ }

	/* valid: 'a' 'b' EOB each 2 bits (incomplete is not allowed: 4 codes) */
	memset(ll, 0, sizeof(ll));
	memset(d, 0, sizeof(d));
	ll['a'] = ll['b'] = ll[256] = ll[257] = 2;
	d[0] = 1;
	RUN(B('a', 'b', 257, 1000, 256), NULL, 0, "valid block");
	CHECK(r.out_size == 5 && !memcmp(out, "abbbb", 5), "valid block output");
	/* single distance code of 1 bit: the other pattern is invalid */
	RUN(B('a', 257, 2001, 256), NULL, IAA_ERR_BAD_D_CODE, "unused distance pattern");
	/* incomplete distance code with longer codes */
	d[0] = 2;
	d[1] = 2;
	{
		uint8_t dd[2] = { 2, 2 };
		int body[] = { 256 };

		n = dyn_block(blk, ll, 258, dd, 2, body, 1, NULL);
		decomp(blk, n, out, sizeof(out), &r);
		CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_BAD_D_CODE_LEN,
		      "incomplete distance code: %#x/%#x", r.status, r.error_code);
		compare_with_oracle(blk, n, sizeof(out), true, true, false, &st, "incomplete d");
	}
	d[1] = 0;
	/* no distance codes at all: fine until a match needs one */
	d[0] = 0;
	RUN(B('a', 256), NULL, 0, "no distance codes, no match");
	RUN(B('a', 257, 2000, 2000, 256), NULL, IAA_ERR_BAD_D_CODE, "no distance codes, match");
	d[0] = 1;
	/* no EOB code */
	ll[256] = 0;
	ll['c'] = 2;
	RUN(B('a'), NULL, IAA_ERR_BAD_LL_CODE_LEN, "no end-of-block code");
	ll['c'] = 0;
	ll[256] = 2;
	/* over-subscribed and incomplete lit/len codes */
	ll['c'] = 2;
	RUN(B(256), NULL, IAA_ERR_BAD_LL_CODE_LEN, "over-subscribed lit/len code");
	ll['c'] = 0;
	ll[257] = 0;
	RUN(B(256), NULL, IAA_ERR_BAD_LL_CODE_LEN, "incomplete lit/len code");
	/* only an EOB code of 1 bit: allowed, the other pattern is invalid */
	memset(ll, 0, sizeof(ll));
	ll[256] = 1;
	RUN(B(256), NULL, 0, "only EOB");
	RUN(B(2001), NULL, IAA_ERR_BAD_LL_CODE, "only EOB, unused pattern");
	ll['a'] = ll['b'] = ll[256] = ll[257] = 2;
	/* header field errors */
	{
		struct hdr_spec h = { 30, 0, 15, false, false };

		RUN(B(256), &h, IAA_ERR_TOO_MANY_LL_CODES, "HLIT 287");
		h.hlit = 1;
		h.hdist = 30;
		RUN(B(256), &h, IAA_ERR_TOO_MANY_D_CODES, "HDIST 31");
		h.hdist = 0;
		h.bad_cl = true;
		RUN(B(256), &h, IAA_ERR_BAD_CL_CODE_LEN, "incomplete code-length code");
		h.bad_cl = false;
		h.zero_cl = true;
		RUN(B(256), &h, IAA_ERR_UNDEF_CL_CODE, "empty code-length code");
	}
	/* repeat codes: 16 first, runs past the end */
	{
		struct hdr_spec h = { 0, 0, 15, false, false };
		struct tbits t;
		uint8_t sym[4] = { 16, 18, 18, 18 }, x[4] = { 0, 127, 127, 127 };

		memset(&t, 0, sizeof(t));
		put_dyn_header(&t, &h, sym, x, 1);
		decomp(t.b, (t.n + 7) / 8 + 1, out, sizeof(out), &r);
		CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_FIRST_CODE_16,
		      "repeat 16 first: %#x/%#x", r.status, r.error_code);
		compare_with_oracle(t.b, (t.n + 7) / 8 + 1, sizeof(out), true, true, false, &st,
				    "16 first");
		memset(&t, 0, sizeof(t));
		put_dyn_header(&t, &h, sym + 1, x + 1, 3);
		decomp(t.b, (t.n + 7) / 8, out, sizeof(out), &r);
		CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_WRONG_NUM_CODES,
		      "repeat past the end: %#x/%#x", r.status, r.error_code);
		compare_with_oracle(t.b, (t.n + 7) / 8, sizeof(out), true, true, false, &st,
				    "repeat past end");
		/* 138 + 118 + 3 = one length more than 257 + 1 */
		sym[2] = 18;
		x[1] = 127;
		x[2] = 107;
		sym[3] = 17;
		x[3] = 0;
		memset(&t, 0, sizeof(t));
		put_dyn_header(&t, &h, sym + 1, x + 1, 3);
		decomp(t.b, (t.n + 7) / 8, out, sizeof(out), &r);
		CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_WRONG_NUM_CODES,
		      "repeat one past the end: %#x/%#x", r.status, r.error_code);
		compare_with_oracle(t.b, (t.n + 7) / 8, sizeof(out), true, true, false, &st,
				    "repeat one past end");
	}
#undef RUN
#undef B
	DIAG("%u crafted blocks agree with zlib (%u valid, %u errors, %u truncated)",
	     st.ok + st.err + st.trunc, st.ok, st.err, st.trunc);
}

/* a set of valid streams for the decoder tests */
struct stream {
	uint8_t *p;
	uint32_t n;
	uint32_t dlen;		/* decoded length */
	const uint8_t *data;
};

static struct stream *make_streams(unsigned int *count, unsigned int want, uint64_t s)
{
	struct rng r = { s };
	struct stream *v = calloc(want, sizeof(*v));
	unsigned int k;

	for (k = 0; k < want; k++) {
		const struct buf *b;
		size_t cap;
		int kind = k % 4;

		do
			b = &corpus.b[rng_below(&r, corpus.n)];
		while (b->n > (k % 16 == 0 ? 65536u : 8192u));
		cap = zbound(b->n) + fixed_bound(b->n);
		v[k].p = xmalloc(cap);
		v[k].data = b->p;
		v[k].dlen = b->n;
		if (kind == 0) {
			struct iaa_result res;

			comp_fixed(b->p, b->n, v[k].p, cap, &res);
			v[k].n = res.out_size;
		} else if (kind == 3) {
			v[k].n = zdeflate(b->p, b->n, rng_below(&r, 10), -12,
					  Z_DEFAULT_STRATEGY, v[k].p, cap,
					  rng_below(&r, b->n + 1), Z_FULL_FLUSH);
		} else {
			v[k].n = zdeflate(b->p, b->n, 1 + rng_below(&r, 9), -12,
					  rng_below(&r, 3) ? Z_DEFAULT_STRATEGY : Z_FIXED,
					  v[k].p, cap, SIZE_MAX, 0);
		}
	}
	*count = want;
	return v;
}

static void free_streams(struct stream *v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		free(v[i].p);
	free(v);
}

static void t_decompress_overflow(void)
{
	unsigned int ns, runs = 0;
	struct stream *v = make_streams(&ns, 12, seed ^ 7);

	for (unsigned int k = 0; k < ns; k++) {
		for (uint32_t cap = 0; cap <= v[k].dlen + 2; cap++) {
			uint8_t *dst = guarded(cap);
			struct iaa_result r;

			decomp(v[k].p, v[k].n, cap ? dst : NULL, cap, &r);
			if (cap)
				decomp(v[k].p, v[k].n, dst, cap, &r);
			CHECK(guard_ok(dst, cap), "stream %u cap %u: wrote past dst_cap", k, cap);
			if (cap < v[k].dlen)
				CHECK(r.status == IAA_ST_OUTBUF_OVERFLOW && r.out_size == cap &&
				      !memcmp(dst, v[k].data, cap),
				      "stream %u cap %u < %u: %#x/%#x size %u", k, cap, v[k].dlen,
				      r.status, r.error_code, r.out_size);
			else
				CHECK(r.status == IAA_ST_SUCCESS && r.out_size == v[k].dlen &&
				      !memcmp(dst, v[k].data, v[k].dlen),
				      "stream %u cap %u >= %u: %#x/%#x", k, cap, v[k].dlen,
				      r.status, r.error_code);
			free(dst);
			runs++;
		}
	}
	DIAG("%u streams, %u capacities checked", ns, runs);
	free_streams(v, ns);
}

static void t_decompress_fuzz(void)
{
	struct rng r = { seed ^ 8 };
	unsigned int ns, cases = 0, k;
	struct stream *v = make_streams(&ns, 160, seed ^ 9);
	struct dcmp_stats st = { 0 };
	uint8_t *buf = xmalloc(70000 + 300);
	char what[96];

	for (k = 0; k < 12000 && case_fail < 20; k++) {
		const struct stream *s = &v[rng_below(&r, ns)];
		uint32_t n = s->n, cap = 131072;
		int kind = k % 10;
		bool stop = true, check = rng_below(&r, 4) != 0;
		bool suppress = rng_below(&r, 8) == 0;

		memcpy(buf, s->p, n);
		if (kind < 2) {
			/* random bytes, sometimes after a valid block header */
			n = 1 + rng_below(&r, 300);
			rng_fill(&r, buf, n);
			if (kind == 1)
				buf[0] = (buf[0] & ~7) | (rng_below(&r, 2) ? 5 : 3);
			snprintf(what, sizeof(what), "case %u: %u random bytes", k, n);
		} else if (kind < 7) {
			/* 1..4 bit flips */
			int flips = 1 + rng_below(&r, 4);

			for (int f = 0; f < flips; f++) {
				uint32_t bit = rng_below(&r, n * 8);

				buf[bit / 8] ^= 1u << (bit % 8);
			}
			snprintf(what, sizeof(what), "case %u: %d flips of a %u B stream", k,
				 flips, n);
		} else if (kind < 9) {
			/* truncation, possibly with a flip */
			n = rng_below(&r, n + 1);
			if (kind == 8 && n) {
				uint32_t bit = rng_below(&r, n * 8);

				buf[bit / 8] ^= 1u << (bit % 8);
			}
			snprintf(what, sizeof(what), "case %u: truncated to %u of %u B", k, n,
				 s->n);
		} else {
			/* overwrite a random run of bytes */
			uint32_t at = rng_below(&r, n), len = 1 + rng_below(&r, 8);

			for (uint32_t i = at; i < at + len && i < n; i++)
				buf[i] = (uint8_t)rng_next(&r);
			snprintf(what, sizeof(what), "case %u: bytes %u.. of %u B replaced", k,
				 at, n);
		}
		if (rng_below(&r, 4) == 0)
			cap = rng_below(&r, s->dlen + 1);
		compare_with_oracle(buf, n, cap, stop, check, suppress, &st, what);
		cases++;
	}
	DIAG("%u corrupted streams vs the zlib 4 KiB oracle: %u accepted, %u errors, %u truncated, %u overflows",
	     cases, st.ok, st.err, st.trunc, st.ovf);
	CHECK(cases >= 10000, "at least 10000 cases ran (%u)", cases);
	free(buf);
	free_streams(v, ns);
}

static void t_decompress_suppress(void)
{
	unsigned int ns;
	struct stream *v = make_streams(&ns, 64, seed ^ 10);
	uint8_t canary[16];

	for (unsigned int k = 0; k < ns; k++) {
		struct iaa_decomp_args a = {
			.src = v[k].p, .src_len = v[k].n, .dst = canary, .dst_cap = 1,
			.suppress_output = true, .stop_on_eob = true, .check_for_eob = true,
			.sel_bfinal_eob = true, .crc_seed = k,
		};
		struct iaa_result r;

		memset(canary, CANARY, sizeof(canary));
		iaa_decompress(&a, &r);
		CHECK(r.status == IAA_ST_SUCCESS && r.out_size == v[k].dlen,
		      "stream %u: %#x/%#x size %u want %u", k, r.status, r.error_code,
		      r.out_size, v[k].dlen);
		CHECK(r.crc == (uint32_t)crc32(k, v[k].data, v[k].dlen), "stream %u: crc", k);
		for (size_t i = 0; i < sizeof(canary); i++)
			CHECK(canary[i] == CANARY, "stream %u: output written", k);
	}
	free_streams(v, ns);
}

static void t_decompress_stop_on_eob(void)
{
	struct rng r = { seed ^ 11 };
	unsigned int ns;
	struct stream *v = make_streams(&ns, 64, seed ^ 12);

	for (unsigned int k = 0; k < ns; k++) {
		uint32_t extra = 1 + rng_below(&r, 100);
		uint8_t *src = xmalloc(v[k].n + extra), *out = xmalloc(v[k].dlen + 1);
		struct iaa_result res;

		memcpy(src, v[k].p, v[k].n);
		rng_fill(&r, src + v[k].n, extra);
		for (int stop = 0; stop < 2; stop++) {
			struct iaa_decomp_args a = {
				.src = src, .src_len = v[k].n + extra, .dst = out,
				.dst_cap = v[k].dlen, .stop_on_eob = stop, .check_for_eob = true,
				.sel_bfinal_eob = true,
			};

			iaa_decompress(&a, &res);
			if (!stop) {
				/* the garbage is decoded as more blocks: never a short success */
				CHECK(res.status != IAA_ST_SUCCESS ||
				      res.in_consumed == v[k].n + extra,
				      "stream %u + %u garbage bytes, no stop: success after %u bytes",
				      k, extra, res.in_consumed);
				continue;
			}
			CHECK(res.status == IAA_ST_SUCCESS && res.out_size == v[k].dlen &&
			      !memcmp(out, v[k].data, v[k].dlen),
			      "stream %u + %u garbage bytes: %#x/%#x", k, extra,
			      res.status, res.error_code);
			CHECK(res.in_consumed == v[k].n,
			      "stream %u: in_consumed %u (stream %u + %u)", k,
			      res.in_consumed, v[k].n, extra);
		}
		free(src);
		free(out);
	}
	free_streams(v, ns);
}

/*
 * zlib's view of a stream's blocks: inflate(Z_BLOCK) returns at every block
 * boundary. Fills the output and input offsets of the end of each block and
 * the number of unused bits in the byte the final block ends in.
 */
struct zblocks {
	unsigned int n;
	size_t out[512], in[512];
	int pad_bits;
};

static bool zlib_blocks(const uint8_t *src, size_t n, uint8_t *out, size_t cap,
			struct zblocks *zb)
{
	z_stream z;
	int ret = Z_OK;

	memset(&z, 0, sizeof(z));
	memset(zb, 0, sizeof(*zb));
	if (inflateInit2(&z, -15) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	z.next_out = out;
	z.avail_out = cap;
	while (ret == Z_OK && zb->n < 512) {
		size_t before_in = z.avail_in, before_out = z.avail_out;

		ret = inflate(&z, Z_BLOCK);
		if (ret == Z_OK && (z.data_type & 128))
			zb->pad_bits = z.data_type & 7;
		if (ret == Z_STREAM_END || (ret == Z_OK && (z.data_type & 128) &&
					    (z.total_in || z.total_out))) {
			if (!zb->n || zb->in[zb->n - 1] != z.total_in ||
			    zb->out[zb->n - 1] != z.total_out) {
				zb->out[zb->n] = z.total_out;
				zb->in[zb->n] = z.total_in;
				zb->n++;
			}
		}
		if (ret == Z_OK && before_in == z.avail_in && before_out == z.avail_out &&
		    !(z.data_type & 128))
			break;
	}
	inflateEnd(&z);
	return ret == Z_STREAM_END;
}

/*
 * The decompression flags as Intel QPL's hardware definitions give them, on
 * streams of several blocks (zlib flushes, stored and fixed blocks): which
 * EOB ends the job, what CHECK_FOR_EOB demands, that the bits after a final
 * block are decoded without STOP_ON_EOB, and IGNORE_END_BITS.
 */
static void t_decompress_eob_rules(void)
{
	static const int flushes[] = { Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_PARTIAL_FLUSH, Z_BLOCK };
	struct rng r = { seed ^ 14 };
	uint8_t *comp = xmalloc(zbound(65536)), *out = xmalloc(65536 + 1);
	uint8_t *ref = xmalloc(65536);
	unsigned int streams = 0, multi = 0, short_first = 0, padded = 0;

	for (int it = 0; it < 300; it++) {
		const struct buf *b = &corpus.b[rng_below(&r, corpus.n)];
		size_t at = rng_below(&r, b->n + 1);
		int level = rng_below(&r, 10), f = rng_below(&r, 4);
		size_t cl = zdeflate(b->p, b->n, level, -12, Z_DEFAULT_STRATEGY, comp,
				     zbound(65536), at, flushes[f]);
		struct zblocks zb;
		struct iaa_result res;
		struct iaa_decomp_args a = {
			.src = comp, .src_len = cl, .dst = out, .dst_cap = 65536,
		};

		if (!zlib_blocks(comp, cl, ref, 65536, &zb) || !zb.n) {
			CHECK(0, "it %d: zlib cannot walk its own stream", it);
			continue;
		}
		streams++;
		multi += zb.n > 1;

		/* stop at the final block's EOB: everything, whatever the check */
		for (int check = 0; check < 2; check++) {
			a.stop_on_eob = true;
			a.sel_bfinal_eob = true;
			a.check_for_eob = check;
			a.ignore_end_bits = 0;
			iaa_decompress(&a, &res);
			CHECK(res.status == IAA_ST_SUCCESS && res.out_size == b->n &&
			      !memcmp(out, b->p, b->n) && res.in_consumed == cl,
			      "it %d (%u blocks) stop+bfinal check %d: %#x/%#x out %u/%u in %u/%zu",
			      it, zb.n, check, res.status, res.error_code, res.out_size, b->n,
			      res.in_consumed, cl);
		}

		/* stop at any EOB: the first block only, and success */
		a.sel_bfinal_eob = false;
		a.check_for_eob = true;
		iaa_decompress(&a, &res);
		CHECK(res.status == IAA_ST_SUCCESS && res.out_size == zb.out[0] &&
		      res.in_consumed == zb.in[0] && !memcmp(out, b->p, zb.out[0]),
		      "it %d (%u blocks) stop at any EOB: %#x out %u want %zu, in %u want %zu",
		      it, zb.n, res.status, res.out_size, zb.out[0], res.in_consumed, zb.in[0]);
		short_first += zb.n > 1 && zb.out[0] < b->n;

		/* no stop: the padding after the final block is decoded too */
		a.stop_on_eob = false;
		a.sel_bfinal_eob = true;
		a.check_for_eob = true;
		iaa_decompress(&a, &res);
		if (zb.pad_bits) {
			padded++;
			CHECK(res.status == IAA_ST_ANALYTICS_ERROR &&
			      res.error_code == IAA_ERR_BAD_EOF,
			      "it %d: no stop, %d pad bits read as a header: %#x/%#x", it,
			      zb.pad_bits, res.status, res.error_code);
		} else {
			CHECK(res.status == IAA_ST_SUCCESS && res.out_size == b->n,
			      "it %d: no stop, no pad bits: %#x/%#x", it, res.status,
			      res.error_code);
		}
		/* ... unless IGNORE_END_BITS names them */
		a.ignore_end_bits = zb.pad_bits;
		iaa_decompress(&a, &res);
		CHECK(res.status == IAA_ST_SUCCESS && res.out_size == b->n &&
		      !memcmp(out, b->p, b->n) && res.in_consumed == cl,
		      "it %d: no stop, ignore_end_bits %d: %#x/%#x out %u/%u", it,
		      zb.pad_bits, res.status, res.error_code, res.out_size, b->n);
		/* ... and without the check, the decoded data stands */
		a.ignore_end_bits = 0;
		a.check_for_eob = false;
		iaa_decompress(&a, &res);
		CHECK(res.status == IAA_ST_SUCCESS && res.out_size == b->n &&
		      !memcmp(out, b->p, b->n),
		      "it %d: no stop, no check: %#x/%#x out %u/%u", it, res.status,
		      res.error_code, res.out_size, b->n);

		/* truncated inside the last block: an error only with the check */
		if (cl > 2 && zb.n > 1) {
			a.src_len = zb.in[zb.n - 2];
			a.stop_on_eob = true;
			a.check_for_eob = true;
			iaa_decompress(&a, &res);
			CHECK(res.status == IAA_ST_ANALYTICS_ERROR &&
			      res.error_code == IAA_ERR_BAD_EOF,
			      "it %d: cut in the final block, check: %#x/%#x", it,
			      res.status, res.error_code);
			a.src_len = cl;
		}
	}
	CHECK(multi >= 100 && short_first >= 100 && padded >= 100,
	      "enough streams of several blocks: %u multi, %u short first block, %u padded of %u",
	      multi, short_first, padded, streams);
	DIAG("%u streams (%u of several blocks, %u whose first block is short, %u padded)",
	     streams, multi, short_first, padded);
	free(comp);
	free(out);
	free(ref);
}

static void t_decompress_check_for_eob(void)
{
	unsigned int ns, runs = 0;
	struct stream *v = make_streams(&ns, 24, seed ^ 13);
	struct dcmp_stats st = { 0 };

	for (unsigned int k = 0; k < ns; k++) {
		uint32_t step = v[k].n > 600 ? v[k].n / 300 : 1;

		for (uint32_t n = 0; n < v[k].n; n += step) {
			struct iaa_result r;
			uint8_t *out = xmalloc(v[k].dlen + 1);

			decomp(v[k].p, n, out, v[k].dlen, &r);
			CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_BAD_EOF,
			      "stream %u truncated to %u of %u: %#x/%#x", k, n, v[k].n,
			      r.status, r.error_code);
			free(out);
			/* without the check: partial output, as zlib gives */
			compare_with_oracle(v[k].p, n, v[k].dlen, true, false, false, &st,
					    "truncated, no check");
			runs++;
		}
	}
	DIAG("%u truncations checked (%u partial outputs compared)", runs, st.trunc);
	free_streams(v, ns);
}

/* concurrent use from several threads gives the same results */
struct thr_arg {
	unsigned int first, step;
	unsigned int bad;
};

static void *thr_main(void *p)
{
	struct thr_arg *t = p;
	uint8_t *dst = xmalloc(fixed_bound(65536)), *out = xmalloc(65536);

	for (unsigned int i = t->first; i < corpus.n; i += t->step) {
		const struct buf *b = &corpus.b[i];
		struct iaa_result r, rd;

		comp_fixed(b->p, b->n, dst, fixed_bound(b->n), &r);
		decomp(dst, r.out_size, out, b->n, &rd);
		if (r.status != IAA_ST_SUCCESS || rd.status != IAA_ST_SUCCESS ||
		    rd.out_size != b->n || memcmp(out, b->p, b->n) || rd.crc != r.crc)
			t->bad++;
	}
	free(dst);
	free(out);
	return NULL;
}

static void t_threads(void)
{
	pthread_t th[4];
	struct thr_arg a[4];

	for (int i = 0; i < 4; i++) {
		a[i] = (struct thr_arg){ .first = i, .step = 7 };
		CHECK(!pthread_create(&th[i], NULL, thr_main, &a[i]), "pthread_create");
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK(a[i].bad == 0, "thread %d: %u bad round trips", i, a[i].bad);
	}
}

/*
 * zlib's raw inflate with @wbits, given the output @chunk bytes per call, as
 * an inflater that walks its destination page by page is (7.3's
 * deflate-generic with a scatterlist, or with a linear buffer when its caller
 * may sleep on a kernel that is not fully preemptible). Returns zlib's code.
 */
static int zinflate_chunked(const uint8_t *src, size_t n, int wbits, uint8_t *out,
			    size_t cap, size_t chunk, size_t *outlen)
{
	z_stream z;
	size_t done = 0;
	int ret;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	do {
		size_t room = cap - done < chunk ? cap - done : chunk;

		z.next_out = out + done;
		z.avail_out = room;
		ret = inflate(&z, Z_NO_FLUSH);
		done += room - z.avail_out;
	} while (ret == Z_OK && done < cap);
	*outlen = done;
	inflateEnd(&z);
	return ret;
}

/*
 * The device's matches reach 4 KiB back. An inflater with a 2 KiB window
 * (windowBits 11: 7.3's deflate-generic, the crypto core's synchronous
 * fallback for "deflate") still decodes them when the whole output is in
 * the buffer of one call, since zlib resolves a distance within the current
 * output without its window; it rejects a match that reaches more than
 * 2 KiB behind the start of the current output chunk ("invalid distance too
 * far back"), as page by page output makes it.
 */
static void t_window_2k(void)
{
	enum { HALF = 3000, N = 2 * HALF };
	struct rng r = { seed ^ 11 };
	uint8_t src[N], out[N], comp[fixed_bound(N) + GUARD];
	struct iaa_result res;
	size_t len;
	int ret;

	/* The second half repeats the first: one match, 3000 bytes back */
	rng_fill(&r, src, HALF);
	memcpy(src + HALF, src, HALF);
	comp_fixed(src, N, comp, sizeof(comp), &res);
	CHECK(res.status == IAA_ST_SUCCESS, "compress status %#x", res.status);
	/* Random bytes do not compress: the size shows the match was taken */
	CHECK(res.out_size < HALF + HALF / 4, "no long match: %u bytes",
	      res.out_size);

	ret = zinflate_chunked(comp, res.out_size, -15, out, N, N, &len);
	CHECK(ret == Z_STREAM_END && len == N && !memcmp(out, src, N),
	      "32 KiB window, one call: %d, %zu bytes", ret, len);
	ret = zinflate_chunked(comp, res.out_size, -12, out, N, PAGE, &len);
	CHECK(ret == Z_STREAM_END && len == N && !memcmp(out, src, N),
	      "4 KiB window, by pages: %d, %zu bytes", ret, len);
	ret = zinflate_chunked(comp, res.out_size, -11, out, N, N, &len);
	CHECK(ret == Z_STREAM_END && len == N && !memcmp(out, src, N),
	      "2 KiB window, one call: %d, %zu bytes", ret, len);
	ret = zinflate_chunked(comp, res.out_size, -11, out, N, PAGE, &len);
	CHECK(ret == Z_DATA_ERROR, "2 KiB window, by pages: %d, not a data error",
	      ret);
	DIAG("%u compressed bytes; 2 KiB window by pages: zlib %d after %zu bytes",
	     res.out_size, ret, len);
}

static void t_ratio(void)
{
	uint64_t in = 0, ours = 0, zl1 = 0;
	uint8_t *dst = xmalloc(2 * PAGE);
	z_stream z;
	double q;

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 1, Z_DEFLATED, -12, 8, Z_DEFAULT_STRATEGY);
	for (size_t i = 0; i < corpus.nreal_pages; i++) {
		const uint8_t *p = corpus.real + i * PAGE;
		struct iaa_result r;

		comp_fixed(p, PAGE, dst, 2 * PAGE, &r);
		CHECK(r.status == IAA_ST_SUCCESS, "page %zu", i);
		ours += r.out_size;
		in += PAGE;
		deflateReset(&z);
		z.next_in = (Bytef *)p;
		z.avail_in = PAGE;
		z.next_out = dst;
		z.avail_out = 2 * PAGE;
		deflate(&z, Z_FINISH);
		zl1 += 2 * PAGE - z.avail_out;
	}
	deflateEnd(&z);
	q = ((double)in / ours) / ((double)in / zl1);
	DIAG("%zu real 4 KiB pages (%zu read from files): ratio ours %.3f, zlib-1 (4 KiB window) %.3f, ours/zlib-1 = %.3f",
	     corpus.nreal_pages, corpus.real_from_files, (double)in / ours,
	     (double)in / zl1, q);
	CHECK(q >= 0.75 && q <= 0.95, "ratio ours/zlib-1 %.3f outside 0.75..0.95", q);
	free(dst);
}

/*
 * One-pass header generation: one dynamic block per input, with the engine's
 * own tables. Every block is exactly as long as its counts say, starts with
 * BFINAL as asked and BTYPE 10, and inflates (zlib and the engine) to the
 * input; a non-final block leaves the stream open.
 */
static bool dynamic_one(const uint8_t *p, uint32_t n, bool final, const char *what,
			size_t idx, uint8_t *out)
{
	uint32_t cap = n + n / 8 + 512, llh[IAA_LL_SYMS], dh[IAA_D_SYMS], want;
	uint8_t ll_len[IAA_LL_SYMS], d_len[IAA_D_SYMS], *dst = guarded(cap);
	struct iaa_dyn_args a = {
		.src = p, .src_len = n, .dst = dst, .dst_cap = cap,
		.final = final, .flush_output = true,
	};
	struct iaa_dyn_block b;
	struct iaa_result r, rs, rd;
	unsigned int before = case_fail, i;
	uint64_t bits;
	size_t zl, zin;
	int zr;

	iaa_compress_dynamic(&a, &r);
	CHECK(guard_ok(dst, cap), "%s %zu: wrote past dst_cap", what, idx);
	CHECK(r.status == IAA_ST_SUCCESS && r.in_consumed == n &&
	      r.crc == (uint32_t)crc32(0, p, n),
	      "%s %zu (%u B): status %#x/%#x in %u", what, idx, n, r.status, r.error_code,
	      r.in_consumed);
	if (r.status != IAA_ST_SUCCESS)
		goto out;

	/* the size the counts give, to the bit */
	iaa_dynamic_block(p, n, final, &b);
	iaa_compress_stats(p, n, llh, dh, &rs);
	for (i = 0; i < IAA_LL_SYMS; i++) {
		ll_len[i] = IAA_HUFF_LEN(b.ll_sym[i]);
		CHECK(!llh[i] || ll_len[i], "%s %zu: counted symbol %u has no code", what, idx, i);
	}
	for (i = 0; i < IAA_D_SYMS; i++) {
		d_len[i] = IAA_HUFF_LEN(b.d_sym[i]);
		CHECK(!dh[i] || d_len[i], "%s %zu: counted distance %u has no code", what, idx, i);
	}
	bits = b.hdr_bits + stats_bits(llh, dh, ll_len, d_len) + ll_len[256];
	want = (uint32_t)((bits + 7) / 8);
	CHECK(r.out_size == want && r.last_bits == bits % 8,
	      "%s %zu (%u B): %u bytes (last %u bits), counts give %llu bits", what, idx, n,
	      r.out_size, r.last_bits, (unsigned long long)bits);
	CHECK((dst[0] & 7) == (final ? 5u : 4u), "%s %zu: block starts %#x", what, idx,
	      dst[0] & 7);

	zr = zinflate(dst, r.out_size, out, (size_t)n + 1, &zl, &zin);
	if (final)
		CHECK(zr == Z_STREAM_END && zl == n && !memcmp(out, p, n) && zin == r.out_size,
		      "%s %zu (%u B): zlib inflate %d, %zu bytes from %zu of %u", what, idx, n,
		      zr, zl, zin, r.out_size);
	else
		CHECK(zr != Z_STREAM_END && zr != Z_DATA_ERROR && zl == n && !memcmp(out, p, n),
		      "%s %zu (%u B): non-final block: zlib inflate %d, %zu bytes", what, idx, n,
		      zr, zl);
	if (final) {
		decomp(dst, r.out_size, out, n, &rd);
		CHECK(rd.status == IAA_ST_SUCCESS && rd.out_size == n && !memcmp(out, p, n),
		      "%s %zu (%u B): engine inflate %#x/%#x, %u bytes", what, idx, n, rd.status,
		      rd.error_code, rd.out_size);
	}
out:
	free(dst);
	return case_fail == before;
}

static void t_compress_dynamic(void)
{
	struct rng r = { seed ^ 0x22 };
	uint8_t *out = xmalloc(65536 + 1), *p = xmalloc(PAGE);
	size_t i, nbuf = 0, nreal = 0, nspecial = 0;

	/* every size 1..4096 (rotating patterns and real data), final and not */
	for (i = 0; i < corpus.n; i++) {
		if (corpus.b[i].n > PAGE)
			continue;
		dynamic_one(corpus.b[i].p, corpus.b[i].n, i % 5 != 0,
			    pattern_name[corpus.b[i].pat], i, out);
		nbuf++;
	}
	for (i = 0; i < corpus.nreal_pages; i++, nreal++)
		dynamic_one(corpus.real + i * PAGE, PAGE, true, "real page", i, out);
	/* random (incompressible), zero, one byte value, two alternating bytes */
	for (unsigned int k = 0; k < 64; k++, nspecial++) {
		switch (k % 4) {
		case 0:
			rng_fill(&r, p, PAGE);
			break;
		case 1:
			memset(p, 0, PAGE);
			break;
		case 2:
			memset(p, (int)rng_below(&r, 256), PAGE);
			break;
		case 3:
			for (unsigned int j = 0; j < PAGE; j++)
				p[j] = (j & 1) ? 0x55 : (uint8_t)k;
			break;
		}
		dynamic_one(p, PAGE, k & 8, "special page", k, out);
	}
	/* skewed literals (Fibonacci weights): long codes, folded to 15 bits */
	for (unsigned int k = 0; k < 8; k++, nspecial++) {
		uint32_t fib[20] = { 1, 1 }, m = 0;

		for (unsigned int j = 2; j < 20; j++)
			fib[j] = fib[j - 1] + fib[j - 2];
		for (unsigned int j = 0; j < 20 && m < PAGE; j++)
			for (uint32_t c = 0; c < fib[j] && m < PAGE; c++)
				p[m++] = (uint8_t)(j * 7 + k);
		for (unsigned int j = PAGE - 1; j > 0; j--) {
			unsigned int x = (unsigned int)rng_below(&r, j + 1);
			uint8_t t = p[j];

			p[j] = p[x];
			p[x] = t;
		}
		dynamic_one(p, m, true, "fibonacci page", k, out);
	}
	DIAG("one-pass dynamic blocks: %zu corpus buffers (1..4096 B), %zu real pages, %zu special pages",
	     nbuf, nreal, nspecial);
	free(p);
	free(out);
}

/*
 * Fidelity of the one-pass tables: over the real pages, the ratio is at
 * least 0.97 times zlib level 1's with a 4 KiB window (the hardware's
 * one-pass mode is sold for its ratio; a model whose tables fell short would
 * make the driver's dynamic mode look worse than it is).
 */
static void t_dynamic_ratio(void)
{
	uint64_t in = 0, ours = 0, zl1 = 0;
	uint8_t *dst = xmalloc(2 * PAGE);
	double q;

	for (size_t i = 0; i < corpus.nreal_pages; i++) {
		const uint8_t *p = corpus.real + i * PAGE;
		struct iaa_dyn_args a = {
			.src = p, .src_len = PAGE, .dst = dst, .dst_cap = 2 * PAGE,
			.final = true, .flush_output = true,
		};
		struct iaa_result r;

		iaa_compress_dynamic(&a, &r);
		CHECK(r.status == IAA_ST_SUCCESS, "page %zu", i);
		ours += r.out_size;
		in += PAGE;
		zl1 += zdeflate(p, PAGE, 1, -12, Z_DEFAULT_STRATEGY, dst, 2 * PAGE, PAGE,
				Z_NO_FLUSH);
	}
	q = ((double)in / ours) / ((double)in / zl1);
	DIAG("%zu real 4 KiB pages: one-pass dynamic ratio %.3f, zlib-1 (4 KiB window) %.3f, dynamic/zlib-1 = %.3f",
	     corpus.nreal_pages, (double)in / ours, (double)in / zl1, q);
	CHECK(q >= 0.97, "one-pass dynamic ratio / zlib-1 %.3f below 0.97", q);
	free(dst);
}

/*
 * Two-pass header generation: the first pass puts the tables and header
 * into an AECS, an ordinary compress reading it writes the block. With an
 * empty accumulator the block is byte for byte the one-pass block; after a
 * block already in the accumulator (an empty non-final fixed block) the
 * stream inflates to the input; any size (the two-pass form has no 4 KiB
 * limit); a header that does not fit the accumulator is refused.
 */
static void t_compress_two_pass(void)
{
	uint32_t cap = 65536 + 65536 / 8 + 512;
	uint8_t *dst = xmalloc(cap), *one = xmalloc(cap), *out = xmalloc(65536 + 1);
	size_t i, n1 = 0, n2 = 0;

	for (i = 0; i < corpus.n; i += 7) {
		const struct buf *bf = &corpus.b[i];
		bool prefix = (i / 7) & 1;
		struct iaa_hdr_gen_state st;
		struct iaa_result r1, r2, ro;
		size_t zl, zin;
		int zr;

		memset(&st, 0xee, sizeof(st));
		st.accum_bits = 0;
		st.crc_seed = 0;
		if (prefix) {
			/* BFINAL 0, BTYPE 01, EOB (seven 0 bits): 10 bits */
			st.accum[0] = 0x2;
			st.accum[1] = 0;
			st.accum_bits = 10;
		}
		iaa_hdr_gen_aecs(bf->p, bf->n, true, &st, &r1);
		CHECK(r1.status == IAA_ST_SUCCESS && r1.in_consumed == bf->n &&
		      r1.out_size == 0 && r1.crc == (uint32_t)crc32(0, bf->p, bf->n),
		      "buffer %zu (%u B): first pass %#x/%#x", i, bf->n, r1.status, r1.error_code);
		if (r1.status != IAA_ST_SUCCESS)
			continue;
		{
			struct iaa_comp_args a = {
				.src = bf->p, .src_len = bf->n, .dst = dst, .dst_cap = cap,
				.ll_sym = st.ll_sym, .d_sym = st.d_sym,
				.accum = st.accum, .accum_bits = st.accum_bits,
				.crc_seed = st.crc_seed, .append_eob = true, .flush_output = true,
			};

			iaa_compress(&a, &r2);
		}
		CHECK(r2.status == IAA_ST_SUCCESS && r2.crc == r1.crc,
		      "buffer %zu (%u B): second pass %#x/%#x", i, bf->n, r2.status,
		      r2.error_code);
		if (r2.status != IAA_ST_SUCCESS)
			continue;
		zr = zinflate(dst, r2.out_size, out, (size_t)bf->n + 1, &zl, &zin);
		CHECK(zr == Z_STREAM_END && zl == bf->n && !memcmp(out, bf->p, bf->n) &&
		      zin == r2.out_size,
		      "buffer %zu (%u B, prefix %d): zlib inflate %d, %zu bytes", i, bf->n,
		      prefix, zr, zl);
		if (!prefix && bf->n <= PAGE) {
			struct iaa_dyn_args a = {
				.src = bf->p, .src_len = bf->n, .dst = one, .dst_cap = cap,
				.final = true, .flush_output = true,
			};

			iaa_compress_dynamic(&a, &ro);
			CHECK(ro.status == IAA_ST_SUCCESS && ro.out_size == r2.out_size &&
			      !memcmp(one, dst, r2.out_size),
			      "buffer %zu (%u B): two passes differ from one", i, bf->n);
			n1++;
		}
		n2++;
	}
	/* no room in the accumulator: refused, nothing changed */
	{
		struct iaa_hdr_gen_state st = { .accum_bits = IAA_ACCUM_MAX_BITS - 8 };
		struct iaa_hdr_gen_state was;
		struct iaa_result r;

		memset(st.accum, 0x5a, sizeof(st.accum));
		was = st;
		iaa_hdr_gen_aecs(corpus.real, PAGE, true, &st, &r);
		CHECK(r.status == IAA_ST_ANALYTICS_ERROR && r.error_code == IAA_ERR_AECS &&
		      !memcmp(&st, &was, sizeof(st)),
		      "full accumulator: %#x/%#x", r.status, r.error_code);
	}
	DIAG("two-pass blocks: %zu buffers (1 B..64 KiB) inflate, %zu equal to the one-pass block",
	     n2, n1);
	free(dst);
	free(one);
	free(out);
}

/*
 * Dictionary compression (IAA 2.0): the text area of the AECS (the raw
 * dictionary right-aligned behind zero padding) is history before the
 * input. zlib primed with the whole text area (inflateSetDictionary), fed
 * one output byte at a time through a 4 KiB window (the oracle's rule),
 * must give the input back.
 */
static bool zinflate_dict(const uint8_t *src, size_t n, const uint8_t *dict, size_t dlen,
			  uint8_t *out, size_t cap, size_t *outlen)
{
	z_stream z;
	bool ended = false;

	*outlen = 0;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -12) != Z_OK)
		abort();
	if (dict && inflateSetDictionary(&z, dict, dlen) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	while (*outlen < cap) {
		int ret;

		z.next_out = out + *outlen;
		z.avail_out = 1;
		ret = inflate(&z, Z_NO_FLUSH);
		*outlen += 1 - z.avail_out;
		if (ret == Z_STREAM_END) {
			ended = true;
			break;
		}
		if (ret != Z_OK)
			break;
	}
	inflateEnd(&z);
	return ended;
}

/* text area of level @lv with @raw bytes of @dict right-aligned, then @in: one buffer */
static uint8_t *dict_layout(unsigned int lv, const uint8_t *dict, uint32_t raw,
			    const uint8_t *in, uint32_t n)
{
	uint32_t text = iaa_dict_text_size(lv);
	uint8_t *b = xmalloc(text + n);

	memset(b, 0, text - raw);
	memcpy(b + text - raw, dict, raw);
	memcpy(b + text, in, n);
	return b;
}

static void comp_fixed_hist(const uint8_t *src, uint32_t n, uint32_t hist, uint8_t *dst,
			    uint32_t cap, struct iaa_result *r)
{
	struct iaa_comp_args a = {
		.src = src, .src_len = n, .dst = dst, .dst_cap = cap,
		.ll_sym = fixed_ll, .d_sym = fixed_d,
		.accum = &fixed_hdr, .accum_bits = 3,
		.append_eob = true, .flush_output = true, .hist_len = hist,
	};

	iaa_compress(&a, r);
}

static void t_compress_dictionary(void)
{
	static const uint32_t raws[] = { 0, 64, 1000, 2048, 4096 };
	uint32_t cap = fixed_bound(PAGE) + 64;
	uint8_t *dst = xmalloc(cap), *plain = xmalloc(cap), *out = xmalloc(PAGE);
	uint8_t *zero = xmalloc(PAGE);
	size_t pages = 0, better = 0, reach = 0;
	unsigned int lv;

	memset(zero, 0, PAGE);
	for (lv = 1; lv <= IAA_DICT_LEVEL_MAX; lv++) {
		uint32_t text = iaa_dict_text_size(lv);

		for (size_t k = 0; k < ARRAY_SIZE(raws); k++) {
			uint32_t raw = raws[k] < text ? raws[k] : text;

			/* real pages, the dictionary the end of the page before */
			for (size_t pg = 1; pg < corpus.nreal_pages; pg += 97) {
				const uint8_t *in = corpus.real + pg * PAGE;
				uint8_t *b = dict_layout(lv, in - raw, raw, in, PAGE);
				struct iaa_result r, r0;
				size_t ol;

				comp_fixed_hist(b + text, PAGE, text, dst, cap, &r);
				comp_fixed(in, PAGE, plain, cap, &r0);
				CHECK(r.status == IAA_ST_SUCCESS && r.in_consumed == PAGE &&
				      r.crc == (uint32_t)crc32(0, in, PAGE),
				      "level %u raw %u page %zu: %#x/%#x", lv, raw, pg, r.status,
				      r.error_code);
				CHECK(zinflate_dict(dst, r.out_size, b, text, out, PAGE, &ol) &&
				      ol == PAGE && !memcmp(out, in, PAGE),
				      "level %u raw %u page %zu: zlib with the text area differs",
				      lv, raw, pg);
				better += r.out_size < r0.out_size;
				pages++;
				free(b);
			}
			if (raw < 1000)
				continue;
			/* the input repeats the dictionary: matches must reach into the text */
			{
				const uint8_t *d = corpus.real + 7 * PAGE;
				uint32_t n = raw < PAGE ? raw : PAGE;
				uint8_t *b = dict_layout(lv, d, raw, d, n);
				struct iaa_result r, r0;
				size_t ol;

				comp_fixed_hist(b + text, n, text, dst, cap, &r);
				comp_fixed(d, n, plain, cap, &r0);
				CHECK(r.status == IAA_ST_SUCCESS &&
				      zinflate_dict(dst, r.out_size, b, text, out, n, &ol) &&
				      ol == n && !memcmp(out, d, n),
				      "level %u raw %u: repeated dictionary does not inflate",
				      lv, raw);
				CHECK(r.out_size * 8 < r0.out_size,
				      "level %u raw %u: %u B with the dictionary, %u B without",
				      lv, raw, r.out_size, r0.out_size);
				CHECK(!zinflate_dict(dst, r.out_size, NULL, 0, out, n, &ol) ||
				      memcmp(out, d, n),
				      "level %u raw %u: inflates without the dictionary", lv, raw);
				reach++;
				free(b);
			}
		}
		/*
		 * a short dictionary, zero input: matches reach into the zero
		 * padding, so only the whole text area decodes it
		 */
		{
			const uint8_t *d = corpus.real;
			uint8_t *b = dict_layout(lv, d, 64, zero, PAGE);
			struct iaa_result r;
			size_t ol;

			comp_fixed_hist(b + text, PAGE, text, dst, cap, &r);
			CHECK(r.status == IAA_ST_SUCCESS &&
			      zinflate_dict(dst, r.out_size, b, text, out, PAGE, &ol) &&
			      ol == PAGE && !memcmp(out, zero, PAGE),
			      "level %u: zero page after padding does not inflate", lv);
			CHECK(!zinflate_dict(dst, r.out_size, d, 64, out, PAGE, &ol) ||
			      memcmp(out, zero, PAGE),
			      "level %u: the raw dictionary alone decodes it (padding unused)", lv);
			free(b);
		}
		/*
		 * statistics and two-pass header generation with the same
		 * history: the tables cover the compress's parse (a missing
		 * code would be error 0x1e), and the block inflates
		 */
		for (size_t pg = 3; pg < corpus.nreal_pages; pg += 211) {
			const uint8_t *in = corpus.real + pg * PAGE;
			uint8_t *b = dict_layout(lv, in - text, text, in, PAGE);
			struct iaa_hdr_gen_state st;
			struct iaa_result r1, r2;
			size_t ol;

			memset(&st, 0, sizeof(st));
			iaa_hdr_gen_aecs_hist(b + text, PAGE, text, true, &st, &r1);
			{
				struct iaa_comp_args a = {
					.src = b + text, .src_len = PAGE,
					.dst = dst, .dst_cap = cap,
					.ll_sym = st.ll_sym, .d_sym = st.d_sym,
					.accum = st.accum, .accum_bits = st.accum_bits,
					.append_eob = true, .flush_output = true, .hist_len = text,
				};

				iaa_compress(&a, &r2);
			}
			CHECK(r1.status == IAA_ST_SUCCESS && r2.status == IAA_ST_SUCCESS &&
			      zinflate_dict(dst, r2.out_size, b, text, out, PAGE, &ol) &&
			      ol == PAGE && !memcmp(out, in, PAGE),
			      "level %u page %zu: two passes with the dictionary: %#x, %#x/%#x",
			      lv, pg, r1.status, r2.status, r2.error_code);
			free(b);
		}
	}
	CHECK(reach == 9, "%zu repeated-dictionary cases", reach);
	DIAG("dictionary: %zu page compresses inflate with the text area, %zu smaller than without",
	     pages, better);
	free(dst);
	free(plain);
	free(out);
	free(zero);
}

static const struct ktap_case cases[] = {
	{ "crc32_matches_zlib", t_crc32 },
	{ "fixed_tables_match_driver", t_fixed_tables },
	{ "compress_fixed_roundtrip_corpus", t_compress_fixed_roundtrip },
	{ "compress_edge_cases", t_compress_edge },
	{ "compress_random_canonical_tables_zlib", t_compress_random_tables_zlib },
	{ "compress_random_prefix_tables_reference", t_compress_random_tables_prefix },
	{ "compress_unencodable_symbols", t_compress_unencodable },
	{ "compress_overflow_every_cap", t_compress_overflow },
	{ "compress_stats_dynamic_tables_exact_size", t_compress_stats_dynamic },
	{ "compress_stats_equal_fixed_output_symbols", t_compress_stats_fixed_symbols },
	{ "compress_stats_deterministic_no_eob", t_compress_stats_deterministic },
	{ "decompress_zlib_streams", t_decompress_zlib_streams },
	{ "decompress_multiblock", t_decompress_multiblock },
	{ "decompress_far_distance_and_bad_codes", t_decompress_far_distance },
	{ "decompress_crafted_dynamic_headers", t_decompress_crafted_headers },
	{ "decompress_overflow_every_cap", t_decompress_overflow },
	{ "decompress_corrupt_streams_vs_zlib", t_decompress_fuzz },
	{ "decompress_suppress_output", t_decompress_suppress },
	{ "decompress_stop_on_eob", t_decompress_stop_on_eob },
	{ "decompress_check_for_eob", t_decompress_check_for_eob },
	{ "decompress_eob_rules_multiblock", t_decompress_eob_rules },
	{ "concurrent_threads", t_threads },
	{ "ratio_vs_zlib1_real_pages", t_ratio },
	{ "compress_dynamic_one_pass_inflates", t_compress_dynamic },
	{ "compress_dynamic_ratio_vs_zlib1", t_dynamic_ratio },
	{ "compress_dynamic_two_pass_aecs", t_compress_two_pass },
	{ "compress_dictionary_inflates_with_text", t_compress_dictionary },
	{ "window_2k_inflater_by_pages", t_window_2k },
	{ "sanitizer_build", ktap_sanitizers },
};

int main(int argc, char **argv)
{
	unsigned int n = ktap_args(argc, argv, ARRAY_SIZE(cases));
	int rc;

	printf("KTAP version 1\n1..%u\n", n);
	DIAG("iaa engine host tests, seed %#llx", (unsigned long long)seed);

	refmap = xmalloc(REFMAP_SIZE * sizeof(*refmap));
	memset(refmap, 0xff, REFMAP_SIZE * sizeof(*refmap));
	iaa_fixed_tables(fixed_ll, fixed_d);
	corpus_init(&corpus, seed);
	rc = ktap_run(cases, n, "engine", NULL);
	corpus_free(&corpus);
	free(refmap);
	return rc;
}
