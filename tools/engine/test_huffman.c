// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host unit test of the driver's Huffman code builder, ../../iaa_crypto_huffman.c,
 * compiled as it is against the minimal kernel headers in kshim/linux/. Output is
 * KTAP; the exit status is non-zero if a case failed.
 *
 * usage: test_huffman [--san PATH-TO-SANITIZER-BUILD] [--seed N]
 *
 * With --san, a last case runs the same tests built with -fsanitize=address,undefined
 * and reports whether they all passed.
 *
 * References, all written here independently of the driver:
 *   - plain Huffman (a binary heap): the optimum when no length limit binds;
 *   - a dynamic program over (depth, symbols placed, free slots): the exact optimum of
 *     every code within a length limit, for small alphabets;
 *   - a package-merge on explicit trees with 64-bit weights, for the large alphabets;
 *   - zlib: deflate() with Z_HUFFMAN_ONLY emits one dynamic block for a literal
 *     histogram, whose size ours must not exceed, and inflate() must accept the blocks
 *     made of our header and our codes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "iaa_crypto_huffman.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CANARY		0xa5
#define GUARD		64

static uint64_t seed = 0x1aa2024c0ffee5ull;

#include "test_ktap.h"

/* ---- PRNG (splitmix64) ---- */
static uint64_t rng_s;

static uint64_t rng(void)
{
	uint64_t z = (rng_s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static u32 rnd(u32 lo, u32 hi)
{
	return lo + (u32)(rng() % ((u64)hi - lo + 1));
}

/* about log-uniform in [1, 2^bits - 1]: skewed histograms */
static u32 rnd_log(unsigned int bits)
{
	unsigned int b = rnd(1, bits);

	return rnd(1u << (b - 1), (u32)((1ull << b) - 1));
}

static void shuffle_u32(u32 *a, unsigned int n)
{
	for (unsigned int i = n; i > 1; i--) {
		unsigned int j = rng() % i;
		u32 t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

static void shuffle_u8(u8 *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng() % i;
		u8 t = a[i - 1];

		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* the driver's scratch, allocated alone so the sanitizer sees any overrun */
static struct iaa_huff_work *work;

/* ---- deflate tables (RFC 1951 3.2.5) ---- */
static const u16 lbase[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
	67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const u8 lext[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
	5, 5, 5, 5, 0 };
static const u16 dbase[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
	1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const u8 dext[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
	11, 11, 12, 12, 13, 13 };
static const u8 cl_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

static unsigned int len_sym(unsigned int len)	/* 0..28 */
{
	unsigned int i = 28;

	while (lbase[i] > len)
		i--;
	return i;
}

static unsigned int dist_sym(unsigned int dist)	/* 0..29 */
{
	unsigned int i = 29;

	while (dbase[i] > dist)
		i--;
	return i;
}

/* ---- reference optima ---- */

/*
 * Plain Huffman with a binary heap on 64-bit weights: the cost sum(w * depth) and the
 * longest code. One symbol: a 1-bit code.
 */
static u64 ref_huffman(const u32 *freq, unsigned int n, unsigned int *maxdepth)
{
	u64 hw[2 * DEFL_LL_SYMS];
	int parent[2 * DEFL_LL_SYMS], heap[2 * DEFL_LL_SYMS];
	unsigned int hn = 0, nodes = 0, leaves, i, d, md = 0;
	u64 cost = 0;

#define HLESS(a, b) (hw[a] < hw[b] || (hw[a] == hw[b] && (a) < (b)))
	for (i = 0; i < n; i++) {
		if (!freq[i])
			continue;
		hw[nodes] = freq[i];
		parent[nodes] = -1;
		/* sift up */
		unsigned int k = hn++;

		heap[k] = nodes++;
		while (k && HLESS(heap[k], heap[(k - 1) / 2])) {
			int t = heap[k];

			heap[k] = heap[(k - 1) / 2];
			heap[(k - 1) / 2] = t;
			k = (k - 1) / 2;
		}
	}
	leaves = nodes;
	if (leaves < 2) {
		*maxdepth = leaves;
		return leaves ? hw[0] : 0;
	}
	while (hn > 1) {
		int two[2];

		for (int j = 0; j < 2; j++) {
			unsigned int k = 0;

			two[j] = heap[0];
			heap[0] = heap[--hn];
			for (;;) {
				unsigned int l = 2 * k + 1, r = l + 1, s = k;

				if (l < hn && HLESS(heap[l], heap[s]))
					s = l;
				if (r < hn && HLESS(heap[r], heap[s]))
					s = r;
				if (s == k)
					break;
				int t = heap[k];

				heap[k] = heap[s];
				heap[s] = t;
				k = s;
			}
		}
		hw[nodes] = hw[two[0]] + hw[two[1]];
		parent[nodes] = -1;
		parent[two[0]] = parent[two[1]] = nodes;
		unsigned int k = hn++;

		heap[k] = nodes++;
		while (k && HLESS(heap[k], heap[(k - 1) / 2])) {
			int t = heap[k];

			heap[k] = heap[(k - 1) / 2];
			heap[(k - 1) / 2] = t;
			k = (k - 1) / 2;
		}
	}
#undef HLESS
	for (i = 0; i < leaves; i++) {
		int p = parent[i];

		for (d = 0; p >= 0; p = parent[p])
			d++;
		cost += hw[i] * d;
		if (d > md)
			md = d;
	}
	*maxdepth = md;
	return cost;
}

static int cmp_u64_desc(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * The exact optimum of a code with lengths <= limit, by dynamic programming: an
 * optimal code gives the frequent symbols the short codes, so with the weights in
 * decreasing order a code is: at each depth d, take k of the next symbols as leaves,
 * the other free slots of that depth become internal nodes (2 slots each at d + 1).
 * best(d, i, a) = min over k of d * (p[i] + ... + p[i+k-1]) + best(d+1, i+k, 2(a-k)).
 * Any code (incomplete ones too) is covered. For m <= 16 symbols.
 */
#define DP_MAX	16
static u64 dp_memo[DEFL_MAX_BITS + 2][DP_MAX + 1][DP_MAX + 1];
static bool dp_seen[DEFL_MAX_BITS + 2][DP_MAX + 1][DP_MAX + 1];
static u64 dp_p[DP_MAX], dp_pre[DP_MAX + 1];
static unsigned int dp_m, dp_limit;

static u64 dp_best(unsigned int d, unsigned int i, unsigned int a)
{
	u64 best = UINT64_MAX;

	if (i == dp_m)
		return 0;
	if (d > dp_limit || !a)
		return UINT64_MAX;
	if (a > dp_m - i)
		a = dp_m - i;
	if (dp_seen[d][i][a])
		return dp_memo[d][i][a];
	for (unsigned int k = 0; k <= a; k++) {
		unsigned int rest = 2 * (a - k);
		u64 sub = dp_best(d + 1, i + k, rest > DP_MAX ? DP_MAX : rest);

		if (sub != UINT64_MAX && sub + d * (dp_pre[i + k] - dp_pre[i]) < best)
			best = sub + d * (dp_pre[i + k] - dp_pre[i]);
	}
	dp_seen[d][i][a] = true;
	dp_memo[d][i][a] = best;
	return best;
}

static u64 ref_dp(const u32 *freq, unsigned int n, unsigned int limit)
{
	dp_m = 0;
	for (unsigned int i = 0; i < n; i++)
		if (freq[i])
			dp_p[dp_m++] = freq[i];
	if (dp_m > DP_MAX)
		abort();
	qsort(dp_p, dp_m, sizeof(dp_p[0]), cmp_u64_desc);
	dp_pre[0] = 0;
	for (unsigned int i = 0; i < dp_m; i++)
		dp_pre[i + 1] = dp_pre[i] + dp_p[i];
	dp_limit = limit;
	memset(dp_seen, 0, sizeof(dp_seen));
	return dp_best(1, 0, 2);
}

/*
 * Package-merge (Larmore-Hirschberg) on explicit items: each package points at its
 * two items of the level below. 64-bit weights. Returns the cost, -1 on error.
 */
struct pm_item {
	u64 w;
	int leaf;	/* >= 0: the leaf; else a package of items a, b of the next level */
	int a, b;
};
static struct pm_item pm_lvl[DEFL_MAX_BITS + 1][2 * DEFL_LL_SYMS];
static unsigned int pm_cnt[DEFL_MAX_BITS + 1];
static unsigned int pm_len[DEFL_LL_SYMS];

static void pm_visit(unsigned int d, unsigned int i)
{
	const struct pm_item *it = &pm_lvl[d][i];

	if (it->leaf >= 0) {
		pm_len[it->leaf]++;
	} else {
		pm_visit(d + 1, it->a);
		pm_visit(d + 1, it->b);
	}
}

struct wsym {
	u64 w;
	unsigned int sym;
};

static int cmp_wsym(const void *a, const void *b)
{
	const struct wsym *x = a, *y = b;

	if (x->w != y->w)
		return x->w < y->w ? -1 : 1;
	return (int)x->sym - (int)y->sym;
}

static u64 ref_pm(const u32 *freq, unsigned int n, unsigned int limit, u8 *len_out)
{
	struct wsym ws[DEFL_LL_SYMS];
	unsigned int m = 0, d, i;
	u64 cost = 0;

	for (i = 0; i < n; i++)
		if (freq[i])
			ws[m++] = (struct wsym){ freq[i], i };
	qsort(ws, m, sizeof(ws[0]), cmp_wsym);
	if (len_out)
		memset(len_out, 0, n);
	if (m < 2)
		return m ? ws[0].w : 0;
	if ((1ull << limit) < m)
		return (u64)-1;
	for (i = 0; i < m; i++)
		pm_lvl[limit][i] = (struct pm_item){ ws[i].w, (int)i, 0, 0 };
	pm_cnt[limit] = m;
	for (d = limit - 1; d >= 1; d--) {
		unsigned int np = pm_cnt[d + 1] / 2, li = 0, pi = 0, o = 0;

		while (li < m || pi < np) {
			u64 pw = pi < np ? pm_lvl[d + 1][2 * pi].w + pm_lvl[d + 1][2 * pi + 1].w : 0;

			if (pi >= np || (li < m && ws[li].w <= pw)) {
				pm_lvl[d][o++] = (struct pm_item){ ws[li].w, (int)li, 0, 0 };
				li++;
			} else {
				pm_lvl[d][o++] = (struct pm_item){ pw, -1, (int)(2 * pi),
								   (int)(2 * pi + 1) };
				pi++;
			}
		}
		pm_cnt[d] = o;
	}
	memset(pm_len, 0, sizeof(pm_len));
	if (pm_cnt[1] < 2 * m - 2)
		return (u64)-1;
	for (i = 0; i < 2 * m - 2; i++)
		pm_visit(1, i);
	for (i = 0; i < m; i++) {
		cost += ws[i].w * pm_len[i];
		if (len_out)
			len_out[ws[i].sym] = pm_len[i];
	}
	return cost;
}

/* ---- checks of a length vector ---- */
static const u32 *sort_freq;

static int cmp_by_freq_desc(const void *a, const void *b)
{
	u32 x = sort_freq[*(const u16 *)a], y = sort_freq[*(const u16 *)b];

	return x < y ? 1 : x > y ? -1 : 0;
}

static void print_hist(const u32 *freq, unsigned int n)
{
	unsigned int shown = 0, i;
	char line[160];
	int o = 0;

	for (i = 0; i < n && shown < 48; i++) {
		if (!freq[i])
			continue;
		o += snprintf(line + o, sizeof(line) - o, " %u:%u", i, freq[i]);
		shown++;
		if (o > 110) {
			printf("#   counts%s\n", line);
			o = 0;
		}
	}
	if (o)
		printf("#   counts%s%s\n", line, i < n ? " ..." : "");
}

/*
 * The lengths of iaa_huff_lengths() for @freq: every used symbol 1..limit, none over
 * the limit, at least two codes, Kraft sum exactly 1; no symbol more frequent than
 * another has a longer code (else swapping them would save bits); unused symbols
 * have no code, except the partner of a lone symbol. Returns false, with diagnostics,
 * on the first violation.
 */
static bool lengths_ok(const u32 *freq, const u8 *len, unsigned int n, unsigned int limit,
		       const char *what)
{
	unsigned int m = 0, codes = 0, i;
	u64 kraft = 0;
	u16 idx[DEFL_LL_SYMS];
	char why[200] = "";

	for (i = 0; i < n; i++) {
		m += !!freq[i];
		codes += !!len[i];
		if (len[i])
			kraft += 1ull << (DEFL_MAX_BITS + 1 - len[i]);
		if (len[i] > limit && !why[0])
			snprintf(why, sizeof(why), "symbol %u: length %u over the limit", i, len[i]);
		if (freq[i] && !len[i] && !why[0])
			snprintf(why, sizeof(why), "symbol %u (count %u) has no code", i, freq[i]);
	}
	if (m >= 2 && !why[0])
		for (i = 0; i < n; i++)
			if (!freq[i] && len[i]) {
				snprintf(why, sizeof(why), "unused symbol %u has length %u", i, len[i]);
				break;
			}
	if (!why[0] && codes < 2)
		snprintf(why, sizeof(why), "%u codes", codes);
	if (!why[0] && m < 2) {
		for (i = 0; i < n; i++)
			if (len[i] && len[i] != 1)
				break;
		if (i < n || codes != 2)
			snprintf(why, sizeof(why), "%u used symbols: want two codes of 1 bit", m);
	}
	if (!why[0] && kraft != 1ull << (DEFL_MAX_BITS + 1))
		snprintf(why, sizeof(why), "Kraft sum %llu/%llu, not 1",
			 (unsigned long long)kraft, 1ull << (DEFL_MAX_BITS + 1));
	if (!why[0] && m >= 2) {
		unsigned int j, k, prev_max = 0;

		for (i = 0, k = 0; i < n; i++)
			if (freq[i])
				idx[k++] = i;
		sort_freq = freq;
		qsort(idx, m, sizeof(idx[0]), cmp_by_freq_desc);
		for (i = 0; i < m && !why[0]; i = j) {
			unsigned int gmin = 99, gmax = 0;

			for (j = i; j < m && freq[idx[j]] == freq[idx[i]]; j++) {
				gmin = len[idx[j]] < gmin ? len[idx[j]] : gmin;
				gmax = len[idx[j]] > gmax ? len[idx[j]] : gmax;
			}
			if (gmin < prev_max)
				snprintf(why, sizeof(why),
					 "count %u has a %u-bit code, a more frequent symbol %u bits",
					 freq[idx[i]], gmin, prev_max);
			prev_max = gmax > prev_max ? gmax : prev_max;
		}
	}
	if (why[0]) {
		CHECK(0, "%s (n %u, limit %u, %u used): %s", what, n, limit, m, why);
		if (case_msgs <= KTAP_MAX_MSGS)
			print_hist(freq, n);
		return false;
	}
	return true;
}

/* iaa_huff_lengths() into an exactly sized buffer, its bytes poisoned first */
static u8 *run_lengths(const u32 *freq, unsigned int n, unsigned int limit)
{
	u8 *len = xmalloc(n);

	memset(len, 0xee, n);
	iaa_huff_lengths(freq, n, limit, len, work);
	return len;
}

/* ---- case 1: valid lengths ---- */
static const struct {
	unsigned int n, limit;
} tables[] = { { DEFL_LL_SYMS, DEFL_MAX_BITS }, { DEFL_D_SYMS, DEFL_MAX_BITS },
	       { DEFL_CL_SYMS, DEFL_CL_MAX_BITS } };

static unsigned int lv_hists, lv_bound;

static void lv_one(const u32 *freq, unsigned int n, unsigned int limit, const char *what)
{
	unsigned int md;
	u8 *len = run_lengths(freq, n, limit);

	lengths_ok(freq, len, n, limit, what);
	ref_huffman(freq, n, &md);
	lv_bound += md > limit;
	lv_hists++;
	free(len);
}

static void t_lengths_valid(void)
{
	u32 freq[DEFL_LL_SYMS];
	char what[96];

	for (unsigned int t = 0; t < ARRAY_SIZE(tables); t++) {
		unsigned int n = tables[t].n, limit = tables[t].limit, i, j, k;
		unsigned int h0 = lv_hists, b0 = lv_bound;

		/* no symbol */
		memset(freq, 0, sizeof(freq));
		lv_one(freq, n, limit, "no symbol");

		/* one symbol, at each position, with small and large counts */
		for (i = 0; i < n; i++) {
			memset(freq, 0, sizeof(freq));
			freq[i] = i & 1 ? 65535 : 1;
			snprintf(what, sizeof(what), "one symbol at %u", i);
			lv_one(freq, n, limit, what);
		}

		/* two symbols: every pair for the small tables, a sample for 286 */
		for (i = 0; i < n; i++) {
			for (j = i + 1; j < n; j++) {
				if (n > 30 && !(i < 3 || j > n - 3 || rnd(0, 40) == 0))
					continue;
				memset(freq, 0, sizeof(freq));
				freq[i] = rnd(1, 65535);
				freq[j] = rnd(0, 3) ? rnd(1, 65535) : freq[i];
				snprintf(what, sizeof(what), "two symbols %u, %u", i, j);
				lv_one(freq, n, limit, what);
			}
		}

		/* all symbols with the same count */
		static const u32 same[] = { 1, 2, 3, 7, 1000, 65535, 1u << 24 };

		for (k = 0; k < ARRAY_SIZE(same); k++) {
			for (i = 0; i < n; i++)
				freq[i] = same[k];
			snprintf(what, sizeof(what), "all %u symbols count %u", n, same[k]);
			lv_one(freq, n, limit, what);
		}

		/* Fibonacci counts: Huffman depth k - 1 on k symbols, far over the limit */
		for (k = 3; k <= n && k <= 45; k++) {
			for (int placement = 0; placement < 3; placement++) {
				u32 a = 1, b = 1;

				memset(freq, 0, sizeof(freq));
				for (i = 0; i < k; i++) {
					unsigned int s = placement == 0 ? i :
							 placement == 1 ? n - 1 - i : 0;

					if (placement == 2) {
						do
							s = rnd(0, n - 1);
						while (freq[s]);
					}
					freq[s] = a;
					b += a;
					a = b - a;
				}
				snprintf(what, sizeof(what), "Fibonacci on %u symbols (%s)", k,
					 placement == 0 ? "first" : placement == 1 ? "last" :
					 "scattered");
				lv_one(freq, n, limit, what);
			}
		}

		/* Fibonacci plus count-1 symbols around it */
		for (k = 8; k <= 25 && k < n; k++) {
			u32 a = 1, b = 1;

			for (i = 0; i < n; i++)
				freq[i] = 1;
			for (i = 0; i < k; i++) {
				freq[rnd(0, n - 1)] = a;
				b += a;
				a = b - a;
			}
			snprintf(what, sizeof(what), "Fibonacci on %u symbols among 1s", k);
			lv_one(freq, n, limit, what);
		}

		/* geometric counts 2^0 .. 2^(k-1) (totals < 2^31) */
		for (k = 2; k <= n && k <= 31; k++) {
			memset(freq, 0, sizeof(freq));
			for (i = 0; i < k; i++)
				freq[i] = 1u << i;
			snprintf(what, sizeof(what), "geometric 2^0..2^%u", k - 1);
			lv_one(freq, n, limit, what);
			shuffle_u32(freq, n);
			snprintf(what, sizeof(what), "geometric 2^0..2^%u, shuffled", k - 1);
			lv_one(freq, n, limit, what);
		}

		/* one huge count and many 1s */
		static const u32 huge[] = { 1000, 65535, 1u << 20, 1u << 28 };

		for (k = 0; k < ARRAY_SIZE(huge); k++) {
			for (i = 0; i < n; i++)
				freq[i] = 1;
			freq[rnd(0, n - 1)] = huge[k];
			snprintf(what, sizeof(what), "count %u among %u 1s", huge[k], n - 1);
			lv_one(freq, n, limit, what);
			for (i = 0; i < n; i++)
				freq[i] = i < n / 2 ? 1 : 0;
			freq[n - 1] = huge[k];
			snprintf(what, sizeof(what), "count %u among %u 1s", huge[k], n / 2);
			lv_one(freq, n, limit, what);
		}

		/* random: alphabets of every size in use, uniform and skewed counts */
		for (unsigned int r = 0; r < 1500; r++) {
			unsigned int used = rnd(0, 3) ? rnd(2, n) : rnd(0, n);
			int kind = rnd(0, 3);

			memset(freq, 0, sizeof(freq));
			for (i = 0; i < used; i++)
				freq[i] = kind == 0 ? rnd(1, 65535) : kind == 1 ? rnd_log(16) :
					  kind == 2 ? rnd(1, 4) : rnd_log(24);
			shuffle_u32(freq, n);
			snprintf(what, sizeof(what), "random #%u (%u used, kind %d)", r, used, kind);
			lv_one(freq, n, limit, what);
		}
		DIAG("n %u limit %u: %u histograms, the limit bound in %u", n, limit,
		     lv_hists - h0, lv_bound - b0);
	}
}

/* ---- case 2: optimal lengths ---- */
static void t_lengths_optimal(void)
{
	u32 freq[DEFL_LL_SYMS];
	unsigned int small = 0, small_bound = 0, large = 0, large_bound = 0, plain = 0;

	/* small alphabets: the exact optimum by dynamic programming */
	for (unsigned int n = 2; n <= 12; n++) {
		unsigned int lmin = 0;

		while ((1u << lmin) < n)
			lmin++;
		for (unsigned int limit = lmin ? lmin : 1; limit <= DEFL_MAX_BITS; limit++) {
			for (unsigned int r = 0; r < 60; r++) {
				int kind = r % 4;
				unsigned int md;
				u64 got, want, huff, pm;
				u8 *len;

				for (unsigned int i = 0; i < n; i++)
					freq[i] = kind == 0 ? rnd(1, 65535) :
						  kind == 1 ? rnd_log(20) :
						  kind == 2 ? (rnd(0, 2) ? rnd_log(16) : 0) :
						  rnd(1, 6);
				len = run_lengths(freq, n, limit);
				lengths_ok(freq, len, n, limit, "small random");
				got = iaa_huff_cost(freq, len, n);
				want = ref_dp(freq, n, limit);
				huff = ref_huffman(freq, n, &md);
				pm = ref_pm(freq, n, limit, NULL);
				CHECK(got == want, "n %u limit %u: cost %llu, optimum %llu", n, limit,
				      (unsigned long long)got, (unsigned long long)want);
				CHECK(pm == want, "reference package-merge %llu, optimum %llu (n %u limit %u)",
				      (unsigned long long)pm, (unsigned long long)want, n, limit);
				if (md <= limit) {
					CHECK(got == huff, "n %u limit %u (not binding): cost %llu, Huffman %llu",
					      n, limit, (unsigned long long)got, (unsigned long long)huff);
					plain++;
				} else {
					small_bound++;
				}
				if (got != want || (md <= limit && got != huff))
					print_hist(freq, n);
				small++;
				free(len);
			}
		}
	}

	/* the driver's tables: against package-merge and plain Huffman */
	for (unsigned int t = 0; t < ARRAY_SIZE(tables); t++) {
		unsigned int n = tables[t].n, limit = tables[t].limit;

		for (unsigned int r = 0; r < 600; r++) {
			unsigned int used = rnd(2, n), md;
			int kind = r % 5;
			u64 got, pm, huff;
			u8 *len;

			memset(freq, 0, sizeof(freq));
			for (unsigned int i = 0; i < used; i++) {
				if (kind == 4) {	/* Fibonacci-like: far over the limit */
					freq[i] = i < 2 ? rnd(1, 3) : freq[i - 1] + freq[i - 2] -
									rnd(0, freq[i - 2] / 4);
					if (i > 40)
						freq[i] = rnd(1, 100);
				} else {
					freq[i] = kind == 0 ? rnd(1, 65535) : kind == 1 ? rnd_log(16) :
						  kind == 2 ? rnd_log(24) : rnd(1, 3);
				}
			}
			shuffle_u32(freq, n);
			len = run_lengths(freq, n, limit);
			lengths_ok(freq, len, n, limit, "random");
			got = iaa_huff_cost(freq, len, n);
			pm = ref_pm(freq, n, limit, NULL);
			huff = ref_huffman(freq, n, &md);
			CHECK(got == pm, "n %u limit %u (Huffman depth %u): cost %llu, package-merge %llu",
			      n, limit, md, (unsigned long long)got, (unsigned long long)pm);
			if (md <= limit) {
				CHECK(got == huff, "n %u limit %u (not binding): cost %llu, Huffman %llu",
				      n, limit, (unsigned long long)got, (unsigned long long)huff);
				plain++;
			} else {
				CHECK(got >= huff, "cost %llu under Huffman's %llu", (unsigned long long)got,
				      (unsigned long long)huff);
				large_bound++;
			}
			if (got != pm)
				print_hist(freq, n);
			large++;
			free(len);
		}
	}
	DIAG("n 2..12, limits ceil(log2 n)..15: %u histograms equal the exact optimum (%u with the limit binding)",
	     small, small_bound);
	DIAG("n 286/30/19: %u histograms equal package-merge (%u with the limit binding); %u without a binding limit equal plain Huffman",
	     large, large_bound, plain);
}

/*
 * Large counts. A package's weight is a sum of leaves, each at most once per level
 * below, so up to 14 times the total of the counts: u32 weights (struct iaa_huff_work's
 * pm[]) hold it for totals up to (2^32 - 1) / 14 = 306783378. Checked strictly up to
 * 2^28; above, up to 2^32 - 1, mismatches are reported as a note (the driver's counts
 * are bounded by its input length, far below).
 */
static void t_large_counts(void)
{
	u32 freq[DEFL_LL_SYMS];
	unsigned int strict = 0, bound = 0, over = 0, over_bad = 0, r;
	u64 first_bad = 0;

	for (r = 0; r < 4000; r++) {
		unsigned int used = rnd(17, DEFL_LL_SYMS), md, i;
		bool big = r % 2;
		u64 target = big ? rnd(1u << 29, UINT32_MAX - DEFL_LL_SYMS) :
				   rnd(1u << 20, 1u << 28) - DEFL_LL_SYMS;
		u64 sum = 0, got, want;
		u8 *len;

		memset(freq, 0, sizeof(freq));
		for (i = 0; i < used; i++) {
			freq[i] = rnd_log(rnd(8, 31));
			sum += freq[i];
		}
		for (i = 0; i < used; i++)
			freq[i] = (u32)((double)freq[i] * target / sum) + 1;
		shuffle_u32(freq, DEFL_LL_SYMS);
		for (i = 0, sum = 0; i < DEFL_LL_SYMS; i++)
			sum += freq[i];
		if (sum > UINT32_MAX)
			continue;
		ref_huffman(freq, DEFL_LL_SYMS, &md);
		bound += md > DEFL_MAX_BITS;
		want = ref_pm(freq, DEFL_LL_SYMS, DEFL_MAX_BITS, NULL);
		len = run_lengths(freq, DEFL_LL_SYMS, DEFL_MAX_BITS);
		got = iaa_huff_cost(freq, len, DEFL_LL_SYMS);
		if (sum <= 1u << 28) {
			lengths_ok(freq, len, DEFL_LL_SYMS, DEFL_MAX_BITS, "large counts");
			CHECK(got == want, "total %llu: cost %llu, package-merge %llu",
			      (unsigned long long)sum, (unsigned long long)got,
			      (unsigned long long)want);
			strict++;
		} else {
			over++;
			if (got != want) {
				over_bad++;
				if (!first_bad || sum < first_bad)
					first_bad = sum;
			}
		}
		free(len);
	}
	DIAG("%u histograms with totals 2^20..2^28 optimal and valid (the limit bound in %u of all)",
	     strict, bound);
	if (over_bad)
		DIAG("note: totals over 2^29: %u of %u not optimal (the smallest total %llu): pm[] weights overflow u32",
		     over_bad, over, (unsigned long long)first_bad);
	else
		DIAG("totals 2^29..2^32-1: all %u optimal too", over);
}

/* ---- deflate bits: a writer and a reader of the header ---- */
struct bitw {
	u8 *p;
	size_t cap;
	u64 pos;
};

static void put_bits(struct bitw *w, u32 v, unsigned int k)
{
	for (unsigned int i = 0; i < k; i++, w->pos++) {
		if ((w->pos >> 3) >= w->cap)
			abort();
		if (v >> i & 1)
			w->p[w->pos >> 3] |= 1u << (w->pos & 7);
	}
}

/* a Huffman code: most significant bit first */
static void put_code(struct bitw *w, u16 code, unsigned int len)
{
	for (unsigned int i = len; i-- > 0;)
		put_bits(w, code >> i & 1, 1);
}

struct bitr {
	const u8 *p;
	size_t n;
	u64 pos;
	bool err;
};

static u32 get_bits(struct bitr *r, unsigned int k)
{
	u32 v = 0;

	for (unsigned int i = 0; i < k; i++, r->pos++) {
		if ((r->pos >> 3) >= r->n) {
			r->err = true;
			return 0;
		}
		v |= (u32)(r->p[r->pos >> 3] >> (r->pos & 7) & 1) << i;
	}
	return v;
}

/* canonical decoding, as puff.c does it */
struct dec {
	u16 count[DEFL_MAX_BITS + 1];
	u16 sym[DEFL_LL_SYMS + 2];
};

/* 0: complete; > 0: incomplete; < 0: over-subscribed */
static int dec_build(struct dec *h, const u8 *len, unsigned int n)
{
	u16 offs[DEFL_MAX_BITS + 1];
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (unsigned int s = 0; s < n; s++)
		h->count[len[s]]++;
	if (h->count[0] == n)
		return 1;
	for (unsigned int l = 1; l <= DEFL_MAX_BITS; l++) {
		left <<= 1;
		left -= h->count[l];
		if (left < 0)
			return left;
	}
	offs[1] = 0;
	for (unsigned int l = 1; l < DEFL_MAX_BITS; l++)
		offs[l + 1] = offs[l] + h->count[l];
	for (unsigned int s = 0; s < n; s++)
		if (len[s])
			h->sym[offs[len[s]]++] = s;
	return left;
}

static int dec_sym(struct bitr *r, const struct dec *h)
{
	int code = 0, first = 0, index = 0;

	for (unsigned int l = 1; l <= DEFL_MAX_BITS; l++) {
		code |= get_bits(r, 1);
		if (r->err)
			return -1;
		int count = h->count[l];

		if (code - count < first)
			return h->sym[index + (code - first)];
		index += count;
		first += count;
		first <<= 1;
		code <<= 1;
	}
	return -1;
}

struct hdr_info {
	unsigned int bfinal, btype, hlit, hdist, hclen;
	u8 ll_len[DEFL_LL_SYMS + 2];
	u8 d_len[32];
	u8 cl_len[19];
	u64 bits;		/* where the header ends */
	int cl_left, ll_left, d_left;	/* completeness of the three codes */
};

/* Parse the header of the first block of a raw deflate stream. 0, or why not. */
static const char *parse_header(const u8 *p, size_t n, struct hdr_info *h)
{
	struct bitr r = { .p = p, .n = n };
	u8 cl_len[19] = { }, lens[DEFL_LL_SYMS + 32 + 2];
	struct dec cl;
	unsigned int i, total;

	memset(h, 0, sizeof(*h));
	h->bfinal = get_bits(&r, 1);
	h->btype = get_bits(&r, 2);
	if (h->btype != 2)
		return r.err ? "truncated" : NULL;
	h->hlit = get_bits(&r, 5) + 257;
	h->hdist = get_bits(&r, 5) + 1;
	h->hclen = get_bits(&r, 4) + 4;
	if (h->hlit > 286 || h->hdist > 30)
		return "HLIT or HDIST out of range";
	for (i = 0; i < h->hclen; i++)
		cl_len[cl_order[i]] = get_bits(&r, 3);
	memcpy(h->cl_len, cl_len, sizeof(cl_len));
	h->cl_left = dec_build(&cl, cl_len, 19);
	if (h->cl_left < 0)
		return "code-length code over-subscribed";
	total = h->hlit + h->hdist;
	for (i = 0; i < total;) {
		int s = dec_sym(&r, &cl);
		unsigned int rep, v;

		if (s < 0)
			return "bad code-length code";
		if (s < 16) {
			lens[i++] = s;
			continue;
		}
		if (s == 16) {
			if (!i)
				return "repeat with no previous length";
			v = lens[i - 1];
			rep = 3 + get_bits(&r, 2);
		} else if (s == 17) {
			v = 0;
			rep = 3 + get_bits(&r, 3);
		} else {
			v = 0;
			rep = 11 + get_bits(&r, 7);
		}
		if (i + rep > total)
			return "lengths past HLIT + HDIST";
		while (rep--)
			lens[i++] = v;
	}
	if (r.err)
		return "truncated";
	memcpy(h->ll_len, lens, h->hlit);
	memcpy(h->d_len, lens + h->hlit, h->hdist);
	h->bits = r.pos;
	{
		struct dec t;

		h->ll_left = dec_build(&t, h->ll_len, DEFL_LL_SYMS);
		h->d_left = dec_build(&t, h->d_len, DEFL_D_SYMS);
	}
	return NULL;
}

/* The header in @b declares the lengths of @b, in hdr_bits bits, with complete codes */
static bool header_matches(const struct iaa_huff_block *b, const char *what)
{
	static struct hdr_info h;
	const char *err = parse_header(b->hdr, sizeof(b->hdr), &h);

	if (err || h.bfinal != 1 || h.btype != 2) {
		CHECK(0, "%s: our header does not parse: %s (BFINAL %u BTYPE %u)", what,
		      err ? err : "-", h.bfinal, h.btype);
		return false;
	}
	if (h.bits != b->hdr_bits || memcmp(h.ll_len, b->ll_len, DEFL_LL_SYMS) ||
	    memcmp(h.d_len, b->d_len, DEFL_D_SYMS) || h.cl_left || h.ll_left || h.d_left) {
		CHECK(0, "%s: header of %llu bits (hdr_bits %u), lengths %s, completeness %d/%d/%d",
		      what, (unsigned long long)h.bits, b->hdr_bits,
		      memcmp(h.ll_len, b->ll_len, DEFL_LL_SYMS) ||
		      memcmp(h.d_len, b->d_len, DEFL_D_SYMS) ? "differ" : "agree",
		      h.cl_left, h.ll_left, h.d_left);
		return false;
	}
	return true;
}

/* ---- token streams: literals and matches ---- */
struct tok {
	u16 len;	/* 0: a literal */
	u16 dist;
	u8 lit;
};

struct stream {
	struct tok *t;
	size_t nt, cap;
	u8 *out;	/* what they decode to */
	size_t nout, ocap;
};

static void st_init(struct stream *s, size_t ocap)
{
	s->cap = ocap + 1;
	s->t = xmalloc(s->cap * sizeof(*s->t));
	s->ocap = ocap;
	s->out = xmalloc(ocap);
	s->nt = s->nout = 0;
}

static void st_free(struct stream *s)
{
	free(s->t);
	free(s->out);
}

static void st_lit(struct stream *s, u8 c)
{
	if (s->nt >= s->cap || s->nout >= s->ocap)
		abort();
	s->t[s->nt++] = (struct tok){ 0, 0, c };
	s->out[s->nout++] = c;
}

static void st_match(struct stream *s, unsigned int len, unsigned int dist)
{
	if (s->nt >= s->cap || s->nout + len > s->ocap || dist > s->nout || dist > 32768 ||
	    len < 3 || len > 258 || !dist)
		abort();
	s->t[s->nt++] = (struct tok){ len, dist, 0 };
	for (unsigned int i = 0; i < len; i++, s->nout++)
		s->out[s->nout] = s->out[s->nout - dist];
}

static void st_counts(const struct stream *s, u32 *ll, u32 *d, u64 *extra)
{
	memset(ll, 0, DEFL_LL_SYMS * sizeof(*ll));
	memset(d, 0, DEFL_D_SYMS * sizeof(*d));
	*extra = 0;
	for (size_t i = 0; i < s->nt; i++) {
		const struct tok *t = &s->t[i];

		if (!t->len) {
			ll[t->lit]++;
		} else {
			unsigned int ls = len_sym(t->len), ds = dist_sym(t->dist);

			ll[DEFL_FIRST_LEN + ls]++;
			d[ds]++;
			*extra += lext[ls] + dext[ds];
		}
	}
	ll[DEFL_EOB] = 1;
}

/* greedy LZ77 of @src with a @win-byte window: the tokens, their output is @src */
static void st_lz77(struct stream *s, const u8 *src, size_t n, unsigned int win)
{
	static int32_t head[1 << 15];
	int32_t *prev = xmalloc(n * sizeof(*prev));
	size_t i = 0;

	for (size_t k = 0; k < ARRAY_SIZE(head); k++)
		head[k] = -1;
#define H3(p) ((((u32)(p)[0] << 10) ^ ((u32)(p)[1] << 5) ^ (p)[2]) & 0x7fff)
	while (i < n) {
		unsigned int best = 0, bdist = 0;

		if (i + 3 <= n) {
			int32_t c = head[H3(src + i)];

			for (int chain = 0; c >= 0 && chain < 32 && i - c <= win; chain++) {
				unsigned int l = 0;

				while (i + l < n && l < 258 && src[c + l] == src[i + l])
					l++;
				if (l > best) {
					best = l;
					bdist = i - c;
				}
				c = prev[c];
			}
		}
		if (best >= 3) {
			st_match(s, best, bdist);
		} else {
			best = 1;
			st_lit(s, src[i]);
		}
		for (unsigned int k = 0; k < best; k++, i++) {
			if (i + 3 <= n) {
				u32 hh = H3(src + i);

				prev[i] = head[hh];
				head[hh] = i;
			}
		}
	}
#undef H3
	free(prev);
}

/*
 * The block: our header, the tokens with our codes and their extra bits, EOB. Returns
 * its bit count; *out gets the bytes (to free).
 */
static u64 st_encode(const struct stream *s, const struct iaa_huff_block *b, u8 **out,
		     size_t *nbytes)
{
	size_t cap = sizeof(b->hdr) + s->nt * 6 + 16;
	struct bitw w = { .p = xmalloc(cap), .cap = cap };
	u32 ll_ent[DEFL_LL_SYMS], d_ent[DEFL_D_SYMS];
	u16 ll_code[DEFL_LL_SYMS], d_code[DEFL_D_SYMS];

	/* the codes from the entries the driver writes into the AECS */
	iaa_huff_block_entries(b, ll_ent, d_ent);
	for (unsigned int i = 0; i < DEFL_LL_SYMS; i++)
		ll_code[i] = ll_ent[i] & 0x7fff;
	for (unsigned int i = 0; i < DEFL_D_SYMS; i++)
		d_code[i] = d_ent[i] & 0x7fff;
	memset(w.p, 0, cap);
	for (u32 i = 0; i < b->hdr_bits; i++)
		put_bits(&w, b->hdr[i >> 3] >> (i & 7) & 1, 1);
	for (size_t i = 0; i < s->nt; i++) {
		const struct tok *t = &s->t[i];

		if (!t->len) {
			put_code(&w, ll_code[t->lit], b->ll_len[t->lit]);
		} else {
			unsigned int ls = len_sym(t->len), ds = dist_sym(t->dist);

			put_code(&w, ll_code[DEFL_FIRST_LEN + ls], b->ll_len[DEFL_FIRST_LEN + ls]);
			put_bits(&w, t->len - lbase[ls], lext[ls]);
			put_code(&w, d_code[ds], b->d_len[ds]);
			put_bits(&w, t->dist - dbase[ds], dext[ds]);
		}
	}
	put_code(&w, ll_code[DEFL_EOB], b->ll_len[DEFL_EOB]);
	*out = w.p;
	*nbytes = (w.pos + 7) / 8;
	return w.pos;
}

/* zlib's raw inflate of @src must give exactly @want, consuming all of @src */
static bool inflate_equals(const u8 *src, size_t n, const u8 *want, size_t nwant,
			   const char *what)
{
	u8 *dst = xmalloc(nwant + 1);
	z_stream z;
	int ret;
	bool ok;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	z.next_out = dst;
	z.avail_out = nwant + 1;
	ret = inflate(&z, Z_FINISH);
	ok = ret == Z_STREAM_END && z.total_out == nwant && !memcmp(dst, want, nwant) &&
	     !z.avail_in;
	CHECK(ok, "%s: zlib inflate of our block: ret %d (%s), %lu of %zu bytes, %u input left, data %s",
	      what, ret, z.msg ? z.msg : "-", z.total_out, nwant, z.avail_in,
	      z.total_out == nwant && !memcmp(dst, want, nwant) ? "equal" : "differ");
	inflateEnd(&z);
	free(dst);
	return ok;
}

/* Our block for @s, checked: header parses to our lengths, zlib inflates it to s->out */
static u64 st_check(const struct stream *s, const char *what, struct iaa_huff_block *b)
{
	u32 ll[DEFL_LL_SYMS], d[DEFL_D_SYMS];
	u64 extra, bits, want;
	size_t nbytes;
	u8 *blk;
	int ret;

	st_counts(s, ll, d, &extra);
	ret = iaa_huff_block_build(ll, d, b, work);
	CHECK(!ret, "%s: iaa_huff_block_build returned %d", what, ret);
	if (ret)
		return 0;
	lengths_ok(ll, b->ll_len, DEFL_LL_SYMS, DEFL_MAX_BITS, what);
	lengths_ok(d, b->d_len, DEFL_D_SYMS, DEFL_MAX_BITS, what);
	header_matches(b, what);
	bits = st_encode(s, b, &blk, &nbytes);
	want = b->hdr_bits + iaa_huff_cost(ll, b->ll_len, DEFL_LL_SYMS) +
	       iaa_huff_cost(d, b->d_len, DEFL_D_SYMS) + extra;
	CHECK(bits == want, "%s: block of %llu bits, header + cost + extra bits %llu", what,
	      (unsigned long long)bits, (unsigned long long)want);
	inflate_equals(blk, nbytes, s->out, s->nout, what);
	free(blk);
	return bits;
}

/* ---- data like text ---- */
static const char *const words[] = {
	"the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "are",
	"with", "as", "I", "his", "they", "be", "at", "one", "have", "this", "from", "or",
	"had", "by", "hot", "word", "but", "what", "some", "we", "can", "out", "other",
	"were", "all", "there", "when", "up", "use", "your", "how", "said", "an", "each",
	"she", "which", "do", "their", "time", "if", "will", "way", "about", "many",
	"then", "them", "write", "would", "like", "so", "these", "her", "long", "make",
	"thing", "see", "him", "two", "has", "look", "more", "day", "could", "go", "come",
	"did", "number", "sound", "no", "most", "people", "my", "over", "know", "water",
	"than", "call", "first", "who", "may", "down", "side", "been", "now", "find",
	"kernel", "driver", "compression", "accelerator", "Huffman", "deflate", "page",
	"memory", "queue", "descriptor", "2024", "0x1f", "(void)", "{", "}", ";", "->",
};

static size_t text_like(u8 *p, size_t n)
{
	size_t o = 0;
	bool cap = true;

	while (o < n) {
		/* Zipf-like choice of a word */
		unsigned int k = ARRAY_SIZE(words), w = rng() % k;

		w = (unsigned int)((u64)w * (rng() % k) / k);
		for (const char *c = words[w]; *c && o < n; c++)
			p[o++] = cap && *c >= 'a' && *c <= 'z' ? *c - 32 : *c;
		cap = false;
		if (o >= n)
			break;
		switch (rng() % 16) {
		case 0:
			p[o++] = '.';
			cap = true;
			break;
		case 1:
			p[o++] = ',';
			break;
		case 2:
			p[o++] = '\n';
			continue;
		default:
			break;
		}
		if (o < n)
			p[o++] = ' ';
	}
	return n;
}

/* ---- case 3: against zlib ---- */

/* zlib: one Huffman-only block of @src; its header's lengths and its size */
static const char *zlib_huffman_only(const u8 *src, size_t n, int level, struct hdr_info *h,
				     u8 **out, size_t *nout)
{
	size_t cap = n + n / 8 + 1024;
	u8 *dst = xmalloc(cap);
	const char *err;
	z_stream z;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, -15, 9, Z_HUFFMAN_ONLY) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	z.next_out = dst;
	z.avail_out = cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*nout = z.total_out;
	deflateEnd(&z);
	*out = dst;
	err = parse_header(dst, *nout, h);
	return err;
}

/* where our block and zlib's differ: the data bits, the lengths, the code-length codes */
static void zlib_diff(const u32 *H, const struct iaa_huff_block *b, const struct hdr_info *z)
{
	static struct hdr_info o;
	u64 od = 0, zd = 0;
	char line[200];
	int n = 0;

	parse_header(b->hdr, sizeof(b->hdr), &o);
	for (unsigned int c = 0; c <= DEFL_EOB; c++) {
		u32 f = c == DEFL_EOB ? 1 : H[c];

		od += (u64)f * b->ll_len[c];
		zd += (u64)f * z->ll_len[c];
	}
	printf("#   data: ours %llu bits, zlib %llu; header: ours %u, zlib %llu; HCLEN ours %u, zlib %u\n",
	       (unsigned long long)od, (unsigned long long)zd, b->hdr_bits,
	       (unsigned long long)z->bits, o.hclen, z->hclen);
	for (unsigned int c = 0; c <= DEFL_EOB; c++) {
		if (b->ll_len[c] == z->ll_len[c])
			continue;
		n += snprintf(line + n, sizeof(line) - n, " %u(%u):%u/%u", c,
			      c == DEFL_EOB ? 1 : H[c], b->ll_len[c], z->ll_len[c]);
		if (n > 120) {
			printf("#   lengths sym(count):ours/zlib%s\n", line);
			n = 0;
		}
	}
	if (n)
		printf("#   lengths sym(count):ours/zlib%s\n", line);
	n = 0;
	for (unsigned int i = 0; i < 19; i++)
		n += snprintf(line + n, sizeof(line) - n, " %u:%u/%u", i, o.cl_len[i], z->cl_len[i]);
	printf("#   code-length code, ours/zlib:%s\n", line);
}

struct zres {
	unsigned long long ours, zlib;		/* whole blocks, bits */
	unsigned long long ours_data, zlib_data;	/* without the headers */
	int btype;
};

static unsigned int zlib_notes;

/*
 * A literal histogram @H (256 literals; total < 32000 so zlib emits one block): zlib's
 * block against ours, and ours through zlib's inflate.
 */
static struct zres vs_zlib_hist(const u32 *H, const char *what)
{
	static struct iaa_huff_block b;
	static struct hdr_info h;
	u32 ll[DEFL_LL_SYMS] = { }, d[DEFL_D_SYMS] = { };
	struct zres res = { .btype = -1 };
	struct stream s;
	size_t total = 0, nz, nz2;
	u8 *buf, *zout, *zout2;
	const char *err;
	int ret;

	for (unsigned int c = 0; c < 256; c++)
		total += H[c];
	if (total >= 32000)
		abort();
	buf = xmalloc(total ? total : 1);
	for (unsigned int c = 0, o = 0; c < 256; c++)
		for (u32 k = 0; k < H[c]; k++)
			buf[o++] = c;
	shuffle_u8(buf, total);

	err = zlib_huffman_only(buf, total, 9, &h, &zout, &nz);
	CHECK(!err, "%s: zlib's block does not parse: %s", what, err);
	/* the level does not matter to Huffman-only */
	for (int level = 1; level <= 6; level += 5) {
		struct hdr_info h2;

		zlib_huffman_only(buf, total, level, &h2, &zout2, &nz2);
		CHECK(nz2 == nz && !memcmp(zout, zout2, nz), "%s: level %d differs from 9", what,
		      level);
		free(zout2);
	}
	res.btype = h.btype;
	CHECK(h.bfinal == 1, "%s: zlib's first block is not final", what);
	if (!err && h.btype == 2) {
		u64 zbits = h.bits + h.ll_len[DEFL_EOB];

		for (unsigned int c = 0; c < 256; c++)
			zbits += (u64)H[c] * h.ll_len[c];
		/* one block, and the size as computed is the size zlib wrote */
		CHECK((zbits + 7) / 8 == nz, "%s: zlib block of %llu bits in %zu bytes", what,
		      (unsigned long long)zbits, nz);
		res.zlib = zbits;
	}

	memcpy(ll, H, 256 * sizeof(*H));
	ll[DEFL_EOB] = 1;
	ret = iaa_huff_block_build(ll, d, &b, work);
	CHECK(!ret, "%s: iaa_huff_block_build returned %d", what, ret);
	res.ours = b.hdr_bits + iaa_huff_cost(ll, b.ll_len, DEFL_LL_SYMS) +
		   iaa_huff_cost(d, b.d_len, DEFL_D_SYMS);
	res.ours_data = res.ours - b.hdr_bits;
	if (res.zlib) {
		res.zlib_data = res.zlib - h.bits;
		/* the builder's lengths are optimal: never more data bits than zlib's */
		CHECK(res.ours_data <= res.zlib_data,
		      "%s: data bits ours %llu, zlib %llu (headers %u and %llu)", what,
		      res.ours_data, res.zlib_data, b.hdr_bits, (unsigned long long)h.bits);
		if (res.ours_data > res.zlib_data && case_msgs <= KTAP_MAX_MSGS)
			zlib_diff(H, &b, &h);
	}
	if (res.zlib && res.ours > res.zlib && zlib_notes++ < 4) {
		DIAG("note: %s: ours %llu bits (header %u), zlib %llu (header %llu): a larger header",
		     what, res.ours, b.hdr_bits, res.zlib, (unsigned long long)h.bits);
		zlib_diff(H, &b, &h);
	}

	/* our block, literal by literal, through zlib */
	st_init(&s, total + 1);
	for (size_t i = 0; i < total; i++)
		st_lit(&s, buf[i]);
	CHECK(st_check(&s, what, &b) == res.ours, "%s: encoded size differs from the cost", what);
	st_free(&s);
	free(zout);
	free(buf);
	return res;
}

static u32 hist_total(const u32 *H)
{
	u32 t = 0;

	for (int c = 0; c < 256; c++)
		t += H[c];
	return t;
}

/* scale @H down to a total under @max, keeping every used literal */
static void hist_fit(u32 *H, u32 max)
{
	u32 t = hist_total(H);

	if (t < max)
		return;
	for (int c = 0; c < 256; c++)
		if (H[c])
			H[c] = (u32)((u64)H[c] * (max - 300) / t) + 1;
}

static void t_vs_zlib(void)
{
	u32 H[256];
	char what[96];
	unsigned long long sum_ours = 0, sum_zlib = 0;
	unsigned int nhist = 0, ndyn = 0, fewer = 0, equal = 0, more = 0, other = 0, i, c;
	long long worst = 0;
	struct zres r;
	u8 *text = xmalloc(32768);

#define RUN(name, show) \
	do { \
		r = vs_zlib_hist(H, name); \
		nhist++; \
		if (r.btype == 2) { \
			ndyn++; \
			sum_ours += r.ours; \
			sum_zlib += r.zlib; \
			fewer += r.ours < r.zlib; \
			equal += r.ours == r.zlib; \
			more += r.ours > r.zlib; \
			if ((long long)(r.ours - r.zlib) > worst) \
				worst = r.ours - r.zlib; \
			if (show) \
				DIAG("%-34s %6u literals: ours %7llu bits, zlib %7llu (%+lld)", \
				     name, hist_total(H), r.ours, r.zlib, \
				     (long long)r.ours - (long long)r.zlib); \
		} else { \
			other++; \
			if (show) \
				DIAG("%-34s %6u literals: ours %7llu bits, zlib chose BTYPE %d", \
				     name, hist_total(H), r.ours, r.btype); \
		} \
	} while (0)

	/* named histograms, shown */
	memset(H, 0, sizeof(H));
	for (c = 0; c < 256; c++)
		H[c] = rnd(1, 120);
	RUN("uniform 1..120", 1);

	memset(H, 0, sizeof(H));
	for (c = 0; c < 256; c++)
		H[c] = (u32)(20000.0 / ((c + 1) * (c + 1) * 0.2 + 1) + (c < 200));
	hist_fit(H, 31000);
	RUN("skewed (1/(1+c^2/5))", 1);

	memset(H, 0, sizeof(H));
	for (c = 0; c < 256; c++)
		H[c] = rnd_log(9);
	RUN("log-uniform 1..511", 1);

	text_like(text, 30000);
	memset(H, 0, sizeof(H));
	for (i = 0; i < 30000; i++)
		H[text[i]]++;
	RUN("text-like 30000 bytes", 1);
	memset(H, 0, sizeof(H));
	for (i = 0; i < 4096; i++)
		H[text[i]]++;
	RUN("text-like 4096 bytes", 1);

	for (unsigned int k = 17; k <= 21; k++) {
		u32 a = 1, bb = 1;

		memset(H, 0, sizeof(H));
		for (i = 0; i < k; i++) {
			H[(i * 37 + 11) % 256] = a;
			bb += a;
			a = bb - a;
		}
		snprintf(what, sizeof(what), "Fibonacci on %u literals", k);
		RUN(what, 1);
	}
	{
		u32 a = 1, bb = 1;

		for (c = 0; c < 256; c++)
			H[c] = rnd(1, 3);
		for (i = 0; i < 20; i++) {
			H[(i * 53 + 7) % 256] = a;
			bb += a;
			a = bb - a;
		}
		RUN("Fibonacci on 20 + 236 of 1..3", 1);
	}

	memset(H, 0, sizeof(H));
	for (i = 0; i < 14; i++)
		H[i * 17] = 1u << i;
	RUN("geometric 2^0..2^13", 1);
	for (c = 0; c < 256; c++)
		H[c] = 1;
	H[100] = 25000;
	RUN("25000 + 255 of 1", 1);
	memset(H, 0, sizeof(H));
	H['a'] = 1000;
	RUN("one literal", 1);
	memset(H, 0, sizeof(H));
	H[0] = 700;
	H[255] = 300;
	RUN("two literals", 1);
	memset(H, 0, sizeof(H));
	H['x'] = 500;
	H['y'] = 500;
	H['z'] = 499;
	RUN("three literals", 1);
	for (c = 0; c < 256; c++)
		H[c] = 100;
	RUN("all 256 count 100", 1);

	/* random ones, totalled only */
	for (unsigned int k = 0; k < 300; k++) {
		unsigned int used = rnd(0, 2) ? rnd(2, 256) : rnd(2, 40);
		int kind = k % 4;

		memset(H, 0, sizeof(H));
		for (i = 0; i < used; i++)
			H[i] = kind == 0 ? rnd(1, 1000) : kind == 1 ? rnd_log(14) :
			       kind == 2 ? rnd(1, 4) * rnd(1, 4) : rnd_log(10);
		shuffle_u32(H, 256);
		hist_fit(H, 31000);
		snprintf(what, sizeof(what), "random #%u (%u used, kind %d)", k, used, kind);
		RUN(what, 0);
	}
#undef RUN
	DIAG("%u literal histograms: %u dynamic blocks from zlib, ours %llu bits vs zlib %llu (%+.4f%%)",
	     nhist, ndyn, sum_ours, sum_zlib,
	     sum_zlib ? 100.0 * ((double)sum_ours - (double)sum_zlib) / (double)sum_zlib : 0.0);
	DIAG("ours fewer bits in %u, as many in %u, more in %u (at most %lld bits more: the header); %u not dynamic at zlib",
	     fewer, equal, more, worst, other);
	/*
	 * The data bits are optimal, the header's are not: among the optimal length vectors
	 * (ties of equal counts; and under a binding limit, zlib's heuristic spends a bit of
	 * data on fewer distinct lengths) zlib's may happen to describe in fewer bits. So
	 * per histogram ours is never more data bits (checked above), and the whole blocks,
	 * in total, are not larger; more bits than zlib stay rare.
	 */
	CHECK(sum_ours <= sum_zlib, "in total ours %llu bits, zlib %llu", sum_ours, sum_zlib);
	CHECK(more * 10 <= ndyn, "ours larger than zlib's in %u of %u blocks", more, ndyn);
	CHECK(ndyn >= nhist * 3 / 4, "only %u of %u histograms gave zlib dynamic blocks", ndyn,
	      nhist);

	/* streams with matches: our block through zlib's inflate */
	{
		static struct iaa_huff_block b;
		struct stream s;
		unsigned int nstreams = 0;
		u8 *big = xmalloc(65536);

		/* no symbol at all: EOB only */
		st_init(&s, 16);
		st_check(&s, "empty (EOB only)", &b);
		st_free(&s);
		nstreams++;

		/* random literals and matches, every distance */
		for (int k = 0; k < 40; k++) {
			st_init(&s, 70000);
			unsigned int alpha = rnd(1, 256);

			while (s.nout < 60000) {
				if (!s.nout || rnd(0, 2) == 0) {
					st_lit(&s, rnd(0, alpha - 1));
				} else {
					unsigned int maxd = s.nout < 32768 ? s.nout : 32768;
					unsigned int dist = k & 1 ? rnd(1, maxd) :
							    (rnd_log(15) % maxd) + 1;

					st_match(&s, rnd(0, 3) ? rnd(3, 20) : rnd(3, 258), dist);
				}
			}
			snprintf(what, sizeof(what), "random matches #%d", k);
			st_check(&s, what, &b);
			st_free(&s);
			nstreams++;
		}

		/* exactly one distance symbol: 0, 1, 4, 17, 29 */
		static const unsigned int one_d[] = { 0, 1, 4, 17, 29 };

		for (i = 0; i < ARRAY_SIZE(one_d); i++) {
			unsigned int ds = one_d[i], lo = dbase[ds], hi = lo + (1u << dext[ds]) - 1;
			u32 dl[DEFL_D_SYMS], ll[DEFL_LL_SYMS];
			u64 extra;

			st_init(&s, hi + 300 * 259);
			while (s.nout < hi)
				st_lit(&s, rnd('a', 'h'));
			for (int k = 0; k < 300; k++) {
				if (rnd(0, 1))
					st_lit(&s, rnd('a', 'h'));
				st_match(&s, rnd(3, 258), rnd(lo, hi));
			}
			st_counts(&s, ll, dl, &extra);
			unsigned int used = 0;

			for (c = 0; c < DEFL_D_SYMS; c++)
				used += !!dl[c];
			CHECK(used == 1 && dl[ds], "distance stream %u uses %u symbols", ds, used);
			snprintf(what, sizeof(what), "one distance symbol (%u)", ds);
			st_check(&s, what, &b);
			CHECK(b.d_len[ds] == 1 && b.d_len[ds ? 0 : 1] == 1,
			      "%s: lengths %u and %u", what, b.d_len[ds], b.d_len[ds ? 0 : 1]);
			st_free(&s);
			nstreams++;
		}

		/* no distance: literals only, small and large alphabets */
		for (int k = 0; k < 4; k++) {
			st_init(&s, 5000);
			for (int j = 0; j < 4000; j++)
				st_lit(&s, k == 0 ? 'q' : rnd(0, k == 1 ? 1 : k == 2 ? 15 : 255));
			snprintf(what, sizeof(what), "no distance (literals of %d kinds)",
				 k == 0 ? 1 : k == 1 ? 2 : k == 2 ? 16 : 256);
			st_check(&s, what, &b);
			st_free(&s);
			nstreams++;
		}

		/* one literal, then length 258 at distance 1 only: symbols 'a', 285, EOB */
		st_init(&s, 300000);
		st_lit(&s, 'a');
		for (int k = 0; k < 1000; k++)
			st_match(&s, 258, 1);
		st_check(&s, "one literal + 285/distance 1", &b);
		st_free(&s);
		nstreams++;

		/* every length symbol and every distance symbol, each extra-bit extreme */
		st_init(&s, 32768 + 29 * 30 * 2 * 258);
		for (i = 0; i < 32768; i++)
			st_lit(&s, rnd(0, 255));
		for (unsigned int ls = 0; ls < 29; ls++) {
			for (unsigned int ds = 0; ds < 30; ds++) {
				unsigned int lmax = ls == 28 ? 258 : lbase[ls] + (1u << lext[ls]) - 1;
				unsigned int dmax = dbase[ds] + (1u << dext[ds]) - 1;

				if (ls == 27)	/* 284 stops at 257 (258 is 285) */
					lmax = 257;
				st_match(&s, lbase[ls], dbase[ds]);
				st_match(&s, lmax, dmax);
			}
		}
		st_check(&s, "all length and distance symbols", &b);
		st_free(&s);
		nstreams++;

		/* greedy LZ77 of text-like data, 4 KiB and 32 KiB windows */
		text_like(big, 65536);
		for (int k = 0; k < 4; k++) {
			size_t n = k < 2 ? 4096 : 32768;

			st_init(&s, n);
			st_lz77(&s, big + k * 8192, n, k & 1 ? 32768 : 4096);
			snprintf(what, sizeof(what), "LZ77 of text-like %zu bytes, window %u", n,
				 k & 1 ? 32768 : 4096);
			u64 bits = st_check(&s, what, &b);

			if (k == 0 || k == 3)
				DIAG("%s: %zu tokens, block %llu bits (header %u)", what, s.nt,
				     (unsigned long long)bits, b.hdr_bits);
			st_free(&s);
			nstreams++;
		}
		DIAG("%u streams with matches (and without) inflated by zlib", nstreams);
		free(big);
	}
	free(text);
}

/* ---- case 4: the header's size ---- */
struct guarded_block {
	struct iaa_huff_block b;
	u8 guard[GUARD];
};

static u32 hdr_max;
static u32 hdr_max_ll[DEFL_LL_SYMS], hdr_max_d[DEFL_D_SYMS];

/* build, check bounds and the header; the header's bits, or 0 on failure */
static u32 hdr_build(const u32 *ll, const u32 *d, struct guarded_block *g, const char *what)
{
	unsigned int i, used;
	int ret;

	memset(g, CANARY, sizeof(*g));
	ret = iaa_huff_block_build(ll, d, &g->b, work);
	for (i = 0; i < GUARD; i++)
		if (g->guard[i] != CANARY)
			break;
	CHECK(i == GUARD, "%s: byte %u after the block written", what, i);
	CHECK(!ret, "%s: iaa_huff_block_build returned %d (hdr_bits %u)", what, ret,
	      g->b.hdr_bits);
	CHECK(g->b.hdr_bits <= 8 * DEFL_HDR_MAX_BYTES, "%s: hdr_bits %u", what, g->b.hdr_bits);
	if (ret || g->b.hdr_bits > 8 * DEFL_HDR_MAX_BYTES)
		return 0;
	/* nothing written past the header's last byte, and its padding is zero */
	used = (g->b.hdr_bits + 7) / 8;
	for (i = used; i < DEFL_HDR_MAX_BYTES; i++)
		if (g->b.hdr[i] != CANARY)
			break;
	CHECK(i == DEFL_HDR_MAX_BYTES, "%s: hdr[%u] written, header %u bits", what, i,
	      g->b.hdr_bits);
	if (g->b.hdr_bits % 8)
		CHECK(!(g->b.hdr[used - 1] >> (g->b.hdr_bits % 8)), "%s: padding bits not zero",
		      what);
	header_matches(&g->b, what);
	if (g->b.hdr_bits > hdr_max) {
		hdr_max = g->b.hdr_bits;
		memcpy(hdr_max_ll, ll, sizeof(hdr_max_ll));
		memcpy(hdr_max_d, d, sizeof(hdr_max_d));
	}
	return g->b.hdr_bits;
}

/*
 * Counts whose optimal code has the lengths @len (a complete code): 2^(16 - len), a
 * dyadic distribution, for which those lengths are optimal (ties may pick others).
 */
static void counts_for_lengths(const u8 *len, unsigned int n, u32 *freq)
{
	for (unsigned int i = 0; i < n; i++)
		freq[i] = len[i] ? (1u << (DEFL_MAX_BITS + 1 - len[i])) : 0;
}

/* a random complete code on @n symbols with lengths <= 15, all used: split leaves */
static void random_lengths(u8 *len, unsigned int n, bool alternate)
{
	unsigned int k = 2, i;

	len[0] = len[1] = 1;
	while (k < n) {
		/* split a random leaf that can still grow */
		do
			i = rng() % k;
		while (len[i] >= DEFL_MAX_BITS);
		len[i]++;
		len[k++] = len[i];
	}
	shuffle_u8(len, n);
	if (alternate) {
		/* order to avoid runs: deal lengths round-robin by value */
		u8 tmp[DEFL_LL_SYMS];
		unsigned int cnt[16] = { }, o = 0, v = 0;

		for (i = 0; i < n; i++)
			cnt[len[i]]++;
		while (o < n) {
			v = v % 15 + 1;
			if (cnt[v]) {
				tmp[o++] = v;
				cnt[v]--;
			}
		}
		memcpy(len, tmp, n);
	}
}

static void t_header_limit(void)
{
	struct guarded_block *g = xmalloc(sizeof(*g));
	u32 ll[DEFL_LL_SYMS], d[DEFL_D_SYMS], cur_ll[DEFL_LL_SYMS], cur_d[DEFL_D_SYMS];
	u8 lens[DEFL_LL_SYMS];
	unsigned int builds = 0, i;
	u32 cur, best_random = 0, best_crafted = 0, v;
	char what[64];

	/* random histograms over every symbol */
	for (int k = 0; k < 3000; k++) {
		for (i = 0; i < DEFL_LL_SYMS; i++)
			ll[i] = k % 3 == 0 ? rnd(1, 65535) : k % 3 == 1 ? rnd_log(16) : rnd_log(30);
		for (i = 0; i < DEFL_D_SYMS; i++)
			d[i] = k % 3 == 0 ? rnd(1, 65535) : k % 3 == 1 ? rnd_log(16) : rnd_log(30);
		snprintf(what, sizeof(what), "random #%d", k);
		v = hdr_build(ll, d, g, what);
		best_random = v > best_random ? v : best_random;
		builds++;
	}

	/* crafted: every length 1..15 used, dealt so that no two neighbours are equal */
	for (int k = 0; k < 2000; k++) {
		random_lengths(lens, DEFL_LL_SYMS, k & 1);
		counts_for_lengths(lens, DEFL_LL_SYMS, ll);
		random_lengths(lens, DEFL_D_SYMS, k & 2);
		counts_for_lengths(lens, DEFL_D_SYMS, d);
		snprintf(what, sizeof(what), "crafted #%d", k);
		v = hdr_build(ll, d, g, what);
		best_crafted = v > best_crafted ? v : best_crafted;
		builds++;
	}

	/* hill climbing from the largest so far: change a few counts, keep if not smaller */
	memcpy(cur_ll, hdr_max_ll, sizeof(cur_ll));
	memcpy(cur_d, hdr_max_d, sizeof(cur_d));
	cur = hdr_max;
	for (int k = 0; k < 20000 && !case_fail; k++) {
		memcpy(ll, cur_ll, sizeof(ll));
		memcpy(d, cur_d, sizeof(d));
		for (int j = rnd(1, 4); j > 0; j--) {
			if (rnd(0, 9))
				ll[rnd(0, DEFL_LL_SYMS - 1)] = rnd(0, 15) ? rnd_log(17) : 0;
			else
				d[rnd(0, DEFL_D_SYMS - 1)] = rnd(0, 15) ? rnd_log(17) : 0;
		}
		ll[DEFL_EOB] |= 1;
		v = hdr_build(ll, d, g, "hill climbing");
		if (v >= cur) {
			cur = v;
			memcpy(cur_ll, ll, sizeof(ll));
			memcpy(cur_d, d, sizeof(d));
		}
		builds++;
	}
	DIAG("%u builds: header at most %u bits (random %u, crafted %u, climbed %u) of %u",
	     builds, hdr_max, best_random, best_crafted, cur, 8 * DEFL_HDR_MAX_BYTES);
	DIAG("-E2BIG is unreachable: 17 + 19*3 bits, and 316 code lengths at most 5 bits each");
	DIAG("(the code-length code is optimal, so it is no worse than a fixed 5-bit code):");
	DIAG("at most 74 + 1580 = 1654 bits, 207 bytes; a 16, 17 or 18 costs less per length");
	CHECK(hdr_max <= 1654, "header of %u bits over the bound of 1654", hdr_max);
	free(g);
}

/* ---- case: canonical codes ---- */
static void t_codes_canonical(void)
{
	u32 freq[DEFL_LL_SYMS];
	u16 code[DEFL_LL_SYMS];
	unsigned int count = 0;

	for (unsigned int t = 0; t < ARRAY_SIZE(tables); t++) {
		unsigned int n = tables[t].n, limit = tables[t].limit;

		for (unsigned int r = 0; r < 500; r++) {
			unsigned int used = r < 4 ? r : rnd(2, n), last_len = 0, i, l;
			u16 expect = 0;
			u8 *len;
			bool ok = true;

			memset(freq, 0, sizeof(freq));
			for (i = 0; i < used; i++)
				freq[i] = r % 2 ? rnd_log(20) : rnd(1, 100);
			shuffle_u32(freq, n);
			len = run_lengths(freq, n, limit);
			iaa_huff_codes(len, n, code);
			/*
			 * RFC 1951 3.2.2 as a sequence: in order of (length, symbol) the codes
			 * count up from 0, shifted left when the length grows; a complete code
			 * ends with all ones.
			 */
			for (l = 1; l <= limit && ok; l++) {
				for (i = 0; i < n && ok; i++) {
					if (len[i] != l)
						continue;
					if (last_len)
						expect = (u16)((expect + 1) << (l - last_len));
					last_len = l;
					if (code[i] != expect) {
						CHECK(0, "n %u: symbol %u length %u code %#x, want %#x",
						      n, i, l, code[i], expect);
						ok = false;
					}
				}
			}
			if (ok)
				CHECK(expect == (1u << last_len) - 1, "n %u: last code %#x of %u bits",
				      n, expect, last_len);
			for (i = 0; i < n; i++)
				if (!len[i])
					CHECK(!code[i], "symbol %u without length has code %#x", i,
					      code[i]);
			free(len);
			count++;
		}
	}
	DIAG("%u code sets canonical", count);
}

/* ---- case 5: time ---- */
static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void t_build_time(void)
{
	static struct iaa_huff_block b;
	u8 *page = xmalloc(4096);
	u32 ll[DEFL_LL_SYMS], d[DEFL_D_SYMS], a = 1, bb = 1;
	struct stream s;
	u64 extra;
	const int iters = 20000;
	double t0, ns;
	int ret = 0;

	text_like(page, 4096);
	st_init(&s, 4096);
	st_lz77(&s, page, 4096, 4096);
	st_counts(&s, ll, d, &extra);
	t0 = cpu_ns();
	for (int k = 0; k < iters; k++)
		ret |= iaa_huff_block_build(ll, d, &b, work);
	ns = (cpu_ns() - t0) / iters;
	CHECK(!ret, "build failed");
	DIAG("iaa_huff_block_build, a text-like 4 KiB page (%zu tokens, greedy LZ77): %.0f ns CPU on average (%d runs)",
	     s.nt, ns, iters);

	/* for comparison: package-merge in the literal/length table */
	for (int k = 0; k < 20; k++) {
		ll[k * 11] = a;
		bb += a;
		a = bb - a;
	}
	t0 = cpu_ns();
	for (int k = 0; k < iters; k++)
		ret |= iaa_huff_block_build(ll, d, &b, work);
	ns = (cpu_ns() - t0) / iters;
	CHECK(!ret, "build failed");
	DIAG("the same with Fibonacci counts on 20 literals (the 15-bit limit binds): %.0f ns", ns);
	st_free(&s);
	free(page);
}

/* ---- the sanitizer build ---- */
static const struct ktap_case cases[] = {
	{ "lengths_valid", t_lengths_valid },
	{ "lengths_optimal", t_lengths_optimal },
	{ "large_counts", t_large_counts },
	{ "codes_canonical", t_codes_canonical },
	{ "vs_zlib", t_vs_zlib },
	{ "header_limit", t_header_limit },
	{ "build_time", t_build_time },
	{ "sanitizer_build", ktap_sanitizers },
};

/* each case reproducible on its own */
static void seed_case(unsigned int i)
{
	rng_s = seed + i;
}

int main(int argc, char **argv)
{
	unsigned int n = ktap_args(argc, argv, ARRAY_SIZE(cases));
	int rc;

	printf("KTAP version 1\n1..%u\n", n);
	DIAG("iaa_crypto_huffman.c host tests, seed %#llx", (unsigned long long)seed);
	work = xmalloc(sizeof(*work));
	rc = ktap_run(cases, n, "huffman", seed_case);
	free(work);
	return rc;
}
