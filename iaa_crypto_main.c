// SPDX-License-Identifier: GPL-2.0
/*
 * Intel In-Memory Analytics Accelerator (IAA) deflate driver.
 *
 * An IDXD sub-driver: it binds IAA wqs whose driver_name is "crypto" on the
 * dsa bus and offers them to the crypto API as the acomp algorithm
 * "deflate-iaa". This file holds the module's parameters and brings the
 * pieces up and down in order; see Documentation/driver-api/crypto/iaa/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

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

struct workqueue_struct *iaa_poll_wq;
struct dentry *iaa_debugfs_root;

static enum idxd_dev_type iaa_dev_types[] = {
	IDXD_DEV_WQ,
	IDXD_DEV_NONE,
};

static struct idxd_device_driver iaa_idxd_drv = {
	.name		= IAA_DRIVER_NAME,
	.type		= iaa_dev_types,
	.probe		= iaa_wq_bind,
	.remove		= iaa_wq_unbind,
	.desc_complete	= iaa_irq_desc_complete,
	.drv		= {
		.groups	= iaa_driver_attr_groups,
	},
};

static int __init iaa_crypto_init(void)
{
	int ret;

	ret = iaa_sw_init();
	if (ret)
		return ret;

	/*
	 * Completes requests zswap waits for during reclaim. Unbound: the
	 * submitter of an asynchronous request may wait for it on its CPU, so
	 * the work that completes it must not be tied to that CPU.
	 */
	iaa_poll_wq = alloc_workqueue("iaa_crypto_poll",
				      WQ_UNBOUND | WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!iaa_poll_wq) {
		ret = -ENOMEM;
		goto err_sw;
	}

	iaa_debugfs_root = debugfs_create_dir("iaa-crypto", NULL);
	ret = iaa_stats_init(iaa_debugfs_root);
	if (ret)
		goto err_debugfs;

	ret = iaa_wq_table_init();
	if (ret)
		goto err_debugfs;

	/* Binds the wqs already configured for us, which registers the alg */
	ret = idxd_driver_register(&iaa_idxd_drv);
	if (ret) {
		pr_err("registering the dsa bus driver failed: %d\n", ret);
		goto err_table;
	}

	return 0;

err_table:
	/* A failed registration has unbound whatever it bound */
	iaa_alg_unregister();
	iaa_wq_table_exit();
err_debugfs:
	debugfs_remove_recursive(iaa_debugfs_root);
	destroy_workqueue(iaa_poll_wq);
err_sw:
	iaa_sw_exit();
	return ret;
}

static void __exit iaa_crypto_exit(void)
{
	/*
	 * The dsa bus driver goes first: it unbinds every wq and, once it
	 * returns, no wq can be bound any more (a bind in progress has
	 * finished, and the bind file is gone). Only then can the algorithm
	 * go without a later bind registering it again.
	 */
	idxd_driver_unregister(&iaa_idxd_drv);
	iaa_alg_unregister();
	iaa_wq_table_exit();
	debugfs_remove_recursive(iaa_debugfs_root);
	destroy_workqueue(iaa_poll_wq);
	iaa_sw_exit();
}

module_init(iaa_crypto_init);
module_exit(iaa_crypto_exit);

MODULE_IMPORT_NS(IDXD);
MODULE_ALIAS_IDXD_DEVICE(0);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Intel In-Memory Analytics Accelerator (IAA) deflate acomp driver");
