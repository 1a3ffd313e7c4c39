import { crc32, deflateRawSync } from 'node:zlib';

/** One entry of a hand-made zip: its name, deflated bytes and what the headers should declare. */
export interface RawEntry {
  readonly name: string;
  readonly compressed: Buffer;
  readonly crc: number;
  /** The uncompressed size the headers declare: the truth, or a lie for a hostile archive. */
  readonly declaredSize: number;
  /** Unix mode in the upper half of the external attributes (e.g. 0o120777 for a symlink). */
  readonly unixMode?: number;
}

export function deflatedEntry(name: string, data: Buffer | string): RawEntry {
  const bytes = Buffer.from(data);
  return { name, compressed: deflateRawSync(bytes), crc: crc32(bytes), declaredSize: bytes.length };
}

/**
 * A zip archive (deflate, no zip64) built byte by byte, so tests can make what no well-behaved
 * tool writes: lying sizes, ".." names, symlinks, thousands of entries.
 */
export function makeZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.compressed.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.compressed.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.unixMode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.compressed);
    centrals.push(central, name);
    offset += local.length + name.length + entry.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
