/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IAA deflate statistics (CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS), shown in
 * debugfs under iaa-crypto/. Every counter is per CPU, the per-device and
 * per-wq ones too: a request writes no cache line another CPU writes. The
 * latency maxima cost a clock reading per request, and are kept only while
 * latency_stats is on (a static key). Without the option everything below
 * compiles to nothing.
 */
#ifndef __IAA_CRYPTO_STATS_H__
#define __IAA_CRYPTO_STATS_H__

#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct attribute_group;
struct dentry;

/* The global counters; iaa_crypto_stats.c names their files */
enum iaa_stat {
	IAA_STAT_COMP_CALLS,		/* compress requests */
	IAA_STAT_DECOMP_CALLS,		/* decompress requests */
	IAA_STAT_COMP_BYTES_IN,		/* ... successful: input bytes */
	IAA_STAT_COMP_BYTES_OUT,	/* ... successful: output bytes */
	IAA_STAT_DECOMP_BYTES_IN,
	IAA_STAT_DECOMP_BYTES_OUT,
	IAA_STAT_SW_COMP_CALLS,		/* requests served by software */
	IAA_STAT_SW_DECOMP_CALLS,
	IAA_STAT_ERR_EINVAL,		/* analytics / invalid descriptor */
	IAA_STAT_ERR_TIMEOUT,		/* driver timeout or device watchdog */
	IAA_STAT_ERR_OVERFLOW,		/* output did not fit max_dst_size */
	IAA_STAT_ERR_FAULT,		/* page fault / address translation */
	IAA_STAT_ERR_HW,		/* any other device error, aborts */
	IAA_STAT_VERIFY_FAIL,		/* compress output failed verification */
	IAA_STAT_BOUNCED,		/* scatterlists linearised for the device */
	IAA_STAT_REROUTED,		/* chosen wq full: another wq used */
	IAA_STAT_HANDED_OVER,		/* a spinning caller's request to the poller */
	IAA_STAT_BATCHED,		/* sync mode, IAA_REQ_MORE: to the poller at once */
	IAA_STAT_POLL_RUNS,		/* a wq's poller started */
	IAA_STAT_POLL_SCANS,		/* ... its scans that ended a stage */
	IAA_STAT_POLL_ENDS,		/* ... stages those scans ended */
	IAA_STAT_DYN_DYNAMIC,		/* dynamic mode: dynamic blocks */
	IAA_STAT_DYN_FIXED,		/* ... fixed: no smaller, or no statistics */
	IAA_STAT_DYN_STORED,		/* ... stored: the data does not compress */
	IAA_STAT_DYN_SMALL,		/* ... fixed: too small for statistics */
	IAA_STAT_DYN_NOSPC,		/* ... nothing fits: -ENOSPC */
	IAA_STAT_DYN_PASS1_NS,		/* latency_stats: statistics operations */
	IAA_STAT_DYN_BUILD_NS,		/* ... building codes and header */
	IAA_STAT_DYN_PASS2_NS,		/* ... their compress operations */
	IAA_STAT_DYN_ONE_PASS,		/* dynamic blocks the device wrote in one pass */
	IAA_STAT_DYN_ONE_PASS_NS,	/* latency_stats: those operations */
	IAA_STAT_NR
};

#ifdef CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS

struct iaa_stat_block {
	u64 v[IAA_STAT_NR];
};

DECLARE_PER_CPU(struct iaa_stat_block, iaa_stat_pcpu);

/* Work done by one device or one wq, on one CPU */
struct iaa_count_block {
	u64 comp_calls;
	u64 comp_bytes;			/* compressed bytes produced */
	u64 decomp_calls;
	u64 decomp_bytes;		/* compressed bytes consumed */
	u64 one_pass_blocks;		/* dynamic blocks written in one pass */
	u64 batch_help_ends;		/* stages a batch's last request ended */
};

struct iaa_counters {
	struct iaa_count_block __percpu *pc;
};

DECLARE_STATIC_KEY_FALSE(iaa_latency_stats);

static inline void iaa_stat_add(enum iaa_stat stat, u64 val)
{
	this_cpu_add(iaa_stat_pcpu.v[stat], val);
}

static inline void iaa_counters_add(struct iaa_counters *c, bool comp,
				    u64 bytes)
{
	if (comp) {
		this_cpu_inc(c->pc->comp_calls);
		this_cpu_add(c->pc->comp_bytes, bytes);
	} else {
		this_cpu_inc(c->pc->decomp_calls);
		this_cpu_add(c->pc->decomp_bytes, bytes);
	}
}

static inline void iaa_counters_one_pass(struct iaa_counters *c)
{
	this_cpu_inc(c->pc->one_pass_blocks);
}

static inline void iaa_counters_help(struct iaa_counters *c, unsigned int n)
{
	this_cpu_add(c->pc->batch_help_ends, n);
}

static inline bool iaa_latency_stats_on(void)
{
	return static_branch_unlikely(&iaa_latency_stats);
}

extern const struct attribute_group iaa_stats_driver_group;
extern const struct attribute_group iaa_stats_wq_group;

int iaa_counters_init(struct iaa_counters *c);
void iaa_counters_free(struct iaa_counters *c);
void iaa_stat_delay(bool comp, u64 ns);
void iaa_stat_atomic_wait(u64 ns);
int iaa_stats_init(struct dentry *root);

#else

struct iaa_counters { };

static inline void iaa_stat_add(enum iaa_stat stat, u64 val) { }
static inline void iaa_counters_add(struct iaa_counters *c, bool comp,
				    u64 bytes) { }
static inline void iaa_counters_one_pass(struct iaa_counters *c) { }
static inline void iaa_counters_help(struct iaa_counters *c,
				     unsigned int n) { }
static inline bool iaa_latency_stats_on(void) { return false; }
static inline int iaa_counters_init(struct iaa_counters *c) { return 0; }
static inline void iaa_counters_free(struct iaa_counters *c) { }
static inline void iaa_stat_delay(bool comp, u64 ns) { }
static inline void iaa_stat_atomic_wait(u64 ns) { }
static inline int iaa_stats_init(struct dentry *root) { return 0; }

#endif /* CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS */

static inline void iaa_stat_inc(enum iaa_stat stat)
{
	iaa_stat_add(stat, 1);
}

#endif /* __IAA_CRYPTO_STATS_H__ */
