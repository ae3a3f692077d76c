// SPDX-License-Identifier: GPL-2.0
/*
 * The acomp algorithms: "deflate", driver names "deflate-iaa" and
 * "deflate-iaa-dynamic".
 *
 * Compression produces one final block of raw deflate (RFC 1951), with
 * matches no farther than 4 KiB back: a fixed-Huffman block for deflate-iaa,
 * and for deflate-iaa-dynamic whichever of dynamic, fixed and stored is
 * smallest (iaa_crypto_comp_dynamic.c). Decompression is the same in both,
 * and accepts any raw deflate stream: what the device cannot decode (for
 * example matches farther back than its 4 KiB history) is decoded in
 * software.
 *
 * The dynamic mode is a second driver name rather than a setting: each user
 * picks it by name (zswap's compressor, zram's comp_algorithm, an AF_ALG
 * socket), next to users of the fixed mode, and its lower priority keeps
 * "deflate" meaning the faster fixed mode.
 *
 * The algorithms are registered at module load, after the wqs configured for
 * the driver were bound, and stay registered until the module is removed.
 * While no wq can take a request,
 * both directions run in software (see iaa_crypto_sw.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/sched/clock.h>

#include "iaa_crypto.h"
#include "iaa_crypto_compat.h"

#define IAA_DEFLATE_PRIORITY	300
#define IAA_DEFLATE_DYN_PRIORITY	250

static int iaa_acomp_init_tfm(struct crypto_acomp *tfm)
{
	struct iaa_tfm_ctx *ctx = acomp_tfm_ctx(tfm);

	ctx->mode = iaa_attr_wait_mode();
	ctx->verify = iaa_attr_verify();
	ctx->dynamic = false;
	return 0;
}

static int iaa_acomp_init_tfm_dynamic(struct crypto_acomp *tfm)
{
	struct iaa_tfm_ctx *ctx = acomp_tfm_ctx(tfm);

	iaa_acomp_init_tfm(tfm);
	ctx->dynamic = true;
	return 0;
}

static int iaa_acomp_run(struct acomp_req *areq, enum iaa_op op)
{
	struct iaa_tfm_ctx *ctx = acomp_tfm_ctx(crypto_acomp_reqtfm(areq));
	struct iaa_req *r = iaa_req_of(areq);

	iaa_stat_inc(op == IAA_OP_COMPRESS ? IAA_STAT_COMP_CALLS :
					     IAA_STAT_DECOMP_CALLS);

	/* Caller-allocated destinations only */
	if (!areq->src || !areq->dst || !areq->slen || !areq->dlen)
		return -EINVAL;

	/* A side given by virtual address: software (iaa_crypto_compat.h) */
	if (iaa_acomp_req_virt(areq))
		return op == IAA_OP_COMPRESS ? iaa_sw_compress(areq) :
					       iaa_sw_decompress(areq);

	/*
	 * A caller that gave no callback cannot be told of a later end: its
	 * request is polled to the end before return, whatever sync_mode says
	 * (zram's backend calls this way, with preemption off).
	 */
	/* A dynamic block starts with the statistics of the input */
	if (op == IAA_OP_COMPRESS && ctx->dynamic &&
	    iaa_dyn_wants_stats(areq->slen))
		op = IAA_OP_STATS;

	/* What every path reads before writing; the rest is set on the way */
	r->areq = areq;
	r->op = op;
	r->mode = areq->base.complete ? ctx->mode : IAA_WAIT_SYNC;
	r->verify = ctx->verify;
	r->dynamic = ctx->dynamic;
	r->dyn_aecs = false;
	r->one_pass = false;
	r->async = false;
	r->spin_stage = false;
	r->stage_ns = 0;
	r->start_ns = iaa_latency_stats_on() ? local_clock() : 0;

	return iaa_req_execute(r);
}

static int iaa_acomp_compress(struct acomp_req *areq)
{
	return iaa_acomp_run(areq, IAA_OP_COMPRESS);
}

static int iaa_acomp_decompress(struct acomp_req *areq)
{
	return iaa_acomp_run(areq, IAA_OP_DECOMPRESS);
}

#define IAA_ACOMP_ALG(_init, _driver_name, _priority) {			\
	.init		= _init,						\
	.compress	= iaa_acomp_compress,					\
	.decompress	= iaa_acomp_decompress,					\
	.base		= {							\
		.cra_name		= IAA_ALG_NAME,				\
		.cra_driver_name	= _driver_name,				\
		.cra_flags		= CRYPTO_ALG_ASYNC |			\
					  CRYPTO_ALG_KERN_DRIVER_ONLY,		\
		.cra_ctxsize		= sizeof(struct iaa_tfm_ctx),		\
		.cra_priority		= _priority,				\
		.cra_module		= THIS_MODULE,				\
	},								\
}

static struct acomp_alg iaa_acomp[] = {
	IAA_ACOMP_ALG(iaa_acomp_init_tfm, IAA_ALG_DRIVER_NAME,
		      IAA_DEFLATE_PRIORITY),
	IAA_ACOMP_ALG(iaa_acomp_init_tfm_dynamic, IAA_ALG_DYN_DRIVER_NAME,
		      IAA_DEFLATE_DYN_PRIORITY),
};

/*
 * The crypto manager tests a new algorithm in a thread of its own, which
 * holds a reference on this module until the test is over: module init
 * waits for it (an allocation by driver name waits for the test), so that
 * the module can be removed as soon as it is loaded and the self-test result
 * is known when it is.
 */
static void iaa_alg_wait_tested(void)
{
	struct crypto_acomp *tfm;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(iaa_acomp); i++) {
		const char *name = iaa_acomp[i].base.cra_driver_name;

		tfm = crypto_alloc_acomp(name, 0, 0);
		if (IS_ERR(tfm)) {
			pr_warn("%s is registered but not usable: %ld\n", name,
				PTR_ERR(tfm));
			continue;
		}
		crypto_free_acomp(tfm);
	}
}

int iaa_alg_register(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(iaa_acomp); i++)
		iaa_acomp_alg_compat(&iaa_acomp[i], sizeof(struct iaa_req));
	ret = crypto_register_acomps(iaa_acomp, ARRAY_SIZE(iaa_acomp));
	if (ret) {
		pr_err("registering %s and %s failed: %d\n", IAA_ALG_DRIVER_NAME,
		       IAA_ALG_DYN_DRIVER_NAME, ret);
		return ret;
	}
	iaa_alg_wait_tested();
	return 0;
}

void iaa_alg_unregister(void)
{
	crypto_unregister_acomps(iaa_acomp, ARRAY_SIZE(iaa_acomp));
}
