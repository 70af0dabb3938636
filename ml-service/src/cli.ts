#!/usr/bin/env node
// Executable entry of the ML child process.
import { mlMain } from './main.js';

mlMain(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 60, proc: 'ml', msg: 'ML service failed to start', err: String((err as Error).stack ?? err) })}\n`);
  process.exit(1);
});
