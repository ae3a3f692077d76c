# accel-config on the virtual device: disable, reconfigure (sizes, priorities, several wqs per
# device), re-enable, and the new layout works (Debian's upstream iaa_crypto bound to it).
# Upstream's 6.12 driver cannot register again once its last wq went away (-EEXIST), so, as
# its documentation says, it is removed before the new layout and inserted after it.
. /tests/lib.sh
plan 6
load_driver upstream >/dev/null 2>&1
dev=$(iaa_devices | head -n 1)
id=${dev#iax}
p=/sys/bus/dsa/devices/$dev
dmesg_mark
accel-config disable-wq $dev/wq$id.0 && [ "$(cat $p/wq$id.0/state)" = disabled ] &&
	rmmod iaa_crypto && accel-config disable-device $dev && [ "$(cat $p/state)" = disabled ] &&
	ok "disable wq and device" || not_ok "disable wq and device"

# accel-config 3.5.3 has no option for driver_name: it is written to sysfs.
cfg() {
	accel-config config-wq --group-id=$2 --mode=dedicated --type=kernel --name=iaa_crypto \
		--wq-size=$3 --priority=$4 $dev/wq$id.$1 && echo crypto >$p/wq$id.$1/driver_name
}
# Disabling the device cleared its groups: every group with wqs needs an engine again.
cfg 0 0 64 5 && cfg 1 0 32 12 && cfg 2 1 16 1 &&
	accel-config config-engine --group-id=0 $dev/engine$id.0 &&
	accel-config config-engine --group-id=1 $dev/engine$id.1 &&
	ok "configure three wqs in two groups" || not_ok "configure three wqs in two groups"

# Inserting the crypto driver binds (and so enables) every wq configured for it.
wqs_enabled() {
	for w in 0 1 2; do
		[ "$(cat $p/wq$id.$w/state)" = enabled ] || { echo "wq$id.$w not enabled"; return 1; }
	done
}
if out=$(accel-config enable-device $dev 2>&1) && [ "$(cat $p/state)" = enabled ] &&
	out=$(load_driver upstream 2>&1) && out=$(wqs_enabled); then
	ok "enable device and wqs"
else
	not_ok "enable device and wqs"
	note "$out"
	dmesg_since | tail -n 5 | sed 's/^/    # /'
fi

got="$(cat $p/wq$id.0/size)/$(cat $p/wq$id.0/priority) $(cat $p/wq$id.1/size)/$(cat $p/wq$id.1/priority) $(cat $p/wq$id.2/size)/$(cat $p/wq$id.2/priority)"
[ "$got" = "64/5 32/12 16/1" ] && ok "sizes and priorities read back ($got)" || not_ok "sizes and priorities read back: $got"

bound=$(crypto_wqs | grep -c "^wq$id\.")
[ "$bound" -eq 3 ] && ok "three wqs bound to the crypto driver" || not_ok "three wqs bound: $bound"

o0=$(vmstat zswpout)
zswap_on deflate-iaa && out=$(pageout 300) && [ $(($(vmstat zswpout) - o0)) -ge 200 ] && dmesg_clean &&
	ok "deflate-iaa works on the new layout: $out, zswpout +$(($(vmstat zswpout) - o0))" ||
	not_ok "deflate-iaa works on the new layout: $out, zswpout +$(($(vmstat zswpout) - o0))"
zswap_off
finish
