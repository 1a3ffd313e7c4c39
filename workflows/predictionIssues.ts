import type { PredictResult } from '../activities';

type IssueCounts = NonNullable<PredictResult['issues']>;

const MAX_NAMED = 10;

function byFeature(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const named = entries.slice(0, MAX_NAMED).map(([name, n]) => `${name} ${n}`);
  return entries.length > MAX_NAMED ? `${named.join(', ')} and ${entries.length - MAX_NAMED} more` : named.join(', ');
}

/** One warning line for a scored batch whose saved transform had to fill or pool values; undefined when it had not. */
export function describeIssues(issues: IssueCounts): string | undefined {
  if (issues.rows === 0) return undefined;
  const parts: string[] = [];
  if (Object.keys(issues.missingValues).length > 0) parts.push(`missing values filled: ${byFeature(issues.missingValues)}`);
  if (Object.keys(issues.unseenCategories).length > 0) parts.push(`categories the model has no slot for: ${byFeature(issues.unseenCategories)}`);
  if (issues.allNullRows > 0) parts.push(`${issues.allNullRows} rows with no feature at all`);
  return `${issues.rows} rows scored through fills or unseen categories (${parts.join('; ')})`;
}
