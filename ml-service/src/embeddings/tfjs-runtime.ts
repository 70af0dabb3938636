// Picks the @tensorflow/tfjs backend of this process: tfjs-node when it is installed (native
// TensorFlow), else the WebAssembly backend, else plain JavaScript.

type Tf = typeof import('@tensorflow/tfjs');

/** The tfjs module with its backend ready. */
export interface TfjsRuntime {
  readonly tf: Tf;
  readonly backend: string;
  readonly warnings: readonly string[];
}

async function tryImport(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Initialises tfjs once per process (tfjs keeps its backend in a process-wide engine) and returns
 * it. Calling it again returns the backend already chosen.
 */
export async function tfjsRuntime(): Promise<TfjsRuntime> {
  // Imported on first use so processes that never load a TFJS model do not pay for it.
  const tf: Tf = await import('@tensorflow/tfjs');
  const warnings: string[] = [];
  const current = tf.getBackend() as string | undefined;
  if (current === 'tensorflow' || current === 'wasm') return { tf, backend: current, warnings };
  // Optional peers: present only when the user installed them.
  if ((await tryImport('@tensorflow/tfjs-node-gpu')) || (await tryImport('@tensorflow/tfjs-node'))) {
    if (await tf.setBackend('tensorflow')) return { tf, backend: 'tensorflow', warnings };
  }
  if (await tryImport('@tensorflow/tfjs-backend-wasm')) {
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { tf, backend: 'wasm', warnings };
    }
  }
  warnings.push('tfjs: neither tfjs-node nor the wasm backend is available; using the slow JavaScript backend');
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu', warnings };
}
