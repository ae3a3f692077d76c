/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim of <linux/limits.h> */
#ifndef _KSHIM_LINUX_LIMITS_H
#define _KSHIM_LINUX_LIMITS_H

#include <stdint.h>

#define U32_MAX	UINT32_MAX
#define U64_MAX	((u64)~0ull)

#endif
