import { Client, Connection } from '@temporalio/client';
import { connectTo } from '../connection/connectError';
import { type ApiConfig } from './config';

/** The API's only link to Temporal; closed when the app shuts down. */
export async function connectTemporal(config: ApiConfig): Promise<Client> {
  const connection = await connectTo(config.temporal, () => Connection.connect(config.temporal.connection));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: config.temporal.dataConverter });
}
