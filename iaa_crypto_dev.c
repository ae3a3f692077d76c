// SPDX-License-Identifier: GPL-2.0
/*
 * IAA devices and wqs: binding a wq to the "crypto" driver on the dsa bus,
 * and giving it back.
 *
 * A request pins its wq (struct iaa_queue) with a percpu_ref taken while it
 * reads the wq table under RCU. Unbinding a wq:
 *
 *  1. kills the reference, so no new request can pin the wq, and publishes a
 *     table without it;
 *  2. waits for the reference to drain: requests in flight complete on the
 *     device, or by timeout, then in software (at once on a device that
 *     completes nothing, iaa_queue_end_halted());
 *  3. waits for an RCU grace period: nobody holds the wq without a reference
 *     any more (a table reader whose tryget failed);
 *  4. stops the poller, waits for its device's recovery if the driver
 *     stopped the device's DMA (iaa_crypto_fence.c: idxd's commands need an
 *     interrupt), quiesces idxd's own wq reference unless idxd did after a
 *     halt, and disables the wq.
 *
 * A device's state (its VERSION and IAACAP, read when its first wq binds,
 * and the fixed-mode AECS) lives as long as it has a wq bound, or being
 * given back.
 * All of this, and the device list, is serialised by iaa_dev_lock, always
 * taken inside cpus_read_lock() because CPU hotplug rebuilds the table too.
 */
#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iaa_crypto.h"

/* Protects iaa_accels, each device's wq list, and the wq table rebuilds */
DEFINE_MUTEX(iaa_dev_lock);
LIST_HEAD(iaa_accels);

static struct iaa_accel *iaa_accel_get(struct idxd_device *idxd)
{
	struct device *dev = &idxd->pdev->dev;
	struct iaa_accel *accel;
	int ret;

	lockdep_assert_held(&iaa_dev_lock);

	list_for_each_entry(accel, &iaa_accels, link)
		if (accel->idxd == idxd)
			return accel;

	accel = kzalloc_node(sizeof(*accel), GFP_KERNEL, dev_to_node(dev));
	if (!accel)
		return ERR_PTR(-ENOMEM);

	accel->idxd = idxd;
	accel->node = dev_to_node(dev);
	/* What the device can do: idxd read both registers at its probe */
	accel->version = idxd->hw.version;
	accel->cap = idxd->hw.iaa_cap.bits;
	dev_dbg(dev, "IAA %lu.%lu, IAACAP %#llx\n",
		FIELD_GET(IAA_VERSION_MAJOR, accel->version),
		FIELD_GET(IAA_VERSION_MINOR, accel->version), accel->cap);
	INIT_LIST_HEAD(&accel->queues);
	ret = iaa_counters_init(&accel->stats);
	if (ret) {
		kfree(accel);
		return ERR_PTR(ret);
	}
	ret = iaa_fixed_aecs_alloc(accel);
	if (ret) {
		iaa_counters_free(&accel->stats);
		kfree(accel);
		return ERR_PTR(ret);
	}

	list_add_tail(&accel->link, &iaa_accels);
	return accel;
}

static void iaa_accel_free(struct iaa_accel *accel)
{
	iaa_accel_recovery_exit(accel);
	iaa_fixed_aecs_free(accel);
	iaa_counters_free(&accel->stats);
	kfree(accel);
}

static void iaa_queue_ref_release(struct percpu_ref *ref)
{
	struct iaa_queue *q = container_of(ref, struct iaa_queue, ref);

	complete(&q->released);
}

static void iaa_queue_free(struct iaa_queue *q)
{
	iaa_slots_free(q);
	iaa_counters_free(&q->stats);
	percpu_ref_exit(&q->ref);
	kfree(q);
}

/* Called with wq->wq_lock held, on an enabled wq */
static struct iaa_queue *iaa_queue_alloc(struct idxd_wq *wq)
{
	struct device *dev = &wq->idxd->pdev->dev;
	int node = dev_to_node(dev);
	struct iaa_queue *q;

	q = kzalloc_node(sizeof(*q), GFP_KERNEL, node);
	if (!q)
		return ERR_PTR(-ENOMEM);

	q->wq = wq;
	INIT_WORK(&q->poll, iaa_queue_poll_fn);
	INIT_DELAYED_WORK(&q->watchdog, iaa_queue_watchdog_fn);
	INIT_DELAYED_WORK(&q->revive, iaa_queue_revive_fn);
	init_completion(&q->released);
	if (percpu_ref_init(&q->ref, iaa_queue_ref_release, 0, GFP_KERNEL)) {
		kfree(q);
		return ERR_PTR(-ENOMEM);
	}

	if (iaa_counters_init(&q->stats))
		goto nomem;

	/* Every descriptor of the wq, and its memory */
	if (iaa_slots_init(q))
		goto nomem;
	return q;

nomem:
	iaa_queue_free(q);
	return ERR_PTR(-ENOMEM);
}

/*
 * What idxd did to @wq on its own after a device halt, before we give the wq
 * back. Called with wq->wq_lock held.
 *
 * A halt that needs an FLR (6.12's idxd_misc_thread(), the halt branch of
 * irq.c) runs idxd_wqs_quiesce(), which kills wq_active and waits for
 * wq_dead, then idxd_wqs_unmap_portal() and idxd_device_clear_state() (wq
 * state DISABLED, when the device is configurable). A failed interrupt
 * handle request in idxd_int_handle_revoke() quiesces the wq the same way.
 * Quiescing again would kill wq_active twice and wait for a wq_dead that
 * was consumed already: for good. So the quiesce is skipped when wq_active
 * is dead; under wq_lock nothing else of idxd leaves it so (the revoke
 * revives it before it lets the lock go).
 *
 * idxd_drv_disable_wq() unmaps the portal with devm_iounmap(), which warns
 * when the mapping is gone already: the portal idxd unmapped is mapped
 * again (as idxd_wq_map_portal() does it) only to be unmapped there. It is
 * never written. Its commands on a wq or device idxd cleared return at once
 * (idxd_wq_drain() and idxd_wq_reset() want an enabled wq, idxd_cmd_exec()
 * a device not halted).
 */
static void iaa_wq_undo_halt(struct idxd_wq *wq)
{
	struct pci_dev *pdev = wq->idxd->pdev;
	resource_size_t start;

	if (!percpu_ref_is_dying(&wq->wq_active))
		__idxd_wq_quiesce(wq);
	else
		dev_info(wq_confdev(wq), "already quiesced by idxd (device halt)\n");

	if (wq->portal)
		return;
	start = pci_resource_start(pdev, IDXD_WQ_BAR) +
		idxd_get_wq_portal_full_offset(wq->id, IDXD_PORTAL_LIMITED);
	wq->portal = devm_ioremap(&pdev->dev, start, IDXD_PORTAL_SIZE);
}

/*
 * Give the wq back to idxd; no request may be using it any more. idxd's
 * commands (disable_wq's drain and reset) wait for a completion interrupt
 * with no timeout: they are sent only once the device can signal one, that
 * is after its recovery if the driver stopped its DMA (iaa_crypto_fence.c).
 */
static void iaa_queue_release_wq(struct iaa_queue *q)
{
	struct idxd_wq *wq = q->wq;

	if (q->accel)
		iaa_accel_await_recovery(q->accel, q);

	mutex_lock(&wq->wq_lock);
	iaa_wq_undo_halt(wq);
	iaa_slots_give_back(q);
	idxd_drv_disable_wq(wq);
	/* Nothing of idxd's may find the queue after this */
	idxd_wq_set_private(wq, NULL);
	mutex_unlock(&wq->wq_lock);

	iaa_queue_free(q);
}

/* Make @q visible to requests */
static int iaa_queue_attach(struct iaa_queue *q)
{
	struct iaa_accel *accel;
	struct iaa_queue *pos;
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&iaa_dev_lock);

	accel = iaa_accel_get(q->wq->idxd);
	if (IS_ERR(accel)) {
		ret = PTR_ERR(accel);
		goto unlock;
	}

	q->accel = accel;
	list_for_each_entry(pos, &accel->queues, link)
		if (pos->wq->id > q->wq->id)
			break;
	list_add_tail(&q->link, &pos->link);
	accel->nr_queues++;
	accel->nr_held++;
	iaa_wq_table_rebuild(-1);

unlock:
	mutex_unlock(&iaa_dev_lock);
	cpus_read_unlock();
	return ret;
}

/*
 * Take @q out of use, wait until no request uses it, and give the wq back.
 * In-flight requests complete first, on the device or by timeout, or at once
 * if the device is halted or disabled.
 */
static void iaa_queue_retire(struct iaa_queue *q)
{
	struct iaa_accel *accel = q->accel;
	bool gone;

	cpus_read_lock();
	mutex_lock(&iaa_dev_lock);
	percpu_ref_kill(&q->ref);
	list_del(&q->link);
	if (!--accel->nr_queues)
		list_del(&accel->link);
	iaa_wq_table_rebuild(-1);
	mutex_unlock(&iaa_dev_lock);
	cpus_read_unlock();

	/* Its automatic return to service, which may hold a reference */
	cancel_delayed_work_sync(&q->revive);

	/* On a device that completes nothing they need not wait for it */
	iaa_queue_end_halted(q);

	/*
	 * Requests in flight finish, then an RCU grace period covers whoever
	 * still looks at @q without a reference: table readers whose tryget
	 * failed, and the submitter of a stage that another thread ended
	 * while it was publishing it (iaa_req_publish(), its poller kick or
	 * watchdog queued before the cancels below).
	 */
	wait_for_completion(&q->released);
	synchronize_rcu();
	cancel_work_sync(&q->poll);
	cancel_delayed_work_sync(&q->watchdog);
	/* A timeout of a request that ended since may have queued it again */
	cancel_delayed_work_sync(&q->revive);

	iaa_queue_release_wq(q);

	/* The last of its queues to be given back frees the device's state */
	mutex_lock(&iaa_dev_lock);
	gone = !--accel->nr_held;
	mutex_unlock(&iaa_dev_lock);
	if (gone)
		iaa_accel_free(accel);
}

static int iaa_wq_check(struct idxd_wq *wq)
{
	struct device *dev = wq_confdev(wq);

	if (strcmp(wq->driver_name, IAA_DRIVER_NAME)) {
		if (wq->driver_name[0])
			dev_warn(dev, "driver_name is \"%s\", not \"%s\": not binding\n",
				 wq->driver_name, IAA_DRIVER_NAME);
		else
			dev_dbg(dev, "no driver_name: not binding\n");
		wq->idxd->cmd_status = IDXD_SCMD_WQ_NO_DRV_NAME;
		return -ENODEV;
	}

	/*
	 * idxd's other wq drivers reset the type of a wq they decline to
	 * "none", so only a wq configured for user space is refused.
	 */
	if (is_idxd_wq_user(wq)) {
		dev_warn(dev, "type is \"user\", driver \"%s\" needs \"kernel\": not binding\n",
			 IAA_DRIVER_NAME);
		return -EINVAL;
	}

	/*
	 * Dedicated wqs only. When an ENQCMDS to a shared wq fails, idxd's
	 * llist_abort_desc() completes and frees the other finished
	 * descriptors on the wq's interrupt list without calling desc_complete:
	 * their slots would still point at requests the driver waits for, and
	 * the descriptors go to new requests meanwhile. idxd resets an unbound
	 * wq to shared and unnamed; such a wq is not configured at all, and is
	 * turned away quietly, as idxd would.
	 */
	if (wq_shared(wq)) {
		if (!wq->name[0]) {
			dev_dbg(dev, "not configured (shared, no name): not binding\n");
			wq->idxd->cmd_status = IDXD_SCMD_WQ_NO_NAME;
			return -ENXIO;
		}
		dev_warn(dev, "mode is \"shared\", driver \"%s\" needs \"dedicated\": not binding (idxd can free a shared wq's descriptors without completing their requests)\n",
			 IAA_DRIVER_NAME);
		return -EOPNOTSUPP;
	}

	return 0;
}

int iaa_wq_bind(struct idxd_dev *idxd_dev)
{
	struct idxd_wq *wq = idxd_dev_to_wq(idxd_dev);
	struct idxd_device *idxd = wq->idxd;
	struct iaa_queue *q = NULL;
	int ret;

	/* Only IAA wqs: the bus offers this driver every wq, DSA's too */
	if (idxd->data->type != IDXD_TYPE_IAX)
		return -ENODEV;
	if (idxd->state != IDXD_DEV_ENABLED)
		return -ENXIO;

	mutex_lock(&wq->wq_lock);
	ret = iaa_wq_check(wq);
	if (!ret) {
		wq->type = IDXD_WQT_KERNEL;
		ret = idxd_drv_enable_wq(wq);
		if (ret)
			wq->type = IDXD_WQT_NONE;
	}
	if (!ret) {
		q = iaa_queue_alloc(wq);
		if (IS_ERR(q)) {
			ret = PTR_ERR(q);
			idxd_drv_disable_wq(wq);
		} else {
			idxd_wq_set_private(wq, q);
		}
	}
	mutex_unlock(&wq->wq_lock);
	if (ret)
		return ret;

	ret = iaa_queue_attach(q);
	if (ret) {
		iaa_queue_release_wq(q);
		return ret;
	}

	dev_dbg(wq_confdev(wq), "bound: %u descriptors, device node %d\n",
		q->nr_slots, q->accel->node);
	return 0;
}

void iaa_wq_unbind(struct idxd_dev *idxd_dev)
{
	struct idxd_wq *wq = idxd_dev_to_wq(idxd_dev);

	iaa_queue_retire(idxd_wq_get_private(wq));
	dev_dbg(wq_confdev(wq), "unbound\n");
}
