// The maths engine's side of mathwiki/typeset.py: one long-lived Node process that typesets formulas.
//
// Reads one JSON request per line on stdin: {"engine": "temml" | "katex", "items": [{"tex": str, "display": bool}]}
// and writes one JSON line per request on stdout: {"results": [{"html": str} | {"error": str}]}, in order.
// Page text is untrusted: the engine runs with trust off (no \href, \url, \htmlClass...) and a bound on macro
// expansion; every request gets fresh macros, so a \gdef on one page cannot change another page's maths.
//
// Temml writes MathML Core, which the browser lays out with the STIX Two Math font the site ships; its
// annotation keeps the TeX source, for screen readers that read it and for search.

import { createInterface } from "node:readline";
import temml from "temml";

let katex = null; // loaded on first use: only benchmarks/maths_engines.py asks for it

// Accepted so that formulas written for LaTeX's numbered environments read: the label has no target here.
const MACROS = {
  "\\label": "\\@secondoftwo{#1}{}", // reads its argument and typesets nothing
};

const TEMML_OPTIONS = {
  annotate: true, // the TeX source, in <annotation encoding="application/x-tex">
  wrap: "tex", // an inline formula may break after a top-level relation or operator, as TeX breaks it
  throwOnError: true,
  strict: false,
  trust: false,
  maxExpand: 1000,
  maxSize: [20, 200], // \rule, \kern and the like: at most 20 em, or 200 pt in absolute units
};

const KATEX_OPTIONS = {
  output: "htmlAndMathml",
  throwOnError: true,
  strict: "ignore",
  trust: false,
  maxExpand: 1000,
  maxSize: 20,
};

function typeset(engine, item) {
  const macros = { ...MACROS };
  if (engine === "katex") {
    return katex.renderToString(item.tex, { ...KATEX_OPTIONS, displayMode: item.display, macros });
  }
  return temml.renderToString(item.tex, { ...TEMML_OPTIONS, displayMode: item.display, macros });
}

async function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { fatal: `unreadable request: ${error.message}` };
  }
  if (request.engine === "katex" && katex === null) katex = (await import("katex")).default;
  const results = [];
  for (const item of request.items || []) {
    try {
      if (typeof item.tex !== "string") throw new Error("the formula is not text");
      results.push({ html: typeset(request.engine, item) });
    } catch (error) {
      results.push({ error: String(error && error.message ? error.message : error) });
    }
  }
  return { results };
}

// Requests are answered one at a time, in order (the Python side waits for each answer).
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  process.stdout.write(JSON.stringify(await answer(line)) + "\n");
}
