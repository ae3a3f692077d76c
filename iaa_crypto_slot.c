// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptors of a wq and the device memory that goes with each.
 *
 * When a wq is bound the driver takes every one of its descriptors from idxd
 * and keeps them until the wq is unbound. A slot is one descriptor, its
 * completion record and its area (iaa_crypto.h). The descriptor fields that
 * never change (PASID, completion record address) are written once, here:
 * a submission formats only what a request changes, and idxd's allocation
 * per request (a bitmap of its own, and a clear of descriptor and record) is
 * not on the request path.
 *
 * Free slots are the clear bits of an sbitmap, the kernel's lock-free
 * allocator with a per-CPU hint, and nothing here sleeps or waits. In front
 * of it each CPU keeps the slot it freed last, taken and given back with
 * one per-CPU exchange: a CPU that submits one request at a time (a
 * synchronous caller) keeps using one descriptor and touches no cache line
 * another CPU writes. The sbitmap costs about ten times as much. Only the
 * submitter of a request that ended on its own CPU fills the cache, and a
 * CPU that goes down gives its slot back (iaa_crypto_wq_table.c). The cache
 * is left out on a wq with fewer than two slots per possible CPU, where the
 * slots it holds could starve the other CPUs.
 *
 * The slot's state word is the request path's (iaa_crypto_request.c); this
 * file only moves a slot from free to busy and back.
 */
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/dma-mapping.h>
#include <linux/sbitmap.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iaa_crypto.h"

static void iaa_slot_set(struct iaa_slot *slot, enum iaa_slot_state st)
{
	u32 old = atomic_read(&slot->state);

	/* A new use: what anyone read of the last one no longer matches */
	atomic_set(&slot->state, FIELD_PREP(IAA_SLOT_GEN,
					    FIELD_GET(IAA_SLOT_GEN, old) + 1) |
				 st);
}

/**
 * iaa_slot_clear_desc - clear a slot's descriptor but for its fixed fields
 * @slot: a slot its caller has
 *
 * The operations' formatting writes every field an operation uses; only an
 * operation with other fields (a drain) needs the rest cleared.
 */
void iaa_slot_clear_desc(struct iaa_slot *slot)
{
	struct idxd_desc *desc = slot->desc;
	struct iax_hw_desc *hw = desc->iax_hw;
	u32 pasid = hw->pasid;
	u32 priv = hw->priv;

	memset(hw, 0, sizeof(*hw));
	hw->pasid = pasid;
	hw->priv = priv;
	hw->completion_addr = desc->compl_dma;
}

/**
 * iaa_slots_init - take the descriptors of @q's wq and set up their slots
 * @q: a queue whose wq is enabled, before any request can see it
 *
 * Return: 0, or -ENOMEM with nothing held.
 */
int iaa_slots_init(struct iaa_queue *q)
{
	struct idxd_wq *wq = q->wq;
	struct device *dev = iaa_queue_dma_dev(q);
	int node = dev_to_node(dev);
	struct idxd_desc *desc;
	unsigned int i;

	q->nr_slots = wq->num_descs;
	q->slots = kcalloc_node(q->nr_slots, sizeof(*q->slots), GFP_KERNEL,
				node);
	if (!q->slots)
		return -ENOMEM;
	if (sbitmap_init_node(&q->free_map, q->nr_slots, -1, GFP_KERNEL, node,
			      false, true)) {
		kfree(q->slots);
		q->slots = NULL;
		return -ENOMEM;
	}
	q->polled = bitmap_zalloc_node(q->nr_slots, GFP_KERNEL, node);
	if (!q->polled)
		goto nomem;
	if (q->nr_slots >= 2 * num_possible_cpus()) {
		q->cache = alloc_percpu(struct iaa_slot *);
		if (!q->cache)
			goto nomem;
	}

	for (i = 0; i < q->nr_slots; i++) {
		struct iaa_slot *slot = &q->slots[i];

		slot->bounce = dma_alloc_coherent(dev, IAA_SLOT_AREA_BYTES,
						  &slot->bounce_dma,
						  GFP_KERNEL);
		if (!slot->bounce)
			goto nomem;
	}

	/*
	 * Nothing else uses this wq yet: every descriptor is free. Each keeps
	 * the PASID idxd gave it; the record address is its own.
	 */
	for (i = 0; i < q->nr_slots; i++) {
		desc = idxd_alloc_desc(wq, IDXD_OP_NONBLOCK);
		if (IS_ERR(desc))
			goto nomem;
		q->slots[desc->id].desc = desc;
		iaa_slot_clear_desc(&q->slots[desc->id]);
	}
	return 0;

nomem:
	iaa_slots_give_back(q);
	iaa_slots_free(q);
	return -ENOMEM;
}

/**
 * iaa_slots_give_back - return @q's descriptors to idxd
 * @q: a queue no request uses any more, its wq still enabled
 *
 * A descriptor lost to a timeout goes back too: disabling the wq next ends
 * whatever the device still does with it. One still on idxd's interrupt
 * list (IAA_SLOT_ORPHAN) is idxd's to free when it flushes that list.
 */
void iaa_slots_give_back(struct iaa_queue *q)
{
	struct iaa_slot *slot;
	unsigned int i;

	for (i = 0; q->slots && i < q->nr_slots; i++) {
		slot = &q->slots[i];
		if (slot->desc && FIELD_GET(IAA_SLOT_STATE,
					    atomic_read(&slot->state)) !=
				  IAA_SLOT_ORPHAN)
			idxd_free_desc(q->wq, slot->desc);
		slot->desc = NULL;
	}
}

/* The slots' memory, once @q's wq is disabled */
void iaa_slots_free(struct iaa_queue *q)
{
	struct device *dev = iaa_queue_dma_dev(q);
	unsigned int i;

	for (i = 0; q->slots && i < q->nr_slots; i++)
		if (q->slots[i].bounce)
			dma_free_coherent(dev, IAA_SLOT_AREA_BYTES,
					  q->slots[i].bounce,
					  q->slots[i].bounce_dma);
	if (q->slots)
		sbitmap_free(&q->free_map);
	bitmap_free(q->polled);
	q->polled = NULL;
	free_percpu(q->cache);
	q->cache = NULL;
	kfree(q->slots);
	q->slots = NULL;
}

/**
 * iaa_slot_get - take a free slot of @q, without waiting
 * @q: a queue its caller holds a reference on
 *
 * Return: the slot, in IAA_SLOT_BUSY, or NULL when every slot is in use.
 */
struct iaa_slot *iaa_slot_get(struct iaa_queue *q)
{
	struct iaa_slot *slot = q->cache ? this_cpu_xchg(*q->cache, NULL) : NULL;
	int nr;

	if (!slot) {
		nr = sbitmap_get(&q->free_map);
		if (nr < 0)
			return NULL;
		slot = &q->slots[nr];
	}
	iaa_slot_set(slot, IAA_SLOT_BUSY);
	return slot;
}

/* Give back a slot its caller has, in any state but IAA_SLOT_FREE */
void iaa_slot_put(struct iaa_queue *q, struct iaa_slot *slot)
{
	slot->req = NULL;
	iaa_slot_set(slot, IAA_SLOT_FREE);
	/* The release orders the clear after every use of the slot */
	smp_mb__before_atomic();
	sbitmap_put(&q->free_map, slot - q->slots);
}

/**
 * iaa_slot_put_local - give back a slot into this CPU's cache
 * @q: the slot's queue
 * @slot: a slot its caller has, in any state but IAA_SLOT_FREE
 *
 * Only for the thread that submitted the slot's request, on the CPU it
 * submits from: the poller, the interrupt thread and the watchdog give
 * slots back with iaa_slot_put(), so that a CPU's cache holds only what
 * that CPU will take again.
 */
void iaa_slot_put_local(struct iaa_queue *q, struct iaa_slot *slot)
{
	slot->req = NULL;
	iaa_slot_set(slot, IAA_SLOT_FREE);
	/* This CPU's own: its later uses are ordered after this one */
	if (q->cache && !this_cpu_cmpxchg(*q->cache, NULL, slot))
		return;
	/* The release orders the clear after every use of the slot */
	smp_mb__before_atomic();
	sbitmap_put(&q->free_map, slot - q->slots);
}

/**
 * iaa_slots_cpu_dead - give back the slot a dead CPU's cache kept
 * @q: a queue
 * @cpu: a CPU that is down: nothing runs on it to use its cache
 */
void iaa_slots_cpu_dead(struct iaa_queue *q, unsigned int cpu)
{
	struct iaa_slot *slot;

	if (!q->cache)
		return;
	slot = xchg(per_cpu_ptr(q->cache, cpu), NULL);
	if (slot)
		sbitmap_put(&q->free_map, slot - q->slots);
}

/* Keep a slot its caller has out of use until the wq is unbound */
void iaa_slot_lose(struct iaa_slot *slot)
{
	iaa_slot_set(slot, IAA_SLOT_LOST);
}

/* How many slots of @q are in use (or cached by a CPU): its load, for routing */
unsigned int iaa_slots_busy(struct iaa_queue *q)
{
	return sbitmap_weight(&q->free_map);
}
