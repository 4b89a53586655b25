// A stand-in for the app bundle in a projector thread, speaking the thread protocol of
// projector-threads.ts: every projection live at position 5, but one named `failing`, which threw on
// the event at position 6. `rebuild` of a projection named `crashing` ends the thread with exit code
// 3, as a fault outside any projection would; a projection named `unopenable` makes the thread fail
// to start.
import { parentPort, workerData } from 'node:worker_threads';

const names = workerData.projections;
if (names.includes('unopenable')) {
  parentPort.postMessage({ fatal: 'cannot open the read store' });
} else {
  const failure = {
    position: '6', type: 'IncidentRecorded', stream: 'incident-boom', eventId: 'e6', error: 'TypeError: boom', at: '2025-03-01T12:00:00.000Z',
  };
  const runner = (name) => ({
    collection: `${name}@v1.1`, version: 1, state: 'failing', checkpoint: '5', lag: '2', eventsApplied: 5, batches: 1, retries: 0, lastError: null, failure,
  });
  const status = (name) => ({
    name, version: 1, state: name === 'failing' ? 'failing' : 'live', collection: `${name}@v1.1`, checkpoint: '5', headPosition: '5', lag: '0', runsHere: true,
    live: name === 'failing' ? runner(name) : null, rebuild: null,
  });
  parentPort.on('message', (request) => {
    const reply = (value) => parentPort.postMessage({ id: request.id, value });
    if (request.op === 'status') reply(names.map(status));
    else if (request.op === 'waitFor') reply(request.position <= 5n);
    else if (request.op === 'rebuild' && request.projection === 'crashing') process.exit(3);
    else if (request.op === 'rebuild') reply(status(request.projection));
    else if (request.op === 'stop') {
      reply(null);
      parentPort.close();
    }
  });
  parentPort.postMessage({ ready: true });
}
