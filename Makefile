# SPDX-License-Identifier: GPL-2.0
#
# Intel IAA (In-Memory Analytics Accelerator) crypto driver.
#
# In-tree (drivers/crypto/intel/iaa) kbuild reads only the first half. Out of tree, `make`
# builds the module against the Debian headers chosen by tools/setup, and the developer
# targets (check, demo, bench, ...) live in tools/build.mk.

ifneq ($(KERNELRELEASE),)

# The idxd internals: in-tree from the source tree, out of tree from IDXD_INC.
IDXD_INC ?= $(srctree)/drivers/dma/idxd
ccflags-y += -I$(IDXD_INC) $(IAA_OOT_CFLAGS)

obj-$(CONFIG_CRYPTO_DEV_IAA_CRYPTO) += iaa_crypto.o

iaa_crypto-y := iaa_crypto_main.o iaa_crypto_timeout.o iaa_crypto_attrs.o \
		iaa_crypto_dev.o iaa_crypto_wq_table.o iaa_crypto_comp_fixed.o \
		iaa_crypto_huffman.o iaa_crypto_comp_dynamic.o \
		iaa_crypto_slot.o iaa_crypto_dma.o iaa_crypto_request.o \
		iaa_crypto_fence.o iaa_crypto_sw.o iaa_crypto_alg.o
iaa_crypto-$(CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS) += iaa_crypto_stats.o

else

include tools/build.mk

endif
