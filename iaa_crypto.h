/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel In-Memory Analytics Accelerator (IAA) deflate driver: the objects
 * and entry points shared between the driver's files.
 */
#ifndef __IAA_CRYPTO_H__
#define __IAA_CRYPTO_H__

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu-refcount.h>
#include <linux/sbitmap.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <crypto/internal/acompress.h>

#include "idxd.h"
#include "iaa_crypto_stats.h"

#define IAA_DRIVER_NAME		"crypto"

/*
 * A hint a caller may set in acomp_req->base.flags, in the request-flag
 * range (CRYPTO_TFM_REQ_MASK) that neither the crypto API of 6.12 nor that
 * of 7.3 uses: more requests of the same batch follow this one. In sync
 * mode, a request with a callback and this hint is not polled by its
 * submitter: right after its portal write the wq's poller takes it, as a
 * hand-over does, and the call returns -EINPROGRESS. The batch's last
 * request goes without it and is polled as usual. Other modes ignore it.
 */
#define IAA_REQ_MORE		0x00080000
#define IAA_ALG_NAME		"deflate"
#define IAA_ALG_DRIVER_NAME	"deflate-iaa"
#define IAA_ALG_DYN_DRIVER_NAME	"deflate-iaa-dynamic"

/*
 * Test-only switches for the reliability suite, set with -D on the compiler
 * command line and never in a normal build: each one breaks exactly one
 * safety mechanism so that the suite can prove it notices.
 */
#ifdef IAA_CRYPTO_TEST_BREAK_FALLBACK
#define IAA_TEST_NO_FALLBACK	1	/* no software decompress fallback */
#else
#define IAA_TEST_NO_FALLBACK	0
#endif
#ifdef IAA_CRYPTO_TEST_BREAK_REF
#define IAA_TEST_NO_QUEUE_REF	1	/* requests do not pin their queue */
#else
#define IAA_TEST_NO_QUEUE_REF	0
#endif
#ifdef IAA_CRYPTO_TEST_BREAK_DRAIN
#define IAA_TEST_NO_DRAIN	1	/* no drain after a timeout */
#else
#define IAA_TEST_NO_DRAIN	0
#endif
#ifdef IAA_CRYPTO_TEST_BREAK_DMA_STOP
#define IAA_TEST_NO_DMA_STOP	1	/* bus mastering left on after a failed drain */
#else
#define IAA_TEST_NO_DMA_STOP	0
#endif
#ifdef IAA_CRYPTO_TEST_BREAK_ONE_PASS
#define IAA_TEST_ONE_PASS_ANYWHERE 1	/* one-pass blocks on IAA 1.0 too */
#else
#define IAA_TEST_ONE_PASS_ANYWHERE 0
#endif
#ifdef IAA_CRYPTO_TEST_BREAK_ATOMIC_BOUND
#define IAA_TEST_NO_ATOMIC_BOUND 1	/* a bound per wait, not per request */
#else
#define IAA_TEST_NO_ATOMIC_BOUND 0
#endif
/*
 * IAA_CRYPTO_TEST_BREAK_INFL_FLAGS (iaa_crypto_desc.h): decompress without
 * SEL_BFINAL_EOB, so that a stream of several blocks stops at its first.
 *
 * IAA_CRYPTO_TEST_HOOKS builds the test build of the driver: a module
 * parameter stalls the next submission between its formatting and its
 * portal write (iaa_crypto_request.c), as a preempted submitter would be.
 * IAA_CRYPTO_TEST_BREAK_PUBLISH, with it, publishes a stage to the threads
 * that may end it before the portal write instead of after.
 */

/* How a request waits for its descriptor (the sync_mode attribute) */
enum iaa_wait_mode {
	IAA_WAIT_SYNC,		/* the submitter polls the completion record */
	IAA_WAIT_ASYNC,		/* -EINPROGRESS; the queue's poller completes it */
	IAA_WAIT_IRQ,		/* -EINPROGRESS; the wq interrupt completes it */
};

enum iaa_op {
	IAA_OP_STATS,		/* dynamic mode: count the symbols first */
	IAA_OP_COMPRESS,
	IAA_OP_DECOMPRESS,
	IAA_OP_VERIFY,		/* decompress of our own output, CRC checked */
};

/*
 * A device that completed not even a drain (iaa_crypto_fence.c). Zero, the
 * state of a new device, is IAA_DMA_ON.
 */
enum iaa_accel_dma {
	IAA_DMA_ON,			/* in service */
	IAA_DMA_STOPPED,		/* bus mastering off: it writes nothing */
	IAA_DMA_RESETTING,		/* its function is being reset */
	IAA_DMA_RESET,			/* reset: disabled until rebound */
};

/*
 * The device's VERSION register (0x100 IAA 1.0, 0x200 IAA 2.0), and the
 * IAACAP bits the driver uses. idxd reads IAACAP only from version 2 on; it
 * is zero before.
 */
#define IAA_VERSION_MAJOR	GENMASK(15, 8)
#define IAA_VERSION_MINOR	GENMASK(7, 0)
#define IAA_CAP_HEADER_GEN	BIT_ULL(8)	/* one-pass dynamic blocks */

/* One IAA device with at least one wq bound to this driver */
struct iaa_accel {
	struct idxd_device *idxd;
	struct list_head link;		/* iaa_accels, under iaa_dev_lock */
	struct list_head queues;	/* struct iaa_queue, by wq id */
	unsigned int nr_queues;
	unsigned int nr_held;		/* queues not yet given back to idxd */
	int node;			/* NUMA node the device is attached to */
	u32 version;			/* VERSION, read at the first bind */
	u64 cap;			/* IAACAP, read at the first bind */
	struct iaa_aecs_comp *aecs;	/* fixed-Huffman compression state */
	dma_addr_t aecs_dma;
	struct iaa_counters stats;

	/* iaa_crypto_fence.c, under its lock; set up at the first stop */
	enum iaa_accel_dma dma;
	bool recover_init;		/* @recover and @pinned initialised */
	bool swept;			/* every queue out of service and pinned */
	u64 stop_ns;			/* when bus mastering was turned off */
	struct list_head pinned;	/* queues @recover holds a reference on */
	struct delayed_work recover;	/* takes the device out and resets it */
	unsigned int retiring;		/* unbinds waiting for the reset */
	int reset_err;			/* the reset failed: stopped for good */
};

/*
 * Who has a slot, in the low bits of its state word (iaa_crypto_request.c
 * has the whole machine). The high bits count the slot's uses, so that a
 * compare-and-exchange made on what was read before cannot succeed on a
 * later request's slot.
 */
enum iaa_slot_state {
	IAA_SLOT_FREE,		/* in the queue's free map */
	IAA_SLOT_BUSY,		/* one thread has it: not on the device, or polled inline */
	IAA_SLOT_SUBMIT,	/* its submitter is writing it to the portal, with an interrupt */
	IAA_SLOT_EARLY,		/* ... and idxd completed it before the submitter published it */
	IAA_SLOT_POLLED,	/* on the device: the queue's poller ends it */
	IAA_SLOT_IRQ,		/* on the device, with an interrupt: idxd or the watchdog ends it */
	IAA_SLOT_HELD,		/* the watchdog ends it, idxd still tracks the descriptor */
	IAA_SLOT_RETURNED,	/* ... and idxd handed the descriptor back meanwhile */
	IAA_SLOT_ORPHAN,	/* request over: free once idxd hands the descriptor back */
	IAA_SLOT_LOST,		/* timed out, maybe still on the device: never reused */
};

#define IAA_SLOT_STATE		GENMASK(3, 0)
#define IAA_SLOT_GEN		GENMASK(31, 4)

/*
 * One descriptor of a wq, owned by the driver from bind to unbind
 * (iaa_crypto_slot.c), with its device memory: the bounce area of a
 * scattered side and, after it, the dynamic mode's counts and AECS.
 */
struct iaa_slot {
	atomic_t state;			/* enum iaa_slot_state, and a use count */
	struct iaa_req *req;		/* the request, while not free */
	u64 deadline_ns;		/* of a stage not polled inline */
	struct idxd_desc *desc;
	void *bounce;			/* IAA_BOUNCE_BYTES source + destination */
	dma_addr_t bounce_dma;
};

#define IAA_BOUNCE_BYTES	PAGE_SIZE
/* After the bounce area: the dynamic mode's counts and AECS */
#define IAA_DYN_AREA_OFFSET	(2 * IAA_BOUNCE_BYTES)
#define IAA_DYN_AREA_BYTES	(1280 + 1568)
#define IAA_SLOT_AREA_BYTES	(IAA_DYN_AREA_OFFSET + IAA_DYN_AREA_BYTES)

enum iaa_queue_flags {
	IAA_QUEUE_BROKEN,		/* a descriptor timed out: out of service */
	IAA_QUEUE_HALTED,		/* unbound on a device that completes nothing */
};

/* One IAA wq bound to this driver */
struct iaa_queue {
	struct idxd_wq *wq;
	struct iaa_accel *accel;
	struct list_head link;		/* accel->queues */
	struct percpu_ref ref;		/* held by every request using the queue */
	struct completion released;	/* @ref dropped to zero after kill */
	unsigned long flags;
	struct list_head pin_link;	/* accel->pinned, while @pinned */
	bool pinned;			/* the device's recovery holds @ref */
	int node;			/* node of the CPUs this queue serves */

	unsigned int nr_slots;
	struct iaa_slot *slots;		/* by descriptor id */
	struct sbitmap free_map;	/* slots in IAA_SLOT_FREE */
	struct iaa_slot * __percpu *cache;	/* a free slot per CPU, or NULL */
	unsigned long *polled;		/* slots that may be in IAA_SLOT_POLLED */

	bool polling;			/* @poll runs: no need to queue it */
	struct work_struct poll;	/* ends requests in IAA_SLOT_POLLED */
	struct delayed_work watchdog;	/* ends requests past their deadline */

	/* iaa_crypto_fence.c: back into service after a timeout, under its lock */
	struct delayed_work revive;	/* drains, probes, returns the wq */
	unsigned int revive_gen;	/* timeouts so far: one during a try voids it */
	unsigned int revive_tries;	/* failed tries since the last timeout */
	unsigned int revived;		/* automatic returns since bound */
	unsigned int window_revived;	/* ... since @window_ns */
	u64 window_ns;			/* start of the rate limit's window */
	u64 revive_at_ns;		/* next try, 0 if none is planned */
	u64 broken_ns;			/* when it went out of service */

	struct iaa_counters stats;
};

/* Settings captured when a transform is allocated */
struct iaa_tfm_ctx {
	enum iaa_wait_mode mode;
	bool verify;
	bool dynamic;			/* deflate-iaa-dynamic */
};

/*
 * A request's waits for the device (iaa_crypto_timeout.c): each wait of a
 * caller that may sleep has its own timeout_ms; all the waits of a caller
 * that may not share one bound.
 */
struct iaa_wait {
	u64 start;			/* first clock reading, 0 before it */
	u64 end;			/* the current wait is over after this */
	u64 last;			/* last clock reading */
	u64 timeout;			/* timeout_ms when the request began, ns */
	bool may_sleep;
};

/* Direction-independent description of one side of a request on the device */
struct iaa_buf {
	void *cpu;			/* bounce area, when @bounced */
	dma_addr_t dma;
	unsigned int len;		/* bytes the device may access */
	enum dma_data_direction dir;
	bool bounced;			/* through the slot's bounce buffer */
	bool capped;			/* bounced, and shorter than the caller's */
};

/*
 * Per-request state, in the acomp request context. Who may touch it is the
 * slot's state (iaa_crypto_request.c): whoever moved the slot to
 * IAA_SLOT_BUSY or IAA_SLOT_HELD.
 */
struct iaa_req {
	struct acomp_req *areq;
	struct iaa_queue *queue;
	struct iaa_slot *slot;
	u64 start_ns;
	u64 stage_ns;			/* latency_stats: this stage's start */
	enum iaa_op op;
	enum iaa_wait_mode mode;
	bool verify;
	bool dynamic;			/* a dynamic-Huffman block if it pays */
	bool dyn_aecs;			/* ... it does: the slot's AECS */
	bool one_pass;			/* ... written by the device in one pass */
	bool async;			/* -EINPROGRESS returned: use the callback */
	bool spin_stage;		/* a later stage of async_irq, spun on briefly */
	bool batch_last;		/* a batch's last, sync: ends the rest while polled */
	u32 crc;			/* CRC of the input, from the compress */
	u32 comp_len;			/* compressed length, checked by verify */
	struct iaa_wait wait;		/* the caller's waits, when it may not sleep */
	struct iaa_buf src;
	struct iaa_buf dst;
};

static inline struct iaa_req *iaa_req_of(struct acomp_req *areq)
{
	return acomp_request_ctx(areq);
}

static inline struct device *iaa_queue_dma_dev(struct iaa_queue *q)
{
	return &q->wq->idxd->pdev->dev;
}

/* iaa_crypto_main.c */
extern struct workqueue_struct *iaa_poll_wq;
extern struct dentry *iaa_debugfs_root;

/* iaa_crypto_timeout.c */
u64 iaa_timeout_ns(void);
u64 iaa_wait_bound(const struct iaa_wait *w, bool may_sleep);
void iaa_wait_init(struct iaa_wait *w, bool may_sleep);
void iaa_wait_begin(struct iaa_wait *w);
bool iaa_wait_over(struct iaa_wait *w);
u64 iaa_wait_left(const struct iaa_wait *w);

/* iaa_crypto_attrs.c */
extern const struct attribute_group *iaa_driver_attr_groups[];
extern const struct attribute_group *iaa_wq_attr_groups[];
enum iaa_wait_mode iaa_attr_wait_mode(void);
bool iaa_attr_verify(void);

/* iaa_crypto_comp_fixed.c */
int iaa_fixed_aecs_alloc(struct iaa_accel *accel);
void iaa_fixed_aecs_free(struct iaa_accel *accel);

/* iaa_crypto_comp_dynamic.c */
struct iaa_aecs_comp;

enum iaa_dyn_plan {
	IAA_DYN_DYNAMIC,		/* codes and header in the slot's AECS */
	IAA_DYN_FIXED,			/* the device's fixed-Huffman AECS */
	IAA_DYN_STORED,			/* stored blocks, by the CPU */
	IAA_DYN_NOSPC,			/* nothing fits the destination */
};

int iaa_dyn_init(void);
void iaa_dyn_exit(void);
bool iaa_dyn_wants_stats(unsigned int slen);
bool iaa_dyn_one_pass(const struct iaa_accel *accel, unsigned int slen);
bool iaa_dyn_stored_fits(unsigned int slen, unsigned int dlen);
dma_addr_t iaa_dyn_stats_dma(struct iaa_slot *slot);
dma_addr_t iaa_dyn_aecs_dma(struct iaa_slot *slot);
enum iaa_dyn_plan iaa_dyn_plan(struct iaa_slot *slot,
			       const struct iaa_aecs_comp *fixed,
			       unsigned int slen, unsigned int dlen);
int iaa_dyn_store(struct acomp_req *areq);

/* iaa_crypto_dev.c */
extern struct mutex iaa_dev_lock;
extern struct list_head iaa_accels;
int iaa_wq_bind(struct idxd_dev *idxd_dev);
void iaa_wq_unbind(struct idxd_dev *idxd_dev);

/* Pin @q for a request; the caller reads the wq table under RCU */
static inline bool iaa_queue_tryget(struct iaa_queue *q)
{
	if (IAA_TEST_NO_QUEUE_REF)
		return !percpu_ref_is_dying(&q->ref);
	return percpu_ref_tryget_live_rcu(&q->ref);
}

static inline void iaa_queue_put(struct iaa_queue *q)
{
	if (!IAA_TEST_NO_QUEUE_REF)
		percpu_ref_put(&q->ref);
}

/* iaa_crypto_slot.c */
int iaa_slots_init(struct iaa_queue *q);
void iaa_slots_give_back(struct iaa_queue *q);
void iaa_slots_free(struct iaa_queue *q);
struct iaa_slot *iaa_slot_get(struct iaa_queue *q);
void iaa_slot_put(struct iaa_queue *q, struct iaa_slot *slot);
void iaa_slot_put_local(struct iaa_queue *q, struct iaa_slot *slot);
void iaa_slots_cpu_dead(struct iaa_queue *q, unsigned int cpu);
void iaa_slot_lose(struct iaa_slot *slot);
void iaa_slot_clear_desc(struct iaa_slot *slot);
unsigned int iaa_slots_busy(struct iaa_queue *q);

/* iaa_crypto_wq_table.c */
int iaa_wq_table_init(void);
void iaa_wq_table_exit(void);
void iaa_wq_table_rebuild(int going_cpu);
void iaa_wq_table_rebuild_async(void);
unsigned int iaa_wq_table_pin_cpu(struct iaa_queue **qs, unsigned int max,
				  struct iaa_queue *except);
struct iaa_queue *iaa_wq_table_get(struct iaa_slot **slotp,
				   struct iaa_wait *wait);

/* iaa_crypto_dma.c */
bool iaa_req_fits_device(struct iaa_req *r, bool bounce_dst);
int iaa_req_map(struct iaa_req *r, bool bounce_dst);
void iaa_req_unmap(struct iaa_req *r, bool copy_out, unsigned int out_len);

/* iaa_crypto_request.c */
int iaa_req_execute(struct iaa_req *r);
void iaa_queue_poll_fn(struct work_struct *work);
void iaa_queue_watchdog_fn(struct work_struct *work);
void iaa_irq_desc_complete(struct idxd_desc *desc,
			   enum idxd_complete_type type, bool free_desc,
			   void *ctx, u32 *status);

/* iaa_crypto_fence.c */
void iaa_req_fence(struct iaa_req *r, bool may_sleep);
const char *iaa_queue_state(struct iaa_queue *q);
void iaa_queue_quarantine(struct iaa_queue *q, const struct iaa_wait *w);
void iaa_queue_revive_fn(struct work_struct *work);
void iaa_queue_revive_info(struct iaa_queue *q, unsigned int *revived,
			   s64 *next_ms);
bool iaa_accel_await_recovery(struct iaa_accel *accel, struct iaa_queue *q);
void iaa_queue_end_halted(struct iaa_queue *q);
void iaa_accel_recovery_exit(struct iaa_accel *accel);

/* iaa_crypto_sw.c */
int iaa_sw_init(void);
void iaa_sw_exit(void);
int iaa_sw_compress(struct acomp_req *areq);
int iaa_sw_decompress(struct acomp_req *areq);

/* iaa_crypto_alg.c */
int iaa_alg_register(void);
void iaa_alg_unregister(void);

#endif /* __IAA_CRYPTO_H__ */
