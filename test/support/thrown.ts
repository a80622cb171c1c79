/** The error `attempt` throws, or `undefined` when it returns: for tests that check an error's fields. */
export function thrown(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  return undefined;
}
