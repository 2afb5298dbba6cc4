// Reads a provider's OpenAPI document and compiles ajv validators (JSON Schema 2020-12, which
// is what OpenAPI 3.1 schemas are, in strict mode) for its request bodies and responses.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";

export const SPECS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "specs");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function readYaml(path: string): Json {
  return parse(readFileSync(path, "utf8")) as Json;
}

export function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, "utf8")) as Json;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function newAjv(): Ajv2020 {
  // strict: unknown keywords, unknown formats and ignored keywords are errors, not silence.
  // `type: [integer, string]` is plain JSON Schema; ajv's strictTypes would only have it
  // rewritten as anyOf, so union types are allowed and every other strict check stays on.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  // OpenAPI's format registry: int64 is a signed 64-bit integer (JSON numbers past 2^53 lose
  // precision in JavaScript, so only the range is checked).
  ajv.addFormat("int64", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 63,
  });
  return ajv;
}

// Vendor extensions (x-description-fa, x-inferred, x-payamak-* …) are annotations. Strict mode
// refuses unknown keywords, so every x- key in the document is declared, whatever its name:
// a new extension needs no change here.
function declareExtensions(ajv: Ajv2020, node: Json, declared = new Set<string>()): void {
  if (Array.isArray(node)) {
    node.forEach((item) => declareExtensions(ajv, item, declared));
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-") && !declared.has(key)) {
        ajv.addKeyword(key);
        declared.add(key);
      }
      declareExtensions(ajv, value, declared);
    }
  }
}

// `#/components/schemas/X` points into the OpenAPI document; in the schema resource ajv gets,
// the same schemas sit under $defs of `base`.
function rebase(node: Json, base: string): Json {
  if (Array.isArray(node)) return node.map((item) => rebase(item, base));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")
        ? `${base}#/$defs/${value.slice("#/components/schemas/".length)}`
        : rebase(value, base);
  }
  return out;
}

interface Operation {
  request?: Json;
  responses: Map<string, Json | undefined>; // status → schema (undefined: no body described)
}

export class OpenApiSpec {
  readonly provider: string;
  readonly operations = new Map<string, Operation>();
  private readonly byPath = new Map<string, string>(); // "POST /path" → operationId
  private readonly ajv = newAjv();
  private readonly base: string;
  private readonly compiled = new Map<Json, ValidateFunction>();
  private readonly sharedResponses: JsonObject;

  constructor(provider: string) {
    this.provider = provider;
    this.base = `urn:payamak:${provider}`;
    const doc = readYaml(join(SPECS, provider, "openapi.yaml"));
    if (!isObject(doc) || !isObject(doc.components) || !isObject(doc.paths)) {
      throw new Error(`${provider}: not an OpenAPI document with paths and components`);
    }
    declareExtensions(this.ajv, doc);
    const schemas = isObject(doc.components.schemas) ? doc.components.schemas : {};
    this.sharedResponses = isObject(doc.components.responses) ? doc.components.responses : {};
    this.ajv.addSchema({ $id: this.base, $defs: rebase(schemas, this.base) });
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!isObject(item)) continue;
      for (const [method, op] of Object.entries(item)) {
        if (!isObject(op) || typeof op.operationId !== "string") continue;
        this.operations.set(op.operationId, this.operation(op));
        this.byPath.set(`${method.toUpperCase()} ${path}`, op.operationId);
      }
    }
  }

  private operation(op: JsonObject): Operation {
    const json = (holder: Json | undefined): Json | undefined => {
      if (!isObject(holder) || !isObject(holder.content)) return undefined;
      const media = holder.content["application/json"];
      return isObject(media) ? rebase(media.schema ?? {}, this.base) : undefined;
    };
    const responses = new Map<string, Json | undefined>();
    if (isObject(op.responses)) {
      for (const [status, response] of Object.entries(op.responses)) {
        responses.set(status, json(this.resolveResponse(response)));
      }
    }
    return { request: json(op.requestBody), responses };
  }

  private resolveResponse(response: Json): Json | undefined {
    if (!isObject(response) || typeof response.$ref !== "string") return response;
    const prefix = "#/components/responses/";
    const shared = response.$ref.startsWith(prefix)
      ? this.sharedResponses[response.$ref.slice(prefix.length)]
      : undefined;
    if (shared === undefined) throw new Error(`${this.provider}: cannot resolve ${response.$ref}`);
    return shared;
  }

  private validator(schema: Json): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(schema as object);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private get(operationId: string): Operation {
    const op = this.operations.get(operationId);
    if (op === undefined) throw new Error(`${this.provider}: no operation ${operationId}`);
    return op;
  }

  /** Throws unless `body` fits the operation's request body schema. */
  checkRequest(operationId: string, body: unknown): void {
    const schema = this.get(operationId).request;
    if (schema === undefined) throw new Error(`${operationId}: no JSON request body described`);
    this.check(schema, body, `${operationId} request`);
  }

  /**
   * Throws unless the answer is one the spec describes: its status is listed and, where that
   * response has a JSON body, the body fits it. Returns whether a body schema was applied.
   */
  checkResponse(operationId: string, status: number, body: unknown): boolean {
    const responses = this.get(operationId).responses;
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => responses.has(k));
    if (key === undefined) throw new Error(`${operationId}: HTTP ${status} is not described`);
    const schema = responses.get(key);
    if (schema === undefined) return false;
    this.check(schema, body, `${operationId} HTTP ${status} answer`);
    return true;
  }

  /** The operationId of a method and path template, as the spec lists them. */
  operationAt(method: string, path: string): string {
    const id = this.byPath.get(`${method.toUpperCase()} ${path}`);
    if (id === undefined) throw new Error(`${this.provider}: ${method} ${path} is not described`);
    return id;
  }

  private check(schema: Json, data: unknown, what: string): void {
    const validate = this.validator(schema);
    if (!validate(data)) {
      throw new Error(`${this.provider} ${what} does not fit the spec: ${this.ajv.errorsText(validate.errors)}`);
    }
  }
}
