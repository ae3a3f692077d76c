# Harness self-test: the guest never finishes. The host checks that its timeout fires.
. /tests/lib.sh
plan 1
while :; do sleep 1; done
