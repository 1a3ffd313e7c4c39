import { open } from 'node:fs/promises';

export type Magic = 'gzip' | 'zip' | 'parquet' | 'other';

/** What a file's first bytes say it is (xlsx files are zip archives too). */
export async function sniff(path: string): Promise<Magic> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && head.toString('latin1') === 'PK\x03\x04') return 'zip';
    if (bytesRead === 4 && head.toString('latin1') === 'PK\x05\x06') return 'zip';
    if (bytesRead === 4 && head.toString('latin1') === 'PAR1') return 'parquet';
    return 'other';
  } finally {
    await handle.close();
  }
}
