// SPDX-License-Identifier: GPL-2.0
/*
 * Software deflate for what the device cannot do.
 *
 * Decompress: any raw deflate stream (RFC 1951) with the full 32 KiB window,
 * whatever its source and destination scatterlists look like. It runs when
 * the device fails a decompress for any reason or no wq can take it, so a
 * valid stream always decompresses (zswap cannot survive a failed load).
 *
 * Compress: raw deflate limited to a 4 KiB window, so that the device can
 * decode the result; used only when no wq can take the request.
 *
 * Both stream through the scatterlists page by page with the kernel's zlib;
 * a side given by virtual address (7.3's callers may give one, see
 * iaa_crypto_compat.h) is read or written in place, a page's length at a
 * time.
 * Each CPU has two workspaces, allocated when the CPU is prepared: nothing is
 * allocated per request.
 *
 * Preemptible: a request with CRYPTO_TFM_REQ_MAY_SLEEP, run where the CPU
 * can be given up (preemptible(): neither interrupts nor bottom halves nor
 * preemption disabled). Its caller promised that it may sleep, but this code
 * also runs where a descriptor's end was noticed (the wq's poller, idxd's
 * interrupt thread, or another submitter's idxd_submit_desc() aborting
 * descriptors), so the current context is checked as well. The work takes
 * the workspace of the CPU it starts on under that workspace's mutex, and
 * reschedules between pages; moving to another CPU afterwards is harmless,
 * the mutex is all that guards the workspace. Any size is done.
 *
 * With bottom halves disabled: everything else, with the other workspace
 * under a local lock, so requests may come from any context but hard
 * interrupts. This work is bounded: at most IAA_SW_ATOMIC_MAX bytes of input,
 * and for a decompress of output too (128 KiB, the limit the crypto API's own
 * software deflate, scomp, applies to every caller with preemption disabled;
 * a compress's output follows from its input). A larger source, or a
 * decompress whose output runs past that bound in a larger destination,
 * fails with -E2BIG. The callers that cannot sleep in practice, zswap and
 * zram, send a page.
 */
#include <linux/cpuhotplug.h>
#include <linux/highmem.h>
#include <linux/local_lock.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>
#include <linux/vmalloc.h>
#include <linux/zlib.h>

#include "iaa_crypto.h"
#include "iaa_crypto_compat.h"

#define IAA_SW_DEFLATE_WBITS	12	/* the device's history window */
#define IAA_SW_DEFLATE_MEMLEVEL	6
#define IAA_SW_DEFLATE_LEVEL	1

/* The most a caller that cannot sleep gets done with bottom halves disabled */
#define IAA_SW_ATOMIC_MAX	CRYPTO_ACOMP_DST_MAX

struct iaa_sw_ctx {
	local_lock_t lock;		/* with BH disabled: @strm, @workspace */
	struct z_stream_s strm;
	void *workspace;

	struct mutex mutex;		/* preemptible: @sleep_strm, @sleep_ws */
	struct z_stream_s sleep_strm;
	void *sleep_ws;
};

static DEFINE_PER_CPU(struct iaa_sw_ctx, iaa_sw_pcpu) = {
	.lock = INIT_LOCAL_LOCK(lock),
};

static size_t iaa_sw_ws_size;
static int iaa_sw_hp_state = -1;

/* Bounded walk over the first @left bytes of a scatterlist or a buffer */
struct iaa_sg_cursor {
	struct sg_mapping_iter miter;
	u8 *virt;			/* the buffer's next byte, or NULL */
	unsigned int left;
};

/*
 * Preemptible work maps its pages with kmap(): kmap_atomic() would disable
 * preemption for as long as a page stays mapped.
 */
static void iaa_cursor_start(struct iaa_sg_cursor *c, struct scatterlist *sg,
			     const u8 *virt, unsigned int len,
			     unsigned int dir_flag, bool sleepable)
{
	/* A source's bytes are only read: zlib's next_in is not const */
	c->virt = (u8 *)virt;
	c->left = len;
	if (!virt)
		sg_miter_start(&c->miter, sg, sg_nents(sg),
			       (sleepable ? 0 : SG_MITER_ATOMIC) | dir_flag);
}

static void iaa_cursor_stop(struct iaa_sg_cursor *c)
{
	if (!c->virt)
		sg_miter_stop(&c->miter);
}

/* Map the next piece of the list; returns its length, 0 at the end */
static unsigned int iaa_cursor_next(struct iaa_sg_cursor *c, u8 **addr)
{
	unsigned int n;

	if (c->virt && c->left) {
		n = min_t(unsigned int, c->left, PAGE_SIZE);
		*addr = c->virt;
		c->virt += n;
		c->left -= n;
		return n;
	}
	if (!c->left || !sg_miter_next(&c->miter))
		return 0;

	n = min_t(size_t, c->miter.length, c->left);
	c->miter.consumed = n;
	c->left -= n;
	*addr = c->miter.addr;
	return n;
}

/* Give zlib more input and output room when it has used up what it had */
static void iaa_sw_refill(struct z_stream_s *s, struct iaa_sg_cursor *in,
			  struct iaa_sg_cursor *out)
{
	unsigned int n;
	u8 *p;

	if (!s->avail_in) {
		n = iaa_cursor_next(in, &p);
		if (n) {
			s->next_in = p;
			s->avail_in = n;
		}
	}
	if (!s->avail_out) {
		n = iaa_cursor_next(out, &p);
		if (n) {
			s->next_out = p;
			s->avail_out = n;
		}
	}
}

/*
 * The destination is full but the stream did not end. Whether there is more
 * output (-ENOSPC) or the input is truncated (-EBADMSG) - or the stream ends
 * right here - is found by letting zlib go on into a scratch buffer that is
 * thrown away.
 */
static int iaa_sw_inflate_overrun(struct z_stream_s *s)
{
	u8 scratch[64];
	int zret;

	s->next_out = scratch;
	s->avail_out = sizeof(scratch);
	zret = zlib_inflate(s, Z_SYNC_FLUSH);
	if (s->avail_out < sizeof(scratch))
		return -ENOSPC;
	return zret == Z_STREAM_END ? 0 : -EBADMSG;
}

/* As above for a compress that filled the destination while finishing */
static int iaa_sw_deflate_overrun(struct z_stream_s *s)
{
	u8 scratch[64];
	int zret;

	s->next_out = scratch;
	s->avail_out = sizeof(scratch);
	zret = zlib_deflate(s, Z_FINISH);
	if (zret == Z_STREAM_END && s->avail_out == sizeof(scratch))
		return 0;
	return -ENOSPC;
}

static int iaa_sw_inflate(struct z_stream_s *s, struct acomp_req *req,
			  bool sleepable)
{
	unsigned int room = sleepable ? req->dlen :
				min(req->dlen, IAA_SW_ATOMIC_MAX);
	struct iaa_sg_cursor in, out;
	int zret, err;

	if (zlib_inflateInit2(s, -MAX_WBITS) != Z_OK)
		return -EINVAL;

	iaa_cursor_start(&in, req->src, iaa_acomp_src_virt(req), req->slen,
			 SG_MITER_FROM_SG, sleepable);
	iaa_cursor_start(&out, req->dst, iaa_acomp_dst_virt(req), room,
			 SG_MITER_TO_SG, sleepable);
	s->avail_in = 0;
	s->avail_out = 0;

	for (;;) {
		if (sleepable)
			cond_resched();
		iaa_sw_refill(s, &in, &out);
		zret = zlib_inflate(s, Z_SYNC_FLUSH);
		if (zret == Z_STREAM_END) {
			err = 0;
			break;
		}
		if (zret == Z_OK)
			continue;
		/* No progress possible: corrupt, truncated, or out of room */
		if (zret == Z_BUF_ERROR && !s->avail_out && !out.left)
			err = iaa_sw_inflate_overrun(s);
		else
			err = -EBADMSG;
		break;
	}

	iaa_cursor_stop(&out);
	iaa_cursor_stop(&in);
	/* More output than this context may produce, in a larger destination */
	if (err == -ENOSPC && room < req->dlen)
		err = -E2BIG;
	if (!err)
		req->dlen = s->total_out;
	return err;
}

static int iaa_sw_deflate(struct z_stream_s *s, struct acomp_req *req,
			  bool sleepable)
{
	struct iaa_sg_cursor in, out;
	int zret, flush, err;

	if (zlib_deflateInit2(s, IAA_SW_DEFLATE_LEVEL, Z_DEFLATED,
			      -IAA_SW_DEFLATE_WBITS, IAA_SW_DEFLATE_MEMLEVEL,
			      Z_DEFAULT_STRATEGY) != Z_OK)
		return -EINVAL;

	iaa_cursor_start(&in, req->src, iaa_acomp_src_virt(req), req->slen,
			 SG_MITER_FROM_SG, sleepable);
	iaa_cursor_start(&out, req->dst, iaa_acomp_dst_virt(req), req->dlen,
			 SG_MITER_TO_SG, sleepable);
	s->avail_in = 0;
	s->avail_out = 0;

	for (;;) {
		if (sleepable)
			cond_resched();
		iaa_sw_refill(s, &in, &out);
		flush = !s->avail_in && !in.left ? Z_FINISH : Z_NO_FLUSH;
		zret = zlib_deflate(s, flush);
		if (zret == Z_STREAM_END) {
			err = 0;
			break;
		}
		if (zret != Z_OK && zret != Z_BUF_ERROR) {
			err = -EINVAL;
			break;
		}
		if (!s->avail_out && !out.left) {
			err = flush == Z_FINISH ? iaa_sw_deflate_overrun(s) :
						  -ENOSPC;
			break;
		}
		if (zret == Z_BUF_ERROR) {
			err = -EINVAL;
			break;
		}
	}

	iaa_cursor_stop(&out);
	iaa_cursor_stop(&in);
	if (!err)
		req->dlen = s->total_out;
	return err;
}

typedef int (*iaa_sw_fn)(struct z_stream_s *s, struct acomp_req *req,
			 bool sleepable);

/* A caller that may sleep, where the CPU can be given up: see the header */
static bool iaa_sw_sleepable(struct acomp_req *req)
{
	return (req->base.flags & CRYPTO_TFM_REQ_MAY_SLEEP) && preemptible() &&
	       !rcu_preempt_depth();
}

/* Preemptible, with the workspace of the CPU it starts on */
static int iaa_sw_run_sleepable(struct acomp_req *req, iaa_sw_fn fn)
{
	struct iaa_sw_ctx *ctx;
	int ret;

	might_sleep();
	ctx = raw_cpu_ptr(&iaa_sw_pcpu);
	mutex_lock(&ctx->mutex);
	ctx->sleep_strm.workspace = ctx->sleep_ws;
	ret = fn(&ctx->sleep_strm, req, true);
	mutex_unlock(&ctx->mutex);

	return ret;
}

/* With bottom halves disabled, for at most IAA_SW_ATOMIC_MAX of input */
static int iaa_sw_run_atomic(struct acomp_req *req, iaa_sw_fn fn)
{
	struct iaa_sw_ctx *ctx;
	int ret;

	if (req->slen > IAA_SW_ATOMIC_MAX)
		return -E2BIG;

	local_bh_disable();
	local_lock_nested_bh(&iaa_sw_pcpu.lock);
	ctx = this_cpu_ptr(&iaa_sw_pcpu);
	ctx->strm.workspace = ctx->workspace;
	ret = fn(&ctx->strm, req, false);
	local_unlock_nested_bh(&iaa_sw_pcpu.lock);
	local_bh_enable();

	return ret;
}

static int iaa_sw_run(struct acomp_req *req, iaa_sw_fn fn)
{
	if (iaa_sw_sleepable(req))
		return iaa_sw_run_sleepable(req, fn);
	return iaa_sw_run_atomic(req, fn);
}

int iaa_sw_decompress(struct acomp_req *req)
{
	iaa_stat_inc(IAA_STAT_SW_DECOMP_CALLS);
	return iaa_sw_run(req, iaa_sw_inflate);
}

int iaa_sw_compress(struct acomp_req *req)
{
	iaa_stat_inc(IAA_STAT_SW_COMP_CALLS);
	return iaa_sw_run(req, iaa_sw_deflate);
}

/*
 * Workspaces are allocated as CPUs come up and kept until the module goes:
 * bringing a CPU back up then never depends on an allocation succeeding.
 */
static int iaa_sw_cpu_prepare(unsigned int cpu)
{
	struct iaa_sw_ctx *ctx = per_cpu_ptr(&iaa_sw_pcpu, cpu);
	int node = cpu_to_node(cpu);

	if (!ctx->workspace)
		ctx->workspace = vmalloc_node(iaa_sw_ws_size, node);
	if (!ctx->sleep_ws)
		ctx->sleep_ws = vmalloc_node(iaa_sw_ws_size, node);
	return ctx->workspace && ctx->sleep_ws ? 0 : -ENOMEM;
}

static void iaa_sw_free_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct iaa_sw_ctx *ctx = per_cpu_ptr(&iaa_sw_pcpu, cpu);

		vfree(ctx->workspace);
		ctx->workspace = NULL;
		vfree(ctx->sleep_ws);
		ctx->sleep_ws = NULL;
	}
}

int iaa_sw_init(void)
{
	int cpu, ret;

	for_each_possible_cpu(cpu)
		mutex_init(&per_cpu_ptr(&iaa_sw_pcpu, cpu)->mutex);

	iaa_sw_ws_size = max(zlib_inflate_workspacesize(),
			     zlib_deflate_workspacesize(-IAA_SW_DEFLATE_WBITS,
							IAA_SW_DEFLATE_MEMLEVEL));

	ret = cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "crypto/iaa:sw",
				iaa_sw_cpu_prepare, NULL);
	if (ret < 0) {
		iaa_sw_free_all();
		return ret;
	}
	iaa_sw_hp_state = ret;
	return 0;
}

void iaa_sw_exit(void)
{
	if (iaa_sw_hp_state >= 0)
		cpuhp_remove_state(iaa_sw_hp_state);
	iaa_sw_free_all();
}
