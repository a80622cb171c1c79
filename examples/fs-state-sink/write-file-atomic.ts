import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * Whether to `fsync` the temporary file before the rename and the directory after it, so the
   * new content survives a power loss, not only a crash of the process.
   * @defaultValue true
   */
  readonly fsync?: boolean;
  /** Aborts the write; the temporary file is removed and the target is left as it was. */
  readonly signal?: AbortSignal;
}

let sequence = 0;

/**
 * Replaces a file's content atomically: the data goes to a temporary file in the same
 * directory (`.<name>.<pid>.<n>.tmp`), which is flushed to disk and then renamed over the
 * target. `rename` within one directory is atomic on POSIX file systems, so a reader sees
 * either the old content or the new one, never a partial file. Missing directories are
 * created. On failure or abort the temporary file is removed and the target is untouched.
 *
 * @param path - The file to write.
 * @param data - Its new content (a string is written as UTF-8).
 * @param options - See {@link WriteFileAtomicOptions}.
 * @returns A promise that resolves once the file is renamed into place (and synced, when asked).
 *
 * @example
 * ```ts
 * await writeFileAtomic('state/data/data_status.json', JSON.stringify(status));
 * // state/data/data_status.json now holds the whole document; no .tmp file remains
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const { fsync = true, signal } = options;
  signal?.throwIfAborted();
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${sequence++}.tmp`);
  let renamed = false;
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    signal?.throwIfAborted();
    await rename(temp, path);
    renamed = true;
    if (fsync) await syncDirectory(dir);
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

/** Flushes a directory entry (the rename) to disk; a no-op where directories cannot be opened (Windows). */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
