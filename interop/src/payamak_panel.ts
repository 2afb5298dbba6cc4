// payamak_panel from TypeScript: the npm `soap` package reads specs/payamak_panel/send.wsdl and
// incoming.wsdl (one per ASMX service) and calls GetCredit, SendSms, GetDelivery and
// GetNewMessagesList, then SendSms with a wrong password. Run by tests/interop/test_typescript.py
// against the sandbox it started; it prints what it saw as one JSON object, including the raw
// response envelopes, which that test validates against the WSDLs' schemas with xmlschema:
//   node src/payamak_panel.ts <base url>
import { join } from "node:path";

import { createClientAsync } from "soap";

import { SPECS } from "./spec.ts";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8765";
const LINE = "50002910001080";

const send = await createClientAsync(join(SPECS, "payamak_panel", "send.wsdl"), {
  endpoint: `${baseUrl}/post/send.asmx`,
});
const incoming = await createClientAsync(join(SPECS, "payamak_panel", "incoming.wsdl"), {
  endpoint: `${baseUrl}/post/IncomingMessages.asmx`,
});
const responses: string[] = [];
const account = { username: "demo", password: "demo" };

type Answer = [Record<string, unknown>, string];

async function call(method: Promise<unknown>): Promise<Record<string, unknown>> {
  const [result, raw] = (await method) as Answer;
  responses.push(raw);
  return result ?? {};
}

const credit = await call(send.GetCreditAsync(account));
const sent = await call(
  send.SendSmsAsync({
    ...account,
    to: { string: ["09121234567"] },
    from: LINE,
    text: "سلام",
    isflash: false,
  }),
);
const ids = (sent.recId as { long: (string | number)[] } | undefined)?.long ?? [];
const delivery = await call(send.GetDeliveryAsync({ recId: ids[0] }));
const inbox = await call(incoming.GetNewMessagesListAsync({ ...account, from: LINE }));
const wrong = await call(
  send.SendSmsAsync({
    ...account,
    password: "wrong",
    to: { string: ["09121234567"] },
    from: LINE,
    text: "x",
    isflash: false,
  }),
);
const messages =
  (inbox.GetNewMessagesListResult as { Message?: { Sender: string }[] } | undefined)?.Message ?? [];

console.log(
  JSON.stringify({
    credit: String(credit.GetCreditResult),
    sendResult: String(sent.SendSmsResult),
    recIds: ids.map(String),
    status: String(sent.status),
    delivery: String(delivery.GetDeliveryResult),
    senders: messages.map((m) => m.Sender),
    wrongPasswordResult: String(wrong.SendSmsResult),
    responses,
  }),
);
