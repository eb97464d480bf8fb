/**
 * Group commit: work that arrives while the store is busy waits in one queue, first come first
 * served, and is handed over together (one statement, one commit, one WAL flush for many) as soon as
 * a batch finishes. A lone arrival goes at once, alone: nothing waits for company.
 */
export interface GroupCommitOptions {
  /** How many batches may be at the store at once. */
  inFlight: number;
  /** The most items in one batch. */
  maxBatch: number;
}

export function groupCommit<T, R>(
  store: (items: T[]) => Promise<PromiseSettledResult<R>[]>,
  options: GroupCommitOptions,
): (item: T) => Promise<R> {
  const queue: { item: T; resolve(value: R): void; reject(reason: unknown): void }[] = [];
  let busy = 0;
  const next = () => {
    while (busy < options.inFlight && queue.length) {
      const batch = queue.splice(0, options.maxBatch);
      busy++;
      // The next batch is sent before this one's answers are written: the store is kept busy.
      const done = () => {
        busy--;
        next();
      };
      store(batch.map((w) => w.item)).then(
        (settled) => {
          done();
          batch.forEach((w, i) => settle(w, settled[i]));
        },
        (error: unknown) => {
          done();
          batch.forEach((w) => w.reject(error));
        },
      );
    }
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      next();
    });
}

function settle<R>(waiter: { resolve(value: R): void; reject(reason: unknown): void }, settled: PromiseSettledResult<R> | undefined) {
  if (settled?.status === 'fulfilled') waiter.resolve(settled.value);
  else waiter.reject(settled ? settled.reason : new Error('the store answered fewer items than it was given'));
}
