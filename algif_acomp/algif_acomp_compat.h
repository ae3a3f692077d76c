/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What algif_acomp needs from af_alg and the socket layer that differs
 * between the kernel lines it builds on (6.12 and 7.3, and 7.2 in a compile
 * check), each chosen by a macro the newer <crypto/if_alg.h> defines, not by
 * version.
 */
#ifndef _ALGIF_ACOMP_COMPAT_H
#define _ALGIF_ACOMP_COMPAT_H

#include <crypto/if_alg.h>
#include <linux/errno.h>
#include <linux/socket.h>

/*
 * The type's bind. On 6.12 it also gets the salg_feat and salg_mask of the
 * caller's address (af_alg passes on only CRYPTO_ALG_KERN_DRIVER_ONLY). 7.2
 * and 7.3 give it the name alone, and the kernel's own types pass
 * AF_ALG_CRYPTOAPI_MASK where they passed the caller's type and mask: the
 * macro marks the one-argument bind (6.12 has neither). No type or mask
 * reaches the socket type then. algif_acomp_bind() is the type's bind of
 * either form, algif_acomp_bind_name() the one behind both.
 */
static void *algif_acomp_bind_name(const char *name, u32 type, u32 mask);

#ifdef AF_ALG_CRYPTOAPI_MASK
static void *algif_acomp_bind(const char *name)
{
	return algif_acomp_bind_name(name, 0, 0);
}
#else
static void *algif_acomp_bind(const char *name, u32 type, u32 mask)
{
	return algif_acomp_bind_name(name, type, mask);
}
#endif

/*
 * af_alg_restrict and the per-type allowlist (7.3): AF_ALG_UNPRIVILEGED
 * arrived with af_alg_check_restriction(), a release after the one-argument
 * bind (7.2 has that bind and no sysctl).
 */
#ifdef AF_ALG_UNPRIVILEGED
#define ALGIF_ACOMP_HAVE_RESTRICT	1
#else
#define ALGIF_ACOMP_HAVE_RESTRICT	0

/* Only so that the same source builds: with no sysctl, nothing to judge */
#define AF_ALG_UNPRIVILEGED		BIT(0)

struct af_alg_allowlist_entry {
	const char *name;
	u32 flags;
};

static inline int
af_alg_check_restriction(const char *name,
			 const struct af_alg_allowlist_entry allowlist[])
{
	return 0;
}
#endif

/*
 * Asynchronous reads (io_submit on an op socket). 7.2 took the iocb out of
 * struct msghdr, in the release that brought AF_ALG_CRYPTOAPI_MASK: every
 * read is then synchronous, io_submit included, and the aio path of
 * algif_acomp is never taken.
 */
#ifdef AF_ALG_CRYPTOAPI_MASK
static inline struct kiocb *algif_acomp_msg_iocb(struct msghdr *msg)
{
	return NULL;
}
#else
static inline struct kiocb *algif_acomp_msg_iocb(struct msghdr *msg)
{
	return msg->msg_iocb;
}
#endif

#endif /* _ALGIF_ACOMP_COMPAT_H */
