// SPDX-License-Identifier: GPL-2.0
/*
 * null_acomp - the benchmarks' floor: an acomp algorithm, "bench-null", that does no work.
 *
 * A compress reports 8 bytes of output and a decompress a full destination, and neither
 * touches a byte of either side. Timed by iaa_bench (with check=0: there is no data to
 * compare), it gives what the crypto API's request path and the bench itself cost per
 * operation, the part of every driver's latency that no driver can remove.
 */
#include <linux/module.h>
#include <crypto/internal/acompress.h>

#define NULL_OUT	8

static int null_compress(struct acomp_req *req)
{
	req->dlen = min_t(unsigned int, req->dlen, NULL_OUT);
	return 0;
}

static int null_decompress(struct acomp_req *req)
{
	return 0;
}

static struct acomp_alg null_acomp = {
	.compress	= null_compress,
	.decompress	= null_decompress,
	.base		= {
		.cra_name		= "bench-null",
		.cra_driver_name	= "bench-null-acomp",
		.cra_priority		= 1,
		.cra_module		= THIS_MODULE,
	},
};

static int __init null_acomp_init(void)
{
	return crypto_register_acomp(&null_acomp);
}

static void __exit null_acomp_exit(void)
{
	crypto_unregister_acomp(&null_acomp);
}

module_init(null_acomp_init);
module_exit(null_acomp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A null acomp algorithm: the benchmarks' floor");
