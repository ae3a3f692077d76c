// SPDX-License-Identifier: GPL-2.0
/*
 * The source and destination of a request as the device sees them.
 *
 * A descriptor takes one contiguous buffer per side. A side whose bytes lie
 * in the first entry of its scatterlist is DMA-mapped where it is, with the
 * idxd PCI device: the device reads and writes the caller's memory, with no
 * copy. A side spread over several entries (zsmalloc objects can cross a
 * page boundary) goes through the bounce area of the descriptor's slot when
 * it fits in IAA_BOUNCE_BYTES; the area belongs to the descriptor, so this
 * never waits and never fails. Larger scattered buffers, and sizes beyond
 * the wq's transfer limit, are left to the software path.
 *
 * A descriptor given up on by timeout is never reused, and a device may
 * still complete it afterwards. Its write must not land in memory that went
 * back to the caller (for zswap: a page the process uses again, or the
 * buffer of the next compression): before such a request ends, a
 * destination written in place is drained, or the device's DMA stopped
 * (iaa_crypto_fence.c). A bounced one lies in the descriptor's own area,
 * where a late write harms no one.
 *
 * A drain is a wait, which a caller that may not sleep and gave no callback
 * (zram's backend) cannot afford within its bound (iaa_crypto_timeout.c):
 * its destination always goes through the bounce area, so that a timeout
 * never needs one. The device then writes at most IAA_BOUNCE_BYTES: a
 * compress whose output would need more than that, but fits the caller's
 * destination, is done again in software; a decompress whose output does
 * not fit ends in the software fallback as any device failure does. The
 * copy costs a memcpy of the output (a page at most).
 */
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/scatterlist.h>

#include "iaa_crypto.h"

static bool iaa_sg_contiguous(struct scatterlist *sg, unsigned int len)
{
	return sg->length >= len;
}

static bool iaa_side_fits(struct scatterlist *sg, unsigned int len)
{
	return iaa_sg_contiguous(sg, len) || len <= IAA_BOUNCE_BYTES;
}

/**
 * iaa_req_fits_device - whether the device can take both sides of @r
 * @r: a validated request
 * @bounce_dst: its destination goes through the bounce area whatever its
 *	layout (a caller that may not sleep and gave no callback)
 *
 * Return: true if so; otherwise the request is for software.
 */
bool iaa_req_fits_device(struct iaa_req *r, bool bounce_dst)
{
	struct acomp_req *areq = r->areq;

	return iaa_side_fits(areq->src, areq->slen) &&
	       (bounce_dst || iaa_side_fits(areq->dst, areq->dlen));
}

static int iaa_side_map(struct device *dev, struct iaa_buf *b,
			struct scatterlist *sg, unsigned int len,
			enum dma_data_direction dir, void *bounce,
			dma_addr_t bounce_dma, bool force_bounce)
{
	b->capped = force_bounce && len > IAA_BOUNCE_BYTES;
	b->len = b->capped ? IAA_BOUNCE_BYTES : len;
	b->dir = dir;
	b->bounced = force_bounce || !iaa_sg_contiguous(sg, len);
	len = b->len;

	if (b->bounced) {
		b->cpu = bounce;
		b->dma = bounce_dma;
		/* A destination's old bytes are of no use, verified or not */
		if (dir == DMA_TO_DEVICE)
			sg_copy_to_buffer(sg, sg_nents(sg), bounce, len);
		return 0;
	}

	b->cpu = NULL;
	b->dma = dma_map_page(dev, sg_page(sg), sg->offset, len, dir);
	return dma_mapping_error(dev, b->dma) ? -ENOMEM : 0;
}

static void iaa_side_unmap(struct device *dev, struct iaa_buf *b)
{
	if (!b->bounced)
		dma_unmap_page(dev, b->dma, b->len, b->dir);
}

/**
 * iaa_req_map - give the device addresses for both sides of @r
 * @r: request with its wq and descriptor
 * @bounce_dst: as for iaa_req_fits_device()
 *
 * Return: 0, or an error after which @r is to be done in software.
 */
int iaa_req_map(struct iaa_req *r, bool bounce_dst)
{
	struct acomp_req *areq = r->areq;
	struct iaa_queue *q = r->queue;
	struct iaa_slot *slot = r->slot;
	struct device *dev = iaa_queue_dma_dev(q);
	enum dma_data_direction ddir = DMA_FROM_DEVICE;
	unsigned int dlen;
	int ret;

	if (areq->slen > q->wq->max_xfer_bytes)
		return -E2BIG;
	dlen = min_t(u64, areq->dlen, q->wq->max_xfer_bytes);

	/* A verified compress has the device read its own output back */
	if (r->op == IAA_OP_COMPRESS && r->verify)
		ddir = DMA_BIDIRECTIONAL;

	ret = iaa_side_map(dev, &r->src, areq->src, areq->slen, DMA_TO_DEVICE,
			   slot->bounce, slot->bounce_dma, false);
	if (ret)
		return ret;

	ret = iaa_side_map(dev, &r->dst, areq->dst, dlen, ddir,
			   slot->bounce + IAA_BOUNCE_BYTES,
			   slot->bounce_dma + IAA_BOUNCE_BYTES, bounce_dst);
	if (ret) {
		iaa_side_unmap(dev, &r->src);
		return ret;
	}

	if (r->src.bounced || r->dst.bounced)
		iaa_stat_inc(IAA_STAT_BOUNCED);
	return 0;
}

/* Copy @len bytes of output from a bounce area to the caller's list */
static void iaa_copy_out(struct scatterlist *sg, const void *buf,
			 unsigned int len)
{
	/* The usual case, one directly mapped entry: no iterator needed */
	if (sg->length >= len && !PageHighMem(sg_page(sg))) {
		void *to = sg_virt(sg);

		/* A whole aligned page (zram's decompress): the arch's copy */
		if (len == PAGE_SIZE && PAGE_ALIGNED(to) && PAGE_ALIGNED(buf))
			copy_page(to, (void *)buf);
		else
			memcpy(to, buf, len);
		return;
	}
	sg_copy_from_buffer(sg, sg_nents(sg), buf, len);
}

/**
 * iaa_req_unmap - end the device's access to both sides of @r
 * @r: request with its wq and descriptor
 * @copy_out: the device produced @out_len bytes of valid output
 * @out_len: output length, copied to the caller's list from a bounce area
 */
void iaa_req_unmap(struct iaa_req *r, bool copy_out, unsigned int out_len)
{
	struct device *dev = iaa_queue_dma_dev(r->queue);
	struct acomp_req *areq = r->areq;

	iaa_side_unmap(dev, &r->src);
	iaa_side_unmap(dev, &r->dst);

	if (copy_out && r->dst.bounced)
		iaa_copy_out(areq->dst, r->dst.cpu, min(out_len, r->dst.len));
}
