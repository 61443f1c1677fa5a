#!/usr/bin/env bash
# Shows that tests/validate/ace.sh can fail: builds a book's EPUB, takes the
# accessibility-mode metadata out of its package and the alt text off its pictures,
# and expects ace.sh to fail naming both rules.  Usage: ace_detects.sh FOLIO BOOK_DIR OUT_DIR
set -euo pipefail
folio=$1 book=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out/unzipped"
"$folio" build "$book" -o "$out" --format epub --quiet
name=$(basename "$book")
(cd "$out/unzipped" && unzip -q "../$name.epub" &&
 sed -i '/property="schema:accessMode"/d' EPUB/package.opf &&
 sed -i 's/<img \([^>]*\) alt="[^"]*"/<img \1/' EPUB/text/*.xhtml &&
 zip -q -X -0 ../broken.epub mimetype && zip -q -X -r ../broken.epub META-INF EPUB)
if report=$("$here/ace.sh" --epub "$out/broken.epub" "$out/ace" 2>&1); then
  echo "$report"; echo "ace.sh passed an EPUB without accessMode metadata or alt text" >&2; exit 1
fi
echo "$report"
echo "$report" | grep -q '^  metadata-accessmode \[serious\] EPUB/package.opf' || { echo "missing: metadata-accessmode" >&2; exit 1; }
echo "$report" | grep -q '^  image-alt \[critical\] text/' || { echo "missing: image-alt" >&2; exit 1; }
