import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
export const PROJECTOR_MAIN = join(root, 'dist', 'apps', 'projector', 'main.js');

/** Builds the projector bundle from the current sources (npm test builds only the API). */
export function buildProjector(): void {
  execFileSync(join(root, 'node_modules', '.bin', 'nest'), ['build', 'projector'], { cwd: root, stdio: 'ignore' });
}

export interface ProjectorProcess {
  child: ChildProcess;
  /** Resolves with the URL once it listens (its projections start before that). */
  listening: Promise<string>;
  output: () => string;
  /** Ends the process the hard way: no shutdown hooks, nothing flushed. */
  kill: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Starts `node dist/apps/projector/main.js`, as the API is started in api-process.ts. */
export function startProjectorProcess(env: Record<string, string>): ProjectorProcess {
  const child = spawn(process.execPath, [PROJECTOR_MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the projector did not start in time:\n${output}`)), 20_000);
    const onData = () => {
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the projector exited with ${code}:\n${output}`));
    });
  });
  listening.catch(() => {});
  return {
    child,
    listening,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
