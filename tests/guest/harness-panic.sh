# Harness self-test: the guest kernel panics. The host checks that the run says so.
. /tests/lib.sh
plan 1
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
not_ok "still alive after a crash"
finish
