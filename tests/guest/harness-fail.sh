# Harness self-test: a test that fails on purpose. The host checks that the run fails.
. /tests/lib.sh
plan 1
not_ok "deliberate failure"
finish
