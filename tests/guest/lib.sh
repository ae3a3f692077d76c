# Sourced by every guest test (busybox sh). KTAP reporting and common helpers.
# The init runs each test as a subtest; everything here prints at the subtest's indent.

KVER=$(uname -r)
MODDIR=/lib/modules/$KVER
_n=0
_fail=0

plan() { echo "    1..$1"; }

ok() { _n=$((_n + 1)); echo "    ok $_n $*"; }

not_ok() { _n=$((_n + 1)); _fail=$((_fail + 1)); echo "    not ok $_n $*"; }

# skip NAME REASON
skip() { _n=$((_n + 1)); echo "    ok $_n $1 # SKIP $2"; }

# note TEXT: a diagnostic line (figures a test prints)
note() { echo "    # $*"; }

# check NAME CMD...: runs CMD, reports its exit status; output goes to the log as diagnostics
check() {
	_name=$1
	shift
	if _out=$("$@" 2>&1); then
		ok "$_name"
	else
		_rc=$?
		not_ok "$_name"
		note "'$*' exited $_rc"
		printf '%s\n' "$_out" | tail -n 20 | sed 's/^/    # /'
	fi
}

# tmo SECONDS CMD...: run CMD with a bound (busybox timeout sends TERM, then the harness's own
# timeout catches anything worse)
tmo() { _t=$1; shift; timeout "$_t" "$@"; }

# Test end: exit status tells the init whether the subtest passed.
finish() { [ "$_fail" -eq 0 ]; exit $?; }

# --- kernel command line ---------------------------------------------------------------------
# karg PREFIX NAME: the value of PREFIX.NAME= on the kernel command line, commas as spaces
karg() { sed -n "s/.*\\<$1\\.$2=\\([^ ]*\\).*/\\1/p" /proc/cmdline | tr ',' ' '; }

# --- the driver's debugfs counters (iaa-crypto/) ----------------------------------------------
# st NAME: a global counter, 0 when absent; wqsum KEY: KEY summed over every wq in wq_stats
# (its 4-space indented lines); errsum: device errors of every kind plus failed verifications
st() { cat "/sys/kernel/debug/iaa-crypto/$1" 2>/dev/null || echo 0; }
wqsum() {
	awk -v k="$1:" '/^    [a-z_]+:/ && $1 == k { s += $2 } END { print s + 0 }' \
		/sys/kernel/debug/iaa-crypto/wq_stats 2>/dev/null
}
# one_pass_snap: "ID ONE_PASS_BLOCKS COMP_CALLS" for each device in our wq_stats (its 2-space
# indented lines)
one_pass_snap() {
	awk '/^iaa device:/ { if (id != "") print id, o, c; id = ""; o = 0; c = 0 }
	     /^  id:/ { id = $2 } /^  one_pass_blocks:/ { o = $2 } /^  comp_calls:/ { c = $2 }
	     END { if (id != "") print id, o, c }' /sys/kernel/debug/iaa-crypto/wq_stats 2>/dev/null
}
# one_pass_check BEFORE AFTER [some] (two one_pass_snap outputs): prints each device's one-pass
# blocks and compress calls between them; true when no IAA 1.0 device wrote a one-pass block,
# every IAA 2.0 device that compressed did, and, with an IAA 2.0 device in the VM, one did
# (unless "some": a part of the work, which the CPUs it ran on may have kept off the IAA 2.0
# devices). The version is idxd's, from sysfs.
one_pass_check() {
	_bad=0 _v2=0 _have2=0 _msg=
	while read -r _id _o _c; do
		[ -n "$_id" ] || continue
		_o0=$(printf '%s\n' "$1" | awk -v i="$_id" '$1 == i { print $2 }')
		_c0=$(printf '%s\n' "$1" | awk -v i="$_id" '$1 == i { print $3 }')
		_do=$((_o - ${_o0:-0})) _dc=$((_c - ${_c0:-0}))
		_ver=$(cat /sys/bus/dsa/devices/iax$_id/version 2>/dev/null || echo 0)
		_msg="$_msg iax$_id (version $_ver): one_pass_blocks +$_do, comp_calls +$_dc;"
		if [ $((_ver)) -ge $((0x200)) ]; then
			_have2=1
			if [ $_dc -gt 0 ]; then
				_v2=$((_v2 + 1))
				[ $_do -gt 0 ] || _bad=1
			fi
		else
			[ $_do -eq 0 ] || _bad=1
		fi
	done <<ONEPASS
$2
ONEPASS
	_msg=${_msg%;}
	echo "${_msg# }"
	[ $_bad = 0 ] && { [ $_have2 = 0 ] || [ $_v2 -gt 0 ] || [ "$3" = some ]; }
}
errsum() {
	_s=0
	for _f in einval timeout fault hw; do
		_s=$((_s + $(st total_completion_${_f}_errors)))
	done
	echo $((_s + $(st total_verify_failures)))
}

# --- kernel log -------------------------------------------------------------------------------
# dmesg_mark: remember where the log is now; dmesg_since: print what came after
dmesg_mark() { _dmesg_lines=$(dmesg | wc -l); }
dmesg_since() { dmesg | tail -n +$((${_dmesg_lines:-0} + 1)); }
# Warnings that are not the driver's, each matched by the line that opens it (the place it
# names) and a function of its trace, as "OPENING-RE|TRACE-RE" lines:
#   - 6.12's idxd: on a device halt idxd_device_reinit() calls idxd_device_config() without
#     idxd->dev_lock, and its lockdep_assert_held() fires (a lockdep kernel: the debug kernel);
#   - dynamic debug warns when a module load's allocation of its records fails (FAILSLAB runs)
KNOWN_WARNS='at drivers/dma/idxd/device.c:[0-9]+ idxd_device_config|idxd_device_reinit
at lib/dynamic_debug.c:[0-9]+ ddebug_module_notify|load_module'
# dmesg_since_unknown: dmesg_since without those warnings (cut here .. end trace)
dmesg_since_unknown() {
	dmesg_since | awk -v known="$KNOWN_WARNS" '
		BEGIN {
			nk = split(known, k, "\n")
			for (j = 1; j <= nk; j++) {
				split(k[j], p, "|"); kopen[j] = p[1]; kcall[j] = p[2]
			}
		}
		/------------\[ cut here \]------------/ { inb = 1; n = 0; buf[n++] = $0; next }
		inb { buf[n++] = $0
		      if ($0 ~ /---\[ end trace/) {
			drop = 0
			for (j = 1; j <= nk; j++) {
				o = 0; c = 0
				for (i = 0; i < n; i++) {
					if (buf[i] ~ /WARNING: / && buf[i] ~ kopen[j]) o = 1
					if (buf[i] ~ kcall[j]) c = 1
				}
				if (o && c) drop = 1
			}
			if (!drop) for (i = 0; i < n; i++) print buf[i]
			inb = 0
		      }
		      next }
		{ print }
		END { if (inb) for (i = 0; i < n; i++) print buf[i] }'
}
# known_warnings: how many of those since the last mark
known_warnings() {
	_all=$(dmesg_since | grep -c 'WARNING: ')
	_left=$(dmesg_since_unknown | grep -c 'WARNING: ')
	echo $((_all - _left))
}
# dmesg_clean: no warning, bug, oops or trace since the last mark (the known idxd ones aside)
dmesg_clean() {
	! dmesg_since_unknown | grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection|kernel BUG|UBSAN|KASAN|kmemleak: [0-9]+ new suspected|refcount_t' >&2
}

# --- drivers ----------------------------------------------------------------------------------
# load_driver ours|upstream: idxd plus our iaa_crypto.ko (updates/) or Debian's (kernel/)
load_driver() {
	modprobe idxd || return 1
	case $1 in
	ours) insmod $MODDIR/updates/iaa_crypto.ko ${2:-} ;;
	upstream) insmod $MODDIR/kernel/drivers/crypto/intel/iaa/iaa_crypto.ko ${2:-} ;;
	*) echo "load_driver: unknown driver '$1'" >&2; return 1 ;;
	esac
}

# Unbind every wq bound to the crypto driver, then remove it.
unload_driver() {
	for w in /sys/bus/dsa/drivers/crypto/wq*; do
		[ -e "$w" ] && echo "${w##*/}" >/sys/bus/dsa/drivers/crypto/unbind
	done
	rmmod iaa_crypto
}

# iaa_devices: names of the IAA devices on the dsa bus (iax0 iax1 ...)
iaa_devices() { ls /sys/bus/dsa/devices 2>/dev/null | grep '^iax' ; }

# --- the QEMU monitor on /dev/ttyS1 -----------------------------------------------------------
# hmp "CMD": send one HMP command and print its reply (without the echo and prompt).
hmp() {
	[ -c /dev/ttyS1 ] || { echo "hmp: no monitor on /dev/ttyS1" >&2; return 1; }
	/bin/hmp "$1"
}

# memsnap: unreclaimable slab and free memory (KiB), after dropping what can be dropped. Free
# pages held in the per-CPU lists (/proc/zoneinfo's pagesets) are free too, though MemFree
# leaves them out: 7.3 lets those lists hold tens of MiB on the VM, and a burst of requests
# fills them (6.12's too, less).
memsnap() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	# each CPU keeps partly used slabs of every cache it allocated from: give them back, and
	# free the empty slabs (SLUB's shrink), so that the figure is what the objects hold
	sleep 1
	for _c in /sys/kernel/slab/*/shrink; do echo 1 >"$_c"; done 2>/dev/null
	_pcp=$(awk '$1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo)
	awk -v pcp="$_pcp" '$1 == "SUnreclaim:" { s = $2 } $1 == "MemFree:" { f = $2 }
		END { print s, f + pcp * 4 }' /proc/meminfo
}

# --- zswap ------------------------------------------------------------------------------------
# zswap_on COMPRESSOR: swap on /dev/vda, zswap enabled with COMPRESSOR
zswap_on() {
	[ -b /dev/vda ] || modprobe virtio_blk
	for _i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 1; done
	grep -q '^/dev/vda' /proc/swaps || { mkswap /dev/vda >/dev/null && swapon /dev/vda; } || return 1
	echo 0 >/sys/module/zswap/parameters/enabled
	echo "$1" >/sys/module/zswap/parameters/compressor || return 1
	echo zsmalloc >/sys/module/zswap/parameters/zpool
	echo 1 >/sys/module/zswap/parameters/enabled
	echo 100 >/proc/sys/vm/swappiness
	[ "$(cat /sys/module/zswap/parameters/compressor)" = "$1" ]
}

zswap_off() {
	echo 0 >/sys/module/zswap/parameters/enabled
	echo lzo >/sys/module/zswap/parameters/compressor
	swapoff /dev/vda 2>/dev/null
	return 0
}

vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

# --- work queues ------------------------------------------------------------------------------
# wq_config WQ [SIZE [PRIORITY]]: configure wqD.W (device disabled or wq disabled) as a
# dedicated kernel wq for the crypto driver. After an unbind idxd resets mode and name, so a
# wq must be configured again before it is bound again.
wq_config() {
	_d=/sys/bus/dsa/devices/$1
	echo dedicated >"$_d/mode" && echo kernel >"$_d/type" && echo iaa_crypto >"$_d/name" &&
		echo crypto >"$_d/driver_name" && echo 0 >"$_d/group_id" &&
		{ [ -z "${2:-}" ] || echo "$2" >"$_d/size"; } &&
		{ [ -z "${3:-}" ] || echo "$3" >"$_d/priority"; }
}

# crypto_wqs: the wqs bound to the crypto driver
crypto_wqs() { ls -d /sys/bus/dsa/drivers/crypto/wq* 2>/dev/null | sed 's|.*/||'; }

# crypto_unbind_all: unbind every crypto wq, remembering them for crypto_rebind_all
crypto_unbind_all() {
	_unbound=$(crypto_wqs)
	for _w in $_unbound; do echo "$_w" >/sys/bus/dsa/drivers/crypto/unbind || return 1; done
}

crypto_rebind_all() {
	for _w in $_unbound; do
		wq_config "$_w" && echo "$_w" >/sys/bus/dsa/drivers/crypto/bind || return 1
	done
}

# set_sync_mode MODE: with no wq bound, so that every transform sees it
set_sync_mode() {
	crypto_unbind_all && echo "$1" >/sys/bus/dsa/drivers/crypto/sync_mode && crypto_rebind_all &&
		[ "$(cat /sys/bus/dsa/drivers/crypto/sync_mode)" = "$1" ]
}

# proc_crypto_selftest DRIVER: the selftest field of that driver in /proc/crypto
proc_crypto_selftest() {
	awk -v d="$1" '/^driver/ { cur = $3 } /^selftest/ && cur == d { print $3; exit }' /proc/crypto
}

# iaa_pci_count: virtual/real IAA functions on the PCI bus
iaa_pci_count() {
	_c=0
	for _p in /sys/bus/pci/devices/*; do
		[ "$(cat "$_p/vendor")" = 0x8086 ] && [ "$(cat "$_p/device")" = 0x0cfe ] && _c=$((_c + 1))
	done
	echo $_c
}

# --- the reliability suite (tests/guest/rel-*.sh) ---------------------------------------------
# ms_now: milliseconds since boot (10 ms steps)
ms_now() { read -r _u _x </proc/uptime; echo $((${_u%.*}${_u#*.}0)); }

# stress CMD...: one command to the iaa_stress module (tests/module/iaa_stress.c), which must be
# loaded; prints the command's result, returns the write's status
STRESS=/sys/kernel/debug/iaa_stress/ctl
stress() {
	echo "$*" >$STRESS
	_rc=$?
	cat $STRESS
	return $_rc
}

# kv KEY TEXT: the value of the first KEY=value word in TEXT
kv() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }

# iaa_snap PREFIX: every counter of the driver's debugfs as shell variables PREFIX_NAME
# (total_completion_einval_errors -> PREFIX_completion_einval_errors, ...)
iaa_snap() {
	eval "$(grep -H . /sys/kernel/debug/iaa-crypto/total_* 2>/dev/null |
		sed "s|.*/total_\([a-z_]*\):\([0-9]*\)$|$1_\1=\2|")"
}

# qom_get PROP [DEV]: a property of the virtual IAA device (default iaa0), through the monitor
qom_get() { hmp "qom-get /machine/peripheral/${2:-iaa0} $1" | tr -d '\r' | tail -n 1; }

# dev_inject SPEC [DEV]: add the fault rule SPEC (tools/qemu/README.md's grammar, or "clear")
# to the virtual IAA device (default iaa0). Fails, printing the monitor's reply on stderr, when
# the monitor does not answer or the device refuses the rule (an unknown key, a bad value), so
# a case never runs believing a rule is armed when it is not.
dev_inject() {
	di_out=$(hmp "qom-set /machine/peripheral/${2:-iaa0} inject $1") || return 1
	di_out=$(printf '%s\n' "$di_out" | tr -d '\r' | grep -v '^$')
	[ -z "$di_out" ] && return 0
	printf '%s\n' "$di_out" >&2
	return 1
}

# wq_rebind WQ: give WQ back to the crypto driver afresh: unbind it if bound, configure it
# (idxd clears mode and name on unbind) and bind it; bounded
wq_rebind() {
	if [ -e /sys/bus/dsa/drivers/crypto/$1 ]; then
		tmo 60 sh -c "echo $1 >/sys/bus/dsa/drivers/crypto/unbind" || return 1
	fi
	wq_config "$1" && tmo 60 sh -c "echo $1 >/sys/bus/dsa/drivers/crypto/bind"
}

# iaa_reset DEV [WQ_SIZE]: recover iaxN from anything (a halt included): its wqs unbound from the
# crypto driver, a function-level reset of its PCI function, the device taken from idxd (whose
# Reset Device enables the device's error and halt interrupts again, which the FLR cleared), its
# default configuration (engine 0 and wq 0 in group 0) set, and the device and wq 0 bound again.
# The wqs go before the reset: 7.3's idxd has handlers for a function reset
# (idxd_reset_prepare() and idxd_reset_done()), which set up the device's interrupt vectors
# again and would free the interrupt of a wq still bound to the crypto driver under it (after
# a halt needing a software reset, idxd's own unbind of the device leaves that wq bound).
iaa_reset() {
	_pd=$(dirname "$(readlink -f /sys/bus/dsa/devices/$1)")
	for _rw in $(crypto_wqs); do
		case $_rw in wq${1#iax}.*)
			tmo 60 sh -c "echo $_rw >/sys/bus/dsa/drivers/crypto/unbind" || return 1 ;;
		esac
	done
	tmo 60 sh -c "echo 1 >$_pd/reset" || return 1
	if [ -e /sys/bus/dsa/devices/$1/driver ]; then
		tmo 60 sh -c "echo $1 >/sys/bus/dsa/drivers/idxd/unbind" || return 1
	fi
	# the other wqs out of the groups, and the whole queue space to wq 0: 7.3's reset_done may
	# have restored another wq's configuration, then failed to configure the device with it
	for _rq in /sys/bus/dsa/devices/$1/wq${1#iax}.*; do
		[ "${_rq##*/}" = "wq${1#iax}.0" ] && continue
		{ [ "$(cat "$_rq/group_id")" = -1 ] || echo -1 >"$_rq/group_id"; } &&
			{ [ "$(cat "$_rq/size")" = 0 ] || echo 0 >"$_rq/size"; } || return 1
	done
	echo 0 >/sys/bus/dsa/devices/$1/engine${1#iax}.0/group_id &&
		wq_config "wq${1#iax}.0" "${2:-$(cat /sys/bus/dsa/devices/$1/max_work_queues_size)}" &&
		tmo 60 sh -c "echo $1 >/sys/bus/dsa/drivers/idxd/bind" &&
		wq_config "wq${1#iax}.0" &&
		tmo 60 sh -c "echo wq${1#iax}.0 >/sys/bus/dsa/drivers/crypto/bind"
}

# warn_count: lines of the kernel log since dmesg_mark that dmesg_clean objects to
warn_count() {
	dmesg_since_unknown | grep -c -E 'WARNING:|BUG:|Oops|Call Trace|general protection|kernel BUG|UBSAN|KASAN|kmemleak: [0-9]+ new suspected|refcount_t'
}
