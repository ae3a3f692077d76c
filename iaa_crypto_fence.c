// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping a timed-out descriptor out of memory that goes back to its caller.
 *
 * A request given up on by timeout may still be executed by the device.
 * A scattered destination is written in the descriptor's own bounce area
 * (iaa_crypto_dma.c), which is never reused after a timeout: a late write
 * there harms no one. Every other destination is written in place, so before
 * such a request ends (and its caller reuses the memory, or the software
 * fallback fills it) a Drain descriptor goes to the same wq. The device
 * completes it only after every descriptor submitted to that wq ahead of it:
 * once its record is written, the late descriptor is finished and its write
 * landed. This costs nothing until a timeout, where a bounce would cost a
 * copy of every destination.
 *
 * No drain goes to a device whose status register reads halted or
 * disabled: it writes nothing more, and would complete no drain (idxd may
 * not know of a halt whose interrupt it masked, and would accept the
 * drain). A drain that does not complete within IAA_FENCE_TIMEOUTS
 * timeouts leaves two cases. A halted device executes nothing until it is reset, and a reset
 * abandons its work: nothing is at risk. A device still running but
 * completing nothing may yet write the destination, so the driver stops it
 * before the request ends: it clears bus mastering on the device's PCI
 * function (pci_clear_master(): two config space accesses, which neither
 * sleep nor wait for the device beyond the access itself) and reads the
 * command register back. The read's completion comes after the write took
 * effect and, as completions do not pass posted writes, after every DMA
 * write the device issued before. Without bus mastering the device can
 * write no memory and signal no MSI-X interrupt.
 *
 * Every later timeout on that device needs no drain, but only because the
 * hardware says so: a stopped device's command register is read each time
 * (and bus mastering cleared again if something set it), a reset one must
 * read as disabled (or halted) in its status register. The state below is
 * only what the driver did, never a reason by itself to skip the drain.
 *
 * idxd's commands wait for a completion interrupt (6.12's idxd_cmd_exec()
 * with no timeout), which a device without bus mastering cannot send, so the
 * device is recovered from a work item (the stop may come from a caller that
 * cannot sleep):
 *
 *  1. Every wq of the device leaves the wq table and is pinned (a reference
 *     on its iaa_queue), so that unbinding it waits for the recovery instead
 *     of reaching idxd's commands. A wq already being unbound, no longer
 *     listed, waits for the recovery before its commands too
 *     (iaa_accel_await_recovery()).
 *  2. timeout_ms after the stop, or as soon as one of those wqs is being
 *     unbound (or an unbind waits), the function is reset: FLR with its
 *     config space saved and restored, as pci_reset_function() does it, but
 *     under the config space lock only. The device lock is not needed
 *     (idxd stays bound to the PCI device while a wq of ours is) and cannot
 *     be had: idxd's PCI removal holds it while it unbinds our wqs, which
 *     wait for this. Until then the device keeps its registers as the hang
 *     left them, and requests still in flight on its other wqs time out
 *     (none can complete).
 *  3. Bus mastering goes back on: a reset device executes nothing (it is
 *     disabled), and idxd's commands complete again, failing at once on a
 *     disabled device, so its wqs unbind cleanly and idxd can disable, reset
 *     and enable it again.
 *  4. The pins go.
 *
 * Someone else may be resetting the function already: 7.3's idxd resets a
 * device whose halt needs an FLR from its own work item, with
 * pci_reset_function(), whose reset_done unbinds the device's wqs. Step 2
 * then finds the config space locked and never waits for it: once a wq of
 * ours is being unbound, that reset (which turns bus mastering off before
 * its FLR) stands for the driver's own, and step 3 follows it.
 *
 * 6.12's idxd has no reset_prepare/reset_done handlers and still believes
 * the device enabled: an administrator unbinds its wqs, disables and
 * enables the device, and binds its wqs again. An idxd command issued on
 * the device between the stop and the reset loses its interrupt and never
 * returns; the kernel log tells when the reset is done.
 */
#include <linux/bitfield.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/percpu-refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "iaa_crypto.h"
#include "iaa_crypto_desc.h"

/* A drain may wait this many request timeouts for the work ahead of it */
#define IAA_FENCE_TIMEOUTS	2
/* How often the recovery looks whether one of the device's wqs is going */
#define IAA_RECOVER_POLL_MS	10

/* Every device's DMA state, pins and recovery; taken inside iaa_dev_lock */
static DEFINE_SPINLOCK(iaa_fence_lock);
/* Unbinds waiting for their stopped device's reset */
static DECLARE_WAIT_QUEUE_HEAD(iaa_recover_wait);

static u32 iaa_device_state(struct idxd_device *idxd)
{
	union gensts_reg gensts;

	gensts.bits = ioread32(idxd->reg_base + IDXD_GENSTATS_OFFSET);
	return gensts.state;
}

/*
 * A pause between two checks of a wait that ends at @deadline: a sleep if
 * allowed, else a microsecond's delay. Returns false once @deadline is past.
 */
static bool iaa_fence_pause(u64 deadline, bool may_sleep)
{
	if (ktime_get_ns() > deadline)
		return false;
	if (may_sleep)
		usleep_range(10, 50);
	else
		udelay(1);
	return true;
}

/* Poll @desc's record until @deadline */
static bool iaa_fence_poll(struct idxd_desc *desc, u64 deadline,
			   bool may_sleep)
{
	while (!READ_ONCE(desc->iax_completion->status))
		if (!iaa_fence_pause(deadline, may_sleep))
			return false;
	return true;
}

/* A free slot of @q, waiting for one until @deadline at most */
static struct iaa_slot *iaa_fence_slot_get(struct iaa_queue *q, u64 deadline,
					   bool may_sleep)
{
	struct iaa_slot *slot;

	while (!(slot = iaa_slot_get(q)))
		if (!iaa_fence_pause(deadline, may_sleep))
			return NULL;
	return slot;
}

/*
 * Step 1: whether a Drain descriptor behind everything on @q completed
 * within @wait_ns
 */
static bool iaa_queue_drain(struct iaa_queue *q, bool may_sleep, u64 wait_ns)
{
	u64 deadline = ktime_get_ns() + wait_ns;
	struct iaa_slot *slot;
	struct idxd_desc *desc;
	bool drained;

	/* The wq may be full of work: wait for a slot, within bounds */
	slot = iaa_fence_slot_get(q, deadline, may_sleep);
	if (!slot)
		return false;

	/* A record and nothing else: a drain writes no memory of its own */
	desc = slot->desc;
	iaa_slot_clear_desc(slot);
	desc->iax_hw->opcode = IAX_OPCODE_DRAIN;
	desc->iax_hw->flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
	memset(desc->iax_completion, 0, sizeof(*desc->iax_completion));
	if (idxd_submit_desc(q->wq, desc)) {
		iaa_slot_put(q, slot);
		return false;
	}
	if (!iaa_fence_poll(desc, deadline, may_sleep)) {
		/* The device may still write its record */
		iaa_slot_lose(slot);
		return false;
	}
	/* Only a drain that succeeded says everything ahead of it is done */
	drained = desc->iax_completion->status == IAX_COMP_SUCCESS;
	iaa_slot_put(q, slot);
	return drained;
}

/*
 * Clear bus mastering on @pdev if @stop, then whether the command register
 * reads it off. Any context.
 */
static bool iaa_bus_master_off(struct pci_dev *pdev, bool stop)
{
	u16 cmd;

	if (IAA_TEST_NO_DMA_STOP)
		return true;
	if (stop)
		pci_clear_master(pdev);
	if (pci_read_config_word(pdev, PCI_COMMAND, &cmd) ||
	    PCI_POSSIBLE_ERROR(cmd))
		return false;
	return !(cmd & PCI_COMMAND_MASTER);
}

/* Whether @accel's device can write nothing; under iaa_fence_lock */
static bool iaa_accel_quiet(struct iaa_accel *accel, struct iaa_queue *q)
{
	struct pci_dev *pdev = accel->idxd->pdev;
	u32 state;

	switch (accel->dma) {
	case IAA_DMA_ON:
		break;
	case IAA_DMA_STOPPED:
		if (iaa_bus_master_off(pdev, false))
			return true;
		dev_crit(wq_confdev(q->wq),
			 "bus mastering of the stopped device is on again: turning it off\n");
		return iaa_bus_master_off(pdev, true);
	case IAA_DMA_RESETTING:
		/* Off since the stop; the reset restores it off */
		return true;
	case IAA_DMA_RESET:
		state = iaa_device_state(accel->idxd);
		return state == IDXD_DEVICE_STATE_DISABLED ||
		       state == IDXD_DEVICE_STATE_HALT;
	}
	return false;
}

/*
 * The function reset of step 2: pci_reset_function() without the device
 * lock (see above). Returns with bus mastering off, as it was saved, or
 * -EBUSY at once when someone else holds the function's config space: a
 * function reset under way (see iaa_accel_recover_fn()).
 */
static int iaa_function_reset(struct pci_dev *pdev)
{
	int ret;

	if (!pci_cfg_access_trylock(pdev))
		return -EBUSY;
	ret = pci_save_state(pdev);
	if (!ret) {
		/* No decoding, no DMA, INTx off, as for pci_reset_function() */
		pci_write_config_word(pdev, PCI_COMMAND,
				      PCI_COMMAND_INTX_DISABLE);
		ret = pcie_reset_flr(pdev, PCI_RESET_DO_RESET);
		pci_restore_state(pdev);
	}
	pci_cfg_access_unlock(pdev);

	/* No FLR: another method, if the device lock is free */
	if (ret == -ENOTTY)
		ret = pci_try_reset_function(pdev);
	return ret;
}

/* Step 1: every wq of the device out of service and pinned */
static void iaa_accel_sweep(struct iaa_accel *accel)
{
	struct iaa_queue *q;
	unsigned long flags;
	bool changed = false;

	cpus_read_lock();
	mutex_lock(&iaa_dev_lock);
	spin_lock_irqsave(&iaa_fence_lock, flags);
	list_for_each_entry(q, &accel->queues, link) {
		/* Listed, so not being retired: its reference is live */
		if (!q->pinned) {
			percpu_ref_get(&q->ref);
			q->pinned = true;
			list_add_tail(&q->pin_link, &accel->pinned);
		}
		if (!test_and_set_bit(IAA_QUEUE_BROKEN, &q->flags)) {
			dev_err(wq_confdev(q->wq),
				"its device completes nothing: wq out of service until the device is reset and the wq rebound\n");
			changed = true;
		}
	}
	accel->swept = true;
	spin_unlock_irqrestore(&iaa_fence_lock, flags);
	if (changed)
		iaa_wq_table_rebuild(-1);
	mutex_unlock(&iaa_dev_lock);
	cpus_read_unlock();
}

/* Whether a wq of @accel is being unbound; under iaa_fence_lock */
static bool iaa_accel_unbinding(struct iaa_accel *accel)
{
	struct iaa_queue *q;

	/* A wq no longer listed is being unbound (iaa_accel_await_recovery()) */
	if (accel->retiring)
		return true;
	list_for_each_entry(q, &accel->pinned, pin_link)
		if (percpu_ref_is_dying(&q->ref))
			return true;
	return false;
}

/* Whether the reset of step 2 is due; under iaa_fence_lock */
static bool iaa_accel_reset_due(struct iaa_accel *accel)
{
	return ktime_get_ns() - accel->stop_ns >= iaa_timeout_ns() ||
	       iaa_accel_unbinding(accel);
}

static void iaa_accel_recover_fn(struct work_struct *work)
{
	struct iaa_accel *accel = container_of(to_delayed_work(work),
					       struct iaa_accel, recover);
	struct idxd_device *idxd = accel->idxd;
	struct pci_dev *pdev = idxd->pdev;
	struct iaa_queue *q, *tmp;
	unsigned long flags;
	LIST_HEAD(unpin);
	bool swept, owner = false;
	u32 state;
	int ret;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	swept = accel->swept;
	if (accel->dma != IAA_DMA_STOPPED) {
		spin_unlock_irqrestore(&iaa_fence_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&iaa_fence_lock, flags);

	if (!swept)
		iaa_accel_sweep(accel);

	spin_lock_irqsave(&iaa_fence_lock, flags);
	if (!iaa_accel_reset_due(accel)) {
		queue_delayed_work(iaa_poll_wq, &accel->recover,
				   msecs_to_jiffies(IAA_RECOVER_POLL_MS));
		spin_unlock_irqrestore(&iaa_fence_lock, flags);
		return;
	}
	accel->dma = IAA_DMA_RESETTING;
	spin_unlock_irqrestore(&iaa_fence_lock, flags);

	ret = iaa_function_reset(pdev);

	spin_lock_irqsave(&iaa_fence_lock, flags);
	if (ret == -EBUSY && !iaa_accel_unbinding(accel)) {
		/* The lock's holder may be done soon: try again */
		accel->dma = IAA_DMA_STOPPED;
		queue_delayed_work(iaa_poll_wq, &accel->recover,
				   msecs_to_jiffies(IAA_RECOVER_POLL_MS));
		spin_unlock_irqrestore(&iaa_fence_lock, flags);
		return;
	}
	if (ret == -EBUSY) {
		/*
		 * A function reset under way by someone else while a wq of
		 * ours is being unbound: 7.3's idxd resets a device whose
		 * halt needs an FLR itself (pci_reset_function() from its
		 * work item), and its reset_done unbinds our wqs, which wait
		 * for this recovery. Waiting for the config space would never
		 * end. That reset turns bus mastering off before the FLR (as
		 * ours would) and restores the config space after it: the
		 * device is left to it, bus mastering included.
		 */
		owner = true;
		accel->dma = IAA_DMA_RESET;
		/*
		 * Its reset_done is what unbinds our wqs: the FLR is over, and
		 * idxd's commands need interrupts (bus mastering), as in step 3
		 */
		state = iaa_device_state(idxd);
		if (state == IDXD_DEVICE_STATE_DISABLED ||
		    state == IDXD_DEVICE_STATE_HALT)
			pci_set_master(pdev);
	} else if (!ret) {
		/* Step 3: it is disabled now; idxd's commands need interrupts */
		pci_set_master(pdev);
		accel->dma = IAA_DMA_RESET;
	} else {
		accel->dma = IAA_DMA_STOPPED;
		accel->reset_err = ret;
	}
	/* Step 4, once the pinned wqs are no longer needed for the messages */
	list_for_each_entry(q, &accel->pinned, pin_link)
		q->pinned = false;
	list_splice_init(&accel->pinned, &unpin);
	spin_unlock_irqrestore(&iaa_fence_lock, flags);
	/* Unbinds waiting for the reset (they hold @accel) */
	wake_up_all(&iaa_recover_wait);

	q = list_first_entry_or_null(&unpin, struct iaa_queue, pin_link);
	if (q && owner)
		dev_crit(wq_confdev(q->wq),
			 "%s is being reset by its owner (a function reset under way) while its wqs are unbound: the driver's own reset is not needed\n",
			 dev_name(idxd_confdev(idxd)));
	else if (q && !ret)
		dev_crit(wq_confdev(q->wq),
			 "%s reset (FLR), bus mastering on again: the device is disabled until its wqs are unbound, it is disabled and enabled again and they are bound again\n",
			 dev_name(idxd_confdev(idxd)));
	else if (q)
		dev_crit(wq_confdev(q->wq),
			 "%s could not be reset (%d): bus mastering stays off and idxd's commands on it cannot complete; unbinding its wqs or the device would hang: reboot\n",
			 dev_name(idxd_confdev(idxd)), ret);

	/* The last reference may let @accel go: nothing of it after this */
	list_for_each_entry_safe(q, tmp, &unpin, pin_link)
		percpu_ref_put(&q->ref);
}

/*
 * Whether @q's device reads halted or disabled, saying so: a halted device
 * executes nothing until it is reset (and a reset abandons its work), a
 * disabled one has nothing in flight, so neither can write a destination
 * later, and neither would complete a drain. Any context.
 */
static bool iaa_device_inert(struct iaa_queue *q)
{
	u32 state = iaa_device_state(q->accel->idxd);

	if (state == IDXD_DEVICE_STATE_HALT) {
		dev_err(wq_confdev(q->wq),
			"no drain after a timeout: device halted, it writes nothing until reset\n");
		return true;
	}
	/*
	 * Reset (7.3's idxd resets a device whose halt needs an FLR itself)
	 * or disabled, which ends its work first
	 */
	if (state == IDXD_DEVICE_STATE_DISABLED) {
		dev_err(wq_confdev(q->wq),
			"no drain after a timeout: device disabled, it writes nothing until enabled again\n");
		return true;
	}
	return false;
}

/*
 * @r's drain did not complete: unless the device is halted or stopped by
 * now, stop it and schedule its recovery. Any context.
 */
static void iaa_accel_stop(struct iaa_queue *q, struct iaa_req *r)
{
	struct iaa_accel *accel = q->accel;
	struct idxd_device *idxd = accel->idxd;
	unsigned long flags;
	bool off, first = false;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	/* Another wq's fence may have stopped it meanwhile */
	if (iaa_accel_quiet(accel, q)) {
		spin_unlock_irqrestore(&iaa_fence_lock, flags);
		return;
	}
	/* It may have halted during the drain */
	if (iaa_device_inert(q)) {
		spin_unlock_irqrestore(&iaa_fence_lock, flags);
		return;
	}

	off = iaa_bus_master_off(idxd->pdev, true);
	if (!accel->recover_init) {
		INIT_LIST_HEAD(&accel->pinned);
		INIT_DELAYED_WORK(&accel->recover, iaa_accel_recover_fn);
		accel->recover_init = true;
	}
	if (accel->dma != IAA_DMA_STOPPED) {
		accel->dma = IAA_DMA_STOPPED;
		accel->stop_ns = ktime_get_ns();
		accel->swept = false;
		first = true;
	}
	/* @r holds a reference on @q: taking one more is always allowed */
	if (!q->pinned) {
		percpu_ref_get(&q->ref);
		q->pinned = true;
		list_add_tail(&q->pin_link, &accel->pinned);
	}
	queue_delayed_work(iaa_poll_wq, &accel->recover, 0);
	spin_unlock_irqrestore(&iaa_fence_lock, flags);

	if (!off)
		dev_crit(wq_confdev(q->wq),
			 "device completes nothing, not even a drain, and its bus mastering does not turn off: it may still write %u bytes at %pad; reset it\n",
			 r->dst.len, &r->dst.dma);
	else if (first)
		dev_crit(wq_confdev(q->wq),
			 "device completes nothing, not even a drain: bus mastering off, every wq of %s out of service; the driver resets it within %llu ms, then unbind its wqs, disable and enable it and bind them again\n",
			 dev_name(idxd_confdev(idxd)),
			 div_u64(iaa_timeout_ns(), NSEC_PER_MSEC));
}

/* Whether @accel's recovery has nothing left to do; under iaa_fence_lock */
static bool iaa_accel_settled(struct iaa_accel *accel)
{
	return (accel->dma != IAA_DMA_STOPPED &&
		accel->dma != IAA_DMA_RESETTING) || accel->reset_err;
}

static bool iaa_accel_settled_locked(struct iaa_accel *accel)
{
	unsigned long flags;
	bool settled;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	settled = iaa_accel_settled(accel);
	spin_unlock_irqrestore(&iaa_fence_lock, flags);
	return settled;
}

/**
 * iaa_accel_await_recovery - wait until idxd's commands can reach @accel
 * @accel: the device of @q
 * @q: a queue being unbound, no longer on @accel's list; no request uses it
 *
 * The sweep of a device's recovery pins the queues still listed, so a queue
 * already retiring is not among them: without this, its unbind could send
 * idxd a command while the device's bus mastering is off, and idxd would
 * wait for good for its completion interrupt, holding the wq's lock and the
 * device's command slot. If the device is stopped, its reset is asked for
 * now and waited for. Sleeps; the caller holds none of the driver's locks
 * (the recovery takes cpus_read_lock and iaa_dev_lock).
 *
 * Return: false if the reset failed: bus mastering stays off, and idxd's
 * commands on the device cannot complete.
 */
bool iaa_accel_await_recovery(struct iaa_accel *accel, struct iaa_queue *q)
{
	unsigned long flags;
	bool waiting = false;
	int err;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	if (!iaa_accel_settled(accel)) {
		/* Stopped, so @recover is set up and queued, or running */
		accel->retiring++;
		mod_delayed_work(iaa_poll_wq, &accel->recover, 0);
		waiting = true;
	}
	spin_unlock_irqrestore(&iaa_fence_lock, flags);

	if (waiting) {
		dev_info(wq_confdev(q->wq),
			 "device stopped: resetting it before giving the wq back to idxd\n");
		wait_event(iaa_recover_wait, iaa_accel_settled_locked(accel));
	}

	spin_lock_irqsave(&iaa_fence_lock, flags);
	if (waiting)
		accel->retiring--;
	err = accel->dma == IAA_DMA_STOPPED ? accel->reset_err : 0;
	spin_unlock_irqrestore(&iaa_fence_lock, flags);

	if (err)
		dev_crit(wq_confdev(q->wq),
			 "%s could not be reset (%d) and its bus mastering is off: idxd's commands that disable the wq wait for an interrupt the device cannot send, so this unbind hangs; reboot\n",
			 dev_name(idxd_confdev(accel->idxd)), err);
	return !err;
}

/**
 * iaa_queue_end_halted - end the stages of @q that wait for its device, if
 * the device completes nothing
 * @q: a queue being unbound: no new request can take it
 *
 * A halted device executes nothing until it is reset, and a reset (or
 * disabled) one has nothing in flight: no record will be written and no
 * interrupt sent for a descriptor it was given before. Its requests would
 * still wait for their deadlines, up to timeout_ms (a minute at most), and
 * hold the unbind that long. 7.3's idxd is in that unbind after a halt
 * needing an FLR: idxd_halt() frees the descriptors on each kernel wq's
 * interrupt list without calling desc_complete (idxd_wq_flush_descs()),
 * then pci_reset_function() resets the function, and its reset_done
 * unbinds the wqs, holding the function's config space and device locks.
 *
 * The stages end now, as at their deadlines: the watchdog (and the poller,
 * whose scan looks at IAA_QUEUE_HALTED too) takes each once, a record
 * written meanwhile stands, the others time out, and their drain, which
 * idxd refuses on a device it does not see enabled, finds the device halted
 * or disabled: nothing to stop. A slot whose descriptor asked for an
 * interrupt ends HELD, then ORPHAN, which iaa_slots_give_back() leaves to
 * idxd: whether idxd freed its descriptor at the halt or frees it when it
 * disables the wq (idxd_wq_free_irq()), it is freed once.
 */
void iaa_queue_end_halted(struct iaa_queue *q)
{
	u32 state = iaa_device_state(q->wq->idxd);

	if (state != IDXD_DEVICE_STATE_HALT &&
	    state != IDXD_DEVICE_STATE_DISABLED)
		return;
	set_bit(IAA_QUEUE_HALTED, &q->flags);
	mod_delayed_work(iaa_poll_wq, &q->watchdog, 0);
	dev_info(wq_confdev(q->wq),
		 "device %s: requests still on it end now\n",
		 state == IDXD_DEVICE_STATE_HALT ? "halted" : "disabled");
}

/* Before @accel is freed: its recovery is over, nothing may queue it */
void iaa_accel_recovery_exit(struct iaa_accel *accel)
{
	if (accel->recover_init)
		cancel_delayed_work_sync(&accel->recover);
}

/**
 * iaa_queue_state - whether @q takes requests, and if not why
 * @q: a bound queue
 *
 * Return: "in_service"; "timed_out", a descriptor did not complete in time
 * (until the wq comes back by itself or is rebound); "device_stopped", its
 * device's DMA is off after a failed drain; or "device_reset", its device
 * was reset (until rebound).
 */
const char *iaa_queue_state(struct iaa_queue *q)
{
	switch (READ_ONCE(q->accel->dma)) {
	case IAA_DMA_STOPPED:
	case IAA_DMA_RESETTING:
		return "device_stopped";
	case IAA_DMA_RESET:
		return "device_reset";
	case IAA_DMA_ON:
		break;
	}
	return test_bit(IAA_QUEUE_BROKEN, &q->flags) ? "timed_out" : "in_service";
}

/*
 * Back into service after a timeout.
 *
 * A descriptor that did not complete in time takes its wq out of the wq
 * table (IAA_QUEUE_BROKEN): the device may still be working on it, or be
 * slow for everyone. Any caller can cause that, an unprivileged AF_ALG user
 * too, so the wq comes back by itself once the device shows it is done with
 * what it was given and works:
 *
 *  1. a Drain descriptor completes, so every descriptor submitted before it
 *     finished and its writes landed: the slots lost to timeouts before the
 *     drain was submitted are free again (LOST -> FREE);
 *  2. a probe, a compress of a known pattern in a slot's own bounce area
 *     with the device's fixed AECS, then a decompress of its output, gives
 *     the pattern back, each within timeout_ms.
 *
 * The first try comes IAA_REVIVE_MIN_MS after the timeout, or two timeouts
 * if that is longer, each failed one doubles the delay up to
 * IAA_REVIVE_MAX_MS. A wq comes back by itself at most IAA_REVIVE_BURST
 * times within IAA_REVIVE_WINDOW_S; the next timeout in that window keeps it
 * out until it is rebound. A device whose DMA the fence stopped is left to
 * its recovery: its wqs come back only when rebound. A try that saw another
 * timeout on the wq meanwhile does not count.
 */
#define IAA_REVIVE_MIN_MS	5000
#define IAA_REVIVE_MAX_MS	(10 * 60 * 1000)
#define IAA_REVIVE_BURST	3
#define IAA_REVIVE_WINDOW_S	3600
/* The probe's pattern: a page's worth would do, a few lines are enough */
#define IAA_PROBE_BYTES		512

/* The delay before try @tries (0: the first) */
static u64 iaa_revive_delay_ms(unsigned int tries)
{
	u64 ms = max_t(u64, IAA_REVIVE_MIN_MS,
		       2 * div_u64(iaa_timeout_ns(), NSEC_PER_MSEC));

	while (tries-- && ms < IAA_REVIVE_MAX_MS)
		ms *= 2;
	return min_t(u64, ms, IAA_REVIVE_MAX_MS);
}

/* Plan the next try in @ms; under iaa_fence_lock */
static void iaa_revive_plan(struct iaa_queue *q, u64 ms)
{
	q->revive_at_ns = ktime_get_ns() + ms * NSEC_PER_MSEC;
	queue_delayed_work(iaa_poll_wq, &q->revive, msecs_to_jiffies(ms));
}

/* Whether the rate limit allows another return; under iaa_fence_lock */
static bool iaa_revive_allowed(struct iaa_queue *q, u64 now)
{
	if (now - q->window_ns >= (u64)IAA_REVIVE_WINDOW_S * NSEC_PER_SEC)
		return true;
	return q->window_revived < IAA_REVIVE_BURST;
}

/**
 * iaa_queue_quarantine - take @q out of service after a timeout
 * @q: a queue its caller holds a reference on
 * @w: the waits of the request that timed out
 *
 * The device may still be working on the descriptor, which is never reused
 * until a drain behind it completes. Any context.
 */
void iaa_queue_quarantine(struct iaa_queue *q, const struct iaa_wait *w)
{
	u64 ms = div_u64(iaa_wait_bound(w, true), NSEC_PER_MSEC);
	u64 atomic_ms = div_u64(iaa_wait_bound(w, false), NSEC_PER_MSEC);
	u64 now = ktime_get_ns(), next_ms = 0;
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	q->revive_gen++;
	first = !test_and_set_bit(IAA_QUEUE_BROKEN, &q->flags);
	if (first) {
		q->broken_ns = now;
		q->revive_tries = 0;
		if (iaa_revive_allowed(q, now)) {
			next_ms = iaa_revive_delay_ms(0);
			iaa_revive_plan(q, next_ms);
		}
	}
	spin_unlock_irqrestore(&iaa_fence_lock, flags);
	if (!first)
		return;

	/* A caller that cannot sleep waits for less than timeout_ms */
	if (atomic_ms < ms)
		dev_err(wq_confdev(q->wq),
			"descriptor not completed in %llu ms (%llu ms for a caller that cannot sleep): wq out of service\n",
			ms, atomic_ms);
	else
		dev_err(wq_confdev(q->wq),
			"descriptor not completed in %llu ms: wq out of service\n",
			ms);
	if (next_ms)
		dev_info(wq_confdev(q->wq),
			 "wq returns to service by itself after a drain and a probe: first try in %llu ms\n",
			 next_ms);
	else
		dev_err(wq_confdev(q->wq),
			"wq out of service until rebound: it came back by itself %u times within %u s\n",
			IAA_REVIVE_BURST, IAA_REVIVE_WINDOW_S);
	iaa_wq_table_rebuild_async();
}

/* Submit @slot's descriptor and wait for its record until @ns from now */
static bool iaa_revive_run(struct iaa_queue *q, struct iaa_slot *slot, u64 ns)
{
	struct idxd_desc *desc = slot->desc;

	iaa_desc_set_completion(desc->iax_hw, false);
	memset(desc->iax_completion, 0, sizeof(*desc->iax_completion));
	if (idxd_submit_desc(q->wq, desc))
		return false;
	if (!iaa_fence_poll(desc, ktime_get_ns() + ns, true)) {
		/* The device may still write its record and bounce area */
		iaa_slot_lose(slot);
		return false;
	}
	/* The record is complete once its status byte is set */
	dma_rmb();
	return true;
}

static void iaa_probe_pattern(u8 *p)
{
	unsigned int i;

	for (i = 0; i < IAA_PROBE_BYTES; i++)
		p[i] = 'a' + (i * 7 + i / 29) % 26;
}

/*
 * Step 2: a compress and a decompress of a known pattern, in a slot's own
 * bounce area (the source in its first half, the stream in its second).
 */
static const char *iaa_queue_probe(struct iaa_queue *q)
{
	u64 deadline = ktime_get_ns() + iaa_timeout_ns();
	const struct iax_completion_record *cr;
	struct iaa_slot *slot;
	dma_addr_t src, dst;
	u8 *buf, *want;
	const char *why = NULL;
	u32 out;

	want = kmalloc(IAA_PROBE_BYTES, GFP_KERNEL);
	if (!want)
		return "no memory for the probe";
	slot = iaa_fence_slot_get(q, deadline, true);
	if (!slot) {
		kfree(want);
		return "no free descriptor for the probe";
	}
	cr = slot->desc->iax_completion;
	buf = slot->bounce;
	src = slot->bounce_dma;
	dst = slot->bounce_dma + IAA_BOUNCE_BYTES;
	iaa_probe_pattern(want);
	memcpy(buf, want, IAA_PROBE_BYTES);

	iaa_slot_clear_desc(slot);
	iaa_desc_set_compress(slot->desc->iax_hw, src, IAA_PROBE_BYTES,
			      dst, IAA_BOUNCE_BYTES, q->accel->aecs_dma);
	if (!iaa_revive_run(q, slot, iaa_timeout_ns()))
		why = "the probe compress did not complete";
	else if (cr->status != IAX_COMP_SUCCESS)
		why = "the probe compress failed";
	out = why ? 0 : cr->output_size;
	if (!why && (!out || out > IAA_BOUNCE_BYTES))
		why = "the probe compress gave a wrong size";
	if (why)
		goto out;

	memset(buf, 0, IAA_PROBE_BYTES);
	iaa_slot_clear_desc(slot);
	iaa_desc_set_decompress(slot->desc->iax_hw, dst, out,
				src, IAA_BOUNCE_BYTES, false);
	if (!iaa_revive_run(q, slot, iaa_timeout_ns()))
		why = "the probe decompress did not complete";
	else if (cr->status != IAX_COMP_SUCCESS)
		why = "the probe decompress failed";
	else if (cr->output_size != IAA_PROBE_BYTES ||
		 memcmp(buf, want, IAA_PROBE_BYTES))
		why = "the probe decompress gave other data";
out:
	/* A probe that did not complete keeps its slot lost */
	if (FIELD_GET(IAA_SLOT_STATE, atomic_read(&slot->state)) !=
	    IAA_SLOT_LOST)
		iaa_slot_put(q, slot);
	kfree(want);
	return why;
}

/*
 * Step 1: a drain behind everything on @q, then the slots that were lost
 * before it was submitted are free again.
 */
static const char *iaa_queue_revive_drain(struct iaa_queue *q,
					  unsigned int *freed)
{
	struct iaa_slot *slot;
	unsigned int i;
	u32 *lost, busy;

	lost = kcalloc(q->nr_slots, sizeof(*lost), GFP_KERNEL);
	if (!lost)
		return "no memory for the drain";
	/*
	 * A slot is lost after its descriptor was submitted: acquire orders
	 * the drain's submission after that one.
	 */
	for (i = 0; i < q->nr_slots; i++) {
		u32 word = atomic_read_acquire(&q->slots[i].state);

		if (FIELD_GET(IAA_SLOT_STATE, word) == IAA_SLOT_LOST)
			lost[i] = word;
	}
	if (!iaa_queue_drain(q, true, IAA_FENCE_TIMEOUTS * iaa_timeout_ns())) {
		kfree(lost);
		return "the drain did not complete";
	}
	for (i = 0; i < q->nr_slots; i++) {
		if (!lost[i])
			continue;
		slot = &q->slots[i];
		/* Only the exact word read: the slot is ours, no one else's */
		busy = FIELD_PREP(IAA_SLOT_GEN,
				  FIELD_GET(IAA_SLOT_GEN, lost[i]) + 1) |
		       IAA_SLOT_BUSY;
		if (atomic_cmpxchg(&slot->state, lost[i], busy) != lost[i])
			continue;
		iaa_slot_put(q, slot);
		(*freed)++;
	}
	kfree(lost);
	return NULL;
}

/* The delayed work of iaa_queue_quarantine(): one try */
void iaa_queue_revive_fn(struct work_struct *work)
{
	struct iaa_queue *q = container_of(to_delayed_work(work),
					   struct iaa_queue, revive);
	struct iaa_accel *accel = q->accel;
	unsigned int gen, freed = 0, revived = 0;
	unsigned long flags;
	const char *why;
	u64 now, next_ms = 0, out_ms;

	/* A stopped or reset device is its recovery's, and stays out */
	if (READ_ONCE(accel->dma) != IAA_DMA_ON)
		goto none;
	/* Being unbound: its retire cancels this work and waits for us */
	if (!percpu_ref_tryget_live(&q->ref))
		goto none;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	gen = q->revive_gen;
	spin_unlock_irqrestore(&iaa_fence_lock, flags);

	why = iaa_queue_revive_drain(q, &freed);
	if (!why)
		why = iaa_queue_probe(q);

	now = ktime_get_ns();
	spin_lock_irqsave(&iaa_fence_lock, flags);
	if (!why && accel->dma != IAA_DMA_ON)
		why = "the device was stopped meanwhile";
	else if (!why && q->revive_gen != gen)
		why = "another descriptor timed out meanwhile";
	if (!why) {
		if (now - q->window_ns >=
		    (u64)IAA_REVIVE_WINDOW_S * NSEC_PER_SEC) {
			q->window_ns = now;
			q->window_revived = 0;
		}
		q->window_revived++;
		revived = ++q->revived;
		q->revive_at_ns = 0;
		/* Everything above is seen by whoever sees the wq in service */
		smp_mb__before_atomic();
		clear_bit(IAA_QUEUE_BROKEN, &q->flags);
	} else {
		next_ms = iaa_revive_delay_ms(++q->revive_tries);
		iaa_revive_plan(q, next_ms);
	}
	out_ms = div_u64(now - q->broken_ns, NSEC_PER_MSEC);
	spin_unlock_irqrestore(&iaa_fence_lock, flags);

	if (!why) {
		iaa_wq_table_rebuild_async();
		dev_info(wq_confdev(q->wq),
			 "wq back in service after %llu ms out of it: a drain (%u lost descriptors freed) and a probe completed; automatic return %u\n",
			 out_ms, freed, revived);
	} else {
		dev_warn_ratelimited(wq_confdev(q->wq),
				     "wq still out of service: %s; next try in %llu ms\n",
				     why, next_ms);
	}
	percpu_ref_put(&q->ref);
	return;

none:
	spin_lock_irqsave(&iaa_fence_lock, flags);
	q->revive_at_ns = 0;
	spin_unlock_irqrestore(&iaa_fence_lock, flags);
}

/**
 * iaa_queue_revive_info - how @q comes back into service by itself
 * @q: a bound queue
 * @revived: set to the number of its automatic returns since it was bound
 * @next_ms: set to the milliseconds until its next try, or -1 if none is
 *	planned (in service, its device stopped, or the rate limit reached)
 */
void iaa_queue_revive_info(struct iaa_queue *q, unsigned int *revived,
			   s64 *next_ms)
{
	unsigned long flags;
	u64 at, now;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	*revived = q->revived;
	at = q->revive_at_ns;
	spin_unlock_irqrestore(&iaa_fence_lock, flags);
	now = ktime_get_ns();
	if (!at || READ_ONCE(q->accel->dma) != IAA_DMA_ON)
		*next_ms = -1;
	else
		*next_ms = at > now ? div_u64(at - now, NSEC_PER_MSEC) : 0;
}

/**
 * iaa_req_fence - make sure the device is done with @r's destination
 * @r: a request whose descriptor was given up on by timeout
 * @may_sleep: the caller allows sleeping while waiting for the drain
 *
 * A drain that may sleep waits IAA_FENCE_TIMEOUTS timeouts; one that may not
 * only what is left of the request's bound (iaa_crypto_timeout.c). The
 * request path bounces the destination of the callers that could need the
 * latter, so it is a last resort.
 *
 * On return the device can no longer write @r's destination: it drained,
 * is halted, or its bus mastering is off (or it was reset since), unless
 * the kernel log says that bus mastering could not be turned off.
 */
void iaa_req_fence(struct iaa_req *r, bool may_sleep)
{
	struct iaa_queue *q = r->queue;
	unsigned long flags;
	u64 wait_ns;
	bool quiet;

	/*
	 * Late writes of a bounced destination, of a verify or of statistics
	 * (to the slot's own area) harm no one
	 */
	if (r->dst.bounced || r->op == IAA_OP_VERIFY || r->op == IAA_OP_STATS ||
	    IAA_TEST_NO_DRAIN)
		return;

	spin_lock_irqsave(&iaa_fence_lock, flags);
	quiet = iaa_accel_quiet(q->accel, q);
	spin_unlock_irqrestore(&iaa_fence_lock, flags);
	if (quiet)
		return;
	/*
	 * idxd may not know of a halt (its halt interrupt may be masked),
	 * and would take the drain for a device that never runs it
	 */
	if (iaa_device_inert(q))
		return;

	if (may_sleep || IAA_TEST_NO_ATOMIC_BOUND)
		wait_ns = IAA_FENCE_TIMEOUTS * r->wait.timeout;
	else
		wait_ns = iaa_wait_left(&r->wait);
	if (!iaa_queue_drain(q, may_sleep, wait_ns))
		iaa_accel_stop(q, r);
	/* A caller that may not sleep waited for the drain too */
	if (!may_sleep)
		iaa_wait_over(&r->wait);
}
