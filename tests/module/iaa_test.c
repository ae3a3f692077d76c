// SPDX-License-Identifier: GPL-2.0
/*
 * iaa_test - acceptance tests for an acomp "deflate" implementation, written for deflate-iaa.
 *
 * Everything runs in module init; the module stays loaded afterwards (rmmod it).
 *
 *   insmod iaa_test.ko [alg=deflate-iaa] [suite=all] [seed=1] [iters=200] [quick=0]
 *                      [profile=auto] [filter=] [tag=iaa_test] [timeout_ms=10000] [list=0]
 *
 *   alg         acomp algorithm or driver name to allocate (deflate-iaa, deflate-scomp, ...)
 *   suite       comma-separated list of roundtrip, sg, virt, cross, enospc, corrupt, concurrent,
 *               all
 *   seed        seed of every generated buffer; a case's data depends only on seed and its name
 *   iters       operations per CPU in each concurrent case
 *   quick       1: fewer sizes and iterations (a smoke run, e.g. in load/unload loops)
 *   profile     whose documented behaviour to expect:
 *               ours      (default, unless the driver is deflate-scomp): compress overflow
 *                         is -ENOSPC, multi-entry scatterlists work, 4 KiB history
 *               upstream  Debian's iaa_crypto: compress overflow is -E2BIG or -ENOSPC; only
 *                         single-entry scatterlists (cases needing more are skipped); invalid
 *                         streams go to deflate-generic, with its one-extra-byte behaviour;
 *                         any error is -EIO in async_irq mode
 *               generic   deflate-scomp (crypto/deflate.c, whose acomp driver name is
 *                         deflate-scomp, deflate-generic being its legacy crypto_comp):
 *                         compress overflow is -EINVAL (zlib), no exact fit
 *   filter      run only the cases whose full name contains this string
 *   tag         prefix of every line this module prints: "<tag>: "
 *   timeout_ms  bound on one asynchronous request. A request still pending after it fails its
 *               case and is leaked with its buffers; the module then pins itself (it cannot be
 *               removed while the driver may still complete it) and every later case fails.
 *   list        1: print the plan and every selected case as skipped, run nothing
 *
 * Output, KTAP, in the kernel log with every line prefixed with "<tag>: ", and the same lines
 * without the prefix in debugfs iaa_test/results (readable until the module is removed):
 *
 *   KTAP version 1
 *   1..N
 *   # alg=... driver=... profile=... (header figures)
 *   # ... diagnostics of case 1 (figures, the first failures) ...
 *   ok 1 roundtrip.zero.sizes-1-4096
 *   not ok 2 roundtrip.random.sizes-1-4096
 *   ok 3 sg.4k-src2pages-dstlinear # SKIP reason
 *   # totals: pass=P fail=F skip=S
 *   # done
 *
 * Diagnostics of a case come before its result line. "# done" ends every run that was not
 * cut short by a crash. A pending signal (timeout(1) around insmod) stops the run: every
 * remaining case reports "not ok ... # interrupted". Init returns 0 after the run; only
 * invalid parameters make it fail (-EINVAL).
 *
 * The cases are data (one table per suite), each suite has one runner:
 *   roundtrip   every size 1..4096 and a spread up to 64 KiB, four data patterns: compress,
 *               decompress, compare; dlen exact; nothing written outside the destination
 *   sg          multi-entry source and destination scatterlists at odd page offsets
 *   virt        sides given by virtual address, for DMA (kmalloc) or not (vmalloc), both or one
 *               side, a match 3000 bytes back (7.3's acomp API; skipped where it has none)
 *   cross       device output inflated by lib/zlib_inflate (and by deflate-scomp); zlib
 *               output (raw deflate, 512 B..4 KiB windows, all levels/strategies, sync
 *               flushes) decompressed by the device
 *   enospc      destinations too small for the result: a clean errno, nothing written past
 *               dlen; an exactly fitting destination works
 *   corrupt     random bytes, truncations, bit flips, crafted invalid streams: an errno or the
 *               same output as zlib, never anything else; nothing written past dlen
 *   concurrent  kthreads bound to every online CPU, shared and per-CPU transforms
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/scatterlist.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/string.h>
#include <linux/zlib.h>
#include <linux/debugfs.h>
#include <linux/unaligned.h>
#include <crypto/acompress.h>

static char *alg = "deflate-iaa";
module_param(alg, charp, 0444);
MODULE_PARM_DESC(alg, "acomp algorithm or driver name to test (default deflate-iaa)");

static char *suite = "all";
module_param(suite, charp, 0444);
MODULE_PARM_DESC(suite, "roundtrip,sg,cross,enospc,corrupt,concurrent or all");

static ulong seed = 1;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "seed of the generated data");

static uint iters = 200;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "operations per CPU in each concurrent case");

static bool quick;
module_param(quick, bool, 0444);
MODULE_PARM_DESC(quick, "fewer sizes and iterations");

static char *profile = "auto";
module_param(profile, charp, 0444);
MODULE_PARM_DESC(profile, "expected behaviour: auto, ours, upstream, generic");

static char *filter = "";
module_param(filter, charp, 0444);
MODULE_PARM_DESC(filter, "run only cases whose name contains this");

static char *tag = "iaa_test";
module_param(tag, charp, 0444);
MODULE_PARM_DESC(tag, "prefix of every output line");

static uint timeout_ms = 10000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "bound on one asynchronous request");

static bool list;
module_param(list, bool, 0444);
MODULE_PARM_DESC(list, "print the plan and case names only");

#define MAX_FAIL_MSGS	6
#define GUARD		64
#define GUARD_BYTE	0xa5
#define FILL_BYTE	0x5a
#define MAX_LEN		65536
#define COMP_CAP(n)	(2 * (n) + 256)
#define ETIME_OURS	(-ETIME)	/* our own timeout; -ETIMEDOUT is the device's */

enum { R_PASS, R_FAIL, R_SKIP };

/* ------------------------------------------------------------------------------------------ */
/* What to expect from the implementation under test                                         */

static const int errs_corrupt[] = { -EINVAL, -EBADMSG, -ENOSPC, -EOVERFLOW, 0 };
static const int errs_enospc[] = { -ENOSPC, 0 };
/* Debian's driver reports every error of an interrupt-completed request as -EIO */
static const int errs_upstream_comp[] = { -E2BIG, -ENOSPC, -EIO, 0 };
static const int errs_upstream_corrupt[] = { -EINVAL, -EBADMSG, -ENOSPC, -EOVERFLOW, -EIO, 0 };
static const int errs_generic_comp[] = { -EINVAL, -ENOSPC, 0 };

struct profile {
	const char *name;
	bool multi_sg;		/* multi-entry scatterlists are supported */
	bool exact_fit;		/* compress into a dst of exactly the compressed size works */
	int max_wbits;		/* largest history (log2) it must inflate */
	const int *comp_overflow;	/* errnos for "compressed data does not fit" */
	const int *decomp_overflow;	/* errnos for "decompressed data does not fit" */
	const int *corrupt;	/* errnos for an invalid stream */
	bool extra_byte;	/* inflates as if one zero byte followed the input (the
				 * workaround in crypto/deflate.c), so it completes some
				 * truncated streams
				 */
	bool first_block;	/* a stream of several blocks decodes only to the end of
				 * its first block, with success: Debian's iaa_crypto asks
				 * the device to stop at any EOB (decompress flag bits 2|3
				 * without SEL_BFINAL_EOB, bit 4), as silicon then does
				 */
};

static const struct profile profiles[] = {
	{ "ours", true, true, 12, errs_enospc, errs_corrupt, errs_corrupt, false, false },
	{ "upstream", false, true, 12, errs_upstream_comp, errs_upstream_corrupt,
	  errs_upstream_corrupt, true, true },
	{ "generic", true, false, 15, errs_generic_comp, errs_corrupt, errs_corrupt, true,
	  false },
};

static bool err_in(int err, const int *set)
{
	for (; *set; set++)
		if (*set == err)
			return true;
	return false;
}

static const char *ename(int err)
{
	static const struct { int e; const char *n; } names[] = {
		{ 0, "0" }, { -EINVAL, "EINVAL" }, { -EBADMSG, "EBADMSG" }, { -ENOSPC, "ENOSPC" },
		{ -EOVERFLOW, "EOVERFLOW" }, { -E2BIG, "E2BIG" }, { -EIO, "EIO" },
		{ -ENODEV, "ENODEV" }, { -ENOMEM, "ENOMEM" }, { -ETIMEDOUT, "ETIMEDOUT" },
		{ -EAGAIN, "EAGAIN" }, { -EBUSY, "EBUSY" }, { -EINPROGRESS, "EINPROGRESS" },
		{ -ENODATA, "ENODATA" }, { -EFAULT, "EFAULT" }, { -ENOENT, "ENOENT" },
		{ -EOPNOTSUPP, "EOPNOTSUPP" }, { -ENOTSUPP, "ENOTSUPP" },
		{ ETIME_OURS, "timeout" }, { -EPERM, "EPERM" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == err)
			return names[i].n;
	return "E?";
}

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                     */

/*
 * Every line goes to the kernel log and to a buffer that debugfs shows (iaa_test/results):
 * a driver that floods the log cannot make the results unreadable.
 */
#define RESULTS_SIZE	(512 * 1024)

static struct debugfs_blob_wrapper results;
static struct dentry *results_dir;

static __printf(1, 2) void out(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;
	size_t n = results.size;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("%s: %pV\n", tag, &vaf);
	if (results.data && n + 2 < RESULTS_SIZE) {
		n += scnprintf((char *)results.data + n, RESULTS_SIZE - n - 1, "%pV", &vaf);
		((char *)results.data)[n++] = '\n';
		results.size = n;
	}
	va_end(args);
}

#define note(fmt, ...)	out("# " fmt, ##__VA_ARGS__)

#define NR_ERRS 8

struct zsw;

struct itest {
	struct crypto_acomp *tfm;
	struct ireq *r;
	const struct profile *prof;
	struct zsw *z;
	u64 seed;			/* of the current case */
	unsigned int nfail;		/* failures in the current case */
	char skip[128];			/* reason, when a case returns R_SKIP */
	int err_code[NR_ERRS];		/* errno histogram of the current case */
	unsigned int err_cnt[NR_ERRS];
};

static __printf(2, 3) void fail(struct itest *t, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (++t->nfail > MAX_FAIL_MSGS)
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	out("# FAIL %pV", &vaf);
	va_end(args);
}

static __printf(2, 3) int skip(struct itest *t, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(t->skip, sizeof(t->skip), fmt, args);
	va_end(args);
	return R_SKIP;
}

static void count_err(struct itest *t, int err)
{
	unsigned int i;

	for (i = 0; i < NR_ERRS; i++) {
		if (!t->err_cnt[i] || t->err_code[i] == err) {
			t->err_code[i] = err;
			t->err_cnt[i]++;
			return;
		}
	}
}

static void print_errs(struct itest *t, const char *what)
{
	char buf[160];
	int n = 0;
	unsigned int i;

	for (i = 0; i < NR_ERRS && t->err_cnt[i]; i++)
		n += scnprintf(buf + n, sizeof(buf) - n, " %s=%u", ename(t->err_code[i]),
			       t->err_cnt[i]);
	if (n)
		note("%s:%s", what, buf);
}

/* ------------------------------------------------------------------------------------------ */
/* Data                                                                                       */

enum { PAT_ZERO, PAT_RANDOM, PAT_TEXT, PAT_BINARY, NR_PAT };
static const char * const pat_name[NR_PAT] = { "zero", "random", "text", "binary" };

/* splitmix64 */
static u64 rng_next(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 mix(u64 a, u64 b)
{
	u64 s = a ^ (b * 0xff51afd7ed558ccdULL);

	return rng_next(&s);
}

static u64 name_hash(const char *s)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (u8)*s++) * 0x100000001b3ULL;
	return h;
}

static void gen_random(u8 *buf, unsigned int len, u64 *s)
{
	unsigned int i;

	for (i = 0; i + 8 <= len; i += 8)
		put_unaligned_le64(rng_next(s), buf + i);
	for (; i < len; i++)
		buf[i] = rng_next(s);
}

static const char * const words[] = {
	"the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be",
	"by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
	"an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has",
	"there", "been", "if", "more", "when", "will", "would", "who", "so", "no", "page",
	"memory", "kernel", "compress", "device", "queue", "work", "driver", "buffer",
	"descriptor", "completion", "interrupt", "swap", "cache", "address", "return",
};

static void gen_text(u8 *buf, unsigned int len, u64 *s)
{
	unsigned int p = 0, col = 0;

	while (p < len) {
		const char *w = words[rng_next(s) % ARRAY_SIZE(words)];
		unsigned int r = rng_next(s) % 16;

		while (*w && p < len) {
			buf[p++] = *w++;
			col++;
		}
		if (p < len && r >= 12 && r < 15)
			buf[p++] = r == 12 ? ',' : '.';
		if (p < len) {
			buf[p++] = (r == 15 || col > 72) ? '\n' : ' ';
			col = buf[p - 1] == '\n' ? 0 : col + 1;
		}
	}
}

/* 32-byte records, like an array of kernel structures */
static void gen_binary(u8 *buf, unsigned int len, u64 *s)
{
	unsigned int p, i = 0;
	u8 rec[32];

	for (p = 0; p < len; p += sizeof(rec), i++) {
		u64 r = rng_next(s);

		memset(rec, 0, sizeof(rec));
		put_unaligned_le32(0x1000 + i, rec);
		put_unaligned_le32((r & 3) << 8 | 0x11, rec + 4);
		put_unaligned_le64(0xffff888100000000ULL | ((r >> 8) & 0xfffff) << 6, rec + 8);
		put_unaligned_le16(i & 0xff, rec + 16);
		put_unaligned_le32(r >> 32, rec + 20);
		if (r & 0x10000)
			put_unaligned_le64(rng_next(s), rec + 24);
		memcpy(buf + p, rec, min_t(unsigned int, sizeof(rec), len - p));
	}
}

static void gen_data(u8 *buf, unsigned int len, int pat, u64 sd)
{
	u64 s = sd;

	switch (pat) {
	case PAT_ZERO:
		memset(buf, 0, len);
		break;
	case PAT_RANDOM:
		gen_random(buf, len, &s);
		break;
	case PAT_TEXT:
		gen_text(buf, len, &s);
		break;
	default:
		gen_binary(buf, len, &s);
		break;
	}
}

/* Size sets */
enum { SZ_EVERY, SZ_BIG, SZ_SPREAD };

static const unsigned int small_sizes[] = {
	1, 2, 3, 4, 7, 8, 15, 16, 31, 64, 100, 255, 256, 257, 511, 512, 1000, 1023, 1024, 1025,
	2047, 2048, 2049, 3000, 3333, 4000, 4095, 4096,
};

static const unsigned int big_sizes[] = {
	4097, 4099, 4608, 5000, 6144, 7777, 8191, 8192, 8193, 12288, 16383, 16384, 16385, 20000,
	24576, 32767, 32768, 32769, 40000, 49152, 57344, 60000, 65534, 65535, 65536,
};

static const unsigned int quick_small[] = { 1, 7, 257, 1000, 2049, 4095, 4096 };
static const unsigned int quick_big[] = { 4097, 8192, 16385, 65536 };

#define NR_RANDOM_BIG 8

/* A kmalloc'ed array of sizes; *n is its length. */
static unsigned int *make_sizes(int set, u64 sd, unsigned int *n)
{
	unsigned int *v, i, k = 0;
	u64 s = sd;

	v = kmalloc_array(4096 + ARRAY_SIZE(small_sizes) + ARRAY_SIZE(big_sizes) + NR_RANDOM_BIG,
			  sizeof(*v), GFP_KERNEL);
	if (!v)
		return NULL;
	if (set == SZ_EVERY) {
		if (quick) {
			for (i = 1; i < 4096; i += 97)
				v[k++] = i;
			v[k++] = 4096;
		} else {
			for (i = 1; i <= 4096; i++)
				v[k++] = i;
		}
	}
	if (set == SZ_SPREAD) {
		if (quick) {
			for (i = 0; i < ARRAY_SIZE(quick_small); i++)
				v[k++] = quick_small[i];
		} else {
			for (i = 0; i < ARRAY_SIZE(small_sizes); i++)
				v[k++] = small_sizes[i];
		}
	}
	if (set == SZ_BIG || set == SZ_SPREAD) {
		if (quick) {
			for (i = 0; i < ARRAY_SIZE(quick_big); i++)
				v[k++] = quick_big[i];
		} else {
			for (i = 0; i < ARRAY_SIZE(big_sizes); i++)
				v[k++] = big_sizes[i];
			for (i = 0; i < NR_RANDOM_BIG; i++)
				v[k++] = 4097 + rng_next(&s) % (MAX_LEN - 4096);
		}
	}
	*n = k;
	return v;
}

/* ------------------------------------------------------------------------------------------ */
/* Buffers: a scatterlist over either one linear allocation or separate pages at offsets,    */
/* with guard bytes around every byte of data so that stray writes are seen.                  */

struct layout {
	u16 off;	/* offset of the data in the first page */
	u16 ioff;	/* offset of the data in every later page */
	u16 chunk;	/* at most this much per entry; 0: one linear buffer */
};

struct ibuf {
	unsigned int max;	/* allocated capacity */
	unsigned int cap;	/* current capacity: data area, guards right around it */
	unsigned int nents;	/* entries in sg covering the current length */
	struct scatterlist *sg;
	struct layout lay;
	u8 *base;		/* linear: data at base + GUARD + max - cap */
	unsigned int npages;	/* paged: pages[i] holds seg_len[i] bytes at seg_off[i] */
	struct page **pages;
	u16 *seg_off;
	u16 *seg_len;
	struct scatterlist one;
};

static atomic_t wedged = ATOMIC_INIT(0);

static bool ib_linear(const struct ibuf *b)
{
	return !b->lay.chunk;
}

static u8 *ib_data(const struct ibuf *b)
{
	return b->base + GUARD + b->max - b->cap;
}

static unsigned int seg_len(const struct layout *l, unsigned int i, unsigned int rem)
{
	unsigned int o = i ? l->ioff : l->off;

	return min3(rem, (unsigned int)(PAGE_SIZE - o), (unsigned int)l->chunk);
}

static void ibuf_free(struct ibuf *b)
{
	unsigned int i;

	if (!b || atomic_read(&wedged))	/* a lost request may still write here */
		return;
	kfree(b->base);
	if (b->pages)
		for (i = 0; i < b->npages; i++)
			if (b->pages[i])
				__free_pages(b->pages[i], 1);
	kfree(b->pages);
	kfree(b->seg_off);
	kfree(b->seg_len);
	if (b->sg != &b->one)
		kfree(b->sg);
	kfree(b);
}

/* Build the scatterlist over the first len bytes of the current capacity. */
static void ibuf_sg(struct ibuf *b, unsigned int len)
{
	unsigned int i, rem = len, n = 0;

	if (ib_linear(b)) {
		sg_init_one(b->sg, ib_data(b), len);
		b->nents = 1;
		return;
	}
	for (i = 0; i < b->npages && b->seg_len[i] && rem; i++)
		n++, rem -= min_t(unsigned int, rem, b->seg_len[i]);
	n = max(n, 1u);
	sg_init_table(b->sg, n);
	rem = len;
	for (i = 0; i < n; i++) {
		unsigned int l = min_t(unsigned int, rem, b->seg_len[i]);

		sg_set_page(&b->sg[i], b->pages[i], l, b->seg_off[i]);
		rem -= l;
	}
	b->nents = n;
}

/* Set the capacity (<= max): data area filled with FILL_BYTE, guards around it, sg over it. */
static void ibuf_set(struct ibuf *b, unsigned int cap)
{
	unsigned int i, rem = cap;

	b->cap = cap;
	if (ib_linear(b)) {
		memset(ib_data(b) - GUARD, GUARD_BYTE, GUARD);
		memset(ib_data(b), FILL_BYTE, cap);
		memset(ib_data(b) + cap, GUARD_BYTE, GUARD);
	} else {
		for (i = 0; i < b->npages; i++) {
			u8 *p = page_address(b->pages[i]);

			b->seg_off[i] = i ? b->lay.ioff : b->lay.off;
			b->seg_len[i] = seg_len(&b->lay, i, rem);
			rem -= b->seg_len[i];
			memset(p, GUARD_BYTE, PAGE_SIZE);
			memset(p + b->seg_off[i], FILL_BYTE, b->seg_len[i]);
		}
	}
	ibuf_sg(b, cap);
}

static struct ibuf *ibuf_new(unsigned int max, const struct layout *lay)
{
	struct ibuf *b = kzalloc(sizeof(*b), GFP_KERNEL);
	unsigned int i, rem;

	if (!b)
		return NULL;
	b->max = max;
	b->sg = &b->one;
	if (lay)
		b->lay = *lay;
	if (ib_linear(b)) {
		b->base = kmalloc(max + 2 * GUARD, GFP_KERNEL);
		if (!b->base)
			goto err;
		ibuf_set(b, max);
		return b;
	}
	for (rem = max; rem || !b->npages; b->npages++)
		rem -= seg_len(&b->lay, b->npages, rem);
	b->pages = kcalloc(b->npages, sizeof(*b->pages), GFP_KERNEL);
	b->seg_off = kcalloc(b->npages, sizeof(*b->seg_off), GFP_KERNEL);
	b->seg_len = kcalloc(b->npages, sizeof(*b->seg_len), GFP_KERNEL);
	b->sg = kcalloc(b->npages, sizeof(*b->sg), GFP_KERNEL);
	if (!b->pages || !b->seg_off || !b->seg_len || !b->sg)
		goto err;
	/* order-1 blocks, first page used: no two data pages are physically adjacent */
	for (i = 0; i < b->npages; i++) {
		b->pages[i] = alloc_pages(GFP_KERNEL, 1);
		if (!b->pages[i])
			goto err;
	}
	ibuf_set(b, max);
	return b;
err:
	if (!b->sg)
		b->sg = &b->one;
	ibuf_free(b);
	return NULL;
}

static void ibuf_put(struct ibuf *b, const u8 *src, unsigned int len)
{
	unsigned int i, done = 0;

	if (ib_linear(b)) {
		memcpy(ib_data(b), src, len);
		return;
	}
	for (i = 0; i < b->npages && done < len; i++) {
		unsigned int l = min_t(unsigned int, len - done, b->seg_len[i]);

		memcpy((u8 *)page_address(b->pages[i]) + b->seg_off[i], src + done, l);
		done += l;
	}
}

static void ibuf_get(const struct ibuf *b, u8 *dst, unsigned int len)
{
	unsigned int i, done = 0;

	if (ib_linear(b)) {
		memcpy(dst, ib_data(b), len);
		return;
	}
	for (i = 0; i < b->npages && done < len; i++) {
		unsigned int l = min_t(unsigned int, len - done, b->seg_len[i]);

		memcpy(dst + done, (u8 *)page_address(b->pages[i]) + b->seg_off[i], l);
		done += l;
	}
}

/* Offset of the first byte that differs from ref, or -1. */
static long ibuf_cmp(const struct ibuf *b, const u8 *ref, unsigned int len)
{
	unsigned int i, j, done = 0;

	if (ib_linear(b)) {
		const u8 *p = ib_data(b);

		if (!memcmp(p, ref, len))
			return -1;
		for (j = 0; j < len; j++)
			if (p[j] != ref[j])
				return j;
	}
	for (i = 0; i < b->npages && done < len; i++) {
		unsigned int l = min_t(unsigned int, len - done, b->seg_len[i]);
		const u8 *p = (u8 *)page_address(b->pages[i]) + b->seg_off[i];

		for (j = 0; j < l; j++)
			if (p[j] != ref[done + j])
				return done + j;
		done += l;
	}
	return -1;
}

static bool all_guard(const u8 *p, unsigned int n)
{
	while (n--)
		if (*p++ != GUARD_BYTE)
			return false;
	return true;
}

/* True when no byte outside the data area (of the current capacity) was written. */
static bool ibuf_guard_ok(const struct ibuf *b)
{
	unsigned int i;

	if (ib_linear(b))
		return all_guard(ib_data(b) - GUARD, GUARD) &&
		       all_guard(ib_data(b) + b->cap, GUARD);
	for (i = 0; i < b->npages; i++) {
		const u8 *p = page_address(b->pages[i]);
		unsigned int end = b->seg_off[i] + b->seg_len[i];

		if (!all_guard(p, b->seg_off[i]) || !all_guard(p + end, PAGE_SIZE - end))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Requests, with a bounded wait                                                              */

struct ireq {
	struct acomp_req *req;
	struct completion done;
	int err;
};

static void ireq_done(void *data, int err)
{
	struct ireq *r = data;

	if (err == -EINPROGRESS)	/* left the backlog; the real completion follows */
		return;
	r->err = err;
	complete(&r->done);
}

static struct ireq *ireq_new(struct crypto_acomp *tfm)
{
	struct ireq *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->req = acomp_request_alloc(tfm);
	if (!r->req) {
		kfree(r);
		return NULL;
	}
	init_completion(&r->done);
	acomp_request_set_callback(r->req, CRYPTO_TFM_REQ_MAY_BACKLOG, ireq_done, r);
	return r;
}

static void ireq_free(struct ireq *r)
{
	if (!r || atomic_read(&wedged))
		return;
	acomp_request_free(r->req);
	kfree(r);
}

static void tfm_free(struct crypto_acomp *tfm)
{
	if (!IS_ERR_OR_NULL(tfm) && !atomic_read(&wedged))
		crypto_free_acomp(tfm);
}

/*
 * Issue @r, its sides set, and wait for it. *dlen: produced length out. Returns 0, the
 * implementation's errno, or ETIME_OURS when an asynchronous request did not complete in
 * timeout_ms (the request is then lost for good: the module is pinned, nothing is freed).
 */
static int ireq_issue(struct ireq *r, bool comp, unsigned int *dlen)
{
	int ret;

	reinit_completion(&r->done);
	r->err = -EINPROGRESS;
	ret = comp ? crypto_acomp_compress(r->req) : crypto_acomp_decompress(r->req);
	if (ret == -EINPROGRESS || ret == -EBUSY) {
		if (!wait_for_completion_timeout(&r->done, msecs_to_jiffies(timeout_ms))) {
			if (atomic_inc_return(&wedged) == 1)
				__module_get(THIS_MODULE);
			pr_err("%s: # %s request not completed after %u ms; leaking it, module pinned\n",
			       tag, comp ? "compress" : "decompress", timeout_ms);
			return ETIME_OURS;
		}
		ret = r->err;
	}
	*dlen = r->req->dlen;
	return ret;
}

/*
 * One compress or decompress. *dlen: capacity in, produced length out. Returns 0, the
 * implementation's errno, or ETIME_OURS when an asynchronous request did not complete in
 * timeout_ms (the request is then lost for good: the module is pinned, nothing is freed).
 */
static int ireq_run(struct ireq *r, bool comp, struct scatterlist *src, unsigned int slen,
		    struct scatterlist *dst, unsigned int *dlen)
{
	if (atomic_read(&wedged))
		return ETIME_OURS;
	acomp_request_set_params(r->req, src, dst, slen, *dlen);
	return ireq_issue(r, comp, dlen);
}

/* ------------------------------------------------------------------------------------------ */
/* Software deflate and inflate (lib/zlib_*), the reference                                   */

/* The workspaces are ours: the kernel's zlib allocates nothing, there is nothing to End. */
struct zsw {
	struct z_stream_s s;
	void *dws;
	void *iws;
};

static void zsw_free(struct zsw *z)
{
	if (!z)
		return;
	vfree(z->dws);
	vfree(z->iws);
	kfree(z);
}

static struct zsw *zsw_new(void)
{
	struct zsw *z = kzalloc(sizeof(*z), GFP_KERNEL);

	if (!z)
		return NULL;
	z->dws = vzalloc(zlib_deflate_workspacesize(MAX_WBITS, MAX_MEM_LEVEL));
	z->iws = vzalloc(zlib_inflate_workspacesize());
	if (!z->dws || !z->iws) {
		zsw_free(z);
		return NULL;
	}
	return z;
}

/*
 * Raw deflate (wbits < 0) of in into out. flush: a flush of kind flush_mode (0: Z_SYNC_FLUSH)
 * after every flush bytes (0: none). memlevel 0 is MAX_MEM_LEVEL; a smaller one ends a block
 * every 2^(memlevel + 6) - 1 symbols. Returns the compressed length or -ENOSPC / -EINVAL.
 */
static int sw_deflate_ml(struct zsw *z, const u8 *in, unsigned int len, u8 *out,
			 unsigned int cap, int wbits, int level, int strategy, unsigned int flush,
			 int flush_mode, int memlevel)
{
	struct z_stream_s *s = &z->s;
	unsigned int done = 0;
	int ret, n;

	memset(s, 0, sizeof(*s));
	s->workspace = z->dws;
	if (zlib_deflateInit2(s, level, Z_DEFLATED, wbits, memlevel ?: MAX_MEM_LEVEL,
			      strategy) != Z_OK)
		return -EINVAL;
	s->next_out = out;
	s->avail_out = cap;
	for (;;) {
		unsigned int chunk = len - done;
		int mode = Z_FINISH;

		if (flush && chunk > flush) {
			chunk = flush;
			mode = flush_mode ?: Z_SYNC_FLUSH;
		}
		s->next_in = (u8 *)in + done;
		s->avail_in = chunk;
		ret = zlib_deflate(s, mode);
		if (mode == Z_FINISH)
			break;
		if (ret != Z_OK || s->avail_in || !s->avail_out) {
			ret = Z_BUF_ERROR;
			break;
		}
		done += chunk;
	}
	n = s->total_out;
	return ret == Z_STREAM_END ? n : -ENOSPC;
}

static int sw_deflate(struct zsw *z, const u8 *in, unsigned int len, u8 *out, unsigned int cap,
		      int wbits, int level, int strategy, unsigned int flush)
{
	return sw_deflate_ml(z, in, len, out, cap, wbits, level, strategy, flush, 0, 0);
}

/* Raw inflate (32 KiB window) of in into out, once, with flush; zlib's result */
static int sw_inflate_once(struct zsw *z, const u8 *in, unsigned int len, u8 *out,
			   unsigned int cap, int flush)
{
	struct z_stream_s *s = &z->s;

	memset(s, 0, sizeof(*s));
	s->workspace = z->iws;
	if (zlib_inflateInit2(s, -MAX_WBITS) != Z_OK)
		return Z_STREAM_ERROR;
	s->next_in = (u8 *)in;
	s->avail_in = len;
	s->next_out = out;
	s->avail_out = cap;
	return zlib_inflate(s, flush);
}

/*
 * The bytes the first block of a raw deflate stream decodes to: zlib's Z_BLOCK returns at
 * the end of each block. Equals the whole output for a stream of one block.
 */
static int sw_first_block(struct zsw *z, const u8 *in, unsigned int len, u8 *out,
			  unsigned int cap)
{
	int ret = sw_inflate_once(z, in, len, out, cap, Z_BLOCK);

	if (ret != Z_OK && ret != Z_STREAM_END)
		return -EBADMSG;
	return z->s.total_out;
}

/*
 * Raw inflate with a 32 KiB window, strict: no extra input byte is offered. Returns the
 * decompressed length and, in *used, the input consumed; -EBADMSG for an invalid stream,
 * -ENOSPC when the output does not fit in cap, -ENODATA when the input ends early.
 */
static int sw_inflate(struct zsw *z, const u8 *in, unsigned int len, u8 *out, unsigned int cap,
		      unsigned int *used)
{
	struct z_stream_s *s = &z->s;
	int ret, n;

	ret = sw_inflate_once(z, in, len, out, cap, Z_FINISH);
	if (used)
		*used = s->total_in;
	n = s->total_out;
	if (ret == Z_STREAM_END)
		ret = n;
	else if (ret == Z_DATA_ERROR || ret == Z_STREAM_ERROR || ret == Z_NEED_DICT)
		ret = -EBADMSG;
	else
		ret = s->avail_out ? -ENODATA : -ENOSPC;
	return ret;
}

/* A bit writer for crafted streams (LSB first; Huffman codes MSB first). */
struct bitw {
	u8 *buf;
	unsigned int cap, pos, nbits;
	u32 acc;
};

static void bw_put(struct bitw *w, u32 v, unsigned int n)
{
	while (n--) {
		w->acc |= (v & 1) << w->nbits;
		v >>= 1;
		if (++w->nbits == 8) {
			if (w->pos < w->cap)
				w->buf[w->pos++] = w->acc;
			w->acc = 0;
			w->nbits = 0;
		}
	}
}

static void bw_huff(struct bitw *w, u32 code, unsigned int n)
{
	while (n--)
		bw_put(w, code >> n, 1);
}

static unsigned int bw_end(struct bitw *w)
{
	if (w->nbits)
		bw_put(w, 0, 8 - w->nbits);
	return w->pos;
}

/* A symbol of the fixed literal/length code */
static void bw_fixed(struct bitw *w, unsigned int sym)
{
	if (sym < 144)
		bw_huff(w, 0x30 + sym, 8);
	else if (sym < 256)
		bw_huff(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		bw_huff(w, sym - 256, 7);
	else
		bw_huff(w, 0xc0 + sym - 280, 8);
}

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers                                                                             */

/* Buffers most cases use: source, compressed, decompressed, plus linear scratch copies. */
struct bufs {
	struct ibuf *src, *cmp, *dec;
	u8 *data;	/* the pattern, MAX_LEN */
	u8 *tmp;	/* COMP_CAP(MAX_LEN) */
	u8 *ref;	/* MAX_LEN + GUARD */
};

static void bufs_free(struct bufs *b)
{
	ibuf_free(b->src);
	ibuf_free(b->cmp);
	ibuf_free(b->dec);
	if (!atomic_read(&wedged)) {
		kvfree(b->data);
		kvfree(b->tmp);
		kvfree(b->ref);
	}
	memset(b, 0, sizeof(*b));
}

static int bufs_new(struct itest *t, struct bufs *b)
{
	memset(b, 0, sizeof(*b));
	b->src = ibuf_new(MAX_LEN, NULL);
	b->cmp = ibuf_new(COMP_CAP(MAX_LEN), NULL);
	b->dec = ibuf_new(MAX_LEN + GUARD, NULL);
	b->data = kvmalloc(MAX_LEN, GFP_KERNEL);
	b->tmp = kvmalloc(COMP_CAP(MAX_LEN), GFP_KERNEL);
	b->ref = kvmalloc(MAX_LEN + GUARD, GFP_KERNEL);
	if (b->src && b->cmp && b->dec && b->data && b->tmp && b->ref)
		return 0;
	bufs_free(b);
	fail(t, "out of memory");
	return -ENOMEM;
}

/* Compress b->data[0..n) from b->src into b->cmp (capacity cap); checks; *clen out. */
static int do_compress(struct itest *t, struct bufs *b, unsigned int n, unsigned int cap,
		       unsigned int *clen, const char *what)
{
	int ret;

	ibuf_set(b->src, n);
	ibuf_put(b->src, b->data, n);
	ibuf_set(b->cmp, cap);
	*clen = cap;
	ret = ireq_run(t->r, true, b->src->sg, n, b->cmp->sg, clen);
	if (ret) {
		count_err(t, ret);
		return ret;
	}
	if (!*clen || *clen > cap) {
		fail(t, "%s size %u: compress returned dlen %u (capacity %u)", what, n, *clen, cap);
		return -EFAULT;
	}
	if (!ibuf_guard_ok(b->cmp))
		fail(t, "%s size %u: compress wrote outside its destination", what, n);
	if (ibuf_cmp(b->src, b->data, n) >= 0)
		fail(t, "%s size %u: compress modified its source", what, n);
	return 0;
}

/*
 * Decompress the clen bytes in b->cmp into b->dec (capacity cap) and expect exactly the n
 * bytes of b->data.
 */
static int do_decompress(struct itest *t, struct bufs *b, unsigned int clen, unsigned int n,
			 unsigned int cap, const char *what)
{
	unsigned int dlen = cap;
	long at;
	int ret;

	ibuf_sg(b->cmp, clen);
	ibuf_set(b->dec, cap);
	ret = ireq_run(t->r, false, b->cmp->sg, clen, b->dec->sg, &dlen);
	if (ret) {
		count_err(t, ret);
		fail(t, "%s size %u: decompress of %u bytes: %s (%d)", what, n, clen, ename(ret),
		     ret);
		return ret;
	}
	if (dlen != n) {
		fail(t, "%s size %u: decompress returned dlen %u", what, n, dlen);
		return -EFAULT;
	}
	at = ibuf_cmp(b->dec, b->data, n);
	if (at >= 0) {
		fail(t, "%s size %u: decompressed data differs at %ld", what, n, at);
		return -EFAULT;
	}
	if (!ibuf_guard_ok(b->dec)) {
		fail(t, "%s size %u: decompress wrote outside its destination", what, n);
		return -EFAULT;
	}
	return 0;
}

static bool stop_now(struct itest *t)
{
	if (atomic_read(&wedged)) {
		fail(t, "a request timed out");
		return true;
	}
	if (signal_pending(current)) {
		fail(t, "interrupted");
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------------------------------ */
/* roundtrip                                                                                  */

struct rt_case {
	const char *name;
	int pat;
	int sizes;
};

static const struct rt_case rt_cases[] = {
	{ "zero.sizes-1-4096", PAT_ZERO, SZ_EVERY },
	{ "random.sizes-1-4096", PAT_RANDOM, SZ_EVERY },
	{ "text.sizes-1-4096", PAT_TEXT, SZ_EVERY },
	{ "binary.sizes-1-4096", PAT_BINARY, SZ_EVERY },
	{ "zero.sizes-4097-65536", PAT_ZERO, SZ_BIG },
	{ "random.sizes-4097-65536", PAT_RANDOM, SZ_BIG },
	{ "text.sizes-4097-65536", PAT_TEXT, SZ_BIG },
	{ "binary.sizes-4097-65536", PAT_BINARY, SZ_BIG },
};

static int rt_run(struct itest *t, const void *cp)
{
	const struct rt_case *c = cp;
	u64 in = 0, outb = 0;
	unsigned int *sz, nsz, i, clen;
	struct bufs b;
	int ret;

	sz = make_sizes(c->sizes, t->seed, &nsz);
	if (!sz || bufs_new(t, &b)) {
		kfree(sz);
		return R_FAIL;
	}
	gen_data(b.data, MAX_LEN, c->pat, t->seed);
	for (i = 0; i < nsz && !stop_now(t); i++) {
		unsigned int n = sz[i];

		ret = do_compress(t, &b, n, COMP_CAP(n), &clen, "");
		if (ret) {
			if (ret != -EFAULT)
				fail(t, "size %u: compress: %s (%d)", n, ename(ret), ret);
			continue;
		}
		/* odd sizes: a roomier destination, dlen must still be the exact size */
		if (do_decompress(t, &b, clen, n, n & 1 ? n + GUARD : n, ""))
			continue;
		in += n;
		outb += clen;
	}
	note("%u sizes, %llu bytes in, %llu compressed (%llu%%)", nsz, in, outb,
	     in ? div64_u64(outb * 100, in) : 0);
	print_errs(t, "errors");
	bufs_free(&b);
	kfree(sz);
	return R_PASS;
}

/* ------------------------------------------------------------------------------------------ */
/* sg: multi-entry scatterlists                                                               */

struct sg_case {
	const char *name;
	unsigned int size;
	struct layout src;	/* also the layout of the decompression destination ... */
	struct layout dst;	/* compression destination, then decompression source */
	bool dec_linear;	/* ... unless this: a linear decompression destination */
};

#define LIN		{ 0, 0, 0 }
#define PG(o, io, c)	{ o, io, c }

static const struct sg_case sg_cases[] = {
	{ "4k.src-2pages-at-3000.dst-linear", 4096, PG(3000, 0, 4096), LIN },
	{ "4k.src-linear.dst-pages-at-4000", 4096, LIN, PG(4000, 0, 4096) },
	{ "4k.src-3x1500-odd.dst-1021-odd", 4096, PG(1, 7, 1500), PG(4095, 3, 1021) },
	{ "4k.src-4x1365.dst-pages-at-2049", 4096, PG(4093, 11, 1365), PG(2049, 0, 4096) },
	{ "4k.page-aligned.single-pages", 4096, PG(0, 0, 4096), PG(0, 0, 4096) },
	{ "1000.src-2pages.dst-2pages", 1000, PG(4000, 0, 4096), PG(4090, 5, 4096) },
	{ "64k.src-17pages-at-100.dst-pages-at-2000", 65536, PG(100, 0, 4096),
	  PG(2000, 0, 4096) },
	{ "64k.src-linear.dst-1k-entries", 65536, LIN, PG(5, 5, 1024) },
	/*
	 * zswap's load on 7.3: a compressed page read from a zsmalloc object that
	 * crosses a page boundary (zs_obj_read_sg_begin(): two entries), decompressed
	 * into one whole page
	 */
	{ "4k.zswap-obj.page.dst-2pages-at-4080", 4096, PG(0, 0, 4096), PG(4080, 0, 4096) },
	{ "4k.zswap-obj.page.dst-2pages-at-2500", 4096, PG(0, 0, 4096), PG(2500, 0, 4096) },
	/*
	 * deflate-iaa compresses a large scattered source in software, and the device
	 * decompresses the result into a linear buffer: its own software output, whole
	 */
	{ "64k.src-17pages-at-100.dst-linear.dec-linear", 65536, PG(100, 0, 4096), LIN, true },
	{ "20000.src-5pages-at-9.dst-linear.dec-linear", 20000, PG(9, 0, 4096), LIN, true },
};

static int sg_run(struct itest *t, const void *cp)
{
	static const struct layout lin = LIN;
	const struct sg_case *c = cp;
	unsigned int n = c->size, cap = COMP_CAP(n), clen, used, p;
	struct bufs b;
	int ret, res = R_PASS;

	if (bufs_new(t, &b))
		return R_FAIL;
	ibuf_free(b.src);
	ibuf_free(b.cmp);
	ibuf_free(b.dec);
	b.src = ibuf_new(n, &c->src);
	b.cmp = ibuf_new(cap, &c->dst);
	b.dec = ibuf_new(n, c->dec_linear ? &lin : &c->src);
	if (!b.src || !b.cmp || !b.dec) {
		fail(t, "out of memory");
		goto out;
	}
	note("entries: src %u, dst %u", b.src->nents, b.cmp->nents);
	if (!t->prof->multi_sg && (b.src->nents > 1 || b.cmp->nents > 1)) {
		res = skip(t, "%s driver maps single-entry scatterlists only", t->prof->name);
		goto out;
	}
	for (p = 0; p < NR_PAT && !stop_now(t); p++) {
		gen_data(b.data, n, p, mix(t->seed, p));
		ret = do_compress(t, &b, n, cap, &clen, pat_name[p]);
		if (ret) {
			if (ret != -EFAULT)
				fail(t, "%s: compress: %s (%d)", pat_name[p], ename(ret), ret);
			continue;
		}
		ibuf_get(b.cmp, b.tmp, clen);
		ret = sw_inflate(t->z, b.tmp, clen, b.ref, n + GUARD, &used);
		if (ret != n || used != clen || memcmp(b.ref, b.data, n))
			fail(t, "%s: zlib inflate of the output: %d (%s), used %u of %u",
			     pat_name[p], ret, ret < 0 ? ename(ret) : "length", used, clen);
		do_decompress(t, &b, clen, n, n, pat_name[p]);
		note("%s: %u -> %u bytes, decompress source entries %u", pat_name[p], n, clen,
		     b.cmp->nents);
	}
	print_errs(t, "errors");
out:
	bufs_free(&b);
	return res;
}

/* ------------------------------------------------------------------------------------------ */
/* virt: sides given by virtual address (kernels whose acomp requests may carry them)         */

enum { V_SG, V_DMA, V_NONDMA };

struct virt_case {
	const char *name;
	unsigned int size;
	int src, dst;		/* each side: V_SG (linear scatterlist), V_DMA, V_NONDMA */
	bool far;		/* data with a match 3000 bytes back, past a 2 KiB window */
};

static const struct virt_case virt_cases[] = {
	{ "4k.dma-both", 4096, V_DMA, V_DMA },
	{ "4k.nondma-both", 4096, V_NONDMA, V_NONDMA },
	{ "4k.nondma-src.sg-dst", 4096, V_NONDMA, V_SG },
	{ "4k.sg-src.nondma-dst", 4096, V_SG, V_NONDMA },
	{ "64k.nondma-both", 65536, V_NONDMA, V_NONDMA },
	{ "8k.nondma-both.match-3000-back", 8192, V_NONDMA, V_NONDMA, true },
};

#ifdef CRYPTO_ACOMP_REQ_SRC_VIRT
/* One request, each side of the kind given (sk, dk), from and into linear buffers */
static int virt_req(struct ireq *r, bool comp, int sk, const u8 *src, unsigned int slen,
		    int dk, u8 *dst, unsigned int *dlen)
{
	struct scatterlist ssg, dsg;

	if (atomic_read(&wedged))
		return ETIME_OURS;
	if (sk == V_DMA) {
		acomp_request_set_src_dma(r->req, src, slen);
	} else if (sk == V_NONDMA) {
		acomp_request_set_src_nondma(r->req, src, slen);
	} else {
		sg_init_one(&ssg, src, slen);
		acomp_request_set_src_sg(r->req, &ssg, slen);
	}
	if (dk == V_DMA) {
		acomp_request_set_dst_dma(r->req, dst, *dlen);
	} else if (dk == V_NONDMA) {
		acomp_request_set_dst_nondma(r->req, dst, *dlen);
	} else {
		sg_init_one(&dsg, dst, *dlen);
		acomp_request_set_dst_sg(r->req, &dsg, *dlen);
	}
	return ireq_issue(r, comp, dlen);
}

/*
 * A buffer of @n bytes with guards after it: vmalloc memory for a side not for DMA, kmalloc
 * memory for the others (a scatterlist entry needs memory of the linear map)
 */
static u8 *virt_buf(int kind, unsigned int n)
{
	u8 *p = kind == V_NONDMA ? vmalloc(n + GUARD) : kmalloc(n + GUARD, GFP_KERNEL);

	if (p)
		memset(p, GUARD_BYTE, n + GUARD);
	return p;
}

static int virt_run(struct itest *t, const void *cp)
{
	const struct virt_case *c = cp;
	unsigned int n = c->size, cap = COMP_CAP(n), clen, dlen, used, p;
	u8 *data = NULL, *src = NULL, *cmp = NULL, *dec = NULL, *ref = NULL;
	int ret;

	data = kvmalloc(n, GFP_KERNEL);
	ref = kvmalloc(n + GUARD, GFP_KERNEL);
	src = virt_buf(c->src, n);
	/*
	 * The compress destination is then the decompress source, given as the case's
	 * virtual side: kmalloc memory unless both are not for DMA
	 */
	cmp = virt_buf(c->dst, cap);
	dec = virt_buf(c->dst, n);
	if (!data || !ref || !src || !cmp || !dec) {
		fail(t, "out of memory");
		goto out;
	}
	for (p = 0; p < NR_PAT && !stop_now(t); p++) {
		gen_data(data, n, p, mix(t->seed, p));
		for (used = n / 2; c->far && used < n; used++)
			data[used] = data[used - 3000];
		memcpy(src, data, n);
		clen = cap;
		ret = virt_req(t->r, true, c->src, src, n, c->dst, cmp, &clen);
		if (ret || !clen || clen > cap) {
			fail(t, "%s: compress: %s (%d), dlen %u", pat_name[p], ename(ret), ret,
			     clen);
			continue;
		}
		if (!all_guard(cmp + cap, GUARD) || memcmp(src, data, n))
			fail(t, "%s: compress wrote outside its destination or into its source",
			     pat_name[p]);
		ret = sw_inflate(t->z, cmp, clen, ref, n + GUARD, &used);
		if (ret != n || used != clen || memcmp(ref, data, n))
			fail(t, "%s: zlib inflate of the output: %d, used %u of %u", pat_name[p],
			     ret, used, clen);
		memset(dec, FILL_BYTE, n);
		dlen = n;
		/* the compressed bytes as the source, each side of the same kind as before */
		ret = virt_req(t->r, false, c->dst == V_SG ? c->src : c->dst, cmp, clen, c->dst,
			       dec, &dlen);
		if (ret || dlen != n)
			fail(t, "%s: decompress: %s (%d), dlen %u of %u", pat_name[p], ename(ret),
			     ret, dlen, n);
		else if (memcmp(dec, data, n))
			fail(t, "%s: decompressed data differs", pat_name[p]);
		else if (!all_guard(dec + n, GUARD))
			fail(t, "%s: decompress wrote outside its destination", pat_name[p]);
		note("%s: %u -> %u bytes", pat_name[p], n, clen);
	}
	print_errs(t, "errors");
out:
	if (!atomic_read(&wedged)) {
		kvfree(src);
		kvfree(cmp);
		kvfree(dec);
	}
	kvfree(data);
	kvfree(ref);
	return R_PASS;
}
#else
static int virt_run(struct itest *t, const void *cp)
{
	return skip(t, "this kernel's acomp requests carry scatterlists only");
}
#endif

/* ------------------------------------------------------------------------------------------ */
/* cross: against the software implementation                                                 */

enum { X_ALG2ZLIB, X_ALG2GENERIC, X_ZLIB2ALG, X_WINDOW_EDGE };

struct cross_case {
	const char *name;
	int dir;
	int pat;		/* X_ALG2*: the pattern */
	int wbits, level, strategy;
	unsigned int flush;	/* a flush every this many bytes ... */
	int flush_mode;		/* ... of this kind (0: Z_SYNC_FLUSH) */
	int memlevel;		/* 0: MAX_MEM_LEVEL */
};

static const struct cross_case cross_cases[] = {
	{ "alg-to-zlib.zero", X_ALG2ZLIB, PAT_ZERO },
	{ "alg-to-zlib.random", X_ALG2ZLIB, PAT_RANDOM },
	{ "alg-to-zlib.text", X_ALG2ZLIB, PAT_TEXT },
	{ "alg-to-zlib.binary", X_ALG2ZLIB, PAT_BINARY },
	{ "alg-to-deflate-scomp.text", X_ALG2GENERIC, PAT_TEXT },
	{ "alg-to-deflate-scomp.binary", X_ALG2GENERIC, PAT_BINARY },
	{ "zlib-to-alg.w12.level6", X_ZLIB2ALG, 0, -12, 6, Z_DEFAULT_STRATEGY },
	{ "zlib-to-alg.w12.level1", X_ZLIB2ALG, 0, -12, 1, Z_DEFAULT_STRATEGY },
	{ "zlib-to-alg.w12.level9", X_ZLIB2ALG, 0, -12, 9, Z_DEFAULT_STRATEGY },
	{ "zlib-to-alg.w12.stored", X_ZLIB2ALG, 0, -12, 0, Z_DEFAULT_STRATEGY },
	{ "zlib-to-alg.w12.huffman-only", X_ZLIB2ALG, 0, -12, 6, Z_HUFFMAN_ONLY },
	{ "zlib-to-alg.w12.filtered", X_ZLIB2ALG, 0, -12, 6, Z_FILTERED },
	{ "zlib-to-alg.w12.sync-flush-1000", X_ZLIB2ALG, 0, -12, 6, Z_DEFAULT_STRATEGY, 1000 },
	/* streams of several blocks: each flush ends one, as does a full symbol buffer */
	{ "zlib-to-alg.w12.sync-flush-100", X_ZLIB2ALG, 0, -12, 6, Z_DEFAULT_STRATEGY, 100 },
	{ "zlib-to-alg.w12.partial-flush-700", X_ZLIB2ALG, 0, -12, 6, Z_DEFAULT_STRATEGY, 700,
	  Z_PARTIAL_FLUSH },
	{ "zlib-to-alg.w12.full-flush-1500", X_ZLIB2ALG, 0, -12, 6, Z_DEFAULT_STRATEGY, 1500,
	  Z_FULL_FLUSH },
	{ "zlib-to-alg.w12.level9.memlevel1", X_ZLIB2ALG, 0, -12, 9, Z_DEFAULT_STRATEGY, 0, 0, 1 },
	{ "zlib-to-alg.w12.level6.memlevel4", X_ZLIB2ALG, 0, -12, 6, Z_DEFAULT_STRATEGY, 0, 0, 4 },
	/* the settings of deflate-iaa's own software compress (iaa_crypto_sw.c) */
	{ "zlib-to-alg.w12.level1.memlevel6", X_ZLIB2ALG, 0, -12, 1, Z_DEFAULT_STRATEGY, 0, 0, 6 },
	{ "zlib-to-alg.w11.level6", X_ZLIB2ALG, 0, -11, 6, Z_DEFAULT_STRATEGY },
	{ "zlib-to-alg.w9.level9", X_ZLIB2ALG, 0, -9, 9, Z_DEFAULT_STRATEGY },
	{ "distance-4096", X_WINDOW_EDGE },
};

/* Compress with the implementation under test, decompress in software. */
static int cross_alg2sw(struct itest *t, const struct cross_case *c)
{
	struct crypto_acomp *gtfm = NULL;
	struct ireq *gr = NULL;
	unsigned int *sz, nsz, i, clen, used;
	struct bufs b;
	int ret;

	if (c->dir == X_ALG2GENERIC) {
		/*
		 * 6.12's deflate-scomp only: 7.3's deflate-generic inflates with a 2 KB window,
		 * short of the device's 4 KB one (it refuses such streams with -EINVAL, and
		 * faulted in zlib_inflate on one)
		 */
		gtfm = crypto_alloc_acomp("deflate-scomp", 0, 0);
		if (PTR_ERR(gtfm) == -ENOENT)
			return skip(t,
				    "no deflate-scomp; deflate-generic's 2 KB window is too small");
		if (IS_ERR(gtfm))
			return skip(t, "deflate-scomp: %s", ename(PTR_ERR(gtfm)));
		gr = ireq_new(gtfm);
		if (!gr) {
			tfm_free(gtfm);
			fail(t, "out of memory");
			return R_FAIL;
		}
	}
	sz = make_sizes(SZ_SPREAD, t->seed, &nsz);
	if (!sz || bufs_new(t, &b)) {
		kfree(sz);
		ireq_free(gr);
		tfm_free(gtfm);
		return R_FAIL;
	}
	gen_data(b.data, MAX_LEN, c->pat, t->seed);
	for (i = 0; i < nsz && !stop_now(t); i++) {
		unsigned int n = sz[i], dlen = n + GUARD;

		ret = do_compress(t, &b, n, COMP_CAP(n), &clen, "");
		if (ret) {
			if (ret != -EFAULT)
				fail(t, "size %u: compress: %s (%d)", n, ename(ret), ret);
			continue;
		}
		if (!gr) {
			ibuf_get(b.cmp, b.tmp, clen);
			ret = sw_inflate(t->z, b.tmp, clen, b.ref, n + GUARD, &used);
			if (ret < 0)
				fail(t, "size %u: zlib inflate: %s", n, ename(ret));
			else if (ret != n || memcmp(b.ref, b.data, n))
				fail(t, "size %u: zlib inflate gave other data (%d bytes)", n, ret);
			else if (used != clen)
				fail(t, "size %u: dlen %u, stream ends after %u", n, clen, used);
			continue;
		}
		ibuf_sg(b.cmp, clen);
		ibuf_set(b.dec, dlen);
		ret = ireq_run(gr, false, b.cmp->sg, clen, b.dec->sg, &dlen);
		if (ret)
			fail(t, "size %u: deflate-scomp decompress: %s (%d)", n, ename(ret), ret);
		else if (dlen != n || ibuf_cmp(b.dec, b.data, n) >= 0)
			fail(t, "size %u: deflate-scomp gave different data (%u bytes)", n, dlen);
	}
	note("%u sizes", nsz);
	print_errs(t, "errors");
	bufs_free(&b);
	kfree(sz);
	ireq_free(gr);
	tfm_free(gtfm);
	return R_PASS;
}

/* Compress with lib/zlib_deflate, decompress with the implementation under test. */
static int cross_sw2alg(struct itest *t, const struct cross_case *c)
{
	unsigned int *sz, nsz, i, p, nops = 0, multi = 0, short_ok = 0;
	u64 in = 0, outb = 0;
	struct bufs b;
	int clen;

	if (-c->wbits > t->prof->max_wbits)
		return skip(t, "%s handles a history of 2^%d bytes", t->prof->name,
			    t->prof->max_wbits);
	sz = make_sizes(SZ_SPREAD, t->seed, &nsz);
	if (!sz || bufs_new(t, &b)) {
		kfree(sz);
		return R_FAIL;
	}
	for (p = 0; p < NR_PAT; p++) {
		gen_data(b.data, MAX_LEN, p, mix(t->seed, p));
		for (i = 0; i < nsz && !stop_now(t); i++) {
			unsigned int n = sz[i];
			int first;

			clen = sw_deflate_ml(t->z, b.data, n, b.tmp, COMP_CAP(n), c->wbits,
					     c->level, c->strategy, c->flush, c->flush_mode,
					     c->memlevel);
			if (clen < 0) {
				fail(t, "%s size %u: zlib deflate: %d", pat_name[p], n, clen);
				continue;
			}
			first = sw_first_block(t->z, b.tmp, clen, b.ref, n + GUARD);
			if (first < 0) {
				fail(t, "%s size %u: zlib cannot walk its stream", pat_name[p], n);
				continue;
			}
			multi += first < n;
			ibuf_set(b.cmp, clen);
			ibuf_put(b.cmp, b.tmp, clen);
			if (t->prof->first_block && first < n)
				short_ok += !do_decompress(t, &b, clen, first, n, pat_name[p]);
			else
				do_decompress(t, &b, clen, n, n, pat_name[p]);
			nops++;
			in += n;
			outb += clen;
		}
	}
	note("%u streams (%u of several blocks), %llu bytes, %llu compressed", nops, multi, in,
	     outb);
	if (t->prof->first_block)
		note("%s: %u of %u streams of several blocks came back short, with success, %s",
		     t->prof->name, short_ok, multi, "at the end of their first block");
	print_errs(t, "errors");
	bufs_free(&b);
	kfree(sz);
	return R_PASS;
}

/*
 * A stream whose matches reach exactly 4096 bytes back (the largest distance a 4 KiB history
 * holds), and one with the longest match at distance 1.
 */
static int cross_window_edge(struct itest *t)
{
	struct bitw w;
	struct bufs b;
	unsigned int i, len, n;
	u64 s = t->seed;
	u8 *lit;
	int k;

	if (bufs_new(t, &b))
		return R_FAIL;
	lit = b.ref;		/* the literals; b.data gets the expected output */
	gen_random(lit, 4096, &s);
	for (k = 0; k < 2; k++) {
		memset(&w, 0, sizeof(w));
		w.buf = b.tmp;
		w.cap = COMP_CAP(MAX_LEN);
		bw_put(&w, 1, 1);		/* BFINAL */
		bw_put(&w, 1, 2);		/* fixed Huffman */
		n = 0;
		for (i = 0; i < (k ? 1 : 4096); i++) {
			bw_fixed(&w, lit[i]);
			b.data[n++] = lit[i];
		}
		for (i = 0; i < 8; i++) {
			bw_fixed(&w, 285);	/* length 258 */
			if (k) {
				bw_huff(&w, 0, 5);	/* distance 1 */
			} else {
				bw_huff(&w, 23, 5);	/* distance 3073 + 1023 */
				bw_put(&w, 1023, 10);
			}
			for (len = 0; len < 258; len++, n++)
				b.data[n] = b.data[n - (k ? 1 : 4096)];
		}
		bw_fixed(&w, 256);
		len = bw_end(&w);
		ibuf_set(b.cmp, len);
		ibuf_put(b.cmp, b.tmp, len);
		do_decompress(t, &b, len, n, n, k ? "distance-1" : "distance-4096");
		note("%s: %u bytes stream, %u bytes out", k ? "distance-1" : "distance-4096",
		     len, n);
	}
	print_errs(t, "errors");
	bufs_free(&b);
	return R_PASS;
}

static int cross_run(struct itest *t, const void *cp)
{
	const struct cross_case *c = cp;

	switch (c->dir) {
	case X_ALG2ZLIB:
	case X_ALG2GENERIC:
		return cross_alg2sw(t, c);
	case X_ZLIB2ALG:
		return cross_sw2alg(t, c);
	default:
		return cross_window_edge(t);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* enospc: destinations too small                                                             */

enum { E_COMP_DLEN, E_COMP_BELOW, E_COMP_EXACT, E_DECOMP_BELOW };

struct enospc_case {
	const char *name;
	int kind;
	unsigned int size;	/* 0: the sizes in dl[] are sizes with dlen = size */
	unsigned int dl[12];	/* E_COMP_DLEN: dlen values (0-terminated) */
};

static const struct enospc_case enospc_cases[] = {
	{ "compress.random.dlen-eq-slen", E_COMP_DLEN, 0,
	  { 64, 100, 512, 1000, 2048, 4095, 4096, 4097, 8192, 65536 } },
	{ "compress.random-4k.small-dlen", E_COMP_DLEN, 4096,
	  { 1, 2, 8, 64, 1024, 2048, 4000, 4095 } },
	{ "compress.compressible.dlen-below-size", E_COMP_BELOW },
	{ "compress.exact-fit", E_COMP_EXACT },
	{ "decompress.dlen-below-size", E_DECOMP_BELOW },
};

/*
 * Compress b->data[0..n) into dlen bytes, which may or may not be enough: an error must be one
 * of the profile's overflow errnos with nothing written past dlen; success must round-trip.
 * must_fail: zlib -9 cannot fit it either (random data), so success is wrong.
 */
static void comp_tight(struct itest *t, struct bufs *b, unsigned int n, unsigned int dlen,
		       bool must_fail, const char *what)
{
	unsigned int clen;
	int ret;

	ret = do_compress(t, b, n, dlen, &clen, what);
	if (ret == -EFAULT)
		return;
	if (!ret) {
		if (must_fail)
			fail(t, "%s size %u dlen %u: compress succeeded (%u bytes)", what, n, dlen,
			     clen);
		else
			do_decompress(t, b, clen, n, n, what);
		return;
	}
	if (!err_in(ret, t->prof->comp_overflow))
		fail(t, "%s size %u dlen %u: compress: %s (%d), want %s", what, n, dlen,
		     ename(ret), ret, ename(t->prof->comp_overflow[0]));
	if (!ibuf_guard_ok(b->cmp))
		fail(t, "%s size %u dlen %u: failed compress wrote past dlen", what, n, dlen);
}

/* The size zlib level 9 achieves (its best), or a huge number if it cannot. */
static unsigned int zlib_best(struct itest *t, struct bufs *b, unsigned int n)
{
	int r = sw_deflate(t->z, b->data, n, b->tmp, COMP_CAP(n), -MAX_WBITS, 9,
			   Z_DEFAULT_STRATEGY, 0);

	return r < 0 ? UINT_MAX : r;
}

/* Compress each pattern fully, then again into less room (below) or exactly that (exact). */
static void enospc_fit(struct itest *t, struct bufs *b, int pat, bool exact)
{
	static const unsigned int sizes[] = { 1, 100, 4096, 65536 };
	const char *what = pat_name[pat];
	unsigned int i, n, clen, dlen;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = sizes[i];
		if (!exact && (pat == PAT_RANDOM || n < 4096))
			continue;
		ret = do_compress(t, b, n, COMP_CAP(n), &clen, what);
		if (ret) {
			if (ret != -EFAULT)
				fail(t, "%s size %u: compress: %s (%d)", what, n, ename(ret), ret);
			continue;
		}
		if (exact) {
			ret = do_compress(t, b, n, clen, &dlen, what);
			if (!ret)
				do_decompress(t, b, dlen, n, n, what);
			else if (ret != -EFAULT)
				fail(t, "%s size %u: compress into exactly %u: %s (%d)",
				     what, n, clen, ename(ret), ret);
			continue;
		}
		note("%s size %u: %u bytes compressed", what, n, clen);
		comp_tight(t, b, n, clen - 1, false, what);
		comp_tight(t, b, n, clen / 2, false, what);
		comp_tight(t, b, n, 1, false, what);
	}
}

/* Decompress a 4 KiB stream of each pattern into less than 4 KiB. */
static void enospc_decomp(struct itest *t, struct bufs *b, int pat)
{
	static const unsigned int dls[] = { 4095, 2048, 1 };
	const char *what = pat_name[pat];
	unsigned int i, clen, dlen;
	int ret;

	ret = do_compress(t, b, 4096, COMP_CAP(4096), &clen, what);
	if (ret) {
		if (ret != -EFAULT)
			fail(t, "%s: compress: %s (%d)", what, ename(ret), ret);
		return;
	}
	ibuf_sg(b->cmp, clen);
	for (i = 0; i < ARRAY_SIZE(dls); i++) {
		dlen = dls[i];
		ibuf_set(b->dec, dlen);
		ret = ireq_run(t->r, false, b->cmp->sg, clen, b->dec->sg, &dlen);
		count_err(t, ret);
		if (!ret)
			fail(t, "%s: 4096 bytes decompressed into %u: success, dlen %u", what,
			     dls[i], dlen);
		else if (!err_in(ret, t->prof->decomp_overflow))
			fail(t, "%s: decompress into %u: %s (%d)", what, dls[i], ename(ret), ret);
		if (!ibuf_guard_ok(b->dec))
			fail(t, "%s: decompress into %u wrote past dlen", what, dls[i]);
	}
}

static int enospc_run(struct itest *t, const void *cp)
{
	const struct enospc_case *c = cp;
	unsigned int i, p, n;
	struct bufs b;

	if (c->kind == E_COMP_EXACT && !t->prof->exact_fit)
		return skip(t, "%s needs room beyond the compressed size", t->prof->name);
	if (bufs_new(t, &b))
		return R_FAIL;
	if (c->kind == E_COMP_DLEN) {
		gen_data(b.data, MAX_LEN, PAT_RANDOM, t->seed);
		for (i = 0; i < ARRAY_SIZE(c->dl) && c->dl[i] && !stop_now(t); i++) {
			n = c->size ?: c->dl[i];
			comp_tight(t, &b, n, c->dl[i], zlib_best(t, &b, n) > c->dl[i], "random");
		}
	}
	for (p = 0; c->kind != E_COMP_DLEN && p < NR_PAT && !stop_now(t); p++) {
		gen_data(b.data, MAX_LEN, p, mix(t->seed, p));
		if (c->kind == E_DECOMP_BELOW)
			enospc_decomp(t, &b, p);
		else
			enospc_fit(t, &b, p, c->kind == E_COMP_EXACT);
	}
	print_errs(t, "errnos");
	bufs_free(&b);
	return R_PASS;
}

/* ------------------------------------------------------------------------------------------ */
/* corrupt streams                                                                            */

enum { C_RANDOM, C_TRUNC, C_FLIP, C_CRAFTED, C_EMPTY };

struct corrupt_case {
	const char *name;
	int kind;
	int arg;	/* C_RANDOM: forced block type (-1 none); C_TRUNC, C_FLIP: pattern */
};

static const struct corrupt_case corrupt_cases[] = {
	{ "random-bytes", C_RANDOM, -1 },
	{ "random-bytes.stored-header", C_RANDOM, 0 },
	{ "random-bytes.fixed-header", C_RANDOM, 1 },
	{ "random-bytes.dynamic-header", C_RANDOM, 2 },
	{ "truncated.zero", C_TRUNC, PAT_ZERO },
	{ "truncated.random", C_TRUNC, PAT_RANDOM },
	{ "truncated.text", C_TRUNC, PAT_TEXT },
	{ "truncated.binary", C_TRUNC, PAT_BINARY },
	{ "bit-flip.zero", C_FLIP, PAT_ZERO },
	{ "bit-flip.random", C_FLIP, PAT_RANDOM },
	{ "bit-flip.text", C_FLIP, PAT_TEXT },
	{ "bit-flip.binary", C_FLIP, PAT_BINARY },
	{ "crafted", C_CRAFTED },
	{ "zero-length-input", C_EMPTY },
};

struct judge_stats {
	unsigned int streams, rejected, accepted;
};

/*
 * Decompress in[0..len) into cap bytes. Correct: an errno of the profile's corrupt set, or
 * success with exactly what zlib makes of the stream. Nothing may be written past cap.
 */
static void judge(struct itest *t, struct bufs *b, const u8 *in, unsigned int len,
		  unsigned int cap, struct judge_stats *st, const char *what, unsigned int arg)
{
	unsigned int dlen = cap;
	int ref, ret;

	ref = sw_inflate(t->z, in, len, b->data, cap, NULL);
	if (ref == -ENODATA && t->prof->extra_byte) {
		u8 *in1 = kmalloc(len + 1, GFP_KERNEL);

		if (in1) {
			memcpy(in1, in, len);
			in1[len] = 0;
			ref = sw_inflate(t->z, in1, len + 1, b->data, cap, NULL);
			kfree(in1);
		}
	}
	ibuf_set(b->cmp, max(len, 1u));
	ibuf_put(b->cmp, in, len);
	ibuf_sg(b->cmp, len);
	ibuf_set(b->dec, cap);
	ret = ireq_run(t->r, false, b->cmp->sg, len, b->dec->sg, &dlen);
	st->streams++;
	count_err(t, ret);
	if (ret == ETIME_OURS) {
		fail(t, "%s %u: timed out", what, arg);
		return;
	}
	if (!ret) {
		st->accepted++;
		if (ref < 0)
			fail(t, "%s %u: %u-byte stream accepted (%u bytes out), zlib says %s", what,
			     arg, len, dlen, ename(ref));
		else if (dlen != ref || ibuf_cmp(b->dec, b->data, dlen) >= 0)
			fail(t, "%s %u: %u-byte stream gave %u bytes unlike zlib's %d", what, arg,
			     len, dlen, ref);
	} else {
		st->rejected++;
		if (!err_in(ret, t->prof->corrupt))
			fail(t, "%s %u: %u-byte stream: %s (%d)", what, arg, len, ename(ret), ret);
	}
	if (!ibuf_guard_ok(b->dec))
		fail(t, "%s %u: %u-byte stream: written past dlen %u", what, arg, len, cap);
}

/* Crafted streams; returns the length, 0 past the end of the list. */
static unsigned int crafted(unsigned int i, u8 *buf, const char **name)
{
	static const struct { const char *name; u8 len; u8 b[12]; } raw[] = {
		{ "block-type-3", 4, { 0x07, 0, 0, 0 } },
		{ "stored-nlen-mismatch", 9, { 0x01, 0x04, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd' } },
		{ "stored-short", 7, { 0x01, 0x10, 0x00, 0xef, 0xff, 'a', 'b' } },
		{ "no-final-block", 5, { 0x00, 0x00, 0x00, 0xff, 0xff } },
		{ "stored-valid-xyz", 8, { 0x01, 0x03, 0x00, 0xfc, 0xff, 'x', 'y', 'z' } },
		{ "fixed-empty-valid", 2, { 0x03, 0x00 } },
	};
	struct bitw w = { .buf = buf, .cap = 64 };
	unsigned int j;

	if (i < ARRAY_SIZE(raw)) {
		*name = raw[i].name;
		memcpy(buf, raw[i].b, raw[i].len);
		return raw[i].len;
	}
	i -= ARRAY_SIZE(raw);
	if (i <= 3) {
		bw_put(&w, 1, 1);
		bw_put(&w, 1, 2);
		bw_fixed(&w, 'a');
	}
	switch (i) {
	case 0:
		*name = "distance-beyond-start";
		bw_fixed(&w, 257);		/* length 3 */
		bw_huff(&w, 1, 5);		/* distance 2, one byte of history */
		bw_fixed(&w, 256);
		break;
	case 1:
		*name = "distance-code-30";
		bw_fixed(&w, 257);
		bw_huff(&w, 30, 5);
		bw_fixed(&w, 256);
		break;
	case 2:
		*name = "length-code-286";
		bw_fixed(&w, 286);
		bw_huff(&w, 0, 5);
		bw_fixed(&w, 256);
		break;
	case 3:
		*name = "fixed-no-end-of-block";
		bw_fixed(&w, 'b');
		break;
	case 4:
		*name = "dynamic-oversubscribed-code-lengths";
		bw_put(&w, 1, 1);
		bw_put(&w, 2, 2);
		bw_put(&w, 0, 5);
		bw_put(&w, 0, 5);
		bw_put(&w, 15, 4);
		for (j = 0; j < 19; j++)
			bw_put(&w, 1, 3);
		bw_put(&w, 0, 32);
		break;
	case 5:
		*name = "dynamic-incomplete-code-lengths";
		bw_put(&w, 1, 1);
		bw_put(&w, 2, 2);
		bw_put(&w, 0, 5);
		bw_put(&w, 0, 5);
		bw_put(&w, 0, 4);
		bw_put(&w, 0, 3);
		bw_put(&w, 0, 3);
		bw_put(&w, 0, 3);
		bw_put(&w, 2, 3);
		bw_put(&w, 0, 32);
		break;
	default:
		return 0;
	}
	return bw_end(&w);
}

static int corrupt_run(struct itest *t, const void *cp)
{
	static const unsigned int lens[] = { 1, 2, 3, 4, 5, 8, 16, 64, 256, 1024, 4096 };
	const struct corrupt_case *c = cp;
	struct judge_stats st = { 0 };
	unsigned int i, k, n = 4096, clen, cap = 4096, nseeds = quick ? 4 : 32;
	u8 *stream, *mut;
	const char *name;
	struct bufs b;
	u64 s = t->seed;
	int ret;

	if (bufs_new(t, &b))
		return R_FAIL;
	stream = b.tmp;				/* the valid (or crafted) stream */
	mut = b.tmp + COMP_CAP(MAX_LEN) / 2;	/* the corrupted copy */
	switch (c->kind) {
	case C_RANDOM:
		for (i = 0; i < ARRAY_SIZE(lens) && !stop_now(t); i++) {
			for (k = 0; k < nseeds; k++) {
				gen_random(mut, lens[i], &s);
				if (c->arg >= 0)
					mut[0] = (mut[0] & ~7) | 1 | c->arg << 1;
				judge(t, &b, mut, lens[i], cap, &st, "random length", lens[i]);
			}
		}
		break;
	case C_TRUNC:
	case C_FLIP:
		gen_data(b.ref, n, c->arg, t->seed);
		memcpy(b.data, b.ref, n);
		ret = do_compress(t, &b, n, COMP_CAP(n), &clen, pat_name[c->arg]);
		if (ret) {
			if (ret != -EFAULT)
				fail(t, "compress: %s (%d)", ename(ret), ret);
			break;
		}
		ibuf_get(b.cmp, stream, clen);
		note("valid stream: %u bytes", clen);
		if (c->kind == C_TRUNC) {
			unsigned int step = clen > 512 ? clen / 256 : 1;

			if (quick)
				step = max(step, clen / 16);
			for (k = clen - 1; k >= 1 && !stop_now(t); k = k > step ? k - step : 0) {
				memcpy(mut, stream, k);
				judge(t, &b, mut, k, cap, &st, "truncated to", k);
			}
			break;
		}
		for (k = 0; k < (quick ? 64u : 512u) && !stop_now(t); k++) {
			/* every bit of the first 32 bytes (block headers), then anywhere */
			unsigned int bit = k < 256 && k < clen * 8 ? k : rng_next(&s) % (clen * 8);

			memcpy(mut, stream, clen);
			mut[bit / 8] ^= 1 << (bit % 8);
			judge(t, &b, mut, clen, cap, &st, "flipped bit", bit);
		}
		break;
	case C_CRAFTED:
		for (i = 0; (n = crafted(i, mut, &name)); i++) {
			unsigned int before = t->nfail;

			judge(t, &b, mut, n, cap, &st, "crafted", i);
			if (t->nfail > before)
				note("crafted %u is %s", i, name);
		}
		break;
	case C_EMPTY:
		ibuf_set(b.cmp, 1);
		ibuf_set(b.dec, cap);
		clen = cap;
		ret = ireq_run(t->r, false, b.cmp->sg, 0, b.dec->sg, &clen);
		count_err(t, ret);
		if (!ret)
			fail(t, "decompress of 0 bytes succeeded (%u bytes out)", clen);
		else if (!err_in(ret, t->prof->corrupt))
			fail(t, "decompress of 0 bytes: %s (%d)", ename(ret), ret);
		if (!ibuf_guard_ok(b.dec))
			fail(t, "decompress of 0 bytes wrote past dlen");
		ibuf_set(b.src, 1);
		ibuf_set(b.cmp, 64);
		clen = 64;
		ret = ireq_run(t->r, true, b.src->sg, 0, b.cmp->sg, &clen);
		count_err(t, ret);
		if (!ret) {
			/* an empty deflate stream is fine too */
			ibuf_get(b.cmp, stream, clen);
			ret = sw_inflate(t->z, stream, clen, b.ref, 16, NULL);
			if (ret)
				fail(t, "compress of 0 bytes: %u bytes that inflate to %d",
				     clen, ret);
		} else if (ret == ETIME_OURS) {
			fail(t, "compress of 0 bytes timed out");
		}
		if (!ibuf_guard_ok(b.cmp))
			fail(t, "compress of 0 bytes wrote past dlen");
		note("0-byte input: see errnos");
		break;
	}
	if (st.streams)
		note("%u streams: %u rejected, %u accepted", st.streams, st.rejected, st.accepted);
	print_errs(t, "results");
	bufs_free(&b);
	return R_PASS;
}

/* ------------------------------------------------------------------------------------------ */
/* concurrent: from every online CPU                                                          */

enum { K_SHARED_4K, K_PERCPU_4K, K_SHARED_MIXED };

struct conc_case {
	const char *name;
	int kind;
};

static const struct conc_case conc_cases[] = {
	{ "shared-tfm.4k-pages", K_SHARED_4K },
	{ "per-cpu-tfm.4k-pages", K_PERCPU_4K },
	{ "shared-tfm.mixed-sizes", K_SHARED_MIXED },
};

struct cthr {
	struct itest *t;		/* read-only here: prof, seed */
	int kind;
	unsigned int cpu, ran_on, iters;
	struct crypto_acomp *tfm;
	bool own_tfm;
	struct ireq *r;
	struct bufs b;
	struct task_struct *task;
	struct completion done;
	bool *abort;
	/* results */
	unsigned int ops, rejected, bad;
	int first_err;
	char first[96];
};

static void cthr_bad(struct cthr *c, const char *what, unsigned int n, int err)
{
	if (!c->bad++) {
		c->first_err = err;
		scnprintf(c->first, sizeof(c->first), "%s, size %u: %s (%d)", what, n,
			  ename(err), err);
	}
}

static int cthr_fn(void *data)
{
	struct cthr *c = data;
	struct bufs *b = &c->b;
	u64 s = mix(c->t->seed, c->cpu);
	unsigned int i;

	c->ran_on = raw_smp_processor_id();
	for (i = 0; i < c->iters && !READ_ONCE(*c->abort) && !atomic_read(&wedged); i++) {
		unsigned int n = 4096, cap = 4096, clen, dlen;
		int pat = i % NR_PAT, ret;

		if (c->kind == K_SHARED_MIXED) {
			n = 1 + rng_next(&s) % MAX_LEN;
			cap = COMP_CAP(n);
		}
		gen_data(b->data, n, pat, rng_next(&s));
		ibuf_set(b->src, n);
		ibuf_put(b->src, b->data, n);
		ibuf_set(b->cmp, cap);
		clen = cap;
		ret = ireq_run(c->r, true, b->src->sg, n, b->cmp->sg, &clen);
		c->ops++;
		/* an incompressible page, as zswap sees it */
		if (ret && pat == PAT_RANDOM && cap <= n &&
		    err_in(ret, c->t->prof->comp_overflow)) {
			c->rejected++;
			continue;
		}
		if (ret || !clen || clen > cap) {
			cthr_bad(c, "compress", n, ret ?: -EFAULT);
			continue;
		}
		if (!ibuf_guard_ok(b->cmp)) {
			cthr_bad(c, "compress wrote outside dst", n, -EFAULT);
			continue;
		}
		ibuf_sg(b->cmp, clen);
		ibuf_set(b->dec, n);
		dlen = n;
		ret = ireq_run(c->r, false, b->cmp->sg, clen, b->dec->sg, &dlen);
		c->ops++;
		if (ret || dlen != n)
			cthr_bad(c, "decompress", n, ret ?: -EFAULT);
		else if (ibuf_cmp(b->dec, b->data, n) >= 0)
			cthr_bad(c, "decompressed data differ", n, -EFAULT);
		else if (!ibuf_guard_ok(b->dec))
			cthr_bad(c, "decompress wrote outside dst", n, -EFAULT);
	}
	complete(&c->done);
	return 0;
}

static int conc_run(struct itest *t, const void *cp)
{
	const struct conc_case *cc = cp;
	const char *drv = crypto_tfm_alg_driver_name(crypto_acomp_tfm(t->tfm));
	unsigned int cpu, nthr = 0, ops = 0, rej = 0, bad = 0, n;
	unsigned long deadline;
	struct cthr **th;
	bool abort = false;
	char line[128];
	int res = R_PASS, len;

	th = kcalloc(nr_cpu_ids, sizeof(*th), GFP_KERNEL);
	if (!th)
		return R_FAIL;
	for_each_online_cpu(cpu) {
		struct cthr *c = kzalloc(sizeof(*c), GFP_KERNEL);

		if (!c)
			goto nomem;
		th[cpu] = c;
		c->t = t;
		c->kind = cc->kind;
		c->cpu = cpu;
		c->abort = &abort;
		c->iters = quick ? min(iters, 20u) : iters;
		if (cc->kind == K_SHARED_MIXED)
			c->iters = max(c->iters / 4, 1u);
		init_completion(&c->done);
		c->tfm = t->tfm;
		if (cc->kind == K_PERCPU_4K) {
			c->tfm = crypto_alloc_acomp_node(drv, 0, 0, cpu_to_node(cpu));
			if (IS_ERR(c->tfm)) {
				fail(t, "cpu %u: crypto_alloc_acomp: %s", cpu,
				     ename(PTR_ERR(c->tfm)));
				c->tfm = NULL;
				goto nomem;
			}
			c->own_tfm = true;
		}
		c->r = ireq_new(c->tfm);
		if (!c->r || bufs_new(t, &c->b))
			goto nomem;
		c->task = kthread_create_on_cpu(cthr_fn, c, cpu, "iaa_test/%u");
		if (IS_ERR(c->task)) {
			fail(t, "cpu %u: kthread: %s", cpu, ename(PTR_ERR(c->task)));
			c->task = NULL;
			goto nomem;
		}
		get_task_struct(c->task);
		nthr++;
	}
	for_each_online_cpu(cpu)
		if (th[cpu] && th[cpu]->task)
			wake_up_process(th[cpu]->task);
	deadline = jiffies + msecs_to_jiffies(timeout_ms) * 4 + HZ * iters / 10 + 60 * HZ;
	for_each_online_cpu(cpu) {
		struct cthr *c = th[cpu];
		long left = (long)(deadline - jiffies);

		if (!c || !c->task)
			continue;
		if (!wait_for_completion_timeout(&c->done, max(left, 1L))) {
			fail(t, "cpu %u: thread did not finish in time", cpu);
			WRITE_ONCE(abort, true);
			wait_for_completion(&c->done);
		}
	}
	goto report;
nomem:
	fail(t, "setup failed on cpu %u", cpu);
	res = R_FAIL;
	WRITE_ONCE(abort, true);
	for_each_online_cpu(cpu)
		if (th[cpu] && th[cpu]->task)
			wake_up_process(th[cpu]->task);
	for_each_online_cpu(cpu)
		if (th[cpu] && th[cpu]->task)
			wait_for_completion(&th[cpu]->done);
report:
	len = 0;
	line[0] = 0;
	n = 0;
	for_each_online_cpu(cpu) {
		struct cthr *c = th[cpu];

		if (!c)
			continue;
		if (c->task) {
			kthread_stop_put(c->task);
			if (c->ran_on != cpu)
				fail(t, "thread for cpu %u ran on cpu %u", cpu, c->ran_on);
			if (res == R_PASS && c->ops < c->iters)
				fail(t, "cpu %u: only %u operations", cpu, c->ops);
		}
		if (c->bad)
			fail(t, "cpu %u: %u bad of %u; first: %s", cpu, c->bad, c->ops, c->first);
		ops += c->ops;
		rej += c->rejected;
		bad += c->bad;
		len += scnprintf(line + len, sizeof(line) - len, " %u:%u", cpu, c->ops);
		if (++n % 12 == 0 || len > 100) {
			note("ops per cpu:%s", line);
			len = 0;
			line[0] = 0;
		}
	}
	if (len)
		note("ops per cpu:%s", line);
	note("%u threads, %u operations, %u rejected as incompressible, %u bad", nthr, ops, rej,
	     bad);
	for_each_online_cpu(cpu) {
		struct cthr *c = th[cpu];

		if (!c)
			continue;
		bufs_free(&c->b);
		ireq_free(c->r);
		if (c->own_tfm)
			tfm_free(c->tfm);
		kfree(c);
	}
	kfree(th);
	return res;
}

/* ------------------------------------------------------------------------------------------ */
/* Runner                                                                                     */

struct suite {
	const char *name;
	const void *cases;
	unsigned int ncases;
	size_t size;
	int (*run)(struct itest *t, const void *c);
};

static const struct suite suites[] = {
	{ "roundtrip", rt_cases, ARRAY_SIZE(rt_cases), sizeof(rt_cases[0]), rt_run },
	{ "sg", sg_cases, ARRAY_SIZE(sg_cases), sizeof(sg_cases[0]), sg_run },
	{ "virt", virt_cases, ARRAY_SIZE(virt_cases), sizeof(virt_cases[0]), virt_run },
	{ "cross", cross_cases, ARRAY_SIZE(cross_cases), sizeof(cross_cases[0]), cross_run },
	{ "enospc", enospc_cases, ARRAY_SIZE(enospc_cases), sizeof(enospc_cases[0]),
	  enospc_run },
	{ "corrupt", corrupt_cases, ARRAY_SIZE(corrupt_cases), sizeof(corrupt_cases[0]),
	  corrupt_run },
	{ "concurrent", conc_cases, ARRAY_SIZE(conc_cases), sizeof(conc_cases[0]), conc_run },
};

static unsigned long suite_mask;

static const void *case_at(const struct suite *s, unsigned int i)
{
	return (const char *)s->cases + i * s->size;
}

/* Every case struct starts with its name. */
static const char *case_name(const struct suite *s, unsigned int i)
{
	return *(const char * const *)case_at(s, i);
}

static bool selected(unsigned int si, unsigned int ci, char *full, size_t len)
{
	const struct suite *s = &suites[si];

	scnprintf(full, len, "%s.%s", s->name, case_name(s, ci));
	return (suite_mask & BIT(si)) && strstr(full, filter);
}

static int parse_suites(void)
{
	char *buf, *p, *w;
	unsigned int i;
	int ret = 0;

	buf = kstrdup(suite, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = buf;
	while ((w = strsep(&p, ",")) != NULL) {
		w = strim(w);
		if (!*w)
			continue;
		if (!strcmp(w, "all")) {
			suite_mask |= BIT(ARRAY_SIZE(suites)) - 1;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(suites); i++)
			if (!strcmp(w, suites[i].name))
				break;
		if (i == ARRAY_SIZE(suites)) {
			pr_err("%s: unknown suite '%s'\n", tag, w);
			ret = -EINVAL;
			break;
		}
		suite_mask |= BIT(i);
	}
	kfree(buf);
	return ret;
}

static const struct profile *pick_profile(const char *driver)
{
	unsigned int i;

	if (!strcmp(profile, "auto"))
		return &profiles[!strcmp(driver, "deflate-scomp") ? 2 : 0];
	for (i = 0; i < ARRAY_SIZE(profiles); i++)
		if (!strcmp(profile, profiles[i].name))
			return &profiles[i];
	return NULL;
}

static void run_all(void)
{
	unsigned int si, ci, n = 0, idx = 0, pass = 0, nfail = 0, nskip = 0;
	struct itest *t;
	char full[96];
	int alloc_err = 0;

	for (si = 0; si < ARRAY_SIZE(suites); si++)
		for (ci = 0; ci < suites[si].ncases; ci++)
			n += selected(si, ci, full, sizeof(full));
	out("KTAP version 1");
	out("1..%u", n);

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		alloc_err = -ENOMEM;
	} else if (!list) {
		t->tfm = crypto_alloc_acomp(alg, 0, 0);
		/* 6.12's crypto/deflate.c: deflate-generic is a crypto_comp; the acomp is -scomp */
		if (PTR_ERR(t->tfm) == -ENOENT && !strcmp(alg, "deflate-generic")) {
			note("deflate-generic is no acomp here; using deflate-scomp");
			t->tfm = crypto_alloc_acomp("deflate-scomp", 0, 0);
		}
		if (IS_ERR(t->tfm)) {
			alloc_err = PTR_ERR(t->tfm);
			t->tfm = NULL;
		} else {
			const char *drv = crypto_tfm_alg_driver_name(crypto_acomp_tfm(t->tfm));

			t->prof = pick_profile(drv) ?: &profiles[0];
			t->r = ireq_new(t->tfm);
			t->z = zsw_new();
			if (!t->r || !t->z)
				alloc_err = -ENOMEM;
			note("alg=%s driver=%s profile=%s async=%d reqsize=%u", alg, drv,
			     t->prof->name, acomp_is_async(t->tfm), crypto_acomp_reqsize(t->tfm));
			note("seed=%lu cpus=%u quick=%d iters=%u", seed, num_online_cpus(), quick,
			     iters);
		}
	}
	if (alloc_err)
		note("setup failed: %s (%d)", ename(alloc_err), alloc_err);

	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		const struct suite *s = &suites[si];

		for (ci = 0; ci < s->ncases; ci++) {
			ktime_t t0;
			int res;

			if (!selected(si, ci, full, sizeof(full)))
				continue;
			idx++;
			if (list) {
				out("ok %u %s # SKIP list only", idx, full);
				nskip++;
				continue;
			}
			if (alloc_err || atomic_read(&wedged) || signal_pending(current)) {
				out("not ok %u %s # %s", idx, full, alloc_err ? "setup failed" :
				    atomic_read(&wedged) ? "a request timed out earlier" :
				    "interrupted");
				nfail++;
				continue;
			}
			t->nfail = 0;
			t->skip[0] = 0;
			memset(t->err_cnt, 0, sizeof(t->err_cnt));
			t->seed = mix(seed, name_hash(full));
			t0 = ktime_get();
			res = s->run(t, case_at(s, ci));
			if (res == R_SKIP) {
				out("ok %u %s # SKIP %s", idx, full, t->skip);
				nskip++;
				continue;
			}
			if (t->nfail > MAX_FAIL_MSGS)
				note("%u failures in all", t->nfail);
			note("%lld ms", ktime_ms_delta(ktime_get(), t0));
			if (res == R_FAIL || t->nfail) {
				out("not ok %u %s", idx, full);
				nfail++;
			} else {
				out("ok %u %s", idx, full);
				pass++;
			}
		}
	}
	note("totals: pass=%u fail=%u skip=%u", pass, nfail, nskip);
	if (t) {
		zsw_free(t->z);
		ireq_free(t->r);
		tfm_free(t->tfm);
		kfree(t);
	}
	note("done");
}

static int __init iaa_test_init(void)
{
	char drv[1] = "";
	int ret;

	ret = parse_suites();
	if (ret)
		return ret;
	if (!pick_profile(drv)) {
		pr_err("%s: unknown profile '%s'\n", tag, profile);
		return -EINVAL;
	}
	results.data = vzalloc(RESULTS_SIZE);
	if (results.data) {
		results_dir = debugfs_create_dir("iaa_test", NULL);
		debugfs_create_blob("results", 0444, results_dir, &results);
	}
	run_all();
	return 0;
}

static void __exit iaa_test_exit(void)
{
	debugfs_remove(results_dir);
	vfree(results.data);
}

module_init(iaa_test_init);
module_exit(iaa_test_exit);

MODULE_DESCRIPTION("acomp deflate acceptance tests (deflate-iaa)");
MODULE_LICENSE("GPL");
