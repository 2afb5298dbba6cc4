// advanced_ws from TypeScript: the npm `soap` package reads specs/advanced_ws/service.wsdl (whose
// address is a path only: the vendor's host is unknown, so the endpoint is always given) and
// calls GetCredit, SendSMS (a repeated number), SendMultipleSMS, GetStatus and GetMsg, then
// GetCredit with a wrong password. Run by tests/interop/test_typescript.py against the sandbox it
// started; it prints what it saw as one JSON object, including the raw response envelopes, which
// that test validates against the WSDL's schema with xmlschema:
//   node src/advanced_ws.ts <base url>
import { join } from "node:path";

import { createClientAsync } from "soap";

import { SPECS } from "./spec.ts";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8765";
const LINE = "50002910001080";

const client = await createClientAsync(join(SPECS, "advanced_ws", "service.wsdl"), {
  endpoint: `${baseUrl}/advanced/server.php`,
});
const responses: string[] = [];
const account = { user: "demo", pass: "demo" };

type Answer = [Record<string, unknown>, string];
type Items<T> = { item?: T[] } | undefined;

async function call(method: Promise<unknown>): Promise<Record<string, unknown>> {
  const [result, raw] = (await method) as Answer;
  responses.push(raw);
  return result ?? {};
}

const credit = await call(client.GetCreditAsync(account));
const sent = await call(
  client.SendSMSAsync({
    ...account,
    fromNum: LINE,
    toNum: { item: ["09121234567", "09351234567", "09121234567"] },
    messageContent: "سلام",
  }),
);
const ids = ((sent.result as Items<string | number>)?.item ?? []).map(String);
const pairs = await call(
  client.SendMultipleSMSAsync({
    ...account,
    fromNum: LINE,
    toNums: { item: ["09121234567", "12345"] },
    messageContents: { item: ["a", "b"] },
  }),
);
const status = await call(client.GetStatusAsync({ ...account, unique_ids: { item: ids } }));
const inbox = await call(client.GetMsgAsync(account));
const wrong = await call(client.GetCreditAsync({ ...account, pass: "wrong" }));
const entries = (pairs.result as Items<{ ErrCode: string | number }>)?.item ?? [];
const messages = (inbox.result as Items<{ from: string }>)?.item ?? [];

console.log(
  JSON.stringify({
    credit: String(credit.result),
    sendCode: String(sent.ErrCode),
    ids,
    pairCodes: entries.map((e) => String(e.ErrCode)),
    statuses: ((status.result as Items<string | number>)?.item ?? []).map(String),
    senders: messages.map((m) => m.from),
    wrongPasswordCode: String(wrong.ErrCode),
    responses,
  }),
);
