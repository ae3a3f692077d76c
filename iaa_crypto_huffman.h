/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Length-limited Huffman codes and the header of a dynamic-Huffman deflate
 * block (RFC 1951 section 3.2.7), built from symbol counts. Computation only,
 * on memory the caller provides: iaa_crypto_comp_dynamic.c uses it, and the
 * host unit test tools/engine/test_huffman.c compiles it as it is.
 */
#ifndef __IAA_CRYPTO_HUFFMAN_H__
#define __IAA_CRYPTO_HUFFMAN_H__

#include <linux/types.h>

#define DEFL_LL_SYMS		286	/* literal/length symbols that may be coded */
#define DEFL_D_SYMS		30	/* distance symbols that may be coded */
#define DEFL_CL_SYMS		19	/* code-length symbols */
#define DEFL_EOB		256
#define DEFL_FIRST_LEN		257	/* the symbol of match length 3 */
#define DEFL_MAX_BITS		15	/* longest literal/length or distance code */
#define DEFL_CL_MAX_BITS	7	/* longest code-length code */
#define DEFL_HDR_MAX_BYTES	256	/* room for the header: the AECS accumulator */
/* A code as the AECS holds it: code value, most significant bit first, then length */
#define IAA_HUFF_ENT_LEN_SHIFT	15

/* Counts below this are sorted by counting sort */
#define IAA_HUFF_SMALL		32

/* Scratch memory of the builder: no stack arrays, no allocation */
struct iaa_huff_work {
	u16 sym[DEFL_LL_SYMS];		/* symbols in weight order */
	u16 used[DEFL_LL_SYMS];		/* symbols with a code, in symbol order */
	u32 cnt[DEFL_LL_SYMS];		/* the counts of the symbols used */
	u16 tmp[DEFL_LL_SYMS];		/* which have large counts */
	u16 bucket[IAA_HUFF_SMALL];	/* where each small count goes */
	u64 wt[DEFL_LL_SYMS];		/* internal nodes; package-merge's weights */
	u64 a[DEFL_LL_SYMS + 1];	/* weights in increasing order, a sentinel */
	/*
	 * package-merge, when the length limit binds: a package weighs up to
	 * 14 times the sum of the counts
	 */
	u64 pm[2][2 * DEFL_LL_SYMS];
	u32 pkg[DEFL_MAX_BITS][(2 * DEFL_LL_SYMS + 31) / 32];
	/* code-length tokens of the header: symbol | extra bits << 5 */
	u16 tok[DEFL_LL_SYMS + DEFL_D_SYMS];
};

/* A dynamic block's codes and the header that declares them */
struct iaa_huff_block {
	u8 ll_len[DEFL_LL_SYMS];
	u8 d_len[DEFL_D_SYMS];
	u16 ll_bl_count[DEFL_MAX_BITS + 1];	/* how many codes of each length */
	u16 d_bl_count[DEFL_MAX_BITS + 1];
	u16 ll_used[DEFL_LL_SYMS];	/* the symbols with a code, in order */
	u16 d_used[DEFL_D_SYMS];
	u16 ll_nused;			/* how many */
	u16 d_nused;
	u64 data_bits;			/* the counts' symbols with these codes */
	u64 fixed_bits;			/* the same with the fixed code */
	u64 extra_bits;			/* their extra bits */
	u64 ll_syms;			/* literal/length counts, DEFL_EOB's too */
	u64 matches;			/* length symbols */
	u64 dists;			/* distance symbols */
	u32 hdr_bits;			/* BFINAL, BTYPE and the code description */
	u8 hdr[DEFL_HDR_MAX_BYTES];	/* those bits, least significant first */
};

void iaa_huff_lengths(const u32 *freq, unsigned int n, unsigned int max_bits,
		      u8 *len, struct iaa_huff_work *w);
void iaa_huff_codes(const u8 *len, unsigned int n, u16 *code);
u64 iaa_huff_cost(const u32 *freq, const u8 *len, unsigned int n);
int iaa_huff_block_build(const __le32 *ll_count, const __le32 *d_count,
			 struct iaa_huff_block *b, struct iaa_huff_work *w);
void iaa_huff_block_entries(const struct iaa_huff_block *b, __le32 *ll_ent,
			    __le32 *d_ent);

#endif /* __IAA_CRYPTO_HUFFMAN_H__ */
