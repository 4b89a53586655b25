import { runProjectorThreadOr } from '@app/projections/projector/projector-threads.js';

/**
 * The API's entry, which its projector threads (PROJECTOR_THREADS) run too. A thread loads only the
 * projector, the stores and the projections; the API with its framework is loaded as a chunk of its
 * own when the bundle runs as the API. A thread so loads its code in some 50 ms, not 250 ms or more,
 * which a rebuild on the bench waited for (bench/README, eighth round).
 */
runProjectorThreadOr(() => import('./serve.js').then(({ serve }) => serve(import.meta.filename)));
