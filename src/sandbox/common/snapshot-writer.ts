import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { open, rename } from 'node:fs/promises';

/**
 * Writes `body` to `file` so that a reader only ever sees the old file or the whole new one: the temp file is
 * flushed to disk before the rename, and the rename is atomic, so a process killed mid-write (kill -9) leaves the
 * previous snapshot intact.
 */
export async function writeFileAtomically(file: string, body: string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/**
 * Keeps a simulator's snapshot file current while it runs, so its data survives a kill -9 and not only a clean
 * stop: a change schedules one write `delayMs` later (changes in between share it) and writes never overlap (they
 * share one temp file). `flush()` (close, POST /_sim/snapshot) writes now.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly serialize: () => string,
    private readonly delayMs: () => number,
  ) {}

  changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed write leaves the data marked changed: the next change or flush() writes it again, and flush() reports.
      this.flush(false).catch(() => undefined);
    }, this.delayMs());
  }

  /** Writes now (only if something changed unless `force`); rejects if the write failed. */
  flush(force = true): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const run = this.queue.then(async () => {
      if (!this.dirty && !force) return;
      this.dirty = false;
      try {
        await writeFileAtomically(this.file, this.serialize());
      } catch (error) {
        this.dirty = true;
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Marks the snapshot changed after every request that may have written (anything but GET/HEAD/OPTIONS). */
export function snapshotMiddleware(writer: SnapshotWriter): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') res.on('finish', () => writer.changed());
    next();
  };
}
