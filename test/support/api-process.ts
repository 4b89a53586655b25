import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
export const API_MAIN = join(root, 'dist', 'apps', 'api', 'main.js');

/** Builds the API bundle when it is not there yet (npm test builds it first; a lone jest run may not). */
export function ensureApiBuilt(): void {
  if (!existsSync(API_MAIN)) execFileSync(join(root, 'node_modules', '.bin', 'nest'), ['build', 'api'], { cwd: root, stdio: 'inherit' });
}

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** Ends the process the hard way: no shutdown hooks, no flush. */
  kill: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface ApiProcessOptions {
  /** The built API to run (default `dist/apps/api/main.js`). */
  main?: string;
  /** Options for its node, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
}

/** Starts `node dist/apps/api/main.js` (or `options.main`) on a free port and waits until it listens. */
export function startApiProcess(env: Record<string, string>, options: ApiProcessOptions = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main ?? API_MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the API did not start in time:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({
          url: match[1].replace('[::1]', '127.0.0.1'),
          child,
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening:\n${output}`)));
  });
}
