// SPDX-License-Identifier: GPL-2.0
/*
 * Huffman codes for one dynamic deflate block, from the symbol counts the
 * device's statistics mode gives.
 *
 * Code lengths. The symbols that occur are sorted by count (on a page most
 * counts are small: a counting sort, and insertion for the few large ones),
 * and Huffman's construction with two queues (van Leeuwen, 1976) turns the
 * sorted counts into optimal lengths in linear time. If the longest
 * is over the limit - 15 bits for literal/length and distance codes, 7 for
 * the code-length code - the lengths come from package-merge instead (Larmore
 * and Hirschberg, 1990), which is optimal under the limit. Either way no
 * prefix code within the limit spends fewer bits on those counts. Package-
 * merge costs about 15 times more, and a limit only binds on very skewed
 * counts, so it is the exception.
 *
 * A code always has at least two symbols: a single used symbol is paired
 * with an unused one, and a table with none (no distances: the data is all
 * literals) declares two unused codes of one bit. Such complete codes are
 * what every inflater accepts.
 *
 * The header (RFC 1951 section 3.2.7) declares the literal/length lengths up
 * to the last used symbol and the distance lengths likewise, each list
 * run-length coded on its own: repeats of a nonzero length as code 16, runs
 * of zeros as 17 and 18.
 *
 * After the first pass over a table's counts, the sort and the code
 * assignment visit the symbols used only: the build runs between two device
 * operations of every dynamic compress, so its instructions are the mode's
 * CPU cost.
 */
#include <linux/bitrev.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "iaa_crypto_huffman.h"

/* The order in which the header gives the code-length code's lengths */
static const u8 huff_cl_order[DEFL_CL_SYMS] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

/* Code-length symbols with extra bits: how many */
#define CL_REPEAT	16	/* previous length 3..6 times: 2 bits */
#define CL_ZEROS	17	/* 3..10 zeros: 3 bits */
#define CL_ZEROS_LONG	18	/* 11..138 zeros: 7 bits */
#define CL_TOK(sym, extra)	((u16)((sym) | (extra) << 5))
#define CL_TOK_SYM(t)		((t) & 0x1f)
#define CL_TOK_EXTRA(t)		((t) >> 5)

/*
 * Counts below this are sorted by counting them: on a page most symbols
 * occur a few times, and the few with larger counts are sorted by insertion
 */
#define HUFF_SMALL	IAA_HUFF_SMALL

/*
 * The symbols of @freq with a nonzero count: into @used in symbol order,
 * and into w->sym in increasing order of count (stable: ties in symbol
 * order) with their counts in w->a. Returns how many.
 */
static unsigned int huff_sort(const u32 *freq, unsigned int n, u16 *used,
			      struct iaa_huff_work *w)
{
	u16 *pos = w->bucket, *big = w->tmp;
	unsigned int i, j, m = 0, nb = 0, at = 0, c;

	memset(pos, 0, HUFF_SMALL * sizeof(*pos));
	for (i = 0; i < n; i++) {
		c = freq[i];
		if (!c)
			continue;
		used[m++] = i;
		if (c < HUFF_SMALL)
			pos[c]++;
		else
			big[nb++] = i;
	}

	/* the small counts in order, each count's symbols in symbol order */
	for (c = 1; c < HUFF_SMALL; c++) {
		j = pos[c];
		pos[c] = at;
		at += j;
	}
	for (i = 0; i < m; i++) {
		c = freq[used[i]];
		if (c < HUFF_SMALL) {
			w->sym[pos[c]] = used[i];
			w->a[pos[c]++] = c;
		}
	}

	/* the large ones after them, by insertion */
	for (i = 0; i < nb; i++) {
		u16 v = big[i];

		c = freq[v];
		for (j = at + i; j > at && w->a[j - 1] > c; j--) {
			w->sym[j] = w->sym[j - 1];
			w->a[j] = w->a[j - 1];
		}
		w->sym[j] = v;
		w->a[j] = c;
	}
	return m;
}

/*
 * Optimal code lengths for the @n >= 2 weights in w->a[], in increasing
 * order, with their sum below U32_MAX; on return w->a[] holds the lengths
 * (a[0], the rarest, longest). Huffman's construction with two queues (van
 * Leeuwen): the leaves in order, and the internal nodes, which are made in
 * increasing weight; each end holds a sentinel so that no bound is checked.
 * Then the depth of each internal node from the root down, and the leaves'
 * depths from the number of internal nodes at each depth (as Moffat and
 * Katajainen do in place).
 */
static void huff_lengths_tq(struct iaa_huff_work *w, unsigned int n)
{
	u32 *a = w->a, *iw = w->wt;
	u16 *par = w->tmp;
	unsigned int li = 0, ni = 0, k, avail, used, depth, next;
	u32 x, y;
	int r;

	a[n] = U32_MAX;
	for (k = 0; k < n - 1; k++) {
		iw[k] = U32_MAX;
		if (a[li] <= iw[ni]) {
			x = a[li++];
		} else {
			x = iw[ni];
			par[ni++] = k;
		}
		if (a[li] <= iw[ni]) {
			y = a[li++];
		} else {
			y = iw[ni];
			par[ni++] = k;
		}
		iw[k] = x + y;
	}

	/* depths of the internal nodes: the last made is the root */
	iw[n - 2] = 0;
	for (r = n - 3; r >= 0; r--)
		iw[r] = iw[par[r]] + 1;

	/* each depth has twice the internal nodes above it as nodes */
	avail = 1;
	depth = 0;
	r = n - 2;
	next = n;
	while (avail) {
		used = 0;
		while (r >= 0 && iw[r] == depth) {
			used++;
			r--;
		}
		for (; avail > used; avail--)
			a[--next] = depth;
		avail = 2 * used;
		depth++;
	}
}

static bool pm_is_pkg(const u32 *bits, unsigned int i)
{
	return bits[i / 32] & (1u << (i % 32));
}

/*
 * Package-merge: optimal lengths of at most @limit bits for the @m >= 2
 * increasing weights w->wt[], into w->a[] (2^limit >= m).
 *
 * Level @limit holds the leaves; each level above holds the leaves merged
 * with the pairs ("packages") of the level below, in increasing weight. The
 * first 2m - 2 items of level 1 are the solution: every leaf among the items
 * chosen at a level is one bit longer, and every package chosen there
 * chooses its two items at the level below.
 */
static void huff_lengths_pm(struct iaa_huff_work *w, unsigned int m,
			    unsigned int limit)
{
	u64 *prev = w->pm[0], *cur = w->pm[1], *t;
	unsigned int plen = m, j, i, c, k;

	for (i = 0; i < m; i++)
		prev[i] = w->wt[i];
	for (j = limit - 1; j >= 1; j--) {
		unsigned int np = plen / 2, li = 0, pi = 0, o = 0;

		memset(w->pkg[j], 0, sizeof(w->pkg[j]));
		while (li < m || pi < np) {
			u64 pw = pi < np ? prev[2 * pi] + prev[2 * pi + 1] : 0;

			if (pi >= np || (li < m && w->wt[li] <= pw)) {
				cur[o++] = w->wt[li++];
			} else {
				w->pkg[j][o / 32] |= 1u << (o % 32);
				cur[o++] = pw;
				pi++;
			}
		}
		plen = o;
		t = prev;
		prev = cur;
		cur = t;
	}

	memset(w->a, 0, m * sizeof(w->a[0]));
	c = 2 * m - 2;
	for (j = 1; j <= limit && c; j++) {
		if (j == limit) {
			k = c;
		} else {
			for (k = 0, i = 0; i < c; i++)
				k += !pm_is_pkg(w->pkg[j], i);
		}
		for (i = 0; i < k; i++)
			w->a[i]++;
		c = 2 * (c - k);
	}
}

/*
 * Code lengths for @freq into @len (every entry written), and the symbols
 * that have a code into @used, in symbol order. Returns how many: at least
 * two.
 */
static unsigned int huff_lengths(const u32 *freq, unsigned int n,
				 unsigned int max_bits, u8 *len, u16 *used,
				 struct iaa_huff_work *w)
{
	unsigned int i, m = huff_sort(freq, n, used, w);

	memset(len, 0, n);
	if (m < 2) {
		unsigned int s = m ? used[0] : 0;

		/* the lone symbol and a partner, in symbol order */
		used[0] = 0;
		used[1] = s ? s : 1;
		len[used[0]] = 1;
		len[used[1]] = 1;
		return 2;
	}

	huff_lengths_tq(w, m);
	if (w->a[0] > max_bits) {
		for (i = 0; i < m; i++)
			w->wt[i] = freq[w->sym[i]];
		huff_lengths_pm(w, m, max_bits);
	}
	for (i = 0; i < m; i++)
		len[w->sym[i]] = w->a[i];
	return m;
}

/**
 * iaa_huff_lengths - code lengths for symbol counts
 * @freq: count of each of the @n symbols
 * @n: number of symbols (at most DEFL_LL_SYMS)
 * @max_bits: length limit, with 2^max_bits >= @n
 * @len: the lengths, 0 for a symbol without code
 * @w: scratch
 *
 * Every symbol with a nonzero count gets a code, and the code is complete.
 */
void iaa_huff_lengths(const u32 *freq, unsigned int n, unsigned int max_bits,
		      u8 *len, struct iaa_huff_work *w)
{
	huff_lengths(freq, n, max_bits, len, w->used, w);
}

/*
 * Canonical codes (RFC 1951 section 3.2.2) of the @m symbols @used, in
 * symbol order, with lengths @len; the other entries of @code stay as they
 * are. Returns the bits the counts @freq take with those codes.
 */
static u64 huff_codes_used(const u32 *freq, const u8 *len, const u16 *used,
			   unsigned int m, u16 *code)
{
	u16 count[DEFL_MAX_BITS + 1] = { }, next[DEFL_MAX_BITS + 1];
	unsigned int bits, i, l;
	u64 cost = 0;
	u16 c = 0;

	for (i = 0; i < m; i++) {
		l = len[used[i]];
		count[l]++;
		cost += (u64)freq[used[i]] * l;
	}
	for (bits = 1; bits <= DEFL_MAX_BITS; bits++) {
		c = (c + count[bits - 1]) << 1;
		next[bits] = c;
	}
	for (i = 0; i < m; i++)
		code[used[i]] = next[len[used[i]]]++;
	return cost;
}

/**
 * iaa_huff_codes - canonical codes for code lengths (RFC 1951 section 3.2.2)
 * @len: length of each of the @n symbols, 0 for none (at most DEFL_MAX_BITS)
 * @n: number of symbols
 * @code: the codes, most significant bit first; 0 for a symbol without one
 */
void iaa_huff_codes(const u8 *len, unsigned int n, u16 *code)
{
	u16 count[DEFL_MAX_BITS + 1] = { }, next[DEFL_MAX_BITS + 1];
	unsigned int bits, sym;
	u16 c = 0;

	for (sym = 0; sym < n; sym++)
		count[len[sym]]++;
	count[0] = 0;
	for (bits = 1; bits <= DEFL_MAX_BITS; bits++) {
		c = (c + count[bits - 1]) << 1;
		next[bits] = c;
	}
	for (sym = 0; sym < n; sym++)
		code[sym] = len[sym] ? next[len[sym]]++ : 0;
}

/* Bits the symbols of @freq take with the code lengths @len */
u64 iaa_huff_cost(const u32 *freq, const u8 *len, unsigned int n)
{
	unsigned int i;
	u64 bits = 0;

	for (i = 0; i < n; i++)
		bits += (u64)freq[i] * len[i];
	return bits;
}

/* Code-length tokens for @run lengths @l in a row */
static __always_inline unsigned int huff_rle_run(unsigned int l,
						 unsigned int run, u16 *tok,
						 u32 *cl_freq)
{
	unsigned int t = 0, r;

	if (!l) {
		while (run >= 11) {
			r = min(run, 138u);
			tok[t++] = CL_TOK(CL_ZEROS_LONG, r - 11);
			cl_freq[CL_ZEROS_LONG]++;
			run -= r;
		}
		if (run >= 3) {
			tok[t++] = CL_TOK(CL_ZEROS, run - 3);
			cl_freq[CL_ZEROS]++;
			run = 0;
		}
	} else {
		tok[t++] = CL_TOK(l, 0);
		cl_freq[l]++;
		run--;
		while (run >= 3) {
			r = min(run, 6u);
			tok[t++] = CL_TOK(CL_REPEAT, r - 3);
			cl_freq[CL_REPEAT]++;
			run -= r;
		}
	}
	cl_freq[l] += run;
	while (run--)
		tok[t++] = CL_TOK(l, 0);
	return t;
}

/* Run-length code the lengths @len[0..n-1] (n >= 1) as code-length tokens */
static unsigned int huff_rle(const u8 *len, unsigned int n, u16 *tok,
			     u32 *cl_freq)
{
	unsigned int i, t = 0, run = 1, l = len[0];

	for (i = 1; i < n; i++) {
		if (len[i] == l) {
			run++;
			continue;
		}
		if (run == 1 && l) {
			/* the usual case: a length unlike its neighbours */
			tok[t++] = l;
			cl_freq[l]++;
		} else {
			t += huff_rle_run(l, run, tok + t, cl_freq);
		}
		l = len[i];
		run = 1;
	}
	return t + huff_rle_run(l, run, tok + t, cl_freq);
}

/*
 * A bit writer, least significant bit first, into a bounded buffer: whole
 * 32-bit words while they fit, the rest by byte at the end
 */
struct huff_bits {
	u8 *p, *end;
	u64 acc;
	unsigned int n;
	u32 total;
	bool over;
};

/* @nbits <= 32 */
static inline void huff_put(struct huff_bits *b, u32 v, unsigned int nbits)
{
	b->acc |= (u64)v << b->n;
	b->n += nbits;
	b->total += nbits;
	if (b->n < 32)
		return;
	if (b->end - b->p >= 4)
		put_unaligned_le32(b->acc, b->p);
	else
		b->over = true;
	b->p += 4;
	b->acc >>= 32;
	b->n -= 32;
}

/* The bits left, zero-padded to a byte */
static inline void huff_flush(struct huff_bits *b)
{
	for (; b->n && !b->over; b->n -= min(b->n, 8u)) {
		if (b->p < b->end)
			*b->p++ = b->acc;
		else
			b->over = true;
		b->acc >>= 8;
	}
}

/**
 * iaa_huff_block_build - codes and header of a final dynamic block
 * @ll_freq: literal/length symbol counts, DEFL_EOB included (nonzero)
 * @d_freq: distance symbol counts
 * @b: the codes; the bits the counted symbols take with them, extra bits
 *	not included (iaa_huff_cost() of both tables); and the header: BFINAL 1,
 *	BTYPE 2, the code description
 * @w: scratch
 *
 * Return: 0, or -E2BIG if the header does not fit in DEFL_HDR_MAX_BYTES.
 */
int iaa_huff_block_build(const u32 *ll_freq, const u32 *d_freq,
			 struct iaa_huff_block *b, struct iaa_huff_work *w)
{
	u32 cl_freq[DEFL_CL_SYMS] = { };
	u8 cl_len[DEFL_CL_SYMS];
	u16 cl_code[DEFL_CL_SYMS];
	/* each code-length symbol as written: its code reversed, extra bits after */
	static const u8 cl_extra[DEFL_CL_SYMS] = {
		[CL_REPEAT] = 2, [CL_ZEROS] = 3, [CL_ZEROS_LONG] = 7
	};
	u16 cl_put[DEFL_CL_SYMS];
	u8 cl_nbits[DEFL_CL_SYMS];
	unsigned int hlit, hdist, hclen, ntok, i, mll, md;
	struct huff_bits bw = {
		.p = b->hdr,
		.end = b->hdr + sizeof(b->hdr),
	};

	mll = huff_lengths(ll_freq, DEFL_LL_SYMS, DEFL_MAX_BITS, b->ll_len,
			   w->ll_used, w);
	md = huff_lengths(d_freq, DEFL_D_SYMS, DEFL_MAX_BITS, b->d_len,
			  w->used, w);
	memset(b->ll_code, 0, sizeof(b->ll_code));
	memset(b->d_code, 0, sizeof(b->d_code));
	b->data_bits = huff_codes_used(ll_freq, b->ll_len, w->ll_used, mll,
				       b->ll_code) +
		       huff_codes_used(d_freq, b->d_len, w->used, md, b->d_code);

	/* the lists end with the last symbol that has a code */
	hlit = max(w->ll_used[mll - 1] + 1u, (unsigned int)DEFL_FIRST_LEN);
	hdist = w->used[md - 1] + 1u;
	ntok = huff_rle(b->ll_len, hlit, w->tok, cl_freq);
	ntok += huff_rle(b->d_len, hdist, w->tok + ntok, cl_freq);

	iaa_huff_lengths(cl_freq, DEFL_CL_SYMS, DEFL_CL_MAX_BITS, cl_len, w);
	iaa_huff_codes(cl_len, DEFL_CL_SYMS, cl_code);
	for (hclen = DEFL_CL_SYMS; hclen > 4 && !cl_len[huff_cl_order[hclen - 1]]; hclen--)
		;

	huff_put(&bw, 1, 1);			/* BFINAL */
	huff_put(&bw, 2, 2);			/* BTYPE: dynamic Huffman */
	huff_put(&bw, hlit - DEFL_FIRST_LEN, 5);
	huff_put(&bw, hdist - 1, 5);
	huff_put(&bw, hclen - 4, 4);
	for (i = 0; i < hclen; i++)
		huff_put(&bw, cl_len[huff_cl_order[i]], 3);
	/* A Huffman code goes out most significant bit first */
	for (i = 0; i < DEFL_CL_SYMS; i++) {
		cl_put[i] = cl_len[i] ? bitrev16(cl_code[i]) >> (16 - cl_len[i]) : 0;
		cl_nbits[i] = cl_len[i] + cl_extra[i];
	}
	for (i = 0; i < ntok; i++) {
		unsigned int t = w->tok[i], sym = CL_TOK_SYM(t);

		huff_put(&bw, cl_put[sym] | CL_TOK_EXTRA(t) << cl_len[sym],
			 cl_nbits[sym]);
	}
	b->hdr_bits = bw.total;
	huff_flush(&bw);
	return bw.over ? -E2BIG : 0;
}
