/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IAA hardware formats used for deflate: the (de)compression flag words of a
 * descriptor, the analytics error code the driver acts on, the compression
 * AECS (Analytics Engine Configuration and State) record, and helpers that
 * format a descriptor for each operation.
 */
#ifndef __IAA_CRYPTO_DESC_H__
#define __IAA_CRYPTO_DESC_H__

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/sizes.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <uapi/linux/idxd.h>

/* iax_hw_desc.compr_flags (opcode 0x43) */
#define IAA_DEFL_STATS_MODE		BIT(0)	/* count symbols, write no output */
#define IAA_DEFL_FLUSH_OUTPUT		BIT(1)	/* pad the last byte with zeros */
#define IAA_DEFL_APPEND_EOB		BIT(2)	/* emit the end-of-block symbol */
/*
 * Header generation (IAA 2.0, IAACAP header_gen): 3 makes the device build
 * the Huffman tables of its input itself and write one whole final dynamic
 * block, header, body and end of block, with no AECS; at most 4 KiB of input
 */
#define IAA_DEFL_HDR_GEN		GENMASK(14, 12)
#define IAA_DEFL_HDR_GEN_FINAL		3
#define IAA_DEFL_ONE_PASS_MAX_BYTES	SZ_4K

/*
 * iax_hw_desc.decompr_flags (opcode 0x42), numbered as in Intel QPL's
 * hardware definitions. STOP_ON_EOB and CHECK_FOR_EOB refer to the end of
 * ANY block unless SEL_BFINAL_EOB narrows them to the block with BFINAL
 * set: without it a stream of several blocks (zlib flushes, a full symbol
 * buffer) decodes only its first block, and the device reports success.
 */
#define IAA_INFL_ENABLE			BIT(0)
#define IAA_INFL_FLUSH_OUTPUT		BIT(1)
#define IAA_INFL_STOP_ON_EOB		BIT(2)	/* end the job at the EOB */
#define IAA_INFL_CHECK_EOB		BIT(3)	/* error if input ends before it */
#define IAA_INFL_SEL_BFINAL_EOB		BIT(4)	/* the EOB of the final block */
#define IAA_INFL_SUPPRESS_OUTPUT	BIT(9)	/* decode and CRC, write nothing */

/* A whole stream, to the end of its final block, and nothing else */
#ifndef IAA_CRYPTO_TEST_BREAK_INFL_FLAGS
#define IAA_INFL_WHOLE_STREAM \
	(IAA_INFL_STOP_ON_EOB | IAA_INFL_CHECK_EOB | IAA_INFL_SEL_BFINAL_EOB)
#else
/* make check-broken: the old belief, which stops at the first block */
#define IAA_INFL_WHOLE_STREAM	(IAA_INFL_STOP_ON_EOB | IAA_INFL_CHECK_EOB)
#endif

/* Flags on every descriptor: completion record requested at a valid address */
#define IAA_DESC_FLAGS_BASE \
	(IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_CC)

/* iax_completion_record.error_code with status IAX_COMP_ANALYTICS_ERROR */
#define IAA_AERR_DST_OVERFLOW		0x19	/* output > max_dst_size */

/* One Huffman code in the AECS tables: code value MSB-first, and its length */
#define IAA_HUFF_CODE			GENMASK(14, 0)
#define IAA_HUFF_LEN			GENMASK(18, 15)

#define IAA_AECS_LL_CODES		286	/* literal/length symbols 0..285 */
#define IAA_AECS_D_CODES		30	/* distance symbols 0..29 */
#define IAA_AECS_ACCUM_BYTES		256

/*
 * Compression AECS, read by the device through src2 (IDXD_OP_FLAG_RD_SRC2_AECS).
 * The output accumulator holds bits the device emits before the first
 * symbol: this is where software places the deflate block header.
 */
struct iaa_aecs_comp {
	__le32 crc_seed;
	__le32 xor_seed;
	__le32 rsvd0[5];
	__le32 accum_bits;			/* valid bits in accum[] */
	u8 accum[IAA_AECS_ACCUM_BYTES];		/* LSB-first bit stream */
	__le32 ll_code[IAA_AECS_LL_CODES];
	__le32 rsvd1[2];
	__le32 d_code[IAA_AECS_D_CODES];
	__le32 rsvd2[2];
} __packed;

static_assert(offsetof(struct iaa_aecs_comp, accum_bits) == 0x01c);
static_assert(offsetof(struct iaa_aecs_comp, accum) == 0x020);
static_assert(offsetof(struct iaa_aecs_comp, ll_code) == 0x120);
static_assert(offsetof(struct iaa_aecs_comp, d_code) == 0x5a0);
static_assert(sizeof(struct iaa_aecs_comp) == 1568);

/*
 * What a compress in statistics mode writes to its destination (Intel QPL's
 * hw_iaa_histogram): how often each literal/length and distance symbol
 * occurs in the LZ77 parse of the input, the one a compress of the same
 * input makes. The end-of-block symbol is not counted.
 */
struct iaa_comp_stats {
	__le32 ll_count[IAA_AECS_LL_CODES];
	__le32 rsvd1[2];
	__le32 d_count[IAA_AECS_D_CODES];
	__le32 rsvd2[2];
} __packed;

static_assert(sizeof(struct iaa_comp_stats) == 1280);

static inline __le32 iaa_aecs_code(u16 code, u8 len)
{
	return cpu_to_le32(FIELD_PREP(IAA_HUFF_CODE, code) |
			   FIELD_PREP(IAA_HUFF_LEN, len));
}

/*
 * The record's address is the descriptor's own, written once when the wq is
 * bound (iaa_crypto_slot.c). idxd fills the interrupt handle when asked for
 * an interrupt; without one the field is cleared of an earlier use.
 */
static inline void iaa_desc_set_completion(struct iax_hw_desc *hw, bool irq)
{
	hw->flags |= IAA_DESC_FLAGS_BASE | (irq ? IDXD_OP_FLAG_RCI : 0);
	if (!irq)
		hw->int_handle = 0;
}

/* The buffers of a descriptor: source, destination, and the second source */
static inline void iaa_desc_set_bufs(struct iax_hw_desc *hw,
				     dma_addr_t src, u32 slen,
				     dma_addr_t dst, u32 dlen,
				     dma_addr_t src2, u32 src2_len)
{
	hw->src1_addr = src;
	hw->src1_size = slen;
	hw->dst_addr = dst;
	hw->max_dst_size = dlen;
	hw->src2_addr = src2;
	hw->src2_size = src2_len;
}

static inline void iaa_desc_set_compress(struct iax_hw_desc *hw,
					 dma_addr_t src, u32 slen,
					 dma_addr_t dst, u32 dlen,
					 dma_addr_t aecs)
{
	hw->opcode = IAX_OPCODE_COMPRESS;
	hw->flags = IDXD_OP_FLAG_RD_SRC2_AECS;
	hw->compr_flags = IAA_DEFL_FLUSH_OUTPUT | IAA_DEFL_APPEND_EOB;
	iaa_desc_set_bufs(hw, src, slen, dst, dlen, aecs,
			  sizeof(struct iaa_aecs_comp));
}

/* One final dynamic block whose header the device builds: no AECS */
static inline void iaa_desc_set_compress_one_pass(struct iax_hw_desc *hw,
						  dma_addr_t src, u32 slen,
						  dma_addr_t dst, u32 dlen)
{
	hw->opcode = IAX_OPCODE_COMPRESS;
	hw->flags = 0;
	hw->compr_flags = FIELD_PREP(IAA_DEFL_HDR_GEN, IAA_DEFL_HDR_GEN_FINAL) |
			  IAA_DEFL_FLUSH_OUTPUT | IAA_DEFL_APPEND_EOB;
	iaa_desc_set_bufs(hw, src, slen, dst, dlen, 0, 0);
}

/* Statistics mode: no AECS, nothing but the counts is written */
static inline void iaa_desc_set_stats(struct iax_hw_desc *hw,
				      dma_addr_t src, u32 slen,
				      dma_addr_t counts)
{
	hw->opcode = IAX_OPCODE_COMPRESS;
	hw->flags = 0;
	hw->compr_flags = IAA_DEFL_STATS_MODE;
	iaa_desc_set_bufs(hw, src, slen, counts, sizeof(struct iaa_comp_stats),
			  0, 0);
}

/*
 * A decompress that writes nothing (@check_only) decodes and checksums the
 * stream only: this is how a compress is verified. Its record's CRC covers
 * the decoded data; its output_size says nothing (nothing was written).
 */
static inline void iaa_desc_set_decompress(struct iax_hw_desc *hw,
					   dma_addr_t src, u32 slen,
					   dma_addr_t dst, u32 dlen,
					   bool check_only)
{
	hw->opcode = IAX_OPCODE_DECOMPRESS;
	hw->flags = 0;
	hw->decompr_flags = IAA_INFL_ENABLE | IAA_INFL_FLUSH_OUTPUT |
			    IAA_INFL_WHOLE_STREAM |
			    (check_only ? IAA_INFL_SUPPRESS_OUTPUT : 0);
	iaa_desc_set_bufs(hw, src, slen, dst, dlen, 0, 0);
}

#endif /* __IAA_CRYPTO_DESC_H__ */
