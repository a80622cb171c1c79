import { SourceError } from 'market-data-pipeline';

/**
 * The error of a file that cannot be served whole: kind `bad_data`, the message naming the
 * file and, when known, where in it (`line 12` of a CSV, `row 12` of a JSON, feather or
 * Parquet table, both counted from 1).
 *
 * @param path - The file.
 * @param where - `line N`, `row N`, or `undefined` when the file is unreadable as a whole (a zip without its directory).
 * @param message - What is wrong.
 * @param cause - The underlying error, if any.
 * @returns The error to reject with.
 */
export function badArchiveData(path: string, where: string | undefined, message: string, cause?: unknown): SourceError {
  return new SourceError(`${path}${where === undefined ? '' : `: ${where}`}: ${message}`, {
    kind: 'bad_data',
    ...(cause === undefined ? {} : { cause }),
  });
}
