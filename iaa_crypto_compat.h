/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernel lines the driver builds against, Linux
 * 6.12 LTS and 7.3, and nothing else. Each difference is chosen by a macro
 * the kernel defines on one line only; the driver's other files use the
 * names below and have no conditional of their own for it.
 */
#ifndef __IAA_CRYPTO_COMPAT_H__
#define __IAA_CRYPTO_COMPAT_H__

#include <linux/module.h>
#include <crypto/internal/acompress.h>

/*
 * The namespace of idxd's exports. MODULE_IMPORT_NS() takes a bare word on
 * 6.12 and a string literal on 7.3; on both it becomes this modinfo entry.
 */
#define IAA_MODULE_IMPORT_NS_IDXD	MODULE_INFO(import_ns, "IDXD")

#ifdef CRYPTO_ACOMP_ALLOC_OUTPUT
/*
 * 6.12: a caller may leave the destination NULL for the algorithm to
 * allocate (CRYPTO_ACOMP_ALLOC_OUTPUT), and the core frees it with the
 * algorithm's dst_free; the request context's size is a member of struct
 * acomp_alg. This driver refuses a NULL destination, so dst_free never has
 * anything to free, but the core calls it whenever the flag is set.
 * iaa_acomp_alg_compat() fills in what differs before registration.
 */
static inline void iaa_compat_dst_free(struct scatterlist *dst)
{
}

static inline void iaa_acomp_alg_compat(struct acomp_alg *alg,
					unsigned int size)
{
	alg->dst_free = iaa_compat_dst_free;
	alg->reqsize = size;
}

/* Both sides of a request are always scatterlists */
static inline bool iaa_acomp_req_virt(struct acomp_req *req)
{
	return false;
}

static inline const u8 *iaa_acomp_src_virt(struct acomp_req *req)
{
	return NULL;
}

static inline u8 *iaa_acomp_dst_virt(struct acomp_req *req)
{
	return NULL;
}
#else
/*
 * 7.3: destinations are always the caller's, and the request context's size
 * is the crypto_alg's cra_reqsize. No macro marks cra_reqsize by itself;
 * the line that dropped allocated destinations has it (7.2 and 7.3 do).
 *
 * 7.3's requests may also carry virtual addresses (a side set with
 * acomp_request_set_src_dma() or _nondma(), and the same for dst). An
 * asynchronous algorithm without CRYPTO_ALG_REQ_VIRT gets a DMA address as a
 * one-entry scatterlist the core builds, but a request with a side that is
 * not for DMA never reaches it: the core hands the request to the
 * synchronous fallback it allocated for each transform by cra_name
 * (crypto_acomp_init_tfm()). For "deflate" that is deflate-generic, whose
 * inflate has a 2 KiB window: it rejects a match of a device stream that
 * reaches farther back than that behind the output chunk it is writing,
 * which a page by page output makes happen (tools/engine's
 * window_2k_inflater_by_pages shows it).
 *
 * So the driver sets CRYPTO_ALG_REQ_VIRT and is given every request as its
 * caller made it. A request with a side given by virtual address, for DMA
 * or not, is done by the driver's software deflate (iaa_crypto_sw.c), which
 * reads and writes that side in place: the full window to inflate, the
 * device's 4 KiB window to deflate, the same as any request the device does
 * not take. zswap, IPComp, the crypto manager's self-test, zram's acomp
 * backend and algif_acomp give scatterlists, which go to the device as on
 * 6.12; UBIFS gives its linear buffers by DMA address, and gets software.
 *
 * The core still allocates the fallback transform with each of ours, and
 * uses it in one case the driver cannot see: acomp_request_clone() (an
 * on-stack request, which an asynchronous transform refuses with -EAGAIN,
 * copied to the heap) hands the request to it when that allocation fails.
 */
static inline void iaa_acomp_alg_compat(struct acomp_alg *alg,
					unsigned int size)
{
	alg->base.cra_reqsize = size;
	alg->base.cra_flags |= CRYPTO_ALG_REQ_VIRT;
}

/* Whether a side of @req is given by virtual address */
static inline bool iaa_acomp_req_virt(struct acomp_req *req)
{
	return acomp_request_isvirt(req);
}

/* The source's virtual address, or NULL when it is a scatterlist */
static inline const u8 *iaa_acomp_src_virt(struct acomp_req *req)
{
	return acomp_request_src_isvirt(req) ? req->svirt : NULL;
}

/* The destination's virtual address, or NULL when it is a scatterlist */
static inline u8 *iaa_acomp_dst_virt(struct acomp_req *req)
{
	return acomp_request_dst_isvirt(req) ? req->dvirt : NULL;
}
#endif

#endif /* __IAA_CRYPTO_COMPAT_H__ */
