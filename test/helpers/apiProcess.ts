// A separate API process for memory measurements: the real app over real HTTP, Temporal faked in
// memory, the artifact store in ARTIFACT_ROOT. It sends its URL over IPC when listening, and
// answers each 'rss' message with its resident set size, so the test reads this process' memory
// and not its own.
import { createApiApp } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig } from '../../api/config';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { listen } from './apiRequest';
import { FakeTemporal } from './fakeTemporal';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const temporal = new FakeTemporal();
  const runId = temporal.workflows.add({ workflowId: process.env.RUN_WORKFLOW_ID ?? 'ml-big', memo: { pipeline: process.env.RUN_PIPELINE ?? 'big' } }).runId;
  const app = await createApiApp(config, { client: temporal.client, store: new LocalArtifactStore(process.env.ARTIFACT_ROOT!), logger: new JsonLogger(() => undefined) });
  const baseUrl = await listen(app);
  process.on('message', (message) => {
    if (message === 'rss') process.send!({ rss: process.memoryUsage().rss });
  });
  process.send!({ baseUrl, runId });
}

void main();
