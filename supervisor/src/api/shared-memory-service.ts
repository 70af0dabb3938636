// The public SharedMemory service: clients on this machine register files of the shared-memory
// folder (POSIX shm_open names) and then send Frame.shared_memory instead of pixels. The table lives
// here, in the supervisor; every Vision call to the child carries it (SHM_KEY metadata), so a
// restarted child needs nothing replayed. Like Triton's system shared memory, any caller of the
// public API may register any file of that folder; the folder is the trust boundary.
import { lstatSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { TabagentError, invalidArgument, unary, type ResolvedRegion } from '@tabagent/common';
import type {
  ListSharedMemoryRequest, ListSharedMemoryResponse, RegisterSharedMemoryRequest, RegisterSharedMemoryResponse,
  SharedMemoryRegion, SharedMemoryServer, UnregisterSharedMemoryRequest, UnregisterSharedMemoryResponse,
} from '@tabagent/protos/v1/shared_memory';

/** Most regions registered at once. */
export const MAX_REGIONS = 64;
// At most 64 characters: every Vision call carries the regions it may read in its metadata.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface Entry { region: SharedMemoryRegion; path: string }

/** Registered regions, by name. */
export class SharedMemoryTable {
  readonly #dir: string;
  readonly #entries = new Map<string, Entry>();

  /** `dir`: the shared-memory folder (e.g. /dev/shm). */
  constructor(dir: string) {
    this.#dir = dir;
  }

  #realDir(): string {
    try {
      return realpathSync(this.#dir);
    } catch {
      throw new TabagentError('TA_ERR_REGION_NOT_FOUND', `key: the shared-memory folder ${this.#dir} does not exist`);
    }
  }

  register(req: RegisterSharedMemoryRequest): SharedMemoryRegion {
    if (!NAME.test(req.name)) throw invalidArgument('name', 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
    if (this.#entries.has(req.name)) throw new TabagentError('TA_ERR_ALREADY_EXISTS', `name: region "${req.name}" is already registered; unregister it first`);
    if (this.#entries.size >= MAX_REGIONS) throw new TabagentError('TA_ERR_RESOURCE_EXHAUSTED', `name: at most ${MAX_REGIONS} regions can be registered`);
    const file = req.key.startsWith('/') ? req.key.slice(1) : req.key;
    if (!NAME.test(file)) throw invalidArgument('key', `must be a shm_open name such as "/camera0" (one path segment), got "${req.key}"`);
    if (!Number.isSafeInteger(req.byteSize) || req.byteSize <= 0) throw invalidArgument('byte_size', `must be positive, got ${req.byteSize}`);
    // The folder resolved, the file itself not: a symlink swapped in after the lstat is never followed
    // (the child opens this path with O_NOFOLLOW).
    const path = join(this.#realDir(), file);
    let size: number;
    try {
      const st = lstatSync(path);
      if (!st.isFile()) throw invalidArgument('key', `"${req.key}" is not a regular file of the shared-memory folder`);
      size = st.size;
    } catch (err) {
      if (err instanceof TabagentError) throw err;
      throw new TabagentError('TA_ERR_REGION_NOT_FOUND', `key: no shared-memory object "${req.key}" (create it with shm_open or in ${this.#dir} first)`);
    }
    if (req.byteSize > size) throw invalidArgument('byte_size', `${req.byteSize} exceeds the ${size} bytes of "${req.key}"`);
    const region: SharedMemoryRegion = { name: req.name, key: req.key, byteSize: req.byteSize };
    this.#entries.set(req.name, { region, path });
    return region;
  }

  /** Drops `name`, or every region when it is empty; returns how many were dropped. */
  unregister(name: string): number {
    if (name === '') {
      const n = this.#entries.size;
      this.#entries.clear();
      return n;
    }
    return this.#entries.delete(name) ? 1 : 0;
  }

  list(): SharedMemoryRegion[] {
    return [...this.#entries.values()].map((e) => e.region);
  }

  /** The regions with their files, as the child reads them: all, or only `name` ('' = none). */
  resolved(name?: string): ResolvedRegion[] {
    const entries = name === undefined ? [...this.#entries.values()] : [this.#entries.get(name)].filter((e) => e !== undefined);
    return entries.map((e) => ({ name: e.region.name, path: e.path, byteSize: e.region.byteSize }));
  }
}

/** The gRPC implementation over a table. */
export function sharedMemoryService(table: SharedMemoryTable): SharedMemoryServer {
  return {
    register: unary(async (req: RegisterSharedMemoryRequest): Promise<RegisterSharedMemoryResponse> => ({ region: table.register(req) })),
    unregister: unary(async (req: UnregisterSharedMemoryRequest): Promise<UnregisterSharedMemoryResponse> => ({ unregistered: table.unregister(req.name) })),
    list: unary(async (_req: ListSharedMemoryRequest): Promise<ListSharedMemoryResponse> => ({ regions: table.list() })),
  };
}
