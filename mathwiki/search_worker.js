// Material for MkDocs' search worker, answered from Pagefind's chunked index (mathwiki/search_index.py copies
// this file into the site as assets/javascripts/search-pagefind.js).
//
// Material's page script starts this worker, sends SETUP (0) and then one QUERY (2) per keystroke, and renders
// the RESULT (3) it gets back in its own search box: the same box, shortcuts and result list readers know. A
// query downloads only the index chunks of its words and the excerpts of the pages shown, never the whole index.
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const SHOWN = 20;     // result pages sent to Material, each with its excerpt
const SECTIONS = 4;   // headings shown under each page
const site = new URL("../../", self.location.href);  // this file is assets/javascripts/ under the site
let pagefind = null;
let ready = null;  // resolves once Pagefind is loaded
let latest = 0;
// Material shows how many results it was given; the page script search_count.js shows the true total from here.
const counts = "BroadcastChannel" in self ? new BroadcastChannel("mathwiki-search") : null;

function escape(text) {
  return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})[c]);
}

// Pagefind's excerpts hold <mark> around the matched words; anything else is shown as text.
function excerpt(html) {
  const text = String(html || "").replace(/<\/?mark>/g, m => (m === "<mark>" ? "\u0001" : "\u0002"));
  const plain = text.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return escape(plain).replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>");
}

// Pagefind's URLs are paths from the site root ("/topics/x/#y"); Material wants them relative to the site.
function relative(url) {
  return String(url).replace(/^\/+/, "");
}

async function search(query) {
  const text = String(query || "").trim();
  if (!text) return {items: []};
  const found = await pagefind.search(text);
  // Material puts the words in the result links (?h=...), so the page it opens marks them.
  const terms = Object.fromEntries(text.toLowerCase().split(/\s+/).filter(Boolean).map(word => [word, true]));
  const pages = await Promise.all(found.results.slice(0, SHOWN).map(result => result.data()));
  const items = pages.map((page, rank) => {
    const score = found.results[rank].score || 0;
    const title = escape((page.meta && page.meta.title) || page.url);
    const article = {location: relative(page.url), title, text: excerpt(page.excerpt), score, terms};
    const sections = (page.sub_results || [])
      .filter(section => section.url.includes("#") && section.url !== page.url)
      .slice(0, SECTIONS)
      .map((section, index) => ({
        location: relative(section.url),
        title: escape(section.title),
        text: excerpt(section.excerpt),
        score: index === 0 ? score : score / 2,  // the best heading beside the page, the rest under "more"
        terms,
      }));
    return [article, ...sections];
  });
  if (counts) counts.postMessage({query: text, total: found.results.length, shown: items.length});
  return {items};
}

addEventListener("message", async event => {
  const message = event.data || {};
  if (message.type === SETUP) {
    ready = (async () => {
      pagefind = await import(new URL("assets/pagefind/pagefind.js", site).href);
      await pagefind.options({basePath: new URL("assets/pagefind/", site).href, baseUrl: "/", excerptLength: 24});
      await pagefind.init();
    })();
    await ready;
    postMessage({type: READY});
  } else if (message.type === QUERY) {
    const ticket = ++latest;
    let data;
    try {
      await ready;
      data = await search(message.data);
    } catch (error) {
      console.warn("search failed:", error);
      data = {items: []};
    }
    if (ticket === latest) postMessage({type: RESULT, data});  // a newer keystroke's answer replaces this one
  }
});
