// SPDX-License-Identifier: GPL-2.0
/*
 * IAA deflate statistics in debugfs (iaa-crypto/):
 *
 *   total_* and max_*_delay_ns	one global counter per file
 *   max_atomic_wait_ns		the longest a caller that may not sleep waited
 *				for the device in one request, all its waits
 *				summed (iaa_crypto_timeout.c)
 *   wq_stats			global counters, then every device and its wqs
 *   stats_reset		any write clears every counter
 *   latency_stats		1: keep max_*_delay_ns (a clock reading per
 *				request), 0 (the default): not
 *
 * and in sysfs, for tools that cannot count on debugfs:
 *
 *   /sys/bus/dsa/drivers/crypto/stats/total_*	the global counters
 *   /sys/bus/dsa/devices/wqD.W/crypto_stats/<name>	a bound wq's counters
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

static u64 iaa_stat_sum(enum iaa_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(iaa_stat_pcpu.v[stat], cpu);
	return sum;
}

/* The longest summed wait of one request whose caller may not sleep */
static DEFINE_PER_CPU(u64, iaa_max_atomic_wait_ns);

/* A preemption between the read and the write loses one maximum, at worst */
void iaa_stat_atomic_wait(u64 ns)
{
	if (ns > this_cpu_read(iaa_max_atomic_wait_ns))
		this_cpu_write(iaa_max_atomic_wait_ns, ns);
}

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

static int iaa_atomic_wait_get(void *data, u64 *val)
{
	u64 most = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		most = max(most, per_cpu(iaa_max_atomic_wait_ns, cpu));
	*val = most;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(iaa_atomic_wait_fops, iaa_atomic_wait_get, NULL,
			 "%llu\n");

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

/*
 * The global counters as driver attributes, stats/<name>; their names are
 * those of the debugfs files too. A driver attribute's show() is not told
 * which attribute it serves, hence one per counter.
 */
#define IAA_STAT_ATTR(_id, _name)					\
static ssize_t _name##_show(struct device_driver *drv, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n", iaa_stat_sum(IAA_STAT_##_id));	\
}									\
static DRIVER_ATTR_RO(_name)

IAA_STAT_ATTR(COMP_CALLS, total_comp_calls);
IAA_STAT_ATTR(DECOMP_CALLS, total_decomp_calls);
IAA_STAT_ATTR(COMP_BYTES_IN, total_comp_bytes_in);
IAA_STAT_ATTR(COMP_BYTES_OUT, total_comp_bytes_out);
IAA_STAT_ATTR(DECOMP_BYTES_IN, total_decomp_bytes_in);
IAA_STAT_ATTR(DECOMP_BYTES_OUT, total_decomp_bytes_out);
IAA_STAT_ATTR(SW_COMP_CALLS, total_sw_comp_calls);
IAA_STAT_ATTR(SW_DECOMP_CALLS, total_sw_decomp_calls);
IAA_STAT_ATTR(ERR_EINVAL, total_completion_einval_errors);
IAA_STAT_ATTR(ERR_TIMEOUT, total_completion_timeout_errors);
IAA_STAT_ATTR(ERR_OVERFLOW, total_completion_comp_buf_overflow_errors);
IAA_STAT_ATTR(ERR_FAULT, total_completion_fault_errors);
IAA_STAT_ATTR(ERR_HW, total_completion_hw_errors);
IAA_STAT_ATTR(VERIFY_FAIL, total_verify_failures);
IAA_STAT_ATTR(BOUNCED, total_bounced_requests);
IAA_STAT_ATTR(REROUTED, total_rerouted_requests);
IAA_STAT_ATTR(HANDED_OVER, total_handed_over_requests);
IAA_STAT_ATTR(BATCHED, total_batched_requests);
IAA_STAT_ATTR(POLL_RUNS, total_poller_runs);
IAA_STAT_ATTR(POLL_SCANS, total_poller_scans);
IAA_STAT_ATTR(POLL_ENDS, total_poller_ends);
IAA_STAT_ATTR(DYN_DYNAMIC, total_dynamic_blocks);
IAA_STAT_ATTR(DYN_FIXED, total_dynamic_fixed_blocks);
IAA_STAT_ATTR(DYN_STORED, total_dynamic_stored_blocks);
IAA_STAT_ATTR(DYN_SMALL, total_dynamic_small_inputs);
IAA_STAT_ATTR(DYN_NOSPC, total_dynamic_incompressible);
IAA_STAT_ATTR(DYN_PASS1_NS, total_dynamic_stats_ns);
IAA_STAT_ATTR(DYN_BUILD_NS, total_dynamic_build_ns);
IAA_STAT_ATTR(DYN_PASS2_NS, total_dynamic_compress_ns);
IAA_STAT_ATTR(DYN_ONE_PASS, total_dynamic_one_pass_blocks);
IAA_STAT_ATTR(DYN_ONE_PASS_NS, total_dynamic_one_pass_ns);

static struct attribute *iaa_stat_attr_list[IAA_STAT_NR + 1] = {
	[IAA_STAT_COMP_CALLS] = &driver_attr_total_comp_calls.attr,
	[IAA_STAT_DECOMP_CALLS] = &driver_attr_total_decomp_calls.attr,
	[IAA_STAT_COMP_BYTES_IN] = &driver_attr_total_comp_bytes_in.attr,
	[IAA_STAT_COMP_BYTES_OUT] = &driver_attr_total_comp_bytes_out.attr,
	[IAA_STAT_DECOMP_BYTES_IN] = &driver_attr_total_decomp_bytes_in.attr,
	[IAA_STAT_DECOMP_BYTES_OUT] = &driver_attr_total_decomp_bytes_out.attr,
	[IAA_STAT_SW_COMP_CALLS] = &driver_attr_total_sw_comp_calls.attr,
	[IAA_STAT_SW_DECOMP_CALLS] = &driver_attr_total_sw_decomp_calls.attr,
	[IAA_STAT_ERR_EINVAL] = &driver_attr_total_completion_einval_errors.attr,
	[IAA_STAT_ERR_TIMEOUT] = &driver_attr_total_completion_timeout_errors.attr,
	[IAA_STAT_ERR_OVERFLOW] = &driver_attr_total_completion_comp_buf_overflow_errors.attr,
	[IAA_STAT_ERR_FAULT] = &driver_attr_total_completion_fault_errors.attr,
	[IAA_STAT_ERR_HW] = &driver_attr_total_completion_hw_errors.attr,
	[IAA_STAT_VERIFY_FAIL] = &driver_attr_total_verify_failures.attr,
	[IAA_STAT_BOUNCED] = &driver_attr_total_bounced_requests.attr,
	[IAA_STAT_REROUTED] = &driver_attr_total_rerouted_requests.attr,
	[IAA_STAT_HANDED_OVER] = &driver_attr_total_handed_over_requests.attr,
	[IAA_STAT_BATCHED] = &driver_attr_total_batched_requests.attr,
	[IAA_STAT_POLL_RUNS] = &driver_attr_total_poller_runs.attr,
	[IAA_STAT_POLL_SCANS] = &driver_attr_total_poller_scans.attr,
	[IAA_STAT_POLL_ENDS] = &driver_attr_total_poller_ends.attr,
	[IAA_STAT_DYN_DYNAMIC] = &driver_attr_total_dynamic_blocks.attr,
	[IAA_STAT_DYN_FIXED] = &driver_attr_total_dynamic_fixed_blocks.attr,
	[IAA_STAT_DYN_STORED] = &driver_attr_total_dynamic_stored_blocks.attr,
	[IAA_STAT_DYN_SMALL] = &driver_attr_total_dynamic_small_inputs.attr,
	[IAA_STAT_DYN_NOSPC] = &driver_attr_total_dynamic_incompressible.attr,
	[IAA_STAT_DYN_PASS1_NS] = &driver_attr_total_dynamic_stats_ns.attr,
	[IAA_STAT_DYN_BUILD_NS] = &driver_attr_total_dynamic_build_ns.attr,
	[IAA_STAT_DYN_PASS2_NS] = &driver_attr_total_dynamic_compress_ns.attr,
	[IAA_STAT_DYN_ONE_PASS] = &driver_attr_total_dynamic_one_pass_blocks.attr,
	[IAA_STAT_DYN_ONE_PASS_NS] = &driver_attr_total_dynamic_one_pass_ns.attr,
};

const struct attribute_group iaa_stats_driver_group = {
	.name = "stats",
	.attrs = iaa_stat_attr_list,
};

/* A bound wq's counters as attributes of its device: crypto_stats/<name> */
static ssize_t iaa_wq_count_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct iaa_queue *q = idxd_wq_get_private(confdev_to_wq(dev));
	size_t off = (uintptr_t)container_of(attr, struct dev_ext_attribute,
					     attr)->var;
	u64 sum = 0;
	int cpu;

	if (!q)
		return -ENODEV;
	for_each_possible_cpu(cpu)
		sum += *(u64 *)((void *)per_cpu_ptr(q->stats.pc, cpu) + off);
	return sysfs_emit(buf, "%llu\n", sum);
}

#define IAA_WQ_COUNT_ATTR(_name, _off)				\
	{ __ATTR(_name, 0444, iaa_wq_count_show, NULL), (void *)(_off) }

static struct dev_ext_attribute iaa_wq_attr_comp_calls =
	IAA_WQ_COUNT_ATTR(comp_calls, offsetof(struct iaa_count_block, comp_calls));
static struct dev_ext_attribute iaa_wq_attr_comp_bytes =
	IAA_WQ_COUNT_ATTR(comp_bytes, offsetof(struct iaa_count_block, comp_bytes));
static struct dev_ext_attribute iaa_wq_attr_decomp_calls =
	IAA_WQ_COUNT_ATTR(decomp_calls, offsetof(struct iaa_count_block, decomp_calls));
static struct dev_ext_attribute iaa_wq_attr_decomp_bytes =
	IAA_WQ_COUNT_ATTR(decomp_bytes, offsetof(struct iaa_count_block, decomp_bytes));
static struct dev_ext_attribute iaa_wq_attr_one_pass_blocks =
	IAA_WQ_COUNT_ATTR(one_pass_blocks,
			  offsetof(struct iaa_count_block, one_pass_blocks));

static struct attribute *iaa_wq_count_attrs[] = {
	&iaa_wq_attr_comp_calls.attr.attr,
	&iaa_wq_attr_comp_bytes.attr.attr,
	&iaa_wq_attr_decomp_calls.attr.attr,
	&iaa_wq_attr_decomp_bytes.attr.attr,
	&iaa_wq_attr_one_pass_blocks.attr.attr,
	NULL
};

const struct attribute_group iaa_stats_wq_group = {
	.name = "crypto_stats",
	.attrs = iaa_wq_count_attrs,
};

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
		sum.one_pass_blocks += b->one_pass_blocks;
		sum.batch_help_ends += b->batch_help_ends;
	}
	seq_printf(m, "%scomp_calls: %llu\n", indent, sum.comp_calls);
	seq_printf(m, "%scomp_bytes: %llu\n", indent, sum.comp_bytes);
	seq_printf(m, "%sdecomp_calls: %llu\n", indent, sum.decomp_calls);
	seq_printf(m, "%sdecomp_bytes: %llu\n", indent, sum.decomp_bytes);
	seq_printf(m, "%sone_pass_blocks: %llu\n", indent, sum.one_pass_blocks);
	seq_printf(m, "%sbatch_help_ends: %llu\n", indent, sum.batch_help_ends);
}

static int iaa_wq_stats_show(struct seq_file *m, void *unused)
{
	struct iaa_accel *accel;
	struct iaa_queue *q;
	int i;

	seq_puts(m, "global stats:\n");
	for (i = 0; i < IAA_STAT_NR; i++)
		seq_printf(m, "  %s: %llu\n", iaa_stat_attr_list[i]->name, iaa_stat_sum(i));

	mutex_lock(&iaa_dev_lock);
	list_for_each_entry(accel, &iaa_accels, link) {
		seq_puts(m, "\niaa device:\n");
		seq_printf(m, "  id: %d\n", accel->idxd->id);
		seq_printf(m, "  version: %#x\n", accel->version);
		seq_printf(m, "  iaa_cap: %#llx\n", accel->cap);
		seq_printf(m, "  n_wqs: %u\n", accel->nr_queues);
		iaa_counters_show(m, "  ", &accel->stats);
		seq_puts(m, "  wqs:\n");
		list_for_each_entry(q, &accel->queues, link) {
			seq_printf(m, "    name: %s\n", q->wq->name);
			seq_printf(m, "    wq: %s\n", dev_name(wq_confdev(q->wq)));
			iaa_counters_show(m, "    ", &q->stats);
			seq_printf(m, "    slots_in_use: %u\n", iaa_slots_busy(q));
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
		per_cpu(iaa_max_atomic_wait_ns, cpu) = 0;
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
		debugfs_create_file_unsafe(iaa_stat_attr_list[i]->name, 0444, root,
					   (void *)i, &iaa_stat_fops);
	debugfs_create_file_unsafe("max_comp_delay_ns", 0444, root,
				   (void *)1, &iaa_delay_fops);
	debugfs_create_file_unsafe("max_decomp_delay_ns", 0444, root,
				   (void *)0, &iaa_delay_fops);
	debugfs_create_file_unsafe("max_atomic_wait_ns", 0444, root, NULL,
				   &iaa_atomic_wait_fops);
	debugfs_create_file_unsafe("latency_stats", 0600, root, NULL,
				   &iaa_latency_fops);
	debugfs_create_file("wq_stats", 0444, root, NULL, &iaa_wq_stats_fops);
	debugfs_create_file("stats_reset", 0200, root, NULL,
			    &iaa_stats_reset_fops);
	return 0;
}
