// `npm run audit`: `npm audit --omit=dev --audit-level=high` with a verdict that cannot pass by
// accident. Exit 0: a report with no high or critical advisory. Exit 1: high or critical advisories,
// listed. Exit 2: no report at all (the registry refused or could not answer the advisory
// endpoint), with npm's reason. Not part of CI: it needs a registry that serves advisories.
import { spawnSync } from 'node:child_process';
import { auditVerdict } from './audit/verdict.js';

const args = ['audit', '--omit=dev', '--audit-level=high', '--json'];
const npm = process.env['npm_execpath'];
// Under `npm run` the running npm is used (npm_execpath); otherwise the npm on PATH.
const res = npm && /npm-cli\.js$/.test(npm)
  ? spawnSync(process.execPath, [npm, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  : spawnSync('npm', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (res.error) {
  console.error(`audit: FAILED, no report: cannot run npm (${res.error.message})`);
  process.exit(2);
}
const v = auditVerdict(res.stdout, res.stderr);
if (v.kind === 'no-report') {
  console.error(`audit: FAILED, no report: ${v.reason}.`);
  console.error('audit: nothing was checked. Run it against a registry that serves npm\'s advisory endpoint.');
  process.exit(2);
}
const counts = ['critical', 'high', 'moderate', 'low', 'info'].map((s) => `${s} ${v.counts[s] ?? 0}`).join(', ');
console.log(`audit: production dependencies: ${counts}`);
for (const line of v.blocking) console.log(`  ${line}`);
if (v.blocking.length > 0) {
  console.error(`audit: FAILED: ${v.blocking.length} package(s) with a high or critical advisory; fix them or explain each in SECURITY.md.`);
  process.exit(1);
}
console.log('audit: passed: no high or critical advisory.');
