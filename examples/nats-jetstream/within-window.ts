/**
 * Runs `tasks` with at most `limit` in flight at once, keeping the window full (a new task starts
 * as soon as one settles): the way to publish many JetStream messages, where the server's
 * acknowledgements pipeline but thousands of requests outstanding at once slow the client down.
 * Rejects with the first failure, and from then on starts no further task (tasks already started
 * still run to their end): a failed publish, or a fence that turned, stops the rest of the batch.
 *
 * @param tasks - The tasks, started in order.
 * @param limit - The most in flight at once, a positive integer.
 * @returns Their results, in the tasks' order.
 */
export async function withinWindow<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]!();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, lane));
  return results;
}
