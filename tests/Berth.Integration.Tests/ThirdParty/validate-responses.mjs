// Checks real responses against the schemas the OpenAPI document declares for them (JSON Schema 2020-12, ajv).
// Usage: node validate-responses.mjs openapi.json samples.json
// samples.json: [{ "path": "/api/sessions/s-1" (a real path, matched against the templates), "method": "get", "status": "200", "contentType": "...", "body": {...} }]
// Prints one line per failure and exits 1 when any sample does not match, 0 when all do.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [docFile, samplesFile] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docFile, "utf8"));
const samples = JSON.parse(readFileSync(samplesFile, "utf8"));
// strict: false because the document is not itself a schema (openapi, info, paths are not keywords).
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
ajv.addSchema(doc, "openapi.json");
const pointer = (parts) => parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

let failures = 0;
const templates = Object.keys(doc.paths ?? {}).map((t) => ({
  template: t,
  literal: !t.includes("{"),
  pattern: new RegExp("^" + t.replace(/\/$/, "").replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "/?$"),
}));
const templateFor = (path, method) => {
  const candidates = templates.filter((t) => t.pattern.test(path) && doc.paths[t.template][method]);
  return (candidates.find((t) => t.literal) ?? candidates[0])?.template;
};

for (const s of samples) {
  s.path = templateFor(s.path, s.method) ?? s.path;
  const response = doc.paths?.[s.path]?.[s.method]?.responses?.[s.status];
  if (!response) { console.log(`${s.method} ${s.path} ${s.status}: no such response in the document`); failures++; continue; }
  const location = response.$ref
    ? `${response.$ref.slice(1)}/content/${pointer([s.contentType])}/schema`
    : `/${pointer(["paths", s.path, s.method, "responses", s.status, "content", s.contentType, "schema"])}`;
  let validate;
  try { validate = ajv.compile({ $ref: `openapi.json#${location}` }); }
  catch (e) { console.log(`${s.method} ${s.path} ${s.status}: no schema at ${location}: ${e.message}`); failures++; continue; }
  if (!validate(s.body)) {
    console.log(`${s.method} ${s.path} ${s.status}: ${JSON.stringify(validate.errors)}`);
    failures++;
  }
}
console.log(`${samples.length - failures}/${samples.length} samples match their schemas`);
process.exit(failures === 0 ? 0 : 1);
