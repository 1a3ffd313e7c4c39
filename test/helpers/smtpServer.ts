import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureTool } from '../../tools/find';
import { freePort } from './ports';

/** One message as aiosmtpd received it, its parts decoded by Python's email package. */
export interface DeliveredMail {
  readonly mail_from: string;
  readonly rcpt_tos: string[];
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string | null;
  readonly html: string | null;
}

export interface SmtpServer {
  readonly host: string;
  readonly port: number;
  messages(): Promise<DeliveredMail[]>;
  /** Resolves once `count` messages arrived; fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<DeliveredMail[]>;
  close(): Promise<void>;
}

/**
 * A real aiosmtpd (installed by tools/ into .tools/pypi) on 127.0.0.1 and a free port, writing each
 * delivered message into a temp folder of its own.
 */
export async function startSmtpServer(): Promise<SmtpServer> {
  const tool = await ensureTool('aiosmtpd');
  const folder = await mkdtemp(join(tmpdir(), 'smtp-sink-'));
  const port = await freePort();
  // pip --target puts the package beside bin/: that folder is what Python must import from.
  const site = dirname(dirname(tool.path));
  const child = spawn('python3', [join(__dirname, 'smtp_sink.py'), String(port), folder], {
    env: { ...process.env, PYTHONPATH: [site, process.env.PYTHONPATH].filter(Boolean).join(':') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`aiosmtpd exited (${code}): ${stderr}`)));
  });
  const messages = async (): Promise<DeliveredMail[]> => {
    const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
    return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(folder, f), 'utf8')) as DeliveredMail));
  };
  return {
    host: '127.0.0.1',
    port,
    messages,
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = await messages();
        if (got.length >= count) return got;
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${got.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
