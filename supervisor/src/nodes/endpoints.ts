// The ML endpoints of a supervisor (`--ml-endpoint`, repeated and/or comma-separated): fixed
// addresses ("host:port", "[v6]:port", "unix:/path") and `dns:///name:port` targets (gRPC's name
// syntax) that stand for every address the name resolves to, e.g. a Kubernetes headless Service;
// `dns://SERVER/name:port` asks that DNS server (an IP address, port 53 unless given).
import { isIP } from 'node:net';
import { invalidArgument } from '@tabagent/common';

/** One endpoint target. */
export type EndpointTarget =
  | { readonly kind: 'address'; readonly address: string }
  | {
    readonly kind: 'dns'; readonly host: string; readonly port: number;
    /** The DNS server of `dns://SERVER/...` as "IP:PORT" ("" = the default resolver). */
    readonly server: string;
  };

/** Port of a DNS server given without one. */
const DNS_PORT = 53;

/** The authority of `dns://AUTHORITY/...` as "IP:PORT" ("" stays ""); undefined when it is not an IP address. */
function dnsAuthority(authority: string): string | undefined {
  if (authority === '') return '';
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(authority);
  const ip = m?.[1] ?? m?.[2] ?? '';
  const port = m?.[3] === undefined ? DNS_PORT : Number(m[3]);
  if (!m || isIP(ip) === 0 || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return joinHostPort(ip, port);
}

/** Splits repeated and comma-separated values into trimmed, non-empty items. */
export function splitEndpoints(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

/** Parses one endpoint. `dns:///host:port`, `dns://SERVER/host:port` and `dns:host:port` resolve; anything else is an address. */
export function parseEndpoint(raw: string): EndpointTarget {
  const dns = /^dns:(?:\/\/([^/]*)\/)?(.+)$/.exec(raw);
  if (!dns) {
    if (!raw.startsWith('unix:') && !/:\d+$/.test(raw)) throw invalidArgument('ml-endpoint', `"${raw}" needs a port (host:port, dns:///name:port or unix:/path)`);
    return { kind: 'address', address: raw };
  }
  const server = dnsAuthority(dns[1] ?? '');
  if (server === undefined) throw invalidArgument('ml-endpoint', `"${raw}": the DNS server of dns://SERVER/name:port must be an IP address, optionally with :PORT`);
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(dns[2] ?? '');
  const port = Number(m?.[2]);
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) throw invalidArgument('ml-endpoint', `"${raw}" must be dns:///name:port`);
  return { kind: 'dns', host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port, server };
}

/** "host:port" for a resolved address (IPv6 in brackets). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
