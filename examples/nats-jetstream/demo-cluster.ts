/**
 * `npm run demo:cluster`: three workers over a simulated exchange of 24 symbols on a private
 * `nats-server -js`, an agent consuming the bars and watching the documents, one worker killed
 * with SIGKILL, the takeover and the agent's final account printed. See `runCluster`.
 */
import { runCluster } from './run-cluster.js';
import { natsServerBinary, startNatsServer } from './start-nats-server.js';

if (natsServerBinary() === undefined) {
  console.error('nats-server is not installed. On Debian/Ubuntu: sudo apt-get install nats-server (or set NATS_SERVER to its path)');
  process.exit(1);
}
const server = await startNatsServer();
console.log(`nats-server -js on ${server.url}, store ${server.storeDir}`);
try {
  const report = await runCluster(server, { log: (line) => console.log(line) });
  console.log('takeover:');
  for (const { worker, partitions, afterMs } of report.takeover)
    console.log(
      `  ${worker} took partition${partitions.length === 1 ? '' : 's'} ${partitions.join(', ')} after ${(afterMs / 1000).toFixed(1)} s`,
    );
  const { account } = report;
  const pct = (q: number): string =>
    `${account.latencies[Math.min(account.latencies.length - 1, Math.floor(q * account.latencies.length))] ?? NaN} ms`;
  console.log('final account (agent):');
  console.log(
    `  ${account.messages} bar messages, ${account.keys} distinct (symbol, timeframe, open time), ${account.revised} at a revision above 0`,
  );
  console.log(
    `  expected ${account.expected}: ${account.missing.length} missing, ${account.wrong.length} 1m bars differing from the exchange`,
  );
  console.log(`  ignored at the agent: ${account.duplicates} repeats of a kept revision, ${account.stale} lower revisions`);
  console.log(`  ${account.documents} document updates watched; close-to-agent latency p50 ${pct(0.5)}, p99 ${pct(0.99)}`);
  if (account.missing.length > 0)
    console.log(`  missing: ${account.missing.slice(0, 10).join(', ')}${account.missing.length > 10 ? ', …' : ''}`);
  for (const error of report.errors.slice(0, 10)) console.log(`  worker error: ${error}`);
  process.exitCode = account.missing.length === 0 && account.wrong.length === 0 ? 0 : 1;
} finally {
  await server.stop();
}
