/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compute engine of the virtual Intel IAA device: DEFLATE compression with
 * caller-supplied Huffman tables (as found in the AECS), the symbol counts
 * of its parse (statistics mode), DEFLATE decompression with the hardware's
 * 4 KiB history, and CRC-32.
 *
 * Plain C (gnu11), libc + zlib only, no QEMU types. All functions are
 * reentrant and thread-safe: there is no mutable global state and no heap
 * allocation. Everything lives on the stack; worst-case stack use is about
 * 27 KiB (iaa_compress), 25 KiB (iaa_compress_stats, iaa_decompress),
 * 29 KiB (iaa_compress_dynamic).
 */
#ifndef IAA_ENGINE_H
#define IAA_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Completion status (Linux include/uapi/linux/idxd.h, enum iax_completion_status) */
#define IAA_ST_SUCCESS			0x01
#define IAA_ST_ANALYTICS_ERROR		0x0a
#define IAA_ST_OUTBUF_OVERFLOW		0x0b

/*
 * error_code values reported with IAA_ST_ANALYTICS_ERROR. The numbering is
 * the one of the IAA specification's analytics error codes.
 */
#define IAA_ERR_UNDEF_CL_CODE		0x02	/* code-length code has no codes */
#define IAA_ERR_FIRST_CODE_16		0x03	/* repeat code 16 with no previous length */
#define IAA_ERR_WRONG_NUM_CODES		0x06	/* code-length repeat runs past HLIT + HDIST */
#define IAA_ERR_BAD_CL_CODE_LEN		0x08	/* code-length code over-subscribed/incomplete */
#define IAA_ERR_BAD_LL_CODE_LEN		0x09	/* lit/len code invalid, or no EOB code */
#define IAA_ERR_BAD_D_CODE_LEN		0x0a	/* distance code over-subscribed/incomplete */
#define IAA_ERR_BAD_LL_CODE		0x0b	/* undefined lit/len symbol in the stream */
#define IAA_ERR_BAD_D_CODE		0x0c	/* undefined distance symbol in the stream */
#define IAA_ERR_INVALID_BLOCK_TYPE	0x0d	/* BTYPE = 11 */
#define IAA_ERR_INVALID_STORED_LEN	0x0e	/* stored block LEN != ~NLEN */
#define IAA_ERR_BAD_EOF			0x0f	/* check_for_eob: input ended before final EOB */
#define IAA_ERR_BAD_DIST		0x11	/* distance > 4096 (history size) */
#define IAA_ERR_REF_BEFORE_START	0x12	/* distance > output produced so far */
#define IAA_ERR_AECS			0x16	/* invalid AECS content (accum_bits > 2048) */
#define IAA_ERR_COMP_OVERFLOW		0x19	/* compress output would exceed dst_cap */
#define IAA_ERR_INVALID_HUFFCODE	0x1e	/* compress needs a symbol of length 0 */
#define IAA_ERR_TOO_MANY_LL_CODES	0x23	/* HLIT > 29 (more than 286 codes) */
#define IAA_ERR_TOO_MANY_D_CODES	0x24	/* HDIST > 29 (more than 30 codes) */

#define IAA_HIST_SIZE			4096	/* history window of the hardware */
#define IAA_ACCUM_MAX_BITS		2048	/* bits the AECS output accumulator holds */
#define IAA_LL_SYMS			286
#define IAA_D_SYMS			30

/* AECS Huffman table entry: bits 14:0 code (MSB-first), bits 18:15 length */
#define IAA_HUFF_ENTRY(code, len)	((uint32_t)(code) | ((uint32_t)(len) << 15))
#define IAA_HUFF_CODE(e)		((e) & 0x7fff)
#define IAA_HUFF_LEN(e)			(((e) >> 15) & 0xf)

struct iaa_result {
	uint8_t status;		/* IAA_ST_* */
	uint8_t error_code;	/* IAA_ERR_* with IAA_ST_ANALYTICS_ERROR */
	/*
	 * Compress without flush_output: the last 0..7 bits of the stream,
	 * which were not written out (LSB first). Zero otherwise.
	 */
	uint8_t tail_bits;
	uint8_t tail_nbits;
	/*
	 * Compress with flush_output: the valid bits in the last byte written
	 * (1..7), or 0 when the stream ended on a byte boundary.
	 */
	uint8_t last_bits;
	uint32_t out_size;	/* bytes written (decoded length with suppress_output) */
	uint32_t in_consumed;	/* input bytes consumed */
	uint32_t crc;		/* CRC-32 of the uncompressed data, seeded as given */
};

/*
 * Compress (IAA opcode 0x43).
 *
 * ll_sym[286] and d_sym[30] are AECS table entries (IAA_HUFF_ENTRY). The
 * output starts with accum_bits (0..2048) bits taken LSB-first from accum[]
 * (e.g. 3 bits 0b011 = BFINAL=1, BTYPE=01), followed by the Huffman-coded
 * literals, lengths (3..258) and distances (1..4096) with RFC 1951 extra
 * bits. append_eob appends ll_sym[256], then with end_stored an empty
 * stored block (IAA_END_STORED: BFINAL clear, IAA_END_STORED_FINAL: set),
 * as END_PROC 2 and 3 of Intel QPL's compress flags do; flush_output
 * zero-pads to a byte
 * boundary and writes the last byte, otherwise the last 0..7 bits are
 * returned in r->tail_bits/tail_nbits.
 *
 * Errors (IAA_ST_ANALYTICS_ERROR):
 *  IAA_ERR_COMP_OVERFLOW	the output would exceed dst_cap; nothing is
 *				written past dst_cap (bytes below it may be).
 *  IAA_ERR_INVALID_HUFFCODE	a literal present in src, or the EOB, has
 *				length 0. Matches whose length or distance
 *				code has length 0 are avoided (shorter length,
 *				or literals).
 *  IAA_ERR_AECS		accum_bits > 2048.
 * crc = iaa_crc32(crc_seed, src, src_len) in every case.
 */
struct iaa_comp_args {
	const uint8_t *src;
	uint32_t src_len;
	uint8_t *dst;
	uint32_t dst_cap;
	const uint32_t *ll_sym;
	const uint32_t *d_sym;
	const uint8_t *accum;
	uint32_t accum_bits;
	uint32_t crc_seed;
	bool append_eob;
	uint8_t end_stored;	/* 0, IAA_END_STORED or IAA_END_STORED_FINAL */
	bool flush_output;
	/*
	 * A preset dictionary: the hist_len bytes before src (src[-hist_len]
	 * to src[-1], in the caller's buffer) are history that matches may
	 * reach, within the 4 KiB window; only the last 4096 count. 0: none.
	 */
	uint32_t hist_len;
};

#define IAA_END_STORED		1
#define IAA_END_STORED_FINAL	2

void iaa_compress(const struct iaa_comp_args *a, struct iaa_result *r);

/*
 * Compress in statistics mode (IAA opcode 0x43 with the STATS_MODE
 * compression flag; Intel QPL collects its histograms for dynamic Huffman
 * tables this way): nothing is encoded, the symbols are counted.
 *
 * ll_hist[0..255] get the literals, ll_hist[257..285] the length codes and
 * d_hist[0..29] the distance codes of exactly the LZ77 parse iaa_compress()
 * makes on the same input with tables that give every symbol a code (no
 * match shortened or turned into literals). Both arrays are overwritten.
 * ll_hist[256], the EOB, is always 0: the parse has none, and QPL adds it
 * in software when it is missing, so a driver must not expect it counted.
 *
 * The invariant a driver builds on: with tables that code every symbol
 * counted here (and the EOB), iaa_compress() emits exactly these symbols,
 * so the counts give the exact size of its output.
 *
 * r: status IAA_ST_SUCCESS, in_consumed = src_len, crc = iaa_crc32(0, src,
 * src_len) (as a compress from a zero seed), out_size 0 (writing the
 * histogram out is the device's business).
 */
void iaa_compress_stats(const uint8_t *src, uint32_t src_len,
			uint32_t ll_hist[IAA_LL_SYMS], uint32_t d_hist[IAA_D_SYMS],
			struct iaa_result *r);

/*
 * The same with a preset dictionary: the hist_len bytes before src are
 * history, as iaa_comp_args.hist_len says; the counts are those of the
 * parse iaa_compress() makes with the same history.
 */
void iaa_compress_stats_hist(const uint8_t *src, uint32_t src_len, uint32_t hist_len,
			     uint32_t ll_hist[IAA_LL_SYMS], uint32_t d_hist[IAA_D_SYMS],
			     struct iaa_result *r);

/*
 * Header generation (IAA 2.0): Huffman tables and a dynamic block header
 * made from src alone. The counts are those of iaa_compress_stats() plus
 * one EOB; the table construction is the model's own (the hardware's is not
 * public; iaa_engine.c says which). Every symbol of the parse and the EOB
 * get a code, every code is complete and at most 15 bits (7 for the
 * code-length code), so iaa_compress() with these tables and the header as
 * accumulator emits exactly the counted symbols.
 *
 * hdr[] holds hdr_bits bits, LSB-first: BFINAL (= final), BTYPE 10, HLIT,
 * HDIST, HCLEN, the code-length code and the run-length coded lengths.
 */
#define IAA_DYN_HDR_MAX_BYTES	288	/* 17 + 19 x 3 + 316 x 7 bits, rounded up */

struct iaa_dyn_block {
	uint32_t ll_sym[IAA_LL_SYMS];
	uint32_t d_sym[IAA_D_SYMS];
	uint8_t hdr[IAA_DYN_HDR_MAX_BYTES];
	uint32_t hdr_bits;
};

void iaa_dynamic_block(const uint8_t *src, uint32_t src_len, bool final,
		       struct iaa_dyn_block *b);

/*
 * One-pass header generation (compression flags HDR_GEN 3 and 2): one
 * complete dynamic block, header (BFINAL = final), the body and its EOB, as
 * iaa_compress() writes it from iaa_dynamic_block()'s tables; the header
 * is not bound by the AECS accumulator's 2048 bits. flush_output, dst_cap,
 * crc_seed and every field of r as for iaa_compress(). Any src_len: the
 * 4 KiB limit of the mode is the device's to check.
 */
struct iaa_dyn_args {
	const uint8_t *src;
	uint32_t src_len;
	uint8_t *dst;
	uint32_t dst_cap;
	uint32_t crc_seed;
	bool final;
	bool flush_output;
};

void iaa_compress_dynamic(const struct iaa_dyn_args *a, struct iaa_result *r);

/*
 * First pass of two-pass header generation (compression flags HDR_GEN 7 and
 * 6 with the compression-2 flag WRITE_AECS_HT): the tables and header of
 * iaa_dynamic_block() go into a compress AECS, for an ordinary compress of
 * the same input to read. ll_sym/d_sym are replaced; the header is appended
 * to the accum_bits bits already in accum[] (bits past them are
 * overwritten, the ones before kept); crc_seed is left alone, so the second
 * pass checksums the input from the same seed.
 *
 * r: success, in_consumed = src_len, crc = iaa_crc32(crc_seed, src,
 * src_len), out_size 0. IAA_ERR_AECS (IAA_ST_ANALYTICS_ERROR), nothing
 * changed, when accum_bits + the header would pass the accumulator's 2048
 * bits.
 */
struct iaa_hdr_gen_state {
	uint32_t ll_sym[IAA_LL_SYMS];
	uint32_t d_sym[IAA_D_SYMS];
	uint8_t accum[IAA_ACCUM_MAX_BITS / 8];
	uint32_t accum_bits;
	uint32_t crc_seed;
};

void iaa_hdr_gen_aecs(const uint8_t *src, uint32_t src_len, bool final,
		      struct iaa_hdr_gen_state *st, struct iaa_result *r);

/*
 * The same with a preset dictionary (hist_len bytes before src, as
 * iaa_comp_args.hist_len): the tables fit the parse that a compress with
 * the same history makes.
 */
void iaa_hdr_gen_aecs_hist(const uint8_t *src, uint32_t src_len, uint32_t hist_len,
			   bool final, struct iaa_hdr_gen_state *st, struct iaa_result *r);

/*
 * Dictionary compression (IAA 2.0, IAACAP.diction_comp): compression flags
 * bits 11:10 name a level 1..3, which fixes the dictionary section of the
 * compress AECS (Intel QPL's dictionary_utils.cpp): the text area (2 KiB
 * at level 1, 4 KiB at 2 and 3), the raw dictionary right-aligned in it
 * behind zero padding, then the hash table (4 KiB at levels 1 and 2, two
 * pointers per entry; 8 KiB at level 3, four). The text area, padding
 * included, is the history a compress gets (hist_len).
 */
#define IAA_DICT_LEVEL_MAX	3

static inline uint32_t iaa_dict_text_size(unsigned int level)
{
	return level == 1 ? 2048 : 4096;
}

static inline uint32_t iaa_dict_table_size(unsigned int level)
{
	return level == 3 ? 8192 : 4096;
}

/*
 * Decompress (IAA opcode 0x42) a raw RFC 1951 stream: stored, fixed and
 * dynamic blocks, any number of them. The history is 4 KiB as in the
 * hardware: a distance > 4096 is IAA_ERR_BAD_DIST even if more output has
 * been produced; a distance beyond the output produced so far is
 * IAA_ERR_REF_BEFORE_START.
 *
 * Where the job ends follows the decompression flags (Intel QPL's hardware
 * definitions: STOP_ON_EOB, CHECK_FOR_EOB, SEL_BFINAL_EOB, IGNORE_END_BITS).
 * An EOB "counts" when it ends any block, or with sel_bfinal_eob only when
 * it ends a block with BFINAL set; the end of a stored block counts as its
 * EOB.
 *  - stop_on_eob: the job ends successfully right after the first EOB that
 *    counts. in_consumed counts the input up to and including the byte
 *    holding that EOB's last bit. Without sel_bfinal_eob this is the end of
 *    the FIRST block, however many follow.
 *  - without stop_on_eob: decoding goes on after every EOB, a final block's
 *    too: the bits after it are read as another block header until the
 *    input runs out. Trailing padding or garbage is therefore decoded.
 *  - input running out: with check_for_eob, IAA_ERR_BAD_EOF unless the input
 *    ended exactly after an EOB that counts; without it, success with all
 *    output that could be decoded. in_consumed = src_len.
 *  - ignore_end_bits (0..7): that many high bits of the last input byte are
 *    not part of the stream.
 *
 * Output larger than dst_cap: IAA_ST_OUTBUF_OVERFLOW, dst filled up to
 * dst_cap and nothing written past it. suppress_output: nothing is written
 * (dst may be NULL); out_size and crc still cover the decoded data (what
 * goes into the completion record is the device's business).
 * On an analytics error, out_size counts the bytes written before the
 * error was found.
 */
struct iaa_decomp_args {
	const uint8_t *src;
	uint32_t src_len;
	uint8_t *dst;
	uint32_t dst_cap;
	bool suppress_output;
	bool stop_on_eob;
	bool check_for_eob;
	bool sel_bfinal_eob;
	uint8_t ignore_end_bits;
	uint32_t crc_seed;	/* zero for a fresh CRC */
};

void iaa_decompress(const struct iaa_decomp_args *a, struct iaa_result *r);

/* zlib-compatible CRC-32 (IEEE 802.3, reflected, ~ pre/post conditioned) */
uint32_t iaa_crc32(uint32_t seed, const void *buf, size_t len);

/* RFC 1951 fixed Huffman tables in AECS entry format */
void iaa_fixed_tables(uint32_t ll_sym[IAA_LL_SYMS], uint32_t d_sym[IAA_D_SYMS]);

#endif /* IAA_ENGINE_H */
