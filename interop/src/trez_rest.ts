// trez_rest from TypeScript: types generated from specs/trez_rest/openapi.yaml by
// openapi-typescript, calls made with openapi-fetch, and every answer validated against the same
// spec by ajv. Run by tests/interop/test_typescript.py against the sandbox it started:
//   node src/trez_rest.ts <base url>   → prints what it saw as one JSON object
// --8<-- [start:readme]
import createClient, { type Middleware } from "openapi-fetch";

import type { components, paths } from "../generated/trez_rest.ts"; // by openapi-typescript
import { OpenApiSpec } from "./spec.ts"; // ajv validators compiled from the same openapi.yaml

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8765"; // `make sandbox` serves there
type Schemas = components["schemas"];
const spec = new OpenApiSpec("trez_rest");
let validated = 0;

// Every answer, success or error, must be one the spec describes.
const validate: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const body: unknown = await response.clone().json().catch(() => undefined);
    const operationId = spec.operationAt(request.method, schemaPath);
    if (spec.checkResponse(operationId, response.status, body)) validated += 1;
  },
};

function connect(user: string, password: string) {
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Basic ${btoa(`${user}:${password}`)}` },
  });
  client.use(validate);
  return client;
}

// Error answers come with HTTP 200 too: the spec's oneOf is keyed by Code, 0 being success.
function succeeded<T extends { Code: number }>(answer?: T): answer is Extract<T, { Code: 0 }> {
  return answer?.Code === 0;
}

const client = connect("demo", "demo");
const credit = (await client.POST("/api/smsAPI/GetCredit", { body: {} })).data;
const sent = (
  await client.POST("/api/smsAPI/SendMessage", {
    body: {
      PhoneNumber: "50002910001080",
      Message: "سلام",
      Mobiles: ["09121234567"],
      UserGroupID: `order-${crypto.randomUUID()}`, // the caller's reference: once per account
      SendDateInTimeStamp: 0, // in the past = now
    },
  })
).data;
if (!succeeded(credit) || !succeeded(sent)) throw new Error("GetCredit or SendMessage failed");
const groupId: Schemas["SendMessageResult"] = sent.Result;
const status = (
  await client.POST("/api/smsAPI/GroupMessageStatus", { body: { GroupMessageId: groupId } })
).data;
if (!succeeded(status)) throw new Error(`GroupMessageStatus answered ${status?.Code}`);

const unknown = (
  await client.POST("/api/smsAPI/GroupMessageStatus", { body: { GroupMessageId: "no-such-id" } })
).data; // an error answer: {"Code": 3002, "Message": "…", "Result": null}
const wrong = await connect("demo", "wrong").POST("/api/smsAPI/GetCredit", { body: {} });
// --8<-- [end:readme]

console.log(
  JSON.stringify({
    credit: credit.Result,
    groupId,
    statusCode: status.Result.StatusCode,
    recipients: status.Result.MessagesListState.map((row) => row.Mobile),
    unknownGroupCode: unknown?.Code,
    unknownGroupResult: unknown?.Result,
    wrongPasswordStatus: wrong.response.status,
    validated,
  }),
);
