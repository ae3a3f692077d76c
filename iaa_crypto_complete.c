// SPDX-License-Identifier: GPL-2.0
/*
 * The end of a request: one path for every mode.
 *
 * iaa_req_done() is called by whoever noticed that a descriptor finished (or
 * gave up waiting for it). It turns the completion record into an errno with
 * one table, runs the verify stage of a compress, records statistics, falls
 * back to software for a failed decompress, and completes the request.
 *
 * Errors a caller sees:
 *   -ENOSPC	compress: the output would not fit in dlen (incompressible);
 *		decompress: the decompressed data is larger than dlen
 *   -EBADMSG	decompress: the stream is corrupt or truncated (from software)
 *   -ETIMEDOUT	compress: the device did not finish in time
 *   -EIO	compress: any other device error, or failed verification
 *   -EINVAL	the request itself is malformed
 * The table below gives each device status its errno and statistic; for a
 * compress every errno but -ENOSPC and -ETIMEDOUT then becomes -EIO.
 * A decompress never reports a device error: any failure on the device is
 * retried in software, whose verdict is final.
 */
#include <linux/bottom_half.h>
#include <linux/sched/clock.h>

#include "iaa_crypto.h"
#include "iaa_crypto_desc.h"

/* What a completion status means for the request, and how it is counted */
struct iaa_status_info {
	s16 err;
	u8 stat;
};

#define IAA_STATUS(_err, _stat)		{ .err = (_err), .stat = (_stat) }

static const struct iaa_status_info iaa_status_table[DSA_COMP_STATUS_MASK + 1] = {
	[IAX_COMP_PAGE_FAULT_IR]	= IAA_STATUS(-EFAULT, IAA_STAT_ERR_FAULT),
	[IAX_COMP_ANALYTICS_ERROR]	= IAA_STATUS(-EBADMSG, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_OUTBUF_OVERFLOW]	= IAA_STATUS(-ENOSPC, IAA_STAT_ERR_OVERFLOW),
	[IAX_COMP_BAD_OPCODE]		= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_INVALID_FLAGS]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_NOZERO_RESERVE]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_INVALID_SIZE]		= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_OVERLAP_BUFFERS]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_CRA_XLAT]		= IAA_STATUS(-EFAULT, IAA_STAT_ERR_FAULT),
	[IAX_COMP_CRA_ALIGN]		= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_ADDR_ALIGN]		= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_PFAULT_RDBA]		= IAA_STATUS(-EFAULT, IAA_STAT_ERR_FAULT),
	[IAX_COMP_TRANSLATION_FAIL]	= IAA_STATUS(-EFAULT, IAA_STAT_ERR_FAULT),
	[IAX_COMP_PRS_TIMEOUT]		= IAA_STATUS(-ETIMEDOUT, IAA_STAT_ERR_TIMEOUT),
	[IAX_COMP_WATCHDOG]		= IAA_STATUS(-ETIMEDOUT, IAA_STAT_ERR_TIMEOUT),
	[IAX_COMP_INVALID_COMP_FLAG]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_INVALID_FILTER_FLAG]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_INVALID_INPUT_SIZE]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_INVALID_NUM_ELEMS]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_INVALID_SRC1_WIDTH]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
	[IAX_COMP_INVALID_INVERT_OUT]	= IAA_STATUS(-EINVAL, IAA_STAT_ERR_EINVAL),
};

/* Any status not in the table, and idxd's software abort */
static const struct iaa_status_info iaa_status_other =
	IAA_STATUS(-EIO, IAA_STAT_ERR_HW);
/* The analytics error that means "output larger than max_dst_size" */
static const struct iaa_status_info iaa_status_dst_full =
	IAA_STATUS(-ENOSPC, IAA_STAT_ERR_OVERFLOW);
/* The driver stopped waiting */
static const struct iaa_status_info iaa_status_timeout =
	IAA_STATUS(-ETIMEDOUT, IAA_STAT_ERR_TIMEOUT);

static const struct iaa_status_info *
iaa_status_lookup(const struct iax_completion_record *cr)
{
	const struct iaa_status_info *info;
	u8 raw = cr->status;

	if (raw == IDXD_COMP_DESC_ABORT)
		return &iaa_status_other;
	if (raw == IAX_COMP_ANALYTICS_ERROR &&
	    cr->error_code == IAA_AERR_DST_OVERFLOW)
		return &iaa_status_dst_full;

	info = &iaa_status_table[DSA_COMP_STATUS(raw)];
	return info->err ? info : &iaa_status_other;
}

/**
 * iaa_req_finish - account for @r and hand its result to the caller
 * @r: the request, done with the device
 * @err: its result
 *
 * Return: @err. An asynchronous request has been completed through its
 * callback and must not be touched any more.
 */
int iaa_req_finish(struct iaa_req *r, int err)
{
	struct acomp_req *areq = r->areq;
	bool comp = r->op != IAA_OP_DECOMPRESS;

	if (!err) {
		iaa_stat_add(comp ? IAA_STAT_COMP_BYTES_IN :
				    IAA_STAT_DECOMP_BYTES_IN, areq->slen);
		iaa_stat_add(comp ? IAA_STAT_COMP_BYTES_OUT :
				    IAA_STAT_DECOMP_BYTES_OUT, areq->dlen);
	}
	if (iaa_latency_stats_on() && r->start_ns) {
		/* local_clock(): cheap; an async end may be on another CPU */
		u64 now = local_clock();

		if (now > r->start_ns)
			iaa_stat_delay(comp, now - r->start_ns);
	}

	if (r->async) {
		/* Callers expect their callback in softirq-like context */
		local_bh_disable();
		acomp_request_complete(areq, err);
		local_bh_enable();
	}
	return err;
}

/* @r cannot run on the device: do it on the CPU, synchronously */
int iaa_req_software(struct iaa_req *r)
{
	int err;

	if (r->op == IAA_OP_DECOMPRESS)
		err = iaa_sw_decompress(r->areq);
	else
		err = iaa_sw_compress(r->areq);

	return iaa_req_finish(r, err);
}

/* The compress worked; check it by decoding it on the device */
static int iaa_req_start_verify(struct iaa_req *r,
				const struct iax_completion_record *cr)
{
	/* A descriptor idxd still holds (interrupt missed) cannot be reused */
	if (!r->desc_owned)
		return -ETIMEDOUT;

	r->crc = cr->crc;
	r->comp_len = cr->output_size;
	r->op = IAA_OP_VERIFY;
	return iaa_req_launch(r);
}

/**
 * iaa_req_done - a descriptor of @r finished, or was given up on
 * @r: the request
 * @forced_err: 0 to read the completion record, otherwise the reason the
 *	record is not to be trusted: -ETIMEDOUT or -ECANCELED (idxd abort)
 *
 * Return: -EINPROGRESS when @r went on with another descriptor (verify),
 * otherwise its final result.
 */
int iaa_req_done(struct iaa_req *r, int forced_err)
{
	const struct iax_completion_record *cr = r->desc->iax_completion;
	const struct iaa_status_info *info = NULL;
	struct acomp_req *areq = r->areq;
	struct iaa_queue *q = r->queue;
	unsigned int out = 0;
	int err = forced_err;

	if (forced_err == -ETIMEDOUT) {
		info = &iaa_status_timeout;
		iaa_queue_quarantine(q);
	} else if (forced_err) {
		info = &iaa_status_other;
	} else {
		/* The record is complete once its status byte is set */
		dma_rmb();
		if (cr->status != IAX_COMP_SUCCESS)
			info = iaa_status_lookup(cr);
		out = cr->output_size;
	}
	if (info) {
		err = info->err;
		iaa_stat_inc(info->stat);
		/* Only "does not fit" and "too slow" mean more than "failed" */
		if (r->op != IAA_OP_DECOMPRESS && err != -ENOSPC &&
		    err != -ETIMEDOUT)
			err = -EIO;
	}

	switch (r->op) {
	case IAA_OP_COMPRESS:
		if (err || !r->verify)
			break;
		err = iaa_req_start_verify(r, cr);
		if (!err)
			return -EINPROGRESS;
		if (err == -ETIMEDOUT) {
			iaa_stat_inc(IAA_STAT_ERR_TIMEOUT);
			break;
		}
		iaa_stat_inc(IAA_STAT_VERIFY_FAIL);
		err = -EIO;
		break;
	case IAA_OP_VERIFY:
		/*
		 * Success means the decode reached the final block's EOB within
		 * the compressed length (CHECK_FOR_EOB); the CRC of what it
		 * decoded, equal to the compress's CRC of the input, says it is
		 * the input. Nothing else in the record is defined for output
		 * that was not written.
		 */
		if (!err && cr->crc != r->crc)
			err = -EIO;
		if (err && err != -ETIMEDOUT) {
			iaa_stat_inc(IAA_STAT_VERIFY_FAIL);
			err = -EIO;
		}
		out = r->comp_len;
		break;
	case IAA_OP_DECOMPRESS:
		break;
	}

	iaa_req_unmap(r, !err, out);
	if (!err)
		areq->dlen = out;
	if (r->op == IAA_OP_DECOMPRESS) {
		iaa_counters_add(&q->stats, false, err ? 0 : areq->slen);
		iaa_counters_add(&q->accel->stats, false, err ? 0 : areq->slen);
	} else {
		iaa_counters_add(&q->stats, true, err ? 0 : out);
		iaa_counters_add(&q->accel->stats, true, err ? 0 : out);
	}
	iaa_req_release_hw(r);

	/* A decompress the device could not do is done in software */
	if (err && r->op == IAA_OP_DECOMPRESS && !IAA_TEST_NO_FALLBACK)
		err = iaa_sw_decompress(areq);

	return iaa_req_finish(r, err);
}
