// Runs test/**/*.test.ts with node's test runner (Node 20 has no glob for --test).
// Arguments pick files: a group name picks its folder (`npm test -- unit`, `npm test -- e2e deploy`),
// anything else is a substring of the path (`npm test -- s3 tools-`); none runs everything.
// First the external tools the picked files need are found or installed once (tools/provision.ts),
// so parallel files never race to install them; then the files run in two phases: files that start
// no server, more files than cores at a time, then the files that start Temporal or S3 servers, one per core.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const cores = availableParallelism();
const PHASES = {
  // CPU and temp files only; a file's start-up (tsx, imports) and I/O waits leave its core idle
  // now and then, which one file more than cores fills.
  light: { concurrency: cores + 1 },
  // Each file starts its own dev server or test server on free ports, and some tests time crashes
  // and restarts: one file per core (on 2 loaded cores, two at a time passed in 175-195 s, against
  // 275 s one at a time).
  servers: { concurrency: cores },
};
// In the order their files start: the longest-running first, so no long file starts last.
const GROUPS = {
  unit: { phase: 'light', tools: [] },
  replay: { phase: 'light', tools: [] },
  deploy: { phase: 'light', tools: ['helm', 'kubeconform', 'kubernetes-validate'] },
  workflow: { phase: 'servers', tools: ['temporal-test-server'] },
  integration: { phase: 'servers', tools: ['temporal', 'weed', 'aiosmtpd', 'mlflow'] },
  e2e: { phase: 'servers', tools: ['temporal'] },
  // schemathesis against the real API over a real dev server (test/security/schemathesis.toml).
  security: { phase: 'servers', tools: ['temporal', 'schemathesis'] },
  // Reports of real runs opened in headless Chromium (Debian's package, apt-installed when missing).
  browser: { phase: 'servers', tools: ['temporal', 'chromium'] },
  // docker-compose.yaml's topology as processes: Temporal's own server on PostgreSQL, set up by the
  // compose jobs' scripts, the image's build output on production dependencies, S3 and Prometheus.
  production: { phase: 'servers', tools: ['temporal', 'weed', 'temporal-server', 'temporal-sql-tool', 'postgres', 'prometheus'] },
};
const order = Object.keys(GROUPS);

const args = process.argv.slice(2);
const groups = args.filter((a) => Object.hasOwn(GROUPS, a));
const substrings = args.filter((a) => !Object.hasOwn(GROUPS, a));
const groupOf = (file) => file.split('/')[1];
const files = readdirSync('test', { recursive: true })
  .map((f) => join('test', f))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => args.length === 0 || groups.includes(groupOf(f)) || substrings.some((s) => f.includes(s)))
  .sort((a, b) => order.indexOf(groupOf(a)) - order.indexOf(groupOf(b)) || a.localeCompare(b));
if (files.length === 0) {
  console.error(`no test files match ${args.join(' ')}`);
  process.exit(1);
}
const unknownGroup = files.find((f) => !Object.hasOwn(GROUPS, groupOf(f)));
if (unknownGroup) {
  console.error(`${unknownGroup} is in no test group of scripts/run-tests.mjs (${Object.keys(GROUPS).join(', ')})`);
  process.exit(1);
}

const tools = [...new Set(files.flatMap((f) => GROUPS[groupOf(f)].tools))];
if (tools.length > 0) {
  const started = Date.now();
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', 'tools/provision.ts', ...tools], { stdio: 'inherit' });
  if (status !== 0) {
    console.error('the tests need the tools above; see tools/ for how they are found and installed');
    process.exit(1);
  }
  console.log(`# tools ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** One `node --test` over `phaseFiles`; its TAP goes through unchanged, its summary is added up. */
function runPhase(name, phaseFiles) {
  const { concurrency } = PHASES[name];
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', `--test-concurrency=${concurrency}`, ...phaseFiles], { stdio: ['inherit', 'pipe', 'inherit'] });
  const counts = { pass: 0, fail: 0, cancelled: 0 };
  let rest = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      // Only the run's own summary starts at column 0; subtests' lines are indented.
      const m = /^# (pass|fail|cancelled) (\d+)$/.exec(line);
      if (m) counts[m[1]] += Number(m[2]);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ name, concurrency, files: phaseFiles.length, ...counts, ok: code === 0, exit: code ?? signal }));
  });
}

const results = [];
for (const phase of Object.keys(PHASES)) {
  const phaseFiles = files.filter((f) => GROUPS[groupOf(f)].phase === phase);
  if (phaseFiles.length === 0) continue;
  const started = Date.now();
  const result = await runPhase(phase, phaseFiles);
  results.push(result);
  console.log(`# phase ${phase}: ${result.files} files, ${result.concurrency} at a time, ${result.pass} passed, ${result.fail} failed, ${result.cancelled} cancelled, in ${((Date.now() - started) / 1000).toFixed(1)} s${result.ok ? '' : ` (exit ${result.exit})`}`);
}
const passed = results.reduce((n, r) => n + r.pass, 0);
const failed = results.reduce((n, r) => n + r.fail + r.cancelled, 0);
const ok = results.every((r) => r.ok) && failed === 0 && passed > 0;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
