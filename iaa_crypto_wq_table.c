// SPDX-License-Identifier: GPL-2.0
/*
 * Which wq a request goes to.
 *
 * Every online CPU is given the wqs of one or more IAA devices near it; a
 * CPU sends its requests round-robin over its wqs. The mapping:
 *
 *  1. A device's home node is its NUMA node if that node has online CPUs,
 *     otherwise the nearest node that has (node_distance(), lowest node id
 *     on ties). A device without NUMA affinity counts as being on the first
 *     node with online CPUs.
 *  2. A CPU is served by the devices homed on its own node, or if there are
 *     none, by those homed on the nearest node that has some.
 *  3. The online CPUs served by one home node, in CPU id order, are spread
 *     evenly over its devices, in device id order: with C CPUs and K
 *     devices, CPU number i gets device i * K / C when C >= K, and when
 *     there are more devices than CPUs, device d goes to CPU d * C / K.
 *  4. A CPU's wqs are all usable wqs of its devices, by device and wq id.
 *
 * The table is rebuilt on every wq bind/unbind, when a wq is taken out of
 * service and on CPU hotplug, and published with RCU: the submission path
 * reads it without any lock. A CPU whose wq has no free descriptor moves the
 * request to the least loaded other wq, of its own home node first; only
 * when every wq is full does the submitter wait, within the request's
 * bounds (iaa_crypto_timeout.c). debugfs iaa-crypto/wq_table shows the
 * mapping.
 *
 * A CPU that goes down may keep a free slot of each wq in its cache
 * (iaa_crypto_slot.c): once it is dead, they go back to their wqs.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "iaa_crypto.h"

struct iaa_cpu_slice {
	unsigned int first;		/* this CPU's wqs: queue[first..] */
	unsigned int count;
	unsigned int group_first;	/* all wqs of the CPU's home node */
	unsigned int group_count;
};

struct iaa_wq_table {
	struct rcu_head rcu;
	struct iaa_cpu_slice *cpu;	/* nr_cpu_ids entries */
	unsigned int nr_queues;
	struct iaa_queue *queue[] __counted_by(nr_queues);
};

static struct iaa_wq_table __rcu *iaa_table;
static DEFINE_PER_CPU(unsigned int, iaa_rr);
static int iaa_table_hp_state = -1;
static int iaa_table_dead_state = -1;

/* Build-time view of one device and of one home node */
struct iaa_build_accel {
	struct iaa_accel *accel;
	int home;
	unsigned int first;		/* its wqs in the new table */
	unsigned int count;
};

struct iaa_build_group {
	int node;
	unsigned int accel_first;	/* index in the sorted device array */
	unsigned int nr_accels;
	unsigned int nr_cpus;
	unsigned int next_cpu;
};

static bool iaa_queue_usable(struct iaa_queue *q)
{
	return !test_bit(IAA_QUEUE_BROKEN, &q->flags);
}

/* The node in @nodes nearest to @from, lowest id on ties */
static int iaa_nearest_node(int from, const nodemask_t *nodes)
{
	int n, d, best = NUMA_NO_NODE, best_d = INT_MAX;

	if (node_isset(from, *nodes))
		return from;

	for_each_node_mask(n, *nodes) {
		d = node_distance(from, n);
		if (d < best_d) {
			best_d = d;
			best = n;
		}
	}
	return best;
}

static int iaa_build_accel_cmp(const void *a, const void *b)
{
	const struct iaa_build_accel *x = a, *y = b;

	if (x->home != y->home)
		return x->home < y->home ? -1 : 1;
	return x->accel->idxd->id - y->accel->idxd->id;
}

static struct iaa_build_group *iaa_group_of(struct iaa_build_group *groups,
					    unsigned int nr_groups, int node)
{
	unsigned int g;

	for (g = 0; g < nr_groups; g++)
		if (groups[g].node == node)
			return &groups[g];
	return NULL;
}

/* Give CPU number @i of its group's @nr_cpus its share of the devices */
static void iaa_assign_cpu(struct iaa_cpu_slice *s,
			   const struct iaa_build_group *g,
			   const struct iaa_build_accel *ba, unsigned int i)
{
	unsigned int k = g->nr_accels, c = g->nr_cpus, a0, a1;

	if (c >= k) {
		a0 = i * k / c;
		a1 = a0 + 1;
	} else {
		a0 = DIV_ROUND_UP(i * k, c);
		a1 = DIV_ROUND_UP((i + 1) * k, c);
	}
	ba += g->accel_first;
	s->first = ba[a0].first;
	s->count = ba[a1 - 1].first + ba[a1 - 1].count - s->first;
}

static bool iaa_cpu_counts(unsigned int cpu, int going_cpu)
{
	return cpu_online(cpu) && (int)cpu != going_cpu;
}

static struct iaa_wq_table *iaa_table_build(int going_cpu)
{
	nodemask_t cpu_nodes = NODE_MASK_NONE, home_nodes = NODE_MASK_NONE;
	struct iaa_build_accel *ba = NULL;
	struct iaa_build_group *groups = NULL, *g;
	unsigned int nr_accels = 0, nr_groups = 0, nr_queues = 0, a, n;
	struct iaa_wq_table *t = NULL;
	struct iaa_accel *accel;
	struct iaa_queue *q;
	unsigned int cpu;

	lockdep_assert_held(&iaa_dev_lock);

	for_each_possible_cpu(cpu)
		if (iaa_cpu_counts(cpu, going_cpu))
			node_set(cpu_to_node(cpu), cpu_nodes);

	list_for_each_entry(accel, &iaa_accels, link)
		nr_accels++;
	if (!nr_accels || nodes_empty(cpu_nodes))
		return NULL;

	ba = kcalloc(nr_accels, sizeof(*ba), GFP_KERNEL);
	groups = kcalloc(nr_accels, sizeof(*groups), GFP_KERNEL);
	if (!ba || !groups)
		goto nomem;

	/* Usable devices, their home nodes, in (home, device id) order */
	nr_accels = 0;
	list_for_each_entry(accel, &iaa_accels, link) {
		int node = accel->node;

		n = 0;
		list_for_each_entry(q, &accel->queues, link)
			n += iaa_queue_usable(q);
		if (!n)
			continue;
		if (node == NUMA_NO_NODE)
			node = first_node(cpu_nodes);
		ba[nr_accels].accel = accel;
		ba[nr_accels].home = iaa_nearest_node(node, &cpu_nodes);
		ba[nr_accels].count = n;
		node_set(ba[nr_accels].home, home_nodes);
		nr_queues += n;
		nr_accels++;
	}
	if (!nr_accels)
		goto out;
	sort(ba, nr_accels, sizeof(*ba), iaa_build_accel_cmp, NULL);

	t = kzalloc(struct_size(t, queue, nr_queues), GFP_KERNEL);
	if (!t)
		goto nomem;
	t->nr_queues = nr_queues;
	t->cpu = kcalloc(nr_cpu_ids, sizeof(*t->cpu), GFP_KERNEL);
	if (!t->cpu)
		goto nomem;

	/* The wqs, grouped by home node */
	nr_queues = 0;
	for (a = 0; a < nr_accels; a++) {
		if (!a || ba[a].home != ba[a - 1].home) {
			g = &groups[nr_groups++];
			g->node = ba[a].home;
			g->accel_first = a;
		}
		g->nr_accels++;
		ba[a].first = nr_queues;
		list_for_each_entry(q, &ba[a].accel->queues, link) {
			if (!iaa_queue_usable(q))
				continue;
			q->node = ba[a].home;
			t->queue[nr_queues++] = q;
		}
	}

	/* CPUs per serving node, then each CPU's position in its group */
	for_each_possible_cpu(cpu) {
		if (!iaa_cpu_counts(cpu, going_cpu))
			continue;
		g = iaa_group_of(groups, nr_groups,
				 iaa_nearest_node(cpu_to_node(cpu), &home_nodes));
		if (g)
			g->nr_cpus++;
	}
	for_each_possible_cpu(cpu) {
		struct iaa_cpu_slice *s = &t->cpu[cpu];
		const struct iaa_build_accel *first;

		if (!iaa_cpu_counts(cpu, going_cpu))
			continue;
		g = iaa_group_of(groups, nr_groups,
				 iaa_nearest_node(cpu_to_node(cpu), &home_nodes));
		if (!g)
			continue;
		iaa_assign_cpu(s, g, ba, g->next_cpu++);
		first = &ba[g->accel_first];
		s->group_first = first->first;
		s->group_count = first[g->nr_accels - 1].first +
				 first[g->nr_accels - 1].count - s->group_first;
	}

out:
	kfree(groups);
	kfree(ba);
	return t;

nomem:
	if (t)
		kfree(t->cpu);
	kfree(t);
	kfree(groups);
	kfree(ba);
	return ERR_PTR(-ENOMEM);
}

static void iaa_table_free_rcu(struct rcu_head *head)
{
	struct iaa_wq_table *t = container_of(head, struct iaa_wq_table, rcu);

	kfree(t->cpu);
	kfree(t);
}

static void iaa_table_work_fn(struct work_struct *work);
static DECLARE_WORK(iaa_table_work, iaa_table_work_fn);

/**
 * iaa_wq_table_rebuild - compute and publish the CPU to wq mapping
 * @going_cpu: a CPU being taken offline, to leave out; -1 if none
 *
 * Called with iaa_dev_lock held and CPU hotplug excluded. If memory for the
 * new table cannot be had, no table is published (requests then take the
 * software path) and the rebuild is retried from a work item: a stale table
 * could point at a wq that is going away.
 */
void iaa_wq_table_rebuild(int going_cpu)
{
	struct iaa_wq_table *t, *old;

	t = iaa_table_build(going_cpu);
	if (IS_ERR(t)) {
		t = NULL;
		queue_work(system_wq, &iaa_table_work);
	}

	old = rcu_replace_pointer(iaa_table, t, lockdep_is_held(&iaa_dev_lock));
	if (old)
		call_rcu(&old->rcu, iaa_table_free_rcu);
}

static void iaa_table_work_fn(struct work_struct *work)
{
	cpus_read_lock();
	mutex_lock(&iaa_dev_lock);
	iaa_wq_table_rebuild(-1);
	mutex_unlock(&iaa_dev_lock);
	cpus_read_unlock();
}

/* Called from any context: a wq went out of service */
void iaa_wq_table_rebuild_async(void)
{
	queue_work(system_wq, &iaa_table_work);
}

/* Claim a free slot of @q without waiting, and pin @q for the request */
static bool iaa_queue_claim(struct iaa_queue *q, struct iaa_slot **slotp,
			    bool *busy)
{
	struct iaa_slot *slot;

	if (!iaa_queue_usable(q) || !iaa_queue_tryget(q))
		return false;

	slot = iaa_slot_get(q);
	if (!slot) {
		*busy = true;
		iaa_queue_put(q);
		return false;
	}

	*slotp = slot;
	return true;
}

/* The least loaded wq of queue[first..first+count) other than @skip */
static struct iaa_queue *iaa_table_reroute(struct iaa_wq_table *t,
					   unsigned int first,
					   unsigned int count,
					   struct iaa_queue *skip,
					   struct iaa_slot **slotp, bool *busy)
{
	struct iaa_queue *q, *best = NULL;
	unsigned int i, load, best_load = UINT_MAX;

	for (i = first; i < first + count; i++) {
		q = t->queue[i];
		if (q == skip || !iaa_queue_usable(q))
			continue;
		load = iaa_slots_busy(q);
		if (load < best_load) {
			best = q;
			best_load = load;
		}
	}
	if (!best)
		return NULL;
	if (iaa_queue_claim(best, slotp, busy))
		return best;

	/* Raced with other submitters: take any wq with room */
	for (i = first; i < first + count; i++) {
		q = t->queue[i];
		if (q != skip && q != best && iaa_queue_claim(q, slotp, busy))
			return q;
	}
	return NULL;
}

static struct iaa_queue *iaa_table_try(struct iaa_slot **slotp, bool *busy)
{
	struct iaa_queue *q = NULL, *alt = NULL;
	const struct iaa_cpu_slice *s;
	struct iaa_wq_table *t;
	unsigned int pick;

	rcu_read_lock();
	t = rcu_dereference(iaa_table);
	if (!t)
		goto out;

	s = &t->cpu[raw_smp_processor_id()];
	if (s->count) {
		pick = this_cpu_inc_return(iaa_rr) % s->count;
		q = t->queue[s->first + pick];
		if (iaa_queue_claim(q, slotp, busy))
			goto out;
		alt = iaa_table_reroute(t, s->group_first, s->group_count, q,
					slotp, busy);
	}
	if (!alt)
		alt = iaa_table_reroute(t, 0, t->nr_queues, q, slotp, busy);
	if (alt && q)
		iaa_stat_inc(IAA_STAT_REROUTED);
	q = alt;
out:
	rcu_read_unlock();
	return q;
}

/**
 * iaa_wq_table_get - pick a wq and a slot of it for a request on this CPU
 * @slotp: the slot, taken from the returned wq
 * @wait: the request's waits (iaa_crypto_timeout.c)
 *
 * While every wq is full the caller waits, for at most what @wait allows:
 * the request timeout if it may sleep, what is left of its bound if it may
 * not.
 *
 * Return: the wq, with a reference the request drops when it finishes
 * (iaa_queue_put()), or NULL when no wq can take the request: none bound or
 * usable, or every wq stayed full for that whole wait.
 */
struct iaa_queue *iaa_wq_table_get(struct iaa_slot **slotp,
				   struct iaa_wait *wait)
{
	struct iaa_queue *q;
	bool busy, waiting = false;

	for (;;) {
		busy = false;
		q = iaa_table_try(slotp, &busy);
		if (q || !busy)
			return q;

		if (!waiting) {
			iaa_wait_begin(wait);
			waiting = true;
		}
		if (iaa_wait_over(wait))
			return NULL;

		if (wait->may_sleep)
			cond_resched();
		else
			cpu_relax();
	}
}

/**
 * iaa_wq_table_pin_cpu - pin this CPU's wqs other than @except
 * @qs: where to put them
 * @max: at most this many
 * @except: a wq the caller holds already, left out
 *
 * For a thread that ends other requests' stages while it waits for its own
 * (the last request of a batch, whose others went round-robin over this
 * CPU's wqs). Each wq returned holds a reference the caller drops with
 * iaa_queue_put().
 *
 * Return: how many were pinned.
 */
unsigned int iaa_wq_table_pin_cpu(struct iaa_queue **qs, unsigned int max,
				  struct iaa_queue *except)
{
	const struct iaa_cpu_slice *s;
	struct iaa_wq_table *t;
	struct iaa_queue *q;
	unsigned int i, n = 0;

	rcu_read_lock();
	t = rcu_dereference(iaa_table);
	if (!t)
		goto out;
	s = &t->cpu[raw_smp_processor_id()];
	for (i = 0; i < s->count && n < max; i++) {
		q = t->queue[s->first + i];
		if (q != except && iaa_queue_tryget(q))
			qs[n++] = q;
	}
out:
	rcu_read_unlock();
	return n;
}

static int iaa_wq_table_show(struct seq_file *m, void *unused)
{
	const struct iaa_wq_table *t;
	const struct iaa_cpu_slice *s;
	struct iaa_queue *q;
	unsigned int cpu, i;

	rcu_read_lock();
	t = rcu_dereference(iaa_table);
	for_each_online_cpu(cpu) {
		seq_printf(m, "cpu %u node %d:", cpu, cpu_to_node(cpu));
		s = t ? &t->cpu[cpu] : NULL;
		if (!s || !s->count)
			seq_puts(m, " none");
		for (i = 0; s && i < s->count; i++) {
			q = t->queue[s->first + i];
			seq_printf(m, " %s/%s", dev_name(idxd_confdev(q->wq->idxd)),
				   dev_name(wq_confdev(q->wq)));
		}
		seq_putc(m, '\n');
	}
	rcu_read_unlock();

	return 0;
}
DEFINE_SHOW_ATTRIBUTE(iaa_wq_table);

static int iaa_table_cpu_online(unsigned int cpu)
{
	mutex_lock(&iaa_dev_lock);
	iaa_wq_table_rebuild(-1);
	mutex_unlock(&iaa_dev_lock);
	return 0;
}

static int iaa_table_cpu_offline(unsigned int cpu)
{
	mutex_lock(&iaa_dev_lock);
	iaa_wq_table_rebuild(cpu);
	mutex_unlock(&iaa_dev_lock);
	return 0;
}

/* On a CPU still up, once @cpu is dead: the slots its cache kept */
static int iaa_table_cpu_dead(unsigned int cpu)
{
	struct iaa_accel *accel;
	struct iaa_queue *q;

	mutex_lock(&iaa_dev_lock);
	list_for_each_entry(accel, &iaa_accels, link)
		list_for_each_entry(q, &accel->queues, link)
			iaa_slots_cpu_dead(q, cpu);
	mutex_unlock(&iaa_dev_lock);
	return 0;
}

int iaa_wq_table_init(void)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "crypto/iaa:dead",
					NULL, iaa_table_cpu_dead);
	if (ret < 0)
		return ret;
	iaa_table_dead_state = ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "crypto/iaa:online",
					iaa_table_cpu_online,
					iaa_table_cpu_offline);
	if (ret < 0) {
		cpuhp_remove_state_nocalls(iaa_table_dead_state);
		iaa_table_dead_state = -1;
		return ret;
	}
	iaa_table_hp_state = ret;

	debugfs_create_file("wq_table", 0444, iaa_debugfs_root, NULL,
			    &iaa_wq_table_fops);
	return 0;
}

/* After every wq is gone: nothing can publish a table any more */
void iaa_wq_table_exit(void)
{
	struct iaa_wq_table *old;

	if (iaa_table_hp_state >= 0)
		cpuhp_remove_state_nocalls(iaa_table_hp_state);
	if (iaa_table_dead_state >= 0)
		cpuhp_remove_state_nocalls(iaa_table_dead_state);
	cancel_work_sync(&iaa_table_work);

	mutex_lock(&iaa_dev_lock);
	old = rcu_replace_pointer(iaa_table, NULL,
				  lockdep_is_held(&iaa_dev_lock));
	mutex_unlock(&iaa_dev_lock);
	if (old)
		call_rcu(&old->rcu, iaa_table_free_rcu);
	rcu_barrier();
}
