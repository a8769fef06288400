# Why: an init-script manager has no `systemctl show`: whether unit `$2` runs is its script's
# status (`STATUS CODE`) and whether it starts at boot (`ENABLED`) its runlevel links, asked the
# way manager `$1` (sysv, openrc, bsdrc) knows.
case "$1" in
  sysv) service "$2" status >/dev/null 2>&1; echo "STATUS $?"
    set -- /etc/rc2.d/S*"$2" /etc/rc3.d/S*"$2" /etc/rc4.d/S*"$2" /etc/rc5.d/S*"$2"
    for f in "$@"; do [ -e "$f" ] && { echo ENABLED; break; }; done ;;
  openrc) rc-service "$2" status >/dev/null 2>&1; echo "STATUS $?"
    for f in /etc/runlevels/*/"$2"; do [ -e "$f" ] && { echo ENABLED; break; }; done ;;
  bsdrc) service "$2" onestatus >/dev/null 2>&1; echo "STATUS $?"
    service "$2" enabled >/dev/null 2>&1 && echo ENABLED ;;
esac
exit 0
