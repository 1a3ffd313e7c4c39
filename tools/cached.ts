/** What the cache holds for a tool: its binary, or why there is none to use. */
export interface CacheLookup {
  readonly path?: string;
  /** For the "tried" list when there is no usable binary. */
  readonly note: string;
}
