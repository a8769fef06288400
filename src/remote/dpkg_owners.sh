# Why: on Debian, the package that ships a program or a unit file tells the OS's plumbing from
# the services an operator runs. For each path in "$@": `PKG LIST:PATH` (the dpkg file list that
# names it), then each of those packages' priority: `PRIO PACKAGE PRIORITY`. Asked only for what
# was not told otherwise: it reads every package's file list. Read-only.
[ -d /var/lib/dpkg/info ] || exit 0
# shellcheck disable=SC2062 # the patterns come from stdin (-f -): the glob is the files searched
hits=$(printf '%s\n' "$@" | grep -sxF -f - /var/lib/dpkg/info/*.list)
[ -n "$hits" ] || exit 0
printf '%s\n' "$hits" | sed 's/^/PKG /'
# shellcheck disable=SC2016 # ${Package} is dpkg-query's field, not the shell's
printf '%s\n' "$hits" | sed -e 's|\.list:.*||' -e 's|.*/||' -e 's|:.*||' | sort -u | xargs -r dpkg-query -W -f='PRIO ${Package} ${Priority}\n' -- 2>/dev/null
exit 0
