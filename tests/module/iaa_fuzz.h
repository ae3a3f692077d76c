/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iaa_fuzz.h - the malformed deflate corpus of the reliability suite.
 *
 * Shared by the guest module (tests/module/iaa_stress.c, which feeds the
 * streams to crypto_alloc_acomp("deflate-iaa")) and the host program that
 * feeds the same streams to the device model's engine
 * (tools/engine/fuzz_corpus.c). Stream i of a corpus depends only on the
 * seed and on i, through integer arithmetic alone, so both builds produce
 * the same bytes; the corpus digest (the sum of a hash of every stream)
 * shows it, and IAA_FZ_DIGEST is the digest of the default corpus.
 *
 * The includer provides u8, u16, u32, u64 and bool (the kernel's, or
 * typedefs on the host).
 *
 * Every stream starts from a valid raw deflate stream (RFC 1951) built here
 * token by token: one to four stored, fixed-Huffman and dynamic-Huffman
 * blocks of literals and matches, with distances inside the device's 4 KiB
 * window unless the kind says otherwise. Then, by kind (i % IAA_FZ_NR):
 *
 *   VALID       unchanged
 *   RANDOM      1..512 random bytes
 *   HDR_RANDOM  a fixed or dynamic block header, then random bytes
 *   FLIPS       1..8 bit flips
 *   TRUNC       cut short (possibly to nothing left of the last block)
 *   TRUNC_FLIP  cut short, and one bit flipped
 *   OVERWRITE   a run of 1..16 bytes replaced by random ones
 *   BIG_LEN     an oversized length: a stored block longer than the input,
 *               LEN != ~NLEN, HLIT or HDIST beyond the format's 286/30 codes,
 *               or the undefined length symbols 286/287
 *   EXPAND      valid, but decompresses to more than dlen
 *   FAR_DIST    a match farther back than the output so far, or one of the
 *               undefined distance symbols 30/31
 *   WIDE        valid, with distances beyond 4 KiB (past the device's window)
 *   TRAILING    valid, then random bytes after the final block
 */
#ifndef IAA_FUZZ_H
#define IAA_FUZZ_H

#define IAA_FZ_MAX_STREAM	16384	/* bytes of one stream, at most */
#define IAA_FZ_MAX_OUT		32768	/* dlen, at most */

/* The default corpus: seed 1, 100000 streams, and its digest */
#define IAA_FZ_SEED		1
#define IAA_FZ_COUNT		100000
#define IAA_FZ_DIGEST		0x7f4445efc8494fcaULL

enum iaa_fz_kind {
	IAA_FZ_VALID,
	IAA_FZ_RANDOM,
	IAA_FZ_HDR_RANDOM,
	IAA_FZ_FLIPS,
	IAA_FZ_TRUNC,
	IAA_FZ_TRUNC_FLIP,
	IAA_FZ_OVERWRITE,
	IAA_FZ_BIG_LEN,
	IAA_FZ_EXPAND,
	IAA_FZ_FAR_DIST,
	IAA_FZ_WIDE,
	IAA_FZ_TRAILING,
	IAA_FZ_NR
};

static const char * const iaa_fz_kind_name[IAA_FZ_NR] = {
	"valid", "random", "hdr-random", "flips", "trunc", "trunc-flip",
	"overwrite", "big-len", "expand", "far-dist", "wide", "trailing",
};

/* splitmix64 */
struct iaa_fz_rng {
	u64 s;
};

static inline u64 iaa_fz_next(struct iaa_fz_rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n - 1 (n >= 1) */
static inline u32 iaa_fz_below(struct iaa_fz_rng *r, u32 n)
{
	return (u32)(((iaa_fz_next(r) >> 32) * (u64)n) >> 32);
}

static inline u32 iaa_fz_range(struct iaa_fz_rng *r, u32 lo, u32 hi)
{
	return lo + iaa_fz_below(r, hi - lo + 1);
}

static inline u64 iaa_fz_mix(u64 a, u64 b)
{
	struct iaa_fz_rng r = { a ^ (b * 0xd1342543de82ef95ULL) };

	iaa_fz_next(&r);
	return iaa_fz_next(&r);
}

/* LSB-first bit writer; writes past the capacity are dropped and noted */
struct iaa_fz_bw {
	u8 *p;
	u32 cap;
	u32 pos;
	u64 acc;
	u32 nbits;
	bool full;
};

static inline void iaa_fz_put(struct iaa_fz_bw *w, u32 v, u32 n)
{
	if (n < 32)
		v &= (1U << n) - 1;
	w->acc |= (u64)v << w->nbits;
	w->nbits += n;
	while (w->nbits >= 8) {
		if (w->pos < w->cap)
			w->p[w->pos++] = (u8)w->acc;
		else
			w->full = true;
		w->acc >>= 8;
		w->nbits -= 8;
	}
}

/* A Huffman code: sent most significant bit first */
static inline void iaa_fz_huff(struct iaa_fz_bw *w, u32 code, u32 len)
{
	u32 rev = 0, i;

	for (i = 0; i < len; i++)
		rev |= ((code >> i) & 1) << (len - 1 - i);
	iaa_fz_put(w, rev, len);
}

static inline void iaa_fz_align(struct iaa_fz_bw *w)
{
	if (w->nbits)
		iaa_fz_put(w, 0, 8 - w->nbits);
}

/* Bytes the stream would take, counting a partial last byte */
static inline u32 iaa_fz_bytes(const struct iaa_fz_bw *w)
{
	return w->pos + (w->nbits ? 1 : 0);
}

/* Canonical codes from code lengths (RFC 1951 3.2.2) */
static inline void iaa_fz_canon(const u8 *len, u32 n, u16 *code)
{
	u16 count[16] = { 0 }, next[16];
	u32 i, c = 0;

	for (i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	for (i = 1; i < 16; i++) {
		c = (c + count[i - 1]) << 1;
		next[i] = (u16)c;
	}
	for (i = 0; i < n; i++)
		code[i] = len[i] ? next[len[i]]++ : 0;
}

static const u16 iaa_fz_len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};

static const u8 iaa_fz_len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};

static const u16 iaa_fz_dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
	16385, 24577,
};

static const u8 iaa_fz_dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

/* The order in which code length code lengths are sent */
static const u8 iaa_fz_cl_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

/* The codes of the block being written */
struct iaa_fz_codes {
	u8 ll_len[288];
	u16 ll_code[288];
	u8 d_len[32];
	u16 d_code[32];
};

struct iaa_fz_gen {
	struct iaa_fz_rng r;
	struct iaa_fz_bw w;
	struct iaa_fz_codes c;
	u32 out;		/* bytes the stream decodes to so far */
};

static inline void iaa_fz_sym(struct iaa_fz_gen *g, u32 sym)
{
	iaa_fz_huff(&g->w, g->c.ll_code[sym], g->c.ll_len[sym]);
}

static inline void iaa_fz_fixed_codes(struct iaa_fz_codes *c)
{
	u32 i;

	for (i = 0; i < 288; i++)
		c->ll_len[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	for (i = 0; i < 32; i++)
		c->d_len[i] = 5;
	iaa_fz_canon(c->ll_len, 288, c->ll_code);
	iaa_fz_canon(c->d_len, 32, c->d_code);
}

/*
 * A match of @len (3..258) at @dist (1..32768); the distance symbol may be
 * forced (30 or 31, undefined) with @dsym >= 0.
 */
static inline void iaa_fz_match(struct iaa_fz_gen *g, u32 len, u32 dist,
				int dsym)
{
	u32 l = 28, d = 29;

	while (iaa_fz_len_base[l] > len)
		l--;
	iaa_fz_sym(g, 257 + l);
	iaa_fz_put(&g->w, len - iaa_fz_len_base[l], iaa_fz_len_extra[l]);
	if (dsym >= 0) {
		iaa_fz_huff(&g->w, g->c.d_code[dsym], g->c.d_len[dsym]);
		iaa_fz_put(&g->w, iaa_fz_next(&g->r), 13);
		return;
	}
	while (iaa_fz_dist_base[d] > dist)
		d--;
	iaa_fz_huff(&g->w, g->c.d_code[d], g->c.d_len[d]);
	iaa_fz_put(&g->w, dist - iaa_fz_dist_base[d], iaa_fz_dist_extra[d]);
	g->out += len;
}

/* Room kept at the end of the buffer for an end of block and a header */
#define IAA_FZ_SLACK		700

/*
 * Literals and matches until the stream decodes to @target bytes or the
 * buffer is nearly full. Distances go up to @window; with @far, matches
 * prefer distances beyond 4 KiB when there is that much output.
 */
static inline void iaa_fz_tokens(struct iaa_fz_gen *g, u32 target, u32 window,
				 bool far)
{
	u32 alpha = iaa_fz_range(&g->r, 2, 256);

	while (g->out < target && g->w.pos + IAA_FZ_SLACK < g->w.cap) {
		u32 len, dist, maxd = g->out < window ? g->out : window;

		if (g->out >= 3 && iaa_fz_below(&g->r, 3) == 0) {
			len = iaa_fz_below(&g->r, 8) ? iaa_fz_range(&g->r, 3, 18) :
							iaa_fz_range(&g->r, 3, 258);
			if (far && maxd > 4096 && iaa_fz_below(&g->r, 2))
				dist = iaa_fz_range(&g->r, 4097, maxd);
			else
				dist = iaa_fz_range(&g->r, 1, maxd < 64 ? maxd :
						    iaa_fz_below(&g->r, 2) ? 64 : maxd);
			iaa_fz_match(g, len, dist, -1);
		} else {
			iaa_fz_sym(g, iaa_fz_below(&g->r, alpha));
			g->out++;
		}
	}
}

static inline void iaa_fz_block_header(struct iaa_fz_gen *g, bool final,
				       u32 type)
{
	iaa_fz_put(&g->w, final, 1);
	iaa_fz_put(&g->w, type, 2);
}

/*
 * A dynamic block header whose codes are complete: 226 of the 286
 * literal/length symbols get 8 bits and 60 get 9, two distance symbols 4
 * bits and 28 get 5; every length is sent with one of four 2-bit code
 * length codes (for 4, 5, 8 and 9). @hlit and @hdist are the counts sent
 * (29 and 29 for a valid header).
 */
static inline void iaa_fz_dynamic_header(struct iaa_fz_gen *g, u32 hlit,
					 u32 hdist)
{
	static const u8 cl_sym[4] = { 4, 5, 8, 9 };
	u8 cl_len[19] = { 0 };
	u16 cl_code[19];
	u32 i, k, n;

	for (i = 0; i < 288; i++)
		g->c.ll_len[i] = i < 286 ? 9 : 0;
	for (k = 0; k < 226; k++) {
		i = iaa_fz_below(&g->r, 286);
		while (g->c.ll_len[i] != 9)
			i = (i + 1) % 286;
		g->c.ll_len[i] = 8;
	}
	for (i = 0; i < 32; i++)
		g->c.d_len[i] = i < 30 ? 5 : 0;
	for (k = 0; k < 2; k++) {
		i = iaa_fz_below(&g->r, 30);
		while (g->c.d_len[i] != 5)
			i = (i + 1) % 30;
		g->c.d_len[i] = 4;
	}
	iaa_fz_canon(g->c.ll_len, 288, g->c.ll_code);
	iaa_fz_canon(g->c.d_len, 32, g->c.d_code);

	for (k = 0; k < 4; k++)
		cl_len[cl_sym[k]] = 2;
	iaa_fz_canon(cl_len, 19, cl_code);

	iaa_fz_put(&g->w, hlit, 5);
	iaa_fz_put(&g->w, hdist, 5);
	iaa_fz_put(&g->w, 12 - 4, 4);		/* HCLEN: up to symbol 4 */
	for (k = 0; k < 12; k++)
		iaa_fz_put(&g->w, cl_len[iaa_fz_cl_order[k]], 3);
	n = 257 + hlit;
	for (i = 0; i < n; i++) {
		u32 l = i < 288 && g->c.ll_len[i] ? g->c.ll_len[i] : 9;

		iaa_fz_huff(&g->w, cl_code[l], 2);
	}
	n = 1 + hdist;
	for (i = 0; i < n; i++) {
		u32 l = i < 32 && g->c.d_len[i] ? g->c.d_len[i] : 5;

		iaa_fz_huff(&g->w, cl_code[l], 2);
	}
}

/* One block of type @type (0 stored, 1 fixed, 2 dynamic) up to @target */
static inline void iaa_fz_block(struct iaa_fz_gen *g, bool final, u32 type,
				u32 target, u32 window, bool far)
{
	u32 n, i;

	iaa_fz_block_header(g, final, type);
	if (type == 0) {
		iaa_fz_align(&g->w);
		n = target > g->out ? target - g->out : 0;
		if (n > 4096)
			n = 4096;
		if (g->w.pos + IAA_FZ_SLACK + n + 4 > g->w.cap)
			n = g->w.cap > g->w.pos + IAA_FZ_SLACK + 4 ?
			    g->w.cap - g->w.pos - IAA_FZ_SLACK - 4 : 0;
		iaa_fz_put(&g->w, n, 16);
		iaa_fz_put(&g->w, ~n, 16);
		for (i = 0; i < n; i++)
			iaa_fz_put(&g->w, iaa_fz_next(&g->r), 8);
		g->out += n;
		return;
	}
	if (type == 1)
		iaa_fz_fixed_codes(&g->c);
	else
		iaa_fz_dynamic_header(g, 29, 29);
	iaa_fz_tokens(g, target, window, far);
	iaa_fz_sym(g, 256);
}

/*
 * 1..4 blocks that decode to about @target bytes. With @close the last one
 * is final and the stream is padded to a byte: a valid stream. Without, the
 * blocks are the start of a longer stream.
 */
static inline void iaa_fz_valid(struct iaa_fz_gen *g, u32 target, u32 window,
				bool far, bool close)
{
	u32 nblocks = iaa_fz_range(&g->r, 1, 4), b;

	for (b = 0; b < nblocks; b++) {
		bool last = b == nblocks - 1;
		u32 left = target > g->out ? target - g->out : 0;
		u32 part = last ? target : g->out + left * iaa_fz_range(&g->r, 1, 9) / 10;
		u32 type = iaa_fz_below(&g->r, 8);

		/* mostly Huffman blocks; a wide window needs them */
		type = type == 0 && !far ? 0 : type < 4 ? 1 : 2;
		iaa_fz_block(g, last && close, type, part, window, far);
	}
	if (close)
		iaa_fz_align(&g->w);
}

/* One stream of the corpus */
struct iaa_fz_stream {
	u8 *buf;		/* IAA_FZ_MAX_STREAM bytes, the caller's */
	u32 len;		/* of the stream */
	u32 dlen;		/* destination length to decompress it into */
	u32 kind;		/* enum iaa_fz_kind */
};

static inline u32 iaa_fz_target(struct iaa_fz_rng *r)
{
	u32 c = iaa_fz_below(r, 100);

	if (c < 50)
		return iaa_fz_range(r, 1, 512);
	if (c < 85)
		return iaa_fz_range(r, 513, 4096);
	return iaa_fz_range(r, 4097, 12288);
}

static inline void iaa_fz_flip(struct iaa_fz_rng *r, u8 *p, u32 len)
{
	u32 bit;

	if (!len)
		return;
	bit = iaa_fz_below(r, len * 8);
	p[bit / 8] ^= (u8)(1U << (bit % 8));
}

static inline void iaa_fz_random(struct iaa_fz_rng *r, u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)iaa_fz_next(r);
}

/* Bad lengths, by variant; the stream stays otherwise plausible */
static inline void iaa_fz_big_len(struct iaa_fz_gen *g)
{
	u32 n, i, v = iaa_fz_below(&g->r, 5);

	if (iaa_fz_below(&g->r, 2))
		iaa_fz_valid(g, iaa_fz_range(&g->r, 1, 2048), 4096, false, false);
	switch (v) {
	case 0:			/* stored block longer than the input left */
		iaa_fz_block_header(g, true, 0);
		iaa_fz_align(&g->w);
		n = iaa_fz_range(&g->r, 64, 65535);
		iaa_fz_put(&g->w, n, 16);
		iaa_fz_put(&g->w, ~n, 16);
		for (i = iaa_fz_below(&g->r, n < 64 ? n : 64); i; i--)
			iaa_fz_put(&g->w, iaa_fz_next(&g->r), 8);
		break;
	case 1:			/* LEN != ~NLEN */
		iaa_fz_block_header(g, true, 0);
		iaa_fz_align(&g->w);
		n = iaa_fz_range(&g->r, 0, 300);
		iaa_fz_put(&g->w, n, 16);
		iaa_fz_put(&g->w, ~n ^ (1U << iaa_fz_below(&g->r, 16)), 16);
		for (i = 0; i < n; i++)
			iaa_fz_put(&g->w, iaa_fz_next(&g->r), 8);
		break;
	case 2:			/* HLIT 30 or 31: 287 or 288 codes */
	case 3:			/* HDIST 30 or 31: 31 or 32 codes */
		iaa_fz_block_header(g, true, 2);
		iaa_fz_dynamic_header(g, v == 2 ? iaa_fz_range(&g->r, 30, 31) : 29,
				      v == 3 ? iaa_fz_range(&g->r, 30, 31) : 29);
		iaa_fz_tokens(g, g->out + iaa_fz_range(&g->r, 1, 600), 4096,
			      false);
		iaa_fz_sym(g, 256);
		break;
	default:		/* length symbol 286 or 287 */
		iaa_fz_block_header(g, true, 1);
		iaa_fz_fixed_codes(&g->c);
		iaa_fz_tokens(g, g->out + iaa_fz_range(&g->r, 0, 300), 4096,
			      false);
		iaa_fz_sym(g, iaa_fz_range(&g->r, 286, 287));
		iaa_fz_put(&g->w, iaa_fz_next(&g->r), 13);
		iaa_fz_sym(g, 256);
		break;
	}
	iaa_fz_align(&g->w);
}

/* A match from before the start of the output, or an undefined distance */
static inline void iaa_fz_far_dist(struct iaa_fz_gen *g)
{
	u32 before;

	iaa_fz_block_header(g, true, 1);
	iaa_fz_fixed_codes(&g->c);
	iaa_fz_tokens(g, iaa_fz_range(&g->r, 0, 6000), 4096, false);
	before = g->out;
	if (iaa_fz_below(&g->r, 3) == 0)
		iaa_fz_match(g, iaa_fz_range(&g->r, 3, 258), 1,
			     (int)iaa_fz_range(&g->r, 30, 31));
	else
		iaa_fz_match(g, iaa_fz_range(&g->r, 3, 258),
			     before + 1 + iaa_fz_below(&g->r, before < 200 ? 8 : 300), -1);
	iaa_fz_tokens(g, g->out + iaa_fz_below(&g->r, 100), 4096, false);
	iaa_fz_sym(g, 256);
	iaa_fz_align(&g->w);
}

/* Hash of one stream, as it enters the corpus digest */
static inline u64 iaa_fz_hash(const struct iaa_fz_stream *s)
{
	u64 h = 0xcbf29ce484222325ULL;
	u32 i;

	for (i = 0; i < s->len; i++)
		h = (h ^ s->buf[i]) * 0x100000001b3ULL;
	return iaa_fz_mix(h, ((u64)s->len << 40) ^ ((u64)s->dlen << 8) ^ s->kind);
}

/* Stream @i of the corpus of @seed: fills @s (s->buf is the caller's) */
static inline void iaa_fz_make(u64 seed, u64 i, struct iaa_fz_stream *s)
{
	struct iaa_fz_gen g;
	u32 kind = (u32)(i % IAA_FZ_NR), n;

	g.r.s = iaa_fz_mix(seed, i);
	g.w = (struct iaa_fz_bw){ .p = s->buf, .cap = IAA_FZ_MAX_STREAM };
	g.out = 0;
	s->kind = kind;

	switch (kind) {
	case IAA_FZ_RANDOM:
		s->len = iaa_fz_range(&g.r, 1, 512);
		iaa_fz_random(&g.r, s->buf, s->len);
		s->dlen = iaa_fz_range(&g.r, 1, IAA_FZ_MAX_OUT);
		return;
	case IAA_FZ_HDR_RANDOM:
		n = iaa_fz_range(&g.r, 1, 2);
		iaa_fz_block_header(&g, iaa_fz_below(&g.r, 2), n);
		if (n == 2)
			iaa_fz_dynamic_header(&g, 29, 29);
		iaa_fz_align(&g.w);
		s->len = g.w.pos + iaa_fz_range(&g.r, 0, 400);
		iaa_fz_random(&g.r, s->buf + g.w.pos, s->len - g.w.pos);
		s->dlen = iaa_fz_range(&g.r, 1, IAA_FZ_MAX_OUT);
		return;
	case IAA_FZ_BIG_LEN:
		iaa_fz_big_len(&g);
		s->len = g.w.pos;
		s->dlen = iaa_fz_range(&g.r, 1, IAA_FZ_MAX_OUT);
		return;
	case IAA_FZ_FAR_DIST:
		iaa_fz_far_dist(&g);
		s->len = g.w.pos;
		s->dlen = g.out + iaa_fz_below(&g.r, 64);
		return;
	case IAA_FZ_WIDE:
		iaa_fz_valid(&g, iaa_fz_range(&g.r, 6000, 16000), 32768, true, true);
		break;
	default:
		iaa_fz_valid(&g, iaa_fz_target(&g.r), 4096, false, true);
		break;
	}
	s->len = g.w.pos;
	s->dlen = g.out + iaa_fz_below(&g.r, 64);
	if (s->dlen > IAA_FZ_MAX_OUT)
		s->dlen = IAA_FZ_MAX_OUT;
	if (!s->dlen)
		s->dlen = 1;

	switch (kind) {
	case IAA_FZ_FLIPS:
		for (n = iaa_fz_range(&g.r, 1, 8); n; n--)
			iaa_fz_flip(&g.r, s->buf, s->len);
		break;
	case IAA_FZ_TRUNC:
	case IAA_FZ_TRUNC_FLIP:
		s->len = s->len > 1 ? iaa_fz_range(&g.r, 1, s->len - 1) : 1;
		if (kind == IAA_FZ_TRUNC_FLIP)
			iaa_fz_flip(&g.r, s->buf, s->len);
		break;
	case IAA_FZ_OVERWRITE:
		n = iaa_fz_below(&g.r, s->len);
		iaa_fz_random(&g.r, s->buf + n,
			      s->len - n < 16 ? s->len - n : iaa_fz_range(&g.r, 1, 16));
		break;
	case IAA_FZ_EXPAND:
		if (g.out > 1)
			s->dlen = iaa_fz_range(&g.r, 1, g.out - 1);
		break;
	case IAA_FZ_TRAILING:
		n = iaa_fz_range(&g.r, 1, 256);
		if (s->len + n > IAA_FZ_MAX_STREAM)
			n = IAA_FZ_MAX_STREAM - s->len;
		iaa_fz_random(&g.r, s->buf + s->len, n);
		s->len += n;
		break;
	}
}

#endif /* IAA_FUZZ_H */
