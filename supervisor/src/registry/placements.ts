// A model's copies on the ML nodes (placements) and the pure rules over them: what state the model
// shows for its copies, which nodes a new copy goes to (spread: the node holding the fewest models,
// then the least busy), and which node serves a call (least in-flight work among those holding
// every model the call needs).
import { Device } from '@tabagent/protos/v1/common';
import { ModelState, type ModelPlacement } from '@tabagent/protos/v1/model_management';

/**
 * States of one copy. "lost": its node went away; the copy is reloaded when the node returns.
 * "draining": a surplus copy that takes no new call and is unloaded once its calls have finished.
 */
export type PlacementState = 'loading' | 'ready' | 'lost' | 'failed' | 'draining';

/** One model's copy on one node (mutable, owned by SupervisorModels). */
/** What a load reported (a copy's, and the model's from its oldest ready copy), and the last error. */
export interface LoadFacts {
  lastError: string;
  warnings: string[];
  provider: string;
  device: Device;
  memoryBytes: number;
  loadedAtMs: number;
}

export interface Placement extends LoadFacts {
  readonly node: string;
  state: PlacementState;
  pid: number;
  inFlight: number;
  routed: number;
}

/** A fresh copy on `node`, loading. */
export function newPlacement(node: string): Placement {
  return {
    node, state: 'loading', lastError: '', warnings: [], provider: '', device: Device.DEVICE_UNSPECIFIED,
    memoryBytes: 0, loadedAtMs: 0, pid: 0, inFlight: 0, routed: 0,
  };
}

/** The public view of a copy (wire enum for the state). */
export type PlacementView = ModelPlacement;

const WIRE: Readonly<Record<PlacementState, ModelState>> = {
  loading: ModelState.MODEL_STATE_LOADING,
  lost: ModelState.MODEL_STATE_LOADING,
  ready: ModelState.MODEL_STATE_READY,
  failed: ModelState.MODEL_STATE_FAILED,
  draining: ModelState.MODEL_STATE_UNLOADED,
};

/** Views of the copies, in node order. */
export function placementViews(ps: Iterable<Placement>): PlacementView[] {
  return [...ps].sort((a, b) => a.node.localeCompare(b.node)).map((p) => {
    const ready = p.state === 'ready';
    return {
      node: p.node, state: WIRE[p.state], device: ready ? p.device : Device.DEVICE_UNSPECIFIED, executionProvider: ready ? p.provider : '',
      memoryBytes: ready ? p.memoryBytes : 0, childPid: ready ? p.pid : 0, inFlight: p.inFlight, routedTotal: p.routed, lastError: p.lastError,
    };
  });
}

/** What a model's copies add up to: ready when one is; else loading (or lost); else failed. */
export function aggregate(ps: Iterable<Placement>): Placement | undefined {
  const all = [...ps];
  return all.filter((p) => p.state === 'ready').sort((a, b) => a.loadedAtMs - b.loadedAtMs)[0]
    ?? all.find((p) => p.state === 'loading') ?? all.find((p) => p.state === 'lost') ?? all.find((p) => p.state === 'failed');
}

/** Whether a copy counts towards the model's replicas (ready, or on its way there). */
export function active(p: Placement | undefined): boolean {
  return p?.state === 'ready' || p?.state === 'loading';
}

/** Load per node, for placement and routing decisions. */
export interface NodeLoad {
  /** Copies (ready or loading) the node holds. */
  models(node: string): number;
  /** Requests and streams running on the node. */
  busy(node: string): number;
}

/**
 * Nodes a model should get new copies on: of `up` (the ready nodes), the ones without an active
 * copy, fewest models first, then least busy; as many as the replicas ask for (0 = every node).
 */
export function placementTargets(up: readonly string[], placements: ReadonlyMap<string, Placement>, replicas: number, load: NodeLoad): string[] {
  const have = up.filter((n) => active(placements.get(n))).length;
  const want = replicas === 0 ? up.length : Math.min(replicas, up.length);
  if (have >= want) return [];
  const free = up.filter((n) => !active(placements.get(n)));
  free.sort((a, b) => load.models(a) - load.models(b) || load.busy(a) - load.busy(b) || a.localeCompare(b));
  return free.slice(0, want - have);
}

/**
 * The node to serve a call that needs every model of `copies` (each a model's placements): of the
 * ready nodes that hold all of them ready, the least busy; a node to avoid (the one a call just lost)
 * is taken only when no other holds them. Undefined when no ready node holds them all.
 */
export function pickNode(up: readonly string[], copies: ReadonlyArray<ReadonlyMap<string, Placement>>, load: NodeLoad, avoid?: string): string | undefined {
  const holding = up.filter((n) => copies.every((ps) => ps.get(n)?.state === 'ready'));
  const preferred = holding.filter((n) => n !== avoid);
  const pool = preferred.length > 0 ? preferred : holding;
  let best: string | undefined;
  for (const n of pool) if (best === undefined || load.busy(n) < load.busy(best)) best = n;
  return best;
}

/** The node to load a call's missing models on: the ready node (not `avoid` if possible) already holding most of them, then least busy. */
export function loadTarget(up: readonly string[], copies: ReadonlyArray<ReadonlyMap<string, Placement>>, load: NodeLoad, avoid?: string): string | undefined {
  const others = up.filter((n) => n !== avoid);
  const pool = others.length > 0 ? others : up;
  const held = (n: string): number => copies.filter((ps) => ps.get(n)?.state === 'ready').length;
  return [...pool].sort((a, b) => held(b) - held(a) || load.busy(a) - load.busy(b) || load.models(a) - load.models(b) || a.localeCompare(b))[0];
}

/**
 * Nodes whose copy of a model is surplus: when more up nodes hold it ready than its replicas ask for
 * (never for replicas 0, every node), the extra copies to retire, least busy node first, then the
 * newest copy first. Copies still loading are never counted as surplus.
 */
export function surplusCopies(up: readonly string[], placements: ReadonlyMap<string, Placement>, replicas: number, load: NodeLoad): string[] {
  if (replicas === 0) return [];
  const ready = up.map((n) => placements.get(n)).filter((p): p is Placement => p?.state === 'ready');
  const extra = ready.length - replicas;
  if (extra <= 0) return [];
  return [...ready]
    .sort((a, b) => load.busy(a.node) - load.busy(b.node) || b.loadedAtMs - a.loadedAtMs || b.node.localeCompare(a.node))
    .slice(0, extra).map((p) => p.node);
}
