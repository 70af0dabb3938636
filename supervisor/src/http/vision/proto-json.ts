// The Vision messages by reflection on vision.proto (protobufjs): requests encoded from plain
// objects, responses decoded to the proto3 JSON mapping (lowerCamelCase names, enums by name, bytes
// in base64, int64 as numbers) printed with the fields that have no presence (scalars, repeated,
// maps), as protobuf's JSON printer does with "always print fields with no presence"; a message
// field that is not set is left out. The JSON schema of that output documents the HTTP answers.
import { isAbsolute, join } from 'node:path';
import protobuf from 'protobufjs';
import { protoDir } from '@tabagent/protos';

/** A JSON schema (as plain data). */
export type JsonSchema = Record<string, unknown>;

const PACKAGE = 'tabagent.v1';

const SCALAR_SCHEMAS: Readonly<Record<string, JsonSchema>> = Object.freeze({
  double: { type: 'number' }, float: { type: 'number' },
  int32: { type: 'integer' }, sint32: { type: 'integer' }, sfixed32: { type: 'integer' },
  uint32: { type: 'integer', minimum: 0 }, fixed32: { type: 'integer', minimum: 0 },
  int64: { type: 'integer' }, sint64: { type: 'integer' }, sfixed64: { type: 'integer' },
  uint64: { type: 'integer', minimum: 0 }, fixed64: { type: 'integer', minimum: 0 },
  bool: { type: 'boolean' }, string: { type: 'string' }, bytes: { type: 'string', format: 'byte' },
});

/** Drops null (unset message fields) from a toObject result. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
  return out;
}

/** The Vision messages of the contract. */
export class VisionMessages {
  readonly #root: protobuf.Root;

  constructor() {
    const root = new protobuf.Root();
    // Imports name files relative to the contract's root folder ("tabagent/v1/common.proto").
    root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(protoDir, target));
    root.loadSync('tabagent/v1/vision.proto', { keepCase: false, alternateCommentMode: true });
    root.resolveAll();
    this.#root = root;
  }

  type(name: string): protobuf.Type {
    return this.#root.lookupType(`${PACKAGE}.${name}`);
  }

  /** Serializes a plain object (camelCase fields, enums by name or number, bytes as Buffers). */
  encode(name: string, value: Record<string, unknown>): Buffer {
    const t = this.type(name);
    return Buffer.from(t.encode(t.fromObject(value)).finish());
  }

  decode(name: string, bytes: Uint8Array): protobuf.Message {
    return this.type(name).decode(bytes);
  }

  /** The JSON answer of a decoded message. */
  toJson(name: string, message: protobuf.Message): Record<string, unknown> {
    const obj = this.type(name).toObject(message, { longs: Number, enums: String, bytes: String, defaults: true, arrays: true, objects: true, json: true });
    return dropNulls(obj) as Record<string, unknown>;
  }

  /** JSON schema of toJson's output for a message. */
  schema(name: string): JsonSchema {
    return messageSchema(this.type(name));
  }
}

function valueSchema(f: protobuf.Field): JsonSchema {
  const r = f.resolvedType;
  if (r instanceof protobuf.Type) return messageSchema(r);
  if (r instanceof protobuf.Enum) return { type: 'string', enum: Object.keys(r.values) };
  return { ...SCALAR_SCHEMAS[f.type] };
}

function messageSchema(t: protobuf.Type): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const f of t.fieldsArray) {
    let s: JsonSchema;
    if (f instanceof protobuf.MapField) s = { type: 'object', additionalProperties: { ...SCALAR_SCHEMAS[f.type] } };
    else if (f.repeated) s = { type: 'array', items: valueSchema(f) };
    else s = valueSchema(f);
    if (f.comment) s['description'] = f.comment;
    properties[f.name] = s;
    // Fields without presence are always printed; messages and proto3 `optional` only when set.
    if (f.repeated || f instanceof protobuf.MapField || (!(f.resolvedType instanceof protobuf.Type) && f.partOf === null)) required.push(f.name);
  }
  return { type: 'object', ...(t.comment ? { description: t.comment } : {}), properties, required, additionalProperties: false };
}
