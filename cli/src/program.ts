// The `tabagent` command tree (commander): global options with environment fallbacks, and the
// models, vision, generate, chat, embed and transcribe commands.
import { Command, Option } from 'commander';
import { chat } from './chat.js';
import { Context, GLOBAL_DEFAULTS, type GlobalOptions } from './context.js';
import { UsageError } from './exit.js';
import { registerModels, type Runner } from './models.js';
import { DEFAULT_EMBED_MODEL, DEFAULT_SPEECH_MODEL, DEFAULT_TEXT_MODEL, embed, generate, transcribe, type SamplingFlags } from './text.js';
import { intFlag, numberFlag, UINT32_MAX } from './numbers.js';
import { isTaskName, TASK_NAMES } from './vision-tasks.js';
import { visionVideo, type VideoOptions } from './vision-video.js';

/** Where a program writes; injectable so tests can capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const VISION_USAGE = `tabagent vision ${TASK_NAMES.join('|')} IMAGE... [--json] [--out FILE.png]  |  tabagent vision TASK --video FILE|URL|/dev/videoN [--fps N] [--out FILE.mp4] [--json]`;

const addSampling = (c: Command): Command => c.option('--max-tokens <n>', 'maximum new tokens (default 256)', intFlag(1, UINT32_MAX))
  .option('--temperature <t>', 'sampling temperature (default 0 = greedy)', numberFlag(0, 2)).option('--seed <n>', 'sampling seed', intFlag(0, Number.MAX_SAFE_INTEGER));

export function buildProgram(io: Io, run: (fn: (ctx: Context) => Promise<void>, options: GlobalOptions) => Promise<void>): Command {
  const program = new Command('tabagent');
  program.description('Command-line client of tabagent-server: models, vision on pictures, videos and cameras, text')
    .exitOverride().showHelpAfterError(true)
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .addOption(new Option('--server <addr>', 'gRPC address of tabagent-server').env(GLOBAL_DEFAULTS.server.env).default(GLOBAL_DEFAULTS.server.value))
    .addOption(new Option('--http <addr>', 'address of the server\'s HTTP API (reserved for commands that use it)').env(GLOBAL_DEFAULTS.http.env).default(GLOBAL_DEFAULTS.http.value))
    .addOption(new Option('--token <token>', 'bearer token the server requires (--auth-token of tabagent-server)').env(GLOBAL_DEFAULTS.token.env).default(''))
    .addOption(new Option('--tls-ca <file>', 'PEM CA certificate to trust: talk TLS to a server started with --tls-cert').env(GLOBAL_DEFAULTS.tlsCa.env).default(''))
    .addOption(new Option('--ffmpeg <path>', 'ffmpeg binary (default: TABAGENT_FFMPEG, else the packaged build)').default(''));
  const runner: Runner = { run: (fn) => run(fn, program.opts<GlobalOptions>()), out: io.out };
  registerModels(program, runner);

  program.command('vision').description('run a vision task on images, a video file, a URL or a camera')
    .argument('<task>', TASK_NAMES.join('|')).argument('[images...]', 'JPEG or PNG files')
    .option('--json', 'print the result as JSON (one line per image or frame)').option('--out <file>', 'write the annotated image (.png) or video (.mp4)')
    .option('--video <source>', 'a video file, URL or /dev/videoN instead of images').option('--fps <n>', 'frames per second to take from the video')
    .option('--fast', 'decode a video file as fast as possible instead of at its own rate')
    .option('--no-shared-memory', 'send video pixels inside the gRPC messages even when the server is local').option('--model <id>', 'catalog id overriding the task\'s default model')
    .action((task: string, images: string[], o: VideoOptions & { video?: string }) => runner.run(async (ctx) => {
      if (!isTaskName(task)) throw new UsageError(`unknown vision task "${task}"`, VISION_USAGE);
      if (o.video !== undefined) {
        if (images.length > 0) throw new UsageError('give either IMAGE files or --video, not both', VISION_USAGE);
        await visionVideo(ctx, task, o.video, o, io.out);
      } else {
        if (images.length === 0) throw new UsageError('no IMAGE given', VISION_USAGE);
        const { visionImages } = await import('./vision-image.js'); // sharp loads only for images
        await visionImages(ctx, task, images, o, io.out);
      }
    }));

  addSampling(program.command('generate').description('generate text from a prompt (streams)').argument('<prompt>', 'prompt text')
    .option('--model <id>', 'text model', DEFAULT_TEXT_MODEL))
    .action((prompt: string, o: SamplingFlags & { model: string }) => runner.run(async (ctx) => {
      await generate(ctx, prompt, o.model, o, (t) => process.stdout.write(t));
      process.stdout.write('\n');
    }));
  addSampling(program.command('chat').description('interactive chat; Ctrl-C stops the current answer, Ctrl-D ends')
    .option('--model <id>', 'chat model', DEFAULT_TEXT_MODEL).option('--system <text>', 'system message'))
    .action((o: SamplingFlags & { model: string; system?: string }) => runner.run((ctx) => chat(ctx, o.model, o, o.system)));
  program.command('embed').description('embed texts; prints one JSON array per text').argument('<texts...>', 'texts')
    .option('--model <id>', 'embedding model', DEFAULT_EMBED_MODEL)
    .action((texts: string[], o: { model: string }) => runner.run(async (ctx) => {
      for (const v of await embed(ctx, o.model, texts)) io.out(JSON.stringify(v));
    }));
  program.command('transcribe').description('transcribe any audio file ffmpeg reads').argument('<file>', 'audio file')
    .option('--model <id>', 'speech model', DEFAULT_SPEECH_MODEL).option('--language <code>', 'language hint', 'en')
    .action((file: string, o: { model: string; language: string }) => runner.run(async (ctx) => io.out(await transcribe(ctx, o.model, file, o.language))));
  return program;
}
