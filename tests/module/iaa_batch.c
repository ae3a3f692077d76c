// SPDX-License-Identifier: GPL-2.0
/*
 * iaa_batch - batches of acomp requests the way zram sends a bio's pages, every result checked.
 *
 *   insmod iaa_batch.ko [alg=deflate-iaa] [n=1,4,16,32] [pages=256] [seed=1] [faults=0]
 *                       [tail=1] [timeout_ms=300] [tag=iaa_batch]
 *
 *   alg         acomp algorithm or driver name
 *   n           batch sizes: for each, the pages are compressed in batches of that many, then
 *               the ones that compressed are decompressed in batches of that many
 *   pages       pages of generated data: text, zeros with a few bytes, and random bytes
 *               (incompressible: a compress into dlen = PAGE_SIZE may end with -ENOSPC)
 *   faults      1: the device is being made to fail (tests/guest/acomp-batch.sh arms the rules),
 *               so a compress may also end with -EIO or -ETIMEDOUT (a caller redoes those in
 *               software); 0: it may not
 *   tail        then one compress with the hint and no request after it: it must end through
 *               its callback (or at once), with a correct result or, with faults=1, an error
 *   timeout_ms  the driver's timeout_ms: a batch not ended within 4 times it plus 2 s fails
 *               its case, and its buffers are leaked (the module then stays loaded)
 *
 * A batch is N requests, each with a callback and CRYPTO_TFM_REQ_MAY_SLEEP, all but the last
 * with the hint ACOMP_REQ_MORE; the thread counts the ones that returned -EINPROGRESS and
 * sleeps once on a completion that the last of their callbacks completes. Checked for every
 * request: it ends exactly once (its callback only after -EINPROGRESS, once); a compress that
 * succeeded inflates (lib/zlib_inflate, raw deflate) to its page byte for byte, its dlen the
 * stream's length; any other compress ended with an allowed errno; a decompress succeeds with
 * exactly its page (the driver retries a device failure in software).
 *
 * Results in debugfs iaa_batch/result until rmmod, one line a case:
 *   case NAME ok|fail [DETAIL]
 * NAME: comp.nN, decomp.nN, tail; DETAIL: counts and the first failures. Then "done".
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
#include <linux/jiffies.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/atomic.h>
#include <linux/zlib.h>
#include <crypto/acompress.h>

static char *alg = "deflate-iaa";
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "acomp algorithm or driver name");

static uint n[8] = { 1, 4, 16, 32 };
static int nr_n = 4;
module_param_array(n, uint, &nr_n, 0444);
MODULE_PARM_DESC(n, "batch sizes (1..64)");

static uint pages = 256;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "pages of generated data");

static ulong seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "seed of the generated data");

static bool faults;
module_param(faults, bool, 0444);
MODULE_PARM_DESC(faults, "the device is made to fail: compress may end with -EIO, -ETIMEDOUT");

static bool tail = true;
module_param(tail, bool, 0444);
MODULE_PARM_DESC(tail, "one hinted compress with no request after it");

static uint timeout_ms = 300;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "the driver's timeout_ms");

static char *tag = "iaa_batch";
module_param(tag, charp, 0444);
MODULE_PARM_DESC(tag, "prefix of the kernel log lines");

/* The hint that more requests of the batch follow (our driver's IAA_REQ_MORE) */
#define ACOMP_REQ_MORE	0x00080000
#define BATCH_MAX	64
#define RESULT_SIZE	(64 * 1024)
#define DST_SIZE	(2 * PAGE_SIZE)

struct batch;

/* One request of a batch and its buffers */
struct entry {
	struct batch *b;
	struct acomp_req *req;
	struct scatterlist sin, sout;
	void *dst;		/* DST_SIZE: the compress's output */
	void *out;		/* PAGE_SIZE: the decompress's output */
	unsigned int page;
	atomic_t ends;		/* callbacks run for the request in flight */
	int err;		/* its result */
};

struct batch {
	struct crypto_acomp *tfm;
	struct entry e[BATCH_MAX];
	atomic_t pending;	/* the thread's own count, and one per -EINPROGRESS */
	struct completion done;
};

/* The data, and what each page compressed to */
struct corpus {
	u8 **pg;		/* @pages pages */
	u8 **comp;		/* compressed copy, or NULL */
	unsigned int *clen;
	bool *random;		/* incompressible by construction */
};

static char *res;
static size_t res_len;
static struct dentry *dbg_dir;
static void *zws;		/* zlib_inflate's workspace */
static u8 *zout;		/* its output: PAGE_SIZE + 1 */
static bool leaked;

static __printf(1, 2) void res_add(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vscnprintf(res + res_len, RESULT_SIZE - res_len, fmt, ap);
	va_end(ap);
	res_len += len;
}

static u64 rng(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Page @i: text of a small vocabulary, a zero page with a few bytes set, or random bytes */
static void gen_page(u8 *p, unsigned int i, bool *random)
{
	static const char * const w[] = { "batch ", "page ", "zram ", "swap ", "deflate ",
					   "engine ", "record ", "poller ", "\n", "0123 " };
	u64 s = seed * 0x9e3779b97f4a7c15ULL + i + 1;
	unsigned int k, len;

	*random = i % 8 == 7;
	if (*random) {
		for (k = 0; k < PAGE_SIZE; k += 8) {
			u64 r = rng(&s);

			memcpy(p + k, &r, sizeof(r));
		}
		return;
	}
	if (i % 8 == 3) {
		memset(p, 0, PAGE_SIZE);
		for (k = 0; k < 8; k++)
			p[rng(&s) % PAGE_SIZE] = rng(&s);
		return;
	}
	for (k = 0; k < PAGE_SIZE; k += len) {
		const char *word = w[rng(&s) % ARRAY_SIZE(w)];

		len = min_t(unsigned int, strlen(word), PAGE_SIZE - k);
		memcpy(p + k, word, len);
	}
}

/* Inflate @len bytes of raw deflate into zout: the output's length, or -1 */
static int inflate(const u8 *in, unsigned int len)
{
	struct z_stream_s z = { .workspace = zws };
	int ret;

	if (zlib_inflateInit2(&z, -MAX_WBITS) != Z_OK)
		return -1;
	z.next_in = in;
	z.avail_in = len;
	z.next_out = zout;
	z.avail_out = PAGE_SIZE + 1;
	ret = zlib_inflate(&z, Z_FINISH);
	zlib_inflateEnd(&z);
	if (ret != Z_STREAM_END || z.avail_in)
		return -1;
	return z.total_out;
}

static void entry_done(void *data, int err)
{
	struct entry *e = data;
	struct batch *b = e->b;

	if (err == -EINPROGRESS)
		return;		/* out of the backlog: its end follows */
	e->err = err;
	atomic_inc(&e->ends);
	if (atomic_dec_and_test(&b->pending))
		complete(&b->done);
}

/*
 * Submit @cnt requests of @b (their parameters set), the hint on all but the last when @more
 * (on all of them when @more and @open: a batch whose last request never comes), then wait
 * for the ones that went asynchronous. Return: false if they did not all end in time.
 */
static bool batch_run(struct batch *b, unsigned int cnt, bool comp, bool more, bool open,
		      unsigned int *async)
{
	unsigned long tmo = msecs_to_jiffies(4 * timeout_ms + 2000);
	unsigned int i;
	int ret;

	reinit_completion(&b->done);
	atomic_set(&b->pending, 1);
	for (i = 0; i < cnt; i++) {
		struct entry *e = &b->e[i];

		acomp_request_set_callback(e->req, CRYPTO_TFM_REQ_MAY_SLEEP |
					   CRYPTO_TFM_REQ_MAY_BACKLOG |
					   (more && (open || i + 1 < cnt) ? ACOMP_REQ_MORE : 0),
					   entry_done, e);
		atomic_set(&e->ends, 0);
		e->err = -EINPROGRESS;
		atomic_inc(&b->pending);
		ret = comp ? crypto_acomp_compress(e->req) : crypto_acomp_decompress(e->req);
		if (ret == -EINPROGRESS || ret == -EBUSY) {
			(*async)++;
			continue;
		}
		/* It ended at once: its callback must not run */
		e->err = ret;
		atomic_dec(&b->pending);
	}
	if (!atomic_dec_and_test(&b->pending) &&
	    !wait_for_completion_timeout(&b->done, tmo)) {
		leaked = true;
		return false;
	}
	return true;
}

struct verdict {
	unsigned int reqs, async, ok, enospc, failed, bad;
	char first[160];
};

static __printf(2, 3) void bad(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->bad++) {
		va_start(ap, fmt);
		vscnprintf(v->first, sizeof(v->first), fmt, ap);
		va_end(ap);
	}
}

/* Every end of a compress request: once, an allowed errno, or a stream of its page */
static void check_comp(struct corpus *c, struct entry *e, struct verdict *v)
{
	unsigned int p = e->page;
	int out;

	v->reqs++;
	if (atomic_read(&e->ends) > 1 || (atomic_read(&e->ends) && e->err == -EINPROGRESS)) {
		bad(v, "page %u: %d ends", p, atomic_read(&e->ends));
		return;
	}
	if (e->err == -ENOSPC) {
		v->enospc++;
		if (!c->random[p] && !faults)
			bad(v, "page %u: -ENOSPC for a compressible page", p);
		return;
	}
	if (e->err == -EIO || e->err == -ETIMEDOUT) {
		v->failed++;
		if (!faults)
			bad(v, "page %u: %d with no fault injected", p, e->err);
		return;
	}
	if (e->err) {
		bad(v, "page %u: errno %d", p, e->err);
		return;
	}
	if (!e->req->dlen || e->req->dlen > PAGE_SIZE) {
		bad(v, "page %u: dlen %u", p, e->req->dlen);
		return;
	}
	out = inflate(e->dst, e->req->dlen);
	if (out != PAGE_SIZE || memcmp(zout, c->pg[p], PAGE_SIZE)) {
		bad(v, "page %u: inflates to %d bytes%s", p, out,
		    out == PAGE_SIZE ? ", not the page" : "");
		return;
	}
	v->ok++;
	if (!c->comp[p]) {
		c->comp[p] = kmemdup(e->dst, e->req->dlen, GFP_KERNEL);
		c->clen[p] = e->req->dlen;
	}
}

static void check_decomp(struct corpus *c, struct entry *e, struct verdict *v)
{
	unsigned int p = e->page;

	v->reqs++;
	if (atomic_read(&e->ends) > 1 || (atomic_read(&e->ends) && e->err == -EINPROGRESS))
		bad(v, "page %u: %d ends", p, atomic_read(&e->ends));
	else if (e->err || e->req->dlen != PAGE_SIZE)
		bad(v, "page %u: errno %d, dlen %u", p, e->err, e->req->dlen);
	else if (memcmp(e->out, c->pg[p], PAGE_SIZE))
		bad(v, "page %u: not the page", p);
	else
		v->ok++;
}

static void set_comp(struct corpus *c, struct entry *e, unsigned int p)
{
	e->page = p;
	sg_init_one(&e->sin, c->pg[p], PAGE_SIZE);
	sg_init_one(&e->sout, e->dst, DST_SIZE);
	acomp_request_set_params(e->req, &e->sin, &e->sout, PAGE_SIZE, PAGE_SIZE);
}

static void report(const char *name, struct verdict *v, bool in_time)
{
	res_add("case %s %s reqs=%u async=%u ok=%u enospc=%u failed=%u bad=%u%s%s%s\n", name,
		v->bad || !in_time || !v->reqs ? "fail" : "ok", v->reqs, v->async, v->ok,
		v->enospc, v->failed, v->bad, in_time ? "" : " not-ended-in-time",
		v->bad ? " first: " : "", v->first);
}

static void run_size(struct batch *b, struct corpus *c, unsigned int size)
{
	struct verdict vc = { }, vd = { };
	unsigned int p, i, cnt;
	bool in_time = true;
	char name[32];

	for (p = 0; p < pages && in_time; p += cnt) {
		cnt = min(size, pages - p);
		for (i = 0; i < cnt; i++)
			set_comp(c, &b->e[i], p + i);
		in_time = batch_run(b, cnt, true, true, false, &vc.async);
		for (i = 0; i < cnt && in_time; i++)
			check_comp(c, &b->e[i], &vc);
	}
	snprintf(name, sizeof(name), "comp.n%u", size);
	report(name, &vc, in_time);
	if (!in_time)
		return;

	for (p = 0; p < pages && in_time;) {
		for (cnt = 0; cnt < size && p < pages; p++) {
			struct entry *e = &b->e[cnt];

			if (!c->comp[p])
				continue;
			e->page = p;
			sg_init_one(&e->sin, c->comp[p], c->clen[p]);
			sg_init_one(&e->sout, e->out, PAGE_SIZE);
			acomp_request_set_params(e->req, &e->sin, &e->sout, c->clen[p], PAGE_SIZE);
			cnt++;
		}
		if (!cnt)
			break;
		in_time = batch_run(b, cnt, false, true, false, &vd.async);
		for (i = 0; i < cnt && in_time; i++)
			check_decomp(c, &b->e[i], &vd);
	}
	snprintf(name, sizeof(name), "decomp.n%u", size);
	report(name, &vd, in_time);
}

/* One hinted compress and nothing after it: the driver must still end it */
static void run_tail(struct batch *b, struct corpus *c)
{
	struct verdict v = { };
	unsigned long t0 = jiffies;
	bool in_time;

	set_comp(c, &b->e[0], 0);
	in_time = batch_run(b, 1, true, true, true, &v.async);
	if (in_time)
		check_comp(c, &b->e[0], &v);
	report("tail", &v, in_time);
	res_add("tail ms=%u async=%u err=%d\n", jiffies_to_msecs(jiffies - t0), v.async,
		b->e[0].err);
}

static ssize_t result_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	return simple_read_from_buffer(buf, len, pos, res, res_len);
}

static const struct file_operations result_fops = {
	.owner = THIS_MODULE,
	.read = result_read,
	.llseek = default_llseek,
};

static void corpus_free(struct corpus *c)
{
	unsigned int i;

	for (i = 0; i < pages; i++) {
		if (c->pg)
			kfree(c->pg[i]);
		if (c->comp)
			kfree(c->comp[i]);
	}
	kfree(c->pg);
	kfree(c->comp);
	kfree(c->clen);
	kfree(c->random);
}

static int __init iaa_batch_init(void)
{
	struct corpus c = { };
	struct batch *b;
	unsigned int i;
	int ret = -ENOMEM;

	if (!pages)
		return -EINVAL;
	for (i = 0; i < nr_n; i++)
		if (!n[i] || n[i] > BATCH_MAX)
			return -EINVAL;
	res = vzalloc(RESULT_SIZE);
	zws = vzalloc(zlib_inflate_workspacesize());
	zout = kmalloc(PAGE_SIZE + 1, GFP_KERNEL);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	c.pg = kcalloc(pages, sizeof(*c.pg), GFP_KERNEL);
	c.comp = kcalloc(pages, sizeof(*c.comp), GFP_KERNEL);
	c.clen = kcalloc(pages, sizeof(*c.clen), GFP_KERNEL);
	c.random = kcalloc(pages, sizeof(*c.random), GFP_KERNEL);
	if (!res || !zws || !zout || !b || !c.pg || !c.comp || !c.clen || !c.random)
		goto out;
	for (i = 0; i < pages; i++) {
		c.pg[i] = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!c.pg[i])
			goto out;
		gen_page(c.pg[i], i, &c.random[i]);
	}
	init_completion(&b->done);
	b->tfm = crypto_alloc_acomp(alg, 0, 0);
	if (IS_ERR(b->tfm)) {
		ret = PTR_ERR(b->tfm);
		b->tfm = NULL;
		pr_err("%s: cannot allocate %s: %d\n", tag, alg, ret);
		goto out;
	}
	for (i = 0; i < BATCH_MAX; i++) {
		b->e[i].b = b;
		b->e[i].req = acomp_request_alloc(b->tfm);
		b->e[i].dst = kmalloc(DST_SIZE, GFP_KERNEL);
		b->e[i].out = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!b->e[i].req || !b->e[i].dst || !b->e[i].out)
			goto out;
	}
	res_add("run alg=%s driver=%s pages=%u faults=%d timeout_ms=%u\n", alg,
		crypto_tfm_alg_driver_name(crypto_acomp_tfm(b->tfm)), pages, faults, timeout_ms);
	for (i = 0; i < nr_n && !leaked; i++)
		run_size(b, &c, n[i]);
	if (tail && !leaked)
		run_tail(b, &c);
	res_add("done\n");
	dbg_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("result", 0444, dbg_dir, NULL, &result_fops);
	pr_info("%s: %s done%s\n", tag, alg, leaked ? ", a batch did not end" : "");
	ret = 0;
out:
	if (leaked) {
		/* The driver may still complete a request: keep its memory, and the module */
		__module_get(THIS_MODULE);
		return 0;
	}
	if (b) {
		for (i = 0; i < BATCH_MAX; i++) {
			if (b->e[i].req)
				acomp_request_free(b->e[i].req);
			kfree(b->e[i].dst);
			kfree(b->e[i].out);
		}
		if (b->tfm)
			crypto_free_acomp(b->tfm);
		kfree(b);
	}
	corpus_free(&c);
	vfree(zws);
	kfree(zout);
	if (ret)
		vfree(res);
	return ret;
}

static void __exit iaa_batch_exit(void)
{
	debugfs_remove_recursive(dbg_dir);
	vfree(res);
}

module_init(iaa_batch_init);
module_exit(iaa_batch_exit);

MODULE_DESCRIPTION("Batches of acomp requests with the batch hint, every result checked");
MODULE_LICENSE("GPL");
