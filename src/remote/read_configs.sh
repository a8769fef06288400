# Why: references, drift and discovery read a service's config files on its host. For each
# path or glob in "$@", one line per file or pattern: a word, then the name and the content in
# hex (`od`), so that no byte of a file or of its name can end a record or begin another (a file
# holding a newline and `FILE ...` is data, nothing more). `od` is POSIX, on every host. At most
# `$limit` bytes of each file (set by the line put before it). Lines:
# `FILE MTIME NAME CONTENT`, `UNREADABLE WHY NAME`, `MISSING PATTERN`.
# shellcheck disable=SC2154 # $limit is set by the line put before it
IFS=
hex() { od -An -v -tx1 | tr -d ' \n'; }
for p in "$@"; do
  found=
  # shellcheck disable=SC2086 # globbed on purpose (IFS is empty: no word splitting)
  for f in $p; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    found=1
    if [ -f "$f" ] && [ -r "$f" ]; then
      m=$(stat -c %Y -- "$f" 2>/dev/null) || m=0
      printf 'FILE %s ' "${m:-0}"
      printf '%s' "$f" | hex
      printf ' '
      head -c "$limit" -- "$f" | hex
      printf '\n'
    else
      if ! [ -e "$f" ]; then why=dangling
      elif [ -d "$f" ]; then why=directory
      elif ! [ -f "$f" ]; then why=special
      else why=denied; fi
      printf 'UNREADABLE %s ' "$why"
      printf '%s' "$f" | hex
      printf '\n'
    fi
  done
  if [ -z "$found" ]; then
    printf 'MISSING '
    printf '%s' "$p" | hex
    printf '\n'
  fi
done
