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

# --- kernel log -------------------------------------------------------------------------------
# dmesg_mark: remember where the log is now; dmesg_since: print what came after
dmesg_mark() { _dmesg_lines=$(dmesg | wc -l); }
dmesg_since() { dmesg | tail -n +$((${_dmesg_lines:-0} + 1)); }
# dmesg_clean: no warning, bug, oops or trace since the last mark
dmesg_clean() {
	! dmesg_since | grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection|kernel BUG|UBSAN|KASAN|kmemleak|refcount_t' >&2
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

# --- zswap ------------------------------------------------------------------------------------
# zswap_on COMPRESSOR: swap on /dev/vda, zswap enabled with COMPRESSOR
zswap_on() {
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
