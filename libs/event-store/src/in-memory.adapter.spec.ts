import { eventStoreContract } from './event-store.contract.js';
import { InMemoryEventStore } from './in-memory.adapter.js';

eventStoreContract('in-memory', async () => new InMemoryEventStore());
