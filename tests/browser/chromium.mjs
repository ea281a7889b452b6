// Starts the static server and Debian's Chromium (driven by playwright-core) the way every browser
// suite needs them: headless, a fresh profile, no sandbox/GPU/background networking (this
// machine has no network), and every request outside the local server refused and recorded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";

/** `{page, context, origin, problems, close}`; `problems` collects page errors and stray requests. */
export async function launch({ viewport = { width: 1366, height: 768 }, acceptDownloads = false } = {}) {
  const { server } = await startServer({ port: 0 });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), "siren-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport,
    acceptDownloads,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const problems = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  // Offline: nothing but the local server is ever asked for.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => {
    problems.push(`outside request: ${route.request().url()}`);
    return route.abort();
  });
  const close = async () => {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { page, context, origin, problems, close };
}
