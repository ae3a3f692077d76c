# pkg-status: the requests of the test before it (zswap) spread over every wq of the devices
# they went to; iaa-crypto status (the packaged command) against sysfs, before and after a wq
# is taken out of service by an injected fault, with debugfs unmounted while it runs:
#   - one compress whose descriptor never completes (the device model's "never" rule on
#     every device, timeout_ms 300 through a configuration given with -c): ETIMEDOUT, and
#     exactly one wq out of service (crypto_state timed_out);
#   - status exits 1 and says so; for every wq its line matches sysfs (bound, in service or
#     out of service with the reason, mode, size, priority and group) and its counters
#     line is crypto_stats/ to the digit; every global counter it prints is the driver's
#     stats/ file; the timeout shows among the errors; the summary counts the wq out of
#     service;
#   - iaa-crypto apply puts it back in service, and status exits 0 again.
. /tests/lib.sh
DRV=/sys/bus/dsa/drivers/crypto
DSA=/sys/bus/dsa/devices
S=$DRV/stats
plan 10

if [ ! -d $S ] || ! insmod $MODDIR/updates/iaa_stress.ko 2>/dev/null; then
	not_ok "setup: the driver's stats/ and iaa_stress"
	finish
fi
# what ran before (zswap, in suite "packages") went to every wq of the devices it used: a CPU
# takes its device's wqs in turn
used= idle=
for d in $(iaa_devices); do
	u= i=
	for w in $(crypto_wqs); do
		case $w in "wq${d#iax}".*) ;; *) continue ;; esac
		[ "$(cat $DSA/$w/crypto_stats/comp_calls)" -gt 0 ] && u="$u $w" || i="$i $w"
	done
	[ -n "$u" ] && used="$used$u" && idle="$idle$i"
done
if [ -z "$used" ]; then
	skip "requests spread over every wq of a device" "no requests since the wqs were bound"
else
	note "wqs with requests:$used; without:${idle:- none}"
	[ -z "$idle" ] && ok "requests spread over every wq of the devices used ($used )" ||
		not_ok "requests spread over every wq of the devices used: none on$idle"
fi
echo 0 >/sys/module/zswap/parameters/enabled
# the packaged configuration with the fault's timeout, applied as an operator would
sed '/^[[:space:]]*timeout_ms[[:space:]]*=/d' /etc/iaa-crypto.conf >/tmp/fault.conf
echo "timeout_ms = 300" >>/tmp/fault.conf
out=$(tmo 300 iaa-crypto apply -c /tmp/fault.conf 2>&1) &&
	[ "$(cat /sys/module/iaa_crypto/parameters/timeout_ms)" = 300 ] &&
	stress tfm t >/dev/null && ok "setup: iaa-crypto apply -c with timeout_ms 300, a transform" ||
	{ not_ok "setup: iaa-crypto apply -c with timeout_ms 300, a transform"; printf '%s\n' "$out" | sed 's/^/    # /'; }

# status_vs_sysfs OUT: every wq and counter line of a status output against sysfs; prints
# what differs
status_vs_sysfs() {
	for _d in $(iaa_devices); do
		printf '%s\n' "$1" | grep -q "^$_d: $(cat $DSA/$_d/state), " || echo "$_d: line"
		for _w in $(ls -d $DSA/$_d/wq* | sed 's|.*/||'); do
			[ -e $DRV/$_w ] || continue
			_q=$DSA/$_w
			_l=$(printf '%s\n' "$1" | grep "^  $_w: ")
			case $(cat $_q/crypto_state) in
			in_service) _s="bound, in service;" ;;
			*) _s="bound, out of service: $(cat $_q/crypto_state) (" ;;
			esac
			case $_l in "  $_w: $_s"*) ;; *) echo "$_w: state '$_l' for $(cat $_q/crypto_state)" ;; esac
			case $_l in
			*"; $(cat $_q/mode), size $(cat $_q/size), priority $(cat $_q/priority), group $(cat $_q/group_id)") ;;
			*) echo "$_w: attributes '$_l'" ;;
			esac
			_c=
			for _f in $_q/crypto_stats/*; do _c="$_c ${_f##*/} $(cat $_f)"; done
			printf '%s\n' "$1" | grep -A1 "^  $_w: " | tail -n 1 | grep -qx "    ${_c# }" ||
				echo "$_w: counters '$(printf '%s\n' "$1" | grep -A1 "^  $_w: " | tail -n 1)', sysfs '${_c# }'"
		done
	done
	for _f in $S/*; do
		printf '%s\n' "$1" | grep -qx "  ${_f##*/} $(cat $_f)" || echo "${_f##*/}: $(cat $_f) in sysfs"
	done
}

# status without debugfs: unmounted while it runs
status_nodebugfs() {
	umount /sys/kernel/debug
	iaa-crypto status >/tmp/status.out 2>&1
	echo $? >/tmp/status.rc
	mount -t debugfs debugfs /sys/kernel/debug
}

out0=$(iaa-crypto status 2>&1)
d=$(status_vs_sysfs "$out0")
[ -z "$d" ] && ok "before the fault: status matches sysfs" ||
	{ not_ok "before the fault: status matches sysfs"; printf '%s\n' "$d" "$out0" | sed 's/^/    # /'; }

t0=$(cat $S/total_completion_timeout_errors)
# the rule on every device (QEMU's iaaN is iaxN): the request goes to its CPU's device
n=$(iaa_devices | wc -l)
for i in $(seq 0 $((n - 1))); do
	hmp "qom-set /machine/peripheral/iaa$i inject op=compress,never,count=1" >/dev/null
done
r=$(stress one t comp 4096 1)
for i in $(seq 0 $((n - 1))); do hmp "qom-set /machine/peripheral/iaa$i inject clear" >/dev/null; done
oos=
for w in $(crypto_wqs); do
	[ "$(cat $DSA/$w/crypto_state)" = in_service ] || oos="$oos $w:$(cat $DSA/$w/crypto_state)"
done
note "request: $r; out of service:$oos"
[ "$(kv err "$r")" = ETIMEDOUT ] && [ "$(echo $oos | wc -w)" = 1 ] && [ "${oos#*:}" = timed_out ] &&
	ok "a descriptor that never completes: ETIMEDOUT, one wq out of service (timed_out)" ||
	not_ok "a descriptor that never completes: ETIMEDOUT, one wq out of service (err $(kv err "$r"), out of service:$oos)"

status_nodebugfs
out=$(cat /tmp/status.out)
printf '%s\n' "$out" | sed 's/^/    # status: /'
[ "$(cat /tmp/status.rc)" = 1 ] && ok "status without debugfs: exit 1 with a wq out of service" ||
	not_ok "status without debugfs: exit $(cat /tmp/status.rc), want 1"
d=$(status_vs_sysfs "$out")
[ -z "$d" ] && ok "status matches sysfs: every wq's state, attributes and counters, every global counter" ||
	{ not_ok "status matches sysfs"; printf '%s\n' "$d" | sed 's/^/    # /'; }
w=${oos%%:*}
w=${w# }
printf '%s\n' "$out" | grep -q "^  $w: bound, out of service: timed_out (" &&
	printf '%s\n' "$out" | grep -q "^summary: .* 1 out of service$" &&
	[ $(($(cat $S/total_completion_timeout_errors) - t0)) = 1 ] &&
	printf '%s\n' "$out" | grep -q "^errors: [1-9][0-9]* device error(s) ([0-9]* einval, [1-9][0-9]* timeout, " &&
	ok "status names $w out of service (timed_out), the timeout among the errors, the summary" ||
	not_ok "status names $w out of service (timed_out), the timeout among the errors, the summary"

# back in service the way the status line says
stress free all >/dev/null
out=$(tmo 300 iaa-crypto apply -c /tmp/fault.conf 2>&1) ||
	{ note "apply: exit $?"; printf '%s\n' "$out" | sed 's/^/    # /'; }
oos=
for w in $(crypto_wqs); do
	[ "$(cat $DSA/$w/crypto_state)" = in_service ] || oos="$oos $w"
done
[ -n "$(crypto_wqs)" ] && [ -z "$oos" ] && ok "iaa-crypto apply: every wq back in service" ||
	not_ok "iaa-crypto apply: every wq back in service (out:$oos)"
stress tfm t >/dev/null
r=$(stress one t comp 4096 2)
out=$(iaa-crypto status 2>&1)
rc=$?
[ "$(kv err "$r")" = 0 ] && [ $rc = 0 ] && [ -z "$(status_vs_sysfs "$out")" ] &&
	ok "after: a compress succeeds, status exits 0 and matches sysfs" ||
	not_ok "after: compress err $(kv err "$r"), status exit $rc: $(status_vs_sysfs "$out" | tr '\n' ' ')"
stress free all >/dev/null
rmmod iaa_stress
finish
