# selftest: the driver registered deflate-iaa and the crypto manager's self-test of it (the
# testmgr deflate vectors, run when the algorithm is registered) passed.
. /tests/lib.sh
plan 5

# The driver the init loaded, or ours.
[ -d /sys/bus/dsa/drivers/crypto ] || load_driver ours >/dev/null 2>&1

# field DRIVER KEY: KEY of /proc/crypto's entry for DRIVER
field() {
	awk -v d="$1" -v k="$2" -v RS= -F '\n' '
		{
			drv = ""; val = ""
			for (i = 1; i <= NF; i++) {
				split($i, kv, / *: /)
				if (kv[1] == "driver") drv = kv[2]
				if (kv[1] == k) val = kv[2]
			}
			if (drv == d) { print val; exit }
		}' /proc/crypto
}

# The crypto manager tests a new algorithm after crypto_register_alg() has returned: until the
# test ends, /proc/crypto lists a test larval of the same driver name. A driver that does not
# wait for the test (Debian's upstream iaa_crypto) may be loaded before it ends; it gets up to
# 120 s for its test.
larvals() {
	awk -v RS= '/\ndriver *: deflate-iaa(\n|$)/ && /\ntype *: larval(\n|$)/ { n++ }
		END { print n + 0 }' /proc/crypto
}
w=0
while [ "$(larvals)" -gt 0 ] && [ $w -lt 120 ]; do
	sleep 1
	w=$((w + 1))
done
[ $w -eq 0 ] || note "waited ${w}s for the crypto manager's test of deflate-iaa"

n=$(grep -c '^driver *: deflate-iaa$' /proc/crypto)
[ "$n" -eq 1 ] && ok "/proc/crypto has one entry for driver deflate-iaa" ||
	not_ok "/proc/crypto has one entry for driver deflate-iaa ($n)"
got="$(field deflate-iaa name)/$(field deflate-iaa type)/$(field deflate-iaa module)"
[ "$got" = deflate/acomp/iaa_crypto ] && ok "name deflate, type acomp, module iaa_crypto" ||
	not_ok "name deflate, type acomp, module iaa_crypto: '$got'"
st=$(field deflate-iaa selftest)
[ "$st" = passed ] && ok "selftest : passed" || not_ok "selftest : passed ('$st')"
[ "$(field deflate-iaa internal)" = no ] && ok "not internal" ||
	not_ok "not internal ('$(field deflate-iaa internal)')"
note "priority $(field deflate-iaa priority), refcnt $(field deflate-iaa refcnt)"
# The manager reports a failed test as "alg: ... deflate-iaa ..." in the log.
if dmesg | grep -E 'alg: .*(deflate-iaa|deflate)' | grep -vi 'skip' >&2; then
	not_ok "no self-test failure in the kernel log"
else
	ok "no self-test failure in the kernel log"
fi
finish
