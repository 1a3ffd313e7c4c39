import { performance } from 'node:perf_hooks';
import { profileTable } from '../ml/drift/profile';
import { featurePsi } from '../ml/drift/psi';
import { driftTable } from '../test/helpers/driftTable';

const MB = 1024 * 1024;

/**
 * `npm run bench -- drift [rows]`: profiling the training rows and scoring a shifted batch against
 * the profile, 10 numeric + 1 string column, seeded data. There is no peer here: scikit-learn has
 * no PSI; the numbers are ours alone. Peak RSS is the process's (table generation included).
 */
export function benchDrift(rows = 1_000_000): Record<string, unknown> {
  const numeric = 10;
  const features = [...Array.from({ length: numeric }, (_, c) => `x${c}`), 'city'];
  const train = driftTable(rows, numeric, 1);
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  const y = new Float64Array(rows).map((_, i) => i % 7);
  let start = performance.now();
  const profile = profileTable(train, all, features, { name: 'y', targets: { task: 'regression', y } });
  const profileSeconds = (performance.now() - start) / 1000;
  const batch = driftTable(rows, numeric, 2, 0.05);
  start = performance.now();
  const scores = featurePsi(profile.features, batch);
  const scoreSeconds = (performance.now() - start) / 1000;
  return {
    rows,
    columns: features.length,
    profileSeconds: Number(profileSeconds.toFixed(3)),
    profileRowsPerSecond: Math.round(rows / profileSeconds),
    scoreSeconds: Number(scoreSeconds.toFixed(3)),
    scoreRowsPerSecond: Math.round(rows / scoreSeconds),
    worstPsi: Math.max(...scores.map((s) => s.psi)),
    tableMB: Math.round((rows * (numeric * 8 + 4)) / MB),
    peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
  };
}
