#include "serve/preview_page.hpp"

namespace folio::serve {

// The page asks the server for /state.json and draws the contents, the chosen
// article's EPUB page (in a frame, with the book's own CSS), its print spreads and
// its notes; /events tells it when a build has finished, and it draws again.
std::string_view preview_page() {
    return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>folio preview</title>
<style>
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; display: grid; grid-template-columns: 17em 1fr;
         grid-template-rows: auto 1fr; height: 100vh; color: #222; }
  header { grid-column: 1 / 3; padding: .4em .8em; background: #2d3a4a; color: #fff; display: flex; gap: 1em; }
  header .status { opacity: .8; }
  header .errors { color: #ffb4a8; white-space: pre-wrap; }
  nav { overflow: auto; border-right: 1px solid #ccc; padding: .5em; }
  nav input { width: 100%; box-sizing: border-box; margin-bottom: .5em; }
  nav a { display: block; padding: .2em .3em; color: inherit; text-decoration: none; border-radius: 3px; }
  nav a.current { background: #dde6f0; }
  nav a .pages { color: #777; font-size: 85%; margin-left: .3em; }
  main { overflow: auto; padding: .8em; display: grid; grid-template-columns: minmax(20em, 32em) 1fr; gap: 1em;
         align-items: start; }
  iframe { width: 100%; height: 80vh; border: 1px solid #bbb; background: #fff; }
  .spreads img { max-width: 100%; border: 1px solid #bbb; margin-bottom: .6em; display: block; }
  .notes { grid-column: 1 / 3; }
  .notes li { white-space: pre-wrap; font-family: monospace; font-size: 90%; }
</style>
</head>
<body>
<header><strong id="title">folio</strong><span class="status" id="status">building…</span>
<span class="errors" id="errors"></span></header>
<nav><input id="search" type="search" placeholder="Search the book" aria-label="Search the book">
<div id="contents"></div></nav>
<main><div><iframe id="epub" title="The article as an e-reader shows it"></iframe></div>
<div class="spreads" id="spreads"></div>
<section class="notes"><h2>Notes</h2><ul id="notes"></ul></section></main>
<script>
"use strict";
let state = null, current = null, matches = null;
const $ = id => document.getElementById(id);
function el(tag, text) { const e = document.createElement(tag); if (text) e.textContent = text; return e; }
function draw() {
  if (!state) return;
  $("title").textContent = state.title || "folio";
  $("status").textContent = state.status;
  $("errors").textContent = state.errors;
  const list = $("contents");
  list.replaceChildren();
  if (!current && state.articles.length) current = state.articles[0].document;
  for (const a of state.articles) {
    if (matches && !matches.includes(a.document)) continue;
    const link = el("a", a.title);
    link.href = "#" + a.document;
    if (a.document === current) link.className = "current";
    if (a.pages) link.append(el("span", "p. " + a.pages)), link.lastChild.className = "pages";
    link.onclick = e => { e.preventDefault(); current = a.document; draw(); };
    list.append(link);
  }
  const article = state.articles.find(a => a.document === current);
  if (!article) return;
  const frame = $("epub"), src = "/book/" + article.document + "?b=" + state.build;
  if (frame.getAttribute("src") !== src) frame.setAttribute("src", src);
  const spreads = $("spreads");
  spreads.replaceChildren();
  for (const n of article.spreads) {
    const img = el("img");
    img.src = "/spread/" + n + ".png?b=" + state.build;
    img.alt = "Print spread " + n;
    img.id = "spread-" + n;
    spreads.append(img);
  }
  const notes = $("notes");
  notes.replaceChildren();
  for (const n of article.notes) {
    const item = el("li", n.text);
    if (n.spread) {
      // Linked to the spot: the spread the fault is on.
      const link = el("a", " (spread " + n.spread + ")");
      link.href = "#spread-" + n.spread;
      item.append(link);
    }
    notes.append(item);
  }
  if (!article.notes.length) notes.append(el("li", "No notes for this article."));
}
async function refresh() {
  const response = await fetch("/state.json", {cache: "no-store"});
  state = await response.json();
  draw();
}
$("search").oninput = async e => {
  const q = e.target.value.trim();
  matches = q ? await (await fetch("/search?q=" + encodeURIComponent(q))).json() : null;
  draw();
};
if (location.hash.length > 1) current = decodeURIComponent(location.hash.slice(1));
const events = new EventSource("/events");
events.addEventListener("build", refresh);
refresh();
</script>
</body>
</html>
)html";
}

}  // namespace folio::serve
