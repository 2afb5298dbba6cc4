// trez_xml from TypeScript: the npm `soap` package reads specs/trez_xml/xmlforsms.wsdl and calls
// getxml, whose string carries an xmlrequest document and whose result an xmlresponse document
// (specs/trez_xml/xmlapi.xsd). Run by tests/interop/test_typescript.py against the sandbox it
// started; it prints every document it sent and received, which that test validates against the
// XSD with xmlschema (an XSD validator independent of libxml2):
//   node src/trez_xml.ts <base url>   → prints what it saw as one JSON object
import { join } from "node:path";

import { DOMParser } from "@xmldom/xmldom";
import { createClientAsync } from "soap";

import { SPECS } from "./spec.ts";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8765";
const LINE = "50002910001080";

const client = await createClientAsync(join(SPECS, "trez_xml", "xmlforsms.wsdl"), {
  endpoint: `${baseUrl}/XmlForSMS.asmx`,
});
const exchanges: { request: string; response: string }[] = [];

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// One getxml call: the fields become the xmlrequest's elements, `body` its body element as given.
async function getxml(fields: Record<string, string>, body = ""): Promise<Element> {
  const elements = Object.entries(fields).map(([tag, value]) => `<${tag}>${escape(value)}</${tag}>`);
  const request = `<?xml version="1.0" encoding="utf-8"?><xmlrequest>${elements.join("")}${body}</xmlrequest>`;
  const [answer] = (await client.getxmlAsync({ xmlString: request })) as [{ getxmlResult: string }];
  exchanges.push({ request, response: answer.getxmlResult });
  const root = new DOMParser().parseFromString(answer.getxmlResult, "text/xml").documentElement;
  if (root === null || root.tagName !== "xmlresponse") throw new Error("answer is not an xmlresponse");
  return root as unknown as Element;
}

function text(root: Element, tag: string): string | undefined {
  return root.getElementsByTagName(tag)[0]?.textContent ?? undefined;
}

const account = { username: "demo", password: "demo", number: LINE };
const credit = await getxml({ ...account, action: "credit" });
const sent = await getxml(
  {
    ...account,
    action: "sendmessage",
    type: "0",
    dodate: "", // empty: send now
    message: "سلام",
    usergroupid: `order-${crypto.randomUUID()}`, // once per account
  },
  '<body><recipient mobile="09121234567"></recipient></body>',
);
const groupId = text(sent, "groupmid");
if (groupId === undefined) throw new Error(`sendmessage answered code ${text(sent, "code")}`);
const status = await getxml({ ...account, action: "status", type: "0", usergroupid: groupId });
const wrong = await getxml({ ...account, password: "wrong", action: "credit" });

console.log(
  JSON.stringify({
    credit: text(credit, "body"),
    groupId,
    statusOfGroup: status.getElementsByTagName("body")[0]?.getAttribute("status"),
    recipients: Array.from(status.getElementsByTagName("recipient"), (r) => r.getAttribute("mobile")),
    wrongPasswordCode: text(wrong, "code"),
    exchanges,
  }),
);
