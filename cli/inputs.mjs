// Reading the command line's data files — events, transactions, refunds, collaborators — from
// JSON or CSV into the engine's input objects (ENGINE.md §8). The parsing itself (CSV, JSON,
// rows into §8 objects, source locations) is lib/records.mjs, shared with the browser editor;
// this module adds the files: chunked reads with a progress line on stderr for large ones.

import { openSync, readSync, closeSync, fstatSync, writeSync } from "node:fs";
import { InputError, parseJson, parseEvents, parseTransactions, attachRefunds, parseCollaborators } from "../lib/records.mjs";

export { InputError, CsvParser, parseCsv, emptySources, locateEnginePath } from "../lib/records.mjs";

// ---------------------------------------------------------------------------------------------
// Reading files, with a progress line on stderr for large ones.

const PROGRESS_THRESHOLD = 1024 * 1024;
const CHUNK = 256 * 1024;

function progressEnabled(size) {
  const env = process.env.SIREN_PROGRESS;
  if (env === "0") return false;
  if (size <= PROGRESS_THRESHOLD) return false;
  return env === "1" || Boolean(process.stderr.isTTY);
}

const mb = (n) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Reads `file` in chunks, passing decoded text to `onText`. When the file is large and stderr is
 * a terminal (or SIREN_PROGRESS=1), a progress line is kept up to date on stderr and cleared at
 * the end. Throws InputError when the file cannot be read.
 */
export function readTextChunks(file, onText) {
  let fd;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    throw new InputError(file, 0, 0, e.code === "ENOENT" ? "no such file" : `cannot read: ${e.message}`);
  }
  const size = fstatSync(fd).size;
  const show = progressEnabled(size);
  const decoder = new TextDecoder("utf-8");
  const buffer = Buffer.allocUnsafe(CHUNK);
  let done = 0;
  let lastPercent = -1;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      done += n;
      onText(decoder.decode(buffer.subarray(0, n), { stream: true }));
      if (show) {
        const percent = Math.floor((done / size) * 100);
        if (percent !== lastPercent) {
          lastPercent = percent;
          writeSync(2, `\rreading ${file}: ${mb(done)} / ${mb(size)} (${percent}%)`);
        }
      }
    }
    onText(decoder.decode());
  } finally {
    closeSync(fd);
    if (show) writeSync(2, "\r\x1b[K");
  }
  if (show) progressWasShown = true;
}

let progressWasShown = false;

/**
 * After a large file was read with a progress line, shows `text` (e.g. "computing…") on stderr
 * the same way while `work()` runs, and clears it; otherwise just runs `work()`.
 */
export function withStatus(text, work) {
  if (!progressWasShown) return work();
  writeSync(2, `\r${text}`);
  try {
    return work();
  } finally {
    writeSync(2, "\r\x1b[K");
  }
}


// ---------------------------------------------------------------------------------------------
// The four kinds of files (CSV by the .csv extension, JSON otherwise; see docs/data-formats.md).

/** A chunk source for lib/records.mjs: the file read in chunks, with the progress line. */
const chunks = (file) => (onText) => readTextChunks(file, onText);

export const readJson = (file) => parseJson(chunks(file), file);
export const readEvents = (file, sources) => parseEvents(file, chunks(file), sources);
export const readTransactions = (file, sources) => parseTransactions(file, chunks(file), sources);
/** Attaches the refunds of `file` to their transactions (in file order); unknown ids are errors. */
export const readRefunds = (file, transactions, sources) => attachRefunds(file, chunks(file), transactions, sources);
export const readCollaborators = (file, sources) => parseCollaborators(file, chunks(file), sources);
