#!/usr/bin/env bash
# Commit messages since the rule was adopted: a subject of at most 72 characters, a blank line after it, and a
# body wrapped at 72 columns (longer body lines are listed as warnings: a path or a command may need them).
set -euo pipefail
cd "$(dirname "$0")/.."
since=8aca942c44f84e827610c17f32b1d846a3f84c60   # the last commit before the rule
if ! git cat-file -e "$since" 2>/dev/null; then
  echo "check-commits: history before the rule is not here (shallow clone?); nothing to check"
  exit 0
fi
status=0
while read -r hash; do
  subject="$(git log -1 --format=%s "$hash")"
  if [ "${#subject}" -gt 72 ]; then
    echo "check-commits: ${hash:0:9} subject has ${#subject} characters (at most 72): $subject"
    status=1
  fi
  second="$(git log -1 --format=%B "$hash" | sed -n 2p)"
  if [ -n "$second" ]; then
    echo "check-commits: ${hash:0:9} needs a blank line after the subject"
    status=1
  fi
  long="$(git log -1 --format=%b "$hash" | awk 'length > 72 && !/^    /' | wc -l)"
  if [ "$long" -gt 0 ]; then
    echo "check-commits: warning: ${hash:0:9} has $long body line(s) over 72 characters"
  fi
done < <(git rev-list --no-merges "$since"..HEAD)
[ $status -eq 0 ] && echo "check-commits: $(git rev-list --no-merges --count "$since"..HEAD) commits since the rule, subjects within 72"
exit $status
