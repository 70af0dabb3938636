// Where the ML nodes of a scale-out test live. As root, with `ip netns` working, each node gets its
// own network namespace with its own address on a bridge (veth pairs, 10.77.N.0/24) and the
// supervisor stays in the root namespace at the bridge's address, as on separate machines. Without
// root or iproute2 (or with TABAGENT_TEST_NETNS=0) every node runs on loopback (its own port). The
// mode that ran is logged.
// Names carry the creating process id (`tans<pid>x<i>`, bridge `tabr<pid>`), so a later run removes
// what a killed earlier run left behind without touching the namespaces of a run still alive.
import { execFileSync } from 'node:child_process';

/** Prefix of the test's namespaces; the bridge and veth names have their own. */
const NS_PREFIX = 'tans';
const BRIDGE_PREFIX = 'tabr';
const VETH_PREFIX = 'tav';

/** A place for one ML node: the command prefix that runs a process there, and its address. */
export interface NodeSlot {
  /** The node's IP address (127.0.0.1 on loopback). */
  readonly ip: string;
  /** Where the node listens: a fixed port in a namespace, any free port on loopback. */
  readonly listen: string;
  /** Prefix of the command line (`ip netns exec NAME`), empty on loopback. */
  readonly wrap: readonly string[];
}

/** The network of one test. */
export interface NodeNetwork {
  readonly mode: 'netns' | 'loopback';
  /** The supervisor's address as the nodes reach it. */
  readonly hostIp: string;
  /** The address the supervisor binds so both the test (loopback) and the nodes reach it. */
  readonly bindHost: string;
  readonly slots: readonly NodeSlot[];
  /** Removes the namespaces and the bridge (idempotent, synchronous: safe in an exit handler). */
  cleanup(): void;
}

/** The port every node listens on inside its own namespace (each has its own address). */
export const NODE_PORT = 50052;

function ip(args: readonly string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function quietly(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces and bridges of earlier runs whose process is gone. */
export function sweepLeftovers(): string[] {
  const removed: string[] = [];
  const dead = (name: string, prefix: string): boolean => {
    const m = new RegExp(`^${prefix}(\\d+)`).exec(name);
    return m !== null && !alive(Number(m[1]));
  };
  for (const line of ip(['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    if (!dead(name, NS_PREFIX)) continue;
    quietly(() => ip(['netns', 'del', name]));
    removed.push(name);
  }
  for (const line of ip(['-o', 'link', 'show']).split('\n')) {
    const name = (/^\d+:\s+([^:@\s]+)/.exec(line)?.[1]) ?? '';
    if (!dead(name, BRIDGE_PREFIX) && !dead(name, VETH_PREFIX)) continue;
    quietly(() => ip(['link', 'del', name]));
    removed.push(name);
  }
  return removed;
}

/** A 10.77.N.0/24 no interface here uses yet (N starts from the process id). */
function freeSubnet(pid: number): string {
  const used = ip(['-o', '-4', 'addr', 'show']);
  for (let k = 0; k < 250; k++) {
    const subnet = `10.77.${(pid + k) % 250}`;
    if (!used.includes(` ${subnet}.`)) return subnet;
  }
  throw new Error('no free 10.77.N.0/24 subnet');
}

/** Loopback slots: every node on 127.0.0.1, any free port. */
function loopback(count: number): NodeNetwork {
  const slots = Array.from({ length: count }, () => ({ ip: '127.0.0.1', listen: '127.0.0.1:0', wrap: [] }));
  return { mode: 'loopback', hostIp: '127.0.0.1', bindHost: '127.0.0.1', slots, cleanup: () => undefined };
}

/** Whether this process may make network namespaces and run node in one (root, `ip netns` works). */
function canUseNamespaces(probe: string): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    ip(['netns', 'add', probe]);
  } catch {
    return false;
  }
  try {
    execFileSync('ip', ['netns', 'exec', probe, process.execPath, '-e', '0'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  } finally {
    quietly(() => ip(['netns', 'del', probe]));
  }
}

/** Sets up `count` node slots: namespaces when possible, loopback otherwise; logs the mode. */
export function nodeNetwork(count: number, log: (line: string) => void = (l) => void process.stdout.write(`${l}\n`)): NodeNetwork {
  const pid = process.pid;
  if (process.env['TABAGENT_TEST_NETNS'] === '0' || !canUseNamespaces(`${NS_PREFIX}${pid}probe`)) {
    log('node network: loopback ports (not root, `ip netns` unavailable, or TABAGENT_TEST_NETNS=0)');
    return loopback(count);
  }
  const swept = sweepLeftovers();
  if (swept.length > 0) log(`node network: removed leftovers of an earlier run: ${swept.join(', ')}`);
  const subnet = freeSubnet(pid);
  const bridge = `${BRIDGE_PREFIX}${pid}`;
  // Only what this call made is removed (names and the bridge).
  const names: string[] = [];
  const made = { bridge: false };
  const cleanup = (): void => {
    for (const n of names.splice(0)) quietly(() => ip(['netns', 'del', n]));
    if (made.bridge) quietly(() => ip(['link', 'del', bridge]));
    made.bridge = false;
    process.off('exit', cleanup);
  };
  process.on('exit', cleanup);
  try {
    ip(['link', 'add', bridge, 'type', 'bridge']);
    made.bridge = true;
    ip(['addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
    ip(['link', 'set', bridge, 'up']);
    const slots = Array.from({ length: count }, (_, i): NodeSlot => {
      const ns = `${NS_PREFIX}${pid}x${i}`;
      const host = `${VETH_PREFIX}${pid}n${i}`;
      const addr = `${subnet}.${10 + i}`;
      ip(['netns', 'add', ns]);
      names.push(ns);
      ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      ip(['link', 'set', host, 'master', bridge, 'up']);
      ip(['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0']);
      ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      return { ip: addr, listen: `${addr}:${NODE_PORT}`, wrap: ['ip', 'netns', 'exec', ns] };
    });
    log(`node network: ${count} network namespaces on bridge ${bridge} (${subnet}.0/24), supervisor at ${subnet}.1`);
    return { mode: 'netns', hostIp: `${subnet}.1`, bindHost: '0.0.0.0', slots, cleanup };
  } catch (err) {
    cleanup();
    log(`node network: namespaces failed (${(err as Error).message.split('\n')[0]}); loopback ports instead`);
    return loopback(count);
  }
}
