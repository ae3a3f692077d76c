# tcg-smc: cross-modifying code under multi-threaded TCG. The kernel live-patches its own text
# when a static key changes (text_poke_bp: int3, sync, tail bytes, sync, first byte, sync). If
# QEMU keeps a translation of bytes that changed while it was translating them, a vCPU runs a
# stale int3 after the patch has finished and the guest dies ("Oops: int3"). The scheduler's
# schedstats key is tested on every context switch: flip it many times while every vCPU keeps
# switching, then check that each flip took and the kernel stayed quiet.
. /tests/lib.sh

KEY=/proc/sys/kernel/sched_schedstats
arg() { karg smc "$1"; }
flips=$(arg flips)
flips=${flips:-400}
plan 2

if [ ! -w $KEY ]; then
	skip "static key flipped $flips times under load" "no $KEY in this kernel"
	skip "no oops or warning" "nothing ran"
	finish
fi

dmesg_mark
cpus=$(grep -c ^processor /proc/cpuinfo)
# two switchers per vCPU: a pipe keeps both ends waking each other
pids=
i=0
while [ $i -lt "$cpus" ]; do
	(yes | cat >/dev/null) &
	pids="$pids $!"
	i=$((i + 1))
done

orig=$(cat $KEY)
n=0 bad=0
while [ $n -lt "$flips" ]; do
	v=$(((n + 1) % 2))
	echo $v >$KEY
	[ "$(cat $KEY)" = $v ] || bad=$((bad + 1))
	n=$((n + 1))
done
echo "$orig" >$KEY
# shellcheck disable=SC2086
kill $pids 2>/dev/null
pkill -x yes 2>/dev/null
wait 2>/dev/null

note "$flips flips of sched_schedstats with $cpus vCPUs switching; $bad flips not read back"
[ $bad -eq 0 ] && ok "static key flipped $flips times under load" ||
	not_ok "static key flipped $flips times under load ($bad not read back)"
if dmesg_since_unknown | grep -E 'Oops|BUG:|WARNING:|int3' >&2; then
	not_ok "no oops or warning"
else
	ok "no oops or warning"
fi
finish
