/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim of <asm/byteorder.h>: what iaa_crypto_huffman.c uses, on a little-endian host */
#ifndef _KSHIM_ASM_BYTEORDER_H
#define _KSHIM_ASM_BYTEORDER_H

#include <linux/types.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "a little-endian host");

#define cpu_to_le32(x)	((__le32)(u32)(x))
#define le32_to_cpu(x)	((u32)(__le32)(x))

#endif
