// Turns the endpoint targets (plus an optional endpoints file, one target a line) into the set of
// node addresses, and keeps it current: DNS names are resolved again every interval (pods come and
// go behind a headless Service) and the file is read again, so nodes can be added and removed while
// running. A failed lookup keeps the addresses that name had: a DNS blip never drops live nodes.
import { readFile } from 'node:fs/promises';
import { lookup, Resolver } from 'node:dns/promises';
import type { Logger } from '@tabagent/common';
import { joinHostPort, parseEndpoint, splitEndpoints, type EndpointTarget } from './endpoints.js';

/** Resolves a host name to its IP addresses. */
export type HostResolver = (host: string) => Promise<string[]>;

/** Every address of a name (A and AAAA, /etc/hosts included), like gRPC's dns resolver. */
export const systemResolver: HostResolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** Lookup timeout and tries of a dedicated DNS server (a blip keeps the last addresses anyway). */
const DNS_TIMEOUT_MS = 1_000;
const DNS_TRIES = 2;

/**
 * Every A and AAAA record of a name, asked of one DNS server ("IP:PORT"), as gRPC's dns resolver
 * asks the authority of `dns://SERVER/name:port`. A name that exists with no address record
 * (NODATA) has no nodes; any other failure is an error (the caller keeps the last addresses).
 */
export function dnsServerResolver(server: string): HostResolver {
  const r = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: DNS_TRIES });
  r.setServers([server]);
  return async (host) => {
    const [v4, v6] = await Promise.allSettled([r.resolve4(host), r.resolve6(host)]);
    const ips = [v4, v6].flatMap((x) => (x.status === 'fulfilled' ? x.value : []));
    const failed = [v4, v6].filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (ips.length > 0 || failed.every((x) => (x.reason as { code?: string }).code === 'ENODATA')) return ips;
    const err = failed.find((x) => (x.reason as { code?: string }).code !== 'ENODATA')?.reason as unknown;
    throw err instanceof Error ? err : new Error(`no address for ${host}`);
  };
}

/** Options of EndpointResolver. */
export interface EndpointResolverOptions {
  readonly endpoints: readonly string[];
  /** A file of more endpoints, read again at every refresh ("" = none). */
  readonly file: string;
  readonly intervalMs: number;
  /** Resolver of names without a DNS server of their own (default: the system resolver). */
  readonly resolve?: HostResolver;
  /** Resolver asking one DNS server, for `dns://SERVER/name:port` (default: dnsServerResolver). */
  readonly serverResolver?: (server: string) => HostResolver;
  readonly log: Logger;
  /** Runs with the sorted address list whenever it changes. */
  readonly onChange: (addresses: readonly string[]) => void;
  readonly every?: (ms: number, fn: () => void) => () => void;
}

/** Keeps the node address list of the endpoint targets current. */
export class EndpointResolver {
  readonly #o: EndpointResolverOptions;
  readonly #targets: readonly EndpointTarget[];
  /** The last good addresses of each DNS name and file line. */
  readonly #known = new Map<string, string[]>();
  /** The targets of the last good read of the file. */
  #lastFile: EndpointTarget[] = [];
  /** One resolver per DNS server named in a target. */
  readonly #servers = new Map<string, HostResolver>();
  #current = '';
  #stop: () => void = () => undefined;
  #refreshing: Promise<void> | undefined;

  constructor(opts: EndpointResolverOptions) {
    this.#o = opts;
    this.#targets = splitEndpoints(opts.endpoints).map(parseEndpoint);
  }

  /** Resolves once, then again every interval. */
  async start(): Promise<void> {
    await this.refresh();
    const every = this.#o.every ?? ((ms, fn) => {
      const t = setInterval(fn, ms);
      t.unref();
      return () => clearInterval(t);
    });
    this.#stop = every(this.#o.intervalMs, () => void this.refresh());
  }

  stop(): void {
    this.#stop();
  }

  /** Resolves every target now (one refresh at a time). */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refreshOnce().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refreshOnce(): Promise<void> {
    const targets = [...this.#targets, ...(await this.#fileTargets())];
    const lists = await Promise.all(targets.map((t) => this.#addressesOf(t)));
    const addresses = [...new Set(lists.flat())].sort();
    const key = addresses.join(',');
    if (key === this.#current) return;
    this.#current = key;
    this.#o.log.info({ nodes: addresses }, 'ML node addresses changed');
    this.#o.onChange(addresses);
  }

  async #fileTargets(): Promise<EndpointTarget[]> {
    if (!this.#o.file) return [];
    try {
      const lines = (await readFile(this.#o.file, 'utf8')).split('\n').map((l) => l.replace(/#.*/, ''));
      this.#lastFile = splitEndpoints(lines).flatMap((raw) => {
        try {
          return [parseEndpoint(raw)];
        } catch (err) {
          this.#o.log.warn({ file: this.#o.file, err: (err as Error).message }, 'ignoring a bad endpoint line');
          return [];
        }
      });
      return this.#lastFile;
    } catch (err) {
      this.#o.log.warn({ file: this.#o.file, err: (err as Error).message }, 'cannot read the endpoints file; keeping the last list');
      return this.#lastFile;
    }
  }

  #resolverOf(server: string): HostResolver {
    if (!server) return this.#o.resolve ?? systemResolver;
    let r = this.#servers.get(server);
    if (!r) {
      r = (this.#o.serverResolver ?? dnsServerResolver)(server);
      this.#servers.set(server, r);
    }
    return r;
  }

  async #addressesOf(t: EndpointTarget): Promise<string[]> {
    if (t.kind === 'address') return [t.address];
    const key = `dns:${t.server}/${t.host}:${t.port}`;
    try {
      const ips = await this.#resolverOf(t.server)(t.host);
      const out = ips.map((ip) => joinHostPort(ip, t.port));
      this.#known.set(key, out);
      return out;
    } catch (err) {
      const kept = this.#known.get(key) ?? [];
      this.#o.log.warn({ host: t.host, err: (err as Error).message, kept }, 'DNS lookup of ML nodes failed; keeping the last addresses');
      return kept;
    }
  }
}
