import { rm } from 'node:fs/promises';
import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { encodeTable } from '../ml/data/codec';
import { resolveSource } from '../ml/data/format';
import { readDatasetFile } from '../ml/data/parseFile';
import { schemaOf } from '../ml/data/table';
import { checkColumns } from '../ml/data/columnCheck';
import { openSource } from './adapters/sources';
import { ParamValue, usingSecrets } from './adapters/secrets';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { StepReporter } from './progress';
import { makeScratchFolder } from './scratch';
import { type IngestInput, type IngestResult } from './types';

export function createIngestActivities(deps: ActivityDeps) {
  /**
   * Reads the source, parses it into columns, checks that the columns the params name exist, and
   * stores the table in the run's `ingested/` folder.
   * The parser always gets a local file: local sources are read in place, http(s) and s3:// ones
   * are streamed to a scratch folder of this attempt first (never held whole in memory), which is
   * removed afterwards whatever happens.
   */
  async function ingest(input: IngestInput): Promise<IngestResult> {
    return runStep(async () => {
      const source = await ParamValue.location(input.source, deps.secrets);
      // A secret source's value never shows: messages name its reference instead.
      return usingSecrets([source], () => ingestFrom(source.value, input));
    });
  }

  /** The ingest of a source by its value (a secret one resolved). */
  async function ingestFrom(location: string, input: IngestInput): Promise<IngestResult> {
    const reporter = new StepReporter('ingest', deps.clock, deps.progressIntervalMs);
    // The source is checked (data root, URL) before the format, so the error names the real problem.
    const signal = cancellationSignal();
    const source = await openSource(location, { ...deps, signal });
    const named = resolveSource(location, { format: input.format, compression: input.compression });
    const scratch = await makeScratchFolder();
    try {
      const file = await source.fetch(scratch);
      await reporter.report({ fraction: 0.5, message: `read ${file.bytes} bytes` });
      // Archives are extracted inside the scratch folder too, so nothing outlives the attempt.
      const { table, format } = await readDatasetFile(file.path, source.displayName, {
        ...named,
        delimiter: input.delimiter,
        sheet: input.sheet,
        signal,
        tempDir: scratch,
        limits: deps.maxColumns === undefined ? {} : { maxColumns: deps.maxColumns },
        onProgress: (done, total) => reporter.report({ fraction: 0.5 + (0.4 * done) / Math.max(total, 1), message: `parsed ${done} of ${total} bytes` }),
      });
      // A misspelt target or feature fails here, naming it, not after validation and a long preprocess.
      if (input.columns) checkColumns(table.columns.map((c) => c.name), input.columns);
      const schema = schemaOf(table);
      const tableRef = await deps.store.put(runKey(input.run, 'ingested', 'table.bin'), encodeTable(table));
      const schemaRef = await deps.store.put(runKey(input.run, 'ingested', 'schema.json'), JSON.stringify({ rows: table.rowCount, columns: schema }, null, 2));
      return {
        table: tableRef,
        format,
        rows: table.rowCount,
        columns: table.columns.length,
        schemaRef,
        fingerprint: file.sha256,
        sourceBytes: file.bytes,
      };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  return { ingest };
}
