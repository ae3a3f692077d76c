/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim of <linux/unaligned.h>: little-endian stores, as the kernel's */
#ifndef _KSHIM_LINUX_UNALIGNED_H
#define _KSHIM_LINUX_UNALIGNED_H

#include <string.h>
#include <linux/types.h>

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 b[4] = { (u8)v, (u8)(v >> 8), (u8)(v >> 16), (u8)(v >> 24) };

	memcpy(p, b, sizeof(b));
}

#endif
