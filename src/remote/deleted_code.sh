# shellcheck disable=SC2016,SC2034 # awk's `$2`, not the shell's; read by locate_process.sh
# Why: a process running code that is gone from disk (an upgraded library, a replaced binary)
# still runs the old code: a restart is what proves the new one. This defines `$deleted_code`,
# the awk program that lists the mapped files of a `/proc/PID/maps` that are code and deleted:
# executable mappings only, so shared memory (`/dev/zero (deleted)`, `/SYSV…`, `memfd:`), data
# that only looks deleted, never counts.
deleted_code='$2 ~ /x/ && / \(deleted\)$/ && $6 ~ /^\// && $6 !~ /^\/(dev\/|memfd:|SYSV)/ {print "DELETED " $6}'
