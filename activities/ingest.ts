import { rm } from 'node:fs/promises';
import { cancellationSignal } from '@temporalio/activity';
import { runKey } from '../contract';
import { resolveSource } from '../ml/data/format';
import { openSource } from './adapters/sources';
import { ParamValue, usingSecrets } from './adapters/secrets';
import { runCompute } from './compute/runCompute';
import { parsesInline } from './compute/inline';
import { type ActivityDeps } from './deps';
import { runStep } from './failures';
import { StepReporter } from './progress';
import { makeScratchFolder } from './scratch';
import { type IngestInput, type IngestResult } from './types';

export function createIngestActivities(deps: ActivityDeps) {
  /**
   * Reads the source, parses it into columns, checks that the columns the params name exist, and
   * stores the table in the run's `ingested/` folder. The parsing runs in a compute thread (inline
   * for a tiny file); the fetch and the store stay on this thread.
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
      const parsed = await runCompute(
        'ingest',
        {
          path: file.path,
          fileName: source.displayName,
          ...named,
          delimiter: input.delimiter,
          sheet: input.sheet,
          tempDir: scratch,
          maxColumns: deps.maxColumns,
          missingValues: input.missingValues ?? [],
          columns: input.columns,
        },
        { inline: await parsesInline(file), signal, onProgress: (progress) => reporter.report(progress) },
      );
      const [tableRef, schemaRef] = await Promise.all([
        deps.store.put(runKey(input.run, 'ingested', 'table.bin'), parsed.table),
        deps.store.put(runKey(input.run, 'ingested', 'schema.json'), parsed.schema),
      ]);
      return {
        table: tableRef,
        format: parsed.format,
        rows: parsed.rows,
        columns: parsed.columns,
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
