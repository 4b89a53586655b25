import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Starts the built API as its own process on `dataDir` (the embedded default) and resolves with its
 * URL. BENCH_API_NODE_ARGS passes options to its node (for example `--cpu-prof --cpu-prof-dir=…`).
 */
export function startApi(apiMain: string, dataDir: string, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, apiMain], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'log', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) resolve({ url: match[1], child });
    });
    setTimeout(() => reject(new Error(`API did not start: ${output}`)), 20_000).unref();
    child.once('exit', (code) => reject(new Error(`API exited with ${code}: ${output}`)));
  });
}
