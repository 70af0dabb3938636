// A small parser of the Prometheus text exposition format (version 0.0.4) for tests: `# HELP` and
// `# TYPE` lines, samples with quoted label values (escapes \\ \" \n), float values (NaN, ±Inf) and
// optional timestamps. Samples are grouped into their metric families (a histogram's _bucket, _sum
// and _count belong to it), and each family is checked: a sample without a TYPE, a duplicate series,
// or a histogram whose buckets are not cumulative or whose +Inf bucket differs from _count throws.

/** One sample: its full name, labels and value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric family. */
export interface Family {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const SUFFIXES: Readonly<Record<string, readonly string[]>> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

function parseValue(raw: string, line: string): number {
  if (raw === 'NaN') return Number.NaN;
  if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`bad sample value "${raw}" in: ${line}`);
  return Number(raw);
}

/** Parses `{a="x",b="y"}` starting at `text[0] === '{'`; returns the labels and the rest of the line. */
function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  const fail = (why: string): never => {
    throw new Error(`${why} at column ${i} in: ${line}`);
  };
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const name = LABEL.exec(text.slice(i))?.[0] ?? fail('expected a label name');
    i += name.length;
    if (text[i] !== '=' || text[i + 1] !== '"') fail('expected ="');
    i += 2;
    let value = '';
    for (;;) {
      const c = text[i++];
      if (c === undefined) fail('unterminated label value');
      if (c === '"') break;
      if (c === '\\') {
        const e = text[i++];
        value += e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : fail(`bad escape \\${e}`);
      } else value += c;
    }
    if (name in labels) fail(`label ${name} twice`);
    labels[name] = value;
    while (text[i] === ' ') i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail('expected , or }');
  }
}

/** The family a sample name belongs to, given the declared families. */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const f = families.get(name.slice(0, -suffix.length));
    if (f && SUFFIXES[f.type]?.includes(suffix)) return f;
  }
  const exact = families.get(name);
  return exact && exact.type !== 'histogram' ? exact : undefined;
}

/** Checks a histogram: per series, buckets cumulative in `le` order and +Inf equal to _count. */
function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: Array<[number, number]>; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const e = series.get(key) ?? { buckets: [] };
    series.set(key, e);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${s.name} without le`);
      e.buckets.push([parseValue(le, s.name), s.value]);
    } else if (s.name.endsWith('_count')) e.count = s.value;
  }
  for (const [key, e] of series) {
    const sorted = [...e.buckets].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![1] < sorted[i - 1]![1]) throw new Error(`${f.name}${key}: bucket le=${sorted[i]![0]} below the one before it`);
    }
    const inf = sorted.at(-1);
    if (inf?.[0] !== Number.POSITIVE_INFINITY || inf[1] !== e.count) throw new Error(`${f.name}${key}: +Inf bucket ${inf?.[1]} != _count ${e.count}`);
  }
}

/** Parses an exposition into its families, by name. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
      if (!m) continue; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (kind === 'HELP') helps.set(name, rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
      else {
        if (families.has(name)) throw new Error(`TYPE of ${name} twice`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`bad TYPE in: ${line}`);
        families.set(name, { name, type: rest as Family['type'], help: helps.get(name) ?? '', samples: [] });
      }
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw new Error(`bad sample line: ${line}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const fields = rest.trim().split(/\s+/);
    if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw new Error(`bad sample line: ${line}`);
    const family = familyOf(name, families);
    if (!family) throw new Error(`sample ${name} has no TYPE line before it`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`series ${key} twice`);
    seen.add(key);
    family.samples.push({ name, labels, value: parseValue(fields[0]!, line) });
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** A parsed scrape with lookups. */
export class Scrape {
  readonly families: Map<string, Family>;

  constructor(text: string) {
    this.families = parseExposition(text);
  }

  /** Samples of a name whose labels include `want`. */
  samples(name: string, want: Readonly<Record<string, string>> = {}): Sample[] {
    const out: Sample[] = [];
    for (const f of this.families.values()) {
      for (const s of f.samples) if (s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v)) out.push(s);
    }
    return out;
  }

  /** The one sample of a name whose labels include `want` (0 when there is none; throws on several). */
  value(name: string, want: Readonly<Record<string, string>> = {}): number {
    const hits = this.samples(name, want);
    if (hits.length > 1) throw new Error(`${name} ${JSON.stringify(want)} matches ${hits.length} samples`);
    return hits[0]?.value ?? 0;
  }

  /** The type of a family (undefined when absent). */
  type(family: string): Family['type'] | undefined {
    return this.families.get(family)?.type;
  }
}
