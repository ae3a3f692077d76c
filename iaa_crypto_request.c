// SPDX-License-Identifier: GPL-2.0
/*
 * A request's whole life on the device, in one place: putting it on the
 * device, noticing that it finished, and its end.
 *
 * Putting it on the device and noticing that it finished.
 *
 * Submission formats the descriptor of the request's slot, publishes the
 * request in the slot's state word and writes the descriptor to the wq
 * portal. How the end is noticed depends on the transform's mode, but every
 * way ends in iaa_req_done():
 *
 *   sync	the submitter polls the completion record, up to the timeout.
 *		A submitter that may not sleep spins for at most
 *		iaa_wait_ns(false); if it gave a callback, for only
 *		IAA_HANDOVER_SPIN_NS, after which the poller takes the request
 *		over as in async mode (iaa_req_hand_over()). A request without
 *		a callback is always in this mode (iaa_crypto_alg.c);
 *   async	the wq's poller scans the records of the slots in
 *		IAA_SLOT_POLLED (those marked in q->polled, a hint set before
 *		the state and cleared by whoever takes the slot out of it),
 *		spinning while requests keep ending, for IAA_POLL_SPIN_NS after
 *		the last one, then sleeping between scans;
 *   async_irq	the descriptor asks for an interrupt; idxd's wq interrupt
 *		thread hands it to iaa_irq_desc_complete(). The wq's watchdog
 *		ends requests past their deadline: one whose record is written
 *		missed its interrupt and completes from the record (a verify
 *		stage, which would need the descriptor idxd still holds, ends as
 *		a timeout); the others timed out.
 *
 * A later stage of the same request (the verify of a compress, the compress
 * after a dynamic compress's statistics) goes on the same descriptor. In
 * async mode it goes back to the poller like the first stage, so that with
 * many requests in flight it overlaps the others. Otherwise whoever noticed
 * the end of the stage before (submitter, poller or interrupt thread) polls
 * it, right after submitting it: it costs about one more device operation,
 * less than another interrupt.
 *
 * The state word. Each slot (one descriptor, iaa_crypto_slot.c) has one, and
 * it alone says who may touch the slot and its request. An arrow marked
 * "cas" is a compare-and-exchange, because another thread may take another
 * arrow from the same state; the others are made by the slot's only owner.
 * The word also counts the slot's uses, so a compare-and-exchange based on
 * a reading of an earlier use fails.
 *
 *   FREE     -> BUSY      the submitter, taking the slot (iaa_slot_get())
 *   BUSY     -> POLLED    the submitter (async), or a sync submitter handing
 *                         the request over to the poller
 *   BUSY     -> IRQ       the submitter (async_irq)
 *   POLLED   -> BUSY      the poller: record written or deadline past  (cas)
 *   IRQ      -> BUSY      idxd's interrupt thread                      (cas)
 *   IRQ      -> HELD      the watchdog, past the deadline              (cas)
 *   POLLED, IRQ -> BUSY   the submitter, when the portal write failed  (cas)
 *   HELD     -> RETURNED  idxd's interrupt thread, late                (cas)
 *   HELD     -> ORPHAN    the request's end                            (cas)
 *   ORPHAN   -> FREE      idxd's interrupt thread, late                (cas)
 *   BUSY, RETURNED -> FREE  the request's end
 *   BUSY     -> LOST      the request's end after a timeout: the device may
 *                         still run the descriptor, which is never reused
 *
 * Whoever moves a slot to BUSY or HELD ends its request, so a completion
 * racing with the watchdog is handled exactly once, and nobody takes a lock
 * on the way. iaa_crypto_fence.c keeps the late writes of a descriptor given
 * up on by timeout out of the caller's memory.
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
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sched/clock.h>
#include <linux/string.h>

#include "iaa_crypto.h"
#include "iaa_crypto_desc.h"

/* iaa_req_done(): a further stage of the request is on the device, to poll */
#define IAA_REQ_NEXT_STAGE	1

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
/*
 * The poller keeps scanning this long after the last request it ended, then
 * sleeps between scans: a caller that submits its next request from the
 * callback of the last one waits for the device, not for a timer.
 */
#define IAA_POLL_SPIN_NS	(20 * NSEC_PER_USEC)
#define IAA_POLL_SLEEP_MIN_US	5
#define IAA_POLL_SLEEP_MAX_US	20
/* Inline polling reads the clock only once per this many record checks */
#define IAA_POLL_CLOCK_EVERY	1024

static enum iaa_slot_state iaa_slot_st(u32 word)
{
	return FIELD_GET(IAA_SLOT_STATE, word);
}

/* @word, the same use of its slot, in state @st */
static u32 iaa_slot_word(u32 word, enum iaa_slot_state st)
{
	return (word & IAA_SLOT_GEN) | st;
}

/* Move @slot from @seen, as read, to @st: false if someone moved it first */
static bool iaa_slot_move(struct iaa_slot *slot, u32 seen,
			  enum iaa_slot_state st)
{
	return atomic_cmpxchg(&slot->state, seen, iaa_slot_word(seen, st)) ==
	       seen;
}

/* Publish a slot its owner has, and everything written before, as @st */
static void iaa_slot_publish(struct iaa_slot *slot, enum iaa_slot_state st)
{
	atomic_set_release(&slot->state,
			   iaa_slot_word(atomic_read(&slot->state), st));
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

/*
 * Format the descriptor of @r's slot for its current stage. The slot keeps
 * the fields that never change (iaa_crypto_slot.c); every stage writes all
 * the others it uses, and clears the record.
 */
static void iaa_desc_build(struct iaa_req *r)
{
	struct idxd_desc *desc = r->slot->desc;
	struct iax_hw_desc *hw = desc->iax_hw;

	switch (r->op) {
	case IAA_OP_STATS:
		iaa_desc_set_stats(hw, r->src.dma, r->src.len,
				   iaa_dyn_stats_dma(r->slot));
		break;
	case IAA_OP_COMPRESS:
		iaa_desc_set_compress(hw, r->src.dma, r->src.len,
				      r->dst.dma, r->dst.len,
				      r->dyn_aecs ?
				      iaa_dyn_aecs_dma(r->slot) :
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
	iaa_desc_set_completion(hw,
				!iaa_req_inline(r) && r->mode == IAA_WAIT_IRQ);
	memset(desc->iax_completion, 0, sizeof(*desc->iax_completion));
}

/*
 * Make sure @q's poller scans soon: not needed while it runs, since it looks
 * once more after it says it stops.
 */
static void iaa_queue_kick(struct iaa_queue *q)
{
	/* The state word before @polling: pairs with iaa_queue_poll_fn() */
	smp_mb();
	if (!READ_ONCE(q->polling))
		queue_work(iaa_poll_wq, &q->poll);
}

/**
 * iaa_req_launch - submit the current stage of @r to its wq
 * @r: request owning a slot of r->queue (IAA_SLOT_BUSY), buffers mapped
 *
 * A stage polled inline (sync mode, verify) keeps its slot BUSY: nobody
 * else looks at it. Otherwise the slot goes to POLLED or IRQ, with its
 * deadline, before the portal write: from then on the poller, idxd's
 * interrupt thread or the watchdog may end @r at any moment.
 *
 * Return: 0 once submitted, or an error with the slot still BUSY (@r's).
 */
static int iaa_req_launch(struct iaa_req *r)
{
	struct iaa_slot *slot = r->slot;
	struct iaa_queue *q = r->queue;
	enum iaa_slot_state st;
	u32 word;
	int ret;

	iaa_desc_build(r);
	if (iaa_latency_stats_on())
		r->stage_ns = local_clock();

	if (iaa_req_inline(r))
		return idxd_submit_desc(q->wq, slot->desc);

	st = r->mode == IAA_WAIT_ASYNC ? IAA_SLOT_POLLED : IAA_SLOT_IRQ;
	slot->deadline_ns = ktime_get_ns() + iaa_timeout_ns();
	/* @q must outlive an end of @r racing with the code below */
	percpu_ref_get(&q->ref);
	word = iaa_slot_word(atomic_read(&slot->state), st);
	if (st == IAA_SLOT_POLLED)
		set_bit(slot - q->slots, q->polled);
	iaa_slot_publish(slot, st);

	ret = idxd_submit_desc(q->wq, slot->desc);
	if (ret) {
		/*
		 * Never on the device. Only a deadline, long past by now
		 * only if this thread was stalled, lets anyone else end it:
		 * then they do (a timeout).
		 */
		if (!iaa_slot_move(slot, word, IAA_SLOT_BUSY))
			ret = 0;
		else if (st == IAA_SLOT_POLLED)
			clear_bit(slot - q->slots, q->polled);
	} else if (st == IAA_SLOT_POLLED) {
		iaa_queue_kick(q);
	} else {
		queue_delayed_work(iaa_poll_wq, &q->watchdog,
				   nsecs_to_jiffies(iaa_timeout_ns()) + 1);
	}
	percpu_ref_put(&q->ref);
	return ret;
}

/*
 * End of the hardware part of @r: its slot, and its reference on the wq.
 * @lost: the slot's stage timed out, and the device may still run it.
 */
static void iaa_req_release_hw(struct iaa_req *r, bool lost)
{
	struct iaa_queue *q = r->queue;
	struct iaa_slot *slot = r->slot;
	u32 word = atomic_read(&slot->state);

	switch (iaa_slot_st(word)) {
	case IAA_SLOT_HELD:
		/* idxd hands the descriptor back later, or has just done so */
		if (iaa_slot_move(slot, word, IAA_SLOT_ORPHAN))
			break;
		iaa_slot_put(q, slot);
		break;
	case IAA_SLOT_RETURNED:
		iaa_slot_put(q, slot);
		break;
	default:
		if (lost)
			iaa_slot_lose(slot);
		else
			iaa_slot_put(q, slot);
		break;
	}
	r->slot = NULL;
	r->queue = NULL;
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
	struct idxd_desc *desc = r->slot->desc;
	unsigned int spins = 0;
	u64 now, deadline = 0;

	while (!iaa_desc_finished(desc)) {
		if (++spins % IAA_POLL_CLOCK_EVERY) {
			cpu_relax();
			continue;
		}
		now = ktime_get_ns();
		if (!deadline)
			deadline = now + wait_ns;
		else if (now > deadline)
			/* a last look: the record may have come meanwhile */
			return iaa_desc_finished(desc) ? 0 : -ETIMEDOUT;
		if (may_sleep)
			cond_resched();
	}
	return 0;
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
	struct iaa_slot *slot = r->slot;
	struct iaa_queue *q = r->queue;
	u64 tmo = iaa_timeout_ns();

	r->async = true;
	slot->deadline_ns = ktime_get_ns() + (tmo > spun_ns ? tmo - spun_ns : 0);
	iaa_stat_inc(IAA_STAT_HANDED_OVER);
	/* @q must outlive an end of @r racing with the code below */
	percpu_ref_get(&q->ref);
	set_bit(slot - q->slots, q->polled);
	iaa_slot_publish(slot, IAA_SLOT_POLLED);
	/* @r may be complete and gone from here on */
	iaa_queue_kick(q);
	percpu_ref_put(&q->ref);
	return -EINPROGRESS;
}

/*
 * Poll the stage of @r just submitted: for a caller that may not sleep but
 * has a callback, only briefly before the poller takes it over.
 *
 * Return: 0 or -ETIMEDOUT, or -EINPROGRESS once handed over (@r may then be
 * gone).
 */
static int iaa_req_poll_stage(struct iaa_req *r, bool may_sleep)
{
	if (!may_sleep && r->areq->base.complete) {
		if (iaa_desc_poll_for(r, IAA_HANDOVER_SPIN_NS, false))
			return iaa_req_hand_over(r, IAA_HANDOVER_SPIN_NS);
		return 0;
	}
	return iaa_desc_poll_for(r, iaa_wait_ns(may_sleep), may_sleep);
}

/**
 * iaa_req_settle - finish @r after the end of its current stage
 * @r: the request, its slot BUSY or HELD for the caller
 * @err: as for iaa_req_done()
 * @may_sleep: the caller allows rescheduling while polling
 *
 * A further stage not left to the poller is polled here, right after its
 * submission, for at most iaa_wait_ns(@may_sleep); for a caller that may not
 * sleep but has a callback, for IAA_HANDOVER_SPIN_NS, then the poller takes
 * it over.
 *
 * Return: the final result of @r, or -EINPROGRESS once the poller has it. An
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
		if (ret != IAA_REQ_NEXT_STAGE)
			return ret;
		err = iaa_req_poll_stage(r, may_sleep);
		if (err == -EINPROGRESS)
			return err;
	}
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
	int ret;

	if (!iaa_req_fits_device(r))
		return iaa_req_software(r);

	r->queue = iaa_wq_table_get(&r->slot, may_sleep);
	if (!r->queue)
		return iaa_req_software(r);
	r->slot->req = r;

	ret = iaa_req_map(r);
	if (ret)
		goto software;

	r->async = mode != IAA_WAIT_SYNC;
	ret = iaa_req_launch(r);
	if (!ret) {
		/* An async request may be complete and gone already */
		if (mode != IAA_WAIT_SYNC)
			return -EINPROGRESS;
		ret = iaa_req_poll_stage(r, may_sleep);
		if (ret == -EINPROGRESS)
			return ret;
		return iaa_req_settle(r, ret, may_sleep);
	}
	r->async = false;
	iaa_req_unmap(r, false, 0);
software:
	iaa_req_release_hw(r, false);
	return iaa_req_software(r);
}

/*
 * End every request of @q whose slot is in @st and can be ended now: in
 * POLLED, those whose record is written; in either, those past their
 * deadline, which for IRQ means the watchdog takes them (HELD).
 *
 * Return: how many ended; *@left: how many stay in @st, *@next: the earliest
 * deadline among those.
 */
static unsigned int iaa_queue_scan(struct iaa_queue *q, enum iaa_slot_state st,
				   unsigned int *left, u64 *next)
{
	bool polled = st == IAA_SLOT_POLLED;
	unsigned int i, ended = 0;
	u64 now = 0;

	*left = 0;
	*next = U64_MAX;
	for (i = polled ? find_first_bit(q->polled, q->nr_slots) : 0;
	     i < q->nr_slots;
	     i = polled ? find_next_bit(q->polled, q->nr_slots, i + 1) : i + 1) {
		struct iaa_slot *slot = &q->slots[i];
		u32 word = atomic_read_acquire(&slot->state);
		u64 deadline;
		bool finished;

		if (iaa_slot_st(word) != st) {
			/* marked before its state is: it may be next time */
			*left += polled;
			continue;
		}
		/* Of this use of the slot, unless the exchange below fails */
		finished = iaa_desc_finished(slot->desc);
		deadline = READ_ONCE(slot->deadline_ns);
		if (!finished || !polled) {
			if (!now)
				now = ktime_get_ns();
			if (now < deadline) {
				(*left)++;
				*next = min(*next, deadline);
				continue;
			}
		}

		if (!iaa_slot_move(slot, word, polled ? IAA_SLOT_BUSY :
						       IAA_SLOT_HELD))
			continue;	/* ended by someone else */
		if (polled)
			clear_bit(i, q->polled);
		ended++;
		/*
		 * Past its deadline with its record written, a descriptor that
		 * asked for an interrupt lost it (or the interrupt is very
		 * late): its result stands.
		 */
		if (finished && st == IAA_SLOT_IRQ)
			dev_warn_ratelimited(wq_confdev(q->wq),
					     "descriptor completed without its interrupt within %llu ms\n",
					     div_u64(iaa_timeout_ns(), NSEC_PER_MSEC));
		iaa_req_settle(slot->req, finished ? 0 : -ETIMEDOUT, true);
	}
	return ended;
}

/* The per-wq poller: ends the requests in POLLED (async mode) */
void iaa_queue_poll_fn(struct work_struct *work)
{
	struct iaa_queue *q = container_of(work, struct iaa_queue, poll);
	unsigned int left;
	u64 next, idle_since = 0;

	WRITE_ONCE(q->polling, true);
	for (;;) {
		if (iaa_queue_scan(q, IAA_SLOT_POLLED, &left, &next)) {
			idle_since = 0;
			cond_resched();
			continue;
		}
		if (!left) {
			WRITE_ONCE(q->polling, false);
			/* @polling before the states: pairs with iaa_queue_kick() */
			smp_mb();
			if (bitmap_empty(q->polled, q->nr_slots))
				return;
			WRITE_ONCE(q->polling, true);
			continue;
		}
		if (!idle_since)
			idle_since = ktime_get_ns();
		if (ktime_get_ns() - idle_since < IAA_POLL_SPIN_NS)
			cpu_relax();
		else
			usleep_range(IAA_POLL_SLEEP_MIN_US,
				     IAA_POLL_SLEEP_MAX_US);
	}
}

/* The per-wq watchdog: ends the requests in IRQ past their deadline */
void iaa_queue_watchdog_fn(struct work_struct *work)
{
	struct iaa_queue *q = container_of(to_delayed_work(work),
					   struct iaa_queue, watchdog);
	unsigned int left;
	u64 next, now;

	iaa_queue_scan(q, IAA_SLOT_IRQ, &left, &next);
	if (!left)
		return;
	now = ktime_get_ns();
	queue_delayed_work(iaa_poll_wq, &q->watchdog,
			   nsecs_to_jiffies(next > now ? next - now : 0) + 1);
}

/*
 * idxd's desc_complete hook: a descriptor submitted with an interrupt request
 * completed, or idxd aborted it. Every descriptor of the wq is the driver's
 * from bind to unbind, so @free_desc says nothing the state word does not.
 */
void iaa_irq_desc_complete(struct idxd_desc *desc,
			   enum idxd_complete_type type, bool free_desc,
			   void *ctx, u32 *status)
{
	struct iaa_queue *q = idxd_wq_get_private(desc->wq);
	struct iaa_slot *slot;
	u32 word;

	if (!q)
		return;
	slot = &q->slots[desc->id];
	for (;;) {
		word = atomic_read(&slot->state);
		switch (iaa_slot_st(word)) {
		case IAA_SLOT_IRQ:
			if (!iaa_slot_move(slot, word, IAA_SLOT_BUSY))
				continue;
			/* From idxd's wq interrupt thread or one of its works */
			iaa_req_settle(slot->req, type == IDXD_COMPLETE_ABORT ?
					       -ECANCELED : 0, false);
			return;
		case IAA_SLOT_HELD:
			/* The watchdog is ending its request */
			if (!iaa_slot_move(slot, word, IAA_SLOT_RETURNED))
				continue;
			return;
		case IAA_SLOT_ORPHAN:
			/* Given up on earlier: back into use */
			if (!iaa_slot_move(slot, word, IAA_SLOT_BUSY))
				continue;
			iaa_slot_put(q, slot);
			return;
		default:
			/* Nothing of ours waits for it */
			return;
		}
	}
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
 * Go on with stage @op on the same descriptor: in async mode through the
 * poller, otherwise polled by whoever noticed the end of the last one.
 * Return: 0 when it is to be polled, -EINPROGRESS once the poller has it
 * (@r may then be gone), or an error.
 */
static int iaa_req_chain(struct iaa_req *r, enum iaa_op op)
{
	bool inline_stage = r->mode != IAA_WAIT_ASYNC;
	int ret;

	/* A descriptor idxd still holds (interrupt missed) cannot be reused */
	if (iaa_slot_st(atomic_read(&r->slot->state)) != IAA_SLOT_BUSY)
		return -ETIMEDOUT;

	r->op = op;
	r->chained = inline_stage;
	ret = iaa_req_launch(r);
	if (!ret && !inline_stage)
		return -EINPROGRESS;
	return ret;
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
 * call for. Return: as iaa_req_chain() for its compress, 0 with *@store set
 * for stored blocks, or an error.
 */
static int iaa_req_stats_done(struct iaa_req *r, bool *store)
{
	iaa_req_stage_time(r, IAA_STAT_DYN_PASS1_NS);
	switch (iaa_dyn_plan(r->slot, r->queue->accel->aecs,
			     r->src.len, r->dst.len)) {
	case IAA_DYN_DYNAMIC:
		r->dyn_aecs = true;
		fallthrough;
	case IAA_DYN_FIXED:
		return iaa_req_chain(r, IAA_OP_COMPRESS);
	case IAA_DYN_STORED:
		*store = true;
		return 0;
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
 * Return: IAA_REQ_NEXT_STAGE when @r went on with a further stage for the
 * caller to poll, -EINPROGRESS when the poller has that stage, otherwise
 * the final result of @r.
 */
static int iaa_req_done(struct iaa_req *r, int forced_err)
{
	const struct iax_completion_record *cr = r->slot->desc->iax_completion;
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
		err = iaa_req_stats_done(r, &store);
		if (!err && !store)
			return IAA_REQ_NEXT_STAGE;
		if (err == -EINPROGRESS)
			return err;
		if (err == -ETIMEDOUT)
			iaa_stat_inc(IAA_STAT_ERR_TIMEOUT);
		else if (err < 0 && err != -ENOSPC)
			err = -EIO;
		break;
	case IAA_OP_COMPRESS:
		if (r->dynamic)
			iaa_req_stage_time(r, IAA_STAT_DYN_PASS2_NS);
		if (err || !r->verify)
			break;
		err = iaa_req_start_verify(r, cr);
		if (!err)
			return IAA_REQ_NEXT_STAGE;
		if (err == -EINPROGRESS)
			return err;
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
	/* A descriptor given up on by timeout may still be on the device */
	iaa_req_release_hw(r, forced_err == -ETIMEDOUT);

	/* A decompress the device could not do is done in software */
	if (err && r->op == IAA_OP_DECOMPRESS && !IAA_TEST_NO_FALLBACK)
		err = iaa_sw_decompress(areq);
	/* Stored blocks need no device: the CPU copies */
	if (store)
		err = iaa_dyn_store(areq);

	return iaa_req_finish(r, err);
}
