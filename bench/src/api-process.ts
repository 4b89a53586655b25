import { type ApiProcess, startApiProcess } from '../../test/support/api-process.js';

/**
 * Starts the built API as its own process on `dataDir` (the embedded default), as the end-to-end
 * tests do. BENCH_API_NODE_ARGS passes options to its node (for example `--cpu-prof --cpu-prof-dir=…`).
 */
export function startApi(apiMain: string, dataDir: string): Promise<ApiProcess> {
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return startApiProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'log' }, { main: apiMain, nodeArgs });
}
