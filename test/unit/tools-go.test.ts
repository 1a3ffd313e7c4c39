import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOLS } from '../../tools/catalog';
import { toolContext } from '../../tools/context';
import { cachedGo } from '../../tools/goInstall';
import { fakeExecutable } from '../helpers/fakeTools';

const vegeta = TOOLS.vegeta;

describe('a cached go build', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-go-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('is current when the first line it prints is the pinned version, whatever Go built it', async () => {
    const toolsDir = join(dir, 'current');
    const path = await fakeExecutable(join(toolsDir, 'bin', 'vegeta'), `printf 'Version: ${vegeta.source.version}\\nCommit: \\nRuntime: go1.99 linux/amd64\\nDate: \\n'`);
    assert.deepEqual(await cachedGo(vegeta, vegeta.source, toolContext({ toolsDir })), { path, note: path });
  });

  test('is stale when it reports another version, or an empty one (built without the ldflags)', async () => {
    const toolsDir = join(dir, 'stale');
    await fakeExecutable(join(toolsDir, 'bin', 'vegeta'), `printf 'Version: \\nCommit: \\n'`);
    const lookup = await cachedGo(vegeta, vegeta.source, toolContext({ toolsDir }));
    assert.equal(lookup.path, undefined);
    assert.match(lookup.note, /version Version: , not v12\.13\.0/);
  });
});
