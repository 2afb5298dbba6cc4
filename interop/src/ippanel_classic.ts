// ippanel_classic from TypeScript: types generated from specs/ippanel_classic/openapi.yaml by
// openapi-typescript, calls made with openapi-fetch (a form body: lists as JSON text inside
// their fields, as the spec's `encoding` object says), and every JSON answer validated against
// the same spec by ajv. Run by tests/interop/test_typescript.py against the sandbox it started:
//   node src/ippanel_classic.ts <base url>   → prints what it saw as one JSON object
import createClient, { type Middleware } from "openapi-fetch";

import type { components, paths } from "../generated/ippanel_classic.ts"; // by openapi-typescript
import { OpenApiSpec } from "./spec.ts"; // ajv validators compiled from the same openapi.yaml

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8765"; // `make sandbox` serves there
type Schemas = components["schemas"];
type Form = paths["/services.jspd"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
const spec = new OpenApiSpec("ippanel_classic");
let validated = 0;

// Every JSON answer, success or error, must be one the spec describes.
const validate: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    if (!response.headers.get("content-type")?.startsWith("application/json")) return;
    const body: unknown = await response.clone().json();
    if (spec.checkResponse(spec.operationAt(request.method, schemaPath), response.status, body)) {
      validated += 1;
    }
  },
};

// The form as the spec's `encoding` object says: list fields are JSON text, the rest text.
function formBody(form: Form): string {
  const fields = Object.entries(form).map(([name, value]): [string, string] => [
    name,
    Array.isArray(value) ? JSON.stringify(value) : String(value),
  ]);
  return new URLSearchParams(fields).toString();
}

const client = createClient<paths>({ baseUrl });
client.use(validate);

async function call(form: Form, parseAs: "json" | "text" = "json"): Promise<unknown> {
  const { data, response } = await client.POST("/services.jspd", {
    body: form,
    bodySerializer: formBody,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    parseAs,
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return data;
}

const login = { uname: "demo", pass: "demo" } as const;
const credit = (await call({ ...login, op: "credit" })) as [0, Schemas["Credit"]];
const sent = (await call({
  ...login,
  op: "send",
  from: "50002910001080",
  message: "سلام",
  to: ["09121234567", "09351234567"],
})) as [0, Schemas["BulkId"]];
const bulkId = sent[1];
// delivery's data is JSON inside the JSON answer: decoded a second time.
const delivery = (await call({ ...login, op: "delivery", uinqid: bulkId })) as [0, string];
const report = JSON.parse(delivery[1]) as Schemas["DeliveryResult"];
// checkmessage answers its object, not [code, data].
const check = (await call({ ...login, op: "checkmessage", messageid: bulkId })) as Schemas["CheckmessageResult"];
const unknown = await call({ ...login, op: "delivery", uinqid: 1 }); // the literal null
const wrong = (await call({ uname: "demo", pass: "wrong", op: "credit" })) as Schemas["ErrorResponse"];
const wrongText = await call({ uname: "demo", pass: "wrong", op: "delivery", uinqid: 1 }, "text");

console.log(
  JSON.stringify({
    credit: credit[1],
    bulkId,
    report,
    check,
    unknown,
    wrongCode: wrong[0],
    wrongText,
    validated,
  }),
);
