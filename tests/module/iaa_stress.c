// SPDX-License-Identifier: GPL-2.0
/*
 * iaa_stress - the in-kernel half of the reliability suite (tests/guest/rel-*.sh) for an acomp
 * "deflate" implementation, written for deflate-iaa.
 *
 *   insmod iaa_stress.ko [alg=deflate-iaa] [wait_ms=30000]
 *
 * Loading it does nothing. A test writes one command to debugfs iaa_stress/ctl; the write
 * returns when the command is done (a pending signal cuts long ones short), and reading ctl
 * gives the command's result: "key=value" words, and "# ..." lines for failures (those also go
 * to the kernel log). Commands:
 *
 *   tfm NAME                 allocate a transform of alg now and call it NAME: deflate-iaa
 *                            reads sync_mode and verify_compress when a transform is made
 *   free NAME|all            free transforms (never one a lost request may still use)
 *   one NAME OP SIZE SEED [POST [nosleep|nosleep-nocb]]
 *                            one request, OP comp or decomp, on SIZE bytes of text made from
 *                            SEED. comp: into a page (as zswap does) or,
 *                            for more than a page, 2 * SIZE + 256 bytes, the output checked
 *                            by inflating it; decomp: a zlib stream (4 KiB window) of the
 *                            data into exactly SIZE bytes. Result: err= dlen= data= guard=
 *                            us= (time it took) call_us= (time the compress or decompress
 *                            call took to return) post=: with POST (ms, 0 for none), the
 *                            destination is filled with a pattern once the request is over,
 *                            and must stay untouched for POST ms (ok), else bad. nosleep: the
 *                            request has CRYPTO_TFM_REQ_MAY_BACKLOG but not MAY_SLEEP (as
 *                            zswap's), and compress()/decompress() is called with preemption
 *                            disabled; nosleep-nocb: the same without a completion callback
 *                            (as zram's backend calls)
 *   start NAME OP SIZE SEED [POST [nosleep|nosleep-nocb]]
 *                            the same in a kernel thread; "wait" gives its
 *                            result
 *   workers SEED NAMES       one thread per online CPU, each pinned to its CPU whenever that
 *                            CPU is online, doing random round trips with the transforms in
 *                            NAMES (comma-separated, each NAME or NAME:WEIGHT, by which it is
 *                            drawn) until "stop"; "peek" shows the counts
 *   stop                     stop the workers. Result: roundtrips= requests= failures=
 *                            mismatches= guard= lost=
 *   fuzz SEED COUNT NAME     the malformed corpus of tests/module/iaa_fuzz.h (streams 0 ..
 *                            COUNT-1 of SEED), each decompressed into its dlen, on one thread
 *                            per online CPU, judged against lib/zlib_inflate (32 KiB window):
 *                            zlib's data within dlen, else -ENOSPC when the data exceeds
 *                            dlen, else -EBADMSG; never a byte past dlen
 *   rt SEED COUNT NAMES [FIRST]  round trips FIRST .. FIRST+COUNT-1: the size, data, transform,
 *                            buffer layout and CPU of round trip i depend only on SEED and i,
 *                            so "rt SEED 1 NAMES i" replays one
 *
 * A round trip: compress into 2 * size + 256 bytes, decompress into exactly size bytes, compare;
 * guard bytes after every destination; sometimes source and destination are two-entry
 * scatterlists. Every error is a failure (no transform may fail on these buffers).
 *
 * A request that does not complete within wait_ms is lost: it and its buffers are leaked for
 * good, the module pins itself, and every later command fails.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/zlib.h>
#include <crypto/acompress.h>

#include "iaa_fuzz.h"

static char *alg = "deflate-iaa";
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "acomp algorithm or driver name (default deflate-iaa)");

static uint wait_ms = 30000;
module_param(wait_ms, uint, 0444);
MODULE_PARM_DESC(wait_ms, "longest wait for one asynchronous request (ms)");

#define MAX_TFMS	8
#define GUARD		64
#define GUARD_BYTE	0xa5
#define FILL_BYTE	0x5a
#define MAX_RT_LEN	32768
#define MAX_WK_LEN	16384
#define COMP_CAP(n)	(2 * (n) + 256)
#define RESULT_SIZE	16384
#define MAX_MSGS	8
#define LOST		(-ETIME)	/* our own timeout, not the implementation's */

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                    */

static DEFINE_MUTEX(ctl_lock);
static char *result;
static size_t result_len;
static struct dentry *dir;
static atomic_t wedged = ATOMIC_INIT(0);

static __printf(1, 2) void res(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	result_len += vscnprintf(result + result_len, RESULT_SIZE - result_len, fmt, args);
	va_end(args);
}

static const char *ename(int err)
{
	static const struct { int e; const char *n; } names[] = {
		{ 0, "0" }, { -EINVAL, "EINVAL" }, { -EBADMSG, "EBADMSG" }, { -ENOSPC, "ENOSPC" },
		{ -EIO, "EIO" }, { -ETIMEDOUT, "ETIMEDOUT" }, { -EFAULT, "EFAULT" },
		{ -ENOMEM, "ENOMEM" }, { -EAGAIN, "EAGAIN" }, { -EBUSY, "EBUSY" },
		{ -ECANCELED, "ECANCELED" }, { -EOVERFLOW, "EOVERFLOW" }, { -E2BIG, "E2BIG" },
		{ -ENODEV, "ENODEV" }, { LOST, "LOST" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == err)
			return names[i].n;
	return "E?";
}

/* ------------------------------------------------------------------------------------------ */
/* Transforms and requests                                                                    */

struct named_tfm {
	char name[16];
	struct crypto_acomp *tfm;
};

static struct named_tfm tfms[MAX_TFMS];

static struct named_tfm *tfm_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < MAX_TFMS; i++)
		if (tfms[i].tfm && !strcmp(tfms[i].name, name))
			return &tfms[i];
	return NULL;
}

struct sreq {
	struct acomp_req *req;
	struct completion done;
	int err;
	bool nosleep;			/* no MAY_SLEEP, called with preemption off */
	s64 call_us;			/* how long compress()/decompress() took to return */
};

static void sreq_done(void *data, int err)
{
	struct sreq *r = data;

	if (err == -EINPROGRESS)	/* left the backlog; the completion follows */
		return;
	r->err = err;
	complete(&r->done);
}

static int sreq_init(struct sreq *r, struct crypto_acomp *tfm)
{
	r->req = acomp_request_alloc(tfm);
	if (!r->req)
		return -ENOMEM;
	init_completion(&r->done);
	acomp_request_set_callback(r->req, CRYPTO_TFM_REQ_MAY_BACKLOG | CRYPTO_TFM_REQ_MAY_SLEEP,
				   sreq_done, r);
	return 0;
}

static void sreq_fini(struct sreq *r)
{
	if (r->req)
		acomp_request_free(r->req);
	r->req = NULL;
}

/*
 * One request; *dlen: capacity in, produced length out. Returns the implementation's result,
 * or LOST when an asynchronous request did not complete in wait_ms.
 */
static int sreq_run(struct sreq *r, bool comp, struct scatterlist *src, unsigned int slen,
		    struct scatterlist *dst, unsigned int *dlen)
{
	ktime_t t0;
	int ret;

	if (atomic_read(&wedged))
		return LOST;
	acomp_request_set_params(r->req, src, dst, slen, *dlen);
	reinit_completion(&r->done);
	r->err = -EINPROGRESS;
	t0 = ktime_get();
	if (r->nosleep)
		preempt_disable();
	ret = comp ? crypto_acomp_compress(r->req) : crypto_acomp_decompress(r->req);
	if (r->nosleep)
		preempt_enable();
	r->call_us = ktime_us_delta(ktime_get(), t0);
	if (ret == -EINPROGRESS || ret == -EBUSY) {
		if (!wait_for_completion_timeout(&r->done, msecs_to_jiffies(wait_ms))) {
			if (atomic_inc_return(&wedged) == 1)
				__module_get(THIS_MODULE);
			pr_err("iaa_stress: a %s request did not complete in %u ms: leaked, module pinned\n",
			       comp ? "compress" : "decompress", wait_ms);
			return LOST;
		}
		ret = r->err;
	}
	*dlen = r->req->dlen;
	return ret;
}

/* ------------------------------------------------------------------------------------------ */
/* Data                                                                                       */

enum { PAT_ZERO, PAT_RANDOM, PAT_TEXT, PAT_INTS, PAT_RECORD, PAT_MIXED, NR_PAT };

static const char * const words[] = {
	"the ", "device ", "queue ", "compress ", "page ", "swap ", "memory ", "of ",
	"descriptor ", "and ", "kernel ", "zswap ", "work ", "in ", "data ", "a ",
};

static void fill(u8 *p, unsigned int n, int pat, struct iaa_fz_rng *r)
{
	unsigned int i = 0, k, len;
	u64 v;

	switch (pat) {
	case PAT_ZERO:
		memset(p, iaa_fz_below(r, 4) ? 0 : (u8)iaa_fz_next(r), n);
		break;
	case PAT_RANDOM:
		for (; i + 8 <= n; i += 8) {
			v = iaa_fz_next(r);
			memcpy(p + i, &v, 8);
		}
		v = iaa_fz_next(r);
		memcpy(p + i, &v, n - i);
		break;
	case PAT_TEXT:
		while (i < n) {
			v = iaa_fz_next(r);
			for (k = 0; k < 8 && i < n; k++, v >>= 4) {
				const char *w = words[v & 15];

				len = min_t(unsigned int, strlen(w), n - i);
				memcpy(p + i, w, len);
				i += len;
			}
		}
		break;
	case PAT_INTS:
		for (; i < n; i += 4) {
			u32 x = iaa_fz_next(r) % 512;

			memcpy(p + i, &x, min(4U, n - i));
		}
		break;
	case PAT_RECORD:
		len = iaa_fz_range(r, 1, 64);
		for (k = 0; k < len && k < n; k++)
			p[k] = (u8)iaa_fz_next(r);
		for (i = len; i < n; i++)
			p[i] = p[i - len];
		for (k = n / 256; k; k--)
			p[iaa_fz_below(r, n)] = (u8)iaa_fz_next(r);
		break;
	default:
		while (i < n) {
			len = min(n - i, iaa_fz_range(r, 16, 1024));
			fill(p + i, len, iaa_fz_below(r, NR_PAT - 1), r);
			i += len;
		}
		break;
	}
}

static bool guard_ok(const u8 *p)
{
	unsigned int i;

	for (i = 0; i < GUARD; i++)
		if (p[i] != GUARD_BYTE)
			return false;
	return true;
}

/* One or two scatterlist entries over @buf; returns sg */
static struct scatterlist *sg_over(struct scatterlist sg[2], u8 *buf, unsigned int len,
				   unsigned int split)
{
	if (split && split < len) {
		sg_init_table(sg, 2);
		sg_set_buf(&sg[0], buf, split);
		sg_set_buf(&sg[1], buf + split, len - split);
	} else {
		sg_init_one(sg, buf, len);
	}
	return sg;
}

/* ------------------------------------------------------------------------------------------ */
/* zlib, the reference                                                                        */

struct zref {
	struct z_stream_s s;
	void *ws;
};

static int zref_init(struct zref *z, bool deflate)
{
	z->ws = vzalloc(deflate ? zlib_deflate_workspacesize(-12, 8) :
			zlib_inflate_workspacesize());
	z->s.workspace = z->ws;
	return z->ws ? 0 : -ENOMEM;
}

static void zref_fini(struct zref *z)
{
	vfree(z->ws);
	z->ws = NULL;
}

enum { REF_OK, REF_OVER, REF_BAD };

/* Inflate (32 KiB window) into out[cap + 1]: REF_OVER if it would produce more than cap */
static int zref_inflate(struct zref *z, const u8 *in, unsigned int n, u8 *out, unsigned int cap,
			unsigned int *outlen)
{
	int ret;

	if (zlib_inflateInit2(&z->s, -MAX_WBITS) != Z_OK)
		return REF_BAD;
	z->s.next_in = in;
	z->s.avail_in = n;
	z->s.next_out = out;
	z->s.avail_out = cap + 1;
	do {
		ret = zlib_inflate(&z->s, Z_SYNC_FLUSH);
	} while (ret == Z_OK && z->s.avail_out);
	*outlen = z->s.total_out;
	if (z->s.total_out > cap)
		return REF_OVER;
	return ret == Z_STREAM_END ? REF_OK : REF_BAD;
}

/* Raw deflate with the device's 4 KiB window; returns the length or 0 */
static unsigned int zref_deflate(struct zref *z, const u8 *in, unsigned int n, u8 *out,
				 unsigned int cap, int level)
{
	if (zlib_deflateInit2(&z->s, level, Z_DEFLATED, -12, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	z->s.next_in = in;
	z->s.avail_in = n;
	z->s.next_out = out;
	z->s.avail_out = cap;
	if (zlib_deflate(&z->s, Z_FINISH) != Z_STREAM_END)
		return 0;
	return z->s.total_out;
}

/* ------------------------------------------------------------------------------------------ */
/* Threads                                                                                    */

enum { JOB_RT, JOB_WORKERS, JOB_FUZZ };

/* Figures of a run, summed over its threads */
enum {
	F_ROUNDTRIPS, F_REQUESTS, F_FAILURES, F_MISMATCH, F_GUARD, F_LOST,
	F_STREAMS, F_OK, F_OVER, F_BAD, F_DEVICE_OK,
	F_NR
};

static const char * const f_name[F_NR] = {
	"roundtrips", "requests", "failures", "mismatches", "guard", "lost",
	"streams", "ok", "enospc", "ebadmsg", "dev_ok",
};

struct run;

struct wctx {
	struct run *run;
	struct task_struct *task;
	unsigned int idx;		/* thread number */
	unsigned int cpu;		/* CPU it belongs on */
	struct sreq req[MAX_TFMS];
	u8 *src, *comp, *out;
	struct zref z;
	u64 f[F_NR];
	int errs[6][2];			/* errno histogram: {errno, count} */
};

struct run {
	int job;
	u64 seed, first, count;
	unsigned int ntfm;
	struct named_tfm *tfm[MAX_TFMS];
	unsigned int cum[MAX_TFMS];	/* cumulative weights of the transforms */
	unsigned int nthreads;
	struct wctx *w;
	atomic_t running;
	struct completion finished;
	atomic_t msgs;
	bool stop;
	atomic64_t digest;
	ktime_t t0;
};

static struct run *workers_run;

static void count_err(struct wctx *w, int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(w->errs); i++) {
		if (!w->errs[i][1] || w->errs[i][0] == err) {
			w->errs[i][0] = err;
			w->errs[i][1]++;
			return;
		}
	}
}

static __printf(2, 3) void wfail(struct wctx *w, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (atomic_inc_return(&w->run->msgs) > MAX_MSGS)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("iaa_stress: FAIL %pV\n", &vaf);
	va_end(args);
}

/* What round trip i is made of: a function of the seed and i only */
struct rt_param {
	unsigned int cpu, tfm, size, pat, ssplit, dsplit;
	u64 dseed;
};

static void rt_param(u64 seed, u64 i, unsigned int ncpu, const struct run *run,
		     unsigned int max, struct rt_param *p)
{
	struct iaa_fz_rng r = { iaa_fz_mix(seed, i) };
	unsigned int c, layout;

	p->cpu = iaa_fz_below(&r, ncpu);
	c = iaa_fz_below(&r, run->cum[run->ntfm - 1]);
	for (p->tfm = 0; c >= run->cum[p->tfm]; p->tfm++)
		;
	c = iaa_fz_below(&r, 1000);
	if (c < 600)
		p->size = iaa_fz_range(&r, 1, 256);
	else if (c < 900)
		p->size = iaa_fz_range(&r, 257, 2048);
	else if (c < 992)
		p->size = iaa_fz_range(&r, 2049, 4096);
	else
		p->size = iaa_fz_range(&r, 4097, max);
	p->pat = iaa_fz_below(&r, NR_PAT);
	layout = iaa_fz_below(&r, 16);
	p->ssplit = layout == 13 || layout == 15 ? iaa_fz_range(&r, 1, p->size) : 0;
	p->dsplit = layout >= 14 ? iaa_fz_range(&r, 1, p->size) : 0;
	p->dseed = iaa_fz_next(&r);
}

/* One round trip; counts into w->f */
static void roundtrip(struct wctx *w, u64 i, const struct rt_param *p)
{
	struct named_tfm *nt = w->run->tfm[p->tfm];
	struct sreq *req = &w->req[p->tfm];
	struct scatterlist ssg[2], dsg[2];
	struct iaa_fz_rng r = { p->dseed };
	unsigned int n = p->size, clen = COMP_CAP(n), dlen = n;
	int err;

	fill(w->src, n, p->pat, &r);
	memset(w->comp + clen, GUARD_BYTE, GUARD);
	w->f[F_ROUNDTRIPS]++;
	w->f[F_REQUESTS]++;
	err = sreq_run(req, true, sg_over(ssg, w->src, n, p->ssplit), n,
		       sg_over(dsg, w->comp, clen, p->dsplit ? min(p->dsplit, clen - 1) : 0),
		       &clen);
	if (!guard_ok(w->comp + COMP_CAP(n))) {
		w->f[F_GUARD]++;
		wfail(w, "round trip %llu (%s, %u B, pat %u, cpu %u): compress wrote past dlen",
		      i, nt->name, n, p->pat, raw_smp_processor_id());
	}
	if (err) {
		w->f[err == LOST ? F_LOST : F_FAILURES]++;
		count_err(w, err);
		wfail(w, "round trip %llu (%s, %u B, pat %u, split %u/%u, cpu %u): compress %s",
		      i, nt->name, n, p->pat, p->ssplit, p->dsplit, raw_smp_processor_id(),
		      ename(err));
		return;
	}

	memset(w->out + n, GUARD_BYTE, GUARD);
	w->f[F_REQUESTS]++;
	err = sreq_run(req, false,
		       sg_over(ssg, w->comp, clen, p->dsplit ? min(p->dsplit, clen) : 0), clen,
		       sg_over(dsg, w->out, n, p->ssplit), &dlen);
	if (!guard_ok(w->out + n)) {
		w->f[F_GUARD]++;
		wfail(w, "round trip %llu (%s, %u B): decompress wrote past dlen", i, nt->name, n);
	}
	if (err) {
		w->f[err == LOST ? F_LOST : F_FAILURES]++;
		count_err(w, err);
		wfail(w, "round trip %llu (%s, %u B, pat %u, split %u/%u, cpu %u): decompress %s",
		      i, nt->name, n, p->pat, p->ssplit, p->dsplit, raw_smp_processor_id(),
		      ename(err));
		return;
	}
	if (dlen != n || memcmp(w->src, w->out, n)) {
		w->f[F_MISMATCH]++;
		wfail(w, "round trip %llu (%s, %u B, pat %u, split %u/%u, cpu %u): bad data, %u B",
		      i, nt->name, n, p->pat, p->ssplit, p->dsplit, raw_smp_processor_id(), dlen);
	}
}

static void pin_home(struct wctx *w)
{
	if (raw_smp_processor_id() != w->cpu && cpu_online(w->cpu))
		set_cpus_allowed_ptr(current, cpumask_of(w->cpu));
}

static bool run_stopping(struct run *run)
{
	return READ_ONCE(run->stop) || atomic_read(&wedged) || kthread_should_stop();
}

static void rt_thread(struct wctx *w)
{
	struct run *run = w->run;
	struct rt_param p;
	u64 i;

	for (i = run->first; i < run->first + run->count && !run_stopping(run); i++) {
		rt_param(run->seed, i, run->nthreads, run, MAX_RT_LEN, &p);
		if (p.cpu != w->idx)
			continue;
		roundtrip(w, i, &p);
		cond_resched();
	}
}

static void workers_thread(struct wctx *w)
{
	struct run *run = w->run;
	struct rt_param p;
	u64 i;

	for (i = 0; !run_stopping(run); i++) {
		pin_home(w);
		rt_param(run->seed, (u64)w->cpu << 40 | i, 1, run, MAX_WK_LEN, &p);
		roundtrip(w, (u64)w->cpu << 40 | i, &p);
		cond_resched();
	}
}

static void fuzz_thread(struct wctx *w)
{
	struct run *run = w->run;
	struct iaa_fz_stream s = { .buf = w->src };
	struct sreq *req = &w->req[0];
	struct scatterlist ssg, dsg;
	unsigned int dlen, rlen;
	u64 i, digest = 0;
	int ref, err;

	for (i = run->first + w->idx; i < run->first + run->count && !run_stopping(run);
	     i += run->nthreads) {
		iaa_fz_make(run->seed, i, &s);
		digest += iaa_fz_hash(&s);
		w->f[F_STREAMS]++;
		ref = zref_inflate(&w->z, s.buf, s.len, w->comp, s.dlen, &rlen);

		memset(w->out, FILL_BYTE, s.dlen);
		memset(w->out + s.dlen, GUARD_BYTE, GUARD);
		sg_init_one(&ssg, s.buf, s.len);
		sg_init_one(&dsg, w->out, s.dlen);
		dlen = s.dlen;
		w->f[F_REQUESTS]++;
		err = sreq_run(req, false, &ssg, s.len, &dsg, &dlen);
		if (!guard_ok(w->out + s.dlen)) {
			w->f[F_GUARD]++;
			wfail(w, "stream %llu (%s, %u B, dlen %u): a byte past dlen written", i,
			      iaa_fz_kind_name[s.kind], s.len, s.dlen);
		}
		if (err == LOST) {
			w->f[F_LOST]++;
			break;
		}
		if (!err)
			w->f[F_DEVICE_OK]++;
		if (ref == REF_OK) {
			w->f[F_OK]++;
			if (err || dlen != rlen || memcmp(w->out, w->comp, rlen)) {
				w->f[F_MISMATCH]++;
				count_err(w, err);
				wfail(w, "stream %llu (%s, %u B, dlen %u): zlib: %u B; got %s %u%s",
				      i, iaa_fz_kind_name[s.kind], s.len, s.dlen, rlen, ename(err),
				      dlen, err ? "" : " (differs)");
			}
			continue;
		}
		w->f[ref == REF_OVER ? F_OVER : F_BAD]++;
		if (err != (ref == REF_OVER ? -ENOSPC : -EBADMSG)) {
			w->f[F_MISMATCH]++;
			count_err(w, err);
			wfail(w, "stream %llu (%s, %u B, dlen %u): zlib says %s, got %s", i,
			      iaa_fz_kind_name[s.kind], s.len, s.dlen,
			      ref == REF_OVER ? "ENOSPC" : "EBADMSG", ename(err));
		}
		cond_resched();
	}
	atomic64_add(digest, &run->digest);
}

static int thread_fn(void *data)
{
	struct wctx *w = data;
	struct run *run = w->run;

	pin_home(w);
	switch (run->job) {
	case JOB_RT:
		rt_thread(w);
		break;
	case JOB_WORKERS:
		workers_thread(w);
		break;
	default:
		fuzz_thread(w);
		break;
	}
	if (atomic_dec_and_test(&run->running))
		complete(&run->finished);
	/* stay until the run is torn down */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static void run_free(struct run *run)
{
	unsigned int t, k;

	if (!run)
		return;
	for (t = 0; t < run->nthreads; t++) {
		struct wctx *w = &run->w[t];

		if (w->task)
			kthread_stop(w->task);
		/* a lost request may still write its buffers */
		if (atomic_read(&wedged))
			continue;
		for (k = 0; k < MAX_TFMS; k++)
			sreq_fini(&w->req[k]);
		kfree(w->src);
		kfree(w->comp);
		kfree(w->out);
		zref_fini(&w->z);
	}
	if (!atomic_read(&wedged))
		kfree(run->w);
	kfree(run);
}

/* NAMES: comma-separated transform names, each with an optional :WEIGHT (default 1) */
static int run_tfms(struct run *run, char *names)
{
	unsigned int weight, sum = 0;
	char *name, *w;

	while ((name = strsep(&names, ",")) != NULL) {
		struct named_tfm *nt;

		w = strchr(name, ':');
		weight = 1;
		if (w) {
			*w++ = 0;
			if (kstrtouint(w, 0, &weight) || !weight || weight > 1000)
				return -EINVAL;
		}
		nt = tfm_find(name);
		if (!nt || run->ntfm == MAX_TFMS) {
			res("error=no-tfm-%s\n", name);
			return -EINVAL;
		}
		sum += weight;
		run->cum[run->ntfm] = sum;
		run->tfm[run->ntfm++] = nt;
	}
	return run->ntfm ? 0 : -EINVAL;
}

static struct run *run_start(int job, u64 seed, u64 first, u64 count, char *names)
{
	unsigned int t, k, cpu, max = job == JOB_RT ? MAX_RT_LEN : job == JOB_WORKERS ?
				      MAX_WK_LEN : IAA_FZ_MAX_OUT;
	struct run *run = kzalloc(sizeof(*run), GFP_KERNEL);
	int err = -ENOMEM;

	if (!run)
		return ERR_PTR(-ENOMEM);
	run->job = job;
	run->seed = seed;
	run->first = first;
	run->count = count;
	atomic_set(&run->msgs, 0);
	init_completion(&run->finished);
	err = run_tfms(run, names);
	if (err)
		goto fail;

	run->w = kcalloc(num_possible_cpus(), sizeof(*run->w), GFP_KERNEL);
	if (!run->w)
		goto fail;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct wctx *w = &run->w[run->nthreads];

		w->run = run;
		w->idx = run->nthreads++;
		w->cpu = cpu;
	}
	cpus_read_unlock();

	for (t = 0; t < run->nthreads; t++) {
		struct wctx *w = &run->w[t];

		w->src = kmalloc(max_t(unsigned int, max, IAA_FZ_MAX_STREAM), GFP_KERNEL);
		w->comp = kmalloc(COMP_CAP(max) + GUARD, GFP_KERNEL);
		w->out = kmalloc(max + GUARD, GFP_KERNEL);
		if (!w->src || !w->comp || !w->out || zref_init(&w->z, false))
			goto fail;
		for (k = 0; k < run->ntfm; k++)
			if (sreq_init(&w->req[k], run->tfm[k]->tfm))
				goto fail;
	}
	atomic_set(&run->running, run->nthreads);
	run->t0 = ktime_get();
	for (t = 0; t < run->nthreads; t++) {
		struct wctx *w = &run->w[t];

		w->task = kthread_create_on_node(thread_fn, w, cpu_to_node(w->cpu),
						 "iaa_stress/%u", w->cpu);
		if (IS_ERR(w->task)) {
			err = PTR_ERR(w->task);
			w->task = NULL;
			WRITE_ONCE(run->stop, true);
			/* the threads not made never run: count them as done */
			if (atomic_sub_and_test(run->nthreads - t, &run->running))
				complete(&run->finished);
			wait_for_completion(&run->finished);
			goto fail;
		}
		set_cpus_allowed_ptr(w->task, cpumask_of(w->cpu));
		wake_up_process(w->task);
	}
	return run;

fail:
	run_free(run);
	return ERR_PTR(err);
}

/* Wait for the threads; a signal asks them to stop early */
static void run_wait(struct run *run)
{
	if (wait_for_completion_interruptible(&run->finished)) {
		WRITE_ONCE(run->stop, true);
		wait_for_completion(&run->finished);
		res("interrupted=1\n");
	}
}

static void run_report(struct run *run, const u64 *mask)
{
	u64 sum[F_NR] = { 0 };
	unsigned int t, i, k;

	for (t = 0; t < run->nthreads; t++)
		for (i = 0; i < F_NR; i++)
			sum[i] += run->w[t].f[i];
	for (i = 0; i < F_NR; i++)
		if (*mask & BIT_ULL(i))
			res("%s=%llu ", f_name[i], sum[i]);
	res("threads=%u ms=%lld\n", run->nthreads, ktime_ms_delta(ktime_get(), run->t0));
	for (t = 0; t < run->nthreads; t++) {
		struct wctx *w = &run->w[t];

		for (k = 0; k < ARRAY_SIZE(w->errs) && w->errs[k][1]; k++)
			res("# thread %u: %d (%s) x%d\n", t, w->errs[k][0], ename(w->errs[k][0]),
			    w->errs[k][1]);
	}
	if (atomic_read(&run->msgs) > 0)
		res("# %d failure(s) logged in the kernel log (the first %d)\n",
		    atomic_read(&run->msgs), MAX_MSGS);
}

/* ------------------------------------------------------------------------------------------ */
/* One request, for the fault matrix                                                          */

struct one {
	struct named_tfm *nt;
	bool comp;
	unsigned int size;
	u64 seed;
	unsigned int post_ms;
	bool nosleep;
	bool nocb;
	char res[192];
};

#define POST_BYTE	0x3c

/* After @o completed: does anything still write its destination within post_ms? */
static const char *one_post(const struct one *o, u8 *dst, unsigned int len)
{
	unsigned int i;

	if (!o->post_ms)
		return "-";
	memset(dst, POST_BYTE, len);
	msleep(o->post_ms);
	for (i = 0; i < len; i++)
		if (dst[i] != POST_BYTE)
			return "bad";
	return "ok";
}

static struct {
	struct task_struct *task;
	struct completion done;
	struct one one;
} bg;

static void one_run(struct one *o)
{
	unsigned int n = o->size, cap = !o->comp ? n : n <= PAGE_SIZE ? PAGE_SIZE : COMP_CAP(n);
	unsigned int dlen = cap, slen = n, rlen;
	struct iaa_fz_rng r = { o->seed };
	struct scatterlist ssg, dsg;
	u8 *data = NULL, *in = NULL, *dst = NULL;
	struct sreq req = { };
	struct zref z = { };
	const char *data_ok = "-";
	ktime_t t0;
	bool guard;
	s64 us;
	int err;

	data = kmalloc(n, GFP_KERNEL);
	in = kmalloc(COMP_CAP(n), GFP_KERNEL);
	dst = kmalloc(cap + GUARD, GFP_KERNEL);
	err = -ENOMEM;
	if (!data || !in || !dst || zref_init(&z, !o->comp) || sreq_init(&req, o->nt->tfm))
		goto out;
	if (o->nosleep) {
		req.nosleep = true;
		acomp_request_set_callback(req.req, CRYPTO_TFM_REQ_MAY_BACKLOG,
					   o->nocb ? NULL : sreq_done, &req);
	}
	fill(data, n, PAT_TEXT, &r);
	if (o->comp) {
		memcpy(in, data, n);
	} else {
		slen = zref_deflate(&z, data, n, in, COMP_CAP(n), 6);
		err = -EINVAL;
		if (!slen)
			goto out;
	}
	memset(dst, FILL_BYTE, cap);
	memset(dst + cap, GUARD_BYTE, GUARD);
	sg_init_one(&ssg, in, slen);
	sg_init_one(&dsg, dst, cap);
	t0 = ktime_get();
	err = sreq_run(&req, o->comp, &ssg, slen, &dsg, &dlen);
	us = ktime_us_delta(ktime_get(), t0);
	if (err == LOST)
		goto lost;
	guard = guard_ok(dst + cap);
	if (!err && o->comp) {
		data_ok = zref_inflate(&z, dst, dlen, in, n, &rlen) == REF_OK &&
			  rlen == n && !memcmp(in, data, n) ? "ok" : "bad";
	} else if (!err) {
		data_ok = dlen == n && !memcmp(dst, data, n) ? "ok" : "bad";
	}
	scnprintf(o->res, sizeof(o->res),
		  "err=%s dlen=%u data=%s guard=%s us=%lld call_us=%lld post=%s\n",
		  ename(err), err ? 0 : dlen, data_ok, guard ? "ok" : "bad", us, req.call_us,
		  one_post(o, dst, cap + GUARD));
	sreq_fini(&req);
	kfree(data);
	kfree(in);
	kfree(dst);
	zref_fini(&z);
	return;
out:
	scnprintf(o->res, sizeof(o->res), "err=%s dlen=0 data=- guard=- setup=failed\n",
		  ename(err));
	sreq_fini(&req);
	kfree(data);
	kfree(in);
	kfree(dst);
	zref_fini(&z);
	return;
lost:
	scnprintf(o->res, sizeof(o->res), "err=LOST dlen=0 data=- guard=-\n");
	zref_fini(&z);
}

static int bg_fn(void *data)
{
	one_run(&bg.one);
	complete(&bg.done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static int bg_reap(void)
{
	if (!bg.task)
		return 0;
	if (wait_for_completion_interruptible(&bg.done))
		return -EINTR;
	kthread_stop(bg.task);
	bg.task = NULL;
	res("%s", bg.one.res);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Commands                                                                                   */

static int parse_one(char **args, struct one *o)
{
	char *name = strsep(args, " "), *op = strsep(args, " ");
	char *size = strsep(args, " "), *seed = strsep(args, " "), *post = strsep(args, " ");
	char *flag = strsep(args, " ");

	if (!name || !op || !size || !seed || (post && kstrtouint(post, 0, &o->post_ms)))
		return -EINVAL;
	if (flag && strcmp(flag, "nosleep") && strcmp(flag, "nosleep-nocb"))
		return -EINVAL;
	o->nosleep = !!flag;
	o->nocb = flag && !strcmp(flag, "nosleep-nocb");
	o->nt = tfm_find(name);
	if (!o->nt || (strcmp(op, "comp") && strcmp(op, "decomp")))
		return -EINVAL;
	o->comp = !strcmp(op, "comp");
	if (kstrtouint(size, 0, &o->size) || !o->size || o->size > 65536 ||
	    kstrtou64(seed, 0, &o->seed))
		return -EINVAL;
	return 0;
}

static int cmd_tfm(char *name)
{
	unsigned int i;

	if (!name || !*name || strlen(name) >= sizeof(tfms[0].name) || tfm_find(name))
		return -EINVAL;
	for (i = 0; i < MAX_TFMS; i++) {
		if (tfms[i].tfm)
			continue;
		tfms[i].tfm = crypto_alloc_acomp(alg, 0, 0);
		if (IS_ERR(tfms[i].tfm)) {
			int err = PTR_ERR(tfms[i].tfm);

			tfms[i].tfm = NULL;
			res("tfm=%s error=%s\n", name, ename(err));
			return err;
		}
		strscpy(tfms[i].name, name, sizeof(tfms[i].name));
		res("tfm=%s driver=%s\n", name,
		    crypto_tfm_alg_driver_name(crypto_acomp_tfm(tfms[i].tfm)));
		return 0;
	}
	return -ENOSPC;
}

static int cmd_free(char *name)
{
	unsigned int i;

	if (workers_run || bg.task || atomic_read(&wedged))
		return -EBUSY;
	for (i = 0; i < MAX_TFMS; i++) {
		if (!tfms[i].tfm || (strcmp(name, "all") && strcmp(name, tfms[i].name)))
			continue;
		crypto_free_acomp(tfms[i].tfm);
		tfms[i].tfm = NULL;
	}
	res("freed=%s\n", name);
	return 0;
}

static int cmd_run(int job, char *args)
{
	static const u64 rt_mask = BIT_ULL(F_ROUNDTRIPS) | BIT_ULL(F_REQUESTS) |
				   BIT_ULL(F_FAILURES) | BIT_ULL(F_MISMATCH) | BIT_ULL(F_GUARD) |
				   BIT_ULL(F_LOST);
	static const u64 fz_mask = BIT_ULL(F_STREAMS) | BIT_ULL(F_OK) | BIT_ULL(F_OVER) |
				   BIT_ULL(F_BAD) | BIT_ULL(F_DEVICE_OK) | BIT_ULL(F_MISMATCH) |
				   BIT_ULL(F_GUARD) | BIT_ULL(F_LOST);
	char *s_seed = strsep(&args, " "), *s_count = NULL, *names, *s_first;
	u64 seed, count = 0, first = 0;
	struct run *run;

	if (job != JOB_WORKERS)
		s_count = strsep(&args, " ");
	names = strsep(&args, " ");
	s_first = strsep(&args, " ");
	if (!s_seed || kstrtou64(s_seed, 0, &seed) || !names ||
	    (s_count && kstrtou64(s_count, 0, &count)) ||
	    (s_first && kstrtou64(s_first, 0, &first)))
		return -EINVAL;
	if (job == JOB_WORKERS && workers_run)
		return -EBUSY;

	run = run_start(job, seed, first, count, names);
	if (IS_ERR(run))
		return PTR_ERR(run);
	if (job == JOB_WORKERS) {
		workers_run = run;
		res("workers=%u\n", run->nthreads);
		return 0;
	}
	run_wait(run);
	res("seed=%llu first=%llu count=%llu ", seed, first, count);
	if (job == JOB_FUZZ) {
		u64 digest = atomic64_read(&run->digest);
		bool deflt = seed == IAA_FZ_SEED && !first && count == IAA_FZ_COUNT;

		res("digest=%#llx digest_ok=%s ", digest,
		    !deflt ? "n/a" : digest == IAA_FZ_DIGEST ? "yes" : "NO");
	}
	run_report(run, job == JOB_FUZZ ? &fz_mask : &rt_mask);
	run_free(run);
	return 0;
}

static int cmd_stop(bool peek)
{
	static const u64 mask = BIT_ULL(F_ROUNDTRIPS) | BIT_ULL(F_REQUESTS) |
				BIT_ULL(F_FAILURES) | BIT_ULL(F_MISMATCH) | BIT_ULL(F_GUARD) |
				BIT_ULL(F_LOST);
	struct run *run = workers_run;

	if (!run)
		return -ENOENT;
	if (!peek) {
		WRITE_ONCE(run->stop, true);
		wait_for_completion(&run->finished);
	}
	run_report(run, &mask);
	if (!peek) {
		workers_run = NULL;
		run_free(run);
	}
	return 0;
}

static int run_cmd(char *line)
{
	char *args = strim(line), *cmd = strsep(&args, " ");
	int err;

	if (atomic_read(&wedged)) {
		res("error=wedged (a request was lost earlier)\n");
		return -EIO;
	}
	if (!strcmp(cmd, "tfm"))
		return cmd_tfm(args);
	if (!strcmp(cmd, "free"))
		return args ? cmd_free(args) : -EINVAL;
	if (!strcmp(cmd, "one") || !strcmp(cmd, "start")) {
		struct one o = { };

		err = parse_one(&args, &o);
		if (err)
			return err;
		if (cmd[0] == 'o') {
			one_run(&o);
			res("%s", o.res);
			return 0;
		}
		if (bg.task)
			return -EBUSY;
		bg.one = o;
		init_completion(&bg.done);
		bg.task = kthread_run(bg_fn, NULL, "iaa_stress/bg");
		if (IS_ERR(bg.task)) {
			err = PTR_ERR(bg.task);
			bg.task = NULL;
			return err;
		}
		res("started\n");
		return 0;
	}
	if (!strcmp(cmd, "wait"))
		return bg.task ? bg_reap() : -ENOENT;
	if (!strcmp(cmd, "rt"))
		return args ? cmd_run(JOB_RT, args) : -EINVAL;
	if (!strcmp(cmd, "fuzz"))
		return args ? cmd_run(JOB_FUZZ, args) : -EINVAL;
	if (!strcmp(cmd, "workers"))
		return args ? cmd_run(JOB_WORKERS, args) : -EINVAL;
	if (!strcmp(cmd, "stop") || !strcmp(cmd, "peek"))
		return cmd_stop(cmd[0] == 'p');
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	char line[256];
	int err;

	if (count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	line[count] = 0;

	mutex_lock(&ctl_lock);
	result_len = 0;
	result[0] = 0;
	err = run_cmd(line);
	if (err)
		res("error=%s cmd=%s\n", err == -EINVAL ? "usage" : ename(err), strim(line));
	mutex_unlock(&ctl_lock);
	return err ? err : count;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&ctl_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, result, result_len);
	mutex_unlock(&ctl_lock);
	return ret;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = ctl_read,
	.write = ctl_write,
	.llseek = default_llseek,
};

static int __init iaa_stress_init(void)
{
	result = kzalloc(RESULT_SIZE, GFP_KERNEL);
	if (!result)
		return -ENOMEM;
	dir = debugfs_create_dir("iaa_stress", NULL);
	debugfs_create_file("ctl", 0600, dir, NULL, &ctl_fops);
	return 0;
}

static void __exit iaa_stress_exit(void)
{
	unsigned int i;

	debugfs_remove_recursive(dir);
	if (workers_run) {
		WRITE_ONCE(workers_run->stop, true);
		wait_for_completion(&workers_run->finished);
		run_free(workers_run);
	}
	if (bg.task) {
		wait_for_completion(&bg.done);
		kthread_stop(bg.task);
	}
	for (i = 0; i < MAX_TFMS; i++)
		if (tfms[i].tfm)
			crypto_free_acomp(tfms[i].tfm);
	kfree(result);
}

module_init(iaa_stress_init);
module_exit(iaa_stress_exit);

MODULE_DESCRIPTION("reliability scenarios for acomp deflate (deflate-iaa)");
MODULE_LICENSE("GPL");
