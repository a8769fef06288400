# Why: a unit an init-script manager does not know cannot be restarted, and its script says
# where its daemon and pid file are. `$1` is the manager (sysv, openrc, bsdrc), `$2` the unit:
# `SCRIPT` and the script's text (at most 64 KiB), or `NOUNIT why`.
case "$1" in
  sysv|openrc)
    if [ -f "/etc/init.d/$2" ]; then echo SCRIPT; head -c 65536 "/etc/init.d/$2"
    else echo "NOUNIT there is no /etc/init.d/$2"; fi ;;
  bsdrc)
    if [ -x "/etc/rc.d/$2" ] || [ -x "/usr/local/etc/rc.d/$2" ]; then :
    else echo "NOUNIT there is no /etc/rc.d/$2 nor /usr/local/etc/rc.d/$2"; fi ;;
esac
exit 0
