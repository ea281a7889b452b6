// The page's side of engine-worker.js: `call(op, args, onProgress)` returns a promise of
// `{result, ms}`; `cancel()` stops whatever the worker is doing (it is replaced by a fresh one, so
// a long load or simulation stops at once) and rejects the pending calls with `code: "cancelled"`.

export function engineWorker(url = new URL("./engine-worker.js", import.meta.url)) {
  const pending = new Map();
  let nextId = 1;
  let worker;
  const fail = (error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const start = () => {
    worker = new Worker(url, { type: "module" });
    worker.onmessage = ({ data }) => {
      const p = pending.get(data.id);
      if (!p) return;
      if (data.progress) return p.onProgress?.(data.progress);
      pending.delete(data.id);
      if (data.ok) p.resolve({ result: data.result, ms: data.ms });
      else p.reject(Object.assign(new Error(data.error.message), data.error));
    };
    worker.onerror = (e) => fail(new Error(`The engine worker failed: ${e.message ?? "unknown error"}`));
  };
  start();
  return {
    call(op, args, onProgress) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, onProgress });
        worker.postMessage({ id, op, args });
      });
    },
    /** Whether a call is under way. */
    get busy() {
      return pending.size > 0;
    },
    cancel() {
      worker.terminate();
      fail(Object.assign(new Error("Cancelled."), { code: "cancelled" }));
      start();
    },
  };
}
