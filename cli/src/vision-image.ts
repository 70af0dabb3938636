// `tabagent vision TASK IMAGE... [--json] [--out FILE.png]`: one unary call per image; prints a
// summary (or the result's JSON, one document per image) and draws the result into --out.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Context } from './context.js';
import { annotate, readRgb, writePng } from './draw/render.js';
import { UsageError } from './exit.js';
import { resultJSON, runTask, summary, type TaskName } from './vision-tasks.js';

export interface ImageOptions {
  json?: boolean;
  out?: string;
  model?: string;
}

/** `--out` for several images: out.png → out-1.png, out-2.png, ... */
export function outPath(out: string, index: number, count: number): string {
  if (count === 1) return out;
  const ext = extname(out);
  return `${out.slice(0, out.length - ext.length)}-${index + 1}${ext}`;
}

export async function visionImages(ctx: Context, task: TaskName, images: readonly string[], o: ImageOptions, print: (s: string) => void): Promise<void> {
  if (o.out && extname(o.out).toLowerCase() !== '.png') throw new UsageError(`--out must name a .png file, got "${o.out}"`, 'tabagent vision TASK IMAGE... [--json] [--out FILE.png]');
  for (const [i, file] of images.entries()) {
    const bytes = await readFile(file).catch((e: Error) => {
      throw new UsageError(`cannot read ${file}: ${e.message}`, 'tabagent vision TASK IMAGE... [--json] [--out FILE.png]');
    });
    const result = await runTask(ctx, task, { encoded: bytes }, o.model ?? '');
    if (o.json) print(JSON.stringify(resultJSON(result)));
    else print(`${images.length > 1 ? `${file}: ` : ''}${summary(result)}`);
    if (o.out) {
      const target = outPath(o.out, i, images.length);
      await writePng(await annotate(await readRgb(bytes), result), target);
      if (!o.json) print(`wrote ${target}`);
    }
  }
}
