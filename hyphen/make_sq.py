#!/usr/bin/env python3
# Writes hyph_sq_AL.dic, folio's own Albanian hyphenation patterns for libhyphen,
# from the rules of "Drejtshkrimi i gjuhës shqipe" (Tirana, 1973), §96-99,
# "Ndarja e fjalëve në fund të rreshtit" (dividing words at the end of a line):
#   §97   a word of one syllable is not divided;
#   §98a  a consonant between two vowels goes with the vowel after it
#         (ba-rra, bre-dhi, po-pu-lli, xi-xë-llo-nja);
#   §98b  two or more consonants between vowels may be divided anywhere, as long
#         as at least the last goes with the vowel after it (ko-dra or kod-ra,
#         mu-shka or mush-ka, lu-ndra, lun-dra or lund-ra); but a suffix keeps
#         its own consonants (korr-je, lodh-je; i brend-shëm, e nder-shme);
#   §98b, note: j before another consonant stays with the vowel before it (vaj-za);
#   and the alphabet's nine digraphs dh, gj, ll, nj, rr, sh, th, xh, zh are single
#   letters, never divided.
# Where §98c (two vowels may be divided) and §98ç (compounds at their parts) allow
# more, these patterns do not divide: fewer breaks, none wrong.
#
# Written for folio and under its licence. Run from the repository root:
#   python3 hyphen/make_sq.py
# It passes the patterns through substrings.pl (libhyphen-dev), which adds what
# libhyphen's matcher needs, into hyphen/hyph_sq_AL.dic.
import itertools
import os
import subprocess
import tempfile

VOWELS = "aeëiouy"
CONSONANTS = "bcçdfghjklmnpqrstvxz"
DIGRAPHS = ["dh", "gj", "ll", "nj", "rr", "sh", "th", "xh", "zh"]
UNITS = DIGRAPHS + list(CONSONANTS)  # the consonant letters of the alphabet

patterns = {}


def add(p):
    """Adds a pattern; two patterns with the same letters keep the larger values."""
    letters = "".join(ch for ch in p if not ch.isdigit())
    old = patterns.get(letters)
    if old is None:
        patterns[letters] = p
        return
    def digits(q):  # value before each letter position, and after the last
        out, i = [], 0
        cur = 0
        for ch in q:
            if ch.isdigit():
                cur = int(ch)
            else:
                out.append(cur)
                cur = 0
        out.append(cur)
        return out
    a, b = digits(old), digits(p)
    merged = [max(x, y) for x, y in zip(a, b)]
    out = ""
    for k, ch in enumerate(letters):
        out += (str(merged[k]) if merged[k] else "") + ch
    out += str(merged[-1]) if merged[-1] else ""
    patterns[letters] = out


def mark(units, at, value):
    """units joined, with `value` before unit `at` (len(units): after the last)."""
    out = ""
    for k, u in enumerate(units):
        if k == at:
            out += str(value)
        out += u
    if at == len(units):
        out += str(value)
    return out


# §98a, b: a break may come before any consonant letter...
for c in CONSONANTS:
    add("1" + c)
# ...but never inside a digraph,
for d in DIGRAPHS:
    add(d[0] + "6" + d[1])
# nor before a j that a consonant follows (§98b, note).
for u in UNITS:
    add("4j" + u[0])

# §97 and §98b: every part keeps a vowel. No break before the first vowel of a word
# (folio breaks no earlier than after two letters): after two consonant letters, or
# a digraph and a consonant, at the start.
for a, b in itertools.product(CONSONANTS, repeat=2):
    add("." + a + b + "4")
for d, u in itertools.product(DIGRAPHS, UNITS):
    add("." + d + u[0] + "4")
for a, d in itertools.product(CONSONANTS, DIGRAPHS):
    add("." + a + d + "4")
# Three single consonant letters and a fourth: clusters that open with a sibilant or
# a nasal (zmbraps, shtrëngoj, ndrrua; §97 lists zmbraps among words of one syllable).
for a in "szçxnm":
    for b, c in itertools.product(CONSONANTS, repeat=2):
        add("." + a + b + c + "4")
# Nor within a word's last consonants (folio leaves at least three letters after a
# break, so the clusters of three and four letters that end a word are the ones to
# keep whole: ankth, kopsht, -rrt).
for d, u in itertools.product(DIGRAPHS, UNITS):
    add("4" + d + "4" + u + ".")
for u, d in itertools.product(UNITS, DIGRAPHS):
    add("4" + u + "4" + d + ".")
for a, b, c in itertools.product(CONSONANTS, repeat=3):
    if a + b in DIGRAPHS or b + c in DIGRAPHS:
        continue
    add("4" + a + "4" + b + "4" + c + ".")
for u in UNITS:
    for d in ("sh", "th"):
        add("4" + u + "4" + d + "4t.")  # kopsht
        for c in CONSONANTS:
            add("4" + c + "4" + u + "4" + d + ".")  # bulkth, ankth
# §98b "but": the suffixes -je (noun from a verb: korr-je, lodh-je, ndjek-je) and
# -shëm/-shme/-shmja (i brend-shëm, e nder-shme) keep their letters: no break
# before the consonants that precede them within the cluster.
for u in UNITS:
    for ending in ("je.", "jen.", "jet.", "jes.", "jeve.", "jesh."):
        add("4" + u + ending)
    for suffix in ("shm", "shëm"):
        add("4" + u + suffix)
        for v in UNITS:
            add("4" + u + "4" + v + suffix)
add("sh4m")

with tempfile.TemporaryDirectory() as tmp:
    raw = os.path.join(tmp, "hyph_sq_AL.pat")
    with open(raw, "w", encoding="utf-8") as f:
        f.write("% Albanian: folio's own patterns, from the rules of Drejtshkrimi i gjuhës shqipe (1973)\n")
        for letters in sorted(patterns):
            f.write(patterns[letters] + "\n")
    subprocess.run(["perl", "/usr/share/libhyphen/substrings.pl", raw, "hyphen/hyph_sq_AL.dic", "UTF-8", "2", "3"],
                   check=True, stdout=subprocess.DEVNULL)
print(len(patterns), "patterns")
