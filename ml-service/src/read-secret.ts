// Reads the per-spawn secret from the first line of stdin without consuming the rest of the stream.

/** Resolves with the first stdin line (trimmed); rejects when stdin ends first or after timeoutMs. */
export function readSecretLine(timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error('no secret on stdin')), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(undefined, buf.slice(0, nl).trim());
    };
    const onEnd = (): void => done(new Error('stdin ended before the secret line'));
    function done(err?: Error, line?: string): void {
      clearTimeout(timer);
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
      if (err) reject(err);
      else resolve(line ?? '');
    }
    process.stdin.on('data', onData);
    process.stdin.on('end', onEnd);
    process.stdin.resume();
  });
}
