#!/usr/bin/env bash
# Builds a book's EPUB and runs DAISY Ace (the EPUB accessibility checker, pinned in
# tests/ace/package.json) on it; fails on any violation, whatever its impact, and
# prints each one's rule, impact, file and location.
#   ace.sh FOLIO BOOK_DIR OUT_DIR        build BOOK_DIR's EPUB into OUT_DIR and check it
#   ace.sh --epub EPUB OUT_DIR           check an EPUB that is already built
#   ace.sh --from FOLIO SOURCES OUT_DIR [OPTION...]
#                                        make a book of a collection as it is (a Hugo or
#                                        Jekyll site, an mdBook, a WordPress export) with
#                                        'folio new --from SOURCES OPTION...', and check it
# Ace drives a headless browser through puppeteer: Debian's Chromium (make deps), never
# one that puppeteer downloads.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ace=$here/../ace/node_modules/@daisy/ace-cli/bin/ace.js
if [ "$1" = --epub ]; then
  epub=$2 out=$3
  rm -rf "$out" && mkdir -p "$out"
elif [ "$1" = --from ]; then
  folio=$2 sources=$3 out=$4
  shift 4
  rm -rf "$out" && mkdir -p "$out"
  "$folio" new "$out/book" --from "$sources" "$@" >/dev/null
  "$folio" build "$out/book" -o "$out" --format epub --quiet
  epub="$out/book.epub"
else
  folio=$1 book=$2 out=$3
  rm -rf "$out" && mkdir -p "$out"
  "$folio" build "$book" -o "$out" --format epub --quiet
  epub="$out/$(basename "$book").epub"
fi
[ -f "$ace" ] || { echo "Ace is not installed: run 'make ace' (npm ci in tests/ace)" >&2; exit 1; }
export PUPPETEER_EXECUTABLE_PATH=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}
[ -x "$PUPPETEER_EXECUTABLE_PATH" ] || { echo "no browser at $PUPPETEER_EXECUTABLE_PATH: run 'make deps'" >&2; exit 1; }
export PUPPETEER_SKIP_DOWNLOAD=1
# Ace exits 0 whether or not it finds violations (it fails only when it cannot check):
# the verdict is read from its JSON report. When it cannot check, it is run once
# more: its headless browser now and then loses the page it opened when the machine
# is busy ("Error: Navigating frame was detached"), which says nothing of the book.
if ! node "$ace" --outdir "$out/ace" --silent --force "$epub"; then
  echo "Ace could not check $epub; once more" >&2
  node "$ace" --outdir "$out/ace" --silent --force "$epub"
fi
node - "$out/ace/report.json" <<'EOF'
const report = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const violations = [];
for (const doc of report.assertions || [])
  for (const a of doc.assertions || []) {
    if (a['earl:result']['earl:outcome'] !== 'fail') continue;
    const result = a['earl:result'];
    const where = [result['earl:pointer'] && result['earl:pointer'].css, result.html]
      .flat().filter(Boolean).join(' ').replace(/\s+/g, ' ').slice(0, 200);
    violations.push(`${a['earl:test']['dct:title']} [${a['earl:test']['earl:impact']}] ` +
                    `${doc['earl:testSubject'].url}: ${where}\n` +
                    result['dct:description'].trim().split('\n').map(l => '      ' + l).join('\n'));
  }
console.log(`Ace: ${violations.length} violation(s), outcome ${report['earl:result']['earl:outcome']}`);
for (const v of violations) console.log('  ' + v);
if (violations.length > 0 || report['earl:result']['earl:outcome'] !== 'pass') process.exit(1);
EOF
