// SPDX-License-Identifier: GPL-2.0
/*
 * iaa_bench - per-operation latency and throughput of an acomp algorithm on a page corpus.
 *
 *   insmod iaa_bench.ko alg=NAME [corpus=/data/corpus.bin] [passes=3] [warmup=1] [tput_ops=0]
 *                       [tput_all=1] [tag=bench] [timeout_ms=10000] [cpu=0] [check=1]
 *                       [qd=D,D,..] [qd_ops=1000] [qd_batch=1] [fresh=0] [nocb=0]
 *                       [batch=N,N,..] [batch_hint=1]
 *
 *   alg         acomp algorithm or driver name (deflate-iaa, deflate-scomp, lz4, ...)
 *   corpus      a file of N * 4096 bytes: the pages
 *   passes      latency passes over the corpus (0: none). One kthread on @cpu compresses
 *               each page and at once decompresses the result, like a zswap store and
 *               load; each operation is timed with ktime_get_ns() around the submission and
 *               the wait for its completion
 *   warmup      untimed passes of that thread before the timed ones
 *   tput_ops    throughput: operations per thread and phase (0: none). A compress phase,
 *               then a decompress phase, first with one kthread (on @cpu), then (tput_all)
 *               with one kthread bound to every online CPU, all started together
 *   tag         printed in the header line of the results
 *   timeout_ms  bound on one asynchronous request
 *   cpu         the CPU of the latency thread and of the single-thread throughput run
 *   check       compare every decompression with its page (0: for the null algorithm of
 *               null_acomp.c, which produces no data)
 *   qd          queue depths (1..128; none: no such phases). For each depth, one kthread (on
 *               @cpu) keeps that many asynchronous requests outstanding over the corpus, a
 *               compress phase then a decompress phase of qd_ops requests each: first as a
 *               sliding window, each request's callback submitting the next one (at depth 1:
 *               a caller resubmitting from its callback), then (qd_batch) in batches, the
 *               thread submitting D requests, then waiting for all D to end. Requests carry
 *               no CRYPTO_TFM_REQ_MAY_SLEEP (callbacks submit too). Every end is checked
 *               against preparation (status, length), one in 16 byte for byte
 *   batch       batch sizes (1..128; none: no such phases). For each N, one kthread (on @cpu)
 *               compresses qd_ops pages in batches of N the way zram batches a bio: N
 *               requests, each with a callback and CRYPTO_TFM_REQ_MAY_SLEEP, all but the last
 *               with the hint ACOMP_REQ_MORE (below); the requests that returned -EINPROGRESS
 *               are counted, and the thread sleeps once per batch on one completion that
 *               the last of their callbacks completes. N=1 is the one-page path: a single
 *               request, no hint. Ends are checked as in the qd phases
 *   batch_hint  0: the batches without the hint (what a driver that ignores it does); 2: the
 *               hint on every request of a batch, the last one too (the thread then waits
 *               for all of them through their callbacks)
 *   fresh       the latency passes on buffers a caller might hand in: before every pass
 *               (untimed), each page gets a kmalloc'd copy as its source and kmalloc'd
 *               destination and output buffers, freed after the pass; the decompress
 *               reads the compressed bytes where the compress wrote them. Without it the
 *               passes reuse the corpus pages, the thread's destination and the copies
 *               kept from the preparation.
 *   nocb        the latency passes' requests the way zram's backend makes them: no
 *               callback, no flag (neither CRYPTO_TFM_REQ_MAY_SLEEP nor MAY_BACKLOG),
 *               each compress and decompress called with preemption disabled. Such a
 *               request must end before the call returns. Without it, every request has
 *               a callback and CRYPTO_TFM_REQ_MAY_BACKLOG.
 *
 * Requests are zswap's: a single page in, a destination of two pages with dlen = PAGE_SIZE
 * (a page that does not fit is "incompressible" and zswap stores it elsewhere); decompress
 * from a buffer of exactly the compressed length into a page with dlen = PAGE_SIZE. One
 * request is outstanding per thread, except in the queue-depth phases.
 *
 * Everything runs in module init; the results stay in /sys/kernel/debug/iaa_bench/result
 * until rmmod. Init fails only for invalid parameters or a corpus that cannot be read;
 * errors during the run are counted in the results (the "end" line).
 *
 * Results, one record a line, fields KEY=VALUE:
 *   run tag= alg= driver= pages= passes= warmup= tput_ops= cpus= qd_ops= fresh= nocb=
 *   page i= c= [cfull=] [cerr=] cl=NS,NS,.. dl=NS,NS,..   (latency, one line a page)
 *        c: compressed length with dlen = PAGE_SIZE, 0 if it did not fit; then cerr is
 *        that errno and cfull the length into two pages (0 if that failed too);
 *        cl/dl: the latency of each pass in ns (dl empty for a page that did not fit)
 *   cpu op=comp|decomp ops= ns= idle_ns=
 *        the latency passes' operations: the sum of their latencies and of the idle time
 *        of the thread's CPU during them (-1: not accounted)
 *   tput op=comp|decomp threads= ops= ns= busy_ns=
 *        ns: from the start of the phase to the end of its last thread; busy_ns: the
 *        non-idle time of all online CPUs during the phase (get_cpu_idle_time_us)
 *   qd op=comp|decomp pattern=window|batch depth= ops= ns= busy_ns= errors= mismatches=
 *        ns: from the first submission to the end of the last request; busy_ns as for tput
 *   batch op=comp n= hint= ops= ns= busy_ns= inprogress= errors= mismatches=
 *        as for qd; inprogress: the requests that returned -EINPROGRESS (their callback
 *        ended them)
 *   end errors= mismatches= timeouts= incompressible= aborted=
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/tick.h>
/* get_cpu_idle_time_us(): 6.12 declares it in linux/tick.h, 7.3 in linux/kernel_stat.h */
#include <linux/kernel_stat.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/string.h>
#include <linux/atomic.h>
#include <crypto/acompress.h>

static char *alg = "deflate-iaa";
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "acomp algorithm or driver name");

static char *corpus = "/data/corpus.bin";
module_param(corpus, charp, 0444);
MODULE_PARM_DESC(corpus, "file of 4 KiB pages");

static uint passes = 3;
module_param(passes, uint, 0444);
MODULE_PARM_DESC(passes, "latency passes over the corpus");

static uint warmup = 1;
module_param(warmup, uint, 0444);
MODULE_PARM_DESC(warmup, "untimed passes before the latency passes");

static uint tput_ops;
module_param(tput_ops, uint, 0444);
MODULE_PARM_DESC(tput_ops, "throughput: operations per thread and phase (0: none)");

static bool tput_all = true;
module_param(tput_all, bool, 0444);
MODULE_PARM_DESC(tput_all, "throughput also with a thread on every online CPU");

static char *tag = "bench";
module_param(tag, charp, 0444);
MODULE_PARM_DESC(tag, "label of the results");

static uint timeout_ms = 10000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "bound on one asynchronous request");

static uint cpu;
module_param(cpu, uint, 0444);
MODULE_PARM_DESC(cpu, "CPU of the latency and single-thread throughput runs");

static bool check = true;
module_param(check, bool, 0444);
MODULE_PARM_DESC(check, "compare decompressions with their pages (0: null algorithm)");

#define QD_MAX		128	/* the descriptors of a whole device's wq space */
static uint qd[8];
static int nr_qd;
module_param_array(qd, uint, &nr_qd, 0444);
MODULE_PARM_DESC(qd, "queue depths of the queue-depth phases, e.g. 1,2,4,8 (none: no phases)");

static uint qd_ops = 1000;
module_param(qd_ops, uint, 0444);
MODULE_PARM_DESC(qd_ops, "requests per queue-depth phase");

static bool qd_batch = true;
module_param(qd_batch, bool, 0444);
MODULE_PARM_DESC(qd_batch, "queue depth also in batches: submit all, then collect");
static uint batch[8];
static int nr_batch;
module_param_array(batch, uint, &nr_batch, 0444);
MODULE_PARM_DESC(batch, "batch sizes of the batch phases, e.g. 1,4,16,64 (none: no phases)");

/*
 * The hint of a batch's request that more follow (the request-flag range that the crypto
 * API leaves to drivers): our driver's IAA_REQ_MORE; other drivers ignore it
 */
#define ACOMP_REQ_MORE	0x00080000

static uint batch_hint = 1;
module_param(batch_hint, uint, 0444);
MODULE_PARM_DESC(batch_hint, "batch phases: the hint on all but the last request (0: none, 2: all)");

static bool fresh;
module_param(fresh, bool, 0444);
MODULE_PARM_DESC(fresh, "latency passes on buffers kmalloc'd anew for every pass");

static bool nocb;
module_param(nocb, bool, 0444);
MODULE_PARM_DESC(nocb, "latency passes without a callback, preemption off (zram's way)");

#define RESULT_SIZE	(512 * 1024)
#define DST_SIZE	(2 * PAGE_SIZE)
#define VERIFY_EVERY	16	/* throughput: compare one decompression in this many */

/* The corpus: pages in the linear map (the device gets them through the DMA API) */
struct page_info {
	struct page *page;
	void *comp;		/* compressed copy, exactly clen bytes; NULL if incompressible */
	u32 clen;		/* with dlen = PAGE_SIZE; 0 if it did not fit */
	u32 cfull;		/* into two pages, when clen is 0 */
	int cerr;		/* the errno that made clen 0 */
};

/* fresh=1: one page's buffers for one latency pass */
struct fresh_buf {
	void *src;		/* PAGE_SIZE, a copy of the page */
	void *dst;		/* DST_SIZE */
	void *out;		/* PAGE_SIZE */
};

struct bench {
	struct crypto_acomp *tfm;
	struct page_info *pg;
	unsigned int npages;
	struct fresh_buf *fb;	/* fresh=1: npages */
	u32 *cl, *dl;		/* latency: passes x npages */
	u64 lat_ops[2], lat_ns[2], lat_idle[2];	/* compress, decompress: sums over the passes */
	atomic_t errors, mismatches, timeouts;
	unsigned int incompressible;
	bool aborted;		/* a signal, or a request that never completed */
	char *res;
	size_t res_len;
};

/* One submitting thread with its request and buffers */
struct worker {
	struct bench *b;
	struct acomp_req *req;
	struct crypto_wait wait;
	void *dst;		/* DST_SIZE */
	void *out;		/* PAGE_SIZE */
	struct task_struct *task;
	struct completion done;
	/* throughput */
	struct completion *go;
	atomic_t *left;
	struct completion *all_done;
	bool decomp;
	bool leaked;		/* a request timed out: the driver may still use the buffers */
	bool nocb;		/* no callback, no flag, called with preemption off */
	unsigned int first;
	unsigned int ops;
	u64 end_ns;
};

static struct bench bench;
static struct dentry *dbg_dir;
static bool pinned;

static __printf(2, 3) void res_add(struct bench *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->res_len >= RESULT_SIZE - 1)
		return;
	va_start(ap, fmt);
	n = vscnprintf(b->res + b->res_len, RESULT_SIZE - b->res_len, fmt, ap);
	va_end(ap);
	b->res_len += n;
}

/* ------------------------------------------------------------------------------------------ */
/* Requests                                                                                   */

/*
 * Submit the request set up in @w and wait for it. Returns its status, or -ETIME if it did
 * not complete within timeout_ms: the request then still belongs to the driver, so it and
 * its buffers are leaked and the module stays loaded (see bench_pin()). A request without a
 * callback that is still in progress when the call returns counts the same: nothing would
 * say when it ends.
 */
static int run_req(struct worker *w, bool comp)
{
	int ret;

	if (w->nocb)
		preempt_disable();
	ret = comp ? crypto_acomp_compress(w->req) : crypto_acomp_decompress(w->req);
	if (w->nocb) {
		preempt_enable();
		/* without MAY_BACKLOG, -EBUSY is a refusal: the request is not queued */
		if (ret == -EINPROGRESS)
			goto lost;
		return ret;
	}
	if (ret == -EINPROGRESS || ret == -EBUSY) {
		if (!wait_for_completion_timeout(&w->wait.completion,
						 msecs_to_jiffies(timeout_ms)))
			goto lost;
		ret = w->wait.err;
	}
	reinit_completion(&w->wait.completion);
	return ret;
lost:
	atomic_inc(&w->b->timeouts);
	w->leaked = true;
	return -ETIME;
}

static int do_comp(struct worker *w, struct page *src, unsigned int dlen, unsigned int *clen)
{
	struct scatterlist sin, sout;
	int ret;

	sg_init_table(&sin, 1);
	sg_set_page(&sin, src, PAGE_SIZE, 0);
	sg_init_one(&sout, w->dst, DST_SIZE);
	acomp_request_set_params(w->req, &sin, &sout, PAGE_SIZE, dlen);
	ret = run_req(w, true);
	if (!ret)
		*clen = w->req->dlen;
	return ret;
}

static int do_decomp(struct worker *w, const void *src, unsigned int slen)
{
	struct scatterlist sin, sout;
	int ret;

	sg_init_one(&sin, src, slen);
	sg_init_one(&sout, w->out, PAGE_SIZE);
	acomp_request_set_params(w->req, &sin, &sout, slen, PAGE_SIZE);
	ret = run_req(w, false);
	if (!ret && w->req->dlen != PAGE_SIZE)
		ret = -ENODATA;
	return ret;
}

static int worker_init(struct worker *w, struct bench *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	crypto_init_wait(&w->wait);
	init_completion(&w->done);
	w->dst = kmalloc(DST_SIZE, GFP_KERNEL);
	w->out = kmalloc(PAGE_SIZE, GFP_KERNEL);
	w->req = acomp_request_alloc(b->tfm);
	if (!w->dst || !w->out || !w->req)
		return -ENOMEM;
	acomp_request_set_callback(w->req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done,
				   &w->wait);
	return 0;
}

/* After a timeout the driver may still write to the buffers: leak them. */
static void worker_fini(struct worker *w)
{
	if (w->leaked)
		return;
	acomp_request_free(w->req);
	kfree(w->dst);
	kfree(w->out);
}

static bool stop_now(struct bench *b)
{
	if (signal_pending(current) || ((current->flags & PF_KTHREAD) && kthread_should_stop()))
		WRITE_ONCE(b->aborted, true);
	return READ_ONCE(b->aborted) || atomic_read(&b->timeouts);
}

static void bench_pin(void)
{
	if (!pinned && atomic_read(&bench.timeouts)) {
		__module_get(THIS_MODULE);
		pinned = true;
		pr_warn("a request never completed: the module stays loaded\n");
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Preparation: each page compressed once, untimed, and its compressed copy kept             */

static int prepare(struct bench *b)
{
	struct worker w;
	unsigned int i, clen;
	int ret;

	ret = worker_init(&w, b);
	if (ret)
		goto out;
	for (i = 0; i < b->npages && !stop_now(b); i++) {
		struct page_info *p = &b->pg[i];

		ret = do_comp(&w, p->page, PAGE_SIZE, &clen);
		if (ret == -ETIME)
			break;
		if (!ret) {
			p->clen = clen;
			p->comp = kmemdup(w.dst, clen, GFP_KERNEL);
			if (!p->comp) {
				ret = -ENOMEM;
				break;
			}
			ret = do_decomp(&w, p->comp, clen);
			if (ret == -ETIME)
				break;
			if (ret) {
				pr_err("%s: page %u: decompress: %d\n", alg, i, ret);
				atomic_inc(&b->errors);
			} else if (check && memcmp(w.out, page_address(p->page), PAGE_SIZE)) {
				pr_err("%s: page %u: decompressed data differs\n", alg, i);
				atomic_inc(&b->mismatches);
			}
			continue;
		}
		/* Did not fit in a page: is it compressible at all into two? */
		p->cerr = ret;
		b->incompressible++;
		ret = do_comp(&w, p->page, DST_SIZE, &clen);
		if (ret == -ETIME)
			break;
		if (!ret && clen > PAGE_SIZE - 64) {
			p->cfull = clen;
		} else if (!ret) {
			/* fits in two pages but not in one, though it is well under a page */
			p->cfull = clen;
			pr_warn("%s: page %u: %d with dlen=%lu, %u bytes with dlen=%lu\n", alg,
				i, p->cerr, PAGE_SIZE, clen, DST_SIZE);
		} else {
			pr_err("%s: page %u: compress: %d, into two pages: %d\n", alg, i,
			       p->cerr, ret);
			atomic_inc(&b->errors);
		}
	}
	ret = 0;
out:
	worker_fini(&w);
	return ret;
}

/* ------------------------------------------------------------------------------------------ */
/* Latency: one thread, each page compressed then decompressed, each operation timed         */

/* Idle time of a CPU so far, ns (iowait counts as idle); -1 if not accounted */
static s64 idle_ns(unsigned int c)
{
	s64 i = get_cpu_idle_time_us(c, NULL);
	s64 io = get_cpu_iowait_time_us(c, NULL);

	return i < 0 || io < 0 ? -1 : (i + io) * NSEC_PER_USEC;
}

/*
 * The CPU an operation took: its latency less the time its CPU was idle meanwhile (the idle
 * counter has a resolution of 1 us, but its rounding errors cancel over many operations).
 */
static void lat_account(struct bench *b, int op, bool timed, u64 ns, s64 idle0)
{
	s64 idle1 = idle_ns(cpu);

	if (!timed)
		return;
	b->lat_ops[op]++;
	b->lat_ns[op] += ns;
	if (idle0 < 0 || idle1 < 0 || b->lat_idle[op] == U64_MAX)
		b->lat_idle[op] = U64_MAX;
	else
		b->lat_idle[op] += idle1 - idle0;
}

static void fresh_free(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->npages; i++) {
		kfree(b->fb[i].src);
		kfree(b->fb[i].dst);
		kfree(b->fb[i].out);
		memset(&b->fb[i], 0, sizeof(b->fb[i]));
	}
}

/* kmalloc of a power-of-two size is aligned to it: each source is a whole page */
static int fresh_alloc(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->npages; i++) {
		struct fresh_buf *f = &b->fb[i];

		f->src = kmalloc(PAGE_SIZE, GFP_KERNEL);
		f->dst = kmalloc(DST_SIZE, GFP_KERNEL);
		f->out = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!f->src || !f->dst || !f->out)
			return -ENOMEM;
		memcpy(f->src, page_address(b->pg[i].page), PAGE_SIZE);
	}
	return 0;
}

static int lat_fn(void *data)
{
	struct worker *w = data;
	struct bench *b = w->b;
	void *own_dst = w->dst, *own_out = w->out;
	unsigned int p, i, clen;
	u64 t0, t1;
	s64 i0;
	int ret;

	for (p = 0; p < warmup + passes && !stop_now(b); p++) {
		if (fresh && fresh_alloc(b)) {
			pr_err("%s: pass %u: no memory for its buffers\n", alg, p);
			atomic_inc(&b->errors);
			fresh_free(b);
			break;
		}
		for (i = 0; i < b->npages && !stop_now(b); i++) {
			struct page_info *pg = &b->pg[i];
			size_t k = (size_t)(p < warmup ? 0 : p - warmup) * b->npages + i;
			struct page *src = pg->page;
			const void *csrc = pg->comp;

			if (fresh) {
				src = virt_to_page(b->fb[i].src);
				w->dst = b->fb[i].dst;
				w->out = b->fb[i].out;
				csrc = w->dst;
			}
			i0 = idle_ns(cpu);
			t0 = ktime_get_ns();
			ret = do_comp(w, src, PAGE_SIZE, &clen);
			t1 = ktime_get_ns();
			lat_account(b, 0, p >= warmup, t1 - t0, i0);
			b->cl[k] = min_t(u64, t1 - t0, U32_MAX);
			if (ret == -ETIME)
				break;
			if (!!ret != !pg->clen || (!ret && clen != pg->clen)) {
				pr_err("%s: page %u pass %u: compress %d len %u, first time %d len %u\n",
				       alg, i, p, ret, ret ? 0 : clen, pg->cerr, pg->clen);
				atomic_inc(&b->errors);
			}
			if (ret || !pg->clen)
				continue;

			i0 = idle_ns(cpu);
			t0 = ktime_get_ns();
			ret = do_decomp(w, csrc, pg->clen);
			t1 = ktime_get_ns();
			lat_account(b, 1, p >= warmup, t1 - t0, i0);
			b->dl[k] = min_t(u64, t1 - t0, U32_MAX);
			if (ret == -ETIME)
				break;
			if (ret) {
				pr_err("%s: page %u pass %u: decompress: %d\n", alg, i, p, ret);
				atomic_inc(&b->errors);
			} else if (check && memcmp(w->out, page_address(pg->page), PAGE_SIZE)) {
				pr_err("%s: page %u pass %u: data differs\n", alg, i, p);
				atomic_inc(&b->mismatches);
			}
		}
		/* after a timeout the driver may still write them: leaked */
		if (fresh && !w->leaked)
			fresh_free(b);
	}
	w->dst = own_dst;
	w->out = own_out;
	complete(&w->done);
	return 0;
}

/* Wait for a thread's completion; a signal to insmod stops the run at the next operation. */
static void wait_thread(struct bench *b, struct completion *c)
{
	while (!wait_for_completion_timeout(c, HZ / 10)) {
		if (signal_pending(current))
			WRITE_ONCE(b->aborted, true);
	}
}

static int run_latency(struct bench *b)
{
	struct worker w;
	unsigned int i, p;
	int ret;

	b->cl = vcalloc((size_t)passes * b->npages, sizeof(u32));
	b->dl = vcalloc((size_t)passes * b->npages, sizeof(u32));
	if (fresh)
		b->fb = kcalloc(b->npages, sizeof(*b->fb), GFP_KERNEL);
	ret = worker_init(&w, b);
	if (!b->cl || !b->dl || (fresh && !b->fb) || ret) {
		ret = -ENOMEM;
		goto out;
	}
	if (nocb) {
		w.nocb = true;
		acomp_request_set_callback(w.req, 0, NULL, NULL);
	}
	w.task = kthread_create(lat_fn, &w, "iaa_bench/lat");
	if (IS_ERR(w.task)) {
		ret = PTR_ERR(w.task);
		goto out;
	}
	kthread_bind(w.task, cpu);
	wake_up_process(w.task);
	wait_thread(b, &w.done);

	for (i = 0; i < b->npages; i++) {
		struct page_info *pg = &b->pg[i];

		res_add(b, "page i=%u c=%u", i, pg->clen);
		if (!pg->clen)
			res_add(b, " cfull=%u cerr=%d", pg->cfull, pg->cerr);
		res_add(b, " cl=");
		for (p = 0; p < passes; p++)
			res_add(b, "%s%u", p ? "," : "", b->cl[(size_t)p * b->npages + i]);
		res_add(b, " dl=");
		for (p = 0; p < passes && pg->clen; p++)
			res_add(b, "%s%u", p ? "," : "", b->dl[(size_t)p * b->npages + i]);
		res_add(b, "\n");
	}
	for (i = 0; i < 2; i++)
		res_add(b, "cpu op=%s ops=%llu ns=%llu idle_ns=%lld\n", i ? "decomp" : "comp",
			b->lat_ops[i], b->lat_ns[i],
			b->lat_idle[i] == U64_MAX ? -1LL : (s64)b->lat_idle[i]);
	ret = 0;
out:
	worker_fini(&w);
	if (!w.leaked)
		kfree(b->fb);
	b->fb = NULL;
	vfree(b->cl);
	vfree(b->dl);
	return ret;
}

/* ------------------------------------------------------------------------------------------ */
/* Throughput: threads started together, each with one request outstanding                   */

static int tput_fn(void *data)
{
	struct worker *w = data;
	struct bench *b = w->b;
	unsigned int k, i, clen;
	int ret;

	wait_for_completion(w->go);
	for (k = 0; k < tput_ops && !stop_now(b); k++) {
		struct page_info *pg;

		i = (w->first + k) % b->npages;
		pg = &b->pg[i];
		w->ops++;
		if (!w->decomp) {
			ret = do_comp(w, pg->page, PAGE_SIZE, &clen);
			if (!ret || ret == -ETIME)
				continue;
			if (!pg->clen)
				continue;	/* incompressible: expected */
			atomic_inc(&b->errors);
			continue;
		}
		if (!pg->clen) {
			/* zswap has nothing to load: the next page instead */
			i = (i + 1) % b->npages;
			pg = &b->pg[i];
			if (!pg->clen) {
				w->ops--;
				continue;
			}
		}
		ret = do_decomp(w, pg->comp, pg->clen);
		if (ret) {
			if (ret != -ETIME)
				atomic_inc(&b->errors);
		} else if (check && k % VERIFY_EVERY == 0 &&
			   memcmp(w->out, page_address(pg->page), PAGE_SIZE)) {
			atomic_inc(&b->mismatches);
		}
	}
	w->end_ns = ktime_get_ns();
	if (atomic_dec_and_test(w->left))
		complete(w->all_done);
	complete(&w->done);
	return 0;
}

static int run_tput(struct bench *b, unsigned int nthreads, bool all, bool decomp)
{
	struct completion go, all_done;
	struct worker *w;
	atomic_t left;
	unsigned int n = 0, c, t;
	u64 t0, end = 0, ops = 0;
	s64 *idle, busy = 0;
	int ret = 0;

	w = kcalloc(nthreads, sizeof(*w), GFP_KERNEL);
	idle = kcalloc(nr_cpu_ids, sizeof(*idle), GFP_KERNEL);
	if (!w || !idle) {
		kfree(w);
		kfree(idle);
		return -ENOMEM;
	}
	init_completion(&go);
	init_completion(&all_done);
	atomic_set(&left, nthreads);

	for_each_online_cpu(c) {
		if (n == nthreads)
			break;
		if (!all && c != cpu)
			continue;
		ret = worker_init(&w[n], b);
		if (ret)
			goto out;
		w[n].go = &go;
		w[n].left = &left;
		w[n].all_done = &all_done;
		w[n].decomp = decomp;
		w[n].first = n * b->npages / nthreads;
		w[n].task = kthread_create(tput_fn, &w[n], "iaa_bench/%u", c);
		if (IS_ERR(w[n].task)) {
			ret = PTR_ERR(w[n].task);
			w[n].task = NULL;
			goto out;
		}
		kthread_bind(w[n].task, c);
		wake_up_process(w[n].task);
		n++;
	}
	if (n != nthreads) {
		ret = -ENODEV;
		goto out;
	}
	for_each_online_cpu(c)
		idle[c] = idle_ns(c);
	t0 = ktime_get_ns();
	complete_all(&go);
	wait_thread(b, &all_done);
	for (t = 0; t < n; t++) {
		end = max(end, w[t].end_ns);
		ops += w[t].ops;
	}
	/* busy: per CPU, the phase's length less the idle time in it */
	for_each_online_cpu(c) {
		s64 i = idle_ns(c);

		idle[c] = idle[c] < 0 || i < 0 ? -1 : i - idle[c];
		busy = busy < 0 || idle[c] < 0 ? -1 : busy + (s64)(end - t0) - idle[c];
	}
	res_add(b, "tput op=%s threads=%u ops=%llu ns=%llu busy_ns=%lld idle_ns=",
		decomp ? "decomp" : "comp", n, ops, end - t0, busy);
	for_each_online_cpu(c)
		res_add(b, "%s%lld", c ? "," : "", idle[c]);
	res_add(b, "\n");
out:
	if (n != nthreads)
		complete_all(&go);
	for (t = 0; t < nthreads; t++) {
		if (w[t].task)
			wait_thread(b, &w[t].done);
		worker_fini(&w[t]);
	}
	kfree(w);
	kfree(idle);
	return ret;
}

/* ------------------------------------------------------------------------------------------ */
/* Queue depth: one thread keeps @depth asynchronous requests outstanding                    */

struct qd_run;

/* One request of a queue-depth phase, with its buffers */
struct qd_slot {
	struct qd_run *q;
	struct acomp_req *req;
	struct scatterlist sin, sout;
	void *dst;		/* DST_SIZE */
	void *out;		/* PAGE_SIZE */
	unsigned int page;	/* the corpus page of the request in flight */
	unsigned int seq;	/* its number in the phase */
};

struct qd_run {
	struct bench *b;
	struct qd_slot *slot;
	unsigned int depth;
	unsigned int ops;	/* requests in the phase */
	unsigned int *comp_idx;	/* decompress: the pages that fit in a page */
	unsigned int ncomp;
	bool decomp;
	bool window;		/* resubmit from the callback; else batches of @depth */
	bool hint;		/* batches the zram way: the hint on all but the last */
	bool stop;		/* no more submissions */
	atomic_t next;		/* window: requests handed out */
	atomic_t finished;	/* requests whose end was checked */
	atomic_t inflight;	/* window: chains still running; batch: requests of the batch */
	atomic_t errors, mismatches;
	atomic_t inprogress;	/* requests that returned -EINPROGRESS */
	struct completion done;	/* window: the last chain ended; batch: the batch ended */
	struct completion thread_done;
	u64 ns;
	s64 busy;
	bool leaked;		/* a request never completed: the slots stay allocated */
};

static int qd_start(struct qd_slot *s, unsigned int seq)
{
	struct qd_run *q = s->q;
	struct page_info *pg;

	s->seq = seq;
	if (!q->decomp) {
		s->page = seq % q->b->npages;
		pg = &q->b->pg[s->page];
		sg_init_table(&s->sin, 1);
		sg_set_page(&s->sin, pg->page, PAGE_SIZE, 0);
		sg_init_one(&s->sout, s->dst, DST_SIZE);
		acomp_request_set_params(s->req, &s->sin, &s->sout, PAGE_SIZE, PAGE_SIZE);
		return crypto_acomp_compress(s->req);
	}
	s->page = q->comp_idx[seq % q->ncomp];
	pg = &q->b->pg[s->page];
	sg_init_one(&s->sin, pg->comp, pg->clen);
	sg_init_one(&s->sout, s->out, PAGE_SIZE);
	acomp_request_set_params(s->req, &s->sin, &s->sout, pg->clen, PAGE_SIZE);
	return crypto_acomp_decompress(s->req);
}

/*
 * The end of a request: what preparation saw for its page, every time for the status and
 * length, one time in VERIFY_EVERY for the bytes
 */
static void qd_check(struct qd_slot *s, int err)
{
	struct qd_run *q = s->q;
	struct page_info *pg = &q->b->pg[s->page];
	bool bytes = check && s->seq % VERIFY_EVERY == 0;

	if (!q->decomp) {
		if (!pg->clen) {
			if (!err)	/* preparation found it did not fit */
				atomic_inc(&q->errors);
		} else if (err || s->req->dlen != pg->clen) {
			atomic_inc(&q->errors);
		} else if (bytes && memcmp(s->dst, pg->comp, pg->clen)) {
			atomic_inc(&q->mismatches);
		}
	} else if (err || s->req->dlen != PAGE_SIZE) {
		atomic_inc(&q->errors);
	} else if (bytes && memcmp(s->out, page_address(pg->page), PAGE_SIZE)) {
		atomic_inc(&q->mismatches);
	}
	atomic_inc(&q->finished);
}

/* Window: the next request of a slot's chain, until the phase has all its requests */
static void qd_next(struct qd_slot *s)
{
	struct qd_run *q = s->q;
	unsigned int seq;
	int ret;

	while (!READ_ONCE(q->stop)) {
		seq = atomic_inc_return(&q->next) - 1;
		if (seq >= q->ops)
			break;
		ret = qd_start(s, seq);
		if (ret == -EINPROGRESS || ret == -EBUSY)
			return;		/* the callback goes on */
		qd_check(s, ret);	/* it ended at once */
	}
	if (atomic_dec_and_test(&q->inflight)) {
		q->ns = ktime_get_ns();
		complete(&q->done);
	}
}

static void qd_callback(void *data, int err)
{
	struct qd_slot *s = data;
	struct qd_run *q = s->q;

	if (err == -EINPROGRESS)
		return;		/* out of the backlog: its end follows */
	qd_check(s, err);
	if (q->window)
		qd_next(s);
	else if (atomic_dec_and_test(&q->inflight))
		complete(&q->done);
}

/*
 * Wait for @q->done while requests keep ending; false (and a timeout counted) when none
 * ended for timeout_ms. A signal or an abort stops further submissions.
 */
static bool qd_wait(struct qd_run *q)
{
	unsigned int seen = atomic_read(&q->finished);
	unsigned long last = jiffies;

	while (!wait_for_completion_timeout(&q->done, HZ / 10)) {
		unsigned int now = atomic_read(&q->finished);

		if (stop_now(q->b))
			WRITE_ONCE(q->stop, true);
		if (now != seen) {
			seen = now;
			last = jiffies;
		} else if (time_after(jiffies, last + msecs_to_jiffies(timeout_ms))) {
			WRITE_ONCE(q->stop, true);
			atomic_inc(&q->b->timeouts);
			q->leaked = true;
			return false;
		}
	}
	return true;
}

static int qd_fn(void *data)
{
	struct qd_run *q = data;
	unsigned int c, i, n, seq;
	s64 *idle;
	u64 t0;
	int ret;

	idle = kcalloc(nr_cpu_ids, sizeof(*idle), GFP_KERNEL);
	if (!idle) {
		q->busy = -1;
		goto out;
	}
	for_each_online_cpu(c)
		idle[c] = idle_ns(c);
	t0 = ktime_get_ns();
	if (q->window) {
		atomic_set(&q->inflight, q->depth);
		for (i = 0; i < q->depth; i++)
			qd_next(&q->slot[i]);
		if (!qd_wait(q))
			q->ns = ktime_get_ns();
	} else {
		for (seq = 0; seq < q->ops && !READ_ONCE(q->stop); seq += n) {
			n = min(q->depth, q->ops - seq);
			reinit_completion(&q->done);
			/* one count more, the thread's own: no end completes before it drops it */
			atomic_set(&q->inflight, n + 1);
			for (i = 0; i < n; i++) {
				if (q->hint) {
					struct acomp_req *req = q->slot[i].req;

					if (batch_hint > 1 || (i + 1 < n && batch_hint))
						req->base.flags |= ACOMP_REQ_MORE;
					else
						req->base.flags &= ~ACOMP_REQ_MORE;
				}
				ret = qd_start(&q->slot[i], seq + i);
				if (ret == -EINPROGRESS || ret == -EBUSY) {
					atomic_inc(&q->inprogress);
					continue;
				}
				qd_check(&q->slot[i], ret);
				atomic_dec(&q->inflight);
			}
			if (!atomic_dec_and_test(&q->inflight) && !qd_wait(q))
				break;
			if (stop_now(q->b))
				WRITE_ONCE(q->stop, true);
		}
		q->ns = ktime_get_ns();
	}
	q->ns -= t0;
	q->busy = 0;
	for_each_online_cpu(c) {
		s64 i1 = idle_ns(c);

		q->busy = q->busy < 0 || idle[c] < 0 || i1 < 0 ? -1 :
			  q->busy + (s64)q->ns - (i1 - idle[c]);
	}
	kfree(idle);
out:
	complete(&q->thread_done);
	return 0;
}

static void qd_free(struct qd_run *q)
{
	unsigned int i;

	if (q->leaked)
		return;		/* the driver may still write to them */
	for (i = 0; i < q->depth; i++) {
		if (q->slot[i].req)
			acomp_request_free(q->slot[i].req);
		kfree(q->slot[i].dst);
		kfree(q->slot[i].out);
	}
	kfree(q->slot);
}

/*
 * One phase: @depth requests outstanding, @window or in batches, compress or decompress;
 * @hint: compress batches of @depth the zram way (batch=)
 */
static int run_qd(struct bench *b, unsigned int *comp_idx, unsigned int ncomp,
		  unsigned int depth, bool window, bool decomp, bool hint)
{
	struct task_struct *t;
	struct qd_run *q;
	unsigned int i;
	int ret = 0;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	*q = (struct qd_run) {
		.b = b, .depth = depth, .ops = qd_ops, .comp_idx = comp_idx, .ncomp = ncomp,
		.decomp = decomp, .window = window, .hint = hint,
	};
	init_completion(&q->done);
	init_completion(&q->thread_done);
	q->slot = kcalloc(depth, sizeof(*q->slot), GFP_KERNEL);
	if (!q->slot) {
		kfree(q);
		return -ENOMEM;
	}
	for (i = 0; i < depth; i++) {
		struct qd_slot *s = &q->slot[i];

		s->q = q;
		s->dst = kmalloc(DST_SIZE, GFP_KERNEL);
		s->out = kmalloc(PAGE_SIZE, GFP_KERNEL);
		s->req = acomp_request_alloc(b->tfm);
		if (!s->dst || !s->out || !s->req) {
			ret = -ENOMEM;
			goto out;
		}
		/*
		 * qd: no CRYPTO_TFM_REQ_MAY_SLEEP, callbacks submit too; batch: the thread that
		 * submits sleeps on the batch's completion, so it may sleep
		 */
		acomp_request_set_callback(s->req, CRYPTO_TFM_REQ_MAY_BACKLOG |
					   (hint ? CRYPTO_TFM_REQ_MAY_SLEEP : 0), qd_callback, s);
	}
	t = kthread_create(qd_fn, q, "iaa_bench/qd");
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		goto out;
	}
	kthread_bind(t, cpu);
	wake_up_process(t);
	wait_thread(b, &q->thread_done);
	if (hint)
		res_add(b, "batch op=comp n=%u hint=%u ops=%u ns=%llu busy_ns=%lld inprogress=%d",
			depth, batch_hint, atomic_read(&q->finished), q->ns, q->busy,
			atomic_read(&q->inprogress));
	else
		res_add(b, "qd op=%s pattern=%s depth=%u ops=%u ns=%llu busy_ns=%lld",
			decomp ? "decomp" : "comp", window ? "window" : "batch", depth,
			atomic_read(&q->finished), q->ns, q->busy);
	res_add(b, " errors=%d mismatches=%d\n", atomic_read(&q->errors),
		atomic_read(&q->mismatches));
	atomic_add(atomic_read(&q->errors), &b->errors);
	atomic_add(atomic_read(&q->mismatches), &b->mismatches);
out:
	qd_free(q);
	if (!q->leaked)
		kfree(q);
	return ret;
}

/* Every depth of qd=, windowed then (qd_batch) in batches, compress then decompress */
static int run_qd_all(struct bench *b)
{
	unsigned int *comp_idx, ncomp = 0, i, d, p;
	int ret = 0;

	comp_idx = kcalloc(b->npages, sizeof(*comp_idx), GFP_KERNEL);
	if (!comp_idx)
		return -ENOMEM;
	for (i = 0; i < b->npages; i++)
		if (b->pg[i].clen)
			comp_idx[ncomp++] = i;
	for (d = 0; d < nr_qd && !ret && !stop_now(b); d++) {
		for (p = 0; p < (qd_batch ? 4 : 2) && !ret && !stop_now(b); p++) {
			if (p & 1 && !ncomp)
				continue;	/* nothing to decompress */
			ret = run_qd(b, comp_idx, ncomp, qd[d], p < 2, p & 1, false);
		}
	}
	kfree(comp_idx);
	return ret;
}

/* Every size of batch=, compress */
static int run_batch_all(struct bench *b)
{
	int i, ret = 0;

	for (i = 0; i < nr_batch && !ret && !stop_now(b); i++)
		ret = run_qd(b, NULL, 0, batch[i], false, false, true);
	return ret;
}

/* ------------------------------------------------------------------------------------------ */
/* Corpus, results, module                                                                    */

static int load_corpus(struct bench *b)
{
	struct file *f;
	loff_t size, pos = 0;
	unsigned int i;
	ssize_t n;
	int ret = 0;

	f = filp_open(corpus, O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("cannot open %s: %ld\n", corpus, PTR_ERR(f));
		return PTR_ERR(f);
	}
	size = i_size_read(file_inode(f));
	if (!size || size % PAGE_SIZE || size / PAGE_SIZE > UINT_MAX) {
		pr_err("%s: %lld bytes, not a whole number of pages\n", corpus, size);
		ret = -EINVAL;
		goto out;
	}
	b->npages = size / PAGE_SIZE;
	b->pg = kcalloc(b->npages, sizeof(*b->pg), GFP_KERNEL);
	if (!b->pg) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < b->npages; i++) {
		b->pg[i].page = alloc_page(GFP_KERNEL);
		if (!b->pg[i].page) {
			ret = -ENOMEM;
			goto out;
		}
		n = kernel_read(f, page_address(b->pg[i].page), PAGE_SIZE, &pos);
		if (n != PAGE_SIZE) {
			pr_err("%s: short read at page %u: %zd\n", corpus, i, n);
			ret = n < 0 ? n : -EIO;
			goto out;
		}
	}
out:
	filp_close(f, NULL);
	return ret;
}

static void free_corpus(struct bench *b)
{
	unsigned int i;

	if (!b->pg)
		return;
	for (i = 0; i < b->npages; i++) {
		if (b->pg[i].page)
			__free_page(b->pg[i].page);
		kfree(b->pg[i].comp);
	}
	kfree(b->pg);
	b->pg = NULL;
}

static ssize_t result_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	return simple_read_from_buffer(buf, len, pos, bench.res, bench.res_len);
}

static const struct file_operations result_fops = {
	.owner = THIS_MODULE,
	.read = result_read,
	.llseek = default_llseek,
};

static int __init iaa_bench_init(void)
{
	struct bench *b = &bench;
	unsigned int ncpus = num_online_cpus();
	int i, ret;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	for (i = 0; i < nr_qd; i++)
		if (!qd[i] || qd[i] > QD_MAX)
			return -EINVAL;
	for (i = 0; i < nr_batch; i++)
		if (!batch[i] || batch[i] > QD_MAX)
			return -EINVAL;
	atomic_set(&b->errors, 0);
	atomic_set(&b->mismatches, 0);
	atomic_set(&b->timeouts, 0);
	b->res = vzalloc(RESULT_SIZE);
	if (!b->res)
		return -ENOMEM;
	ret = load_corpus(b);
	if (ret)
		goto err;
	b->tfm = crypto_alloc_acomp(alg, 0, 0);
	if (IS_ERR(b->tfm)) {
		ret = PTR_ERR(b->tfm);
		pr_err("cannot allocate %s: %d\n", alg, ret);
		b->tfm = NULL;
		goto err;
	}
	res_add(b, "run tag=%s alg=%s driver=%s pages=%u passes=%u warmup=%u tput_ops=%u cpus=%u",
		tag, alg, crypto_tfm_alg_driver_name(crypto_acomp_tfm(b->tfm)), b->npages,
		passes, warmup, tput_ops, ncpus);
	res_add(b, " qd_ops=%u fresh=%d nocb=%d\n", nr_qd || nr_batch ? qd_ops : 0, fresh, nocb);

	ret = prepare(b);
	if (!ret && passes && !stop_now(b))
		ret = run_latency(b);
	if (!ret && tput_ops && !stop_now(b))
		ret = run_tput(b, 1, false, false);
	if (!ret && tput_ops && !stop_now(b))
		ret = run_tput(b, 1, false, true);
	if (!ret && tput_ops && tput_all && ncpus > 1 && !stop_now(b))
		ret = run_tput(b, ncpus, true, false);
	if (!ret && tput_ops && tput_all && ncpus > 1 && !stop_now(b))
		ret = run_tput(b, ncpus, true, true);
	if (!ret && nr_qd && qd_ops && !stop_now(b))
		ret = run_qd_all(b);
	if (!ret && nr_batch && qd_ops && !stop_now(b))
		ret = run_batch_all(b);
	if (ret) {
		pr_err("%s: run failed: %d\n", alg, ret);
		atomic_inc(&b->errors);
	}
	res_add(b, "end errors=%d mismatches=%d timeouts=%d incompressible=%u aborted=%d\n",
		atomic_read(&b->errors), atomic_read(&b->mismatches),
		atomic_read(&b->timeouts), b->incompressible, b->aborted);
	bench_pin();
	if (!atomic_read(&b->timeouts)) {
		crypto_free_acomp(b->tfm);
		b->tfm = NULL;
	}
	dbg_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("result", 0444, dbg_dir, NULL, &result_fops);
	pr_info("%s (%s): %u pages, errors=%d mismatches=%d timeouts=%d\n", tag, alg,
		b->npages, atomic_read(&b->errors), atomic_read(&b->mismatches),
		atomic_read(&b->timeouts));
	return 0;
err:
	free_corpus(b);
	vfree(b->res);
	return ret;
}

static void __exit iaa_bench_exit(void)
{
	debugfs_remove_recursive(dbg_dir);
	free_corpus(&bench);
	vfree(bench.res);
}

module_init(iaa_bench_init);
module_exit(iaa_bench_exit);

MODULE_DESCRIPTION("Latency and throughput of an acomp algorithm on a page corpus");
MODULE_LICENSE("GPL");
