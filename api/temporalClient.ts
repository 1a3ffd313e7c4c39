import { Client, Connection } from '@temporalio/client';
import { type ApiConfig } from './config';

/** The API's only link to Temporal; closed when the app shuts down. */
export async function connectTemporal(config: ApiConfig): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace });
}
