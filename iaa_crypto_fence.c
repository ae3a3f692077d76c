// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping a timed-out descriptor out of memory that goes back to its caller.
 *
 * A request given up on by timeout may still be executed by the device.
 * A destination of up to IAA_BOUNCE_BYTES is written in the descriptor's own
 * bounce area, which is never reused after a timeout: a late write there
 * harms no one. A larger destination is written in place, so before such a
 * request ends (and its caller reuses the memory, or the software fallback
 * fills it) a Drain descriptor goes to the same wq. The device completes it
 * only after every descriptor submitted to that wq ahead of it: once its
 * record is written, the late descriptor is finished and its write landed.
 *
 * A drain that does not complete within IAA_FENCE_TIMEOUTS timeouts leaves
 * two cases. A halted device executes nothing until it is reset, and a reset
 * abandons its work: nothing is at risk. A device still running but
 * completing nothing may yet write the destination; 6.12's idxd gives a
 * sub-driver no way to reset or stop it (its commands wait for interrupts
 * from the same device), so the driver says so, with the address and
 * length, and the device's other queues skip the drain from then on. Only
 * the request that timed out waits here, at most for the drain timeout.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>

#include "iaa_crypto.h"

/* A drain may wait this many request timeouts for the work ahead of it */
#define IAA_FENCE_TIMEOUTS	2

static bool iaa_device_halted(struct idxd_device *idxd)
{
	union gensts_reg gensts;

	gensts.bits = ioread32(idxd->reg_base + IDXD_GENSTATS_OFFSET);
	return gensts.state == IDXD_DEVICE_STATE_HALT;
}

/* Poll @desc's record until @deadline; sleep between checks if allowed */
static bool iaa_fence_poll(struct idxd_desc *desc, u64 deadline,
			   bool may_sleep)
{
	while (!READ_ONCE(desc->iax_completion->status)) {
		if (ktime_get_ns() > deadline)
			return false;
		if (may_sleep)
			usleep_range(10, 50);
		else
			udelay(1);
	}
	return true;
}

/* Step 1: whether a Drain descriptor behind everything on @q completed */
static bool iaa_queue_drain(struct iaa_queue *q, bool may_sleep)
{
	u64 deadline = ktime_get_ns() + IAA_FENCE_TIMEOUTS * iaa_timeout_ns();
	struct idxd_desc *desc;
	bool drained;

	/* The wq may be full of work: wait for a descriptor, within bounds */
	for (;;) {
		desc = idxd_alloc_desc(q->wq, IDXD_OP_NONBLOCK);
		if (!IS_ERR(desc))
			break;
		if (PTR_ERR(desc) != -EAGAIN || ktime_get_ns() > deadline)
			return false;
		if (may_sleep)
			usleep_range(10, 50);
		else
			udelay(1);
	}

	/* A record and nothing else: a drain writes no memory of its own */
	desc->iax_hw->opcode = IAX_OPCODE_DRAIN;
	desc->iax_hw->flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
	desc->iax_hw->completion_addr = desc->compl_dma;
	if (idxd_submit_desc(q->wq, desc)) {
		idxd_free_desc(q->wq, desc);
		return false;
	}
	if (!iaa_fence_poll(desc, deadline, may_sleep))
		return false;	/* the device may still write its record */
	/* Only a drain that succeeded says everything ahead of it is done */
	drained = desc->iax_completion->status == IAX_COMP_SUCCESS;
	idxd_free_desc(q->wq, desc);
	return drained;
}

/**
 * iaa_req_fence - make sure the device is done with @r's destination
 * @r: a request whose descriptor was given up on by timeout
 * @may_sleep: the caller allows sleeping while waiting for the drain
 *
 * On return the device can no longer write @r's destination, unless it
 * hung: then the kernel log says so.
 */
void iaa_req_fence(struct iaa_req *r, bool may_sleep)
{
	struct iaa_queue *q = r->queue;
	struct idxd_device *idxd = q->wq->idxd;

	/* Late writes of a bounced destination, or of a verify, harm no one */
	if (r->dst.bounced || r->op == IAA_OP_VERIFY || IAA_TEST_NO_DRAIN)
		return;
	if (test_bit(IAA_ACCEL_HUNG, &q->accel->flags))
		return;

	if (iaa_queue_drain(q, may_sleep))
		return;

	if (iaa_device_halted(idxd)) {
		dev_err(wq_confdev(q->wq),
			"no drain after a timeout: device halted, it writes nothing until reset\n");
		return;
	}

	set_bit(IAA_ACCEL_HUNG, &q->accel->flags);
	dev_crit(wq_confdev(q->wq),
		 "device completes nothing, not even a drain: it may still write %u bytes at %pad; reset it\n",
		 r->dst.len, &r->dst.dma);
}
