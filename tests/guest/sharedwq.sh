# sharedwq: the driver takes dedicated wqs only. A wq configured as shared (mode "shared", with
# a name, driver_name crypto, a threshold) is refused with -EOPNOTSUPP and a warning naming the
# reason, before idxd is asked to enable it, and stays disabled and unbound; a wq that idxd
# reset on its unbind (shared and unnamed: not configured at all) is refused without a warning;
# the same wq configured as dedicated binds again and works. The virtual device has no shared
# mode (no ENQCMD, no PASID), and 6.12's idxd would refuse a kernel shared wq without a PASID
# anyway (quietly, -ENXIO), so the refusal is all that can be tested here.
. /tests/lib.sh
plan 7
DRV=/sys/bus/dsa/drivers/crypto
W=wq0.0
D=/sys/bus/dsa/devices/$W
REASON='mode is "shared", driver "crypto" needs "dedicated": not binding'

[ -d $DRV ] || load_driver ours >/dev/null 2>&1
if ! [ -e $DRV/$W ]; then
	for i in 1 2 3 4 5 6 7; do not_ok "$W is not bound to the crypto driver to start with"; done
	finish
fi
dmesg_mark

# bind WQ: the write's error message, empty on success
bind() { tmo 60 sh -c "echo $1 >$DRV/bind" 2>&1; }
# log_from N: the kernel log from line N on
log_from() { dmesg | tail -n +$(($1 + 1)); }

tmo 60 sh -c "echo $W >$DRV/unbind"
# what idxd left: mode shared, no name
l0=$(dmesg | wc -l)
out=$(bind $W)
if [ -n "$out" ] && [ ! -e $DRV/$W ] && ! log_from $l0 | grep -q "$W: $REASON"; then
	ok "a wq idxd reset on unbind (mode $(cat $D/mode), name '$(cat $D/name)') is refused quietly"
else
	not_ok "a wq idxd reset on unbind (mode $(cat $D/mode), name '$(cat $D/name)') is refused quietly: '$out'"
fi

# configured as shared, everything else as for a dedicated wq
echo shared >$D/mode && echo kernel >$D/type && echo iaa_crypto >$D/name &&
	echo crypto >$D/driver_name && echo 0 >$D/group_id && echo "$(cat $D/size)" >$D/threshold
[ "$(cat $D/mode)" = shared ] && [ "$(cat $D/name)" = iaa_crypto ] &&
	ok "$W configured: mode shared, threshold $(cat $D/threshold), driver_name $(cat $D/driver_name)" ||
	not_ok "$W configured: mode $(cat $D/mode), name $(cat $D/name)"
l0=$(dmesg | wc -l)
out=$(bind $W)
case $out in
*"not supported"*) ok "binding it fails: $out" ;;
*) not_ok "binding it fails with EOPNOTSUPP: '$out'" ;;
esac
msg=$(log_from $l0 | grep "$W: mode is \"shared\"")
note "log: $msg"
echo "$msg" | grep -q "$W: $REASON" && ok "the kernel log names the wq and the reason" ||
	not_ok "the kernel log names the wq and the reason: $(log_from $l0 | tail -n 3 | tr '\n' ' ')"
[ ! -e $DRV/$W ] && [ "$(cat $D/state)" = disabled ] &&
	ok "$W not bound, state disabled" || not_ok "$W bound or enabled: state $(cat $D/state)"

# dedicated again: binds and works
if wq_config $W && tmo 60 sh -c "echo $W >$DRV/bind" && [ -e $DRV/$W ] &&
	grep -q "iax0/$W" /sys/kernel/debug/iaa-crypto/wq_table &&
	tmo 300 insmod $MODDIR/updates/iaa_test.ko alg=deflate-iaa suite=roundtrip quick=1 &&
	res=$(cat /sys/kernel/debug/iaa_test/results) && rmmod iaa_test &&
	echo "$res" | grep -q '^# done' && ! echo "$res" | grep -q '^not ok'; then
	ok "configured dedicated, $W binds again, is in the wq table, and round trips work"
else
	not_ok "configured dedicated, $W binds again, is in the wq table, and round trips work"
	rmmod iaa_test 2>/dev/null
fi
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
