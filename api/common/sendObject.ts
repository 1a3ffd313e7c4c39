import { pipeline } from 'node:stream/promises';
import { type Response } from 'express';
import { type ObjectStream } from '../../storage/artifactStore';

/**
 * Streams a stored object as the response body, with its length and type known up front, so a
 * download holds one chunk at a time and a slow client only slows its own stream (backpressure).
 * A store failure after the headers went out can no longer become an error answer: the connection
 * is cut, and the client sees fewer bytes than Content-Length announced.
 */
export function sendObject(res: Response, object: ObjectStream, contentType: string): void {
  res.status(200).setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(object.bytes));
  if (res.req.method === 'HEAD') {
    object.body.destroy();
    res.end();
    return;
  }
  pipeline(object.body, res).catch(() => {
    res.destroy();
  });
}
