import { type LoggerService } from '@nestjs/common';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured logs: one JSON object per line (time, level, message, as the workers write them), with
 * whatever context (request id, workflow id) is given. Not pino: it would need options to write this
 * format and a redaction list to keep the x-api-key header out of request lines.
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line)) {}

  private emit(level: Level, message: unknown, attrs: Record<string, unknown>): void {
    this.write(`${JSON.stringify({ time: new Date().toISOString(), level, message: String(message), ...attrs })}\n`);
  }

  info(message: string, attrs: Record<string, unknown> = {}): void {
    this.emit('info', message, attrs);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, this.attrs(rest));
  }

  // Nest's LoggerService calls these with (message, context?).
  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, this.attrs(rest));
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, this.attrs(rest));
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, this.attrs(rest));
  }

  private attrs(rest: unknown[]): Record<string, unknown> {
    const [first] = rest;
    if (first && typeof first === 'object') return first as Record<string, unknown>;
    return typeof first === 'string' ? { context: first } : {};
  }
}
