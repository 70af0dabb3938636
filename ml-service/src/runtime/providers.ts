// Execution-provider selection for onnxruntime-node: maps requested devices to providers, tries
// them in order, and falls back to CPU with a warning the supervisor shows in GetModel.
import ort from 'onnxruntime-node';
import { Device } from '@tabagent/protos/v1/common';

/** onnxruntime execution-provider name for each device. */
const PROVIDER_OF: Readonly<Record<number, string>> = Object.freeze({
  [Device.DEVICE_CPU]: 'cpu',
  [Device.DEVICE_CUDA]: 'cuda',
  [Device.DEVICE_TENSORRT]: 'tensorrt',
  [Device.DEVICE_DML]: 'dml',
  [Device.DEVICE_COREML]: 'coreml',
  [Device.DEVICE_WEBGPU]: 'webgpu',
  // GPU backends of the llama.cpp runtime (onnxruntime skips them with a warning).
  [Device.DEVICE_VULKAN]: 'vulkan',
  [Device.DEVICE_METAL]: 'metal',
});

/** Device for each provider name. */
export function deviceOfProvider(name: string): Device {
  for (const [d, p] of Object.entries(PROVIDER_OF)) if (p === name) return Number(d) as Device;
  return Device.DEVICE_CPU;
}

/** Providers this onnxruntime-node build ships (bundled) or may load (e.g. CUDA when installed). */
export function availableProviders(): string[] {
  return ort.listSupportedBackends().map((b) => b.name);
}

/** Ordered list of providers to try for a device preference list; CPU is always last. */
export function providerPlan(devices: readonly Device[]): string[] {
  const plan: string[] = [];
  for (const d of devices) {
    const p = PROVIDER_OF[d];
    if (p && !plan.includes(p)) plan.push(p);
  }
  if (!plan.includes('cpu')) plan.push('cpu');
  return plan;
}

/** Result of creating a session with fallback. */
export interface ProviderChoice<T> {
  value: T;
  provider: string;
  warnings: string[];
}

/**
 * Runs `create` with each provider of the plan until one succeeds. A provider that this build does not
 * list, or whose creation throws, is skipped with a warning.
 */
export async function withProviderFallback<T>(
  plan: readonly string[],
  create: (provider: string) => Promise<T>,
): Promise<ProviderChoice<T>> {
  const supported = new Set(availableProviders());
  const warnings: string[] = [];
  let lastError: unknown;
  for (const provider of plan) {
    if (!supported.has(provider)) {
      warnings.push(`execution provider "${provider}" is not available in this build; falling back`);
      continue;
    }
    try {
      return { value: await create(provider), provider, warnings };
    } catch (err) {
      lastError = err;
      warnings.push(`execution provider "${provider}" failed (${(err as Error).message.split('\n')[0]}); falling back`);
    }
  }
  throw lastError instanceof Error ? lastError : new Error('no execution provider could create the session');
}
