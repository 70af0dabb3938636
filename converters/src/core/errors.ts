// The one base of the converters' errors: a stable `code` (common's alias table maps it to a
// registry code) and plain `details` naming the file, node, op or field at fault.

/** An error of a converter; subclasses fix the code type and the name. */
export class ConverterError<C extends string> extends Error {
  readonly code: C;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: C, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
}
