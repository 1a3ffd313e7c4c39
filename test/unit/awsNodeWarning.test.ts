import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** What a worker and the API do at start that touches the AWS SDK: each builds its S3 client. */
const START_UP = `
  const worker = require('./worker/config').loadWorkerConfig({ ARTIFACT_ROOT: 's3://ml-artifacts/runs', AWS_REGION: 'eu-west-1' });
  require('./worker/deps').buildActivityDeps(worker);
  require('./api/store').createArtifactStoreFor(require('./api/config').loadApiConfig({ ARTIFACT_ROOT: 's3://ml-artifacts/runs', AWS_REGION: 'eu-west-1' }));
  console.log('started');
`;

async function startUpStderr(extraEnv: NodeJS.ProcessEnv): Promise<string> {
  const env = { ...process.env, ...extraEnv };
  if (!(SWITCH in extraEnv)) delete env[SWITCH];
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', START_UP], { cwd: ROOT, env });
  assert.match(stdout, /started/);
  return stderr;
}

describe('the AWS SDK on our Node floor', () => {
  test('creating the worker and API S3 clients prints no "upgrade to Node 22" notice', async () => {
    const stderr = await startUpStderr({});
    assert.doesNotMatch(stderr, /NodeVersionSupportWarning|node >=22/);
  });

  test(`${SWITCH}=false brings the notice back on Node < 22 (the check above can see it)`, async () => {
    const stderr = await startUpStderr({ [SWITCH]: 'false' });
    assert.equal(/NodeVersionSupportWarning/.test(stderr), NODE_MAJOR < 22, stderr);
  });
});
