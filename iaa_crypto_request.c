// SPDX-License-Identifier: GPL-2.0
/*
 * A request's whole life on the device, in one place: putting it on the
 * device, noticing that it finished, and its end.
 *
 * Putting it on the device and noticing that it finished.
 *
 * Submission formats the descriptor of the request's slot and writes it to
 * the wq portal; only once the portal write has returned is the stage
 * published to the thread that ends it, with its deadline. Nobody but the
 * submitter can end a stage before that, so a submitter stalled between
 * formatting and portal write (preempted, throttled) delays its request and
 * nothing else: no deadline runs, no drain is sent ahead of its descriptor.
 * The portal write (MOVDIR64B) is a posted, weakly ordered store, like a
 * write-combining one: a wmb() after it orders it before the publish. A
 * thread that ends the stage later read the publish first, so the Drain it
 * may send to the same portal reaches the device after this descriptor
 * (posted writes to one device do not pass each other).
 *
 * One completion model per mode; in async_irq a later stage is spun on,
 * then left to the poller (below):
 *
 *   sync	the submitter polls the record (slot BUSY), within its waits'
 *		bounds (iaa_crypto_timeout.c). A submitter that may not sleep
 *		but gave a callback spins for at most IAA_HANDOVER_SPIN_NS a
 *		stage, then hands the request over to the poller
 *		(iaa_req_hand_over()); from then on it is in async mode. A
 *		request with a callback and IAA_REQ_MORE (a batch's, not its
 *		last) is handed over so right after its portal write, and
 *		its submitter goes on with the next one; while the batch's
 *		last request (the next without the hint on the same CPU) is
 *		polled, its submitter, if it may sleep, ends those of its
 *		wq's polled stages whose record is written
 *		(iaa_queue_help()), so that the batch's verifies run on the
 *		device while it waits. A request
 *		without a callback is always in this mode (iaa_crypto_alg.c);
 *   async	the wq's poller scans the records of the slots in
 *		IAA_SLOT_POLLED (those marked in q->polled, a hint set before
 *		the state and cleared by whoever takes the slot out of it),
 *		spinning while requests keep ending, for IAA_POLL_SPIN_NS after
 *		the last one, then sleeping between scans;
 *   async_irq	the descriptor asks for an interrupt; idxd's wq interrupt
 *		thread hands it to iaa_irq_desc_complete(). The wq's watchdog
 *		ends stages past their deadline: one whose record is written
 *		missed its interrupt and completes from the record; the others
 *		timed out.
 *
 * A later stage of the same request (the verify of a compress, the compress
 * after a dynamic compress's statistics) goes on the same descriptor: polled
 * by the submitter in sync mode, published to the poller in async mode. In
 * async_irq mode the thread that ended the stage before (idxd's interrupt
 * thread, mostly) submits it without an interrupt and spins on it for at
 * most IAA_STAGE_SPIN_NS, about ten device operations, then hands it to the
 * poller: a second interrupt would cost more than the device's work, and a
 * stage queued behind others holds up the thread's other completions for no
 * longer than that. A stage whose descriptor idxd still holds (its interrupt
 * missed) cannot take a later stage: the compress is then done again in
 * software.
 *
 * The state word. Each slot (one descriptor, iaa_crypto_slot.c) has one, and
 * it alone says who may touch the slot and its request. An arrow marked
 * "cas" is a compare-and-exchange, because another thread may take another
 * arrow from the same state; the others are made by the slot's only owner.
 * The word also counts the slot's uses, so a compare-and-exchange based on
 * a reading of an earlier use fails. iaa_crypto_request.pml models this
 * table with the device, the portal write, the drain and the unbind, and
 * tools/model/check has spin check it.
 *
 *   FREE     -> BUSY      the submitter, taking the slot (iaa_slot_get())
 *   BUSY     -> SUBMIT    the submitter of a stage that asks for an
 *                         interrupt, before its portal write
 *   SUBMIT   -> IRQ       the submitter, once the portal write returned (cas)
 *   SUBMIT   -> EARLY     idxd's interrupt thread: the stage completed before
 *                         its submitter published it                    (cas)
 *   EARLY    -> BUSY      the submitter, which then ends the stage itself
 *   SUBMIT   -> BUSY      the submitter, when the portal write failed (idxd
 *                         never listed the descriptor)
 *   BUSY     -> POLLED    the submitter of a polled stage once its portal
 *                         write returned, or a sync submitter (or the spinner
 *                         of a later stage of async_irq) handing over
 *   POLLED   -> BUSY      the poller: record written or deadline past  (cas)
 *                         or the submitter of a batch's last request
 *                         while it polls: record written           (cas)
 *   IRQ      -> BUSY      idxd's interrupt thread                      (cas)
 *   IRQ      -> HELD      the watchdog, past the deadline              (cas)
 *   HELD     -> RETURNED  idxd's interrupt thread, late                (cas)
 *   HELD     -> ORPHAN    the request's end                            (cas)
 *   ORPHAN   -> FREE      idxd's interrupt thread, late                (cas)
 *   BUSY, RETURNED -> FREE  the request's end
 *   BUSY     -> LOST      the request's end after a timeout: the device may
 *                         still run the descriptor, not reused until:
 *   LOST     -> FREE      the wq's recovery, once a drain submitted after it
 *                         completed (iaa_crypto_fence.c)
 *
 * Whoever moves a slot to BUSY or HELD ends its request, so a completion
 * racing with the watchdog is handled exactly once, and nobody takes a lock
 * on the way. A thread that took a slot past its deadline reads the record
 * once more: a stage that completed meanwhile is not a timeout.
 * iaa_crypto_fence.c keeps the late writes of a descriptor given up on by
 * timeout out of the caller's memory.
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
 * compress every errno but -ENOSPC and -ETIMEDOUT then becomes -EIO. An
 * output_size larger than the destination the device was given is a device
 * error too. A decompress never reports a device error: any failure on the
 * device is retried in software, whose verdict is final.
 */
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/string.h>

#include "iaa_crypto.h"
#include "iaa_crypto_desc.h"

/* iaa_req_launch(): the stage is on the device and finished already */
#define IAA_LAUNCH_ENDED	1
/* iaa_req_done(): a further stage of the request is on the device, to poll */
#define IAA_REQ_NEXT_STAGE	1

/* The end of a request (below), which every way of noticing it reaches */
static int iaa_req_done(struct iaa_req *r, int forced_err);
static int iaa_req_software(struct iaa_req *r);
static int iaa_req_finish(struct iaa_req *r, int err);
static int iaa_req_settle(struct iaa_req *r, int err, bool may_sleep);

/*
 * A caller that may not sleep but gave a callback spins this long for a
 * stage, then hands the request to the wq's poller (see
 * iaa_req_hand_over()).
 */
#define IAA_HANDOVER_SPIN_NS	(2 * NSEC_PER_MSEC)
/*
 * A later stage of an async_irq request is spun on this long by the thread
 * that submitted it, then left to the poller (iaa_req_spin_stage())
 */
#define IAA_STAGE_SPIN_NS	(20 * NSEC_PER_USEC)
/* ... reading the clock once per this many record checks */
#define IAA_STAGE_CLOCK_EVERY	64
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

#ifdef IAA_CRYPTO_TEST_HOOKS
/* The test build (iaa_crypto.h): a submitter stalled before its portal write */
static unsigned int iaa_test_stall_ms;
module_param_named(test_stall_submit_ms, iaa_test_stall_ms, uint, 0600);
MODULE_PARM_DESC(test_stall_submit_ms,
		 "Test build only: the next submission waits this long before its portal write (ms)");

static void iaa_test_stall(void)
{
	unsigned int ms = xchg(&iaa_test_stall_ms, 0);

	if (ms)
		mdelay(ms);
}
#else
static inline void iaa_test_stall(void) { }
#endif

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

/*
 * Format the descriptor of @r's slot for its current stage. The slot keeps
 * the fields that never change (iaa_crypto_slot.c); every stage writes all
 * the others it uses, and clears the record.
 */
static void iaa_desc_build(struct iaa_req *r)
{
	struct iaa_slot *slot = r->slot;
	struct iax_hw_desc *hw = slot->desc->iax_hw;

	switch (r->op) {
	case IAA_OP_STATS:
		iaa_desc_set_stats(hw, r->src.dma, r->src.len,
				   iaa_dyn_stats_dma(slot));
		break;
	case IAA_OP_COMPRESS:
		if (r->one_pass) {
			iaa_desc_set_compress_one_pass(hw, r->src.dma, r->src.len,
						       r->dst.dma, r->dst.len);
			break;
		}
		iaa_desc_set_compress(hw, r->src.dma, r->src.len,
				      r->dst.dma, r->dst.len,
				      r->dyn_aecs ?
				      iaa_dyn_aecs_dma(slot) :
				      r->queue->accel->aecs_dma);
		break;
	case IAA_OP_DECOMPRESS:
		iaa_desc_set_decompress(hw, r->src.dma, r->src.len,
					r->dst.dma, r->dst.len, false);
		break;
	case IAA_OP_VERIFY:
		/*
		 * Decode our own output, writing nothing: the destination is
		 * the slot's own bounce area (its source half, of no use once
		 * the compress is done), never memory of the caller's
		 */
		iaa_desc_set_decompress(hw, r->dst.dma, r->comp_len,
					slot->bounce_dma, r->src.len, true);
		break;
	}
	iaa_desc_set_completion(hw, r->mode == IAA_WAIT_IRQ && !r->spin_stage);
	memset(slot->desc->iax_completion, 0,
	       sizeof(*slot->desc->iax_completion));
}

/*
 * Make sure @q's poller scans soon: not needed while it runs, since it looks
 * once more after it says it stops, nor while it is queued and not started,
 * since it has not scanned yet. So the requests of a batch cost one queueing
 * of the poller, and the others a read of two words.
 */
static void iaa_queue_kick(struct iaa_queue *q)
{
	/*
	 * The state word before @polling and the pending bit: pairs with
	 * iaa_queue_poll_fn(), and with the full barrier the workqueue places
	 * between clearing the pending bit and running the work
	 */
	smp_mb();
	if (!READ_ONCE(q->polling) && !work_pending(&q->poll))
		queue_work(iaa_poll_wq, &q->poll);
}

/*
 * Write the descriptor of @r's slot to the wq portal. idxd_submit_desc()
 * waits, sleeping, while idxd revokes and reallocates the wq's interrupt
 * handle (wq_active killed, 6.12 submit.c); a caller that may not sleep
 * goes to software instead. The check leaves a window of a few
 * instructions before idxd's own: idxd has no submission that never
 * sleeps.
 */
static int iaa_req_portal_write(struct iaa_req *r)
{
	struct idxd_wq *wq = r->queue->wq;
	int ret;

	if (!r->wait.may_sleep && unlikely(percpu_ref_is_dying(&wq->wq_active)))
		return -EAGAIN;
	ret = idxd_submit_desc(wq, r->slot->desc);
	if (ret)
		return ret;
	/*
	 * The portal write (weakly ordered) before anything this thread
	 * publishes next: pairs with the acquire of whoever reads the publish
	 * and then sends a Drain to the same portal
	 */
	wmb();
	return 0;
}

/*
 * The stage of @r is on the device: publish it, with its deadline, to the
 * thread that ends it (the poller, or idxd's interrupt thread and the
 * watchdog).
 *
 * Return: 0, or IAA_LAUNCH_ENDED when the interrupt came before the
 * publish: the stage is then the caller's to end (slot BUSY).
 */
static int iaa_req_publish(struct iaa_req *r)
{
	struct iaa_slot *slot = r->slot;
	struct iaa_queue *q = r->queue;
	u32 submit = iaa_slot_word(atomic_read(&slot->state), IAA_SLOT_SUBMIT);
	/* @r may be ended and gone once published */
	u64 timeout = r->wait.timeout;
	int ret = 0;

	slot->deadline_ns = ktime_get_ns() + timeout;
	/*
	 * @q must outlive an end of @r racing with the code below: its
	 * retirement waits for an RCU grace period after its last request
	 * (iaa_queue_retire())
	 */
	rcu_read_lock();
	if (r->mode == IAA_WAIT_ASYNC) {
		set_bit(slot - q->slots, q->polled);
		iaa_slot_publish(slot, IAA_SLOT_POLLED);
		iaa_queue_kick(q);
	} else if (iaa_slot_move(slot, submit, IAA_SLOT_IRQ)) {
		queue_delayed_work(iaa_poll_wq, &q->watchdog,
				   nsecs_to_jiffies(timeout) + 1);
	} else {
		/* EARLY: idxd is done with the descriptor; its record first */
		WARN_ON_ONCE(iaa_slot_st(atomic_read_acquire(&slot->state)) !=
			     IAA_SLOT_EARLY);
		iaa_slot_publish(slot, IAA_SLOT_BUSY);
		ret = IAA_LAUNCH_ENDED;
	}
	rcu_read_unlock();
	return ret;
}

#ifdef IAA_CRYPTO_TEST_BREAK_PUBLISH
/*
 * The broken order, for make check-broken: deadline and publish before the
 * portal write. A stalled submitter's request can then be timed out, drained
 * and ended while its descriptor is not yet in the wq.
 */
static int iaa_req_launch_broken(struct iaa_req *r)
{
	enum iaa_slot_state st = r->mode == IAA_WAIT_ASYNC ? IAA_SLOT_POLLED :
							    IAA_SLOT_IRQ;
	struct iaa_slot *slot = r->slot;
	struct iaa_queue *q = r->queue;
	u64 timeout = r->wait.timeout;
	u32 word;
	int ret;

	slot->deadline_ns = ktime_get_ns() + timeout;
	percpu_ref_get(&q->ref);
	word = iaa_slot_word(atomic_read(&slot->state), st);
	if (st == IAA_SLOT_POLLED)
		set_bit(slot - q->slots, q->polled);
	iaa_slot_publish(slot, st);
	iaa_test_stall();
	ret = idxd_submit_desc(q->wq, slot->desc);
	if (ret) {
		if (!iaa_slot_move(slot, word, IAA_SLOT_BUSY))
			ret = 0;
		else if (st == IAA_SLOT_POLLED)
			clear_bit(slot - q->slots, q->polled);
	} else if (st == IAA_SLOT_POLLED) {
		iaa_queue_kick(q);
	} else {
		queue_delayed_work(iaa_poll_wq, &q->watchdog,
				   nsecs_to_jiffies(timeout) + 1);
	}
	percpu_ref_put(&q->ref);
	return ret;
}
#endif

/**
 * iaa_req_launch - submit the current stage of @r to its wq
 * @r: request owning a slot of r->queue (IAA_SLOT_BUSY), buffers mapped
 *
 * In sync mode, and for a later stage of async_irq that its submitter spins
 * on, the slot stays BUSY: its submitter polls it. Otherwise it is
 * published once the portal write returned (iaa_req_publish()): from then on
 * the poller, idxd's interrupt thread or the watchdog may end @r at any
 * moment. A stage that asks for an interrupt is in SUBMIT meanwhile, so
 * that idxd's interrupt thread, which may see it complete before the
 * publish, leaves it to the submitter (EARLY).
 *
 * Return: 0 once submitted (published, or to poll in sync mode),
 * IAA_LAUNCH_ENDED once submitted and finished (@r the caller's to end), or
 * an error with the slot still BUSY (@r's) and nothing on the device.
 */
static int iaa_req_launch(struct iaa_req *r)
{
	bool irq = r->mode == IAA_WAIT_IRQ && !r->spin_stage;
	int ret;

	iaa_desc_build(r);
	if (iaa_latency_stats_on())
		r->stage_ns = local_clock();

#ifdef IAA_CRYPTO_TEST_BREAK_PUBLISH
	if (r->mode != IAA_WAIT_SYNC && !r->spin_stage)
		return iaa_req_launch_broken(r);
#endif
	if (irq)
		iaa_slot_publish(r->slot, IAA_SLOT_SUBMIT);
	iaa_test_stall();
	ret = iaa_req_portal_write(r);
	if (ret) {
		if (irq)
			iaa_slot_publish(r->slot, IAA_SLOT_BUSY);
		return ret;
	}
	if (r->mode == IAA_WAIT_SYNC || r->spin_stage)
		return 0;
	return iaa_req_publish(r);
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
		else if (r->async)
			iaa_slot_put(q, slot);
		else
			/* Its submitter ends it, on the CPU it submits from */
			iaa_slot_put_local(q, slot);
		break;
	}
	r->slot = NULL;
	r->queue = NULL;
	iaa_queue_put(q);
}

/*
 * The device is slow for a caller that spins with preemption possibly off
 * but can take a callback (zswap): the wq's poller, which may sleep and is
 * not tied to this CPU, takes the request over as if it had been submitted
 * in async mode, with its deadline at @deadline, and completes it through
 * the callback. A slow device then costs the caller a short spin, and the
 * stage still gets the whole timeout before it counts as timed out. A
 * request of a batch (IAA_REQ_MORE) is handed over the same way, right after
 * its portal write. @stat counts which of the two it was.
 */
static int iaa_req_hand_over(struct iaa_req *r, u64 deadline,
			     enum iaa_stat stat)
{
	struct iaa_slot *slot = r->slot;
	struct iaa_queue *q = r->queue;

	r->async = true;
	r->mode = IAA_WAIT_ASYNC;
	r->spin_stage = false;
	slot->deadline_ns = deadline;
	iaa_stat_inc(stat);
	/* @q must outlive an end of @r racing with the code below (as above) */
	rcu_read_lock();
	set_bit(slot - q->slots, q->polled);
	iaa_slot_publish(slot, IAA_SLOT_POLLED);
	/* @r may be complete and gone from here on */
	iaa_queue_kick(q);
	rcu_read_unlock();
	return -EINPROGRESS;
}

/*
 * This CPU handed a request of a batch (IAA_REQ_MORE) to a poller: the
 * next request without the hint that its caller polls is the batch's last
 * (iaa_req_execute()).
 */
static DEFINE_PER_CPU(bool, iaa_batch_open);

/*
 * While the last request of a batch waits for its own stage, its submitter
 * ends those of @q's polled stages whose record is written, as the poller
 * would (iaa_queue_scan()), for each wq its batch may have used
 * (iaa_req_poll_stage()): the batch's other requests, whose next stage (a
 * verify) then goes on the device while it waits, instead of after it, and
 * whose wqs' pollers then find nothing to wait for. Only a written record
 * is taken, never a deadline: a timeout stays the poller's. The submitter
 * may sleep, as the poller may; the compare-and-exchange from POLLED makes
 * each end happen once, whoever takes it.
 *
 * Return: how many stages it ended.
 */
static unsigned int iaa_queue_help(struct iaa_queue *q)
{
	unsigned int i, ended = 0;

	for_each_set_bit(i, q->polled, q->nr_slots) {
		struct iaa_slot *slot = &q->slots[i];
		u32 word = atomic_read_acquire(&slot->state);

		if (iaa_slot_st(word) != IAA_SLOT_POLLED ||
		    !iaa_desc_finished(slot->desc))
			continue;
		if (!iaa_slot_move(slot, word, IAA_SLOT_BUSY))
			continue;	/* ended by someone else */
		clear_bit(i, q->polled);
		ended++;
		iaa_req_settle(slot->req, 0, true);
	}
	if (ended) {
		iaa_counters_help(&q->stats, ended);
		iaa_counters_help(&q->accel->stats, ended);
	}
	return ended;
}

/* The wqs the last request of a batch helps: its own, then its CPU's others */
#define IAA_HELP_QUEUES	8

struct iaa_help {
	unsigned int n;
	struct iaa_queue *q[IAA_HELP_QUEUES];
};

static unsigned int iaa_help_queues(struct iaa_help *h)
{
	unsigned int i, ended = 0;

	for (i = 0; i < h->n; i++)
		ended += iaa_queue_help(h->q[i]);
	return ended;
}

/**
 * iaa_req_poll_record - poll the record of the stage of @r just submitted
 * @r: a request in sync mode, its slot BUSY
 * @h: the wqs whose written stages it ends meanwhile (iaa_queue_help())
 *
 * Polls within the request's waits (iaa_crypto_timeout.c): a caller that may
 * sleep reschedules now and then, one that may not spins. A caller that may
 * not sleep but has a callback spins for at most IAA_HANDOVER_SPIN_NS of
 * the stage (less if its bound runs out first), then hands the request over
 * to the poller: it never times out in its own context. The clock is read
 * only every IAA_POLL_CLOCK_EVERY checks.
 *
 * Return: 0 once the record is written, -ETIMEDOUT, or -EINPROGRESS once
 * handed over (@r may then be gone).
 */
static int iaa_req_poll_record(struct iaa_req *r, struct iaa_help *h)
{
	struct idxd_desc *desc = r->slot->desc;
	struct iaa_wait *w = &r->wait;
	bool hand_over = !w->may_sleep && r->areq->base.complete;
	unsigned int spins = 0;
	u64 first = 0;
	bool over;

	iaa_wait_begin(w);
	while (!iaa_desc_finished(desc)) {
		if (h->n && iaa_help_queues(h))
			continue;
		if (++spins % IAA_POLL_CLOCK_EVERY) {
			cpu_relax();
			continue;
		}
		over = iaa_wait_over(w);
		if (!first)
			first = w->last;
		if (hand_over)
			over = over || w->last - first > IAA_HANDOVER_SPIN_NS;
		if (over) {
			/* a last look: the record may have come meanwhile */
			if (iaa_desc_finished(desc))
				return 0;
			if (hand_over)
				return iaa_req_hand_over(r, first + w->timeout,
							 IAA_STAT_HANDED_OVER);
			return -ETIMEDOUT;
		}
		if (w->may_sleep)
			cond_resched();
	}
	return 0;
}

/*
 * Poll the stage of @r just submitted (iaa_req_poll_record()). The last
 * request of a batch also ends the written stages of the batch's others
 * meanwhile: those on its own wq, and those on the other wqs of its CPU,
 * over which its batch went round-robin (pinned for the time of the poll).
 */
static int iaa_req_poll_stage(struct iaa_req *r)
{
	struct iaa_help h;
	int ret;

	h.n = 0;
	if (r->batch_last) {
		h.q[0] = r->queue;
		h.n = 1 + iaa_wq_table_pin_cpu(h.q + 1, IAA_HELP_QUEUES - 1,
					       r->queue);
	}
	ret = iaa_req_poll_record(r, &h);
	/* h.q[0] is @r's, which may be gone */
	while (h.n > 1)
		iaa_queue_put(h.q[--h.n]);
	return ret;
}

/*
 * Spin on the record of a later stage of an async_irq request, just
 * submitted without an interrupt by the thread that ended the stage before,
 * for at most IAA_STAGE_SPIN_NS; then the poller takes it over, with the
 * stage's whole timeout.
 *
 * Return: 0 once the record is written, or -EINPROGRESS once handed over
 * (@r may then be gone).
 */
static int iaa_req_spin_stage(struct iaa_req *r)
{
	struct idxd_desc *desc = r->slot->desc;
	unsigned int spins = 0;
	u64 now, end = 0;

	while (!iaa_desc_finished(desc)) {
		if (++spins % IAA_STAGE_CLOCK_EVERY) {
			cpu_relax();
			continue;
		}
		now = ktime_get_ns();
		if (!end) {
			end = now + IAA_STAGE_SPIN_NS;
		} else if (now > end) {
			if (iaa_desc_finished(desc))
				return 0;
			return iaa_req_hand_over(r, end - IAA_STAGE_SPIN_NS +
						 r->wait.timeout,
						 IAA_STAT_HANDED_OVER);
		}
	}
	return 0;
}

/**
 * iaa_req_settle - finish @r after the end of its current stage
 * @r: the request, its slot BUSY or HELD for the caller
 * @err: as for iaa_req_done()
 * @may_sleep: the calling context may sleep (for a drain)
 *
 * A further stage in sync mode is polled here, right after its submission
 * (iaa_req_poll_stage()), as is one of async_irq, briefly
 * (iaa_req_spin_stage()); one finished already is ended at once.
 *
 * Return: the final result of @r, or -EINPROGRESS once another thread has
 * it. An asynchronous request has been completed (or will be) through its
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
		if (r->spin_stage)
			err = iaa_req_spin_stage(r);
		else
			err = iaa_req_poll_stage(r);
		if (err == -EINPROGRESS)
			return err;
	}
}

/*
 * A request of a batch, not its last (IAA_REQ_MORE, iaa_crypto.h), whose
 * caller gave a callback: in sync mode its submitter does not poll it but
 * goes on with the next one, and the wq's poller ends the batch's requests
 * together, each with its stage's whole timeout from its portal write.
 */
static bool iaa_req_more(const struct iaa_req *r)
{
	const struct acomp_req *areq = r->areq;

	return (areq->base.flags & IAA_REQ_MORE) && areq->base.complete;
}

/* A request flag the crypto API leaves to drivers (iaa_crypto.h) */
static_assert((IAA_REQ_MORE & CRYPTO_TFM_REQ_MASK) == IAA_REQ_MORE);

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
	/* A caller with no callback that may not sleep cannot wait for a drain */
	bool bounce_dst = !may_sleep && !r->areq->base.complete &&
			  !IAA_TEST_NO_ATOMIC_BOUND;
	enum iaa_wait_mode mode = r->mode;
	int ret;

	iaa_wait_init(&r->wait, may_sleep);
	if (!iaa_req_fits_device(r, bounce_dst))
		return iaa_req_software(r);

	r->queue = iaa_wq_table_get(&r->slot, &r->wait);
	if (!r->queue)
		return iaa_req_software(r);
	r->slot->req = r;

	/* A device that builds the tables itself needs no statistics */
	if (r->op == IAA_OP_STATS &&
	    iaa_dyn_one_pass(r->queue->accel, r->areq->slen)) {
		r->op = IAA_OP_COMPRESS;
		r->one_pass = true;
	}

	ret = iaa_req_map(r, bounce_dst);
	if (ret)
		goto software;

	r->async = mode != IAA_WAIT_SYNC;
	r->batch_last = false;
	if (mode == IAA_WAIT_SYNC && may_sleep && r->areq->base.complete &&
	    !iaa_req_more(r))
		r->batch_last = this_cpu_xchg(iaa_batch_open, false);
	ret = iaa_req_launch(r);
	if (ret == IAA_LAUNCH_ENDED) {
		/* Through the callback, which may have run already */
		iaa_req_settle(r, 0, may_sleep);
		return -EINPROGRESS;
	}
	if (!ret) {
		/* An async request may be complete and gone already */
		if (mode != IAA_WAIT_SYNC)
			return -EINPROGRESS;
		/* More of its batch follow: the poller ends it (iaa_req_more()) */
		if (iaa_req_more(r)) {
			this_cpu_write(iaa_batch_open, true);
			return iaa_req_hand_over(r, ktime_get_ns() +
						 r->wait.timeout,
						 IAA_STAT_BATCHED);
		}
		ret = iaa_req_poll_stage(r);
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
 * deadline, which for IRQ means the watchdog takes them (HELD). On a queue
 * unbound from a device that completes nothing (IAA_QUEUE_HALTED, see
 * iaa_queue_end_halted()) every deadline is past.
 *
 * Return: how many ended; *@left: how many stay in @st, *@next: the earliest
 * deadline among those.
 */
static unsigned int iaa_queue_scan(struct iaa_queue *q, enum iaa_slot_state st,
				   unsigned int *left, u64 *next)
{
	bool polled = st == IAA_SLOT_POLLED;
	bool halted = test_bit(IAA_QUEUE_HALTED, &q->flags);
	unsigned int i, ended = 0;
	u64 now = 0;

	*left = 0;
	*next = U64_MAX;
	for (i = polled ? find_first_bit(q->polled, q->nr_slots) : 0;
	     i < q->nr_slots;
	     i = polled ? find_next_bit(q->polled, q->nr_slots, i + 1) : i + 1) {
		struct iaa_slot *slot = &q->slots[i];
		u32 word = atomic_read_acquire(&slot->state);
		bool finished, missed_irq;
		u64 deadline;

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
			if (now < deadline && !halted) {
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
		missed_irq = finished && !polled;
		/* A record written since the look above: not a timeout */
		if (!finished)
			finished = iaa_desc_finished(slot->desc);
		if (missed_irq)
			dev_warn_ratelimited(wq_confdev(q->wq),
					     "descriptor completed without its interrupt within %llu ms\n",
					     div_u64(slot->req->wait.timeout,
						     NSEC_PER_MSEC));
		iaa_req_settle(slot->req, finished ? 0 : -ETIMEDOUT, true);
	}
	return ended;
}

/* The per-wq poller: ends the requests in POLLED (async mode) */
void iaa_queue_poll_fn(struct work_struct *work)
{
	struct iaa_queue *q = container_of(work, struct iaa_queue, poll);
	unsigned int left, ended;
	u64 next, idle_since = 0;

	iaa_stat_inc(IAA_STAT_POLL_RUNS);
	WRITE_ONCE(q->polling, true);
	for (;;) {
		ended = iaa_queue_scan(q, IAA_SLOT_POLLED, &left, &next);
		if (ended) {
			iaa_stat_inc(IAA_STAT_POLL_SCANS);
			iaa_stat_add(IAA_STAT_POLL_ENDS, ended);
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
		case IAA_SLOT_SUBMIT:
			/* Completed before it was published: its submitter ends it */
			if (!iaa_slot_move(slot, word, IAA_SLOT_EARLY))
				continue;
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
/* An output_size past the destination the device was given */
static const struct iaa_status_info iaa_status_bad_size =
	IAA_STATUS(-EIO, IAA_STAT_ERR_HW);
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
	/* Every wait of a caller that may not sleep, summed: the bound's proof */
	if (!r->wait.may_sleep && r->wait.start)
		iaa_stat_atomic_wait(r->wait.last - r->wait.start);
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
 * Go on with stage @op on the same descriptor: polled by the caller in sync
 * mode, spun on by it briefly in async_irq mode, published to the poller in
 * async mode (iaa_req_launch()).
 *
 * Return: IAA_REQ_NEXT_STAGE when the caller is to poll it, -EINPROGRESS
 * once another thread has it (@r may then be gone), or -EAGAIN when the
 * rest of @r is for software: its descriptor is still idxd's (the watchdog
 * ended the stage before its interrupt), or could not be submitted.
 */
static int iaa_req_chain(struct iaa_req *r, enum iaa_op op)
{
	int ret;

	if (iaa_slot_st(atomic_read(&r->slot->state)) != IAA_SLOT_BUSY)
		return -EAGAIN;

	r->op = op;
	r->spin_stage = r->mode == IAA_WAIT_IRQ;
	ret = iaa_req_launch(r);
	if (ret < 0)
		return -EAGAIN;
	/* Only a first stage can have ended already (EARLY) */
	if (r->mode == IAA_WAIT_SYNC || r->spin_stage)
		return IAA_REQ_NEXT_STAGE;
	return -EINPROGRESS;
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
 * for stored blocks, or -ENOSPC.
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

/*
 * A one-pass dynamic compress of @r ended with @err, having written @out
 * bytes: counted when its block is kept. An input whose block did not fit,
 * or came out larger than stored blocks, goes out as stored blocks when
 * they fit the caller's destination (*@store), as after statistics that
 * found no better block.
 */
static void iaa_req_one_pass_done(struct iaa_req *r, unsigned int out,
				  int *err, bool *store)
{
	struct acomp_req *areq = r->areq;

	if (*err && *err != -ENOSPC)
		return;
	/* Stored blocks smaller than the device's: @out - 1 bytes hold them */
	if ((*err || !out || iaa_dyn_stored_fits(areq->slen, out - 1)) &&
	    iaa_dyn_stored_fits(areq->slen, areq->dlen)) {
		iaa_stat_inc(IAA_STAT_DYN_STORED);
		*err = 0;
		*store = true;
	} else if (!*err) {
		iaa_stat_inc(IAA_STAT_DYN_ONE_PASS);
		iaa_counters_one_pass(&r->queue->stats);
		iaa_counters_one_pass(&r->queue->accel->stats);
	}
}

/**
 * iaa_req_done - a descriptor of @r finished, or was given up on
 * @r: the request
 * @forced_err: 0 to read the completion record, otherwise the reason the
 *	record is not to be trusted: -ETIMEDOUT or -ECANCELED (idxd abort)
 *
 * Return: IAA_REQ_NEXT_STAGE when @r went on with a further stage for the
 * caller to poll, -EINPROGRESS when another thread has that stage, otherwise
 * the final result of @r.
 */
static int iaa_req_done(struct iaa_req *r, int forced_err)
{
	const struct iax_completion_record *cr = r->slot->desc->iax_completion;
	const struct iaa_status_info *info = NULL;
	struct acomp_req *areq = r->areq;
	struct iaa_queue *q = r->queue;
	bool store = false, sw = false;
	unsigned int out = 0;
	int err = forced_err;
	int ret;

	if (forced_err == -ETIMEDOUT) {
		info = &iaa_status_timeout;
		iaa_queue_quarantine(q, &r->wait);
	} else if (forced_err) {
		info = &iaa_status_other;
	} else {
		/* The record is complete once its status byte is set */
		dma_rmb();
		if (cr->status != IAX_COMP_SUCCESS)
			info = iaa_status_lookup(cr);
		out = cr->output_size;
		/* Never more than the device was given: a device fault */
		if (!info && out > r->dst.len &&
		    (r->op == IAA_OP_COMPRESS || r->op == IAA_OP_DECOMPRESS))
			info = &iaa_status_bad_size;
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
		ret = iaa_req_stats_done(r, &store);
		if (ret == IAA_REQ_NEXT_STAGE || ret == -EINPROGRESS)
			return ret;
		if (ret == -EAGAIN)
			sw = true;
		else
			err = ret;
		break;
	case IAA_OP_COMPRESS:
		if (r->one_pass) {
			iaa_req_stage_time(r, IAA_STAT_DYN_ONE_PASS_NS);
			iaa_req_one_pass_done(r, out, &err, &store);
		} else if (r->dynamic) {
			iaa_req_stage_time(r, IAA_STAT_DYN_PASS2_NS);
		}
		if (err || store || !r->verify)
			break;
		ret = iaa_req_start_verify(r, cr);
		if (ret == IAA_REQ_NEXT_STAGE || ret == -EINPROGRESS)
			return ret;
		/* A compress that worked but cannot be verified: redone */
		sw = true;
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
	/*
	 * Output that did not fit a destination shorter than the caller's
	 * (iaa_crypto_dma.c) may fit the caller's: software tries
	 */
	if (err == -ENOSPC && r->op != IAA_OP_DECOMPRESS && r->dst.capped) {
		err = 0;
		sw = true;
	}

	iaa_req_unmap(r, !err && !store && !sw, out);
	if (!err && !sw)
		areq->dlen = out;
	if (r->op == IAA_OP_DECOMPRESS) {
		iaa_counters_add(&q->stats, false, err ? 0 : areq->slen);
		iaa_counters_add(&q->accel->stats, false, err ? 0 : areq->slen);
	} else {
		iaa_counters_add(&q->stats, true, err || sw ? 0 : out);
		iaa_counters_add(&q->accel->stats, true, err || sw ? 0 : out);
	}
	/* A descriptor given up on by timeout may still be on the device */
	iaa_req_release_hw(r, forced_err == -ETIMEDOUT);

	/* A decompress the device could not do is done in software */
	if (err && r->op == IAA_OP_DECOMPRESS && !IAA_TEST_NO_FALLBACK)
		err = iaa_sw_decompress(areq);
	/* Stored blocks need no device: the CPU copies */
	if (store)
		err = iaa_dyn_store(areq);
	if (sw)
		err = iaa_sw_compress(areq);

	return iaa_req_finish(r, err);
}
