// SPDX-License-Identifier: GPL-2.0
/*
 * IAA deflate statistics in debugfs (iaa-crypto/):
 *
 *   total_* and max_*_delay_ns	one global counter per file
 *   wq_stats			global counters, then every device and its wqs
 *   stats_reset		any write clears every counter
 *   latency_stats		1: keep max_*_delay_ns (a clock reading per
 *				request), 0 (the default): not
 *
 * Counters are updated without locks or atomics on the hot path, each CPU in
 * its own: a read sums the CPUs. A read that races with updates or with a
 * reset may be a few counts off; nothing relies on exact snapshots.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

#include "iaa_crypto.h"

DEFINE_PER_CPU(struct iaa_stat_block, iaa_stat_pcpu);
DEFINE_STATIC_KEY_FALSE(iaa_latency_stats);

/* The longest request seen on each CPU: [0] decompress, [1] compress */
static DEFINE_PER_CPU(u64 [2], iaa_max_delay_ns);

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
	[IAA_STAT_DYN_DYNAMIC]		= "total_dynamic_blocks",
	[IAA_STAT_DYN_FIXED]		= "total_dynamic_fixed_blocks",
	[IAA_STAT_DYN_STORED]		= "total_dynamic_stored_blocks",
	[IAA_STAT_DYN_SMALL]		= "total_dynamic_small_inputs",
	[IAA_STAT_DYN_NOSPC]		= "total_dynamic_incompressible",
	[IAA_STAT_DYN_PASS1_NS]		= "total_dynamic_stats_ns",
	[IAA_STAT_DYN_BUILD_NS]		= "total_dynamic_build_ns",
	[IAA_STAT_DYN_PASS2_NS]		= "total_dynamic_compress_ns",
};

static u64 iaa_stat_sum(enum iaa_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(iaa_stat_pcpu.v[stat], cpu);
	return sum;
}

/* A preemption between the read and the write loses one maximum, at worst */
void iaa_stat_delay(bool comp, u64 ns)
{
	if (ns > this_cpu_read(iaa_max_delay_ns[comp]))
		this_cpu_write(iaa_max_delay_ns[comp], ns);
}

int iaa_counters_init(struct iaa_counters *c)
{
	c->pc = alloc_percpu(struct iaa_count_block);
	return c->pc ? 0 : -ENOMEM;
}

void iaa_counters_free(struct iaa_counters *c)
{
	free_percpu(c->pc);
	c->pc = NULL;
}

static int iaa_stat_get(void *data, u64 *val)
{
	*val = iaa_stat_sum((uintptr_t)data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(iaa_stat_fops, iaa_stat_get, NULL, "%llu\n");

static int iaa_delay_get(void *data, u64 *val)
{
	uintptr_t comp = (uintptr_t)data;
	u64 most = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		most = max(most, per_cpu(iaa_max_delay_ns, cpu)[comp]);
	*val = most;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(iaa_delay_fops, iaa_delay_get, NULL, "%llu\n");

static int iaa_latency_get(void *data, u64 *val)
{
	*val = iaa_latency_stats_on();
	return 0;
}

static int iaa_latency_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	if (val)
		static_branch_enable(&iaa_latency_stats);
	else
		static_branch_disable(&iaa_latency_stats);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(iaa_latency_fops, iaa_latency_get, iaa_latency_set,
			 "%llu\n");

static void iaa_counters_clear(struct iaa_counters *c)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(c->pc, cpu), 0, sizeof(struct iaa_count_block));
}

static void iaa_counters_show(struct seq_file *m, const char *indent,
			      struct iaa_counters *c)
{
	struct iaa_count_block sum = { };
	int cpu;

	for_each_possible_cpu(cpu) {
		struct iaa_count_block *b = per_cpu_ptr(c->pc, cpu);

		sum.comp_calls += b->comp_calls;
		sum.comp_bytes += b->comp_bytes;
		sum.decomp_calls += b->decomp_calls;
		sum.decomp_bytes += b->decomp_bytes;
	}
	seq_printf(m, "%scomp_calls: %llu\n", indent, sum.comp_calls);
	seq_printf(m, "%scomp_bytes: %llu\n", indent, sum.comp_bytes);
	seq_printf(m, "%sdecomp_calls: %llu\n", indent, sum.decomp_calls);
	seq_printf(m, "%sdecomp_bytes: %llu\n", indent, sum.decomp_bytes);
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

	for_each_possible_cpu(cpu) {
		memset(per_cpu_ptr(&iaa_stat_pcpu, cpu), 0,
		       sizeof(struct iaa_stat_block));
		memset(per_cpu(iaa_max_delay_ns, cpu), 0,
		       sizeof(iaa_max_delay_ns));
	}

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
				   (void *)1, &iaa_delay_fops);
	debugfs_create_file_unsafe("max_decomp_delay_ns", 0444, root,
				   (void *)0, &iaa_delay_fops);
	debugfs_create_file_unsafe("latency_stats", 0600, root, NULL,
				   &iaa_latency_fops);
	debugfs_create_file("wq_stats", 0444, root, NULL, &iaa_wq_stats_fops);
	debugfs_create_file("stats_reset", 0200, root, NULL,
			    &iaa_stats_reset_fops);
	return 0;
}
