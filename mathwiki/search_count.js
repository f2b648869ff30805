// The true number of matches in Material's search header, when there are more than the results shown.
//
// Material writes the count of the results it was given; the search worker (search_worker.js, which gives it
// the first 20) posts each query's total on a BroadcastChannel, and this page script writes "20 of 137
// matching documents" over Material's "20 matching documents". mathwiki/search_index.py ships it.
"use strict";
(() => {
  if (!("BroadcastChannel" in window)) return;
  const channel = new BroadcastChannel("mathwiki-search");
  let latest = null;  // {query, total, shown} of the last query answered
  const apply = () => {
    const meta = document.querySelector(".md-search-result__meta");
    const input = document.querySelector(".md-search__input");
    if (!meta || !input || !latest || input.value.trim() !== latest.query || latest.total <= latest.shown) return;
    const text = `${latest.shown} of ${latest.total.toLocaleString("en")} matching documents`;
    if (meta.textContent !== text) meta.textContent = text;
  };
  channel.addEventListener("message", event => { latest = event.data; apply(); });
  const watch = () => {
    const meta = document.querySelector(".md-search-result__meta");
    if (meta) new MutationObserver(apply).observe(meta, {childList: true, characterData: true, subtree: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
