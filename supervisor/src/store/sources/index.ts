// Picks the source implementation for a catalog entry's `source` scheme.

import { parseSource } from '../core/source-spec.js';
import type { CatalogEntry } from '../core/types.js';
import { FileSource } from './file.js';
import { HfSource } from './hf.js';
import { HttpsSource } from './https.js';
import { NpmSource } from './npm.js';
import type { Source, SourceContext } from './types.js';

export interface SourceSet {
  forEntry(entry: CatalogEntry): Source;
}

/** The default sources, sharing one context. */
export function createSources(ctx: SourceContext): SourceSet {
  const byKind = {
    npm: new NpmSource(ctx),
    file: new FileSource(ctx),
    hf: new HfSource(ctx),
    https: new HttpsSource(ctx),
  } as const;
  return { forEntry: (entry) => byKind[parseSource(entry.source).kind] };
}

export type { FetchOptions, FetchResult, FetchTarget, Source, SourceContext } from './types.js';
