// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic-Huffman deflate on IAA: the driver name "deflate-iaa-dynamic".
 *
 * First-generation IAA compresses with the codes its AECS gives and writes
 * no block header of its own. A dynamic block takes two device operations
 * and some arithmetic on the CPU in between:
 *
 *   1. a compress in statistics mode counts the literal/length and distance
 *	symbols of the input's LZ77 parse, into the slot's count record;
 *   2. iaa_dyn_plan() builds codes for those counts (iaa_crypto_huffman.c)
 *	and writes them, and the block header into the output accumulator, to
 *	the slot's own AECS;
 *   3. a compress with that AECS writes the body of the block.
 *
 * The device parses the input the same way in both operations, so the counts
 * give the size of every possible output exactly, before the second one:
 *
 *   - dynamic, fixed or stored, whichever is smallest. A dynamic header
 *     costs 30 to 90 bytes, which small or nearly random inputs do not earn
 *     back; stored blocks are written by the CPU, with no second operation.
 *   - if even the smallest does not fit the destination: -ENOSPC at once.
 *   - inputs under IAA_DYN_MIN_BYTES skip the statistics: fixed Huffman.
 *
 * A device with header generation (IAA 2.0, IAACAP header_gen) builds the
 * tables itself: there an input of up to 4 KiB takes one operation, which
 * writes a whole final dynamic block (iaa_dyn_one_pass()), with no
 * statistics and nothing built on the CPU. The choice is made for each
 * request once its wq is taken, from that wq's device, so that a system with
 * devices of both kinds never sends the flags to a device without them. An
 * input the device cannot make smaller than itself is written as stored
 * blocks when they fit, as the two operations would have.
 *
 * Every choice is counted (total_dynamic_* in debugfs). The output is always
 * one final block of raw deflate, so deflate-iaa, software inflate and this
 * driver read each other's streams.
 *
 * The codes are built on a per-CPU scratch area with preemption off: a few
 * microseconds, bounded, and without allocation. Outside task context (a
 * caller in interrupt context could find the area in use) the block is fixed.
 */
#include <linux/dma-mapping.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/sched/clock.h>
#include <linux/unaligned.h>

#include "iaa_crypto.h"
#include "iaa_crypto_desc.h"
#include "iaa_crypto_huffman.h"

/* Below this many input bytes no dynamic header pays for itself */
#define IAA_DYN_MIN_BYTES	128

/* A stored block: 3 header bits padded to a byte, LEN and NLEN */
#define STORED_MAX		65535u
#define STORED_HDR_BYTES	5

/* A slot's device memory for the dynamic mode, after its bounce area */
struct iaa_dyn_area {
	struct iaa_comp_stats stats;
	struct iaa_aecs_comp aecs;
};

static_assert(sizeof(struct iaa_dyn_area) <= IAA_DYN_AREA_BYTES);
/* iaa_huff_block_entries() writes the AECS's form of a code */
static_assert(__builtin_ctz(IAA_HUFF_LEN) == IAA_HUFF_ENT_LEN_SHIFT);
static_assert(__builtin_popcount(IAA_HUFF_CODE) == IAA_HUFF_ENT_LEN_SHIFT);
/* The device reads the AECS at a 32-byte aligned address */
static_assert(IS_ALIGNED(IAA_DYN_AREA_OFFSET +
			 offsetof(struct iaa_dyn_area, aecs), 32));

struct iaa_dyn_scratch {
	struct iaa_huff_work work;
	struct iaa_huff_block block;
};

static struct iaa_dyn_scratch __percpu *iaa_dyn_scratch;

/* The device memory of the dynamic mode lies after the slot's bounce area */
static struct iaa_dyn_area *iaa_slot_dyn(struct iaa_slot *slot)
{
	return slot->bounce + IAA_DYN_AREA_OFFSET;
}

dma_addr_t iaa_dyn_stats_dma(struct iaa_slot *slot)
{
	return slot->bounce_dma + IAA_DYN_AREA_OFFSET +
	       offsetof(struct iaa_dyn_area, stats);
}

dma_addr_t iaa_dyn_aecs_dma(struct iaa_slot *slot)
{
	return slot->bounce_dma + IAA_DYN_AREA_OFFSET +
	       offsetof(struct iaa_dyn_area, aecs);
}

/* Whether a compress of @slen bytes starts with statistics; counts it */
bool iaa_dyn_wants_stats(unsigned int slen)
{
	if (slen >= IAA_DYN_MIN_BYTES)
		return true;
	iaa_stat_inc(IAA_STAT_DYN_SMALL);
	return false;
}

/*
 * Whether the statistics of a compress of @slen bytes on a wq of @accel give
 * way to one operation that writes the whole dynamic block
 */
bool iaa_dyn_one_pass(const struct iaa_accel *accel, unsigned int slen)
{
	bool hdr_gen = FIELD_GET(IAA_VERSION_MAJOR, accel->version) >= 2 &&
		       FIELD_GET(IAA_CAP_HEADER_GEN, accel->cap);

	return (hdr_gen || IAA_TEST_ONE_PASS_ANYWHERE) &&
	       slen <= IAA_DEFL_ONE_PASS_MAX_BYTES;
}

/*
 * Whether the counts of @b can be those of @slen input bytes: one distance
 * per match, and never more symbols than input bytes. A device that wrote
 * garbage gets a fixed block.
 */
static bool iaa_dyn_counts_valid(const struct iaa_huff_block *b,
				 unsigned int slen)
{
	u64 syms = b->ll_syms - 1;	/* the end of block is not the device's */

	return syms && syms <= slen && b->matches == b->dists;
}

static void iaa_dyn_aecs_fill(struct iaa_aecs_comp *aecs,
			      const struct iaa_huff_block *b)
{
	/* The rest of the record stays as allocated: zero */
	aecs->accum_bits = cpu_to_le32(b->hdr_bits);
	memcpy(aecs->accum, b->hdr, DIV_ROUND_UP(b->hdr_bits, 8));
	iaa_huff_block_entries(b, aecs->ll_code, aecs->d_code);
}

static unsigned int iaa_dyn_stored_bytes(unsigned int slen)
{
	return slen + STORED_HDR_BYTES * DIV_ROUND_UP(slen, STORED_MAX);
}

/* Whether stored blocks of @slen input bytes fit @dlen bytes */
bool iaa_dyn_stored_fits(unsigned int slen, unsigned int dlen)
{
	return iaa_dyn_stored_bytes(slen) <= dlen;
}

/**
 * iaa_dyn_plan - choose the block for a compress whose statistics are in
 * @slot, and prepare the slot's AECS for a dynamic one
 * @slot: the descriptor's slot
 * @fixed: the device's fixed-Huffman AECS
 * @slen: input bytes
 * @dlen: room at the destination
 *
 * Return: the plan, counted.
 */
enum iaa_dyn_plan iaa_dyn_plan(struct iaa_slot *slot,
			       const struct iaa_aecs_comp *fixed,
			       unsigned int slen, unsigned int dlen)
{
	struct iaa_dyn_area *area = iaa_slot_dyn(slot);
	u64 extra, fixed_bits, dyn_bits, best;
	u64 t0 = iaa_latency_stats_on() ? local_clock() : 0;
	struct iaa_dyn_scratch *s;
	struct iaa_huff_block *b;
	enum iaa_dyn_plan plan;
	unsigned int stored;

	if (!in_task()) {
		iaa_stat_inc(IAA_STAT_DYN_FIXED);
		return IAA_DYN_FIXED;
	}

	/* The device does not count the end of block; every block has one */
	area->stats.ll_count[DEFL_EOB] = cpu_to_le32(1);
	s = get_cpu_ptr(iaa_dyn_scratch);
	b = &s->block;
	if (iaa_huff_block_build(area->stats.ll_count, area->stats.d_count, b,
				 &s->work) ||
	    !iaa_dyn_counts_valid(b, slen)) {
		put_cpu_ptr(iaa_dyn_scratch);
		iaa_stat_inc(IAA_STAT_DYN_FIXED);
		return IAA_DYN_FIXED;
	}
	extra = b->extra_bits;
	fixed_bits = le32_to_cpu(fixed->accum_bits) + b->fixed_bits + extra;
	dyn_bits = b->hdr_bits + extra + b->data_bits;

	best = DIV_ROUND_UP_ULL(min(fixed_bits, dyn_bits), 8);
	stored = iaa_dyn_stored_bytes(slen);
	if (min_t(u64, best, stored) > dlen) {
		plan = IAA_DYN_NOSPC;
		iaa_stat_inc(IAA_STAT_DYN_NOSPC);
	} else if (stored < best) {
		plan = IAA_DYN_STORED;
		iaa_stat_inc(IAA_STAT_DYN_STORED);
	} else if (dyn_bits < fixed_bits) {
		iaa_dyn_aecs_fill(&area->aecs, b);
		plan = IAA_DYN_DYNAMIC;
		iaa_stat_inc(IAA_STAT_DYN_DYNAMIC);
	} else {
		plan = IAA_DYN_FIXED;
		iaa_stat_inc(IAA_STAT_DYN_FIXED);
	}
	put_cpu_ptr(iaa_dyn_scratch);

	if (t0)
		iaa_stat_add(IAA_STAT_DYN_BUILD_NS, local_clock() - t0);
	return plan;
}

/**
 * iaa_dyn_store - write the input of @areq as stored blocks
 * @areq: a compress whose destination holds iaa_dyn_stored_bytes(slen)
 *
 * Return: 0, with areq->dlen set.
 */
int iaa_dyn_store(struct acomp_req *areq)
{
	unsigned int left = areq->slen, out = 0, room = 0, n;
	unsigned int dnents = sg_nents(areq->dst);
	struct sg_mapping_iter mi;
	u8 hdr[STORED_HDR_BYTES];

	sg_miter_start(&mi, areq->src, sg_nents(areq->src),
		       SG_MITER_FROM_SG | SG_MITER_ATOMIC);
	while (left && sg_miter_next(&mi)) {
		const u8 *p = mi.addr;
		unsigned int len = min_t(size_t, mi.length, left);

		while (len) {
			if (!room) {
				room = min(left, STORED_MAX);
				hdr[0] = room == left;	/* BFINAL; BTYPE 0 */
				put_unaligned_le16(room, &hdr[1]);
				put_unaligned_le16(~room, &hdr[3]);
				sg_pcopy_from_buffer(areq->dst, dnents, hdr,
						     sizeof(hdr), out);
				out += sizeof(hdr);
			}
			n = min(room, len);
			sg_pcopy_from_buffer(areq->dst, dnents, p, n, out);
			p += n;
			len -= n;
			room -= n;
			left -= n;
			out += n;
		}
	}
	sg_miter_stop(&mi);
	if (left)
		return -EINVAL;
	areq->dlen = out;
	return 0;
}

int iaa_dyn_init(void)
{
	iaa_dyn_scratch = alloc_percpu(struct iaa_dyn_scratch);
	return iaa_dyn_scratch ? 0 : -ENOMEM;
}

void iaa_dyn_exit(void)
{
	free_percpu(iaa_dyn_scratch);
}
