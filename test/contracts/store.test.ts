import { MemoryStore } from '../../src/pipeline/memory-store.js';
import { describeStoreContract } from './store-contract.js';

// The SQLite and PostgreSQL stores run the same suite in examples/sqlite-store and examples/postgres-store.
describeStoreContract({ name: 'MemoryStore', create: () => new MemoryStore() });
