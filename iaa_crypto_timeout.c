// SPDX-License-Identifier: GPL-2.0
/*
 * timeout_ms, and the bounds of every wait for the device that follow from
 * it: for a descriptor (iaa_crypto_request.c), for a drain
 * (iaa_crypto_fence.c) and for a free descriptor when every wq is full
 * (iaa_crypto_wq_table.c). A leaf: it calls no other file of the driver.
 */
#include <linux/kernel.h>
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
 * iaa_wait_ns - the longest a caller may wait for the device
 * @may_sleep: the caller allows sleeping (CRYPTO_TFM_REQ_MAY_SLEEP)
 *
 * Return: timeout_ms for a caller that may sleep; for one that may not, the
 * lesser of timeout_ms and IAA_ATOMIC_WAIT_MS.
 */
u64 iaa_wait_ns(bool may_sleep)
{
	u64 ns = iaa_timeout_ns();

	if (may_sleep)
		return ns;
	return min_t(u64, ns, (u64)IAA_ATOMIC_WAIT_MS * NSEC_PER_MSEC);
}
