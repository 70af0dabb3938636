// bench:proxy target 4: Generate tokens/s through the supervisor against the same ML node called
// directly (its secret and the call's model in the metadata, as the supervisor sends them), in
// alternating runs. The ML node is a `--mode ml` process the supervisor attaches to, so both paths
// reach the very same model.
import { credentials, Metadata } from '@grpc/grpc-js';
import { MODELS_KEY, SECRET_KEY, encodeRoles, grpcChannelOptions } from '@tabagent/common';
import { TextClient, type GenerateRequest, type GenerateResponse } from '@tabagent/protos/v1/text';

const MODEL = 'karpathy/stories260K';
const TOKENS = 256;

/** Tokens/s of one run (first token to last), and its token count. */
export interface GenRun {
  readonly tokensPerSecond: number;
  readonly tokens: number;
}

function generate(client: TextClient, metadata: Metadata): Promise<GenRun> {
  const req: GenerateRequest = { model: MODEL, prompt: '', sampling: { maxNewTokens: TOKENS, temperature: 0, topK: 0, stop: [] } };
  return new Promise((resolve, reject) => {
    let first = 0;
    let tokens = 0;
    const s = client.generate(req, metadata, { deadline: new Date(Date.now() + 120_000) });
    s.on('data', (r: GenerateResponse) => {
      if (!r.delta) return;
      first ||= performance.now();
      tokens += r.delta.tokenIds.length;
    });
    s.on('error', reject);
    s.on('end', () => resolve({ tokensPerSecond: (tokens - 1) / ((performance.now() - first) / 1000), tokens }));
  });
}

/** `runs` alternating pairs (supervisor, then the node directly); the model must be loaded on the node. */
export async function measureGenerate(supervisor: string, node: string, secret: string, runs: number): Promise<Array<{ supervisor: GenRun; direct: GenRun }>> {
  const viaSupervisor = new TextClient(supervisor, credentials.createInsecure(), grpcChannelOptions());
  const direct = new TextClient(node, credentials.createInsecure(), grpcChannelOptions());
  const childMeta = (): Metadata => {
    const m = new Metadata();
    m.set(SECRET_KEY, secret);
    m.set(MODELS_KEY, encodeRoles({ model: MODEL }));
    return m;
  };
  try {
    await generate(viaSupervisor, new Metadata());
    await generate(direct, childMeta());
    const out: Array<{ supervisor: GenRun; direct: GenRun }> = [];
    for (let i = 0; i < runs; i++) out.push({ supervisor: await generate(viaSupervisor, new Metadata()), direct: await generate(direct, childMeta()) });
    for (const r of out) if (r.supervisor.tokens !== TOKENS || r.direct.tokens !== TOKENS) throw new Error(`generated ${r.supervisor.tokens} / ${r.direct.tokens} tokens, expected ${TOKENS}`);
    return out;
  } finally {
    viaSupervisor.close();
    direct.close();
  }
}

export { MODEL as GENERATE_MODEL };
