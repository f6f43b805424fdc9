// A FIFO limit on concurrent work: Managed Instances dispatch at most maxConcurrency invokes at once.
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Runs `fn` once a slot is free (in call order); the slot is released when it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes on directly
      else this.used--;
    }
  }
}
