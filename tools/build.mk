# Developer targets, out of tree. All outputs go under $(B).
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
B ?= $(TOP)/build
export B

# The kernel: the one tools/setup chose, unless KVER is given (e.g. the running kernel).
ifeq ($(origin KVER),command line)
KENV :=
else
-include $(B)/kernel.env
KENV := $(B)/kernel.env
endif
# Its headers: those tools/setup unpacked (KROOT), else the installed ones.
KDIR ?= $(if $(KROOT),$(KROOT)/usr/src/linux-headers-$(KVER),/lib/modules/$(KVER)/build)
LSRC := /usr/src/linux-source-6.12.tar.xz

# The driver is built from a copy under $(B) so that no object lands in the source tree.
DRV_SRC := $(wildcard $(TOP)/*.c $(TOP)/*.h) $(TOP)/Makefile $(TOP)/Kconfig
MOD := $(B)/module
IDXD_INC := $(B)/idxd-include/drivers/dma/idxd
KMAKE_FLAGS := IDXD_INC=$(IDXD_INC) CONFIG_CRYPTO_DEV_IAA_CRYPTO=m \
	CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS=y IAA_OOT_CFLAGS=-DCONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS=1

.PHONY: all modules setup clean
all: modules

setup:
	@$(TOP)/tools/setup

$(B)/kernel.env:
	$(TOP)/tools/setup

# idxd.h and registers.h from the matching linux-source, extracted at build time.
$(IDXD_INC)/idxd.h: | $(KENV)
	mkdir -p $(B)/idxd-include
	tar -xJf $(LSRC) -C $(B)/idxd-include --strip-components=1 \
		--wildcards '*/drivers/dma/idxd/idxd.h' '*/drivers/dma/idxd/registers.h'
	touch $@

$(MOD)/.synced: $(DRV_SRC)
	mkdir -p $(MOD)
	cp -p $(DRV_SRC) $(MOD)/
	touch $@

modules: $(KENV) $(IDXD_INC)/idxd.h $(MOD)/.synced
	$(MAKE) -C $(KDIR) M=$(MOD) $(KMAKE_FLAGS) $(if $(W),W=$(W)) $(if $(C),C=$(C)) modules

clean:
	rm -rf $(MOD) $(MOD_HOOKS)

# The test build of the driver (iaa_crypto.h: IAA_CRYPTO_TEST_HOOKS): a copy with the test-only
# knobs of the reliability suite, into $(B)/module-hooks; the guest image carries it beside the
# driver (tests/guest/rel-stall.sh loads it). Never installed anywhere else.
MOD_HOOKS := $(B)/module-hooks
.PHONY: module-hooks
$(MOD_HOOKS)/.synced: $(DRV_SRC)
	mkdir -p $(MOD_HOOKS)
	cp -p $(DRV_SRC) $(MOD_HOOKS)/
	touch $@
module-hooks: $(KENV) $(IDXD_INC)/idxd.h $(MOD_HOOKS)/.synced
	$(MAKE) -C $(KDIR) M=$(MOD_HOOKS) IDXD_INC=$(IDXD_INC) CONFIG_CRYPTO_DEV_IAA_CRYPTO=m \
		CONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS=y \
		IAA_OOT_CFLAGS="-DCONFIG_CRYPTO_DEV_IAA_CRYPTO_STATS=1 -DIAA_CRYPTO_TEST_HOOKS" modules

# --- QEMU with MOVDIR64B and the virtual IAA device (cached by a hash of its inputs) -------
.PHONY: qemu progs test-module bench-module bench-prog initramfs check check-long check-style demo bench
qemu: $(B)/kernel.env
	$(TOP)/tools/qemu/build

# --- guest programs and test modules --------------------------------------------------------
PROGS := $(patsubst $(TOP)/tests/progs/%.c,$(B)/progs/%,$(wildcard $(TOP)/tests/progs/*.c))
progs: $(PROGS) kselftest
# make demo's: the static programs that need no libkcapi (kcapi_acomp does) and no selftest
.PHONY: demo-progs
demo-progs: $(filter-out $(B)/progs/kcapi_acomp,$(PROGS))
$(B)/progs/%: $(TOP)/tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $< $(PROG_LIBS)
# libraries of single programs (static: zlib1g-dev ships libz.a)
$(B)/progs/afalg_acomp: PROG_LIBS := -lz -lpthread
# the libkcapi API tests link our libkcapi.a (tools/libkcapi/build)
KCAPI := $(B)/libkcapi/current/install/usr
$(B)/progs/kcapi_acomp: PROG_LIBS := -I$(KCAPI)/include $(KCAPI)/lib/libkcapi.a -lz
$(B)/progs/kcapi_acomp: $(KCAPI)/lib/libkcapi.a
$(KCAPI)/lib/libkcapi.a: $(wildcard $(TOP)/tools/libkcapi/patches/*.patch) $(TOP)/tools/libkcapi/build
	$(TOP)/tools/libkcapi/build

# The kernel's own zswap selftest (tests/guest/kselftest-zswap.sh): test_zswap.c, cgroup_util.c
# and the headers they include, extracted at build time from the matching linux-source (nothing
# of the kernel is kept here), with the flags of its Makefile and lib.mk and no -O: at -O2 gcc
# drops the stores of allocate_bytes(), whose memory is freed unread, and the cases built on it
# allocate nothing. Static, with one file of ours linked in (tests/kselftest/linebuf.c). The
# guest gets $(B)/kselftest/ as /kselftest (tools/vm/mkinitramfs), with the list of the cases
# the source declares (test_zswap.cases).
KSFT_SRC := $(B)/kselftest-src
KSFT_CG := $(KSFT_SRC)/tools/testing/selftests/cgroup
.PHONY: kselftest
kselftest: $(B)/kselftest/test_zswap $(B)/kselftest/test_zswap.cases
$(KSFT_SRC)/.extracted: $(wildcard $(LSRC)) | $(KENV)
	rm -rf $(KSFT_SRC)
	mkdir -p $(KSFT_SRC)
	tar -xJf $(LSRC) -C $(KSFT_SRC) --strip-components=1 --wildcards \
		'*/tools/testing/selftests/kselftest.h' \
		'*/tools/testing/selftests/clone3/clone3_selftests.h' \
		'*/tools/testing/selftests/cgroup/cgroup_util.[ch]' \
		'*/tools/testing/selftests/cgroup/test_zswap.c'
	touch $@
$(B)/kselftest/test_zswap: $(KSFT_SRC)/.extracted $(TOP)/tests/kselftest/linebuf.c \
		$(TOP)/tools/build.mk
	@mkdir -p $(dir $@)
	$(CC) -Wall -pthread -D_GNU_SOURCE= -static -o $@ $(KSFT_CG)/test_zswap.c \
		$(KSFT_CG)/cgroup_util.c $(TOP)/tests/kselftest/linebuf.c
# the names in its tests[] table, in order: T(test_zswap_usage), ...
$(B)/kselftest/test_zswap.cases: $(KSFT_SRC)/.extracted
	@mkdir -p $(dir $@)
	sed -n 's/^[[:space:]]*T(\(test_[a-z0-9_]*\)),[[:space:]]*$$/\1/p' $(KSFT_CG)/test_zswap.c >$@.tmp
	test -s $@.tmp
	mv $@.tmp $@

TMOD := $(B)/test-module
TMOD_SRC := $(wildcard $(TOP)/tests/module/*)
$(TMOD)/.synced: $(TMOD_SRC)
	mkdir -p $(TMOD)
	$(if $(TMOD_SRC),cp -p $(TMOD_SRC) $(TMOD)/)
	touch $@
test-module: $(B)/kernel.env $(TMOD)/.synced
	$(if $(TMOD_SRC),$(MAKE) -C $(KDIR) M=$(TMOD) modules)

# The benchmark module (tests/bench), installed in the guest beside the test modules.
BMOD := $(B)/bench-module
BMOD_SRC := $(TOP)/tests/bench/iaa_bench.c $(TOP)/tests/bench/null_acomp.c \
	$(TOP)/tests/bench/iaa_probe.c $(TOP)/tests/bench/iaa_cost.c \
	$(TOP)/tests/bench/Makefile
$(BMOD)/.synced: $(BMOD_SRC)
	mkdir -p $(BMOD)
	cp -p $(BMOD_SRC) $(BMOD)/
	touch $@
bench-module: $(B)/kernel.env $(BMOD)/.synced
	$(MAKE) -C $(KDIR) M=$(BMOD) modules
# Its user-space workload goes to the guest's /data (tools/vm/mkinitramfs: $(B)/guest-extra).
bench-prog: $(B)/guest-extra/pagebench $(B)/guest-extra/ubench
$(B)/guest-extra/pagebench: $(TOP)/tests/bench/pagebench.c
	@mkdir -p $(dir $@)
	$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<
# the user-space rows: libkcapi (our compression API) and zlib in one static program
$(B)/guest-extra/ubench: $(TOP)/tests/bench/ubench.c $(KCAPI)/lib/libkcapi.a
	@mkdir -p $(dir $@)
	$(CC) -static -O2 -Wall -Wextra -Werror -I$(KCAPI)/include -o $@ $< $(KCAPI)/lib/libkcapi.a -lz

# --- user space over AF_ALG: the socket type algif_acomp.ko (algif_acomp/), libkcapi ---------
# The module is built from a copy under $(B)/algif_acomp, like the driver.
AFALG_SRC := $(wildcard $(TOP)/algif_acomp/*.[ch]) $(TOP)/algif_acomp/Makefile $(TOP)/algif_acomp/Kconfig
AFALG := $(B)/algif_acomp
.PHONY: afalg-module libkcapi
$(AFALG)/.synced: $(AFALG_SRC)
	mkdir -p $(AFALG)
	cp -p $(AFALG_SRC) $(AFALG)/
	touch $@
afalg-module: $(KENV) $(AFALG)/.synced
	$(MAKE) -C $(KDIR) M=$(AFALG) CONFIG_CRYPTO_USER_API_ACOMP=m $(if $(W),W=$(W)) $(if $(C),C=$(C)) modules
# Debian's libkcapi 1.4.0 with our compression API and kcapi-comp (tools/libkcapi), cached by a
# hash of its inputs under $(B)/libkcapi
libkcapi:
	$(TOP)/tools/libkcapi/build

# zram.ko from the matching linux-source with our acomp backend and recompression
# (tools/zram: patches and build; cached by a hash of its inputs under $(B)/zram/)
.PHONY: zram
zram: $(KENV)
	KVER=$(KVER) KDIR=$(KDIR) $(TOP)/tools/zram/build

# 7.3's zram with tools/zram/patches-7.3, built with W=1 against the tree of
# tools/compile-check/prepare 7.3 into $(B)/zram-7.3-check: a compile check, never loaded.
.PHONY: check-k73-zram
check-k73-zram:
	k=$$($(TOP)/tools/k73/prepare) && eval "$$($(TOP)/tools/kernel-version --line 7.3)" && \
		KVER=$$KVER KDIR=$$k LSRC=$$k W=1 $(TOP)/tools/zram/build

initramfs: modules module-hooks test-module progs afalg-module zram
	$(TOP)/tools/vm/mkinitramfs

# --- checkers -------------------------------------------------------------------------------
check-style: $(B)/kernel.env
	$(TOP)/tools/checkers

# --- everything -----------------------------------------------------------------------------
check:
	$(TOP)/tools/check

# the suites too long for make check (tests/suites-long): libkcapi's own test suite, with our
# libkcapi against the baseline of unpatched libkcapi
check-long:
	$(TOP)/tools/check --long

demo:
	$(TOP)/tools/demo

bench:
	$(MAKE) -s -C $(TOP)/tools/engine bench O=$(B)/engine
	$(TOP)/tools/bench/run

# --- the reliability suite's extras (tests/guest/rel-*.sh run in `make check`) --------------
.PHONY: check-broken check-debug check-model
# the slot state machine of iaa_crypto_request.pml, checked with spin (KTAP; into $(B)/model)
check-model:
	$(TOP)/tools/model/check
# each scenario shown able to fail: the driver built with a test-only switch that breaks one
# safety mechanism (into $(B)/broken/), the matching scenario must fail
check-broken: $(B)/kernel.env
	$(TOP)/tests/reliability/broken
# the VM suites on a debug build of the same kernel (KASAN, lockdep, kmemleak, ...): hours
check-debug: $(B)/kernel.env
	$(TOP)/tools/debug-kernel check

# --- Debian packages (tools/deb) ------------------------------------------------------------
# make deb: iaa-crypto-dkms, iaa-crypto-tools and the libkcapi packages into $(B)/deb/*/current,
# lintian-clean; make check-deb: installed on this machine, checked and purged (KTAP)
.PHONY: deb check-deb
deb:
	$(TOP)/tools/deb/build
check-deb: $(B)/kernel.env
	$(TOP)/tools/deb/check

# --- the driver against Linux 7.3 and 7.2, compile checks only (tools/compile-check) ---------
# A kbuild tree of the line prepared with the host's compiler (cached under $(B)/k73/, $(B)/k72/),
# the driver built against it with W=1 and sparse into $(B)/k73-module, and algif_acomp likewise
# into $(B)/k73-afalg. Nothing built here is loaded anywhere. K73_DEB=FILE (K72_DEB) reuses a
# linux-source .deb at hand.
# check-k72-build: the same against sid's 7.2, zram with 7.3's port included, as KTAP; skipped
# (with the reason, exit status 0) once sid no longer serves the 7.2 of tools/kernel-lines.
.PHONY: check-k73-build check-k72-build
check-k73-build:
	$(TOP)/tools/compile-check/build 7.3
	$(TOP)/tools/compile-check/build-afalg 7.3
check-k72-build:
	$(TOP)/tools/compile-check/check 7.2

# --- the driver as a patch series against Linux 7.3 (tools/upstream-series) -----------------
# make upstream-series: `git format-patch` output into $(B)/upstream-series/patches, against
# the pristine 7.3 source imported once from the linux-source-7.3 of tools/k73 (cached under
# $(B)/upstream-series/pristine/). make check-upstream-series: each patch applied with git am,
# built with W=1 (M=drivers/crypto/intel/iaa on the tools/k73 tree) and checkpatch --strict
# clean, as KTAP; logs in $(B)/upstream-series/check/.
.PHONY: upstream-series check-upstream-series
upstream-series:
	$(TOP)/tools/upstream-series/build
check-upstream-series:
	$(TOP)/tools/upstream-series/check

# --- the VM suites on Debian's 7.3 (tools/kline, tools/deb13) --------------------------------
# Debian's 7.3 kernel (vmlinuz and modules from its packages, never installed) in the VM, our
# modules built in a Debian 13 root by its gcc-14 (cached under $(B)/deb13 and $(B)/kline/7.3);
# the suites of tests/suites-7.3, which make check runs too. Needs root (debootstrap, chroot).
.PHONY: check-k73
check-k73: progs
	$(TOP)/tools/kline check 7.3

# --- the packages on Debian 13 (tools/deb13/check) -------------------------------------------
# make deb's packages installed in a Debian 13 root (tools/deb13/root --set pkg) with trixie's
# 6.12 and trixie-backports' 7.3 kernels: DKMS builds for both, modinfo, upgrade, purge
# (tools/deb/check inside, KTAP); then the modules DKMS built there, with the packaged command,
# booted in the VM on both kernels (tests/suites-deb13). make check-long runs it. Needs root.
.PHONY: check-deb13
check-deb13: progs
	$(TOP)/tools/deb13/check
	$(TOP)/tools/deb13/check vm
