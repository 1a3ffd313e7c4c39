import { type Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { DataFormatError, InputLimitError } from '../errors';

export interface XmlHandlers {
  open?: (tag: SaxesTagPlain) => void;
  text?: (text: string) => void;
  close?: (name: string) => void;
}

/** The local name of a possibly prefixed XML name: "x:row" → "row" (writers differ in prefixes). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Streams an XML part of a workbook through a SAX parser (saxes: no DTD, no external entities)
 * into `handlers`; the document is never held whole. Malformed XML or a corrupt part is a
 * DataFormatError naming the part; errors thrown by the handlers pass through as they are.
 */
export async function readXml(stream: Readable, file: string, part: string, handlers: XmlHandlers): Promise<void> {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= new DataFormatError(`invalid XML in ${part}: ${error.message}`, { file });
  });
  if (handlers.open) parser.on('opentag', handlers.open);
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  const close = handlers.close;
  if (close) parser.on('closetag', (tag) => close(tag.name));
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.write(chunk);
      if (failure) break;
    }
  } catch (error) {
    // Our own errors (a handler's, a limit's) pass; a failing inflate means a corrupt workbook.
    if (error instanceof DataFormatError || error instanceof InputLimitError) throw error;
    throw new DataFormatError(`cannot read ${part}: ${(error as Error).message}`, { file }, { cause: error });
  }
  if (!failure) parser.close();
  if (failure) {
    stream.destroy();
    throw failure;
  }
}
