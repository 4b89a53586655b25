import { isProjectorThread, runProjectorThread } from '@app/projections/projector/projector-threads.js';

/**
 * The projector app's entry, which its projector threads (PROJECTOR_THREADS) run too: a thread loads
 * only what it needs, and the app with its framework is loaded as a chunk of its own (see the API's main).
 */
const run = isProjectorThread() ? runProjectorThread() : import('./serve.js').then(({ serve }) => serve(import.meta.filename));
run.catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
