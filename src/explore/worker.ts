/**
 * A worker thread of the parallel search (explore/parallel.ts): imports the
 * compiled model from the JavaScript the main thread checked (a data: URL,
 * as emit/cache.ts does), and serves the driver's requests on its own
 * Expander over the shared store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importJs } from '../emit/importJs.ts';
import { runtime } from './runtime.ts';
import { Expander } from './expander.ts';
import { serve, type Request, type WorkerData } from './protocol.ts';
import { READY } from './sharedStore.ts';

const data = workerData as WorkerData;
const model = (await importJs(data.js))(runtime);
const expander = new Expander(model, data.buffers, data.id, data.shape);
parentPort!.on('message', (r: Request) => parentPort!.postMessage(serve(expander, r)));
// Loaded: the search may count on this worker from its next level on (parallel.ts's Pool.ready).
Atomics.add(new Int32Array(data.buffers.control), READY, 1);
