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
 * The build runs between two device operations of every dynamic compress, so
 * its instructions are the mode's CPU cost. It reads the device's counts
 * where the device wrote them, once: that first pass also gives their sums,
 * the extra bits and the size of the fixed-code block. After it, the sort
 * and the lengths visit the symbols used only; the bits the codes take are
 * the sum of the internal nodes' weights; and the codes go straight into the
 * AECS, in the form the device reads (iaa_huff_block_entries()).
 */
#include <linux/bitrev.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <asm/byteorder.h>

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

/* A table's counts, as the first pass of its build finds them */
struct huff_scan {
	u16 *used;		/* the symbols with a nonzero count, in order */
	u32 *cnt;		/* their counts */
	unsigned int m;		/* how many */
	unsigned int nb;	/* of them, how many have a large count */
	u64 sum;		/* of the counts */
};

static __always_inline void huff_scan_start(struct huff_scan *sc, u16 *used,
					    struct iaa_huff_work *w)
{
	sc->used = used;
	sc->cnt = w->cnt;
	sc->m = 0;
	sc->nb = 0;
	sc->sum = 0;
	memset(w->bucket, 0, sizeof(w->bucket));
}

/* Symbol @i has count @c: the first pass's step */
static __always_inline void huff_scan_one(struct huff_scan *sc,
					  struct iaa_huff_work *w,
					  unsigned int i, u32 c)
{
	sc->sum += c;
	if (!c)
		return;
	sc->used[sc->m] = i;
	sc->cnt[sc->m] = c;
	if (c < HUFF_SMALL)
		w->bucket[c]++;
	else
		w->tmp[sc->nb++] = sc->m;
	sc->m++;
}

/*
 * The symbols the first pass found, into w->sym in increasing order of
 * count (stable: ties in symbol order) with their counts in w->a
 */
static void huff_order(const struct huff_scan *sc, struct iaa_huff_work *w)
{
	u16 *pos = w->bucket;
	unsigned int i, j, at = 0, c;

	/* the small counts in order, each count's symbols in symbol order */
	for (c = 1; c < HUFF_SMALL; c++) {
		j = pos[c];
		pos[c] = at;
		at += j;
	}
	for (i = 0; i < sc->m; i++) {
		c = sc->cnt[i];
		if (c < HUFF_SMALL) {
			j = pos[c]++;
			w->sym[j] = sc->used[i];
			w->a[j] = c;
		}
	}

	/* the large ones after them, by insertion */
	for (i = 0; i < sc->nb; i++) {
		u16 v = sc->used[w->tmp[i]];

		c = sc->cnt[w->tmp[i]];
		for (j = at + i; j > at && w->a[j - 1] > c; j--) {
			w->sym[j] = w->sym[j - 1];
			w->a[j] = w->a[j - 1];
		}
		w->sym[j] = v;
		w->a[j] = c;
	}
}

/*
 * Optimal code lengths for the @n >= 2 weights in w->a[], in increasing
 * order, of the symbols w->sym[]. Huffman's construction with two queues
 * (van Leeuwen): the leaves in order, and the internal nodes, which are made
 * in increasing weight; each end holds a sentinel so that no bound is
 * checked. The internal nodes' weights add up to the bits the counts take
 * with the code. Then the depth of each internal node from the root down,
 * and the leaves' depths from the number of internal nodes at each depth (as
 * Moffat and Katajainen do in place).
 *
 * The first internal node holds the two rarest leaves, the deepest. If they
 * are within @max_bits, the lengths go to @len and their numbers to
 * @bl_count, and *@bits gets the bits; else returns false and w->a[] still
 * holds the weights.
 */
static bool huff_lengths_tq(struct iaa_huff_work *w, unsigned int n,
			    unsigned int max_bits, u8 *len, u16 *bl_count,
			    u64 *bits)
{
	u64 *a = w->a, *iw = w->wt;
	u16 *par = w->tmp;
	unsigned int li = 0, ni = 0, k, avail, used, depth, next;
	u64 cost = 0, x, y;
	int r;

	a[n] = U64_MAX;
	for (k = 0; k < n - 1; k++) {
		iw[k] = U64_MAX;
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
		cost += x + y;
	}

	/* depths of the internal nodes: the last made is the root */
	iw[n - 2] = 0;
	for (r = n - 3; r >= 0; r--)
		iw[r] = iw[par[r]] + 1;
	if (iw[0] + 1 > max_bits)
		return false;

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
		bl_count[depth] = avail - used;
		for (; avail > used; avail--)
			len[w->sym[--next]] = depth;
		avail = 2 * used;
		depth++;
	}
	*bits = cost;
	return true;
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
 * Code lengths for the counts the first pass @sc found, into @len (every one
 * of @n entries written), and how many codes of each length into @bl_count
 * (DEFL_MAX_BITS + 1 entries); the symbols that have a code stay in
 * sc->used, in symbol order. Returns how many, at least two; *@bits gets the
 * bits the counts take with the codes.
 */
static unsigned int huff_lengths(struct huff_scan *sc, unsigned int n,
				 unsigned int max_bits, u8 *len,
				 u16 *bl_count, u64 *bits,
				 struct iaa_huff_work *w)
{
	unsigned int i, l, m = sc->m;
	u16 *used = sc->used;
	u64 cost = 0;

	memset(len, 0, n);
	memset(bl_count, 0, (DEFL_MAX_BITS + 1) * sizeof(*bl_count));
	if (m < 2) {
		unsigned int s = m ? used[0] : 0;

		/* the lone symbol and a partner, in symbol order */
		*bits = m ? sc->cnt[0] : 0;
		used[0] = 0;
		used[1] = s ? s : 1;
		len[used[0]] = 1;
		len[used[1]] = 1;
		bl_count[1] = 2;
		return 2;
	}

	huff_order(sc, w);
	if (huff_lengths_tq(w, m, max_bits, len, bl_count, bits))
		return m;

	/* the limit binds */
	for (i = 0; i < m; i++)
		w->wt[i] = w->a[i];
	huff_lengths_pm(w, m, max_bits);
	for (i = 0; i < m; i++) {
		l = w->a[i];
		len[w->sym[i]] = l;
		bl_count[l]++;
		cost += (u64)w->wt[i] * l;
	}
	*bits = cost;
	return m;
}

/* The first pass over the @n counts @freq */
static void huff_scan(struct huff_scan *sc, const u32 *freq, unsigned int n,
		      u16 *used, struct iaa_huff_work *w)
{
	unsigned int i;

	huff_scan_start(sc, used, w);
	for (i = 0; i < n; i++)
		huff_scan_one(sc, w, i, freq[i]);
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
	u16 bl_count[DEFL_MAX_BITS + 1];
	struct huff_scan sc;
	u64 bits;

	huff_scan(&sc, freq, n, w->used, w);
	huff_lengths(&sc, n, max_bits, len, bl_count, &bits, w);
}

/*
 * The first canonical code (RFC 1951 section 3.2.2) of each length, from how
 * many codes each length has
 */
static void huff_first_codes(const u16 *bl_count, u16 *next)
{
	unsigned int bits;
	u16 c = 0;

	for (bits = 1; bits <= DEFL_MAX_BITS; bits++) {
		c = (c + bl_count[bits - 1]) << 1;
		next[bits] = c;
	}
}

/*
 * The AECS entries of @n symbols with lengths @len, of which the @m symbols
 * @used have a code: the canonical code, most significant bit first, with
 * its length above it; 0 for the others
 */
static void huff_entries(const u8 *len, const u16 *bl_count, const u16 *used,
			 unsigned int m, unsigned int n, __le32 *ent)
{
	u16 next[DEFL_MAX_BITS + 1];
	unsigned int i, s, l;

	huff_first_codes(bl_count, next);
	memset(ent, 0, n * sizeof(*ent));
	for (i = 0; i < m; i++) {
		s = used[i];
		l = len[s];
		ent[s] = cpu_to_le32(next[l]++ | l << IAA_HUFF_ENT_LEN_SHIFT);
	}
}

/**
 * iaa_huff_block_entries - a block's codes, in the form the AECS holds them
 * @b: a block iaa_huff_block_build() made
 * @ll_ent: DEFL_LL_SYMS entries: the literal/length codes
 * @d_ent: DEFL_D_SYMS entries: the distance codes
 *
 * Each entry is the canonical code, most significant bit first, with its
 * length from bit IAA_HUFF_ENT_LEN_SHIFT up; 0 for a symbol without code.
 */
void iaa_huff_block_entries(const struct iaa_huff_block *b, __le32 *ll_ent,
			    __le32 *d_ent)
{
	huff_entries(b->ll_len, b->ll_bl_count, b->ll_used, b->ll_nused,
		     DEFL_LL_SYMS, ll_ent);
	huff_entries(b->d_len, b->d_bl_count, b->d_used, b->d_nused,
		     DEFL_D_SYMS, d_ent);
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

/* Code-length tokens for @run zero lengths in a row */
static noinline unsigned int huff_rle_zeros(unsigned int run, u16 *tok,
					    u32 *cl_freq)
{
	return huff_rle_run(0, run, tok, cl_freq);
}

/*
 * Run-length code the @n lengths @len (n >= 1) as code-length tokens, from
 * the @m >= 1 symbols with a code, @used, in order: the runs of zeros are the
 * gaps between them, so only the symbols used are visited
 */
static unsigned int huff_rle(const u8 *len, unsigned int n, const u16 *used,
			     unsigned int m, u16 *tok, u32 *cl_freq)
{
	unsigned int i, s, ls, t = 0, pos = 0, run = 0, l = 0;

	for (i = 0; i < m; i++) {
		s = used[i];
		ls = len[s];
		if (s == pos && ls == l) {
			run++;
		} else {
			if (run == 1) {
				/* the usual case: a length unlike its neighbours */
				tok[t++] = l;
				cl_freq[l]++;
			} else if (run) {
				t += huff_rle_run(l, run, tok + t, cl_freq);
			}
			if (s != pos)
				t += huff_rle_zeros(s - pos, tok + t, cl_freq);
			l = ls;
			run = 1;
		}
		pos = s + 1;
	}
	t += huff_rle_run(l, run, tok + t, cl_freq);
	if (pos < n)
		t += huff_rle_zeros(n - pos, tok + t, cl_freq);
	return t;
}

/*
 * A bit writer, least significant bit first, into a bounded buffer: whole
 * 32-bit words while they fit, the rest by byte at the end
 */
struct huff_bits {
	u8 *p, *end;
	u64 acc;
	unsigned int n;
	bool over;
};

/* @nbits <= 32 */
static inline void huff_put(struct huff_bits *b, u32 v, unsigned int nbits)
{
	b->acc |= (u64)v << b->n;
	b->n += nbits;
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

/* Extra bits of each length symbol from DEFL_FIRST_LEN on */
static const u8 huff_len_extra[DEFL_LL_SYMS - DEFL_FIRST_LEN] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};

/* Extra bits of each distance symbol */
static const u8 huff_dist_extra[DEFL_D_SYMS] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};

/*
 * The first pass over little-endian counts @f from @first up to @end;
 * returns their sum. Length symbols (from DEFL_FIRST_LEN on) add their extra
 * bits to *@extra.
 */
static __always_inline u64 huff_scan_le(struct huff_scan *sc,
					struct iaa_huff_work *w,
					const __le32 *f, unsigned int first,
					unsigned int end, u64 *extra)
{
	u64 before = sc->sum;
	unsigned int i;

	for (i = first; i < end; i++) {
		u32 c = le32_to_cpu(f[i]);

		huff_scan_one(sc, w, i, c);
		if (first >= DEFL_FIRST_LEN)
			*extra += (u64)c * huff_len_extra[i - DEFL_FIRST_LEN];
	}
	return sc->sum - before;
}

/**
 * iaa_huff_block_build - codes and header of a final dynamic block
 * @ll_count: literal/length symbol counts, little-endian as the device writes
 *	them, DEFL_EOB included (nonzero)
 * @d_count: distance symbol counts, likewise
 * @b: the code lengths; the bits the counted symbols take with them, extra
 *	bits not included (iaa_huff_cost() of both tables), and with the fixed
 *	code (RFC 1951 section 3.2.6); their extra bits; the sums of the counts;
 *	and the header: BFINAL 1, BTYPE 2, the code description. The codes
 *	themselves: iaa_huff_block_entries().
 * @w: scratch
 *
 * Return: 0, or -E2BIG if the header does not fit in DEFL_HDR_MAX_BYTES.
 */
int iaa_huff_block_build(const __le32 *ll_count, const __le32 *d_count,
			 struct iaa_huff_block *b, struct iaa_huff_work *w)
{
	u32 cl_freq[DEFL_CL_SYMS] = { };
	u8 cl_len[DEFL_CL_SYMS];
	u16 cl_bl_count[DEFL_MAX_BITS + 1], cl_next[DEFL_MAX_BITS + 1];
	static const u8 cl_extra[DEFL_CL_SYMS] = {
		[CL_REPEAT] = 2, [CL_ZEROS] = 3, [CL_ZEROS_LONG] = 7
	};
	/* each code-length symbol used as written: its code reversed, extra bits after */
	u16 cl_put[DEFL_CL_SYMS];
	u8 cl_nbits[DEFL_CL_SYMS];
	unsigned int hlit, hdist, hclen, ntok, i, mll, md, mcl;
	struct huff_bits bw = {
		.p = b->hdr,
		.end = b->hdr + sizeof(b->hdr),
	};
	u64 lit8, lit9, eob, len7, len8, ll_bits, d_bits, cl_bits, x = 0;
	struct huff_scan sc;

	/* the literal/length counts by their length in the fixed code */
	huff_scan_start(&sc, b->ll_used, w);
	lit8 = huff_scan_le(&sc, w, ll_count, 0, 144, &x);
	lit9 = huff_scan_le(&sc, w, ll_count, 144, DEFL_EOB, &x);
	eob = huff_scan_le(&sc, w, ll_count, DEFL_EOB, DEFL_FIRST_LEN, &x);
	len7 = huff_scan_le(&sc, w, ll_count, DEFL_FIRST_LEN, 280, &x);
	len8 = huff_scan_le(&sc, w, ll_count, 280, DEFL_LL_SYMS, &x);
	b->ll_syms = sc.sum;
	b->matches = len7 + len8;
	mll = huff_lengths(&sc, DEFL_LL_SYMS, DEFL_MAX_BITS, b->ll_len,
			   b->ll_bl_count, &ll_bits, w);

	huff_scan_start(&sc, b->d_used, w);
	for (i = 0; i < DEFL_D_SYMS; i++) {
		u32 c = le32_to_cpu(d_count[i]);

		huff_scan_one(&sc, w, i, c);
		x += (u64)c * huff_dist_extra[i];
	}
	b->dists = sc.sum;
	b->extra_bits = x;
	b->fixed_bits = 8 * (lit8 + len8) + 9 * lit9 + 7 * (eob + len7) +
			5 * sc.sum;
	md = huff_lengths(&sc, DEFL_D_SYMS, DEFL_MAX_BITS, b->d_len,
			  b->d_bl_count, &d_bits, w);
	b->data_bits = ll_bits + d_bits;

	/* the lists end with the last symbol that has a code */
	b->ll_nused = mll;
	b->d_nused = md;
	hlit = max(b->ll_used[mll - 1] + 1u, (unsigned int)DEFL_FIRST_LEN);
	hdist = b->d_used[md - 1] + 1u;
	ntok = huff_rle(b->ll_len, hlit, b->ll_used, mll, w->tok, cl_freq);
	ntok += huff_rle(b->d_len, hdist, b->d_used, md, w->tok + ntok,
			 cl_freq);

	huff_scan(&sc, cl_freq, DEFL_CL_SYMS, w->used, w);
	mcl = huff_lengths(&sc, DEFL_CL_SYMS, DEFL_CL_MAX_BITS, cl_len,
			   cl_bl_count, &cl_bits, w);
	/* A Huffman code goes out most significant bit first */
	huff_first_codes(cl_bl_count, cl_next);
	for (i = 0; i < mcl; i++) {
		unsigned int s = w->used[i], l = cl_len[s];

		cl_put[s] = bitrev16(cl_next[l]++) >> (16 - l);
		cl_nbits[s] = l + cl_extra[s];
	}
	for (hclen = DEFL_CL_SYMS; hclen > 4 && !cl_len[huff_cl_order[hclen - 1]]; hclen--)
		;

	/* BFINAL, BTYPE 2 (dynamic Huffman), HLIT, HDIST, HCLEN */
	huff_put(&bw, 1 | 2 << 1 | (hlit - DEFL_FIRST_LEN) << 3 |
		 (hdist - 1) << 8 | (hclen - 4) << 13, 17);
	for (i = 0; i < hclen; i++)
		huff_put(&bw, cl_len[huff_cl_order[i]], 3);
	for (i = 0; i < ntok; i++) {
		unsigned int t = w->tok[i], sym = CL_TOK_SYM(t);

		huff_put(&bw, cl_put[sym] | CL_TOK_EXTRA(t) << cl_len[sym],
			 cl_nbits[sym]);
	}
	b->hdr_bits = (bw.p - b->hdr) * 8 + bw.n;
	huff_flush(&bw);
	return bw.over ? -E2BIG : 0;
}
