// SPDX-License-Identifier: GPL-2.0
/*
 * iaa_probe - synchronous latency of an acomp algorithm on buffers of its own, the way a
 * caller with arbitrary memory submits: every pass kmallocs new sources, destinations and
 * decompression outputs, copies corpus pages into the sources, then times each compress and
 * each decompress with ktime_get_ns() around the call. Independent of iaa_bench.c (whose
 * corpus pages and destination stay the same for the whole run).
 *
 *   insmod iaa_probe.ko [alg=deflate-iaa] [corpus=/data/corpus.bin] [pages=64] [passes=3]
 *                       [dsize=4096] [touch=0] [detail=0] [tag=probe]
 *
 *   pages   corpus pages per pass (the first ones; fewer if the corpus is shorter)
 *   dsize   size of each kmalloc'd destination, and the dlen of the compress
 *   touch   the CPU writes every destination and output buffer before its request
 *   detail  one line per request: its buffers' page frames and latencies
 *
 * The request has iaa_bench's flags (a callback, may backlog): with the driver in sync_mode=sync
 * the call returns with the result; otherwise the wait is for crypto_req_done().
 *
 * Results in /sys/kernel/debug/iaa_probe/result until rmmod, one record a line:
 *   run tag= alg= driver= pages= passes= dsize= touch=
 *   pass op=comp|decomp pass= n= mean= min= p10= median= p90= max=   (guest ns)
 *   req pass= i= src_pfn= dst_pfn= out_pfn= c= cl= dl=              (detail=1)
 *   end errors= mismatches= incompressible=
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/ktime.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <crypto/acompress.h>

static char *alg = "deflate-iaa";
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "acomp algorithm or driver name");

static char *corpus = "/data/corpus.bin";
module_param(corpus, charp, 0444);
MODULE_PARM_DESC(corpus, "file of 4 KiB pages");

static uint pages = 64;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "corpus pages per pass");

static uint passes = 3;
module_param(passes, uint, 0444);
MODULE_PARM_DESC(passes, "passes, each on newly allocated buffers");

static uint dsize = PAGE_SIZE;
module_param(dsize, uint, 0444);
MODULE_PARM_DESC(dsize, "destination size and dlen of a compress");

static bool touch;
module_param(touch, bool, 0444);
MODULE_PARM_DESC(touch, "write the destinations and outputs before their requests");

static bool detail;
module_param(detail, bool, 0444);
MODULE_PARM_DESC(detail, "one result line per request");

static char *tag = "probe";
module_param(tag, charp, 0444);
MODULE_PARM_DESC(tag, "label of the results");

#define RESULT_SIZE	(256 * 1024)
#define TIMEOUT_MS	10000

struct probe_buf {
	void *src;		/* PAGE_SIZE, a corpus page */
	void *dst;		/* dsize */
	void *out;		/* PAGE_SIZE */
	u32 clen;
};

struct probe {
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	struct crypto_wait wait;
	void *corpus;		/* npages * PAGE_SIZE, vmalloc'd */
	unsigned int npages;
	struct probe_buf *buf;
	u64 *cl, *dl, *tmp;	/* this pass's latencies */
	unsigned int errors, mismatches, incompressible;
	char *res;
	size_t res_len;
};

static struct probe probe;
static struct dentry *dbg_dir;
static bool leaked;

static __printf(2, 3) void res_add(struct probe *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->res_len >= RESULT_SIZE - 1)
		return;
	va_start(ap, fmt);
	n = vscnprintf(p->res + p->res_len, RESULT_SIZE - p->res_len, fmt, ap);
	va_end(ap);
	p->res_len += n;
}

static int probe_wait(struct probe *p, int ret)
{
	if (ret == -EINPROGRESS || ret == -EBUSY) {
		if (!wait_for_completion_timeout(&p->wait.completion,
						 msecs_to_jiffies(TIMEOUT_MS)))
			return -ETIME;
		ret = p->wait.err;
	}
	reinit_completion(&p->wait.completion);
	return ret;
}

static int probe_comp(struct probe *p, struct probe_buf *b, u64 *ns)
{
	struct scatterlist sin, sout;
	u64 t0;
	int ret;

	sg_init_one(&sin, b->src, PAGE_SIZE);
	sg_init_one(&sout, b->dst, dsize);
	acomp_request_set_params(p->req, &sin, &sout, PAGE_SIZE, dsize);
	t0 = ktime_get_ns();
	ret = probe_wait(p, crypto_acomp_compress(p->req));
	*ns = ktime_get_ns() - t0;
	b->clen = ret ? 0 : p->req->dlen;
	return ret;
}

static int probe_decomp(struct probe *p, struct probe_buf *b, u64 *ns)
{
	struct scatterlist sin, sout;
	u64 t0;
	int ret;

	sg_init_one(&sin, b->dst, b->clen);
	sg_init_one(&sout, b->out, PAGE_SIZE);
	acomp_request_set_params(p->req, &sin, &sout, b->clen, PAGE_SIZE);
	t0 = ktime_get_ns();
	ret = probe_wait(p, crypto_acomp_decompress(p->req));
	*ns = ktime_get_ns() - t0;
	if (!ret && p->req->dlen != PAGE_SIZE)
		ret = -ENODATA;
	return ret;
}

static void probe_free_bufs(struct probe *p)
{
	unsigned int i;

	for (i = 0; i < p->npages; i++) {
		kfree(p->buf[i].src);
		kfree(p->buf[i].dst);
		kfree(p->buf[i].out);
		memset(&p->buf[i], 0, sizeof(p->buf[i]));
	}
}

static int probe_alloc_bufs(struct probe *p)
{
	unsigned int i;

	for (i = 0; i < p->npages; i++) {
		struct probe_buf *b = &p->buf[i];

		b->src = kmalloc(PAGE_SIZE, GFP_KERNEL);
		b->dst = kmalloc(dsize, GFP_KERNEL);
		b->out = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!b->src || !b->dst || !b->out)
			return -ENOMEM;
		memcpy(b->src, p->corpus + (size_t)i * PAGE_SIZE, PAGE_SIZE);
		if (touch) {
			memset(b->dst, 0, dsize);
			memset(b->out, 0, PAGE_SIZE);
		}
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void probe_summary(struct probe *p, const char *op, unsigned int pass, const u64 *lat,
			  unsigned int n)
{
	u64 sum = 0;
	unsigned int i;

	if (!n)
		return;
	memcpy(p->tmp, lat, n * sizeof(*lat));
	sort(p->tmp, n, sizeof(*p->tmp), cmp_u64, NULL);
	for (i = 0; i < n; i++)
		sum += p->tmp[i];
	res_add(p, "pass op=%s pass=%u n=%u mean=%llu min=%llu", op, pass, n, div_u64(sum, n),
		p->tmp[0]);
	res_add(p, " p10=%llu median=%llu p90=%llu max=%llu\n", p->tmp[n / 10], p->tmp[n / 2],
		p->tmp[n * 9 / 10], p->tmp[n - 1]);
}

static unsigned long probe_pfn(const void *va)
{
	return page_to_pfn(virt_to_page(va));
}

static int probe_pass(struct probe *p, unsigned int pass)
{
	unsigned int i, nc = 0, nd = 0;
	int ret;

	ret = probe_alloc_bufs(p);
	if (ret)
		goto out;
	for (i = 0; i < p->npages; i++) {
		struct probe_buf *b = &p->buf[i];
		u64 c = 0, d = 0;

		ret = probe_comp(p, b, &c);
		if (ret == -ETIME)
			goto out;
		p->cl[nc++] = c;
		if (ret == -ENOSPC) {
			p->incompressible++;
		} else if (ret) {
			pr_err("%s: page %u pass %u: compress: %d\n", alg, i, pass, ret);
			p->errors++;
		} else {
			ret = probe_decomp(p, b, &d);
			if (ret == -ETIME)
				goto out;
			p->dl[nd++] = d;
			if (ret) {
				pr_err("%s: page %u pass %u: decompress: %d\n", alg, i, pass, ret);
				p->errors++;
			} else if (memcmp(b->out, b->src, PAGE_SIZE)) {
				p->mismatches++;
			}
		}
		if (detail) {
			res_add(p, "req pass=%u i=%u src_pfn=%lx dst_pfn=%lx out_pfn=%lx",
				pass, i, probe_pfn(b->src), probe_pfn(b->dst),
				probe_pfn(b->out));
			res_add(p, " c=%u cl=%llu dl=%llu\n", b->clen, c, d);
		}
	}
	probe_summary(p, "comp", pass, p->cl, nc);
	probe_summary(p, "decomp", pass, p->dl, nd);
	ret = 0;
out:
	if (ret == -ETIME) {
		/* the driver may still write to the buffers: leak them, stay loaded */
		leaked = true;
		__module_get(THIS_MODULE);
		p->errors++;
		return ret;
	}
	probe_free_bufs(p);
	return ret;
}

static int probe_load_corpus(struct probe *p)
{
	struct file *f;
	loff_t size, pos = 0;
	ssize_t n;
	int ret = 0;

	f = filp_open(corpus, O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("cannot open %s: %ld\n", corpus, PTR_ERR(f));
		return PTR_ERR(f);
	}
	size = i_size_read(file_inode(f));
	p->npages = min_t(loff_t, size / PAGE_SIZE, pages);
	if (!p->npages) {
		ret = -EINVAL;
		goto out;
	}
	p->corpus = vmalloc(p->npages * PAGE_SIZE);
	if (!p->corpus) {
		ret = -ENOMEM;
		goto out;
	}
	n = kernel_read(f, p->corpus, p->npages * PAGE_SIZE, &pos);
	if (n != p->npages * PAGE_SIZE)
		ret = n < 0 ? n : -EIO;
out:
	filp_close(f, NULL);
	return ret;
}

static ssize_t result_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	return simple_read_from_buffer(buf, len, pos, probe.res, probe.res_len);
}

static const struct file_operations result_fops = {
	.owner = THIS_MODULE,
	.read = result_read,
	.llseek = default_llseek,
};

static void probe_release(struct probe *p)
{
	if (!leaked) {
		if (p->buf)
			probe_free_bufs(p);
		if (p->req)
			acomp_request_free(p->req);
		if (p->tfm)
			crypto_free_acomp(p->tfm);
		kfree(p->buf);
	}
	p->req = NULL;
	p->tfm = NULL;
	p->buf = NULL;
	vfree(p->corpus);
	vfree(p->cl);
	vfree(p->dl);
	vfree(p->tmp);
	p->corpus = NULL;
	p->cl = NULL;
	p->dl = NULL;
	p->tmp = NULL;
}

static int __init iaa_probe_init(void)
{
	struct probe *p = &probe;
	unsigned int pass;
	int ret;

	if (dsize < PAGE_SIZE || dsize > 4 * PAGE_SIZE || !passes)
		return -EINVAL;
	p->res = vzalloc(RESULT_SIZE);
	if (!p->res)
		return -ENOMEM;
	ret = probe_load_corpus(p);
	if (ret)
		goto err;
	p->buf = kcalloc(p->npages, sizeof(*p->buf), GFP_KERNEL);
	p->cl = vcalloc(p->npages, sizeof(u64));
	p->dl = vcalloc(p->npages, sizeof(u64));
	p->tmp = vcalloc(p->npages, sizeof(u64));
	if (!p->buf || !p->cl || !p->dl || !p->tmp) {
		ret = -ENOMEM;
		goto err;
	}
	p->tfm = crypto_alloc_acomp(alg, 0, 0);
	if (IS_ERR(p->tfm)) {
		ret = PTR_ERR(p->tfm);
		p->tfm = NULL;
		pr_err("cannot allocate %s: %d\n", alg, ret);
		goto err;
	}
	p->req = acomp_request_alloc(p->tfm);
	if (!p->req) {
		ret = -ENOMEM;
		goto err;
	}
	crypto_init_wait(&p->wait);
	acomp_request_set_callback(p->req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done,
				   &p->wait);
	res_add(p, "run tag=%s alg=%s driver=%s pages=%u passes=%u dsize=%u touch=%d\n", tag,
		alg, crypto_tfm_alg_driver_name(crypto_acomp_tfm(p->tfm)), p->npages, passes,
		dsize, touch);
	for (pass = 0; pass < passes; pass++) {
		ret = probe_pass(p, pass);
		if (ret) {
			pr_err("%s: pass %u failed: %d\n", alg, pass, ret);
			p->errors++;
			break;
		}
	}
	res_add(p, "end errors=%u mismatches=%u incompressible=%u\n", p->errors,
		p->mismatches, p->incompressible);
	probe_release(p);
	dbg_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("result", 0444, dbg_dir, NULL, &result_fops);
	return 0;
err:
	probe_release(p);
	vfree(p->res);
	return ret;
}

static void __exit iaa_probe_exit(void)
{
	debugfs_remove_recursive(dbg_dir);
	vfree(probe.res);
}

module_init(iaa_probe_init);
module_exit(iaa_probe_exit);

MODULE_DESCRIPTION("Synchronous acomp latency on newly allocated buffers");
MODULE_LICENSE("GPL");
