// folio serve, as an author and a browser meet it: the preview page in headless
// Chromium (Debian's, driven by the puppeteer-core that DAISY Ace brings in
// tests/ace) shows the book's title, an article's text in its frame and a print
// spread; an edit to the article shows in the frame without a reload by hand; bad
// requests get 4xx; Ctrl-C ends the server.
//   node serve_test.js FOLIO BOOK_DIR SCRATCH_DIR RELOAD_LIMIT_SECONDS
"use strict";
const {spawn} = require("child_process");
const fs = require("fs");
const http = require("http");
const path = require("path");
const puppeteer = require(path.join(__dirname, "../ace/node_modules/puppeteer-core"));

const [folio, bookDir, scratch, limitArg] = process.argv.slice(2);
const reloadLimit = Number(limitArg || 2) * 1000;
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok" : "FAIL"}: ${what}`);
  if (!ok) failures++;
}

// A request with its path as written (no ../ folded away) and extra headers.
function get(url, rawPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({host: u.hostname, port: u.port, path: rawPath, headers}, res => {
      const chunks = [];
      res.on("data", c => chunks.push(c));
      res.on("end", () => resolve({status: res.statusCode, type: res.headers["content-type"] || "", body: Buffer.concat(chunks)}));
    });
    req.on("error", reject);
    req.end();
  });
}

function waitFor(stream, pattern, ms) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; saw:\n${seen}`)), ms);
    stream.on("data", d => {
      seen += d;
      const m = seen.match(pattern);
      if (m) { clearTimeout(timer); resolve(m); }
    });
  });
}

let server = null;
(async () => {
  fs.rmSync(scratch, {recursive: true, force: true});
  fs.mkdirSync(scratch, {recursive: true});
  const book = path.join(scratch, "book");
  fs.cpSync(bookDir, book, {recursive: true});
  // A line no break can save, so that the preview has a fault of the setting to note.
  const overfull = "A number too long for any line: " + "1234567890".repeat(8) + ".";
  for (const f of fs.readdirSync(book, {recursive: true}))
    if (f.endsWith(".md")) fs.appendFileSync(path.join(book, f), `\n\n${overfull}\n`);
  server = spawn(folio, ["serve", book, "-o", path.join(scratch, "out"), "--port", "0"]);
  server.stderr.on("data", d => process.stderr.write(d));
  const built = waitFor(server.stdout, /build 1: built/, 60000);
  const url = (await waitFor(server.stdout, /preview at (http:\/\/127\.0\.0\.1:\d+\/)/, 30000))[1];
  await built;
  console.log(`serving at ${url}`);

  // What the server answers, and refuses.
  const index = await get(url, "/");
  check(index.status === 200 && index.type.startsWith("text/html"), "the page is served");
  check(!/https?:\/\/(?!127\.0\.0\.1)/.test(index.body.toString()), "the page names no other host");
  const state = JSON.parse((await get(url, "/state.json")).body.toString());
  check(state.articles.length > 0 && state.articles[0].spreads.length > 0, "the state lists articles and their spreads");
  const faulty = state.articles.find(a => a.notes.some(n => n.text.includes("overfull line")));
  const fault = faulty && faulty.notes.find(n => n.text.includes("overfull line"));
  check(fault && fault.spread > 0 && faulty.spreads.includes(fault.spread) && fault.text.includes("1234567890"),
        `the overfull line is noted with its article, on one of its spreads (${fault && fault.text})`);
  const doc = await get(url, "/book/" + state.articles[0].document);
  check(doc.status === 200 && doc.type.startsWith("application/xhtml+xml"), "an article's EPUB page is served");
  const png = await get(url, `/spread/${state.articles[0].spreads[0]}.png`);
  check(png.status === 200 && png.body.subarray(1, 4).toString() === "PNG", "a spread is a PNG");
  for (const bad of ["/book/../../../../etc/passwd", "/../../etc/passwd", "/book/EPUB/../../book.yaml", "/spread/0.png",
                     "/spread/99999.png", "/out/", "/state.json/../../etc/passwd"]) {
    const r = await get(url, bad);
    check(r.status >= 400 && r.status < 500 && !r.body.toString().includes("root:"), `${bad} is refused (${r.status})`);
  }
  const huge = await get(url, "/", {"X-Huge": "a".repeat(100000)}).catch(() => ({status: 400}));
  check(huge.status >= 400 && huge.status < 500, `a 100 kB header is refused (${huge.status})`);

  // The page in a browser.
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url, {waitUntil: "load"});  // never idle: /events stays open
    // The page draws itself once /state.json has come: wait for that, not for "load".
    await page.waitForFunction(t => document.getElementById("title").textContent === t, {timeout: 10000}, state.title)
      .catch(() => {});
    const title = await page.$eval("#title", e => e.textContent);
    check(title === state.title && title.length > 0, `the book's title is shown ("${title}")`);
    const frameText = async () => {
      const handle = await page.$("#epub");
      const frame = await handle.contentFrame();
      return frame ? frame.evaluate(() => document.body ? document.body.innerText : "") : "";
    };
    await page.waitForFunction(() => {
      const f = document.getElementById("epub");
      return f.contentDocument && f.contentDocument.body && f.contentDocument.body.innerText.length > 100;
    }, {timeout: 10000});
    check((await frameText()).includes(state.articles[0].title), "the article's text is in the frame");
    await page.waitForFunction(() => [...document.querySelectorAll("#spreads img")].some(i => i.complete && i.naturalWidth > 0),
                               {timeout: 20000});
    check(true, "a print spread is shown");
    const linked = await page.$$eval("#notes a", links => links.map(a => a.getAttribute("href")));
    check(linked.length > 0 && await page.evaluate(ids => ids.every(h => document.querySelector(h)), linked),
          `each note on a page links to its spread (${linked.join(", ")})`);

    // An edit shows up without a reload by hand.
    const file = path.join(book, state.articles[0].file);
    const marker = "Edited while the preview was open.";
    const before = Date.now();
    fs.appendFileSync(file, `\n\n${marker}\n`);
    let seen = false;
    while (Date.now() - before < 15000) {
      if ((await frameText().catch(() => "")).includes(marker)) { seen = true; break; }
      await new Promise(r => setTimeout(r, 50));
    }
    const took = Date.now() - before;
    check(seen && took <= reloadLimit, `the edit shows in the frame after ${took} ms (limit ${reloadLimit} ms)`);
  } finally {
    await browser.close();
  }

  const exited = new Promise(resolve => server.on("exit", (code, signal) => resolve({code, signal})));
  server.kill("SIGINT");
  const end = await exited;
  check(end.code === 0, `Ctrl-C ends the server with exit code 0 (${end.code}, ${end.signal})`);
  process.exit(failures ? 1 : 0);
})().catch(e => {
  console.error(e);
  if (server) server.kill("SIGKILL");
  process.exit(1);
});
