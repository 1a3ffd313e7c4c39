import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** `npm run build`: the prebuilt workflow bundle that images run with WORKFLOW_BUNDLE_PATH. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  await mkdir(resolve(out, '..'), { recursive: true });
  await writeFile(out, code);
  console.log(`wrote ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
