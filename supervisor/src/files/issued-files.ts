// Which files the supervisor has handed out in manifests: ModelFiles serves only these.

/** model id → set of file paths issued in its manifest. */
export class IssuedFiles {
  readonly #byModel = new Map<string, Set<string>>();

  /** Records the files of a manifest. */
  issue(model: string, paths: readonly string[]): void {
    this.#byModel.set(model, new Set(paths));
  }

  /** Forgets a model (unloaded). */
  revoke(model: string): void {
    this.#byModel.delete(model);
  }

  /** Whether `path` of `model` was issued. */
  allowed(model: string, path: string): boolean {
    return this.#byModel.get(model)?.has(path) ?? false;
  }
}
