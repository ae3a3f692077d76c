// SPDX-License-Identifier: GPL-2.0
/*
 * IAA deflate statistics in debugfs (iaa-crypto/):
 *
 *   total_* and max_*_delay_ns	one global counter per file
 *   wq_stats			global counters, then every device and its wqs
 *   stats_reset		any write clears every counter
 *
 * Counters are updated without locks on the hot path: per-CPU for the global
 * ones, atomic64 for devices and wqs. A read that races with updates or with
 * a reset may be a few counts off; nothing relies on exact snapshots.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

#include "iaa_crypto.h"

DEFINE_PER_CPU(struct iaa_stat_block, iaa_stat_pcpu);

static atomic64_t iaa_max_delay_ns[2];	/* [0] decompress, [1] compress */

static const char * const iaa_stat_names[IAA_STAT_NR] = {
	[IAA_STAT_COMP_CALLS]		= "total_comp_calls",
	[IAA_STAT_DECOMP_CALLS]		= "total_decomp_calls",
	[IAA_STAT_COMP_BYTES_IN]	= "total_comp_bytes_in",
	[IAA_STAT_COMP_BYTES_OUT]	= "total_comp_bytes_out",
	[IAA_STAT_DECOMP_BYTES_IN]	= "total_decomp_bytes_in",
	[IAA_STAT_DECOMP_BYTES_OUT]	= "total_decomp_bytes_out",
	[IAA_STAT_SW_COMP_CALLS]	= "total_sw_comp_calls",
	[IAA_STAT_SW_DECOMP_CALLS]	= "total_sw_decomp_calls",
	[IAA_STAT_ERR_EINVAL]		= "total_completion_einval_errors",
	[IAA_STAT_ERR_TIMEOUT]		= "total_completion_timeout_errors",
	[IAA_STAT_ERR_OVERFLOW]		= "total_completion_comp_buf_overflow_errors",
	[IAA_STAT_ERR_FAULT]		= "total_completion_fault_errors",
	[IAA_STAT_ERR_HW]		= "total_completion_hw_errors",
	[IAA_STAT_VERIFY_FAIL]		= "total_verify_failures",
	[IAA_STAT_BOUNCED]		= "total_bounced_requests",
	[IAA_STAT_REROUTED]		= "total_rerouted_requests",
	[IAA_STAT_HANDED_OVER]		= "total_handed_over_requests",
};

static u64 iaa_stat_sum(enum iaa_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(iaa_stat_pcpu.v[stat], cpu);
	return sum;
}

void iaa_stat_delay(bool comp, u64 ns)
{
	atomic64_t *max = &iaa_max_delay_ns[comp];
	s64 old = atomic64_read(max);

	while ((u64)old < ns && !atomic64_try_cmpxchg(max, &old, ns))
		;
}

static int iaa_stat_get(void *data, u64 *val)
{
	*val = iaa_stat_sum((uintptr_t)data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(iaa_stat_fops, iaa_stat_get, NULL, "%llu\n");

static int iaa_delay_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(iaa_delay_fops, iaa_delay_get, NULL, "%llu\n");

static void iaa_counters_clear(struct iaa_counters *c)
{
	atomic64_set(&c->comp_calls, 0);
	atomic64_set(&c->comp_bytes, 0);
	atomic64_set(&c->decomp_calls, 0);
	atomic64_set(&c->decomp_bytes, 0);
}

static void iaa_counters_show(struct seq_file *m, const char *indent,
			      struct iaa_counters *c)
{
	seq_printf(m, "%scomp_calls: %lld\n", indent,
		   atomic64_read(&c->comp_calls));
	seq_printf(m, "%scomp_bytes: %lld\n", indent,
		   atomic64_read(&c->comp_bytes));
	seq_printf(m, "%sdecomp_calls: %lld\n", indent,
		   atomic64_read(&c->decomp_calls));
	seq_printf(m, "%sdecomp_bytes: %lld\n", indent,
		   atomic64_read(&c->decomp_bytes));
}

static int iaa_wq_stats_show(struct seq_file *m, void *unused)
{
	struct iaa_accel *accel;
	struct iaa_queue *q;
	int i;

	seq_puts(m, "global stats:\n");
	for (i = 0; i < IAA_STAT_NR; i++)
		seq_printf(m, "  %s: %llu\n", iaa_stat_names[i], iaa_stat_sum(i));

	mutex_lock(&iaa_dev_lock);
	list_for_each_entry(accel, &iaa_accels, link) {
		seq_puts(m, "\niaa device:\n");
		seq_printf(m, "  id: %d\n", accel->idxd->id);
		seq_printf(m, "  n_wqs: %u\n", accel->nr_queues);
		iaa_counters_show(m, "  ", &accel->stats);
		seq_puts(m, "  wqs:\n");
		list_for_each_entry(q, &accel->queues, link) {
			seq_printf(m, "    name: %s\n", q->wq->name);
			seq_printf(m, "    wq: %s\n", dev_name(wq_confdev(q->wq)));
			iaa_counters_show(m, "    ", &q->stats);
		}
	}
	mutex_unlock(&iaa_dev_lock);

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(iaa_wq_stats);

static ssize_t iaa_stats_reset_write(struct file *file, const char __user *buf,
				     size_t count, loff_t *ppos)
{
	struct iaa_accel *accel;
	struct iaa_queue *q;
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&iaa_stat_pcpu, cpu), 0,
		       sizeof(struct iaa_stat_block));
	atomic64_set(&iaa_max_delay_ns[0], 0);
	atomic64_set(&iaa_max_delay_ns[1], 0);

	mutex_lock(&iaa_dev_lock);
	list_for_each_entry(accel, &iaa_accels, link) {
		iaa_counters_clear(&accel->stats);
		list_for_each_entry(q, &accel->queues, link)
			iaa_counters_clear(&q->stats);
	}
	mutex_unlock(&iaa_dev_lock);

	return count;
}

static const struct file_operations iaa_stats_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = iaa_stats_reset_write,
	.llseek = noop_llseek,
};

int iaa_stats_init(struct dentry *root)
{
	uintptr_t i;

	for (i = 0; i < IAA_STAT_NR; i++)
		debugfs_create_file_unsafe(iaa_stat_names[i], 0444, root,
					   (void *)i, &iaa_stat_fops);
	debugfs_create_file_unsafe("max_comp_delay_ns", 0444, root,
				   &iaa_max_delay_ns[1], &iaa_delay_fops);
	debugfs_create_file_unsafe("max_decomp_delay_ns", 0444, root,
				   &iaa_max_delay_ns[0], &iaa_delay_fops);
	debugfs_create_file("wq_stats", 0444, root, NULL, &iaa_wq_stats_fops);
	debugfs_create_file("stats_reset", 0200, root, NULL,
			    &iaa_stats_reset_fops);
	return 0;
}
