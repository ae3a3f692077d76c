// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compute engine of the virtual Intel IAA device: DEFLATE encoder driven by
 * AECS Huffman tables (or counting its symbols: statistics mode), DEFLATE
 * decoder with a 4 KiB history, CRC-32.
 *
 * The decoder is our own rather than zlib's: zlib's inflate() checks match
 * distances only against the output produced, and inflateBack() with a
 * 4 KiB window does not reject distances > 4096 in its fast path (it copies
 * wrong data instead), so neither can report the hardware's history error.
 * The test suite checks this decoder against zlib.
 */
#include <string.h>
#include <zlib.h>

#include "iaa_engine.h"

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif

#define MIN_MATCH	3
#define MAX_MATCH	258
#define HIST		IAA_HIST_SIZE

/* RFC 1951 length and distance code bases and extra bits */
static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
};

static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
};

static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577
};

static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
};

/* order of the code length code lengths in a dynamic block header */
static const uint8_t cl_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
};

static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t load_le64(const uint8_t *p)
{
	return (uint64_t)load_le32(p) | (uint64_t)load_le32(p + 4) << 32;
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* reverse the low len (1..16) bits of code (code < 2^16) */
static inline unsigned int bit_reverse(unsigned int code, unsigned int len)
{
	code = ((code & 0x5555) << 1) | ((code >> 1) & 0x5555);
	code = ((code & 0x3333) << 2) | ((code >> 2) & 0x3333);
	code = ((code & 0x0f0f) << 4) | ((code >> 4) & 0x0f0f);
	code = ((code & 0x00ff) << 8) | ((code >> 8) & 0x00ff);
	return code >> (16 - len);
}

uint32_t iaa_crc32(uint32_t seed, const void *buf, size_t len)
{
	const Bytef *p = buf;
	uLong crc = seed;

	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

void iaa_fixed_tables(uint32_t ll_sym[IAA_LL_SYMS], uint32_t d_sym[IAA_D_SYMS])
{
	unsigned int i;

	for (i = 0; i < 144; i++)
		ll_sym[i] = IAA_HUFF_ENTRY(0x30 + i, 8);
	for (; i < 256; i++)
		ll_sym[i] = IAA_HUFF_ENTRY(0x190 + i - 144, 9);
	for (; i < 280; i++)
		ll_sym[i] = IAA_HUFF_ENTRY(i - 256, 7);
	for (; i < IAA_LL_SYMS; i++)
		ll_sym[i] = IAA_HUFF_ENTRY(0xc0 + i - 280, 8);
	for (i = 0; i < IAA_D_SYMS; i++)
		d_sym[i] = IAA_HUFF_ENTRY(i, 5);
}

/* ------------------------------------------------------------------------
 * Compression
 */

/* bit writer: LSB-first into dst, never past dst + cap */
struct bitw {
	uint64_t acc;
	unsigned int n;
	uint8_t *p;
	uint8_t *end;
	bool overflow;
};

/*
 * Write 'bytes' whole bytes of the accumulator, one at a time, flagging an
 * overflow at the end of the buffer. The writer is passed by value so its
 * address never escapes and the compiler can keep it in registers (byte
 * stores through w.p could otherwise alias it).
 */
static struct bitw __attribute__((noinline)) bw_spill_slow(struct bitw w, unsigned int bytes)
{
	while (bytes--) {
		if (w.p == w.end) {
			w.overflow = true;
			/* the caller stops; keep n sane */
			w.acc = 0;
			w.n = 0;
			break;
		}
		*w.p++ = (uint8_t)w.acc;
		w.acc >>= 8;
		w.n -= 8;
	}
	return w;
}

/* bits < 2^len, len <= 32; acc holds < 32 bits on entry */
static inline void bw_put(struct bitw *w, uint64_t bits, unsigned int len)
{
	w->acc |= bits << w->n;
	w->n += len;
	if (w->n >= 32) {
		if (likely(w->end - w->p >= 4)) {
			store_le32(w->p, (uint32_t)w->acc);
			w->p += 4;
			w->acc >>= 32;
			w->n -= 32;
		} else {
			*w = bw_spill_slow(*w, 4);
		}
	}
}

/*
 * Per-call encoding tables built from the AECS entries. Each entry holds
 * the bit-reversed code (plus extra bits for lengths) in bits 23:0 and the
 * total number of bits in 31:24; 0 means not encodable.
 */
struct enc_tables {
	uint32_t lit[257];		/* literals and EOB */
	uint32_t len[MAX_MATCH + 1];	/* code + extra bits for each length */
	uint32_t dist[IAA_D_SYMS];	/* code only; extra bits added at use */
};

static inline uint32_t enc_entry(uint32_t aecs)
{
	unsigned int l = IAA_HUFF_LEN(aecs);

	if (!l)
		return 0;
	return bit_reverse(IAA_HUFF_CODE(aecs), l) | (uint32_t)l << 24;
}

static void build_enc_tables(struct enc_tables *t, const uint32_t *ll_sym,
			     const uint32_t *d_sym)
{
	unsigned int i, code = 0;

	for (i = 0; i < 257; i++)
		t->lit[i] = enc_entry(ll_sym[i]);
	for (i = 0; i < IAA_D_SYMS; i++)
		t->dist[i] = enc_entry(d_sym[i]);
	memset(t->len, 0, MIN_MATCH * sizeof(t->len[0]));
	for (i = MIN_MATCH; i <= MAX_MATCH; i++) {
		uint32_t e;
		unsigned int cl, x;

		while (code < 28 && i >= len_base[code + 1])
			code++;
		e = enc_entry(ll_sym[257 + code]);
		if (!e) {
			t->len[i] = 0;
			continue;
		}
		cl = e >> 24;
		x = len_extra[code];
		t->len[i] = (e & 0xffffff) | (i - len_base[code]) << cl |
			    (cl + x) << 24;
	}
}

/* distance (1..32768) to code, extra bit count and extra value */
static inline unsigned int dist_code(unsigned int dist, unsigned int *nx, unsigned int *xv)
{
	unsigned int d = dist - 1, nb;

	if (d < 4) {
		*nx = 0;
		*xv = 0;
		return d;
	}
	nb = 31 - __builtin_clz(d);
	*nx = nb - 1;
	*xv = d & ((1u << (nb - 1)) - 1);
	return 2 * nb + ((d >> (nb - 1)) & 1);
}

/*
 * Match finder: greedy, over a 4 KiB window. A hash table holds the most
 * recent position + 1 for each 3-byte hash, and per position (mod 4096)
 * the distance to the previous position with the same hash (0 = end of
 * chain).
 *
 * The parameters set the compression ratio, and were tuned so that on real
 * 4 KiB pages the ratio with the fixed tables is about 0.85 times the one
 * of zlib level 1 (4 KiB window), as published for the IAA hardware in
 * fixed mode (2.69 vs 3.16). On the test corpus: 0.853.
 */
#define HASH_BITS	12
#define HASH_SIZE	(1u << HASH_BITS)
#define MAX_CHAIN	4	/* candidates examined per position */
#define NICE_LEN	16	/* stop searching at a match this long */
#define MAX_INSERT	4	/* insert the positions inside matches up to this long */

struct lz {
	uint32_t head[HASH_SIZE];
	uint16_t prev[HIST];
};

static inline uint32_t lz_hash(const uint8_t *p)
{
	return ((load_le32(p) & 0xffffff) * 0x9e3779b1u) >> (32 - HASH_BITS);
}

static inline void lz_insert(struct lz *z, const uint8_t *src, uint32_t pos)
{
	uint32_t h = lz_hash(src + pos);
	uint32_t cand = z->head[h];
	uint32_t d = cand ? pos - (cand - 1) : 0;

	z->prev[pos & (HIST - 1)] = d <= HIST ? d : 0;
	z->head[h] = pos + 1;
}

static inline unsigned int match_len(const uint8_t *a, const uint8_t *b, unsigned int max)
{
	unsigned int n = 0;

	while (n + 8 <= max) {
		uint64_t x = load_le64(a + n) ^ load_le64(b + n);

		if (x)
			return n + (__builtin_ctzll(x) >> 3);
		n += 8;
	}
	while (n < max && a[n] == b[n])
		n++;
	return n;
}

/*
 * Longest match for src[pos..] within the history, then insert pos.
 * Needs pos + 4 <= n.
 */
static __always_inline unsigned int lz_find(struct lz *z, const uint8_t *src, uint32_t pos,
					    uint32_t n, unsigned int *dist)
{
	uint32_t h = lz_hash(src + pos);
	uint32_t cand = z->head[h];
	unsigned int max = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
	unsigned int best = 0, chain = MAX_CHAIN;
	uint32_t d = cand ? pos - (cand - 1) : 0;

	z->prev[pos & (HIST - 1)] = d <= HIST ? d : 0;
	z->head[h] = pos + 1;

	while (d && d <= HIST) {
		const uint8_t *m = src + pos - d;

		/* cheap reject: the byte that would extend the best match */
		if (m[best] == src[pos + best]) {
			unsigned int l = match_len(src + pos, m, max);

			if (l > best) {
				best = l;
				*dist = d;
				if (l >= NICE_LEN || l == max)
					break;
			}
		}
		if (!--chain)
			break;
		{
			uint16_t step = z->prev[(pos - d) & (HIST - 1)];

			if (!step)
				break;
			d += step;
		}
	}
	return best >= MIN_MATCH ? best : 0;
}

/* length (3..258) to its code 0..28 (symbol 257 + code) */
static inline unsigned int len_code(unsigned int len)
{
	unsigned int l = len - MIN_MATCH, nb;

	if (len == MAX_MATCH)
		return 28;
	if (l < 8)
		return l;
	nb = 31 - __builtin_clz(l);
	return 4 * (nb - 1) + ((l >> (nb - 2)) & 3);
}

static inline bool emit_lit(struct bitw *w, const struct enc_tables *t, uint8_t c)
{
	uint32_t e = t->lit[c];

	if (unlikely(!e))
		return false;
	bw_put(w, e & 0xffffff, e >> 24);
	return true;
}

/*
 * Emit a match, shortening it if its length code is not encodable.
 * Returns the length emitted, 0 if it must be sent as literals.
 */
static inline unsigned int emit_match(struct bitw *w, const struct enc_tables *t,
				      unsigned int len, unsigned int dist)
{
	unsigned int nx, xv, dc = dist_code(dist, &nx, &xv);
	uint32_t le = t->len[len], de = t->dist[dc];

	if (unlikely(!de))
		return 0;
	while (unlikely(!le)) {
		if (--len < MIN_MATCH)
			return 0;
		le = t->len[len];
	}
	bw_put(w, le & 0xffffff, le >> 24);
	bw_put(w, (de & 0xffffff) | xv << (de >> 24), (de >> 24) + nx);
	return len;
}

/*
 * Where the symbols of the parse go: the bit writer, coded with the
 * caller's tables (compress), or histograms, as if every symbol had a
 * code (statistics mode).
 */
struct lz_sink {
	struct bitw *w;
	const struct enc_tables *t;
	uint32_t *ll_hist;
	uint32_t *d_hist;
};

enum parse_end { PARSE_DONE, PARSE_OVERFLOW, PARSE_BAD_CODE };

/*
 * The LZ77 parse of src[start..n), greedy, sent to the sink; src[0..start)
 * is history only (a preset dictionary): its positions go into the match
 * finder first, and matches may reach into it, never past its start. This
 * is the only parse loop: compress and statistics mode both inline it with
 * 'count' constant, so each gets its own copy without a per-symbol test. With
 * count, every literal, length code (257..285) and distance code (0..29)
 * is counted; the EOB is not (it is not part of the parse). Without it,
 * the symbols are written, a match whose codes are missing is shortened or
 * sent as literals, and a missing literal code stops the parse.
 *
 * Hence the invariant statistics mode exists for: with tables that give a
 * code to every symbol counted, iaa_compress() makes exactly the counted
 * symbols, so the counts give the exact size of its output.
 *
 * *pos gets the input bytes taken.
 */
static __always_inline enum parse_end
lz_parse(const struct lz_sink *k, const bool count, const uint8_t *src, uint32_t start,
	 uint32_t n, uint32_t *pos)
{
	struct lz z;
	uint32_t i = start;
	enum parse_end end = PARSE_DONE;

	if (n >= start + 4) {
		memset(z.head, 0, sizeof(z.head));
		for (i = 0; i < start; i++)
			lz_insert(&z, src, i);
		while (i + 4 <= n) {
			unsigned int dist = 0;
			unsigned int len = lz_find(&z, src, i, n, &dist);

			if (len) {
				if (count) {
					unsigned int nx, xv;

					k->ll_hist[257 + len_code(len)]++;
					k->d_hist[dist_code(dist, &nx, &xv)]++;
				} else {
					len = emit_match(k->w, k->t, len, dist);
				}
			}
			if (!len) {
				if (count) {
					k->ll_hist[src[i]]++;
				} else if (!emit_lit(k->w, k->t, src[i])) {
					end = PARSE_BAD_CODE;
					goto out;
				}
				i++;
			} else {
				uint32_t e = i + len;

				if (len <= MAX_INSERT) {
					uint32_t lim = e < n - 3 ? e : n - 3;

					for (i++; i < lim; i++)
						lz_insert(&z, src, i);
				}
				i = e;
			}
			if (!count && unlikely(k->w->overflow)) {
				end = PARSE_OVERFLOW;
				goto out;
			}
		}
	}
	for (; i < n; i++) {
		if (count) {
			k->ll_hist[src[i]]++;
		} else if (!emit_lit(k->w, k->t, src[i])) {
			end = PARSE_BAD_CODE;
			break;
		}
	}
out:
	*pos = i - start;
	return end;
}

/*
 * The compress itself, any number of accumulator bits: iaa_compress() checks
 * them against the AECS accumulator's size, a generated header is not bound
 * by it (it never sits in an AECS).
 */
static void compress_run(const struct iaa_comp_args *a, struct iaa_result *r)
{
	struct enc_tables t;
	struct bitw w = {
		.p = a->dst,
		.end = a->dst ? a->dst + a->dst_cap : NULL,
	};
	const struct lz_sink sink = { .w = &w, .t = &t };
	const uint8_t *src = a->src;
	uint32_t n = a->src_len, i = 0, k;
	uint32_t hist = a->hist_len < HIST ? a->hist_len : HIST;
	uint8_t last_bits = 0;

	memset(r, 0, sizeof(*r));
	r->crc = iaa_crc32(a->crc_seed, src, n);
	build_enc_tables(&t, a->ll_sym, a->d_sym);

	for (k = 0; k + 8 <= a->accum_bits; k += 8)
		bw_put(&w, a->accum[k / 8], 8);
	if (a->accum_bits & 7)
		bw_put(&w, a->accum[k / 8] & ((1u << (a->accum_bits & 7)) - 1),
		       a->accum_bits & 7);
	if (w.overflow)
		goto overflow;

	switch (lz_parse(&sink, false, src - hist, hist, hist + n, &i)) {
	case PARSE_OVERFLOW:
		goto overflow;
	case PARSE_BAD_CODE:
		goto bad_code;
	case PARSE_DONE:
		break;
	}
	if (a->append_eob) {
		uint32_t e = t.lit[256];

		if (!e)
			goto bad_code;
		bw_put(&w, e & 0xffffff, e >> 24);
		if (a->end_stored) {
			/* an empty stored block: header, pad to a byte, LEN 0, NLEN ~0 */
			bw_put(&w, a->end_stored == IAA_END_STORED_FINAL, 3);
			bw_put(&w, 0, (8 - (w.n & 7)) & 7);
			bw_put(&w, 0xffff0000u, 32);
		}
	}
	if (w.overflow)
		goto overflow;

	/* write out the whole bytes left, then the partial one if flushing */
	w = bw_spill_slow(w, w.n / 8);
	if (w.overflow)
		goto overflow;
	if (w.n && a->flush_output) {
		last_bits = w.n;
		w = bw_spill_slow(w, 1);
		if (w.overflow)
			goto overflow;
		w.n = 0;
	}
	r->tail_bits = w.n ? (uint8_t)(w.acc & ((1u << w.n) - 1)) : 0;
	r->tail_nbits = w.n;
	r->last_bits = last_bits;
	r->status = IAA_ST_SUCCESS;
	r->out_size = w.p - a->dst;
	r->in_consumed = n;
	return;

overflow:
	r->status = IAA_ST_ANALYTICS_ERROR;
	r->error_code = IAA_ERR_COMP_OVERFLOW;
	r->out_size = w.p - a->dst;
	r->in_consumed = i;
	return;

bad_code:
	r->status = IAA_ST_ANALYTICS_ERROR;
	r->error_code = IAA_ERR_INVALID_HUFFCODE;
	r->out_size = w.p - a->dst;
	r->in_consumed = i;
}

void iaa_compress(const struct iaa_comp_args *a, struct iaa_result *r)
{
	if (a->accum_bits > IAA_ACCUM_MAX_BITS) {
		memset(r, 0, sizeof(*r));
		r->crc = iaa_crc32(a->crc_seed, a->src, a->src_len);
		r->status = IAA_ST_ANALYTICS_ERROR;
		r->error_code = IAA_ERR_AECS;
		return;
	}
	compress_run(a, r);
}

void iaa_compress_stats_hist(const uint8_t *src, uint32_t src_len, uint32_t hist_len,
			     uint32_t ll_hist[IAA_LL_SYMS], uint32_t d_hist[IAA_D_SYMS],
			     struct iaa_result *r)
{
	const struct lz_sink sink = { .ll_hist = ll_hist, .d_hist = d_hist };
	uint32_t hist = hist_len < HIST ? hist_len : HIST;
	uint32_t pos;

	memset(r, 0, sizeof(*r));
	memset(ll_hist, 0, IAA_LL_SYMS * sizeof(ll_hist[0]));
	memset(d_hist, 0, IAA_D_SYMS * sizeof(d_hist[0]));
	r->crc = iaa_crc32(0, src, src_len);
	lz_parse(&sink, true, src - hist, hist, hist + src_len, &pos);
	r->status = IAA_ST_SUCCESS;
	r->in_consumed = pos;
}

void iaa_compress_stats(const uint8_t *src, uint32_t src_len,
			uint32_t ll_hist[IAA_LL_SYMS], uint32_t d_hist[IAA_D_SYMS],
			struct iaa_result *r)
{
	iaa_compress_stats_hist(src, src_len, 0, ll_hist, d_hist, r);
}

/* ------------------------------------------------------------------------
 * Header generation (IAA 2.0): a dynamic block from the input alone
 *
 * The hardware's table construction is not public, so this one is the
 * model's own choice: the statistics pass (iaa_compress_stats(), the parse
 * the compress makes) plus one EOB gives the counts; a Huffman tree built
 * by merging the two lightest nodes (leaves before nodes on equal weight)
 * gives the lengths; lengths past the limit (15 for literal/length and
 * distance codes, 7 for the code-length code) are folded back with the
 * length-count adjustment of ITU-T T.81 (JPEG) Annex K.3, which keeps the
 * code complete; the shortest lengths go to the most frequent symbols.
 * Every code has at least two symbols (a distance code for a parse without
 * matches gets codes 0 and 1), so each is complete and any inflater takes it.
 */

#define CL_SYMS		19
#define CL_MAX_LEN	7
#define CODE_MAX_LEN	15
#define TREE_MAX_DEPTH	IAA_LL_SYMS

/* lengths for freq[0..n), none over limit; at least two freq[] non-zero */
static void huff_lengths(const uint32_t *freq, unsigned int n, unsigned int limit,
			 uint8_t *len)
{
	uint32_t w[2 * IAA_LL_SYMS];
	uint16_t sym[IAA_LL_SYMS], parent[2 * IAA_LL_SYMS];
	uint16_t depth[2 * IAA_LL_SYMS], count[TREE_MAX_DEPTH + 1];
	unsigned int nl = 0, ql = 0, qn, nn, i, j, d, maxd = 0;

	memset(len, 0, n);
	/* the used symbols, lightest first, ties by symbol (insertion sort) */
	for (i = 0; i < n; i++) {
		if (!freq[i])
			continue;
		for (j = nl; j > 0 && freq[sym[j - 1]] > freq[i]; j--)
			sym[j] = sym[j - 1];
		sym[j] = i;
		nl++;
	}
	if (nl < 2) {
		if (nl)
			len[sym[0]] = 1;
		return;
	}
	for (i = 0; i < nl; i++)
		w[i] = freq[sym[i]];
	/* leaves 0..nl-1 in order, nodes nl.. in the order they are made */
	qn = nl;
	nn = nl;
	for (i = 0; i < nl - 1; i++) {
		unsigned int pick[2];

		for (j = 0; j < 2; j++) {
			if (ql < nl && (qn == nn || w[ql] <= w[qn]))
				pick[j] = ql++;
			else
				pick[j] = qn++;
		}
		w[nn] = w[pick[0]] + w[pick[1]];
		parent[pick[0]] = parent[pick[1]] = nn;
		nn++;
	}
	/* the root is the last node; a node's parent comes after it */
	depth[nn - 1] = 0;
	for (i = nn - 1; i-- > 0;)
		depth[i] = depth[parent[i]] + 1;
	memset(count, 0, sizeof(count));
	for (i = 0; i < nl; i++) {
		count[depth[i]]++;
		maxd = depth[i] > maxd ? depth[i] : maxd;
	}
	/*
	 * T.81 K.3: two leaves at depth d > limit become one at d - 1, and a
	 * leaf at the deepest level j < d - 1 that has one becomes a node with
	 * two leaves at j + 1
	 */
	for (d = maxd; d > limit; d--) {
		while (count[d]) {
			j = d - 2;
			while (!count[j])
				j--;
			count[d] -= 2;
			count[d - 1]++;
			count[j + 1] += 2;
			count[j]--;
		}
	}
	/* the longest lengths to the lightest symbols */
	for (i = 0, d = limit; d > 0; d--)
		for (j = 0; j < count[d]; j++)
			len[sym[i++]] = d;
}

/* RFC 1951 3.2.2 canonical codes, as AECS entries (MSB-first code) */
static void canonical_entries(const uint8_t *len, unsigned int n, uint32_t *entry)
{
	unsigned int count[CODE_MAX_LEN + 1] = { 0 }, next[CODE_MAX_LEN + 1];
	unsigned int i, code = 0;

	for (i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	for (i = 1; i <= CODE_MAX_LEN; i++) {
		code = (code + count[i - 1]) << 1;
		next[i] = code;
	}
	for (i = 0; i < n; i++)
		entry[i] = len[i] ? IAA_HUFF_ENTRY(next[len[i]]++, len[i]) : 0;
}

/* LSB-first bit writer into a byte array known to be large enough */
struct hdrw {
	uint8_t *p;
	uint32_t bits;
};

static void hdr_put(struct hdrw *h, uint32_t v, unsigned int n)
{
	for (unsigned int k = 0; k < n; k++, h->bits++) {
		if (!(h->bits & 7))
			h->p[h->bits / 8] = 0;
		h->p[h->bits / 8] |= ((v >> k) & 1) << (h->bits & 7);
	}
}

/* a code-length token: symbol 0..18 and the value of its extra bits */
struct cl_tok {
	uint8_t sym;
	uint8_t extra;
};

static const uint8_t cl_extra_bits[CL_SYMS] = {
	[16] = 2, [17] = 3, [18] = 7,
};

/* run-length code lens[0..n) (RFC 1951 3.2.7); returns the token count */
static unsigned int cl_tokens(const uint8_t *lens, unsigned int n, struct cl_tok *t)
{
	unsigned int i = 0, k = 0;

	while (i < n) {
		unsigned int v = lens[i], c = 1, r;

		while (i + c < n && lens[i + c] == v)
			c++;
		i += c;
		if (!v) {
			while (c >= 11) {
				r = c > 138 ? 138 : c;
				t[k++] = (struct cl_tok){ 18, r - 11 };
				c -= r;
			}
			if (c >= 3) {
				t[k++] = (struct cl_tok){ 17, c - 3 };
				c = 0;
			}
		} else {
			t[k++] = (struct cl_tok){ v, 0 };
			c--;
			while (c >= 3) {
				r = c > 6 ? 6 : c;
				t[k++] = (struct cl_tok){ 16, r - 3 };
				c -= r;
			}
		}
		while (c--)
			t[k++] = (struct cl_tok){ v, 0 };
	}
	return k;
}

static void dynamic_block(const uint8_t *src, uint32_t src_len, uint32_t hist_len,
			  bool final, struct iaa_dyn_block *b)
{
	uint32_t ll_hist[IAA_LL_SYMS], d_hist[IAA_D_SYMS], cl_freq[CL_SYMS] = { 0 };
	uint8_t lens[IAA_LL_SYMS + IAA_D_SYMS], cl_len[CL_SYMS];
	struct cl_tok tok[IAA_LL_SYMS + IAA_D_SYMS];
	uint32_t cl_code[CL_SYMS];
	unsigned int hlit, hdist, hclen, ntok, i, used;
	struct hdrw h = { .p = b->hdr };
	struct iaa_result r;

	iaa_compress_stats_hist(src, src_len, hist_len, ll_hist, d_hist, &r);
	ll_hist[256] = 1;
	/*
	 * a distance code of two symbols at least (a parse without matches
	 * or with one distance code gets codes 0, then 1, of weight 1)
	 */
	for (i = 0, used = 0; i < IAA_D_SYMS; i++)
		used += d_hist[i] != 0;
	for (i = 0; used < 2; i++)
		if (!d_hist[i]) {
			d_hist[i] = 1;
			used++;
		}

	huff_lengths(ll_hist, IAA_LL_SYMS, CODE_MAX_LEN, lens);
	huff_lengths(d_hist, IAA_D_SYMS, CODE_MAX_LEN, lens + IAA_LL_SYMS);
	canonical_entries(lens, IAA_LL_SYMS, b->ll_sym);
	canonical_entries(lens + IAA_LL_SYMS, IAA_D_SYMS, b->d_sym);

	for (hlit = IAA_LL_SYMS; !lens[hlit - 1]; hlit--)
		;
	for (hdist = IAA_D_SYMS; !lens[IAA_LL_SYMS + hdist - 1]; hdist--)
		;
	/*
	 * one sequence of HLIT + HDIST lengths (runs may cross from one to
	 * the other, RFC 1951 3.2.7)
	 */
	memmove(lens + hlit, lens + IAA_LL_SYMS, hdist);
	ntok = cl_tokens(lens, hlit + hdist, tok);
	for (i = 0; i < ntok; i++)
		cl_freq[tok[i].sym]++;
	for (i = 0, used = 0; i < CL_SYMS; i++)
		used += cl_freq[i] != 0;
	for (i = 0; used < 2; i++)
		if (!cl_freq[i]) {
			cl_freq[i] = 1;
			used++;
		}
	huff_lengths(cl_freq, CL_SYMS, CL_MAX_LEN, cl_len);
	canonical_entries(cl_len, CL_SYMS, cl_code);
	for (hclen = CL_SYMS; hclen > 4 && !cl_len[cl_order[hclen - 1]]; hclen--)
		;

	hdr_put(&h, final, 1);
	hdr_put(&h, 2, 2);			/* BTYPE 10: dynamic */
	hdr_put(&h, hlit - 257, 5);
	hdr_put(&h, hdist - 1, 5);
	hdr_put(&h, hclen - 4, 4);
	for (i = 0; i < hclen; i++)
		hdr_put(&h, cl_len[cl_order[i]], 3);
	for (i = 0; i < ntok; i++) {
		uint32_t e = cl_code[tok[i].sym];

		hdr_put(&h, bit_reverse(IAA_HUFF_CODE(e), IAA_HUFF_LEN(e)), IAA_HUFF_LEN(e));
		hdr_put(&h, tok[i].extra, cl_extra_bits[tok[i].sym]);
	}
	b->hdr_bits = h.bits;
}

void iaa_dynamic_block(const uint8_t *src, uint32_t src_len, bool final,
		       struct iaa_dyn_block *b)
{
	dynamic_block(src, src_len, 0, final, b);
}

void iaa_compress_dynamic(const struct iaa_dyn_args *a, struct iaa_result *r)
{
	struct iaa_dyn_block b;
	struct iaa_comp_args c = {
		.src = a->src,
		.src_len = a->src_len,
		.dst = a->dst,
		.dst_cap = a->dst_cap,
		.ll_sym = b.ll_sym,
		.d_sym = b.d_sym,
		.accum = b.hdr,
		.crc_seed = a->crc_seed,
		.append_eob = true,
		.flush_output = a->flush_output,
	};

	iaa_dynamic_block(a->src, a->src_len, a->final, &b);
	c.accum_bits = b.hdr_bits;
	compress_run(&c, r);
}

void iaa_hdr_gen_aecs_hist(const uint8_t *src, uint32_t src_len, uint32_t hist_len,
			   bool final, struct iaa_hdr_gen_state *st, struct iaa_result *r)
{
	struct iaa_dyn_block b;
	uint32_t k;

	memset(r, 0, sizeof(*r));
	r->crc = iaa_crc32(st->crc_seed, src, src_len);
	dynamic_block(src, src_len, hist_len, final, &b);
	if (st->accum_bits > IAA_ACCUM_MAX_BITS ||
	    b.hdr_bits > IAA_ACCUM_MAX_BITS - st->accum_bits) {
		r->status = IAA_ST_ANALYTICS_ERROR;
		r->error_code = IAA_ERR_AECS;
		return;
	}
	memcpy(st->ll_sym, b.ll_sym, sizeof(b.ll_sym));
	memcpy(st->d_sym, b.d_sym, sizeof(b.d_sym));
	/* the header after the bits already there, LSB-first */
	for (k = 0; k < b.hdr_bits; k++, st->accum_bits++) {
		uint8_t *p = &st->accum[st->accum_bits / 8];
		unsigned int bit = st->accum_bits & 7;

		*p = (*p & ((1u << bit) - 1)) | ((b.hdr[k / 8] >> (k & 7)) & 1) << bit;
	}
	r->status = IAA_ST_SUCCESS;
	r->in_consumed = src_len;
}

void iaa_hdr_gen_aecs(const uint8_t *src, uint32_t src_len, bool final,
		      struct iaa_hdr_gen_state *st, struct iaa_result *r)
{
	iaa_hdr_gen_aecs_hist(src, src_len, 0, final, st, r);
}

/* ------------------------------------------------------------------------
 * Decompression
 */

/*
 * Decoding table entry: bits 4:0 code length (total bits to drop), 7:5
 * type, 11:8 extra bits (or sub-table index bits), 31:16 value (literal,
 * symbol, length/distance base, or sub-table offset).
 */
#define E_LEN(e)	((e) & 0x1f)
#define E_TYPE(e)	(((e) >> 5) & 7)
#define E_EXTRA(e)	(((e) >> 8) & 0xf)
#define E_VAL(e)	((e) >> 16)
#define ENTRY(val, extra, type, len) \
	((uint32_t)(val) << 16 | (uint32_t)(extra) << 8 | (uint32_t)(type) << 5 | (len))

enum { T_LIT, T_LEN, T_EOB, T_BAD, T_SUB };
enum { K_CL, K_LL, K_D };

#define LL_ROOT		9
#define D_ROOT		6
#define CL_ROOT		7
/* worst cases for complete codes of 286/30 symbols, 15 bits: 852 and 592 */
#define LL_CAP		1024
#define D_CAP		640
#define CL_CAP		(1u << CL_ROOT)

#define WIN_SIZE	16384	/* sliding output window for suppress_output */

enum dec_status { D_DONE, D_TRUNC, D_OVERFLOW, D_ERROR };

struct inflater {
	/* input bit reader */
	const uint8_t *src;
	uint32_t len;
	uint32_t pos;
	uint64_t hold;
	unsigned int cnt;
	unsigned int ign;	/* high bits of the last byte that are not input */
	/* block structure */
	bool at_eob;		/* the last thing decoded was an EOB that counts */
	/* output */
	uint8_t *ob;
	uint32_t op;
	uint32_t ocap;
	bool sliding;		/* ob is a window; old output is slid out */
	uint64_t slid;		/* bytes slid out of the window */
	uint32_t crc;
	uint8_t error;
	/* tables of the current block */
	uint32_t ll[LL_CAP];
	uint32_t d[D_CAP];
};

/*
 * The fast path loads at most 7 bytes and only while more than 8 remain, so
 * the last byte, of which only 8 - ign bits are input, always comes through
 * the slow path.
 */
static inline void br_refill(struct inflater *s)
{
	if (likely(s->len - s->pos > 8)) {
		s->hold |= load_le64(s->src + s->pos) << s->cnt;
		s->pos += (63 - s->cnt) >> 3;
		s->cnt |= 56;
	} else {
		while (s->cnt <= 56 && s->pos < s->len) {
			unsigned int nb = s->pos == s->len - 1 ? 8 - s->ign : 8;
			uint64_t byte = s->src[s->pos++] & ((1u << nb) - 1);

			s->hold |= byte << s->cnt;
			s->cnt += nb;
		}
	}
}

/* Input bits taken from the stream so far (decoded, or waiting in hold) */
static inline uint64_t br_loaded(const struct inflater *s)
{
	return 8 * (uint64_t)s->pos - (s->pos == s->len ? s->ign : 0);
}

/* Bytes of input consumed: up to and including the last partly used one */
static inline uint32_t br_consumed(const struct inflater *s)
{
	return (uint32_t)((br_loaded(s) - s->cnt + 7) / 8);
}

static inline void br_drop(struct inflater *s, unsigned int n)
{
	s->hold >>= n;
	s->cnt -= n;
}

static uint32_t sym_entry(unsigned int kind, unsigned int sym, unsigned int len)
{
	if (kind == K_CL)
		return ENTRY(sym, 0, T_LIT, len);
	if (kind == K_D) {
		if (sym >= 30)
			return ENTRY(0, 0, T_BAD, len);
		return ENTRY(dist_base[sym], dist_extra[sym], T_LEN, len);
	}
	if (sym < 256)
		return ENTRY(sym, 0, T_LIT, len);
	if (sym == 256)
		return ENTRY(0, 0, T_EOB, len);
	if (sym >= 286)
		return ENTRY(0, 0, T_BAD, len);
	return ENTRY(len_base[sym - 257], len_extra[sym - 257], T_LEN, len);
}

/*
 * Index bits of the sub-table that starts with a code of length len: the
 * smallest width the codes not yet placed fill completely.
 */
static unsigned int sub_width(const uint16_t *remain, unsigned int len, unsigned int root,
			      unsigned int max)
{
	unsigned int curr = len - root;
	int room = 1 << curr;

	while (curr + root < max) {
		room -= remain[curr + root];
		if (room <= 0)
			break;
		curr++;
		room <<= 1;
	}
	return curr;
}

/*
 * Build a two-level decoding table for canonical code lengths. Rules as
 * zlib's: over-subscribed codes are rejected; incomplete codes only for
 * lit/len and distances made of a single 1-bit code; a distance code with
 * no codes at all is accepted (any use of it is an error).
 */
static int build_table(const uint8_t *lens, unsigned int n, unsigned int kind,
		       uint32_t *tab, unsigned int root, unsigned int cap)
{
	uint16_t count[16] = { 0 }, remain[16], offs[16], sorted[288];
	unsigned int size = 1u << root, next = size;
	unsigned int len, max, i, idx = 0, code = 0;
	unsigned int sub_prefix = ~0u, sub_base = 0, sub_bits = 0;
	int left = 1;

	for (i = 0; i < n; i++)
		count[lens[i]]++;
	for (max = 15; max && !count[max]; max--)
		;
	for (len = 1; len <= 15; len++) {
		left = 2 * left - count[len];
		if (left < 0)
			return -1;
	}
	if (max == 0 || left > 0) {
		if (kind == K_CL || max > 1 || (max == 0 && kind != K_D))
			return -1;
		for (i = 0; i < size; i++)
			tab[i] = ENTRY(0, 0, T_BAD, 1);
	}

	offs[1] = 0;
	for (len = 1; len < 15; len++)
		offs[len + 1] = offs[len] + count[len];
	for (i = 0; i < n; i++)
		if (lens[i])
			sorted[offs[lens[i]]++] = i;
	memcpy(remain, count, sizeof(remain));

	for (len = 1; len <= max; len++, code <<= 1) {
		for (i = 0; i < count[len]; i++, code++) {
			unsigned int rev = bit_reverse(code, len);
			uint32_t e = sym_entry(kind, sorted[idx++], len);
			unsigned int j;

			if (len <= root) {
				for (j = rev; j < size; j += 1u << len)
					tab[j] = e;
			} else {
				unsigned int prefix = rev & (size - 1);

				if (prefix != sub_prefix) {
					unsigned int curr = sub_width(remain, len, root, max);

					if (next + (1u << curr) > cap)
						return -1;
					tab[prefix] = ENTRY(next, curr, T_SUB, root);
					sub_prefix = prefix;
					sub_base = next;
					sub_bits = curr;
					next += 1u << curr;
				}
				for (j = rev >> root; j < (1u << sub_bits); j += 1u << (len - root))
					tab[sub_base + j] = e;
			}
			remain[len]--;
		}
	}
	return 0;
}

static inline uint32_t lookup(const uint32_t *tab, unsigned int root, uint64_t hold)
{
	uint32_t e = tab[hold & ((1u << root) - 1)];

	if (unlikely(E_TYPE(e) == T_SUB))
		e = tab[E_VAL(e) + ((hold >> root) & ((1u << E_EXTRA(e)) - 1))];
	return e;
}

/* the fixed code tables, filled directly (no sub-tables: 9 bits at most) */
static void build_fixed(struct inflater *s)
{
	unsigned int sym, j;

	for (sym = 0; sym < 288; sym++) {
		unsigned int len, code, rev;
		uint32_t e;

		if (sym < 144) {
			len = 8;
			code = 0x30 + sym;
		} else if (sym < 256) {
			len = 9;
			code = 0x190 + sym - 144;
		} else if (sym < 280) {
			len = 7;
			code = sym - 256;
		} else {
			len = 8;
			code = 0xc0 + sym - 280;
		}
		rev = bit_reverse(code, len);
		e = sym_entry(K_LL, sym, len);
		for (j = rev; j < (1u << LL_ROOT); j += 1u << len)
			s->ll[j] = e;
	}
	for (sym = 0; sym < 32; sym++) {
		uint32_t e = sym_entry(K_D, sym, 5);

		for (j = bit_reverse(sym, 5); j < (1u << D_ROOT); j += 32)
			s->d[j] = e;
	}
}

static inline enum dec_status dec_error(struct inflater *s, uint8_t code)
{
	s->error = code;
	return D_ERROR;
}

static enum dec_status read_dynamic(struct inflater *s)
{
	uint8_t lens[320], cl_lens[19] = { 0 };
	uint32_t cl[CL_CAP];
	unsigned int nlen, ndist, ncode, i, have = 0;

	br_refill(s);
	if (s->cnt < 14)
		return D_TRUNC;
	nlen = (s->hold & 0x1f) + 257;
	ndist = ((s->hold >> 5) & 0x1f) + 1;
	ncode = ((s->hold >> 10) & 0xf) + 4;
	br_drop(s, 14);
	if (nlen > 286)
		return dec_error(s, IAA_ERR_TOO_MANY_LL_CODES);
	if (ndist > 30)
		return dec_error(s, IAA_ERR_TOO_MANY_D_CODES);

	for (i = 0; i < ncode; i++) {
		if (s->cnt < 3) {
			br_refill(s);
			if (s->cnt < 3)
				return D_TRUNC;
		}
		cl_lens[cl_order[i]] = s->hold & 7;
		br_drop(s, 3);
	}
	for (i = 0; i < 19 && !cl_lens[i]; i++)
		;
	if (i == 19) {
		/*
		 * No code-length codes: zlib reads every length as 0 from one
		 * bit each, then finds no EOB code. Do the same, so that a
		 * truncated header is reported as such.
		 */
		for (have = nlen + ndist; have;) {
			unsigned int k;

			br_refill(s);
			if (!s->cnt)
				return D_TRUNC;
			k = have < s->cnt ? have : s->cnt;
			br_drop(s, k);
			have -= k;
		}
		return dec_error(s, IAA_ERR_UNDEF_CL_CODE);
	}
	if (build_table(cl_lens, 19, K_CL, cl, CL_ROOT, CL_CAP))
		return dec_error(s, IAA_ERR_BAD_CL_CODE_LEN);

	while (have < nlen + ndist) {
		uint32_t e;
		unsigned int sym, l, rep, val, nx;

		br_refill(s);
		e = cl[s->hold & (CL_CAP - 1)];
		l = E_LEN(e);
		if (l > s->cnt)
			return D_TRUNC;
		sym = E_VAL(e);
		if (sym < 16) {
			br_drop(s, l);
			lens[have++] = sym;
			continue;
		}
		nx = sym == 16 ? 2 : sym == 17 ? 3 : 7;
		if (l + nx > s->cnt)
			return D_TRUNC;
		br_drop(s, l);
		rep = (s->hold & ((1u << nx) - 1)) + (sym == 18 ? 11 : 3);
		br_drop(s, nx);
		if (sym == 16) {
			if (!have)
				return dec_error(s, IAA_ERR_FIRST_CODE_16);
			val = lens[have - 1];
		} else {
			val = 0;
		}
		if (have + rep > nlen + ndist)
			return dec_error(s, IAA_ERR_WRONG_NUM_CODES);
		memset(lens + have, val, rep);
		have += rep;
	}
	if (!lens[256])
		return dec_error(s, IAA_ERR_BAD_LL_CODE_LEN);
	if (build_table(lens, nlen, K_LL, s->ll, LL_ROOT, LL_CAP))
		return dec_error(s, IAA_ERR_BAD_LL_CODE_LEN);
	if (build_table(lens + nlen, ndist, K_D, s->d, D_ROOT, D_CAP))
		return dec_error(s, IAA_ERR_BAD_D_CODE_LEN);
	return D_DONE;
}

/*
 * Make room for 'need' more bytes of output. In sliding mode old output
 * beyond the history is checksummed and dropped; otherwise running out of
 * room is an overflow.
 */
static bool out_room(struct inflater *s, uint32_t need)
{
	uint32_t drop;

	if (!s->sliding)
		return false;
	drop = s->op > HIST ? s->op - HIST : 0;
	if (drop)
		s->crc = crc32(s->crc, s->ob, drop);
	memmove(s->ob, s->ob + drop, s->op - drop);
	s->op -= drop;
	s->slid += drop;
	return s->ocap - s->op >= need;
}

static enum dec_status do_stored(struct inflater *s)
{
	uint32_t len, nlen, avail;

	/* to the next byte boundary of the input */
	br_drop(s, (unsigned int)((br_loaded(s) - s->cnt) & 7) ?
		   8 - (unsigned int)((br_loaded(s) - s->cnt) & 7) : 0);
	br_refill(s);
	if (s->cnt < 32)
		return D_TRUNC;
	len = s->hold & 0xffff;
	nlen = (s->hold >> 16) & 0xffff;
	if (len != (~nlen & 0xffff))
		return dec_error(s, IAA_ERR_INVALID_STORED_LEN);
	br_drop(s, 32);
	/* give back the bytes still in the bit buffer; stored data is bytes */
	s->pos -= (s->cnt + (s->pos == s->len ? s->ign : 0)) / 8;
	s->hold = 0;
	s->cnt = 0;

	while (len) {
		uint32_t n = len, room = s->ocap - s->op;

		avail = s->len - s->pos;
		if (!avail)
			return D_TRUNC;
		if (n > avail)
			n = avail;
		if (!room) {
			if (!out_room(s, 1))
				return D_OVERFLOW;
			room = s->ocap - s->op;
		}
		if (n > room)
			n = room;
		memcpy(s->ob + s->op, s->src + s->pos, n);
		s->op += n;
		s->pos += n;
		len -= n;
	}
	return D_DONE;
}

/*
 * Copy a match of len >= 3 bytes from dist bytes back. Writes exactly
 * [d, d + len): the output buffer may end right there.
 */
static inline void copy_match(uint8_t *d, unsigned int dist, unsigned int len)
{
	const uint8_t *m = d - dist;

	if (likely(dist >= 8)) {
		if (len >= 8) {
			uint8_t *end = d + len;

			for (;;) {
				memcpy(d, m, 8);
				d += 8;
				m += 8;
				if (d + 8 >= end)
					break;
			}
			/* last 8 bytes, overlapping what was just written */
			memcpy(end - 8, end - 8 - dist, 8);
		} else if (len >= 4) {
			memcpy(d, m, 4);
			memcpy(d + len - 4, m + len - 4, 4);
		} else {
			d[0] = m[0];
			d[1] = m[1];
			d[2] = m[2];
		}
	} else if (dist == 1) {
		memset(d, *m, len);
	} else {
		while (len--)
			*d++ = *m++;
	}
}

/* byte by byte, any length (the last match before an overflow) */
static void copy_match_bytes(uint8_t *d, unsigned int dist, unsigned int len)
{
	const uint8_t *m = d - dist;

	while (len--)
		*d++ = *m++;
}

/*
 * Decode literal/length and distance codes until the end of the block.
 * The bit reader and output position live in locals here: stores to the
 * output buffer could alias *s and would force reloads otherwise.
 */
static enum dec_status do_codes(struct inflater *s)
{
	const uint32_t *ll = s->ll, *dt = s->d;
	const uint8_t *src = s->src;
	const uint32_t in_len = s->len;
	uint8_t *const ob = s->ob;
	uint32_t pos = s->pos, op = s->op, ocap = s->ocap;
	uint64_t hold = s->hold;
	unsigned int cnt = s->cnt;
	enum dec_status st;

#define REFILL() \
	do { \
		if (likely(in_len - pos > 8)) { \
			hold |= load_le64(src + pos) << cnt; \
			pos += (63 - cnt) >> 3; \
			cnt |= 56; \
		} else { \
			SAVE(); \
			br_refill(s); \
			pos = s->pos; \
			hold = s->hold; \
			cnt = s->cnt; \
		} \
	} while (0)
#define DROP(n) \
	do { \
		hold >>= (n); \
		cnt -= (n); \
	} while (0)
#define SAVE() \
	do { \
		s->pos = pos; \
		s->hold = hold; \
		s->cnt = cnt; \
		s->op = op; \
	} while (0)
/* make room for n output bytes; false on overflow */
#define ROOM(n) \
	({ \
		bool ok_ = true; \
		if (unlikely(ocap - op < (n))) { \
			SAVE(); \
			ok_ = out_room(s, (n)); \
			op = s->op; \
		} \
		ok_; \
	})

	for (;;) {
		uint32_t e, l, len, dist, nx;

		REFILL();
		e = lookup(ll, LL_ROOT, hold);
		l = E_LEN(e);
		if (unlikely(l > cnt)) {
			st = D_TRUNC;
			goto out;
		}
		/* literals: up to three per refill */
		while (E_TYPE(e) == T_LIT) {
			DROP(l);
			if (!ROOM(1)) {
				st = D_OVERFLOW;
				goto out;
			}
			ob[op++] = E_VAL(e);
			if (cnt < 15)
				goto next;
			e = lookup(ll, LL_ROOT, hold);
			l = E_LEN(e);
		}
		if (E_TYPE(e) == T_EOB) {
			DROP(l);
			st = D_DONE;
			goto out;
		}
		if (E_TYPE(e) == T_BAD) {
			s->error = IAA_ERR_BAD_LL_CODE;
			st = D_ERROR;
			goto out;
		}

		/* length, then distance: at most 20 + 28 bits */
		if (cnt < 48)
			REFILL();
		nx = E_EXTRA(e);
		if (unlikely(l + nx > cnt)) {
			st = D_TRUNC;
			goto out;
		}
		DROP(l);
		len = E_VAL(e) + (hold & ((1u << nx) - 1));
		DROP(nx);

		e = lookup(dt, D_ROOT, hold);
		l = E_LEN(e);
		if (unlikely(l > cnt)) {
			st = D_TRUNC;
			goto out;
		}
		if (unlikely(E_TYPE(e) == T_BAD)) {
			s->error = IAA_ERR_BAD_D_CODE;
			st = D_ERROR;
			goto out;
		}
		nx = E_EXTRA(e);
		if (unlikely(l + nx > cnt)) {
			st = D_TRUNC;
			goto out;
		}
		DROP(l);
		dist = E_VAL(e) + (hold & ((1u << nx) - 1));
		DROP(nx);

		if (unlikely(dist > HIST)) {
			s->error = IAA_ERR_BAD_DIST;
			st = D_ERROR;
			goto out;
		}
		if (unlikely(dist > op + s->slid)) {
			s->error = IAA_ERR_REF_BEFORE_START;
			st = D_ERROR;
			goto out;
		}
		if (!ROOM(len)) {
			/* fill up to the end of the buffer, then overflow */
			if (ocap > op)
				copy_match_bytes(ob + op, dist, ocap - op);
			op = ocap;
			st = D_OVERFLOW;
			goto out;
		}
		copy_match(ob + op, dist, len);
		op += len;
next:
		;
	}
out:
	SAVE();
	return st;
#undef REFILL
#undef DROP
#undef SAVE
#undef ROOM
}

/*
 * Decode blocks until the job ends. An EOB "counts" when it ends any block
 * or, with sel_bfinal_eob, a block with BFINAL set; the end of a stored
 * block counts as its EOB. With stop_on_eob the job ends right after the
 * first EOB that counts (D_DONE). Otherwise decoding goes on after every
 * EOB, including a final block's: the bits that follow are read as the next
 * block header, as the hardware does until it runs out of input (D_TRUNC)
 * or meets an error. s->at_eob then tells whether the input ended exactly
 * after an EOB that counts.
 */
static enum dec_status inflate_run(struct inflater *s, bool stop_on_eob,
				   bool sel_bfinal_eob)
{
	enum dec_status st;
	unsigned int last;

	for (;;) {
		br_refill(s);
		if (!s->cnt)
			return D_TRUNC;	/* input over, between blocks */
		s->at_eob = false;
		if (s->cnt < 3)
			return D_TRUNC;
		last = s->hold & 1;
		switch ((s->hold >> 1) & 3) {
		case 0:
			br_drop(s, 3);
			st = do_stored(s);
			break;
		case 1:
			br_drop(s, 3);
			build_fixed(s);
			st = do_codes(s);
			break;
		case 2:
			br_drop(s, 3);
			st = read_dynamic(s);
			if (st == D_DONE)
				st = do_codes(s);
			break;
		default:
			return dec_error(s, IAA_ERR_INVALID_BLOCK_TYPE);
		}
		if (st != D_DONE)
			return st;
		if (last || !sel_bfinal_eob) {
			s->at_eob = true;
			if (stop_on_eob)
				return D_DONE;
		}
	}
}

void iaa_decompress(const struct iaa_decomp_args *a, struct iaa_result *r)
{
	struct inflater s;
	uint8_t win[WIN_SIZE];
	enum dec_status st;

	memset(r, 0, sizeof(*r));
	s.src = a->src;
	s.len = a->src_len;
	s.pos = 0;
	s.hold = 0;
	s.cnt = 0;
	s.ign = a->src_len ? a->ignore_end_bits & 7 : 0;
	s.at_eob = false;
	s.slid = 0;
	s.crc = a->crc_seed;
	s.error = 0;
	if (a->suppress_output) {
		s.ob = win;
		s.ocap = WIN_SIZE;
		s.sliding = true;
	} else {
		s.ob = a->dst;
		s.ocap = a->dst_cap;
		s.sliding = false;
	}
	s.op = 0;

	st = inflate_run(&s, a->stop_on_eob, a->sel_bfinal_eob);

	r->crc = s.op ? crc32(s.crc, s.ob, s.op) : s.crc;
	r->out_size = s.op + s.slid;
	r->in_consumed = br_consumed(&s);

	switch (st) {
	case D_DONE:
		r->status = IAA_ST_SUCCESS;
		break;
	case D_TRUNC:
		if (a->check_for_eob && !s.at_eob) {
			r->status = IAA_ST_ANALYTICS_ERROR;
			r->error_code = IAA_ERR_BAD_EOF;
		} else {
			r->status = IAA_ST_SUCCESS;
		}
		r->in_consumed = a->src_len;
		break;
	case D_OVERFLOW:
		r->status = IAA_ST_OUTBUF_OVERFLOW;
		break;
	case D_ERROR:
		r->status = IAA_ST_ANALYTICS_ERROR;
		r->error_code = s.error;
		break;
	}
}
