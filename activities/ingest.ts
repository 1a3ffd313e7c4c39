import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { encodeTable } from '../ml/data/codec';
import { resolveFormat } from '../ml/data/format';
import { parseDataset } from '../ml/data/parse';
import { schemaOf } from '../ml/data/table';
import { resolveInDataRoot } from './adapters/dataRoot';
import { fetchBytes, isHttpUrl } from './adapters/httpSource';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { StepReporter } from './progress';
import { type IngestInput, type IngestResult } from './types';

export function createIngestActivities(deps: ActivityDeps) {
  /** Local paths are confined to the data root before anything else is looked at. */
  async function openSource(source: string): Promise<() => Promise<Buffer>> {
    if (isHttpUrl(source)) return () => fetchBytes(source, deps.http, cancellationSignal());
    const path = await resolveInDataRoot(deps.dataRoot, source);
    return () => readFile(path);
  }

  /** Reads the source, parses it into columns and stores the table in the run's `ingested/` folder. */
  async function ingest(input: IngestInput): Promise<IngestResult> {
    return runStep(async () => {
      const reporter = new StepReporter('ingest', deps.clock, deps.progressIntervalMs);
      await reporter.started();
      const read = await openSource(input.source);
      const format = resolveFormat(input.source, input.format);
      const bytes = await read();
      await reporter.report({ fraction: 0.5, message: `read ${bytes.byteLength} bytes` });
      const table = parseDataset(bytes, format, isHttpUrl(input.source) ? new URL(input.source).pathname : basename(input.source));
      const schema = schemaOf(table);
      const tableRef = await deps.store.put(runKey(input.run, 'ingested', 'table.bin'), encodeTable(table));
      await deps.store.put(runKey(input.run, 'ingested', 'schema.json'), JSON.stringify({ rows: table.rowCount, columns: schema }, null, 2));
      return {
        table: tableRef,
        format,
        rows: table.rowCount,
        columns: table.columns.length,
        schema,
        fingerprint: createHash('sha256').update(bytes).digest('hex'),
        sourceBytes: bytes.byteLength,
      };
    });
  }

  return { ingest };
}
