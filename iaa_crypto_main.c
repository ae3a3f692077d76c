// SPDX-License-Identifier: GPL-2.0
/*
 * Intel In-Memory Analytics Accelerator (IAA) deflate driver.
 *
 * An IDXD sub-driver: it binds IAA wqs whose driver_name is "crypto" on the
 * dsa bus and offers them to the crypto API as the acomp algorithm
 * "deflate-iaa". This file brings the pieces up and down in order; each
 * tunable lives in the file that uses it (timeout_ms, which every wait
 * takes, in iaa_crypto_timeout.c). See Documentation/driver-api/crypto/iaa/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/workqueue.h>

#include "iaa_crypto.h"
#include "iaa_crypto_compat.h"

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
		.groups		= iaa_driver_attr_groups,
		.dev_groups	= iaa_wq_attr_groups,
	},
};

static int __init iaa_crypto_init(void)
{
	int ret;

	ret = iaa_sw_init();
	if (ret)
		return ret;
	ret = iaa_dyn_init();
	if (ret)
		goto err_sw;

	/*
	 * Completes requests zswap waits for during reclaim. Unbound: the
	 * submitter of an asynchronous request may wait for it on its CPU, so
	 * the work that completes it must not be tied to that CPU.
	 */
	iaa_poll_wq = alloc_workqueue("iaa_crypto_poll",
				      WQ_UNBOUND | WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!iaa_poll_wq) {
		ret = -ENOMEM;
		goto err_dyn;
	}

	iaa_debugfs_root = debugfs_create_dir("iaa-crypto", NULL);
	ret = iaa_stats_init(iaa_debugfs_root);
	if (ret)
		goto err_debugfs;

	ret = iaa_wq_table_init();
	if (ret)
		goto err_debugfs;

	/* Binds the wqs already configured for us */
	ret = idxd_driver_register(&iaa_idxd_drv);
	if (ret) {
		pr_err("registering the dsa bus driver failed: %d\n", ret);
		goto err_table;
	}

	/*
	 * Then the algorithms: the crypto manager's self-test runs now, on
	 * those wqs if there are any, in software otherwise
	 */
	ret = iaa_alg_register();
	if (ret)
		goto err_driver;

	return 0;

err_driver:
	idxd_driver_unregister(&iaa_idxd_drv);
err_table:
	/* A failed registration has unbound whatever it bound */
	iaa_wq_table_exit();
err_debugfs:
	debugfs_remove_recursive(iaa_debugfs_root);
	destroy_workqueue(iaa_poll_wq);
err_dyn:
	iaa_dyn_exit();
err_sw:
	iaa_sw_exit();
	return ret;
}

static void __exit iaa_crypto_exit(void)
{
	/*
	 * No transform exists (each holds a module reference): the algorithms
	 * go, then the dsa bus driver, which unbinds every wq
	 */
	iaa_alg_unregister();
	idxd_driver_unregister(&iaa_idxd_drv);
	iaa_wq_table_exit();
	debugfs_remove_recursive(iaa_debugfs_root);
	destroy_workqueue(iaa_poll_wq);
	iaa_dyn_exit();
	iaa_sw_exit();
}

module_init(iaa_crypto_init);
module_exit(iaa_crypto_exit);

IAA_MODULE_IMPORT_NS_IDXD;
MODULE_ALIAS_IDXD_DEVICE(0);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Intel In-Memory Analytics Accelerator (IAA) deflate acomp driver");
