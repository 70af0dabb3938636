// `tabagent chat`: an interactive conversation. Each line is a user turn; the reply streams as it
// is generated and joins the history. Ctrl-C during a reply stops that reply (the partial text is
// kept); Ctrl-C at the prompt, Ctrl-D or "/exit" ends the chat.
import { createInterface } from 'node:readline';
import type { ChatMessage } from '@tabagent/protos/v1/text';
import type { Context } from './context.js';
import { chatTurn, type SamplingFlags } from './text.js';

export type ChatState = 'prompting' | 'answering' | 'closed';

export class ChatSession {
  state: ChatState = 'prompting';
  readonly history: ChatMessage[] = [];
  private cancel: (() => void) | undefined;

  constructor(private readonly ctx: Context, private readonly model: string, private readonly flags: SamplingFlags, system?: string) {
    if (system) this.history.push({ role: 'system', content: system });
  }

  async run(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
    const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
    rl.on('SIGINT', () => {
      if (this.state === 'answering') this.cancel?.();
      else rl.close();
    });
    // Lines are queued as they arrive, so piped input keeps every line typed ahead of an answer.
    const queue: string[] = [];
    let waiter: ((line: string | undefined) => void) | undefined;
    let closed = false;
    rl.on('line', (line) => {
      if (waiter) {
        const w = waiter;
        waiter = undefined;
        w(line);
      } else queue.push(line);
    });
    rl.on('close', () => {
      closed = true;
      waiter?.(undefined);
    });
    const ask = (): Promise<string | undefined> => {
      const next = queue.shift();
      if (next !== undefined) return Promise.resolve(next);
      if (closed) return Promise.resolve(undefined);
      rl.setPrompt('>>> ');
      rl.prompt();
      return new Promise((resolve) => (waiter = resolve));
    };
    for (let line = await ask(); line !== undefined; line = await ask()) {
      if (line.trim() === '/exit') break;
      if (!line.trim()) continue;
      this.history.push({ role: 'user', content: line });
      this.state = 'answering';
      const turn = chatTurn(this.ctx, this.model, this.history, this.flags, (t) => output.write(t));
      this.cancel = turn.cancel;
      const { text, cancelled } = await turn.done;
      this.history.push({ role: 'assistant', content: text });
      output.write(cancelled ? ' [stopped]\n' : '\n');
      if (this.state === 'answering') this.state = 'prompting';
    }
    rl.close();
    this.state = 'closed';
  }
}

export function chat(ctx: Context, model: string, flags: SamplingFlags, system?: string): Promise<void> {
  return new ChatSession(ctx, model, flags, system).run(process.stdin, process.stdout);
}
