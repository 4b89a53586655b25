import { runProjectorThreadOr } from '@app/projections/projector/projector-threads.js';

/**
 * The bench's entry, which its projector threads run too: a thread starts with only what it needs
 * (the projector, the stores, the projections), and the benchmarks load with their clients and the
 * API's framework only when the bundle runs as the bench.
 */
runProjectorThreadOr(() => import('./benchmarks.js').then(({ runBenchmarks }) => runBenchmarks(import.meta.filename)));
