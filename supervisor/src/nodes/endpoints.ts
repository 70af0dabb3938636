// The ML endpoints of a supervisor (`--ml-endpoint`, repeated and/or comma-separated): fixed
// addresses ("host:port", "[v6]:port", "unix:/path") and `dns:///name:port` targets (gRPC's name
// syntax) that stand for every address the name resolves to, e.g. a Kubernetes headless Service.
import { invalidArgument } from '@tabagent/common';

/** One endpoint target. */
export type EndpointTarget =
  | { readonly kind: 'address'; readonly address: string }
  | { readonly kind: 'dns'; readonly host: string; readonly port: number };

/** Splits repeated and comma-separated values into trimmed, non-empty items. */
export function splitEndpoints(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

/** Parses one endpoint. `dns:///host:port` and `dns:host:port` resolve; anything else is an address. */
export function parseEndpoint(raw: string): EndpointTarget {
  const dns = /^dns:(?:\/\/[^/]*\/)?(.+)$/.exec(raw);
  if (!dns) {
    if (!raw.startsWith('unix:') && !/:\d+$/.test(raw)) throw invalidArgument('ml-endpoint', `"${raw}" needs a port (host:port, dns:///name:port or unix:/path)`);
    return { kind: 'address', address: raw };
  }
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(dns[1] ?? '');
  const port = Number(m?.[2]);
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) throw invalidArgument('ml-endpoint', `"${raw}" must be dns:///name:port`);
  return { kind: 'dns', host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

/** "host:port" for a resolved address (IPv6 in brackets). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
