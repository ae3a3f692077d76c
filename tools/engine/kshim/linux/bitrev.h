/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim of <linux/bitrev.h>: bit reversal, as the kernel's generic one */
#ifndef _KSHIM_LINUX_BITREV_H
#define _KSHIM_LINUX_BITREV_H

#include <linux/types.h>

static inline u8 bitrev8(u8 x)
{
	x = (u8)((x & 0xf0) >> 4 | (x & 0x0f) << 4);
	x = (u8)((x & 0xcc) >> 2 | (x & 0x33) << 2);
	return (u8)((x & 0xaa) >> 1 | (x & 0x55) << 1);
}

static inline u16 bitrev16(u16 x)
{
	return (u16)(bitrev8(x & 0xff) << 8 | bitrev8(x >> 8));
}

static inline u32 bitrev32(u32 x)
{
	return (u32)bitrev16(x & 0xffff) << 16 | bitrev16(x >> 16);
}

#endif
