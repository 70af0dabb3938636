// A tiny authoritative DNS server over UDP (RFC 1035) for end-to-end tests: it answers A queries for
// the names it is given (the answer can change while it runs, as a headless Service's records do when
// pods come and go), NOERROR with no answer for other types of a known name, NXDOMAIN otherwise.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

const TYPE_A = 1;
const CLASS_IN = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;
const TTL_SECONDS = 0;

/** A running responder. */
export interface DnsResponder {
  /** "127.0.0.1:PORT", for `--ml-dns-server`. */
  readonly address: string;
  /** Sets the A records of a name (an empty list: the name exists with no address). */
  set(name: string, ips: readonly string[]): void;
  /** Queries answered so far, by name. */
  queries(name: string): number;
  close(): Promise<void>;
}

/** Reads the question's name and type; undefined for a malformed message. */
function question(msg: Buffer): { name: string; type: number; end: number } | undefined {
  const labels: string[] = [];
  let i = 12;
  for (;;) {
    const len = msg[i];
    if (len === undefined || len > 63) return undefined;
    i += 1;
    if (len === 0) break;
    labels.push(msg.subarray(i, i + len).toString('ascii'));
    i += len;
  }
  if (i + 4 > msg.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i), end: i + 4 };
}

function answer(msg: Buffer, records: ReadonlyMap<string, readonly string[]>): Buffer {
  const q = msg.length >= 12 ? question(msg) : undefined;
  const head = Buffer.alloc(12);
  head.writeUInt16BE(msg.length >= 2 ? msg.readUInt16BE(0) : 0, 0);
  if (!q) {
    head.writeUInt16BE(0x8000 | RCODE_FORMERR, 2);
    return head;
  }
  const ips = records.get(q.name);
  const rrs = ips && q.type === TYPE_A ? ips : [];
  // QR, opcode 0, AA, RD copied; RA; rcode.
  head.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | 0x0080 | (ips ? 0 : RCODE_NXDOMAIN), 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(rrs.length, 6);
  const body = rrs.map((ip) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(TYPE_A, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(TTL_SECONDS, 6);
    rr.writeUInt16BE(4, 10);
    ip.split('.').forEach((o, k) => rr.writeUInt8(Number(o), 12 + k));
    return rr;
  });
  return Buffer.concat([head, msg.subarray(12, q.end), ...body]);
}

/** Starts a responder on 127.0.0.1 (any free port). */
export async function startDnsResponder(): Promise<DnsResponder> {
  const records = new Map<string, readonly string[]>();
  const counts = new Map<string, number>();
  const sock: Socket = createSocket('udp4');
  sock.on('message', (msg: Buffer, from: RemoteInfo) => {
    const q = question(msg);
    if (q) counts.set(q.name, (counts.get(q.name) ?? 0) + 1);
    sock.send(answer(msg, records), from.port, from.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${sock.address().port}`,
    set: (name, ips) => void records.set(name.toLowerCase(), [...ips]),
    queries: (name) => counts.get(name.toLowerCase()) ?? 0,
    close: () => new Promise((resolve) => sock.close(() => resolve())),
  };
}
