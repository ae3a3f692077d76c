// SPDX-License-Identifier: GPL-2.0
/*
 * Fixed-Huffman deflate on IAA.
 *
 * The device compresses with whatever Huffman codes the AECS record gives it
 * and does not write a block header of its own. "Fixed" mode therefore means:
 * the AECS holds the code tables of RFC 1951 section 3.2.6, and its output
 * accumulator is preloaded with the 3-bit header of a final fixed-Huffman
 * block. With APPEND_EOB the result is one complete raw deflate block.
 *
 * The tables are derived here from the code lengths the RFC specifies, with
 * the canonical code assignment of RFC 1951 section 3.2.2
 * (iaa_huff_codes()).
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "iaa_crypto.h"
#include "iaa_crypto_desc.h"
#include "iaa_crypto_huffman.h"

#define DEFLATE_LL_SYMBOLS	288	/* including the two unused ones */

/* First bits of a deflate block, in stream order (RFC 1951 section 3.2.3) */
#define DEFLATE_HDR_BFINAL	BIT(0)
#define DEFLATE_HDR_BTYPE	GENMASK(2, 1)
#define DEFLATE_BTYPE_FIXED	1
#define DEFLATE_HDR_BITS	3

/* Code lengths of the fixed literal/length code: [first symbol, length] */
static const struct {
	u16 first;
	u8 len;
} fixed_ll_lengths[] = {
	{   0, 8 },
	{ 144, 9 },
	{ 256, 7 },
	{ 280, 8 },
};

#define FIXED_D_LEN		5

static void iaa_fixed_aecs_fill(struct iaa_aecs_comp *aecs)
{
	u8 ll_len[DEFLATE_LL_SYMBOLS], d_len[IAA_AECS_D_CODES];
	u16 ll_code[DEFLATE_LL_SYMBOLS], d_code[IAA_AECS_D_CODES];
	unsigned int i, sym;

	for (i = 0; i < ARRAY_SIZE(fixed_ll_lengths); i++) {
		unsigned int end = i + 1 < ARRAY_SIZE(fixed_ll_lengths) ?
				   fixed_ll_lengths[i + 1].first :
				   DEFLATE_LL_SYMBOLS;

		for (sym = fixed_ll_lengths[i].first; sym < end; sym++)
			ll_len[sym] = fixed_ll_lengths[i].len;
	}
	memset(d_len, FIXED_D_LEN, sizeof(d_len));

	iaa_huff_codes(ll_len, DEFLATE_LL_SYMBOLS, ll_code);
	iaa_huff_codes(d_len, IAA_AECS_D_CODES, d_code);

	memset(aecs, 0, sizeof(*aecs));
	for (sym = 0; sym < IAA_AECS_LL_CODES; sym++)
		aecs->ll_code[sym] = iaa_aecs_code(ll_code[sym], ll_len[sym]);
	for (sym = 0; sym < IAA_AECS_D_CODES; sym++)
		aecs->d_code[sym] = iaa_aecs_code(d_code[sym], d_len[sym]);

	aecs->accum[0] = DEFLATE_HDR_BFINAL |
			 FIELD_PREP(DEFLATE_HDR_BTYPE, DEFLATE_BTYPE_FIXED);
	aecs->accum_bits = cpu_to_le32(DEFLATE_HDR_BITS);
}

/* The AECS is read by the device for every compress: one per device */
int iaa_fixed_aecs_alloc(struct iaa_accel *accel)
{
	struct device *dev = &accel->idxd->pdev->dev;

	accel->aecs = dma_alloc_coherent(dev, sizeof(*accel->aecs),
					 &accel->aecs_dma, GFP_KERNEL);
	if (!accel->aecs)
		return -ENOMEM;

	iaa_fixed_aecs_fill(accel->aecs);
	return 0;
}

void iaa_fixed_aecs_free(struct iaa_accel *accel)
{
	struct device *dev = &accel->idxd->pdev->dev;

	dma_free_coherent(dev, sizeof(*accel->aecs), accel->aecs,
			  accel->aecs_dma);
	accel->aecs = NULL;
}
