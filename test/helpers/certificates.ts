import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempFiles, type TempFiles } from './tempFiles';

const run = promisify(execFile);

/** A throwaway certificate authority, a server certificate for localhost and a client certificate, as PEM files. */
export interface TestPki {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second CA that signed nothing here: trusting it instead of `caCert` must fail. */
  readonly otherCaCert: string;
  read(path: string): Promise<Buffer>;
  remove(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(e.code === 'ENOENT' ? 'openssl not found on PATH: the TLS tests make their certificates with it' : `openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(files: TempFiles, name: string): Promise<void> {
  await files.write(`${name}.cnf`, ['[req]', 'distinguished_name=dn', 'x509_extensions=ext', '[dn]', '[ext]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', ''].join('\n'));
  await openssl(['req', '-x509', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`, '-config', `${name}.cnf`], files.dir);
}

/** An end-entity certificate signed by `ca`, with the extensions rustls (the SDK's TLS) insists on. */
async function makeLeaf(files: TempFiles, name: string, ca: string, extensions: string[]): Promise<void> {
  await files.write(`${name}.ext`, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', ...extensions, ''].join('\n'));
  await openssl(['req', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], files.dir);
  await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`], files.dir);
}

export async function makeTestPki(): Promise<TestPki> {
  const files = await tempFiles('test-pki-');
  await makeCa(files, 'ca');
  await makeCa(files, 'other-ca');
  await makeLeaf(files, 'server', 'ca', ['subjectAltName=DNS:localhost,IP:127.0.0.1', 'extendedKeyUsage=serverAuth']);
  await makeLeaf(files, 'client', 'ca', ['extendedKeyUsage=clientAuth']);
  const at = (name: string) => join(files.dir, name);
  return {
    dir: files.dir,
    caCert: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
    otherCaCert: at('other-ca.pem'),
    read: (path) => readFile(path),
    remove: () => files.remove(),
  };
}
