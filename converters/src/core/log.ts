// The logging the converters do: debug lines with structured fields (a pino logger fits).

/** A logger the caller may pass in. */
export interface ConverterLog {
  debug(fields: Record<string, unknown>, msg: string): void;
}
