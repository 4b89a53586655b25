import { runProjectorThreadOr } from '@app/projections/projector/projector-threads.js';

/**
 * The projector app's entry, which its projector threads (PROJECTOR_THREADS) run too: a thread loads
 * only what it needs, and the app with its framework is loaded as a chunk of its own (see the API's main).
 */
runProjectorThreadOr(() => import('./serve.js').then(({ serve }) => serve(import.meta.filename)));
