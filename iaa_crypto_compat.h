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
#else
/*
 * 7.3: destinations are always the caller's, and the request context's size
 * is the crypto_alg's cra_reqsize. No macro marks cra_reqsize by itself;
 * the line that dropped allocated destinations has it (7.2 and 7.3 do).
 *
 * 7.3's requests may also carry virtual addresses. The driver does not set
 * CRYPTO_ALG_REQ_VIRT, so the core gives it scatterlists: a one-entry list
 * for an address the device may reach, while a request whose memory is not
 * for DMA (CRYPTO_ACOMP_REQ_*_NONDMA) goes to the core's synchronous
 * fallback of the same cra_name and never reaches this driver.
 */
static inline void iaa_acomp_alg_compat(struct acomp_alg *alg,
					unsigned int size)
{
	alg->base.cra_reqsize = size;
}
#endif

#endif /* __IAA_CRYPTO_COMPAT_H__ */
