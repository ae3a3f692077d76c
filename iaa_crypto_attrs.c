// SPDX-License-Identifier: GPL-2.0
/*
 * Driver attributes, in /sys/bus/dsa/drivers/crypto/:
 *
 *   sync_mode		sync | async | async_irq (default sync)
 *   verify_compress	0 | 1 (default 1)
 *   stats/		the global counters (iaa_crypto_stats.c)
 *
 * They may be changed at any time. A transform reads them once, when it is
 * allocated (iaa_acomp_init_tfm()), and keeps those values for its life: a
 * user such as zswap picks up a change when it allocates new transforms.
 *
 * And attributes of each wq while it is bound, in /sys/bus/dsa/devices/wqD.W/:
 *
 *   crypto_state	in_service, or why not (iaa_queue_state())
 *   crypto_stats/	its counters (iaa_crypto_stats.c)
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "iaa_crypto.h"

static const char * const iaa_wait_mode_names[] = {
	[IAA_WAIT_SYNC]		= "sync",
	[IAA_WAIT_ASYNC]	= "async",
	[IAA_WAIT_IRQ]		= "async_irq",
};

static enum iaa_wait_mode iaa_wait_setting = IAA_WAIT_SYNC;
static bool iaa_verify_setting = true;

enum iaa_wait_mode iaa_attr_wait_mode(void)
{
	return READ_ONCE(iaa_wait_setting);
}

bool iaa_attr_verify(void)
{
	return READ_ONCE(iaa_verify_setting);
}

static ssize_t iaa_sync_mode_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%s\n", iaa_wait_mode_names[iaa_attr_wait_mode()]);
}

static ssize_t iaa_sync_mode_store(struct device_driver *drv, const char *buf,
				   size_t count)
{
	int mode = sysfs_match_string(iaa_wait_mode_names, buf);

	if (mode < 0)
		return -EINVAL;

	WRITE_ONCE(iaa_wait_setting, mode);
	return count;
}

static ssize_t iaa_verify_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%d\n", iaa_attr_verify());
}

static ssize_t iaa_verify_store(struct device_driver *drv, const char *buf,
				size_t count)
{
	bool verify;
	int ret;

	ret = kstrtobool(buf, &verify);
	if (ret)
		return ret;

	WRITE_ONCE(iaa_verify_setting, verify);
	return count;
}

static struct driver_attribute iaa_attr_sync_mode =
	__ATTR(sync_mode, 0644, iaa_sync_mode_show, iaa_sync_mode_store);
static struct driver_attribute iaa_attr_verify_compress =
	__ATTR(verify_compress, 0644, iaa_verify_show, iaa_verify_store);

static struct attribute *iaa_driver_attrs[] = {
	&iaa_attr_sync_mode.attr,
	&iaa_attr_verify_compress.attr,
	NULL
};

static const struct attribute_group iaa_driver_attr_group = {
	.attrs = iaa_driver_attrs,
};

const struct attribute_group *iaa_driver_attr_groups[] = {
	&iaa_driver_attr_group,
#ifdef CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS
	&iaa_stats_driver_group,
#endif
	NULL
};

/* Present only while the wq is bound: its queue exists */
static ssize_t crypto_state_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct iaa_queue *q = idxd_wq_get_private(confdev_to_wq(dev));

	if (!q)
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", iaa_queue_state(q));
}
static DEVICE_ATTR_RO(crypto_state);

/*
 * The wq's returns to service by itself (iaa_crypto_fence.c): how many
 * since it was bound, or with @next the milliseconds to the next try (-1
 * if none is planned)
 */
static ssize_t iaa_revive_show(struct device *dev, char *buf, bool next)
{
	struct iaa_queue *q = idxd_wq_get_private(confdev_to_wq(dev));
	unsigned int revived;
	s64 next_ms;

	if (!q)
		return -ENODEV;
	iaa_queue_revive_info(q, &revived, &next_ms);
	if (next)
		return sysfs_emit(buf, "%lld\n", next_ms);
	return sysfs_emit(buf, "%u\n", revived);
}

static ssize_t crypto_auto_returns_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	return iaa_revive_show(dev, buf, false);
}
static DEVICE_ATTR_RO(crypto_auto_returns);

static ssize_t crypto_next_try_ms_show(struct device *dev,
				       struct device_attribute *attr,
				       char *buf)
{
	return iaa_revive_show(dev, buf, true);
}
static DEVICE_ATTR_RO(crypto_next_try_ms);

static struct attribute *iaa_wq_attrs[] = {
	&dev_attr_crypto_state.attr,
	&dev_attr_crypto_auto_returns.attr,
	&dev_attr_crypto_next_try_ms.attr,
	NULL
};

static const struct attribute_group iaa_wq_attr_group = {
	.attrs = iaa_wq_attrs,
};

const struct attribute_group *iaa_wq_attr_groups[] = {
	&iaa_wq_attr_group,
#ifdef CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS
	&iaa_stats_wq_group,
#endif
	NULL
};
