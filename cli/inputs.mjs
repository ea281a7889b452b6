// Reading the command line's data files — events, transactions, refunds, collaborators — from
// JSON or CSV into the engine's input objects (ENGINE.md §8). The parsing itself (CSV, JSON,
// rows into §8 objects, source locations) is lib/records.mjs, shared with the browser editor;
// this module adds the files: strict UTF-8, standard input for `-`, chunked reads with a progress
// line on stderr for large ones (only when stderr is a terminal).

import { openSync, readSync, closeSync, fstatSync, writeSync, readFileSync } from "node:fs";
import { InputError, parseJson, parseEvents, parseTransactions, attachRefunds, parseCollaborators, notUtf8Error } from "../lib/records.mjs";

export { InputError, CsvParser, parseCsv, emptySources, locateEnginePath, locateJsonPointer } from "../lib/records.mjs";

/** The name standard input goes by in messages (`<stdin>:3:14: …`). */
export const STDIN_NAME = "<stdin>";

/** The name of `file` in messages: `-` is standard input. */
export const displayName = (file) => (file === "-" ? STDIN_NAME : file);

// ---------------------------------------------------------------------------------------------
// Reading files, with a progress line on stderr for large ones.

const PROGRESS_THRESHOLD = 1024 * 1024;
const CHUNK = 256 * 1024;

/**
 * Whether to show progress: only for files over 1 MB and only when stderr is a terminal, so pipes,
 * logs and CI see nothing on stderr unless something goes wrong. `SIREN_PROGRESS=1` forces it
 * (tests), `SIREN_PROGRESS=0` turns it off.
 */
function progressEnabled(size) {
  const env = process.env.SIREN_PROGRESS;
  if (env === "0") return false;
  if (size <= PROGRESS_THRESHOLD) return false;
  return env === "1" || Boolean(process.stderr.isTTY);
}

const mb = (n) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/** The message for a file that cannot be opened or read. */
function readFailure(file, e) {
  const why =
    e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "is a folder, not a file" : e.code === "EACCES" || e.code === "EPERM" ? "permission denied" : `cannot read: ${e.message}`;
  return new InputError(displayName(file), 0, 0, why);
}

/**
 * The progress line of reading `file` (`size` bytes): `{update(done), end()}`, or null when
 * progress is not shown (see `progressEnabled`).
 */
export function progressLine(file, size) {
  if (!progressEnabled(size)) return null;
  let lastPercent = -1;
  return {
    update(done) {
      const percent = Math.floor((done / size) * 100);
      if (percent !== lastPercent) {
        lastPercent = percent;
        writeSync(2, `\rreading ${file}: ${mb(done)} / ${mb(size)} (${percent}%)`);
      }
    },
    end() {
      writeSync(2, "\r\x1b[K");
      progressWasShown = true;
    },
  };
}

/**
 * Reads `file` in chunks, passing text decoded as strict UTF-8 to `onText` (a byte-order mark is
 * dropped; a byte that is not UTF-8 is an InputError at its line and column). When the file is
 * large and stderr is a terminal (or SIREN_PROGRESS=1), a progress line is kept up to date on
 * stderr and cleared at the end. Throws InputError when the file cannot be read.
 */
export function readTextChunks(file, onText) {
  let fd;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    throw readFailure(file, e);
  }
  const size = fstatSync(fd).size;
  const progress = progressLine(file, size);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const buffer = Buffer.allocUnsafe(CHUNK);
  let done = 0;
  const decode = (bytes, options) => {
    try {
      return decoder.decode(bytes, options);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      // Rare: read the file again to say where the first bad byte is.
      throw notUtf8Error(file, readFileSync(file));
    }
  };
  try {
    for (;;) {
      let n;
      try {
        n = readSync(fd, buffer, 0, CHUNK, null);
      } catch (e) {
        throw readFailure(file, e);
      }
      if (n === 0) break;
      done += n;
      onText(decode(buffer.subarray(0, n), { stream: true }));
      progress?.update(done);
    }
    onText(decode());
  } finally {
    closeSync(fd);
    progress?.end();
  }
}

let stdinText = null;

/**
 * All of standard input as strict UTF-8 text, read once (later calls return the same text). When
 * stdin and stderr are terminals a hint says how to end the input.
 */
export function readStdin() {
  if (stdinText !== null) return stdinText;
  if (process.stdin.isTTY && process.stderr.isTTY) writeSync(2, "reading standard input (end it with Ctrl-D)…\n");
  const chunks = [];
  const buffer = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  let shown = false;
  for (;;) {
    let n;
    try {
      n = readSync(0, buffer, 0, CHUNK, null);
    } catch (e) {
      if (e.code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // non-blocking stdin: wait a little
        continue;
      }
      if (e.code === "EOF") break;
      throw readFailure("-", e);
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    total += n;
    if (progressEnabled(total)) {
      shown = true;
      writeSync(2, `\rreading ${STDIN_NAME}: ${mb(total)}`);
    }
  }
  if (shown) {
    writeSync(2, "\r\x1b[K");
    progressWasShown = true;
  }
  const bytes = Buffer.concat(chunks, total);
  try {
    stdinText = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8Error(STDIN_NAME, bytes);
  }
  return stdinText;
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
// The four kinds of files (CSV by the .csv extension, JSON by .json, otherwise by the content;
// see docs/data-formats.md). `-` is standard input.

/** A chunk source for lib/records.mjs: the file read in chunks, with the progress line. */
const chunks = (file) => (onText) => readTextChunks(file, onText);
const inputOf = (file) => (file === "-" ? readStdin() : chunks(file));

/** The whole text of `file` (`-`: standard input), strict UTF-8 without a byte-order mark. */
export function readText(file) {
  if (file === "-") return readStdin().replace(/^\uFEFF/, "");
  let text = "";
  readTextChunks(file, (t) => (text += t));
  return text;
}

/** A JSON file's value; syntax errors are InputErrors at their line and column. */
export const readJson = (file) => parseJson(inputOf(file), displayName(file));

/** A JSON file's value and its text (to locate engine errors in it later). */
export function readJsonText(file) {
  const text = readText(file);
  return { text, value: parseJson(text, displayName(file)) };
}

export const readEvents = (file, sources) => parseEvents(displayName(file), inputOf(file), sources);
export const readTransactions = (file, sources) => parseTransactions(displayName(file), inputOf(file), sources);
/** Attaches the refunds of `file` to their transactions (in file order); unknown ids are errors. */
export const readRefunds = (file, transactions, sources) => attachRefunds(displayName(file), inputOf(file), transactions, sources);
export const readCollaborators = (file, sources) => parseCollaborators(displayName(file), inputOf(file), sources);
