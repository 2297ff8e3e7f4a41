// Expands JSON-LD documents in safe mode (what signing libraries use: a
// term, a type or a value that the contexts do not define is an error, not
// silently dropped) with jsonld.js, loading contexts only from local files.
//
// Usage: node jsonld-expand.mjs URL=FILE... -- DOCUMENT.json...
// Each URL=FILE serves FILE for the context URL; any other URL is an error
// (nothing is fetched). Prints one JSON line per document:
// {"file": …, "expanded": [...]} or {"file": …, "error": "…"}.
// Run by interop/tests/api/ob3.rs.
import { readFileSync } from "node:fs";
import jsonld from "jsonld";

const args = process.argv.slice(2);
const split = args.indexOf("--");
if (split < 0) {
  console.error("usage: node jsonld-expand.mjs URL=FILE... -- DOCUMENT.json...");
  process.exit(64);
}
const contexts = new Map();
for (const pair of args.slice(0, split)) {
  const at = pair.indexOf("=");
  contexts.set(pair.slice(0, at), JSON.parse(readFileSync(pair.slice(at + 1), "utf8")));
}

async function documentLoader(url) {
  if (!contexts.has(url)) {
    throw new Error(`no local copy of the context ${url}`);
  }
  return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
}

for (const file of args.slice(split + 1)) {
  let line;
  try {
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const expanded = await jsonld.expand(doc, { documentLoader, safe: true });
    line = { file, expanded };
  } catch (e) {
    const details = e.details ? ` ${JSON.stringify(e.details)}` : "";
    line = { file, error: `${e.name}: ${e.message}${details}` };
  }
  console.log(JSON.stringify(line));
}
