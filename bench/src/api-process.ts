import { type ApiProcess, startApiProcess } from '../../test/support/api-process.js';

/** The options `npm run start:prod` gives the API's node. */
const API_NODE_ARGS = '--single-threaded-gc';

/**
 * Starts the built API as its own process on `dataDir` (the embedded default), as the end-to-end
 * tests do, with the node options it runs with in production. BENCH_API_NODE_ARGS replaces them
 * (for example `--single-threaded-gc --cpu-prof --cpu-prof-dir=…`; empty for none).
 */
export function startApi(apiMain: string, dataDir: string): Promise<ApiProcess> {
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? API_NODE_ARGS).split(' ').filter(Boolean);
  return startApiProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'log' }, { main: apiMain, nodeArgs });
}
