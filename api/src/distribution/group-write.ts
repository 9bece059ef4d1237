// Group commit for the send lanes: statements that several lanes want at the same moment (take a delivery,
// claim a message, mark one sent) are written as one statement and one commit. The first request when
// nothing is being written goes at once (no added wait); requests that arrive while a write is under way go
// together in the next one. Each caller gets its own answer, and the error of the write it was part of.
export class GroupWrite<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private writing = false;
  /** Statements written and requests they carried (the benchmark reports requests per statement). */
  readonly stats = { writes: 0, items: 0 };

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly max = 64,
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain() {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.max);
        this.stats.writes++;
        this.stats.items += group.length;
        try {
          const out = await this.write(group.map((g) => g.item));
          group.forEach((g, i) => g.resolve(out[i]));
        } catch (error) {
          for (const g of group) g.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
