// SPDX-License-Identifier: GPL-2.0
/*
 * The version of iaa-crypto-dkms, which built this module, as modinfo shows it.
 */
#include <linux/module.h>

MODULE_VERSION("@VERSION@");
