import { InMemoryReadStore } from './in-memory.adapter.js';
import { readStoreContract } from './read-store.contract.js';

readStoreContract('in-memory', async () => new InMemoryReadStore());
