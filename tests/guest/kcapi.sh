# kcapi: libkcapi with our compression API (tools/libkcapi, built by tools/libkcapi/build) on
# deflate-iaa: the API's errno values, single calls, batches at depth 1, 4 and 16, four
# processes batching at once (tests/progs/kcapi_acomp.c, zlib checking every result); then
# libkcapi's own test suite (its test/ directory, installed under /opt/libkcapi) against the
# kernel's software algorithms, each script one case: it passes when every test it reports
# FAILED also fails with unpatched libkcapi on this kernel's line (tests/guest/kcapi-baseline-
# LINE.txt, LINE the running kernel's major.minor, what kcapi.lib=stock measured on it), so that
# what fails is this kernel's, not our patch's. A line without a baseline fails the suite.
#
# Kernel command line knobs: kcapi.n=N (buffers per batch run, default 300),
# kcapi.suite=LIST (libkcapi's scripts to run, default all six; none: none of them),
# kcapi.lib=stock: only the suite, with unpatched libkcapi (tools/libkcapi/build --stock, under
# /opt/libkcapi-stock); each script passes when it ran, and its FAILED tests are printed as
# "# baseline SCRIPT: TEST", the lines of kcapi-baseline-LINE.txt (tools/libkcapi/baseline RUN).
. /tests/lib.sh

arg() { karg kcapi "$1"; }
n=$(arg n)
n=${n:-300}
suite=$(arg suite)
suite=${suite:-test.sh kcapi-enc-test.sh kcapi-dgst-test.sh hasher-test.sh kcapi-enc-test-large.sh kcapi-convenience.sh}
alg=deflate-iaa
K=/opt/libkcapi
lib=$(arg lib)
[ "$lib" = stock ] && K=/opt/libkcapi-stock
[ "$suite" = none ] && suite=
# the kernel's line (major.minor): which baseline applies
line=$(uname -r | cut -d. -f1,2)
nsuite=0
for s in $suite; do nsuite=$((nsuite + 1)); done
if [ "$lib" = stock ]; then
	plan $((2 + nsuite))
else
	plan $((8 + nsuite))
fi

[ -d /sys/bus/dsa/drivers/crypto ] || load_driver ours >/dev/null 2>&1
# AF_ALG's types, and crypto_user for libkcapi's algorithm queries (nothing autoloads here)
for m in af_alg algif_hash algif_skcipher algif_aead algif_rng crypto_user; do
	modprobe $m 2>/dev/null
done
dmesg_mark

if [ "$lib" = stock ]; then
	if [ ! -x $K/bin/kcapi-enc ]; then
		not_ok "unpatched libkcapi in the image (tools/libkcapi/build --stock)"
		finish
	fi
	ok "unpatched libkcapi $(ls $K/lib/libkcapi.so.1.* | sed 's/.*\.so\.//') in the image"
	note "kernel $(uname -r), line $line"
	export LD_LIBRARY_PATH=$K/lib
else
if [ ! -x $K/bin/kcapi-comp ] || [ ! -x /bin/kcapi_acomp ]; then
	not_ok "libkcapi in the image (tools/libkcapi/build, make progs)"
	finish
fi
ok "libkcapi $(ls /lib/x86_64-linux-gnu/libkcapi.so.1.* | sed 's/.*\.so\.//') in the image"

t0=$(ms_now)
check "API errno values" tmo 120 kcapi_acomp errors $alg
check "single calls: $n round trips" tmo 600 kcapi_acomp single $alg $n 1
for d in 1 4 16; do
	check "batch at depth $d: $n buffers each way" tmo 600 kcapi_acomp batch $alg $d $n $d
done
note "$(($(ms_now) - t0)) ms"

# four processes at once, each batching at depth 16
t0=$(ms_now)
pids=
for i in 1 2 3 4; do
	kcapi_acomp batch $alg 16 $n $((10 + i)) 2>/tmp/kcapi.$i &
	pids="$pids $!"
done
bad=0
for p in $pids; do wait $p || bad=$((bad + 1)); done
[ $bad = 0 ] && ok "four processes at once, depth 16" ||
	{ not_ok "four processes at once, depth 16: $bad failed"; cat /tmp/kcapi.* | head -n 10 | sed 's/^/    # /'; }
note "$(($(ms_now) - t0)) ms"
fi

# libkcapi's own suite, installed mode (its apps found in PATH), software algorithms. A test's
# name: its FAILED line without the colours and the "[FAILED: ...]" tag. Its asymmetric-cipher
# and KPP cases need the AF_ALG akcipher and kpp types, kernel patches libkcapi ships and
# mainline never merged (libkcapi gates them on "kernel >= 5.99"): they fail with unpatched
# libkcapi too, and so are in the baseline.
BASE=/tests/kcapi-baseline-$line.txt
esc=$(printf '\033')
failed_names() {
	printf '%s\n' "$1" | grep 'FAILED' | sed "s/$esc\[[0-9;]*m//g; s/^.*\[FAILED[^]]*\] *//" | sort -u
}
# A script that does not end in its time counts as the failed test "(timed out)": 40 minutes
# (test.sh took 1,146 s on 7.3, unpatched, with the host's two cores shared by other VMs).
# kcapi-enc-test-large.sh (100 cbc(aes) stream updates of 6,182 bytes, not a multiple of the
# block) ran past 20 minutes here with unpatched libkcapi too, so it gets 2 minutes.
cd /tmp
for s in $suite; do
	if [ "$lib" != stock ] && [ ! -f $BASE ]; then
		not_ok "libkcapi's $s: no baseline for line $line (tests/guest/kcapi-baseline-$line.txt)"
		continue
	fi
	t0=$(ms_now)
	lim=2400
	[ $s = kcapi-enc-test-large.sh ] && lim=120
	# its own session, so that a timeout kills every process of it (a child left blocked
	# would keep the output open, and a $(...) waiting for it)
	PATH=$K/bin:$K/libkcapi:$PATH KCAPI_TEST_LOCAL=0 setsid bash $K/libkcapi/$s >/tmp/kcapi.out 2>&1 &
	pid=$!
	waited=0
	while kill -0 $pid 2>/dev/null && [ $waited -lt $lim ]; do
		sleep 1
		waited=$((waited + 1))
	done
	if kill -0 $pid 2>/dev/null; then
		kill -9 -$pid 2>/dev/null || kill -9 $pid
		wait $pid 2>/dev/null
		rc=124
	else
		wait $pid
		rc=$?
	fi
	out=$(cat /tmp/kcapi.out)
	{
		failed_names "$out"
		[ $rc != 124 ] || echo "(timed out)"
	} >/tmp/kcapi.failed
	nfail=$(wc -l </tmp/kcapi.failed)
	if [ "$lib" = stock ]; then
		sed "s/^/    # baseline $s: /" /tmp/kcapi.failed
		ok "unpatched libkcapi's $s ran (exit $rc, $nfail failed)"
	else
		sed -n "s/^$s: //p" $BASE | sort -u >/tmp/kcapi.base
		new=$(comm -23 /tmp/kcapi.failed /tmp/kcapi.base)
		fixed=$(comm -13 /tmp/kcapi.failed /tmp/kcapi.base | wc -l)
		if [ -z "$new" ] && { [ $rc = 0 ] || [ $nfail -gt 0 ]; }; then
			ok "libkcapi's $s: every test passed but the $nfail that fail unpatched too"
		else
			not_ok "libkcapi's $s (exit $rc): failed beyond the baseline:"
			printf '%s\n' "$new" | head -n 20 | sed 's/^/    #   /'
		fi
		[ $fixed = 0 ] || note "$s: $fixed test(s) of the baseline passed this time"
	fi
	note "$s: $(printf '%s\n' "$out" | grep -c PASSED) passed, $nfail failed, $(printf '%s\n' "$out" | grep -c DEACTIVATED) deactivated, $(($(ms_now) - t0)) ms"
done
dmesg_clean && ok "kernel log clean" || not_ok "kernel log clean"
finish
