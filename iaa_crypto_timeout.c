// SPDX-License-Identifier: GPL-2.0
/*
 * timeout_ms, and the bounds of every wait for the device that follow from
 * it: for a descriptor (iaa_crypto_request.c), for a drain
 * (iaa_crypto_fence.c) and for a free descriptor when every wq is full
 * (iaa_crypto_wq_table.c). A leaf: it calls no other file of the driver.
 *
 * A request's waits (struct iaa_wait) are bounded two ways:
 *
 *  - a caller that may sleep (CRYPTO_TFM_REQ_MAY_SLEEP) gives each wait
 *    timeout_ms of its own: the wait for a free descriptor, the poll of each
 *    stage of the request, the drain after a timeout;
 *  - a caller that may not sleep spins with preemption possibly off (6.12's
 *    zram holds a spinlock or a local lock), so all the waits of one of its
 *    requests, summed, end within IAA_ATOMIC_WAIT_MS however long timeout_ms
 *    is. What the bound does not cover is the few checks of a wait before
 *    its first clock reading (a poll reads the clock every 1024 checks of
 *    the record), a few microseconds at most.
 *
 * A request reads timeout_ms once, when it begins: every bound of it follows
 * from that value, the drain after a timeout included. A change of
 * timeout_ms applies to the requests that begin afterwards.
 *
 * The clock is read only when a wait lasts: a descriptor that completes
 * within its first checks costs no clock reading.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>

#include "iaa_crypto.h"

#define IAA_TIMEOUT_MS_DEFAULT	1000
#define IAA_TIMEOUT_MS_MAX	60000
/*
 * A caller that may not sleep (no CRYPTO_TFM_REQ_MAY_SLEEP: zswap, zram)
 * spins with preemption possibly off. However long timeout_ms is, such a
 * wait ends within this bound, far below the soft-lockup (20 s) and RCU
 * stall (21 s) thresholds.
 */
#define IAA_ATOMIC_WAIT_MS	100

static unsigned int iaa_timeout_ms = IAA_TIMEOUT_MS_DEFAULT;

static int iaa_timeout_ms_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret;

	ret = kstrtouint(val, 0, &ms);
	if (ret)
		return ret;
	if (!ms || ms > IAA_TIMEOUT_MS_MAX)
		return -EINVAL;

	WRITE_ONCE(iaa_timeout_ms, ms);
	return 0;
}

static const struct kernel_param_ops iaa_timeout_ms_ops = {
	.set = iaa_timeout_ms_set,
	.get = param_get_uint,
};

module_param_cb(timeout_ms, &iaa_timeout_ms_ops, &iaa_timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "Longest wait for a descriptor, or for a free descriptor when every wq is full, in ms (1-60000, default 1000)");

u64 iaa_timeout_ns(void)
{
	return (u64)READ_ONCE(iaa_timeout_ms) * NSEC_PER_MSEC;
}

/**
 * iaa_wait_bound - the longest one wait of a request lasts
 * @w: the request's wait
 * @may_sleep: for a caller that may sleep, or one that may not
 *
 * Return: the request's timeout_ms for a caller that may sleep; for one that
 * may not, the lesser of that and IAA_ATOMIC_WAIT_MS.
 */
u64 iaa_wait_bound(const struct iaa_wait *w, bool may_sleep)
{
	if (may_sleep)
		return w->timeout;
	return min_t(u64, w->timeout, (u64)IAA_ATOMIC_WAIT_MS * NSEC_PER_MSEC);
}

/**
 * iaa_wait_init - a request's waits, none begun yet
 * @w: the request's wait
 * @may_sleep: its caller allows sleeping (CRYPTO_TFM_REQ_MAY_SLEEP)
 */
void iaa_wait_init(struct iaa_wait *w, bool may_sleep)
{
	w->start = 0;
	w->end = 0;
	w->last = 0;
	w->timeout = iaa_timeout_ns();
	w->may_sleep = may_sleep;
}

/**
 * iaa_wait_begin - another wait of the request begins
 * @w: the request's wait
 *
 * For a caller that may sleep the wait gets timeout_ms of its own, from its
 * first clock reading; for one that may not, it gets what is left of the
 * request's bound.
 */
void iaa_wait_begin(struct iaa_wait *w)
{
	if (w->may_sleep || IAA_TEST_NO_ATOMIC_BOUND)
		w->end = 0;
}

/**
 * iaa_wait_over - read the clock for a wait, and whether it is over
 * @w: the request's wait
 *
 * The first reading of a wait sets its end.
 *
 * Return: true once the wait has lasted its bound.
 */
bool iaa_wait_over(struct iaa_wait *w)
{
	u64 now = ktime_get_ns();

	w->last = now;
	if (!w->start)
		w->start = now;
	if (!w->end) {
		w->end = now + iaa_wait_bound(w, w->may_sleep);
		return false;
	}
	return now > w->end;
}

/**
 * iaa_wait_left - what is left of the current wait, by the last reading
 * @w: the request's wait, its clock read at least once
 *
 * Return: nanoseconds, 0 when the wait is over.
 */
u64 iaa_wait_left(const struct iaa_wait *w)
{
	return w->end > w->last ? w->end - w->last : 0;
}
