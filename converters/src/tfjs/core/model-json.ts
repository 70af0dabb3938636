// Typed, validated view of a TFJS graph-model `model.json` (topology, signature, weights manifest).

import { invalidModel } from './errors.js';

/** One attribute value as serialized by the TFJS converter (protobuf JSON form). */
export interface TfAttr {
  readonly s?: string;
  readonly i?: string | number;
  readonly f?: number;
  readonly b?: boolean;
  readonly type?: string | number;
  readonly shape?: { readonly dim?: ReadonlyArray<{ readonly size?: string | number }> };
  readonly list?: { readonly s?: string[]; readonly i?: Array<string | number>; readonly f?: number[] };
  readonly tensor?: unknown;
}

/** A graph node with control dependencies removed from its inputs. */
export interface TfNode {
  readonly name: string;
  readonly op: string;
  /** Data inputs as `node` or `node:k` references. */
  readonly inputs: readonly string[];
  readonly attr: Readonly<Record<string, TfAttr>>;
}

/** One entry of a weights manifest group. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: {
    readonly dtype: string;
    readonly scale?: number;
    readonly min?: number;
    readonly original_dtype?: string;
  };
}

/** A signature entry: tensor name (`node:k`), dtype and shape (-1 = unknown). */
export interface TensorInfo {
  readonly key: string;
  readonly tensorName: string;
  readonly dtype: string | undefined;
  readonly shape: readonly number[] | undefined;
}

/** The parts of model.json the converter uses. */
export interface TfGraphModel {
  readonly nodes: readonly TfNode[];
  readonly weightSpecs: readonly WeightSpec[];
  readonly signatureInputs: readonly TensorInfo[];
  readonly signatureOutputs: readonly TensorInfo[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseShape(v: unknown): number[] | undefined {
  if (!isRecord(v)) return undefined;
  if (v['unknownRank'] === true) return undefined;
  const dims = Array.isArray(v['dim']) ? v['dim'] : [];
  return dims.map((d: unknown) => (isRecord(d) && d['size'] !== undefined ? Number(d['size']) : -1));
}

function parseSignatureSide(v: unknown): TensorInfo[] {
  if (!isRecord(v)) return [];
  return Object.entries(v).map(([key, info]) => {
    if (!isRecord(info) || typeof info['name'] !== 'string') {
      throw invalidModel(`signature entry "${key}" has no tensor name`);
    }
    return {
      key,
      tensorName: info['name'],
      dtype: typeof info['dtype'] === 'string' ? info['dtype'] : undefined,
      shape: parseShape(info['tensorShape']),
    };
  });
}

function parseNode(v: unknown, index: number): TfNode {
  if (!isRecord(v) || typeof v['name'] !== 'string' || typeof v['op'] !== 'string') {
    throw invalidModel(`modelTopology.node[${index}] lacks a name or op`);
  }
  const rawInputs = Array.isArray(v['input']) ? v['input'] : [];
  const inputs = rawInputs.filter((x): x is string => typeof x === 'string' && !x.startsWith('^'));
  const attr = isRecord(v['attr']) ? (v['attr'] as Record<string, TfAttr>) : {};
  return { name: v['name'], op: v['op'], inputs, attr };
}

/** Validates and extracts what the converter needs from a parsed model.json. */
export function parseModelJson(modelJson: unknown): TfGraphModel {
  if (!isRecord(modelJson)) throw invalidModel('model.json is not an object');
  const topology = modelJson['modelTopology'];
  if (!isRecord(topology) || !Array.isArray(topology['node'])) {
    throw invalidModel('model.json has no modelTopology.node list (is it a graph model?)');
  }
  if (isRecord(topology['library']) && Array.isArray(topology['library']['function']) &&
      topology['library']['function'].length > 0) {
    throw invalidModel('graph models with function libraries (control flow) are not supported');
  }
  const nodes = topology['node'].map(parseNode);
  const manifest = Array.isArray(modelJson['weightsManifest']) ? modelJson['weightsManifest'] : [];
  const weightSpecs: WeightSpec[] = [];
  for (const group of manifest) {
    if (!isRecord(group) || !Array.isArray(group['weights'])) throw invalidModel('bad weightsManifest group');
    for (const w of group['weights']) {
      if (!isRecord(w) || typeof w['name'] !== 'string' || !Array.isArray(w['shape'])) {
        throw invalidModel('bad weightsManifest entry');
      }
      weightSpecs.push(w as unknown as WeightSpec);
    }
  }
  const signature = isRecord(modelJson['signature']) ? modelJson['signature'] : {};
  return {
    nodes,
    weightSpecs,
    signatureInputs: parseSignatureSide(signature['inputs']),
    signatureOutputs: parseSignatureSide(signature['outputs']),
  };
}

/** Splits `node:k` into the node name and output index. */
export function splitTensorName(ref: string): { node: string; index: number } {
  const m = /^(.*):(\d+)$/.exec(ref);
  if (m === null || m[1] === undefined || m[2] === undefined) return { node: ref, index: 0 };
  return { node: m[1], index: Number(m[2]) };
}

/** Paths of the weight files in manifest order; the weights buffer is their concatenation. */
export function weightPaths(modelJson: unknown): string[] {
  if (!isRecord(modelJson) || !Array.isArray(modelJson['weightsManifest'])) return [];
  return modelJson['weightsManifest'].flatMap((g: unknown) =>
    isRecord(g) && Array.isArray(g['paths']) ? g['paths'].filter((p): p is string => typeof p === 'string') : []);
}
