#!/usr/bin/env bash
# Builds a book and runs epubcheck (Debian's 4.2.6) on it; fails on any message at
# all: fatal, error, warning or info.  Usage: epubcheck.sh FOLIO BOOK_DIR OUT_DIR
set -euo pipefail
folio=$1 book=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
"$folio" build "$book" -o "$out" --quiet
epub="$out/$(basename "$book").epub"
jar=/usr/share/java/epubcheck.jar
# A large book overflows the default Java stack and still prints "0 errors".
report=$(java -Xss64m -jar "$jar" "$epub" 2>&1) || { echo "$report"; exit 1; }
echo "$report"
echo "$report" | grep -q '^Messages: 0 fatals / 0 errors / 0 warnings / 0 infos' || { echo "epubcheck reported messages" >&2; exit 1; }
if echo "$report" | grep -E '^(FATAL|ERROR|WARNING|INFO)' >/dev/null; then exit 1; fi
