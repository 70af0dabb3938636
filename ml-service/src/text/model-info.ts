// Facts about a loaded text model, whatever runtime loaded it.

/** Facts about a loaded model that generation needs. */
export interface TextModelInfo {
  readonly vocabSize: number;
  /** Maximum prompt + completion length in tokens. */
  readonly contextLength: number;
  readonly bosTokenId: number | undefined;
  readonly eosTokenIds: readonly number[];
  /** Whether prompts get BOS prepended when the request does not say. */
  readonly addBosByDefault: boolean;
  readonly chatTemplate: string | undefined;
}
