// The package as a new user gets it: `npm pack` of pkg/, installed from the tarball into a fresh
// project in a temporary folder (offline: the package has no dependencies), with npm's own bin
// links. Shared by the tests in this folder.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const pkgDir = join(root, "pkg");
export const tsc = join(root, "node_modules/typescript/bin/tsc");

/** npm, quietly, with the output as text (throws with npm's stderr on failure). */
export function npm(args, cwd) {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * `{dir, tarball, close}`: a fresh project (`"type": "module"`) in a temporary folder with the
 * packed package installed, as `npm install ./siren-engine-<version>.tgz` does it.
 */
export function installedProject(prefix = "siren-package-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const [{ filename }] = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], pkgDir));
  const tarball = join(dir, filename);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "siren-package-test-app", private: true, type: "module" }, null, 2));
  npm(["install", "--offline", "--ignore-scripts", `./${filename}`], dir);
  return { dir, tarball, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `files` (`{relativePath: text}`) under `dir`. */
export function writeFiles(dir, files) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

/** The package's manifest as built. */
export const manifest = () => JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
