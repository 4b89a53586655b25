import { describe, it } from '@jest/globals';
import { MongoReadStore } from './mongo.adapter.js';
import { readStoreContract } from './read-store.contract.js';

const uri = process.env.MONGODB_URI;

if (uri) {
  // A database of its own per run, so the suite never meets the data of a running app.
  readStoreContract('mongodb', async () => new MongoReadStore({ uri, databaseName: `samverkan-contract-${Date.now()}`, retireAfterMs: 200 }));
} else {
  console.warn(
    'MongoDB read-store contract suite SKIPPED: MONGODB_URI is not set. ' +
      "Start the replica set in docker/ and set MONGODB_URI='mongodb://localhost:27017/samverkan?replicaSet=rs0&directConnection=true' to run it.",
  );
  describe.skip('ReadStore contract: mongodb (SKIPPED: MONGODB_URI is not set)', () => {
    it('runs the shared read-store contract against a live MongoDB replica set', () => {});
  });
}
