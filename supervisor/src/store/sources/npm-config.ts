// Reads the user's npm configuration (user .npmrc and npm_config_* env) into pacote options, so
// model packages come from the registry, with the auth, proxy and cache the user set up for npm.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Options handed to pacote / npm-registry-fetch. */
export type NpmOptions = Record<string, unknown>;

const CAMEL: Readonly<Record<string, string>> = {
  'strict-ssl': 'strictSSL', 'https-proxy': 'httpsProxy', noproxy: 'noProxy', 'no-proxy': 'noProxy',
  'fetch-retries': 'fetchRetries', 'fetch-timeout': 'timeout', 'prefer-offline': 'preferOffline',
  'prefer-online': 'preferOnline', 'user-agent': 'userAgent',
};

function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/(\\*)\$\{([^}]+)\}/g, (whole, escapes: string, name: string) =>
    escapes.length % 2 === 1 ? whole.slice(1) : `${escapes}${env[name] ?? ''}`);
}

/** Parses npmrc (ini without sections) text into key/value pairs. */
export function parseNpmrc(text: string, env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const out = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = expandEnv(line.slice(0, eq).trim(), env);
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value.startsWith('"') || value.startsWith("'")) && value.endsWith(value[0] ?? '')) {
      value = value.slice(1, -1);
    }
    out.set(key, expandEnv(value, env));
  }
  return out;
}

function typed(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function readNpmrc(path: string, env: NodeJS.ProcessEnv): Map<string, string> {
  try {
    return parseNpmrc(readFileSync(path, 'utf8'), env);
  } catch {
    return new Map();
  }
}

/**
 * pacote options from the user's npm config: `~/.npmrc` (or `$NPM_CONFIG_USERCONFIG`) overlaid
 * with `npm_config_*` environment variables. Keys like `registry`, `@scope:registry` and
 * `//host/:_authToken` pass through; `cache` points pacote at npm's content cache.
 */
export function npmOptionsFromConfig(env: NodeJS.ProcessEnv = process.env): NpmOptions {
  const merged = new Map<string, string>();
  const userConfig = env['NPM_CONFIG_USERCONFIG'] ?? env['npm_config_userconfig'] ?? join(homedir(), '.npmrc');
  for (const [k, v] of readNpmrc(userConfig, env)) merged.set(k, v);
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !/^npm_config_/i.test(name)) continue;
    const key = name.slice('npm_config_'.length).toLowerCase().replace(/_/g, '-');
    if (key === 'userconfig' || key === 'globalconfig') continue;
    merged.set(key, value);
  }
  const opts: NpmOptions = {};
  for (const [key, value] of merged) {
    if (key === 'cache') {
      opts['cache'] = join(value, '_cacache');
      continue;
    }
    if (key === 'cafile') {
      try {
        opts['ca'] = readFileSync(value, 'utf8');
      } catch {
        // an unreadable cafile is npm's problem too; the registry call will report TLS errors
      }
      continue;
    }
    opts[CAMEL[key] ?? key] = typed(value);
  }
  return opts;
}
