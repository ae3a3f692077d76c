/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host shim of <linux/minmax.h>: min() and max() evaluate each argument once
 * and, like the kernel's, refuse arguments of different types (a compile-time
 * error through the pointer comparison under -Werror).
 */
#ifndef _KSHIM_LINUX_MINMAX_H
#define _KSHIM_LINUX_MINMAX_H

#define __kshim_cmp(x, y, op) ({				\
	__typeof__(x) __kx = (x);				\
	__typeof__(y) __ky = (y);				\
	(void)(&__kx == &__ky);					\
	__kx op __ky ? __kx : __ky; })

#define min(x, y)	__kshim_cmp(x, y, <)
#define max(x, y)	__kshim_cmp(x, y, >)
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))

#endif
