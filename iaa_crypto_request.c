// SPDX-License-Identifier: GPL-2.0
/*
 * A request's whole life on the device, in one place: putting it on the
 * device, noticing that it finished, and its end.
 *
 * Putting it on the device and noticing that it finished.
 *
 * Submission formats the descriptor, publishes the request in its slot and
 * writes the descriptor to the wq portal. How the end is noticed depends on
 * the transform's mode, but every way ends in iaa_req_done():
 *
 *   sync	the submitter polls the completion record, up to the timeout.
 *		A submitter that may not sleep spins for at most
 *		iaa_wait_ns(false); if it gave a callback, for only
 *		IAA_HANDOVER_SPIN_NS, after which the poller takes the request
 *		over as in async mode (iaa_req_hand_over()). A request without
 *		a callback is always in this mode (iaa_crypto_alg.c);
 *   async	the request waits on the wq's pending list; the wq's poller
 *		work item polls the records of everything pending there;
 *   async_irq	the descriptor asks for an interrupt; idxd's wq interrupt
 *		thread hands it to iaa_irq_desc_complete(). The poller then
 *		only acts as a watchdog for requests past their deadline: one
 *		whose record is written missed its interrupt and completes from
 *		the record (a verify stage, which would need the descriptor idxd
 *		still holds, ends as a timeout); the others timed out.
 *
 * The verify stage of a compress is always polled by whoever noticed the
 * end of the compress (submitter, poller or interrupt thread), right after
 * submitting it: it costs about one more device operation, less than another
 * interrupt or poller round trip.
 *
 * Whoever takes an asynchronous request off the pending list (under the
 * wq's lock) completes it, so a completion racing with the watchdog is
 * handled exactly once. A descriptor given up on by timeout is never
 * reused: it may still be in the device (iaa_crypto_fence.c keeps its late
 * writes out of the caller's memory).
 *
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
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sched/clock.h>
#include <linux/string.h>

#include "iaa_crypto.h"
#include "iaa_crypto_desc.h"

/* The end of a request (below), which every way of noticing it reaches */
static int iaa_req_done(struct iaa_req *r, int forced_err);
static int iaa_req_software(struct iaa_req *r);
static int iaa_req_finish(struct iaa_req *r, int err);

/*
 * A caller that may not sleep but gave a callback spins this long for its
 * descriptor, then hands the request to the wq's poller (see
 * iaa_req_hand_over()).
 */
#define IAA_HANDOVER_SPIN_NS	(2 * NSEC_PER_MSEC)
/* Poller pacing while requests without interrupt are pending */
#define IAA_POLL_SLEEP_MIN_US	5
#define IAA_POLL_SLEEP_MAX_US	20
/* Inline polling reads the clock only once per this many record checks */
#define IAA_POLL_CLOCK_EVERY	1024

static struct iaa_slot *iaa_req_slot(struct iaa_req *r)
{
	return &r->queue->slots[r->desc->id];
}

static bool iaa_desc_finished(struct idxd_desc *desc)
{
	return READ_ONCE(desc->iax_completion->status) != 0;
}

/* Whether the current stage of @r is polled by the code that submits it */
static bool iaa_req_inline(const struct iaa_req *r)
{
	return r->mode == IAA_WAIT_SYNC || r->chained;
}

static void iaa_desc_build(struct iaa_req *r)
{
	struct idxd_desc *desc = r->desc;
	struct iax_hw_desc *hw = desc->iax_hw;

	/*
	 * idxd_alloc_desc() hands out a cleared descriptor and record; only
	 * a later stage has to start clean again.
	 */
	if (r->chained) {
		u32 pasid = hw->pasid;

		memset(hw, 0, sizeof(*hw));
		hw->pasid = pasid;
		memset(desc->iax_completion, 0,
		       sizeof(*desc->iax_completion));
	}

	switch (r->op) {
	case IAA_OP_STATS:
		iaa_desc_set_stats(hw, r->src.dma, r->src.len,
				   iaa_dyn_stats_dma(iaa_req_slot(r)));
		break;
	case IAA_OP_COMPRESS:
		iaa_desc_set_compress(hw, r->src.dma, r->src.len,
				      r->dst.dma, r->dst.len,
				      r->dyn_aecs ?
				      iaa_dyn_aecs_dma(iaa_req_slot(r)) :
				      r->queue->accel->aecs_dma);
		break;
	case IAA_OP_DECOMPRESS:
		iaa_desc_set_decompress(hw, r->src.dma, r->src.len,
					r->dst.dma, r->dst.len, false);
		break;
	case IAA_OP_VERIFY:
		/* Decode our own output; the source is never written */
		iaa_desc_set_decompress(hw, r->dst.dma, r->comp_len,
					r->src.dma, r->src.len, true);
		break;
	}
	iaa_desc_set_completion(hw, desc->compl_dma,
				!iaa_req_inline(r) && r->mode == IAA_WAIT_IRQ);
}

/**
 * iaa_req_launch - submit the current stage of @r to its wq
 * @r: request owning a descriptor of r->queue, buffers mapped
 *
 * An asynchronous request is on the wq's pending list, with its slot
 * pointing at it, before the portal write; its deadline is armed only once
 * the device has it. Everyone who takes a request off the list does so under
 * q->lock, so "on the list" and "slot points at it" always go together.
 * A stage polled inline (sync mode, verify) is not on the list: its poller
 * keeps the deadline.
 *
 * Return: 0 once submitted (an asynchronous request may then complete at any
 * moment), or an error with the descriptor still owned by @r.
 */
static int iaa_req_launch(struct iaa_req *r)
{
	bool polled = r->mode == IAA_WAIT_ASYNC;
	struct iaa_slot *slot = iaa_req_slot(r);
	struct iaa_queue *q = r->queue;
	struct idxd_desc *desc = r->desc;
	unsigned long flags;
	int ret;

	iaa_desc_build(r);
	r->desc_owned = true;
	if (iaa_latency_stats_on())
		r->stage_ns = local_clock();

	if (iaa_req_inline(r))
		return idxd_submit_desc(q->wq, desc);

	/*
	 * The deadline counts from before the portal write: set afterwards, it
	 * would need the lock a second time, against a completion racing it
	 */
	r->deadline_ns = ktime_get_ns() + iaa_timeout_ns();
	r->polled = polled;
	/* @q must outlive a completion of @r racing with the code below */
	percpu_ref_get(&q->ref);

	spin_lock_irqsave(&q->lock, flags);
	slot->owner = r;
	list_add_tail(&r->pending_link, &q->pending);
	q->nr_polled += polled;
	spin_unlock_irqrestore(&q->lock, flags);
	if (polled)
		mod_delayed_work(iaa_poll_wq, &q->poll, 0);

	ret = idxd_submit_desc(q->wq, desc);

	if (ret) {
		spin_lock_irqsave(&q->lock, flags);
		if (slot->owner == r) {
			slot->owner = NULL;
			list_del(&r->pending_link);
			q->nr_polled -= polled;
		}
		spin_unlock_irqrestore(&q->lock, flags);
	}

	if (!ret && !polled)
		queue_delayed_work(iaa_poll_wq, &q->poll,
				   nsecs_to_jiffies(iaa_timeout_ns()) + 1);
	percpu_ref_put(&q->ref);
	return ret;
}

/* End of the hardware part of @r: descriptor, load and wq reference */
static void iaa_req_release_hw(struct iaa_req *r)
{
	struct iaa_queue *q = r->queue;

	if (r->irq_missed) {
		struct iaa_slot *slot = iaa_req_slot(r);
		unsigned long flags;

		/* Recycle it here if idxd handed it back meanwhile */
		spin_lock_irqsave(&q->lock, flags);
		slot->claimed = false;
		r->desc_owned = slot->returned;
		slot->returned = false;
		spin_unlock_irqrestore(&q->lock, flags);
		r->irq_missed = false;
	}
	if (r->desc_owned)
		idxd_free_desc(q->wq, r->desc);
	r->desc = NULL;
	r->queue = NULL;
	atomic_dec(&q->inflight);
	iaa_queue_put(q);
}

/*
 * Spin on the completion record of a stage polled inline: at most for the
 * request timeout if the caller may sleep (then rescheduling now and then),
 * and at most for iaa_wait_ns(false) if it may not - it may be spinning with
 * preemption off. The clock is read only every IAA_POLL_CLOCK_EVERY checks,
 * and the timeout counts from the first reading, a few checks after the
 * submission.
 */
static int iaa_desc_poll_for(struct iaa_req *r, u64 wait_ns, bool may_sleep)
{
	unsigned int spins = 0;
	u64 now, deadline = 0;

	while (!iaa_desc_finished(r->desc)) {
		if (++spins % IAA_POLL_CLOCK_EVERY) {
			cpu_relax();
			continue;
		}
		now = ktime_get_ns();
		if (!deadline)
			deadline = now + wait_ns;
		else if (now > deadline)
			/* a last look: the record may have come meanwhile */
			return iaa_desc_finished(r->desc) ? 0 : -ETIMEDOUT;
		if (may_sleep)
			cond_resched();
	}
	return 0;
}

static int iaa_desc_poll(struct iaa_req *r, bool may_sleep)
{
	return iaa_desc_poll_for(r, iaa_wait_ns(may_sleep), may_sleep);
}

/*
 * The device is slow for a caller that spins with preemption possibly off
 * but can take a callback (zswap): the wq's poller, which may sleep and is
 * not tied to this CPU, takes the request over as if it had been submitted
 * in async mode, with what is left of timeout_ms, and completes it through
 * the callback. A slow device then costs the caller a short spin, and the
 * request still gets the whole timeout before it counts as timed out.
 */
static int iaa_req_hand_over(struct iaa_req *r, u64 spun_ns)
{
	struct iaa_slot *slot = iaa_req_slot(r);
	struct iaa_queue *q = r->queue;
	u64 tmo = iaa_timeout_ns();
	unsigned long flags;

	r->async = true;
	r->polled = true;
	r->deadline_ns = ktime_get_ns() + (tmo > spun_ns ? tmo - spun_ns : 0);
	iaa_stat_inc(IAA_STAT_HANDED_OVER);
	/* @q must outlive a completion of @r racing with the code below */
	percpu_ref_get(&q->ref);
	spin_lock_irqsave(&q->lock, flags);
	slot->owner = r;
	list_add_tail(&r->pending_link, &q->pending);
	q->nr_polled++;
	spin_unlock_irqrestore(&q->lock, flags);
	/* @r may be complete and gone from here on */
	mod_delayed_work(iaa_poll_wq, &q->poll, 0);
	percpu_ref_put(&q->ref);
	return -EINPROGRESS;
}

/*
 * Poll the stage of @r just submitted: for a caller that may not sleep but
 * has a callback, only briefly before the poller takes it over.
 *
 * Return: 0 or -ETIMEDOUT, with r->desc_owned set accordingly, or
 * -EINPROGRESS once handed over (@r may then be gone).
 */
static int iaa_req_poll_stage(struct iaa_req *r, bool may_sleep)
{
	int err;

	if (!may_sleep && r->areq->base.complete) {
		err = iaa_desc_poll_for(r, IAA_HANDOVER_SPIN_NS, false);
		if (err)
			return iaa_req_hand_over(r, IAA_HANDOVER_SPIN_NS);
	} else {
		err = iaa_desc_poll(r, may_sleep);
	}
	r->desc_owned = !err;
	return err;
}

/**
 * iaa_req_settle - finish @r after the end of its current stage
 * @r: the request
 * @err: as for iaa_req_done()
 * @may_sleep: the caller allows rescheduling while polling
 *
 * A further stage (verify) is polled here, right after its submission, for
 * at most iaa_wait_ns(@may_sleep); for a caller that may not sleep but has
 * a callback, for IAA_HANDOVER_SPIN_NS, then the poller takes it over.
 *
 * Return: the final result of @r, or -EINPROGRESS once handed over. An
 * asynchronous request has been completed (or will be) through its
 * callback and must not be touched any more.
 */
static int iaa_req_settle(struct iaa_req *r, int err, bool may_sleep)
{
	int ret;

	for (;;) {
		/* Any stage that timed out, a later one too (dynamic compress) */
		if (err == -ETIMEDOUT)
			iaa_req_fence(r, may_sleep);
		ret = iaa_req_done(r, err);
		if (ret != -EINPROGRESS)
			return ret;
		err = iaa_req_poll_stage(r, may_sleep);
		if (err == -EINPROGRESS)
			return err;
	}
}

static int iaa_req_wait_sync(struct iaa_req *r, bool may_sleep)
{
	int err = iaa_req_poll_stage(r, may_sleep);

	if (err == -EINPROGRESS)
		return err;
	return iaa_req_settle(r, err, may_sleep);
}

/**
 * iaa_req_execute - run a validated request, on the device if possible
 * @r: the request
 *
 * Return: the result, or -EINPROGRESS when it will be completed through the
 * request's callback.
 */
int iaa_req_execute(struct iaa_req *r)
{
	bool may_sleep = r->areq->base.flags & CRYPTO_TFM_REQ_MAY_SLEEP;
	enum iaa_wait_mode mode = r->mode;
	struct idxd_desc *desc;
	int ret;

	if (!iaa_req_fits_device(r))
		return iaa_req_software(r);

	r->queue = iaa_wq_table_get(&desc, may_sleep);
	if (!r->queue)
		return iaa_req_software(r);
	r->desc = desc;
	r->desc_owned = true;

	ret = iaa_req_map(r);
	if (ret)
		goto software;

	r->async = mode != IAA_WAIT_SYNC;
	ret = iaa_req_launch(r);
	if (!ret) {
		/* An async request may be complete and gone already */
		if (mode != IAA_WAIT_SYNC)
			return -EINPROGRESS;
		return iaa_req_wait_sync(r, may_sleep);
	}
	r->async = false;
	iaa_req_unmap(r, false, 0);
software:
	iaa_req_release_hw(r);
	return iaa_req_software(r);
}

/*
 * Take every request of @q that can be completed now off the pending list:
 * polled ones whose record is written, and any past its deadline.
 */
static unsigned int iaa_queue_reap(struct iaa_queue *q, struct list_head *done,
				   unsigned int *nr_polled, u64 *next_deadline)
{
	struct iaa_req *r, *tmp;
	unsigned int reaped = 0;
	unsigned long flags;
	u64 now = ktime_get_ns();

	*next_deadline = U64_MAX;

	spin_lock_irqsave(&q->lock, flags);
	list_for_each_entry_safe(r, tmp, &q->pending, pending_link) {
		bool finished = iaa_desc_finished(r->desc);

		if (!(finished && r->polled) && now < r->deadline_ns) {
			*next_deadline = min(*next_deadline, r->deadline_ns);
			continue;
		}

		iaa_req_slot(r)->owner = NULL;
		iaa_req_slot(r)->claimed = finished && !r->polled;
		list_move_tail(&r->pending_link, done);
		q->nr_polled -= r->polled;
		/*
		 * Past its deadline with its record written, a descriptor
		 * that asked for an interrupt lost it (or the interrupt is
		 * very late): its result stands, but idxd still tracks the
		 * descriptor and recycles it when it handles it.
		 */
		r->expired = !finished;
		r->desc_owned = finished && r->polled;
		r->irq_missed = finished && !r->polled;
		reaped++;
	}
	*nr_polled = q->nr_polled;
	spin_unlock_irqrestore(&q->lock, flags);

	return reaped;
}

/* The per-wq poller (async) and deadline watchdog (async and async_irq) */
void iaa_queue_poll_fn(struct work_struct *work)
{
	struct iaa_queue *q = container_of(to_delayed_work(work),
					   struct iaa_queue, poll);
	unsigned int reaped, nr_polled;
	struct iaa_req *r, *tmp;
	u64 next;

	for (;;) {
		LIST_HEAD(done);

		reaped = iaa_queue_reap(q, &done, &nr_polled, &next);

		list_for_each_entry_safe(r, tmp, &done, pending_link) {
			list_del(&r->pending_link);
			if (r->irq_missed)
				dev_warn_ratelimited(wq_confdev(q->wq),
						     "descriptor completed without its interrupt within %llu ms\n",
						     div_u64(iaa_timeout_ns(), NSEC_PER_MSEC));
			iaa_req_settle(r, r->expired ? -ETIMEDOUT : 0, true);
		}

		if (nr_polled) {
			if (reaped)
				cond_resched();
			else
				usleep_range(IAA_POLL_SLEEP_MIN_US,
					     IAA_POLL_SLEEP_MAX_US);
			continue;
		}

		/* Only interrupt-driven requests left: wake at the next deadline */
		if (next != U64_MAX) {
			u64 now = ktime_get_ns();

			queue_delayed_work(iaa_poll_wq, &q->poll,
					   nsecs_to_jiffies(next > now ? next - now : 0) + 1);
		}
		return;
	}
}

/*
 * idxd's desc_complete hook: a descriptor submitted with an interrupt request
 * completed, or idxd aborted it. @free_desc tells whether the descriptor is
 * ours to free.
 */
void iaa_irq_desc_complete(struct idxd_desc *desc,
			   enum idxd_complete_type type, bool free_desc,
			   void *ctx, u32 *status)
{
	struct iaa_queue *q = idxd_wq_get_private(desc->wq);
	struct iaa_req *r = NULL;
	struct iaa_slot *slot;
	unsigned long flags;

	if (q) {
		slot = &q->slots[desc->id];
		spin_lock_irqsave(&q->lock, flags);
		r = slot->owner;
		if (r) {
			slot->owner = NULL;
			list_del(&r->pending_link);
			q->nr_polled -= r->polled;
		} else if (slot->claimed) {
			/* The watchdog still completes a request from it */
			slot->returned = free_desc;
			free_desc = false;
		}
		spin_unlock_irqrestore(&q->lock, flags);
	}
	if (!r) {
		/* Given up on by the watchdog earlier: just recycle it */
		if (free_desc)
			idxd_free_desc(desc->wq, desc);
		return;
	}

	/* From idxd's wq interrupt thread or one of its work items */
	r->desc_owned = free_desc;
	iaa_req_settle(r, type == IDXD_COMPLETE_ABORT ? -ECANCELED : 0, false);
}

/*
 * A descriptor of @q did not complete in time. The device may still be
 * working on it, so the descriptor is never reused; the wq leaves the table
 * until an administrator rebinds it, which resets it.
 */
static void iaa_queue_quarantine(struct iaa_queue *q)
{
	u64 ms = div_u64(iaa_wait_ns(true), NSEC_PER_MSEC);
	u64 atomic_ms = div_u64(iaa_wait_ns(false), NSEC_PER_MSEC);

	if (test_and_set_bit(IAA_QUEUE_BROKEN, &q->flags))
		return;

	/* A caller that cannot sleep waits for less than timeout_ms */
	if (atomic_ms < ms)
		dev_err(wq_confdev(q->wq),
			"descriptor not completed in %llu ms (%llu ms for a caller that cannot sleep): wq out of service until rebound\n",
			ms, atomic_ms);
	else
		dev_err(wq_confdev(q->wq),
			"descriptor not completed in %llu ms: wq out of service until rebound\n",
			ms);
	iaa_wq_table_rebuild_async();
}

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
static int iaa_req_finish(struct iaa_req *r, int err)
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
static int iaa_req_software(struct iaa_req *r)
{
	int err;

	if (r->op == IAA_OP_DECOMPRESS)
		err = iaa_sw_decompress(r->areq);
	else
		err = iaa_sw_compress(r->areq);

	return iaa_req_finish(r, err);
}

/*
 * Go on with stage @op on the same descriptor, polled inline by whoever
 * noticed the end of the last one
 */
static int iaa_req_chain(struct iaa_req *r, enum iaa_op op)
{
	/* A descriptor idxd still holds (interrupt missed) cannot be reused */
	if (!r->desc_owned)
		return -ETIMEDOUT;

	r->op = op;
	r->chained = true;
	return iaa_req_launch(r);
}

/* The compress worked; check it by decoding it on the device */
static int iaa_req_start_verify(struct iaa_req *r,
				const struct iax_completion_record *cr)
{
	r->crc = cr->crc;
	r->comp_len = cr->output_size;
	return iaa_req_chain(r, IAA_OP_VERIFY);
}

/* Time spent in the stage that just ended, when latency_stats is on */
static void iaa_req_stage_time(struct iaa_req *r, enum iaa_stat stat)
{
	if (iaa_latency_stats_on() && r->stage_ns)
		iaa_stat_add(stat, local_clock() - r->stage_ns);
}

/*
 * The statistics of a dynamic compress are in: go on with the block they
 * call for. Return: -EINPROGRESS once its compress is submitted, 1 for stored
 * blocks, or an error.
 */
static int iaa_req_stats_done(struct iaa_req *r)
{
	iaa_req_stage_time(r, IAA_STAT_DYN_PASS1_NS);
	switch (iaa_dyn_plan(iaa_req_slot(r), r->queue->accel->aecs,
			     r->src.len, r->dst.len)) {
	case IAA_DYN_DYNAMIC:
		r->dyn_aecs = true;
		fallthrough;
	case IAA_DYN_FIXED:
		return iaa_req_chain(r, IAA_OP_COMPRESS) ?: -EINPROGRESS;
	case IAA_DYN_STORED:
		return 1;
	default:
		return -ENOSPC;
	}
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
static int iaa_req_done(struct iaa_req *r, int forced_err)
{
	const struct iax_completion_record *cr = r->desc->iax_completion;
	const struct iaa_status_info *info = NULL;
	struct acomp_req *areq = r->areq;
	struct iaa_queue *q = r->queue;
	unsigned int out = 0;
	int err = forced_err;
	bool store = false;

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
	case IAA_OP_STATS:
		if (err)
			break;
		err = iaa_req_stats_done(r);
		if (err == -EINPROGRESS)
			return err;
		store = err == 1;
		if (err == -ETIMEDOUT)
			iaa_stat_inc(IAA_STAT_ERR_TIMEOUT);
		else if (err < 0 && err != -ENOSPC)
			err = -EIO;
		if (store)
			err = 0;
		break;
	case IAA_OP_COMPRESS:
		if (r->dynamic)
			iaa_req_stage_time(r, IAA_STAT_DYN_PASS2_NS);
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

	iaa_req_unmap(r, !err && !store, out);
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
	/* Stored blocks need no device: the CPU copies */
	if (store)
		err = iaa_dyn_store(areq);

	return iaa_req_finish(r, err);
}
