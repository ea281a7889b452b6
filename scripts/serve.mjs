#!/usr/bin/env node
// A tiny static file server for the browser editor (www/): serves the repository root on
// 127.0.0.1 so the page can import ../pkg/web/siren_engine.js and fetch ../samples/...
//
//   node scripts/serve.mjs [--port N]     (default 8080; 0 picks a free port)
//
// Prints the editor's URL on stdout ("http://127.0.0.1:PORT/www/"). Only GET and HEAD; paths
// are resolved inside the root (no directory traversal, no dot-files); `.wasm` is served as
// application/wasm so WebAssembly.instantiateStreaming works.

import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { resolve, sep, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".md": "text/markdown; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** The file a URL path names inside `root`, or null when it would leave the root or names a dot-file. */
export function resolveInside(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return null;
  }
  if (path.includes("\0") || path.split("/").some((part) => part.startsWith("."))) return null;
  const file = resolve(root, "." + path);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return file;
}

export function startServer({ port = 8080, root = ROOT } = {}) {
  const server = createServer((req, res) => {
    const send = (status, text) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(req.method === "HEAD" ? undefined : text);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    const url = req.url || "/";
    if (url === "/") {
      res.writeHead(302, { location: "/www/" });
      return res.end();
    }
    let file = resolveInside(root, url);
    if (!file) return send(403, "forbidden\n");
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        if (!url.split("?")[0].endsWith("/")) {
          res.writeHead(301, { location: url.split("?")[0] + "/" });
          return res.end();
        }
        file = resolve(file, "index.html");
        stat = statSync(file);
      }
    } catch {
      return send(404, "not found\n");
    }
    res.writeHead(200, {
      "content-type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": stat.size,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).on("error", () => res.destroy()).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address();
      resolvePromise({ server, port: actual, url: `http://127.0.0.1:${actual}/www/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--port");
  const port = i > 0 ? Number(process.argv[i + 1]) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error("usage: node scripts/serve.mjs [--port N]");
    process.exit(2);
  }
  const { url } = await startServer({ port });
  console.log(url);
}
