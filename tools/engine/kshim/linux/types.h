/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim of <linux/types.h>: what iaa_crypto_huffman.c uses */
#ifndef _KSHIM_LINUX_TYPES_H
#define _KSHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
/* little-endian values: the host is little-endian (asm/byteorder.h) */
typedef uint32_t __le32;

/* the kernel's compiler_types.h, which every kernel build includes */
#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline	__attribute__((__noinline__))
#endif

#endif
