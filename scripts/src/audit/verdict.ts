// Reading `npm audit --json`: a report (vulnerability counts by severity and the advisories behind
// them) or npm's account of why no report came (the registry refused or could not be reached).
// Only a report is a result; anything else is a failure that says why, never a pass.

/** Severities at or above the bar of `npm run audit` (npm's --audit-level=high). */
export const BLOCKING: readonly string[] = Object.freeze(['high', 'critical']);

/** What one `npm audit --json` run says. */
export type AuditVerdict =
  | { kind: 'report'; counts: Record<string, number>; blocking: readonly string[] }
  | { kind: 'no-report'; reason: string };

interface Vulnerability { name?: unknown; severity?: unknown; range?: unknown; via?: unknown; fixAvailable?: unknown }

/** One line per vulnerable package at a blocking severity: name, severity, range, advisories, fix. */
function blockingLines(vulns: Record<string, Vulnerability>): string[] {
  const lines: string[] = [];
  for (const [name, v] of Object.entries(vulns)) {
    if (typeof v.severity !== 'string' || !BLOCKING.includes(v.severity)) continue;
    const via = (Array.isArray(v.via) ? v.via : []).map((x: unknown) => (typeof x === 'string' ? x : String((x as { title?: unknown }).title ?? ''))).filter(Boolean);
    const fix = v.fixAvailable === false ? 'no fix available' : v.fixAvailable === true ? 'fix: npm audit fix' : 'fix: see npm audit';
    lines.push(`${name} (${v.severity}) ${typeof v.range === 'string' ? v.range : ''}: ${via.join('; ') || 'see npm audit'}; ${fix}`);
  }
  return lines;
}

/** Reads npm's JSON output (and its stderr, for a reason when the output is not JSON). */
export function auditVerdict(stdout: string, stderr = ''): AuditVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    const tail = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/Unknown (project|user) config/.test(l)).slice(-3).join(' | ');
    return { kind: 'no-report', reason: `npm audit printed no report${tail ? `: ${tail}` : ''}` };
  }
  const o = (parsed ?? {}) as { metadata?: { vulnerabilities?: Record<string, unknown> }; vulnerabilities?: unknown; message?: unknown; statusCode?: unknown; error?: unknown };
  const counts = o.metadata?.vulnerabilities;
  if (counts !== undefined && typeof counts === 'object' && o.vulnerabilities !== undefined && typeof o.vulnerabilities === 'object') {
    const numbers: Record<string, number> = {};
    for (const [k, v] of Object.entries(counts)) if (typeof v === 'number') numbers[k] = v;
    return { kind: 'report', counts: numbers, blocking: blockingLines(o.vulnerabilities as Record<string, Vulnerability>) };
  }
  const status = typeof o.statusCode === 'number' ? `HTTP ${o.statusCode}: ` : '';
  const message = typeof o.message === 'string' ? o.message
    : typeof (o.error as { summary?: unknown } | undefined)?.summary === 'string' ? String((o.error as { summary: string }).summary) : 'an answer without a vulnerability report';
  return { kind: 'no-report', reason: `the registry did not answer the advisory endpoint (${status}${message})` };
}
