// Which ffmpeg to run. The default is the static build shipped inside the `@ffmpeg-installer/ffmpeg`
// npm package for this platform (nothing is downloaded or installed on the system); an explicit path
// (a `--ffmpeg PATH` flag) or the `TABAGENT_FFMPEG` environment variable selects another binary, for
// example a system ffmpeg with hardware decoders.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Environment variable naming the ffmpeg binary to use instead of the packaged one. */
export const FFMPEG_ENV = 'TABAGENT_FFMPEG';

export interface FfmpegBinary {
  /** Absolute path (or a bare command name resolved through PATH when given so explicitly). */
  path: string;
  /** Where the choice came from. */
  source: 'flag' | 'env' | 'package';
}

/**
 * Resolves the ffmpeg binary: `explicit` (a flag) wins, then `$TABAGENT_FFMPEG`, then the packaged
 * build. Throws with the reason when the packaged build is missing for this platform.
 */
export function resolveFfmpeg(explicit?: string, env: NodeJS.ProcessEnv = process.env): FfmpegBinary {
  if (explicit !== undefined && explicit !== '') return { path: explicit, source: 'flag' };
  const fromEnv = env[FFMPEG_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { path: fromEnv, source: 'env' };
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (err) {
    throw new Error(
      `no ffmpeg build is packaged for ${process.platform}-${process.arch} (${(err as Error).message}); ` +
        `set ${FFMPEG_ENV} or pass --ffmpeg with the path of an ffmpeg binary`,
      { cause: err },
    );
  }
  if (!existsSync(path)) throw new Error(`the packaged ffmpeg is missing at ${path}; reinstall dependencies or set ${FFMPEG_ENV}`);
  return { path, source: 'package' };
}
