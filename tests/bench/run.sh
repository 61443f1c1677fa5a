#!/usr/bin/env bash
# Speed benchmark: folio vs pandoc on synthetic book folders.
#
#   tests/bench/run.sh BUILD_DIR          (what `make bench` runs)
#
# Expects $BUILD_DIR/folio and folio-bench-gen (in $BUILD_DIR/tests/bench/ or
# $BUILD_DIR/).  Generates books under $BUILD_DIR/bench/, then (every folio
# build but the CACHE section's with --no-cache, so that each is a build from
# nothing, as its peers' are; the CACHE section reports what the cache costs a
# first build):
#
#   EPUB     for each size, runs, alternating, `folio build --format epub` and
#            `pandoc -o book.epub` RUNS times each;
#   PDF      for each PDF size, runs, alternating, `folio build --format pdf`,
#            `pandoc --pdf-engine=xelatex` and `pandoc --pdf-engine=weasyprint`
#            PDF_RUNS times each, and counts the pages (pdfinfo);
#   PAGE LIST  on each EPUB size, runs, alternating,
#            `folio build --format epub` with the page list (which sets the print
#            edition to find its pages) and without it (`page_list: false`), RUNS
#            times each, and reports the cost; on 1,000 articles, also the peak
#            memory without the page list against its target (under 100 MB);
#   TAGGING  on the 100-article book (or the first PDF size), runs, alternating,
#            `folio build --format pdf` with the tagged PDF (PDF/UA-1) and with
#            FOLIO_UNTAGGED_PDF=1, PDF_RUNS (at least 3) times each, and reports
#            the cost of tagging against its target (at most 15 % of the PDF's
#            build time);
#   CACHE    on CACHE_SIZE articles, runs, alternating, `folio build --format all`
#            without the cache (--no-cache), with the cache (the default) from an
#            empty cache (the first build, which writes it) and with it after one
#            article was edited (an author's next build), CACHE_RUNS times each, and reports
#            the incremental ratio and the first build's cost against their
#            targets (at most 10 % and at most 5 % more than without), and the
#            cache's size;
#   SPACING  on the 100-article book, measures the word spacing of folio's PDF
#            and of xelatex's (folio-bench-spacing, from `pdftotext
#            -bbox-layout`), side by side, prints the xelatex command that
#            sets folio's page, the targets of the page (spacing CV, loose
#            lines), and folio's --stats json.
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
#   PAGE_LIST=0        skip the cost of the EPUB's page list
#   TAGGING=0          skip the cost of the tagged PDF
#   CACHE=0            skip the cache's comparison
#   CACHE_SIZE=1000    articles of the book the cache is timed on
#   CACHE_RUNS=3       timed runs of each of its three builds
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
readonly EPUB_1000_TARGET_PEAK_MB=100  # folio peak RSS, EPUB of 1000 articles without the page list
readonly PDF_TARGET_SPEEDUP=30  # faster of xelatex and WeasyPrint / folio, every PDF size
readonly PDF_TARGET_SIZE=1000
readonly PDF_TARGET_PEAK_MB=300 # folio peak RSS making the PDF of PDF_TARGET_SIZE articles
readonly PDF_XELATEX_SPEEDUP=35 # xelatex / folio on PDF_XELATEX_SIZE articles: typesetting must stay fast
readonly PDF_XELATEX_SIZE=100
readonly TARGET_SPACING_CV=0.24 # folio's word gaps: std dev / mean, 100 articles
readonly TAGGING_TARGET_PCT=15  # the tagged reading PDF against the untagged one: extra build time, %
readonly TARGET_LOOSE_PCT=4     # folio's justified lines whose mean gap is over 1.5 x the median, %

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
[[ -d $build_dir ]] || die "no build folder $build_dir: build first (make)"
# Absolute, and work from inside it: pandoc's WeasyPrint engine writes its
# temporary HTML into the current folder.
build_dir=$(cd "$build_dir" && pwd)
cd "$build_dir"
runs=${RUNS:-3}
sizes=${SIZES:-"100 1000"}
skip_pandoc=${SKIP_PANDOC:-0}
skip_folio=${SKIP_FOLIO:-0}
do_epub=${EPUB:-1}
do_pdf=${PDF:-1}
do_page_list=${PAGE_LIST:-1}
do_tagging=${TAGGING:-1}
do_cache=${CACHE:-1}
cache_size=${CACHE_SIZE:-1000}
cache_runs=${CACHE_RUNS:-3}
[[ ${SKIP_FOLIO:-0} != 1 ]] || do_cache=0
[[ $do_epub != 0 && ${SKIP_FOLIO:-0} != 1 ]] || do_page_list=0
pdf_sizes=${PDF_SIZES:-100}
pdf_runs=${PDF_RUNS:-1}
pdf_engines=${PDF_ENGINES:-"xelatex weasyprint"}
do_spacing=${SPACING:-auto}

[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$runs')"
[[ $pdf_runs =~ ^[1-9][0-9]*$ ]] || die "PDF_RUNS must be a positive integer (got '$pdf_runs')"
[[ $cache_runs =~ ^[1-9][0-9]*$ ]] || die "CACHE_RUNS must be a positive integer (got '$cache_runs')"
[[ $cache_size =~ ^[1-9][0-9]*$ ]] || die "CACHE_SIZE must be a positive integer (got '$cache_size')"
for n in $sizes $pdf_sizes; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES and PDF_SIZES must be positive integers (got '$n')"
done
[[ $do_epub == 0 || -n ${sizes// /} ]] || die "SIZES is empty"
[[ $do_pdf == 0 || -n ${pdf_sizes// /} ]] || die "PDF_SIZES is empty"
for e in $pdf_engines; do
    [[ $e == xelatex || $e == weasyprint ]] || die "PDF_ENGINES: xelatex and/or weasyprint (got '$e')"
done
[[ $do_spacing =~ ^(0|1|auto)$ ]] || die "SPACING must be 0 or 1 (got '$do_spacing')"

# --- tools -------------------------------------------------------------------

folio=$build_dir/folio
if [[ $skip_folio != 1 && ! -x $folio ]]; then
    die "folio not found at $folio: build it first (make), or set SKIP_FOLIO=1 to time pandoc alone"
fi

# find_tool NAME: the newest $build_dir/tests/bench/NAME or $build_dir/NAME, or "".
find_tool() {
    local found='' candidate
    for candidate in "$build_dir/tests/bench/$1" "$build_dir/$1"; do
        if [[ -x $candidate && ( -z $found || $candidate -nt $found ) ]]; then
            found=$candidate
        fi
    done
    echo "$found"
}

gen=$(find_tool folio-bench-gen)
[[ -n $gen ]] || die "folio-bench-gen not found in $build_dir/tests/bench/ or $build_dir/:" \
    "build it first (cmake --build $build_dir --target folio-bench-gen)"

if [[ ! -x /usr/bin/time ]]; then
    die "GNU time not found at /usr/bin/time: install it (Debian/Ubuntu: apt-get install time)"
fi
if ! /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
    die "/usr/bin/time is not GNU time (needs -f and -o): install GNU time (Debian/Ubuntu: apt-get install time)"
fi
if [[ $skip_pandoc != 1 && ( $do_epub != 0 || $do_pdf != 0 ) ]] && ! command -v pandoc >/dev/null; then
    die "pandoc not found: install it (Debian/Ubuntu: apt-get install pandoc), or set SKIP_PANDOC=1"
fi

# engine_check ENGINE: empty if pandoc can use ENGINE here, else why not.
engine_check() {
    case $1 in
    xelatex)
        command -v xelatex >/dev/null ||
            { echo "xelatex not found (Debian/Ubuntu: apt-get install texlive-xetex texlive-latex-recommended texlive-fonts-recommended lmodern)"; return; }
        ;;
    weasyprint)
        command -v weasyprint >/dev/null ||
            { echo "weasyprint not found (Debian/Ubuntu: apt-get install weasyprint)"; return; }
        ;;
    esac
    if command -v fc-list >/dev/null && [[ -z $(fc-list ":family=$BODY_FONT" family) ]]; then
        echo "font $BODY_FONT not found (Debian/Ubuntu: apt-get install fonts-sil-charis)"
    fi
}

if [[ $do_pdf != 0 ]]; then
    command -v pdfinfo >/dev/null ||
        die "pdfinfo not found: install it (Debian/Ubuntu: apt-get install poppler-utils), or set PDF=0"
    if [[ $skip_pandoc != 1 ]]; then
        for e in $pdf_engines; do
            why=$(engine_check "$e")
            [[ -z $why ]] || die "$why; or set PDF_ENGINES to the others, or PDF=0"
        done
    fi
fi

spacing_tool=$(find_tool folio-bench-spacing)
if [[ $do_spacing == auto ]]; then
    do_spacing=0
    if [[ $skip_folio != 1 && $skip_pandoc != 1 && -n $spacing_tool && -z $(engine_check xelatex) ]] &&
        command -v pdftotext >/dev/null; then
        do_spacing=1
    fi
elif [[ $do_spacing == 1 ]]; then
    [[ $skip_folio != 1 && $skip_pandoc != 1 ]] || die "SPACING=1 needs folio and pandoc (unset SKIP_FOLIO, SKIP_PANDOC)"
    [[ -n $spacing_tool ]] || die "folio-bench-spacing not found in $build_dir/tests/bench/ or $build_dir/:" \
        "build it first (cmake --build $build_dir --target folio-bench-spacing), or set SPACING=0"
    command -v pdftotext >/dev/null ||
        die "pdftotext not found: install it (Debian/Ubuntu: apt-get install poppler-utils), or set SPACING=0"
    why=$(engine_check xelatex)
    [[ -z $why ]] || die "$why; or set SPACING=0"
fi

# --- helpers -----------------------------------------------------------------

bench_dir=$build_dir/bench
out_dir=$bench_dir/out
mkdir -p "$bench_dir" "$out_dir"
time_file=$out_dir/time.txt

# measure LOG CMD...: runs CMD under GNU time; sets m_secs (wall seconds, from
# nanosecond clock readings), m_kb (peak RSS in KiB) and m_cpu (user + system
# seconds).  Exits on failure.
measure() {
    local log=$1
    shift
    local t0 t1
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%e %M %U %S' -o "$time_file" "$@" >"$log" 2>&1; then
        echo "bench: command failed: $*" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    t1=$(date +%s%N)
    m_secs=$(LC_ALL=C awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }')
    m_kb=$(tail -n 1 "$time_file" | LC_ALL=C awk '{ print $2 }')
    m_cpu=$(tail -n 1 "$time_file" | LC_ALL=C awk '{ printf "%.2f", $3 + $4 }')
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

speedup() {  # other_s folio_s
    LC_ALL=C awk -v p="$1" -v f="$2" 'BEGIN { if (f > 0) printf "%.1f", p / f; else print "inf" }'
}

pdf_pages() {
    pdfinfo "$1" 2>/dev/null | LC_ALL=C awk '/^Pages:/ { print $2 }'
}

# The articles of book BOOK, in order (sets `articles`), and its title (`title`).
book_articles() {
    title=$(sed -n 's/^title: *//p' "$1/book.yaml" | head -n 1)
    mapfile -t articles < <(printf '%s\n' "$1"/articles/part*/*.md | LC_ALL=C sort -V)
}

# --- books -------------------------------------------------------------------

book_sizes=
[[ $do_epub == 0 ]] || book_sizes+=" $sizes"
[[ $do_pdf == 0 ]] || book_sizes+=" $pdf_sizes"
[[ $do_spacing == 0 ]] || book_sizes+=" 100"
[[ $do_cache == 0 ]] || book_sizes+=" $cache_size"
# shellcheck disable=SC2086  # word splitting wanted
book_sizes=$(printf '%s\n' $book_sizes | LC_ALL=C sort -n -u | tr '\n' ' ')

for n in $book_sizes; do
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

if [[ $skip_folio == 1 && $skip_pandoc == 1 ]]; then
    echo "SKIP_FOLIO=1 and SKIP_PANDOC=1: nothing to time"
    exit 0
fi

echo
[[ $skip_folio == 1 ]] || echo "folio:  $folio"
[[ $skip_pandoc == 1 ]] || echo "pandoc: $(command -v pandoc) ($(pandoc --version | head -n 1))"
echo "cpus:   $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')"

# --- EPUB: runs --------------------------------------------------------------

if [[ $do_epub != 0 ]]; then
    echo
    echo "== EPUB: folio against pandoc =="
    echo "runs per tool and size: $runs"
    echo

    declare -A folio_med folio_peak pandoc_med pandoc_peak
    for n in $sizes; do
        book=$bench_dir/book-$n
        book_articles "$book"
        cat "${articles[@]}" >/dev/null  # warm the page cache

        folio_times=() folio_kbs=() pandoc_times=() pandoc_kbs=()
        for ((r = 1; r <= runs; r++)); do
            line="$n articles, run $r/$runs:"
            if [[ $skip_folio != 1 ]]; then
                rm -rf "$out_dir/folio-$n"
                measure "$out_dir/folio-$n.log" \
                    "$folio" build "$book" -o "$out_dir/folio-$n" --format epub --quiet --no-cache
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

    # --- EPUB: report --------------------------------------------------------

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
fi

# --- EPUB: the cost of the page list ------------------------------------------

if [[ $do_page_list != 0 ]]; then
  epub_1000_mb=""
  for n in $sizes; do
    book=$bench_dir/book-$n
    # The same book with `page_list: false`: the EPUB without the print edition's pages.
    plain=$bench_dir/book-$n-no-page-list
    rm -rf "$plain"
    cp -r "$book" "$plain"
    printf '\npage_list: false\n' >>"$plain/book.yaml"
    echo
    echo "== EPUB: the page list's cost (folio build --format epub, $n articles) =="
    with_times=() with_kbs=() without_times=() without_kbs=()
    for ((r = 1; r <= runs; r++)); do
        rm -rf "$out_dir/page-list-with" "$out_dir/page-list-without"
        measure "$out_dir/page-list-with.log" "$folio" build "$book" -o "$out_dir/page-list-with" --format epub --quiet --no-cache
        with_times+=("$m_secs") with_kbs+=("$m_kb")
        measure "$out_dir/page-list-without.log" \
            "$folio" build "$plain" -o "$out_dir/page-list-without" --format epub --quiet --no-cache
        without_times+=("$m_secs") without_kbs+=("$m_kb")
        echo "run $r/$runs: with ${with_times[-1]} s $(kb_to_mb "${with_kbs[-1]}") MB;" \
            "without ${without_times[-1]} s $(kb_to_mb "${without_kbs[-1]}") MB"
    done
    with_s=$(median "${with_times[@]}") without_s=$(median "${without_times[@]}")
    without_mb=$(kb_to_mb "$(max "${without_kbs[@]}")")
    [[ $n == 1000 ]] && epub_1000_mb=$without_mb
    printf '%-28s  %8s  %8s\n' "" "s" "MB"
    printf '%-28s  %8s  %8s\n' "without (page_list: false)" "$without_s" "$without_mb"
    printf '%-28s  %8s  %8s\n' "with the page list" "$with_s" "$(kb_to_mb "$(max "${with_kbs[@]}")")"
    LC_ALL=C awk -v a="$with_s" -v b="$without_s" \
        'BEGIN { printf "cost: %.3f s (%.1f x the EPUB alone): the print edition is set to find its pages\n", a - b, (b > 0 ? a / b : 0) }'
    echo "(times: median wall seconds of $runs runs; MB: peak RSS in MiB, highest of the runs)"
  done
  if [[ -n $epub_1000_mb ]]; then
    verdict=$(LC_ALL=C awk -v m="$epub_1000_mb" -v t=$EPUB_1000_TARGET_PEAK_MB 'BEGIN { print (m < t) ? "PASS" : "MISS" }')
    printf 'target: folio EPUB peak RSS < %s MB on 1000 articles, page_list: false: %s    %s\n' \
        $EPUB_1000_TARGET_PEAK_MB "$epub_1000_mb" "$verdict"
  fi
fi

# --- PDF: style for xelatex and WeasyPrint -------------------------------------

tex_style=$out_dir/pdf-style.tex
css_style=$out_dir/pdf-style.css

# LaTeX preamble lines (pandoc -H): the body at 10.5 on 14 bp and notes at 8.5
# on 11 bp (the article class knows only 10, 11 and 12 pt, in TeX points), and
# folio's 1.5 em indent.  The page comes from -V geometry, the fonts from
# -V mainfont / monofont.
cat >"$tex_style" <<'TEX'
\makeatletter
\renewcommand\normalsize{\@setfontsize\normalsize{10.5bp}{14bp}%
  \abovedisplayskip 10\p@ \@plus2\p@ \@minus5\p@
  \abovedisplayshortskip \z@ \@plus3\p@
  \belowdisplayshortskip 6\p@ \@plus3\p@ \@minus3\p@
  \belowdisplayskip \abovedisplayskip
  \let\@listi\@listI}
\renewcommand\footnotesize{\@setfontsize\footnotesize{8.5bp}{11bp}}
\makeatother
\normalsize
\setlength{\parindent}{1.5em}
TEX

# CSS for WeasyPrint, after pandoc's own (which sets a narrow measure and
# padding for the screen: undone here).
cat >"$css_style" <<CSS
@page { size: $PAGE_WIDTH $PAGE_HEIGHT; margin: $MARGIN_TOP $MARGIN_OUTER $MARGIN_BOTTOM $MARGIN_INNER;
        @bottom-center { content: counter(page); font: 10.5pt "$BODY_FONT", serif; } }
@page :left { margin-left: $MARGIN_OUTER; margin-right: $MARGIN_INNER; }
@page :right { margin-left: $MARGIN_INNER; margin-right: $MARGIN_OUTER; }
html, body { margin: 0; padding: 0; max-width: none; background: none; color: black; }
body { font-family: "$BODY_FONT", serif; font-size: 10.5pt; line-height: 14pt;
       text-align: justify; hyphens: auto; }
p { margin: 0; text-indent: 1.5em; }
h1 + p, h2 + p, h3 + p, h4 + p, li p, blockquote p:first-child { text-indent: 0; }
code, pre { font-family: "$MONO_FONT", monospace; font-size: 0.88em; }
.footnotes, .footnotes p { font-size: 8.5pt; line-height: 11pt; }
CSS

# pandoc_pdf ENGINE OUT: the pandoc command line (sets `cmd`) for the book
# whose articles and title book_articles set.
pandoc_pdf() {
    cmd=(pandoc --file-scope --pdf-engine="$1" -o "$2" --metadata title="$title")
    case $1 in
    xelatex)
        cmd+=(-V mainfont="$BODY_FONT" -V monofont="$MONO_FONT"
            -V "geometry:paperwidth=$PAGE_WIDTH,paperheight=$PAGE_HEIGHT,inner=$MARGIN_INNER,outer=$MARGIN_OUTER,top=$MARGIN_TOP,bottom=$MARGIN_BOTTOM,twoside"
            -V indent -H "$tex_style")
        ;;
    weasyprint)
        cmd+=(--metadata lang=en --css "$css_style")
        ;;
    esac
    cmd+=("${articles[@]}")
}

# --- PDF: runs -----------------------------------------------------------------

declare -A pdf_pdf  # "ENGINE n" -> PDF made in this run, for SPACING
if [[ $do_pdf != 0 ]]; then
    echo
    echo "== PDF: folio against pandoc with ${pdf_engines// / and with } =="
    echo "runs per tool and size: $pdf_runs"
    [[ $skip_pandoc == 1 ]] || for e in $pdf_engines; do
        case $e in
        xelatex) echo "xelatex:    $(xelatex --version | head -n 1)" ;;
        weasyprint) echo "weasyprint: $(weasyprint --version 2>&1 | head -n 1)" ;;
        esac
    done
    echo

    tools=()
    [[ $skip_folio == 1 ]] || tools+=(folio)
    [[ $skip_pandoc == 1 ]] || read -r -a engines <<<"$pdf_engines"
    [[ $skip_pandoc == 1 ]] || tools+=("${engines[@]}")
    declare -A p_med p_peak p_pages
    for n in $pdf_sizes; do
        book=$bench_dir/book-$n
        book_articles "$book"
        cat "${articles[@]}" >/dev/null  # warm the page cache
        dir=$out_dir/pdf-$n
        mkdir -p "$dir"

        declare -A p_times=() p_kbs=()
        for ((r = 1; r <= pdf_runs; r++)); do
            line="$n articles, run $r/$pdf_runs:"
            for t in "${tools[@]}"; do
                if [[ $t == folio ]]; then
                    rm -rf "$dir/folio"
                    measure "$dir/folio.log" "$folio" build "$book" -o "$dir/folio" --format pdf --quiet --no-cache
                    pdf=$dir/folio/$(basename "$book").pdf
                else
                    pdf=$dir/$t.pdf
                    rm -f "$pdf"
                    pandoc_pdf "$t" "$pdf"
                    measure "$dir/$t.log" "${cmd[@]}"
                    pdf_pdf["$t $n"]=$pdf
                fi
                [[ -s $pdf ]] || die "$t wrote no PDF at $pdf"
                p_times[$t]+=" $m_secs"
                p_kbs[$t]+=" $m_kb"
                p_pages["$t $n"]=$(pdf_pages "$pdf")
                line+=" $t $m_secs s $(kb_to_mb "$m_kb") MB;"
            done
            echo "${line%;}"
        done
        for t in "${tools[@]}"; do
            # shellcheck disable=SC2086  # word splitting wanted
            p_med["$t $n"]=$(median ${p_times[$t]})
            # shellcheck disable=SC2086
            p_peak["$t $n"]=$(kb_to_mb "$(max ${p_kbs[$t]})")
        done
    done

    # --- PDF: report -----------------------------------------------------------

    echo
    printf '%8s  %-10s  %10s  %9s  %6s  %14s\n' articles tool seconds "peak MB" pages "folio speed-up"
    pdf_worst_su=
    pdf_target_mb=
    for n in $pdf_sizes; do
        fs=${p_med["folio $n"]:-}
        fastest='' fastest_tool=''
        for t in "${tools[@]}"; do
            s=${p_med["$t $n"]}
            su=-
            if [[ $t != folio && -n $fs ]]; then
                su="$(speedup "$s" "$fs")x"
                if [[ -z $fastest ]] || LC_ALL=C awk -v a="$s" -v b="$fastest" 'BEGIN { exit !(a < b) }'; then
                    fastest=$s fastest_tool=$t
                fi
            fi
            printf '%8s  %-10s  %10s  %9s  %6s  %14s\n' "$n" "$t" "$s" "${p_peak["$t $n"]}" \
                "${p_pages["$t $n"]:--}" "$su"
        done
        if [[ -n $fastest ]]; then
            su=$(speedup "$fastest" "$fs")
            printf '%8s  folio against the faster (%s): %sx\n' "$n" "$fastest_tool" "$su"
            if [[ -z $pdf_worst_su ]] || LC_ALL=C awk -v a="$su" -v b="$pdf_worst_su" 'BEGIN { exit !(a < b) }'; then
                pdf_worst_su=$su pdf_worst_n=$n
            fi
        fi
        [[ $n == "$PDF_TARGET_SIZE" && -n $fs ]] && pdf_target_mb=${p_peak["folio $n"]}
    done
    echo "(seconds: median wall time of $pdf_runs runs; MB: peak RSS in MiB, highest of the runs;"
    echo " pages: pdfinfo; folio's PDF has a title page, contents, part and article openings, pandoc's not)"

    echo
    echo "targets:"
    if [[ -n $pdf_worst_su ]]; then
        verdict=$(LC_ALL=C awk -v s="$pdf_worst_su" -v t=$PDF_TARGET_SPEEDUP \
            'BEGIN { print (s == "inf" || s >= t) ? "PASS" : "MISS" }')
        printf '  folio PDF >= %sx faster than the faster engine: %-8s %s (lowest, on %s articles)\n' \
            $PDF_TARGET_SPEEDUP "${pdf_worst_su}x" "$verdict" "$pdf_worst_n"
    else
        printf '  folio PDF >= %sx faster than the faster engine: n/a (%s)\n' $PDF_TARGET_SPEEDUP \
            "$([[ $skip_folio == 1 ]] && echo SKIP_FOLIO=1 || echo SKIP_PANDOC=1)"
    fi
    xs=${p_med["xelatex $PDF_XELATEX_SIZE"]:-} fs=${p_med["folio $PDF_XELATEX_SIZE"]:-}
    if [[ -n $xs && -n $fs ]]; then
        su=$(speedup "$xs" "$fs")
        verdict=$(LC_ALL=C awk -v s="$su" -v t=$PDF_XELATEX_SPEEDUP 'BEGIN { print (s == "inf" || s >= t) ? "PASS" : "MISS" }')
        printf '  folio PDF >= %sx faster than xelatex on %s articles: %-8s %s\n' \
            $PDF_XELATEX_SPEEDUP $PDF_XELATEX_SIZE "${su}x" "$verdict"
    fi
    if [[ -n $pdf_target_mb ]]; then
        verdict=$(LC_ALL=C awk -v m="$pdf_target_mb" -v t=$PDF_TARGET_PEAK_MB 'BEGIN { print (m < t) ? "PASS" : "MISS" }')
        printf '  folio PDF peak RSS < %s MB on %s articles:      %-8s %s\n' \
            $PDF_TARGET_PEAK_MB $PDF_TARGET_SIZE "$pdf_target_mb" "$verdict"
    else
        why="$PDF_TARGET_SIZE not in PDF_SIZES"
        [[ $skip_folio == 1 ]] && why="SKIP_FOLIO=1"
        printf '  folio PDF peak RSS < %s MB on %s articles:      n/a (%s)\n' \
            $PDF_TARGET_PEAK_MB $PDF_TARGET_SIZE "$why"
    fi
fi

# --- TAGGING: the tagged reading PDF's cost ---------------------------------------

if [[ $do_pdf != 0 && $do_tagging != 0 && $skip_folio != 1 ]]; then
    n=100
    [[ " $pdf_sizes " == *" 100 "* ]] || n=${pdf_sizes%% *}
    n=${n# }
    book=$bench_dir/book-$n
    tag_runs=$((pdf_runs < 7 ? 7 : pdf_runs))
    echo
    echo "== PDF: the cost of tagging (folio build --format pdf, $n articles) =="
    tagged_times=() tagged_kbs=() untagged_times=() untagged_kbs=() tagged_cpus=() untagged_cpus=()
    for ((r = 1; r <= tag_runs; r++)); do
        rm -rf "$out_dir/tagged" "$out_dir/untagged"
        measure "$out_dir/tagged.log" "$folio" build "$book" -o "$out_dir/tagged" --format pdf --quiet --no-cache
        tagged_times+=("$m_secs") tagged_kbs+=("$m_kb") tagged_cpus+=("$m_cpu")
        measure "$out_dir/untagged.log" env FOLIO_UNTAGGED_PDF=1 \
            "$folio" build "$book" -o "$out_dir/untagged" --format pdf --quiet --no-cache
        untagged_times+=("$m_secs") untagged_kbs+=("$m_kb") untagged_cpus+=("$m_cpu")
        echo "run $r/$tag_runs: tagged ${tagged_times[-1]} s $(kb_to_mb "${tagged_kbs[-1]}") MB;" \
            "untagged ${untagged_times[-1]} s $(kb_to_mb "${untagged_kbs[-1]}") MB"
    done
    tagged_s=$(median "${tagged_times[@]}") untagged_s=$(median "${untagged_times[@]}")
    tagged_cpu=$(median "${tagged_cpus[@]}") untagged_cpu=$(median "${untagged_cpus[@]}")
    tagged_pdf=$out_dir/tagged/$(basename "$book").pdf untagged_pdf=$out_dir/untagged/$(basename "$book").pdf
    printf '%-32s  %8s  %8s  %8s  %8s\n' "" "s" "CPU s" "MB" "PDF MB"
    printf '%-32s  %8s  %8s  %8s  %8s\n' "untagged (FOLIO_UNTAGGED_PDF=1)" "$untagged_s" "$untagged_cpu" \
        "$(kb_to_mb "$(max "${untagged_kbs[@]}")")" "$(kb_to_mb $(($(stat -c %s "$untagged_pdf") / 1024)))"
    printf '%-32s  %8s  %8s  %8s  %8s\n' "tagged (PDF/UA-1)" "$tagged_s" "$tagged_cpu" \
        "$(kb_to_mb "$(max "${tagged_kbs[@]}")")" "$(kb_to_mb $(($(stat -c %s "$tagged_pdf") / 1024)))"
    echo "(times: median wall and CPU (user + system) seconds of $tag_runs runs; MB: peak RSS in MiB, highest of the runs)"
    echo "targets:"
    LC_ALL=C awk -v a="$tagged_s" -v b="$untagged_s" -v t="$TAGGING_TARGET_PCT" 'BEGIN {
        pct = (b > 0 ? (a - b) / b * 100 : 0)
        printf "  tagging costs <= %s %% of the PDF build (wall): %.1f %% (%.3f s)  %s\n", t, pct, a - b, (pct <= t ? "PASS" : "MISS") }'
    LC_ALL=C awk -v a="$tagged_cpu" -v b="$untagged_cpu" -v t="$TAGGING_TARGET_PCT" 'BEGIN {
        pct = (b > 0 ? (a - b) / b * 100 : 0)
        printf "  tagging costs <= %s %% of the PDF build (CPU):  %.1f %% (%.2f s)  %s\n", t, pct, a - b, (pct <= t ? "PASS" : "MISS") }'
    if [[ -x $build_dir/tests/folio-pdfua-check ]]; then
        "$build_dir/tests/folio-pdfua-check" "$tagged_pdf" | sed 's/^/  /'
    fi
fi

# --- CACHE: a build after an edit, and the first build that writes the cache ------

if [[ $do_cache != 0 ]]; then
    echo
    echo "== the cache (folio build --format all, $cache_size articles) =="
    cache_book=$out_dir/cache-book
    rm -rf "$cache_book" "$out_dir/no-cache"
    cp -r "$bench_dir/book-$cache_size" "$cache_book"
    book_articles "$cache_book"
    edited=${articles[0]}
    # Toggles a word at the start of the article's first paragraph.
    edit_article() {
        if grep -q '^Edited ' "$edited"; then sed -i 's/^Edited //' "$edited"
        else sed -i '0,/^[A-Z]/s/^\([A-Z]\)/Edited \1/' "$edited"; fi
    }
    cold_times=() first_times=() next_times=() cold_kbs=() first_kbs=() next_kbs=()
    # Each run's first build with the cache writes into a folder no run has used,
    # as an author's first build does: removing the last run's cache just before
    # makes ext4 pass over the inodes it has just freed as it creates the new
    # files, a cost of the bench, not of the build. The folders go once all runs
    # are done.
    rm -rf "$out_dir"/with-cache-*
    for ((r = 1; r <= cache_runs; r++)); do
        rm -rf "$out_dir/no-cache"
        measure "$out_dir/no-cache.log" "$folio" build "$cache_book" -o "$out_dir/no-cache" --format all --quiet --no-cache
        cold_times+=("$m_secs") cold_kbs+=("$m_kb")
        cache_out=$out_dir/with-cache-$r
        measure "$out_dir/cache.log" "$folio" build "$cache_book" -o "$cache_out" --format all --quiet
        first_times+=("$m_secs") first_kbs+=("$m_kb")
        edit_article
        measure "$out_dir/cache.log" "$folio" build "$cache_book" -o "$cache_out" --format all --quiet
        next_times+=("$m_secs") next_kbs+=("$m_kb")
        echo "run $r/$cache_runs: without ${cold_times[-1]} s; first with the cache ${first_times[-1]} s;" \
            "after an edit ${next_times[-1]} s"
    done
    cold_s=$(median "${cold_times[@]}") first_s=$(median "${first_times[@]}") next_s=$(median "${next_times[@]}")
    printf '%-36s  %8s  %8s\n' "" "s" "MB"
    printf '%-36s  %8s  %8s\n' "without the cache" "$cold_s" "$(kb_to_mb "$(max "${cold_kbs[@]}")")"
    printf '%-36s  %8s  %8s\n' "with the cache, first build" "$first_s" "$(kb_to_mb "$(max "${first_kbs[@]}")")"
    printf '%-36s  %8s  %8s\n' "with the cache, one article edited" "$next_s" "$(kb_to_mb "$(max "${next_kbs[@]}")")"
    echo "(times: median wall seconds of $cache_runs runs; MB: peak RSS in MiB, highest of the runs)"
    echo "cache: $(du -sm "$cache_out/.folio-cache" | cut -f1) MB in $(find "$cache_out/.folio-cache" -type f | wc -l) files"
    echo "targets:"
    LC_ALL=C awk -v a="$next_s" -v b="$cold_s" 'BEGIN {
        pct = (b > 0 ? a / b * 100 : 0)
        printf "  one article edited rebuilds in <= 10 %% of a build without the cache: %.0f %%  %s\n", pct, (pct <= 10 ? "PASS" : "MISS") }'
    LC_ALL=C awk -v a="$first_s" -v b="$cold_s" 'BEGIN {
        pct = (b > 0 ? (a - b) / b * 100 : 0)
        printf "  the first build with the cache is at most 5 %% slower: %+.0f %%  %s\n", pct, (pct <= 5 ? "PASS" : "MISS") }'
    # The last build with the cache wrote what a build without it writes.
    rm -rf "$out_dir/no-cache"
    measure "$out_dir/no-cache.log" "$folio" build "$cache_book" -o "$out_dir/no-cache" --format all --quiet --no-cache
    for name in cache-book.epub cache-book.pdf cache-book-print.pdf; do
        if cmp -s "$cache_out/$name" "$out_dir/no-cache/$name"; then echo "  $name: the same bytes with and without the cache"
        else echo "bench: $name differs with the cache" >&2; exit 1; fi
    done
    rm -rf "$out_dir"/with-cache-*
fi

# --- SPACING: word spacing, folio against xelatex --------------------------------

if [[ $do_spacing == 1 ]]; then
    echo
    echo "== SPACING: justified lines of folio's PDF and xelatex's, 100 articles =="
    n=100
    book=$bench_dir/book-$n
    book_articles "$book"
    dir=$out_dir/spacing
    rm -rf "$dir"
    mkdir -p "$dir"

    # folio, with its own layout report.
    if ! "$folio" build "$book" -o "$dir/folio" --format pdf --quiet --no-cache --stats json >"$dir/folio-stats.json" 2>"$dir/folio.log"; then
        tail -n 20 "$dir/folio.log" >&2
        die "folio failed on $book"
    fi
    inputs=("folio=$dir/folio.html")
    pdftotext -bbox-layout "$dir/folio/$(basename "$book").pdf" "$dir/folio.html"

    # xelatex's PDF from the PDF runs, else made now; WeasyPrint's if made.
    xpdf=${pdf_pdf["xelatex $n"]:-}
    if [[ -z $xpdf ]]; then
        echo "(making xelatex's PDF of $n articles: ~15 s)"
        xpdf=$dir/xelatex.pdf
        pandoc_pdf xelatex "$xpdf"
        "${cmd[@]}" >"$dir/xelatex.log" 2>&1 || { tail -n 20 "$dir/xelatex.log" >&2; die "pandoc with xelatex failed"; }
    fi
    pdftotext -bbox-layout "$xpdf" "$dir/xelatex.html"
    inputs+=("xelatex=$dir/xelatex.html")
    if [[ -n ${pdf_pdf["weasyprint $n"]:-} ]]; then
        pdftotext -bbox-layout "${pdf_pdf["weasyprint $n"]}" "$dir/weasyprint.html"
        inputs+=("weasyprint=$dir/weasyprint.html")
    fi

    echo
    "$spacing_tool" --margins "$MARGINS_PT" "${inputs[@]}" | tee "$dir/spacing.txt"
    echo "(points; from pdftotext -bbox-layout, running heads and page numbers left out;"
    echo " see tests/bench/spacing.cpp for what each line counts)"
    echo
    echo "xelatex set on folio's page (6 x 9 in, Charis SIL 10.5 on 14 bp, margins inner"
    echo "0.875 in, outer 0.625 in, top 0.75 in, bottom 0.875 in), with preamble $tex_style:"
    pandoc_pdf xelatex "$dir/xelatex.pdf"
    printf ' %q' "${cmd[@]:0:${#cmd[@]}-${#articles[@]}}"
    echo " ARTICLES...   (the $n article files, in book order)"
    echo "measured with:"
    echo "  pdftotext -bbox-layout BOOK.pdf BOOK.html   (for each PDF)"
    echo "  folio-bench-spacing --margins $MARGINS_PT folio=folio.html xelatex=xelatex.html"
    # Targets of the page (spacing CV and loose lines, folio's column).
    cv=$(awk -F'  +' '/^spacing CV/ {print $2}' "$dir/spacing.txt")
    loose=$(awk -F'  +' '/^  of justified lines, %/ {print $3}' "$dir/spacing.txt")
    echo "targets:"
    verdict=$(LC_ALL=C awk -v a="$cv" -v b="$TARGET_SPACING_CV" 'BEGIN { print (a != "" && a <= b) ? "PASS" : "MISS" }')
    printf '  folio spacing CV <= %s:           %-8s %s\n' "$TARGET_SPACING_CV" "$cv" "$verdict"
    verdict=$(LC_ALL=C awk -v a="$loose" -v b="$TARGET_LOOSE_PCT" 'BEGIN { print (a != "" && a <= b) ? "PASS" : "MISS" }')
    printf '  folio loose lines <= %s %% of lines: %-8s %s\n' "$TARGET_LOOSE_PCT" "$loose %" "$verdict"
    echo
    echo "folio --stats json:"
    grep '^{' "$dir/folio-stats.json" || echo "  (none printed)"
fi
exit 0
