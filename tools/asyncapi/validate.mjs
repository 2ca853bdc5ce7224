// Validates an AsyncAPI document with the official parser (@asyncapi/parser, its schema and
// Spectral rules): `node tools/asyncapi/validate.mjs docs/asyncapi.json`. Prints every
// diagnostic; exits 1 when any has severity error, so CI and the pytest wrapper fail on it.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { DiagnosticSeverity, Parser } from "@asyncapi/parser";

const SEVERITY = {
  [DiagnosticSeverity.Error]: "error",
  [DiagnosticSeverity.Warning]: "warning",
  [DiagnosticSeverity.Information]: "info",
  [DiagnosticSeverity.Hint]: "hint",
};

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs <asyncapi document>");
  process.exit(2);
}

const source = resolve(file);
const { document, diagnostics } = await new Parser().parse(await readFile(source, "utf8"), {
  source,
});
for (const d of diagnostics) {
  const where = d.path.length ? d.path.join("/") : "(document)";
  console.log(`${SEVERITY[d.severity] ?? d.severity} ${d.code} at ${where}: ${d.message}`);
}
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
if (errors.length > 0 || document === undefined) {
  console.error(`${file}: invalid AsyncAPI document (${errors.length} errors)`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}`);
