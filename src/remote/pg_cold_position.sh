# Why: after a full outage the PostgreSQL member with the newest WAL must come up first, as the
# primary. Whether the member's data directory makes it a standby (`primary=no|yes`), and its
# control file's positions (`pg_controldata`, in English whatever the host's locale); or
# `unreadable=why`.
line=$(pg_lsclusters -h 2>/dev/null | awk 'NR == 1 { print $1, $6 }')
v=${line%% *}; d=${line#* }
if [ -z "$line" ]; then echo 'unreadable=no cluster in pg_lsclusters'; exit 0; fi
if [ -e "$d/standby.signal" ] || [ -e "$d/recovery.conf" ]; then echo primary=no; else echo primary=yes; fi
LC_ALL=C "/usr/lib/postgresql/$v/bin/pg_controldata" "$d" 2>/dev/null | grep -E '^(Database cluster state|Latest checkpoint location|Latest checkpoint.s TimeLineID|Minimum recovery ending location|Min recovery ending loc.s timeline):' || true
