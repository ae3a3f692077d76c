# afalg: the AF_ALG type "acomp" (algif_acomp.ko) through raw sockets (tests/progs/afalg_acomp.c,
# zlib as the reference), on deflate-iaa: autoload on bind, round trips 1 B to the limit, zlib's
# 32 KiB-window streams decompressed and our output inflated by zlib, a bind outside the allowlist
# that loads and instantiates nothing, every errno, every read size with canaries past the buffer,
# malformed streams, who may bind (crypto.af_alg_restrict 0, 1 and 2 where the kernel has it),
# the socket's memory limit, aio at depth 16, sockets closed with reads in flight, a process
# killed mid-aio, aio output into a shared file mapping that survives writeback, 128 KiB requests
# in software, wqs unbound under aio load; then nothing leaked (module references, memory) and a
# clean kernel log.
#
# Kernel command line knobs: afalg.streams=N (malformed streams, default 100000),
# afalg.rounds=N (aio rounds of 16, default 200).
. /tests/lib.sh

arg() { karg afalg "$1"; }
streams=$(arg streams)
streams=${streams:-100000}
rounds=$(arg rounds)
rounds=${rounds:-200}
alg=deflate-iaa
P=/sys/module/algif_acomp/parameters
T=afalg_acomp
plan 28

[ -d /sys/bus/dsa/drivers/crypto ] || load_driver ours >/dev/null 2>&1
modprobe af_alg 2>/dev/null
# the aio-mmap case mounts ext4, which stays loaded: its module and caches are not ours to count
modprobe ext4 2>/dev/null
dmesg_mark
iaa_ref0=$(cat /sys/module/iaa_crypto/refcnt)
set -- $(memsnap)
slab0=$1 free0=$2

# 1: nothing loads it but a bind of type "acomp" (af_alg's request_module("algif-acomp"))
if [ ! -d /sys/module/algif_acomp ] && $T roundtrip $alg 64 2>/dev/null &&
	[ -d /sys/module/algif_acomp ]; then
	ok "algif_acomp loaded by the first bind"
else
	not_ok "algif_acomp loaded by the first bind"
fi
limit=$(cat $P/max_request_bytes 2>/dev/null)
[ "$limit" = 65536 ] && [ "$(cat $P/group)" = -1 ] && [ "$(cat $P/allow)" = deflate ] &&
	ok "defaults: max_request_bytes 65536, group -1, allow deflate" ||
	not_ok "defaults: max_request_bytes '$limit', group '$(cat $P/group)', allow '$(cat $P/allow)'"

# A name outside the allowlist is refused before the crypto API is asked to allocate it: nothing
# is loaded (lz4hc.ko is in the image, not loaded yet) and no template instance is built
# (cbc over aes-generic, if no one built it before). Before the check came first, the bind
# loaded lz4hc and built the instance.
cbc='^driver *: cbc(aes-generic)$'
lz0=$([ -d /sys/module/lz4hc ] && echo loaded)
cbc0=$(grep -c "$cbc" /proc/crypto)
r1=$($T bind lz4hc 0 0 ENOENT 2>&1) && r2=$($T bind 'cbc(aes-generic)' 0 0 ENOENT 2>&1) &&
	r3=$($T bind deflate-iaa-notexist 0 0 ENOENT 2>&1)
rc=$?
lz1=$([ -d /sys/module/lz4hc ] && echo loaded)
cbc1=$(grep -c "$cbc" /proc/crypto)
if [ -n "$lz0" ]; then
	skip "bind outside the allowlist loads nothing" "lz4hc already loaded"
elif [ $rc = 0 ] && [ -z "$lz1" ] && [ "$cbc1" = "$cbc0" ]; then
	ok "bind of lz4hc, cbc(aes-generic), deflate-iaa-notexist: ENOENT, lz4hc not loaded, cbc(aes-generic) instances $cbc0"
else
	not_ok "bind outside the allowlist: exit $rc, lz4hc ${lz1:-not loaded}, cbc(aes-generic) instances $cbc0 -> $cbc1"
	printf '%s\n' "$r1" "$r2" "$r3" | grep . | sed 's/^/    # /'
fi

t0=$(ms_now)
check "round trips 1 B..$limit B, zlib -1/-5/-9 streams through the socket, ours through zlib" \
	tmo 600 $T roundtrip $alg $limit
check "bound by cra_name \"deflate\" (the highest priority: deflate-iaa)" \
	tmo 120 $T roundtrip deflate 8192
check "EMSGSIZE ENOSPC EBADMSG EINVAL EBUSY ENOPROTOOPT ENOENT" tmo 120 $T errno $alg $limit
check "every read size 0..output length, nothing past the buffer" tmo 300 $T readsizes $alg
note "$(($(ms_now) - t0)) ms"

# a larger limit, up to 128 KiB, and no further
t0=$(ms_now)
if echo 131072 >$P/max_request_bytes && ! echo 131073 >$P/max_request_bytes 2>/dev/null &&
	tmo 300 $T errno $alg 131072 2>/tmp/afalg.err && tmo 300 $T roundtrip $alg 131072 2>>/tmp/afalg.err; then
	ok "max_request_bytes 131072: the limit and its errors follow, 131073 refused"
else
	not_ok "max_request_bytes 131072: the limit and its errors follow, 131073 refused"
	head -n 30 /tmp/afalg.err | sed 's/^/    # /'
fi
echo 65536 >$P/max_request_bytes
note "$(($(ms_now) - t0)) ms"

t0=$(ms_now)
check "$streams malformed streams: no wrong result, nothing past the buffer" \
	tmo 1200 $T fuzz $alg $streams 1
note "$(($(ms_now) - t0)) ms"

# who may bind: CAP_SYS_ADMIN, or the group the parameter names
check "unprivileged bind refused (EPERM)" $T bind $alg 65534 65534 EPERM
echo 65534 >$P/group
check "bind allowed to group 65534 by the parameter" $T bind $alg 65534 65534 ok
check "other groups still refused" $T bind $alg 65534 65533 EPERM

# af_alg_restrict (7.3), with group 65534 named: root, a member of the group and another user
# at each level. Ours decides who may bind at 0 and 1 (a level does not widen it, nor does 1
# refuse the group); 2 refuses socket() itself, and a bind on a socket made before the level
# was raised.
R=/proc/sys/crypto/af_alg_restrict
# binds LEVEL ROOT MEMBER OTHER: the level set, then each user's bind of $alg wanted as given
binds() {
	echo "$1" >$R && $T bind $alg 0 0 "$2" && $T bind $alg 65534 65534 "$3" &&
		$T bind $alg 65534 65533 "$4"
}
if [ -f $R ]; then
	r0=$(cat $R)
	note "af_alg_restrict was $r0"
	check "af_alg_restrict 0: root and group bind, another user EPERM" binds 0 ok ok EPERM
	check "af_alg_restrict 0: lz4hc, outside the allow parameter, still ENOENT to root" \
		$T bind lz4hc 0 0 ENOENT
	check "af_alg_restrict 1: root and group bind, another user EPERM" binds 1 ok ok EPERM
	check "af_alg_restrict 2: socket() EAFNOSUPPORT to root, group and another user" \
		binds 2 EAFNOSUPPORT EAFNOSUPPORT EAFNOSUPPORT
	echo 1 >$R
	check "af_alg_restrict raised to 2 after socket(): root's bind ENOENT" \
		$T bind-raised $alg 0 0 ENOENT
	echo 1 >$R
	check "af_alg_restrict raised to 2 after socket(): the group's bind ENOENT" \
		$T bind-raised $alg 65534 65534 ENOENT
	echo "$r0" >$R
else
	why="no $R (a kernel before 7.3)"
	for c in "0: root and group bind, another user EPERM" \
		"0: lz4hc, outside the allow parameter, still ENOENT to root" \
		"1: root and group bind, another user EPERM" \
		"2: socket() EAFNOSUPPORT to root, group and another user" \
		"raised to 2 after socket(): root's bind ENOENT" \
		"raised to 2 after socket(): the group's bind ENOENT"; do
		skip "af_alg_restrict $c" "$why"
	done
fi
echo -1 >$P/group

check "SO_SNDBUF bounds the socket's buffers (ENOBUFS)" $T memlimit $alg

t0=$(ms_now)
check "aio: 16 op sockets, one io_submit, $rounds rounds checked" tmo 600 $T aio $alg 16 $rounds
check "aio: op sockets closed with their reads in flight" tmo 600 $T aio-close $alg 16 50
note "$(($(ms_now) - t0)) ms"

# a process killed with 16 reads in flight, several times
killed=0
for i in 1 2 3 4 5; do
	$T aio $alg 16 1000000 2>/dev/null &
	pid=$!
	sleep 1
	kill -9 $pid && killed=$((killed + 1))
	wait $pid 2>/dev/null
done
[ $killed = 5 ] && ok "process killed mid-aio (5 times)" || not_ok "process killed mid-aio ($killed of 5)"

# aio output into a MAP_SHARED mapping of a file on ext4 (a RAM disk), written back by another
# process while the read is in flight: the device is slowed (decompress 800 ms) so that the
# writeback lands while the pages are pinned; after msync and drop_caches the file must hold
# the output (it is lost when the socket unpins the pages without dirtying them)
lat0=$(qom_get decomp-base-ns)
case $lat0 in ""|*[!0-9]*) lat0=200 ;; esac
tmo0=$(cat /sys/module/iaa_crypto/parameters/timeout_ms)
mnt=/mnt/afalg
if modprobe brd rd_nr=1 rd_size=16384 2>/dev/null && mke2fs -q -b 4096 /dev/ram0 >/dev/null 2>&1 &&
	mkdir -p $mnt && mount -t ext4 /dev/ram0 $mnt; then
	echo 10000 >/sys/module/iaa_crypto/parameters/timeout_ms
	# the read must be on the device when the writeback comes: every wq in service first (on
	# a loaded host an earlier request may have timed out and taken its wq out of service,
	# and the read would then be done in software before the writeback)
	for _w in $(crypto_wqs); do
		[ "$(cat /sys/bus/dsa/devices/$_w/crypto_state)" = in_service ] ||
			{ crypto_unbind_all && crypto_rebind_all; break; }
	done
	sd0=$(st total_sw_decomp_calls)
	hmp "qom-set /machine/peripheral/iaa0 decomp-base-ns 800000000" >/dev/null
	check "aio output into a shared mapping of an ext4 file survives writeback and drop_caches" \
		tmo 120 $T aio-mmap $alg $mnt/out 200
	[ "$(st total_sw_decomp_calls)" = "$sd0" ] ||
		note "the shared-mapping read was done in software: the writeback came after it"
	hmp "qom-set /machine/peripheral/iaa0 decomp-base-ns ${lat0:-200}" >/dev/null
	echo "$tmo0" >/sys/module/iaa_crypto/parameters/timeout_ms
	umount $mnt
	rmmod brd
else
	not_ok "aio output into a shared mapping: no ext4 on /dev/ram0"
fi

# 128 KiB requests with every wq unbound: software, on the preemptible path (AF_ALG's requests
# may sleep). What runs there calls might_sleep(), so the debug kernel flags a caller that
# cannot sleep; here the requests must round-trip and be counted as software.
sc0=$(st total_sw_comp_calls) sd0=$(st total_sw_decomp_calls)
echo 131072 >$P/max_request_bytes
if crypto_unbind_all; then
	tmo 300 $T sizes $alg 131072 131071 100000 65537 2>/tmp/afalg.sw
	rc=$?
	crypto_rebind_all
else
	rc=1
fi
echo 65536 >$P/max_request_bytes
dsc=$(($(st total_sw_comp_calls) - sc0)) dsd=$(($(st total_sw_decomp_calls) - sd0))
# 4 sizes x 4 kinds: a compress each (random data near 128 KiB may not fit) and decompresses
if [ $rc = 0 ] && [ $dsc -ge 16 ] && [ $dsd -ge 16 ]; then
	ok "128 KiB requests in software through the socket: $dsc compresses, $dsd decompresses"
else
	not_ok "128 KiB requests in software: exit $rc, $dsc compresses, $dsd decompresses"
	tail -n 10 /tmp/afalg.sw | sed 's/^/    # /'
fi

# every wq unbound and bound again under aio load: the reads complete, in software meanwhile
$T aio $alg 16 12s 2>/tmp/afalg.aio &
pid=$!
sleep 1
cycles=0
while kill -0 $pid 2>/dev/null && [ $cycles -lt 4 ]; do
	crypto_unbind_all && sleep 1 && crypto_rebind_all && sleep 1 || break
	cycles=$((cycles + 1))
done
if wait $pid && [ $cycles = 4 ]; then
	ok "wqs unbound under aio load ($cycles cycles): every result right"
else
	not_ok "wqs unbound under aio load ($cycles cycles): every result right"
	tail -n 10 /tmp/afalg.aio | sed 's/^/    # /'
fi
[ -n "$(crypto_wqs)" ] || crypto_rebind_all

# Nothing left. A bound socket holds algif_acomp until its last op socket's sock is freed (an
# aio read holds that sock until it completes), and each tfm holds iaa_crypto: both refcounts
# back and an rmmod that works mean every sock and tfm went. Pinned pages and bounce buffers:
# free memory and unreclaimable slab back within 2 MiB (a leak per request would be far more;
# the per-CPU lists' pages are counted as x86_64's, 4 KiB).
sleep 1
ref=$(cat /sys/module/algif_acomp/refcnt)
if [ "$ref" = 0 ] && rmmod algif_acomp &&
	[ "$(cat /sys/module/iaa_crypto/refcnt)" = "$iaa_ref0" ]; then
	ok "no sock or tfm left: algif_acomp refcount 0 and it unloads, iaa_crypto refcount $iaa_ref0"
else
	not_ok "no sock or tfm left: algif_acomp refcount $ref, iaa_crypto refcount $(cat /sys/module/iaa_crypto/refcnt) (was $iaa_ref0)"
fi
set -- $(memsnap)
slab1=$1 free1=$2
dslab=$((slab1 - slab0)) dfree=$((free0 - free1))
msg="unreclaimable slab $slab0 -> $slab1 KiB, free memory (per-CPU lists included) $free0 -> $free1 KiB"
[ $dslab -lt 2048 ] && [ $dfree -lt 2048 ] && ok "no memory left: $msg" || not_ok "no memory left: $msg"

dmesg_clean && ok "kernel log clean" || not_ok "kernel log clean"
finish
