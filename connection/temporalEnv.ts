import { statSync } from 'node:fs';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import { type DataConverter } from '@temporalio/common';
import { z } from 'zod';
import { payloadCodecKeys } from './codecKeys';
import { type AesGcmPayloadCodec } from './payloadCodec';
import { checkTlsMaterial, type TlsMaterial } from './tlsMaterial';

/** What `Connection.connect` (client, API) and `NativeConnection.connect` (worker) both accept. */
export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: TlsMaterial | boolean;
  readonly apiKey?: string;
  readonly metadata?: Record<string, string>;
}

export interface TemporalConfig {
  readonly address: string;
  readonly namespace: string;
  readonly connection: TemporalConnectionOptions;
  /** For every client and worker of the product alike: with PAYLOAD_CODEC_KEYS, payloads are encrypted. */
  readonly dataConverter: DataConverter;
  /** The codec itself, for the API's codec endpoint; absent when payloads are not encrypted. */
  readonly payloadCodec?: AesGcmPayloadCodec;
  /** For start-up lines and errors: address, namespace, TLS mode, whether a key is sent; never a secret. */
  readonly summary: string;
}

const set = z.string().min(1, 'is set but empty: unset it or give a value');
const flag = z.enum(['true', 'false', '1', '0'], { message: 'expected true, false, 1 or 0' });
const pem = set.refine((v) => v.includes('-----BEGIN '), 'expected PEM text (-----BEGIN ...)');
const readableFile = set.refine((path) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}, 'no such file');
const port = (p: string) => Number(p) >= 1 && Number(p) <= 65535;
const hostPort = set.refine((v) => {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/.exec(v);
  return m !== null && port(m[2]);
}, 'expected host:port, e.g. localhost:7233 or my-namespace.a1b2c.tmprl.cloud:7233');

/**
 * The SDK's environment configuration variables (the same as the Temporal CLI's), checked here
 * because the SDK itself reads some loosely: `TEMPORAL_TLS=yes` would silently mean "no TLS", and a
 * missing TEMPORAL_CONFIG_FILE would silently mean "no file".
 */
export const TEMPORAL_ENV = {
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: set.optional(),
  TEMPORAL_API_KEY: set.optional(),
  TEMPORAL_PROFILE: set.optional(),
  TEMPORAL_CONFIG_FILE: readableFile.optional(),
  TEMPORAL_TLS: flag.optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: readableFile.optional(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: pem.optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: readableFile.optional(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: pem.optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: readableFile.optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: pem.optional(),
  TEMPORAL_TLS_SERVER_NAME: set.optional(),
  // The SDK parses it but cannot act on it: refused rather than ignored.
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: flag
    .refine((v) => v === 'false' || v === '0', 'not supported by the TypeScript SDK, which always verifies the server: trust its CA with TEMPORAL_TLS_SERVER_CA_CERT_PATH, or name it with TEMPORAL_TLS_SERVER_NAME')
    .optional(),
  // Ours, not the SDK's: the key ring of the payload codec (connection/payloadCodec.ts).
  PAYLOAD_CODEC_KEYS: payloadCodecKeys.optional(),
};

type TemporalEnv = z.output<z.ZodObject<typeof TEMPORAL_ENV>>;
type Issue = { readonly variable: string; readonly message: string };

const PAIRS = [
  ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA'],
  ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA'],
  ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'],
] as const;

/** Where a piece of TLS material came from, to name it in an error. */
function origin(e: TemporalEnv, path: (typeof PAIRS)[number][0], data: (typeof PAIRS)[number][1], profileKey: string): string {
  if (e[path] !== undefined) return path;
  if (e[data] !== undefined) return data;
  return `TEMPORAL_CONFIG_FILE (tls.${profileKey} of profile ${e.TEMPORAL_PROFILE ?? 'default'})`;
}

function loadProfile(e: TemporalEnv, vars: Record<string, string>, issues: Issue[]): ClientConfigProfile | undefined {
  for (const [path, data] of PAIRS) {
    if (e[path] !== undefined && e[data] !== undefined) issues.push({ variable: path, message: `set either ${path} or ${data}, not both` });
  }
  if (issues.length > 0) return undefined;
  try {
    return loadClientConfigProfile({ overrideEnvVars: vars });
  } catch (error) {
    const message = (error as Error).message;
    const file = e.TEMPORAL_CONFIG_FILE ?? 'the default Temporal config file (~/.config/temporalio/temporal.toml)';
    issues.push(/^Profile '/.test(message) ? { variable: 'TEMPORAL_PROFILE', message: `${message} (${file})` } : { variable: 'TEMPORAL_CONFIG_FILE', message: `${file}: ${message}` });
    return undefined;
  }
}

function describe(address: string, namespace: string, tls: TemporalConnectionOptions['tls'], apiKey: boolean, profile?: string, codec?: AesGcmPayloadCodec): string {
  const mode = typeof tls === 'object' ? (tls.clientCertPair ? 'mTLS' : 'TLS') : tls ? 'TLS' : 'plaintext';
  const encrypted = codec ? `, payloads encrypted with key ${codec.encryptingKeyId}` : '';
  return `${address} (namespace ${namespace}, ${mode}${apiKey ? ', API key' : ''}${profile ? `, profile ${profile}` : ''}${encrypted})`;
}

function build(e: TemporalEnv, vars: Record<string, string>, defaults: TemporalDefaults, issues: Issue[]): TemporalConfig | undefined {
  const profile = loadProfile(e, vars, issues);
  if (!profile) return undefined;
  let options: ReturnType<typeof toClientOptions>;
  try {
    options = toClientOptions(profile);
  } catch (error) {
    // Only the profile's own file paths are left to fail here: the variables' were checked above.
    issues.push({ variable: 'TEMPORAL_CONFIG_FILE', message: `profile ${e.TEMPORAL_PROFILE ?? 'default'}: ${(error as Error).message}` });
    return undefined;
  }
  const { tls } = options.connectionOptions;
  const { apiKey, grpcMeta: metadata } = profile;
  if (profile.tls?.clientCert && !profile.tls.clientKey) issues.push({ variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH', message: 'a client certificate is set but not its key (TEMPORAL_TLS_CLIENT_KEY_PATH or _DATA)' });
  if (profile.tls?.clientKey && !profile.tls.clientCert) issues.push({ variable: 'TEMPORAL_TLS_CLIENT_CERT_PATH', message: 'a client key is set but not its certificate (TEMPORAL_TLS_CLIENT_CERT_PATH or _DATA)' });
  if (typeof tls === 'object' && tls !== null) {
    const wrong = checkTlsMaterial(tls);
    if (wrong.serverCa) issues.push({ variable: origin(e, 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA', 'server_ca_cert_*'), message: wrong.serverCa });
    if (wrong.clientCert) issues.push({ variable: origin(e, 'TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA', 'client_cert_*'), message: wrong.clientCert });
    if (wrong.clientKey) issues.push({ variable: origin(e, 'TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA', 'client_key_*'), message: wrong.clientKey });
  }
  if (issues.length > 0) return undefined;
  const address = options.connectionOptions.address ?? defaults.address;
  const namespace = options.namespace ?? defaults.namespace;
  const connection: TemporalConnectionOptions = { address, ...(tls != null ? { tls } : {}), ...(apiKey !== undefined ? { apiKey } : {}), ...(metadata ? { metadata } : {}) };
  const codec = e.PAYLOAD_CODEC_KEYS;
  return {
    address,
    namespace,
    connection,
    dataConverter: codec ? { payloadCodecs: [codec] } : {},
    ...(codec ? { payloadCodec: codec } : {}),
    summary: describe(address, namespace, connection.tls, apiKey !== undefined, e.TEMPORAL_PROFILE, codec),
  };
}

export interface TemporalDefaults {
  /** When neither TEMPORAL_ADDRESS nor a profile names one. */
  readonly address: string;
  readonly namespace: string;
}

export const TEMPORAL_DEFAULTS: TemporalDefaults = { address: 'localhost:7233', namespace: 'default' };

/**
 * The connection to Temporal for every process (worker, API, launchers), from the SDK's environment
 * configuration: a profile of the TOML config file (TEMPORAL_CONFIG_FILE, else the Temporal CLI's
 * default file; TEMPORAL_PROFILE, else `default`) overridden by the TEMPORAL_* variables. Files are
 * read once, here, at start-up; a bad value is an issue naming its variable.
 */
export function temporalEnvSchema(defaults: Partial<TemporalDefaults> = {}) {
  const resolved = { ...TEMPORAL_DEFAULTS, ...defaults };
  // Loose: the SDK also reads HOME / XDG_CONFIG_HOME (the default file) and TEMPORAL_GRPC_META_* headers.
  return z.looseObject(TEMPORAL_ENV).transform((e, ctx) => {
    const vars = Object.fromEntries(Object.entries(e).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const issues: Issue[] = [];
    const config = build(e, vars, resolved, issues);
    for (const issue of issues) ctx.addIssue({ code: 'custom', path: [issue.variable], message: issue.message });
    return config ?? z.NEVER;
  });
}
