/** The first line of an error's message: enough to say why a comparison was skipped. */
export function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
