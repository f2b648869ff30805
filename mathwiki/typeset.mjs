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

// TeX sets no space around a binary operator, relation or comma inside a sub- or superscript (or a limit):
// x^{n-1}, W^{(l+1)}, \sum_{i=1}. Chromium's MathML gives them their full text spacing there, so an operator
// in script position that Temml left to the browser's defaults gets its spaces set to zero. Large operators
// keep theirs (TeX keeps the thin space around an operator such as \sum in every style); fences have none.
const SCRIPTS = { msub: 1, msup: 1, msubsup: 1, munder: 1, mover: 1, munderover: 1, mmultiscripts: 1 };
const LARGE_OPERATOR = /^[\u220F-\u2211\u222B-\u2233\u22C0-\u22C3\u2A00-\u2A0C]$/u;

const PRIMES = /^[\u2032-\u2034\u2057]+$/u;

// A prime, or a row of primes (f'' is two)
function isPrime(node) {
  if (!node || !Array.isArray(node.children) || node.children.length === 0) return false;
  if (node.type === "mrow") return node.children.every(isPrime);
  return node.type === "mo" && PRIMES.test(node.children.map((child) => child.text || "").join(""));
}

// Where Chromium's MathML sets a formula differently from TeX, the tree is changed to read as TeX sets it: the
// spacing in scripts and the primes, above.
function setAsTex(node, inScript) {
  if (!node || !Array.isArray(node.children)) return;
  if (inScript && node.type === "mo" && node.attributes.lspace === undefined && node.attributes.rspace === undefined) {
    const text = node.children.map((child) => child.text || "").join("");
    if (text !== "" && node.attributes.fence !== "true" && !LARGE_OPERATOR.test(text)) {
      node.attributes.lspace = "0em";
      node.attributes.rspace = "0em";
    }
  }
  // STIX Two Math draws ′ at superscript height already: as a superscript it would be raised twice, so a
  // prime follows its base instead (f'_x: the prime follows the subscripted base)
  if (node.type === "msup" && isPrime(node.children[1])) {
    node.type = "mrow";
  } else if (node.type === "msubsup" && isPrime(node.children[2])) {
    const [base, subscript, prime] = node.children;
    node.type = "mrow";
    node.children = [mathNode(node, "msub", [base, subscript]), prime];
  }
  const scripts = SCRIPTS[node.type] === 1;
  node.children.forEach((child, index) => setAsTex(child, inScript || (scripts && index > 0)));
}

// A node of Temml's MathML tree, made like the ones Temml makes (its class is not exported).
function mathNode(like, type, children, attributes = {}, classes = []) {
  return Object.assign(Object.create(Object.getPrototypeOf(like)), {
    type, attributes, children, classes, style: {}, label: "",
  });
}

// Temml breaks a long inline formula after a top-level relation or operator, as TeX does, only without its
// annotation: each piece is a child of <math>, which its stylesheet makes a wrapping flex box. The pieces are
// kept together in one <mrow class="math-wrap"> inside <semantics>, beside the TeX annotation, and wiki.css
// makes that row the wrapping box.
function withAnnotation(math, tex) {
  // the pieces come in a DocumentFragment (children, no element type of its own) when there are several
  const pieces = math.children.flatMap((child) => (child.type === undefined && Array.isArray(child.children)
    ? child.children : [child]));
  // A piece that is a lone operator (\dots, or the relation after it) would be an "embellished operator",
  // spaced by its parent's layout, which is the flex box, so it would get no space at all: it joins the piece
  // before it.
  const joined = [];
  for (const piece of pieces) {
    const lone = piece.type === "mrow" && piece.children.length === 1 && piece.children[0].type === "mo";
    const before = joined[joined.length - 1];
    if (lone && before && before.type === "mrow") before.children.push(piece.children[0]);
    else joined.push(piece);
  }
  const body = joined.length === 1 ? joined[0] : mathNode(math, "mrow", joined, {}, ["math-wrap"]);
  const annotation = mathNode(math, "annotation", [{ text: tex, toMarkup: () => escapeText(tex) }],
    { encoding: "application/x-tex" });
  math.children = [mathNode(math, "semantics", [body, annotation])];
  return math;
}

function escapeText(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

function typeset(engine, item) {
  const macros = { ...MACROS };
  if (engine === "katex") {
    return katex.renderToString(item.tex, { ...KATEX_OPTIONS, displayMode: item.display, macros });
  }
  const options = { ...TEMML_OPTIONS, displayMode: item.display, macros };
  let tree;
  if (item.display) {
    tree = temml.__renderToMathMLTree(item.tex, options);
  } else {
    tree = withAnnotation(temml.__renderToMathMLTree(item.tex, { ...options, annotate: false }), item.tex);
  }
  setAsTex(tree, false);
  return tree.toMarkup();
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
