import { createPrivateKey, X509Certificate } from 'node:crypto';

/** The SDK's TLS settings (its `TLSConfig`), as the environment configuration produces them. */
export interface TlsMaterial {
  readonly serverNameOverride?: string;
  readonly serverRootCACertificate?: Uint8Array;
  readonly clientCertPair?: { readonly crt: Uint8Array; readonly key: Uint8Array };
}

function certificateProblem(pem: Uint8Array): string | undefined {
  try {
    new X509Certificate(pem);
    return undefined;
  } catch (error) {
    return `not a PEM certificate (${(error as Error).message})`;
  }
}

/**
 * What is wrong with each piece, checked at start-up: the SDK reads them only when it connects and
 * then reports a transport error that names neither the file nor the variable.
 */
export function checkTlsMaterial(tls: TlsMaterial): { serverCa?: string; clientCert?: string; clientKey?: string } {
  const problems: { serverCa?: string; clientCert?: string; clientKey?: string } = {};
  if (tls.serverRootCACertificate) problems.serverCa = certificateProblem(tls.serverRootCACertificate);
  if (tls.clientCertPair) {
    problems.clientCert = certificateProblem(tls.clientCertPair.crt);
    try {
      createPrivateKey(Buffer.from(tls.clientCertPair.key));
    } catch (error) {
      problems.clientKey = `not a PEM private key (${(error as Error).message})`;
    }
  }
  return problems;
}
