// A second, independent check of every spec (make interop): each JSON example against its
// operation's schema and each errors.yaml against errors.schema.json, with ajv in strict mode.
// (The OpenAPI documents themselves are linted by Redocly; the XML examples are validated by
// xmlschema in the Python suite, tests/interop/test_xml_examples.py.)
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { OpenApiSpec, SPECS, newAjv, readJson, readYaml } from "./spec.ts";

const failures: string[] = [];
let passed = 0;

function run(what: string, check: () => void): void {
  try {
    check();
    passed += 1;
  } catch (error) {
    failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// Examples are named <OperationId>[.<variant>].<request|response>.json.
function checkExample(spec: OpenApiSpec, file: string, path: string): void {
  const parts = file.split(".");
  const operationId = parts[0] ?? "";
  const direction = parts.at(-2);
  const body = readJson(path);
  if (direction === "request") spec.checkRequest(operationId, body);
  else if (direction === "response") {
    if (!spec.checkResponse(operationId, 200, body)) throw new Error("HTTP 200 has no JSON schema");
  } else throw new Error("name is not <OperationId>[.<variant>].<request|response>.json");
}

const errorsSchema = readJson(join(SPECS, "errors.schema.json"));
const ajv = newAjv();
const validateErrors = ajv.compile(errorsSchema as object);
const providers = readdirSync(SPECS, { withFileTypes: true }).filter((e) => e.isDirectory());
for (const { name: provider } of providers) {
  const folder = join(SPECS, provider);
  run(`${provider}/errors.yaml`, () => {
    if (!validateErrors(readYaml(join(folder, "errors.yaml")))) {
      throw new Error(ajv.errorsText(validateErrors.errors));
    }
  });
  if (!existsSync(join(folder, "openapi.yaml"))) continue;
  const spec = new OpenApiSpec(provider);
  const examples = join(folder, "examples");
  for (const file of readdirSync(examples).filter((f) => f.endsWith(".json")).sort()) {
    run(`${provider}/examples/${file}`, () => checkExample(spec, file, join(examples, file)));
  }
}
for (const failure of failures) console.error(failure);
console.log(`spec checks (ajv strict): ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length ? 1 : 0;
