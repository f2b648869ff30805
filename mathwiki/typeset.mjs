// The maths engine's side of mathwiki/typeset.py: one long-lived Node process that typesets formulas.
//
// Reads one JSON request per line on stdin: {"engine": "katex" | "temml", "items": [{"tex": str, "display": bool}]}
// and writes one JSON line per request on stdout: {"results": [{"html": str} | {"error": str}]}, in order.
// Page text is untrusted: KaTeX runs with trust off (no \href, \url, \htmlClass...), a bound on macro expansion
// and on sizes; every request gets fresh macros, so a \gdef on one page cannot change another page's maths.

import { createInterface } from "node:readline";
import katex from "katex";

let temml = null; // loaded on first use: only benchmarks/maths_engines.py asks for it

// Accepted so that formulas written for LaTeX's numbered environments read: the label has no target here.
const MACROS = {
  "\\label": "\\@secondoftwo{#1}{}", // reads its argument and typesets nothing
};

const KATEX_OPTIONS = {
  output: "htmlAndMathml", // HTML for the eye (with KaTeX's fonts), MathML for screen readers
  throwOnError: true,
  strict: "ignore",
  trust: false,
  maxExpand: 1000,
  maxSize: 20,
};

function typeset(engine, item) {
  const macros = { ...MACROS };
  if (engine === "temml") {
    return temml.renderToString(item.tex, {
      displayMode: item.display,
      throwOnError: true,
      trust: false,
      maxExpand: 1000,
      macros,
    });
  }
  return katex.renderToString(item.tex, { ...KATEX_OPTIONS, displayMode: item.display, macros });
}

async function answer(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { fatal: `unreadable request: ${error.message}` };
  }
  if (request.engine === "temml" && temml === null) temml = (await import("temml")).default;
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
