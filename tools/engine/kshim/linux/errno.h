/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim of <linux/errno.h>. The libc's <errno.h> includes the system's
 * <linux/errno.h> itself, which this file shadows: pass that on, so both the
 * libc and the driver see the kernel's codes (asm-generic/errno-base.h).
 */
#ifndef _KSHIM_LINUX_ERRNO_H
#define _KSHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#ifndef E2BIG
#define E2BIG		7
#endif
#ifndef EINVAL
#define EINVAL		22
#endif

#endif
