#!/usr/bin/env bash
# Speed benchmark: folio vs pandoc on synthetic book folders.
#
#   tests/bench/run.sh BUILD_DIR          (what `make bench` runs)
#
# Expects $BUILD_DIR/folio and folio-bench-gen (in $BUILD_DIR/tests/bench/ or
# $BUILD_DIR/).  Generates books under $BUILD_DIR/bench/, then:
#
#   EPUB     for each size, runs, alternating, `folio build --format epub` and
#            `pandoc -o book.epub` RUNS times each;
#   PDF      for each PDF size, runs, alternating, `folio build --format pdf`,
#            `pandoc --pdf-engine=xelatex` and `pandoc --pdf-engine=weasyprint`
#            PDF_RUNS times each, and counts the pages (pdfinfo);
#   SPACING  on the 100-article book, measures the word spacing of folio's PDF
#            and of xelatex's (folio-bench-spacing, from `pdftotext
#            -bbox-layout`), side by side, and prints folio's --stats json.
#
# measuring wall time and peak RSS, and prints tables with the targets.  It
# reports; it does not fail on a missed target (exit status is non-zero only if
# a command fails or a tool is missing).
#
# Environment:
#   RUNS=3             timed runs per tool and size, EPUB (median is reported)
#   SIZES="100 1000"   numbers of articles, EPUB
#   EPUB=0             skip the EPUB comparison
#   PDF=0              skip the PDF comparison
#   PDF_SIZES="100"    numbers of articles, PDF ("100 1000" for both; xelatex
#                      takes ~15 s per 100 articles, WeasyPrint ~40 s)
#   PDF_RUNS=1         timed runs per tool and size, PDF
#   PDF_ENGINES="xelatex weasyprint"   pandoc's PDF engines to time
#   SPACING=1          the word-spacing comparison; by default on when xelatex,
#                      pdftotext and folio-bench-spacing are there, SPACING=0
#                      skips it
#   SKIP_PANDOC=1      do not run pandoc
#   SKIP_FOLIO=1       do not run folio (e.g. to try the pandoc half alone)
#
# Needs GNU time at /usr/bin/time (Debian/Ubuntu package `time`) and, unless
# SKIP_PANDOC=1, pandoc (package `pandoc`).  The PDF and spacing halves also
# need, on Debian/Ubuntu:
#   poppler-utils                          pdfinfo, pdftotext
#   texlive-xetex texlive-latex-recommended texlive-fonts-recommended lmodern
#                                          pandoc's xelatex engine
#   weasyprint                             pandoc's WeasyPrint engine
#   fonts-sil-charis fonts-dejavu-core     the fonts of folio's default style,
#                                          given to xelatex and WeasyPrint too
# (texlive-latex-extra is optional: pandoc's LaTeX template uses its xurl
# package when it is there, for line breaks in URLs.)
#
# pandoc is given --file-scope so that each article is parsed on its own, as
# folio does: every article has its own footnote [^1], and without
# --file-scope pandoc concatenates the files first and mixes the notes up.
#
# For the PDFs, xelatex and WeasyPrint get the page and type of folio's default
# style (styles/default/print.yaml): a 6 x 9 in page, margins inner 0.875 in,
# outer 0.625 in, top 0.75 in, bottom 0.875 in, Charis SIL at 10.5 on 14 pt
# (PostScript points, as in folio and PDF: `bp` in TeX), notes at 8.5 on 11,
# a 1.5 em paragraph indent, code in DejaVu Sans Mono, justified and
# hyphenated.  The LaTeX preamble lines and the CSS are written next to the
# outputs (pdf-style.tex, pdf-style.css).  Peak RSS of a pandoc run is that of
# the largest process in its tree (GNU time reports the maximum over the
# waited-for descendants: pandoc, xelatex or weasyprint), not their sum.

set -euo pipefail

# Targets.
readonly TARGET_SPEEDUP=30      # pandoc time / folio time, on TARGET_SIZE articles
readonly TARGET_SIZE=1000
readonly TARGET_PEAK_MB=150     # folio peak RSS, every size
readonly PDF_TARGET_SPEEDUP=30  # faster of xelatex and WeasyPrint / folio, every PDF size
readonly PDF_TARGET_SIZE=1000
readonly PDF_TARGET_PEAK_MB=300 # folio peak RSS making the PDF of PDF_TARGET_SIZE articles

# Page and type of folio's default style, for xelatex and WeasyPrint.
readonly PAGE_WIDTH=6in PAGE_HEIGHT=9in
readonly MARGIN_INNER=0.875in MARGIN_OUTER=0.625in MARGIN_TOP=0.75in MARGIN_BOTTOM=0.875in
readonly MARGINS_PT=54,63       # top and bottom margins in points, for folio-bench-spacing
readonly BODY_FONT="Charis SIL" MONO_FONT="DejaVu Sans Mono"

die() {
    echo "bench: $*" >&2
    exit 1
}

if [[ $# -ne 1 ]]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build_dir=${1%/}
runs=${RUNS:-3}
sizes=${SIZES:-"100 1000"}
skip_pandoc=${SKIP_PANDOC:-0}
skip_folio=${SKIP_FOLIO:-0}

[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$runs')"
for n in $sizes; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES must be positive integers (got '$n')"
done
[[ -n ${sizes// /} ]] || die "SIZES is empty"

# --- tools -------------------------------------------------------------------

folio=$build_dir/folio
if [[ $skip_folio != 1 && ! -x $folio ]]; then
    die "folio not found at $folio: build it first (make), or set SKIP_FOLIO=1 to time pandoc alone"
fi

gen=
for candidate in "$build_dir/tests/bench/folio-bench-gen" "$build_dir/folio-bench-gen"; do
    if [[ -x $candidate && ( -z $gen || $candidate -nt $gen ) ]]; then
        gen=$candidate
    fi
done
[[ -n $gen ]] || die "folio-bench-gen not found in $build_dir/tests/bench/ or $build_dir/:" \
    "build it first (cmake --build $build_dir --target folio-bench-gen)"

if [[ ! -x /usr/bin/time ]]; then
    die "GNU time not found at /usr/bin/time: install it (Debian/Ubuntu: apt-get install time)"
fi
if ! /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
    die "/usr/bin/time is not GNU time (needs -f and -o): install GNU time (Debian/Ubuntu: apt-get install time)"
fi
if [[ $skip_pandoc != 1 ]] && ! command -v pandoc >/dev/null; then
    die "pandoc not found: install it (Debian/Ubuntu: apt-get install pandoc), or set SKIP_PANDOC=1"
fi

# --- helpers -----------------------------------------------------------------

bench_dir=$build_dir/bench
out_dir=$bench_dir/out
mkdir -p "$bench_dir" "$out_dir"
time_file=$out_dir/time.txt

# measure LOG CMD...: runs CMD under GNU time; sets m_secs (wall seconds, from
# nanosecond clock readings) and m_kb (peak RSS in KiB).  Exits on failure.
measure() {
    local log=$1
    shift
    local t0 t1
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%e %M' -o "$time_file" "$@" >"$log" 2>&1; then
        echo "bench: command failed: $*" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    t1=$(date +%s%N)
    m_secs=$(LC_ALL=C awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }')
    m_kb=$(tail -n 1 "$time_file" | LC_ALL=C awk '{ print $2 }')
}

# median NUM...
median() {
    printf '%s\n' "$@" | LC_ALL=C sort -g | LC_ALL=C awk '
        { v[NR] = $1 }
        END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.3f", m }'
}

# max NUM...
max() {
    printf '%s\n' "$@" | LC_ALL=C sort -g | tail -n 1
}

kb_to_mb() {
    LC_ALL=C awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'
}

# --- books -------------------------------------------------------------------

for n in $sizes; do
    book=$bench_dir/book-$n
    if [[ -f $book/book.yaml && $book/book.yaml -nt $gen ]]; then
        echo "book of $n articles: $book (up to date)"
    else
        echo "book of $n articles: generating $book"
        rm -rf "$book" "$book.tmp"
        "$gen" "$book.tmp" "$n"
        mv "$book.tmp" "$book"
    fi
done

# --- runs --------------------------------------------------------------------

if [[ $skip_folio == 1 && $skip_pandoc == 1 ]]; then
    echo "SKIP_FOLIO=1 and SKIP_PANDOC=1: nothing to time"
    exit 0
fi

echo
echo "runs per tool and size: $runs"
[[ $skip_folio == 1 ]] || echo "folio:  $folio"
[[ $skip_pandoc == 1 ]] || echo "pandoc: $(command -v pandoc) ($(pandoc --version | head -n 1))"
echo "cpus:   $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')"
echo

declare -A folio_med folio_peak pandoc_med pandoc_peak
for n in $sizes; do
    book=$bench_dir/book-$n
    title=$(sed -n 's/^title: *//p' "$book/book.yaml" | head -n 1)
    mapfile -t articles < <(printf '%s\n' "$book"/articles/part*/*.md | LC_ALL=C sort -V)
    cat "${articles[@]}" >/dev/null  # warm the page cache

    folio_times=() folio_kbs=() pandoc_times=() pandoc_kbs=()
    for ((r = 1; r <= runs; r++)); do
        line="$n articles, run $r/$runs:"
        if [[ $skip_folio != 1 ]]; then
            rm -rf "$out_dir/folio-$n"
            measure "$out_dir/folio-$n.log" \
                "$folio" build "$book" -o "$out_dir/folio-$n" --format epub --quiet
            folio_times+=("$m_secs")
            folio_kbs+=("$m_kb")
            line+=" folio $m_secs s $(kb_to_mb "$m_kb") MB;"
        fi
        if [[ $skip_pandoc != 1 ]]; then
            rm -f "$out_dir/pandoc-$n.epub"
            measure "$out_dir/pandoc-$n.log" \
                pandoc --file-scope -o "$out_dir/pandoc-$n.epub" --metadata title="$title" --toc \
                "${articles[@]}"
            pandoc_times+=("$m_secs")
            pandoc_kbs+=("$m_kb")
            line+=" pandoc $m_secs s $(kb_to_mb "$m_kb") MB;"
        fi
        echo "${line%;}"
    done

    if [[ $skip_folio != 1 ]]; then
        folio_med[$n]=$(median "${folio_times[@]}")
        folio_peak[$n]=$(kb_to_mb "$(max "${folio_kbs[@]}")")
    fi
    if [[ $skip_pandoc != 1 ]]; then
        pandoc_med[$n]=$(median "${pandoc_times[@]}")
        pandoc_peak[$n]=$(kb_to_mb "$(max "${pandoc_kbs[@]}")")
    fi
done

# --- report ------------------------------------------------------------------

speedup() {  # pandoc_s folio_s
    LC_ALL=C awk -v p="$1" -v f="$2" 'BEGIN { if (f > 0) printf "%.1f", p / f; else print "inf" }'
}

echo
printf '%8s  %10s  %11s  %10s  %11s  %9s\n' \
    articles "folio s" "folio MB" "pandoc s" "pandoc MB" speed-up
speedup_target=
folio_worst_mb=
for n in $sizes; do
    fs=${folio_med[$n]:--} fm=${folio_peak[$n]:--}
    ps=${pandoc_med[$n]:--} pm=${pandoc_peak[$n]:--}
    su=-
    if [[ $fs != - && $ps != - ]]; then
        su=$(speedup "$ps" "$fs")
        [[ $n == "$TARGET_SIZE" ]] && speedup_target=$su
    fi
    if [[ $fm != - ]]; then
        if [[ -z $folio_worst_mb ]] || LC_ALL=C awk -v a="$fm" -v b="$folio_worst_mb" 'BEGIN { exit !(a > b) }'; then
            folio_worst_mb=$fm
        fi
    fi
    printf '%8s  %10s  %11s  %10s  %11s  %9s\n' "$n" "$fs" "$fm" "$ps" "$pm" "$su"
done
echo "(times: median wall seconds of $runs runs; MB: peak RSS in MiB, highest of the runs)"

echo
echo "targets:"
if [[ -n $speedup_target ]]; then
    verdict=$(LC_ALL=C awk -v s="$speedup_target" -v t=$TARGET_SPEEDUP \
        'BEGIN { print (s == "inf" || s >= t) ? "PASS" : "MISS" }')
    printf '  speed-up >= %s on %s articles: %-8s %s\n' $TARGET_SPEEDUP $TARGET_SIZE "$speedup_target" "$verdict"
else
    why="$TARGET_SIZE not in SIZES"
    [[ $skip_folio == 1 ]] && why="SKIP_FOLIO=1"
    [[ $skip_pandoc == 1 ]] && why="SKIP_PANDOC=1"
    printf '  speed-up >= %s on %s articles: n/a (%s)\n' $TARGET_SPEEDUP $TARGET_SIZE "$why"
fi
if [[ -n $folio_worst_mb ]]; then
    verdict=$(LC_ALL=C awk -v m="$folio_worst_mb" -v t=$TARGET_PEAK_MB 'BEGIN { print (m < t) ? "PASS" : "MISS" }')
    printf '  folio peak RSS < %s MB:        %-8s %s\n' $TARGET_PEAK_MB "$folio_worst_mb" "$verdict"
else
    printf '  folio peak RSS < %s MB:        n/a (SKIP_FOLIO=1)\n' $TARGET_PEAK_MB
fi
exit 0
