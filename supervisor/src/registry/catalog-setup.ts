// Builds the catalog at start-up: the embedded defaults, stories260K (two conversions) only when its folder exists,
// plus user entries from --catalog.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@tabagent/common';
import type { Config } from '../config/config.js';
import { Catalog, loadCatalogFile } from '../store/catalog.js';
import { DEFAULT_ENTRIES, STORIES260K_FOLDER, STORIES260K_GGUF_ID, STORIES260K_ID } from '../store/catalog-defaults.js';

/** The catalog for this configuration. */
export async function loadCatalog(config: Config, log: Logger): Promise<Catalog> {
  const stories = config.sharedModelsDir !== '' && existsSync(join(config.sharedModelsDir, STORIES260K_FOLDER));
  const entries = DEFAULT_ENTRIES.filter((e) => (e.id !== STORIES260K_ID && e.id !== STORIES260K_GGUF_ID) || stories);
  if (stories) log.info({ dir: join(config.sharedModelsDir, STORIES260K_FOLDER) }, `registered ${STORIES260K_ID} and ${STORIES260K_GGUF_ID}`);
  let catalog = new Catalog(entries);
  if (config.catalogFile) catalog = catalog.extend(await loadCatalogFile(config.catalogFile));
  return catalog;
}
