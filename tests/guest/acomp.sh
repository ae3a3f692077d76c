# acomp: the iaa_test module (tests/module/iaa_test.c) against deflate-iaa in every sync_mode
# with verify_compress 0 and 1; each KTAP case the module prints becomes a case here, named
# "MODE.vV SUITE.CASE". Without a driver (iaa.driver=none) it runs once against
# deflate-scomp (crypto/deflate.c), which checks the tests themselves.
#
# Kernel command line knobs (tools/vm/run --append ...), for runs by hand:
#   acomp.suites=LIST  module suites (default all)    acomp.modes=LIST  sync_modes to run
#   acomp.verify=LIST  verify_compress values (0 1)   acomp.quick=1     the module's quick run
#   acomp.full=MODE    the mode that gets the full run; the others get quick=1 (default: all
#                      full)
#   acomp.alg=NAME     the algorithm of a driver run (default deflate-iaa)
#
# On deflate-iaa-dynamic with our driver, a last case checks where its blocks were written in
# one pass: on each IAA 2.0 device that compressed, never on an IAA 1.0 one (one_pass_check).
. /tests/lib.sh

arg() { karg acomp "$1"; }
driver=$(sed -n 's/.*\<iaa\.driver=\([^ ]*\).*/\1/p' /proc/cmdline)
suites=$(arg suites)
suites=${suites:-all}
modes=$(arg modes)
verifies=$(arg verify)
quick=$(arg quick)
full=$(arg full)
ko=$MODDIR/updates/iaa_test.ko
drv=/sys/bus/dsa/drivers/crypto

case $driver in
ours | upstream)
	alg=$(arg alg)
	alg=${alg:-deflate-iaa}
	modes=${modes:-sync async async_irq}
	verifies=${verifies:-0 1}
	;;
*)
	alg=deflate-scomp
	driver=generic
	modes=none
	verifies=-
	;;
esac

# lines TAG: the output of the loaded iaa_test run tagged TAG: its debugfs copy (a driver that
# floods the kernel log cannot push it out), else the kernel log
R=/sys/kernel/debug/iaa_test/results
lines() {
	if grep -q '^# done' $R 2>/dev/null; then
		cat $R
	else
		dmesg | sed -n "s/^\\[[^]]*\\] $1: //p"
	fi
}

# deflate-scomp (crypto/deflate.ko): the software reference; the guest loads nothing on its own
modprobe deflate 2>/dev/null

# The number of cases one run prints (the module lists them without running anything).
[ -f "$ko" ] || { plan 1; not_ok "iaa_test.ko in the image"; finish; }
t=acl$$
insmod "$ko" list=1 "suite=$(echo $suites | tr ' ' ,)" tag=$t || {
	plan 1
	not_ok "iaa_test list run"
	finish
}
rmmod iaa_test
per=$(lines $t | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
nconf=0
for m in $modes; do for v in $verifies; do nconf=$((nconf + 1)); done; done
onepass=0
[ "$driver" = ours ] && [ "$alg" = deflate-iaa-dynamic ] &&
	[ -r /sys/kernel/debug/iaa-crypto/wq_stats ] && onepass=1
plan $(((per + 1) * nconf + 1 + onepass))
note "driver $driver, alg $alg, $per cases per run, modes: $modes, verify_compress: $verifies"

dmesg_mark
[ $onepass = 1 ] && p0=$(one_pass_snap)
# report CONF TAG RC: translate the run's KTAP into cases named "CONF CASE"
report() {
	_seen=0
	_done=0
	lines "$2" >/tmp/acomp.out
	while IFS= read -r l; do
		case $l in
		"ok "*" # SKIP "*)
			_seen=$((_seen + 1))
			_x=${l#ok * }
			skip "$1 ${_x%% # SKIP *}" "${_x#* # SKIP }"
			;;
		"ok "*)
			_seen=$((_seen + 1))
			_x=${l#ok * }
			ok "$1 $_x"
			;;
		"not ok "*)
			_seen=$((_seen + 1))
			_x=${l#not ok * }
			not_ok "$1 $_x"
			;;
		"# done") _done=1 ;;
		"# "*) note "$1 ${l#\# }" ;;
		esac
	done </tmp/acomp.out
	[ "$_done" = 1 ] || note "$1: the run did not finish (insmod exit $3)"
	while [ "$_seen" -lt "$per" ]; do
		_seen=$((_seen + 1))
		not_ok "$1 case $_seen: no result (insmod exit $3)"
	done
}

# configure MODE VERIFY: ours takes both at any time (a transform reads them when allocated);
# Debian's only with no wq bound, and it cannot register its algorithm again after its last wq
# went away: reload it, set both, bind the wqs again.
wqs=$(crypto_wqs)
configure() {
	if [ "$driver" = upstream ]; then
		unload_driver && load_driver upstream || return 1
		echo "$1" >$drv/sync_mode && echo "$2" >$drv/verify_compress || return 1
		for _w in $wqs; do
			wq_config "$_w" && echo "$_w" >$drv/bind || return 1
		done
	else
		echo "$1" >$drv/sync_mode && echo "$2" >$drv/verify_compress || return 1
	fi
	# (Debian's shows async as sync: its async mode is polled)
	{ [ "$(cat $drv/sync_mode)" = "$1" ] || [ "$driver" = upstream ]; } &&
		[ "$(cat $drv/verify_compress)" = "$2" ] && [ "$(echo $(crypto_wqs))" = "$(echo $wqs)" ]
}

i=0
for m in $modes; do
	for v in $verifies; do
		i=$((i + 1))
		conf=$m.v$v
		[ "$m" = none ] && conf=$alg
		if [ "$m" = none ] || configure "$m" "$v"; then
			ok "$conf: configured"
		else
			not_ok "$conf: configured (sync_mode $(cat $drv/sync_mode)," \
				"verify_compress $(cat $drv/verify_compress), wqs $(echo $(crypto_wqs)))"
		fi
		q=${quick:-0}
		[ -n "$full" ] && [ "$m" != "$full" ] && q=1
		t=ac$$_$i
		tmo 1500 insmod "$ko" "alg=$alg" "suite=$(echo $suites | tr ' ' ,)" "quick=$q" \
			"profile=$([ $driver = generic ] && echo auto || echo $driver)" \
			"seed=$i" "tag=$t"
		rc=$?
		report "$conf" "$t" "$rc"
		rmmod iaa_test 2>/dev/null || note "$conf: iaa_test could not be removed"
	done
done
[ "$driver" != generic ] && configure sync 1
if [ $onepass = 1 ]; then
	msg=$(one_pass_check "$p0" "$(one_pass_snap)") &&
		ok "one-pass blocks on IAA 2.0 only: $msg" ||
		not_ok "one-pass blocks on IAA 2.0 only: $msg"
fi
dmesg_clean && ok "no warnings in the kernel log" || not_ok "no warnings in the kernel log"
finish
