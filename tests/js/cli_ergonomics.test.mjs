// The command line as the best Node CLIs behave (issue #21): node:util.parseArgs with
// `--opt=value`, help for the whole tool and for each command, `--version`, one-line usage errors
// with a hint, documented exit codes, `-` for standard input, strict UTF-8, delimiter and JSON
// syntax errors at their line and column, money through Intl.NumberFormat, no progress in pipes,
// and the engine found both in the repository and in the npm package's layout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "cli/siren.mjs");
const engine = createRequire(import.meta.url)("../../pkg/node/siren_engine.js");
const env = { ...process.env, NO_COLOR: "1" };
delete env.SIREN_PROGRESS;
/** Runs the CLI from the repository root; `input` is piped to its stdin. */
const siren = (args, { input, extraEnv = {}, script = cli } = {}) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: "utf8", input, env: { ...env, ...extraEnv }, maxBuffer: 1 << 28 });
const tmp = () => mkdtempSync(join(tmpdir(), "siren-cli21-"));

const F = "tests/fixtures/preview";
const YEAR = ["--data", "samples/year", "--recipe", "samples/recipes/milestone-rewards.json"];
const previewArgs = (over = {}) => {
  const o = {
    recipe: `${F}/recipe.json`,
    distributor: "monthly",
    config: `${F}/config.json`,
    events: `${F}/events.csv`,
    transactions: `${F}/transactions.csv`,
    refunds: `${F}/refunds.csv`,
    collaborators: `${F}/collaborators.csv`,
    "time-zone": "UTC",
    at: "2026-03-31T12:00:00Z",
    "last-distribution": "2026-03-01T00:00:00Z",
    ...over,
  };
  return ["preview", ...Object.entries(o).flatMap(([k, v]) => [`--${k}`, v])];
};

const GLOBAL_HELP = `Usage: siren COMMAND [options]

The Siren distribution engine on the command line: validate recipes, preview a cycle, simulate and
compare payouts.

Commands:
  validate         check recipes; show each distributor's next distribution dates
  validate-config  check distributor configurations (one version or a history)
  next-runs        the next trigger instants of a schedule
  preview          the current cycle as if it ended at a given instant
  simulate         every cycle over a date range: winners, payouts, totals
  compare          the same data under a base and a variant configuration
  help COMMAND     a command's options and an example (as siren COMMAND --help)

Options:
  -h, --help  show help (siren COMMAND --help: that command's options)
  --version   show the package's and the engine's versions

Files: - reads standard input (for one option at most). Data files are CSV or JSON
(docs/data-formats.md). Problems in a file are reported as file:line:column: message.

Exit codes:
  0  success
  1  the input was refused: an invalid recipe or configuration, an error the engine found in the
     data (a bad timestamp, a negative amount), or a value the reader refused (points that are not a
     whole number)
  2  usage error: an unknown command or option, a missing or malformed option
  3  a file cannot be read, parsed or written: no such file or folder, not UTF-8, malformed CSV or
     JSON

Example:
  siren simulate --data samples/year --recipe samples/recipes/milestone-rewards.json

Run \`siren COMMAND --help\` for a command's options.
`;

test("-h, --help and `help`: the short global help on stdout, exit 0; no command: the same on stderr, exit 2", () => {
  for (const args of [["-h"], ["--help"], ["help"]]) {
    const r = siren(args);
    assert.equal(r.status, 0, args.join(" "));
    assert.equal(r.stdout, GLOBAL_HELP);
    assert.equal(r.stderr, "");
  }
  const none = siren([]);
  assert.equal(none.status, 2);
  assert.equal(none.stdout, "");
  assert.equal(none.stderr, GLOBAL_HELP);
});

test("per-command help: `simulate --help`, `simulate -h`, `help simulate`, `-h simulate`, and -h anywhere", () => {
  const r = siren(["simulate", "--help"]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, "");
  const lines = r.stdout.split("\n");
  assert.deepEqual(lines.slice(0, 8), [
    "Usage: siren simulate [--data DIR] --recipe r.json --distributor KEY --config c.json --events e.csv",
    "                      --transactions t.csv --time-zone TZ --start ISO --end ISO [options]",
    "",
    "Every cycle from --start to --end: status, revenue, pool, winners, payouts; then the totals and each",
    "collaborator's earnings.",
    "",
    "Required (all but --recipe may come from --data):",
    "  --recipe FILE         the recipe (JSON); - reads standard input",
  ]);
  assert.ok(r.stdout.includes("\nExamples:\n  siren simulate --data samples/year --recipe samples/recipes/milestone-rewards.json\n"), r.stdout);
  assert.ok(r.stdout.includes("\n  --pause FROM/UNTIL    a pause [FROM, UNTIL) (repeatable): its triggers are skipped and paid at the\n"));
  assert.ok(r.stdout.endsWith("\nExit codes: 0 success, 1 input refused (invalid recipe, engine error), 2 usage error,\n3 a file cannot be read or parsed (siren --help).\n"));
  // Every spelling prints the same text; -h wins over anything else on the line, even bad options.
  for (const args of [["simulate", "-h"], ["help", "simulate"], ["-h", "simulate"], ["--help", "simulate"], ["simulate", "--data", "x", "--frobnicate", "-h"]]) {
    const other = siren(args);
    assert.equal(other.status, 0, args.join(" "));
    assert.equal(other.stdout, r.stdout, args.join(" "));
  }
  // Each command has its own help, naming only its own options.
  const validate = siren(["validate", "--help"]);
  assert.match(validate.stdout, /^Usage: siren validate RECIPE\.json\.\.\. \[--strict\] \[--runs N\] \[--from ISO\] \[--time-zone TZ\] \[--json\]\n/);
  assert.doesNotMatch(validate.stdout, /--recipe|--data/);
  assert.match(siren(["next-runs", "-h"]).stdout, /\nExample:\n  siren next-runs --schedule "first day of next month" --from 2026-01-10T00:00:00Z --count 3\n/);
});

test("--version prints the package's and the engine's versions, exit 0", () => {
  const pkg = JSON.parse(readFileSync(join(root, "pkg/package.json"), "utf8"));
  const expected = `${pkg.name} ${pkg.version} (engine ${engine.version()})\n`;
  assert.equal(expected, `siren-engine ${pkg.version} (engine ${engine.version()})\n`);
  for (const args of [["--version"], ["simulate", "--version"]]) {
    const r = siren(args);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, expected);
    assert.equal(r.stderr, "");
  }
});

test("usage errors: one line, a hint to the command's help, exit 2, nothing on stdout", () => {
  const cases = [
    [["frobnicate"], 'siren: unknown command "frobnicate"\nRun `siren --help` for the list of commands.\n'],
    [["simulat"], 'siren: unknown command "simulat"; did you mean simulate?\nRun `siren --help` for the list of commands.\n'],
    [["help", "nope"], 'siren: unknown command "nope"\nRun `siren --help` for the list of commands.\n'],
    [["--frobnicate"], "siren: unknown option --frobnicate\nRun `siren --help` for the list of commands.\n"],
    [["--json", "validate", "x.json"], "siren: options go after the command: siren validate --json …\nRun `siren --help` for the list of commands.\n"],
    [["simulate", "--frobnicate"], "siren: unknown option --frobnicate\nRun `siren simulate --help` for its options.\n"],
    [["simulate", "--recipes=x.json"], "siren: unknown option --recipes; did you mean --recipe?\nRun `siren simulate --help` for its options.\n"],
    [["preview", "-x"], "siren: unknown option -x\nRun `siren preview --help` for its options.\n"],
    [["validate", "--count", "3", "r.json"], "siren: unknown option --count\nRun `siren validate --help` for its options.\n"],
    [["simulate", "--recipe"], "siren: --recipe needs a value\nRun `siren simulate --help` for its options.\n"],
    [["simulate", "--recipe", "--json"], "siren: --recipe needs a value (got the option --json; if that is the value, write --recipe=--json)\nRun `siren simulate --help` for its options.\n"],
    [["simulate", "--json=yes"], "siren: --json takes no value (got --json=yes)\nRun `siren simulate --help` for its options.\n"],
    [["next-runs", "--schedule", "+1 day", "--count", "0"], "siren: --count must be a whole number of at least 1 (got 0)\nRun `siren next-runs --help` for its options.\n"],
    [["simulate", ...YEAR, "--locale", "xx-zz-123"], "siren: --locale xx-zz-123: not a locale this Node knows (e.g. en-US, de-DE, fr-CH; C for the engine's exact strings)\nRun `siren simulate --help` for its options.\n"],
    [["simulate", ...YEAR, "--csv-out", "-", "--json"], "siren: --csv-out - and --json both write to stdout; choose one\nRun `siren simulate --help` for its options.\n"],
    [["simulate", "--data", "-", "--recipe", "r.json"], "siren: --data takes a folder, not standard input\nRun `siren simulate --help` for its options.\n"],
  ];
  for (const [args, stderr] of cases) {
    const r = siren(args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stderr, stderr, args.join(" "));
    assert.equal(r.stdout, "");
  }
});

test("--opt=value and --opt value are the same; values may start with a dash where they mean something", () => {
  const spaced = siren(previewArgs());
  assert.equal(spaced.status, 0, spaced.stderr);
  const [command, ...options] = previewArgs();
  const equals = siren([command, ...options.map((a, i) => (a.startsWith("--") ? `${a}=${options[i + 1]}` : null)).filter((a) => a !== null)]);
  assert.ok(equals.stdout.length > 0);
  assert.equal(equals.status, 0, equals.stderr);
  assert.equal(equals.stdout, spaced.stdout);
  // A negative offset is a value, with or without `=`.
  const expected = "  1  2026-01-14T19:00:00-05:00\n  2  2026-01-28T19:00:00-05:00\n";
  for (const zone of [["--time-zone", "-05:00"], ["--time-zone=-05:00"]]) {
    const r = siren(["next-runs", "--schedule=+14 days", "--from", "2026-01-01T00:00:00Z", ...zone, "--count=2"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, expected);
  }
});

test("exit codes: 0 success, 1 refused by the engine or a refused value, 2 usage, 3 a file that cannot be read", () => {
  const dir = tmp();
  const write = (name, text) => (writeFileSync(join(dir, name), text), join(dir, name));
  assert.equal(siren(previewArgs()).status, 0);
  // 1: the engine refuses a value (month 13), located in the file.
  const month13 = write("m13.csv", "id,collaboratorId,type,occurredAt,points\ne1,ana,manual,2026-13-03T10:00:00Z,8\n");
  const r1 = siren(previewArgs({ events: month13 }));
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, new RegExp(`^${month13.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:15: .*2026-13-03T10:00:00Z.* \\[time\\.invalidTimestamp at /events/0/occurredAt\\]\\n$`));
  // 1: a value the reader refuses.
  const r1b = siren(previewArgs({ events: write("p.csv", "collaboratorId,type,occurredAt,points\nana,manual,2026-03-03T10:00:00Z,1.5\n") }));
  assert.equal(r1b.status, 1);
  assert.equal(r1b.stderr, `${dir}/p.csv:2:33: points must be a whole number, got "1.5"\n`);
  // 3 and not 1: a recipe that is missing rather than invalid.
  assert.equal(siren(["validate", join(dir, "missing.json")]).status, 3);
  // 3: malformed CSV, missing file.
  const r3 = siren(previewArgs({ events: write("q.csv", 'collaboratorId,type,occurredAt\n"ana,manual\n') }));
  assert.equal(r3.status, 3);
  assert.equal(r3.stderr, `${dir}/q.csv:2:1: unterminated quoted field (the quote opened here is never closed)\n`);
  assert.equal(siren(previewArgs({ events: join(dir, "none.csv") })).status, 3);
  // 3: an output file that cannot be written.
  const w = siren([...previewArgs(), "--csv-out", join(dir, "no/such/folder.csv")]);
  assert.equal(w.status, 3);
  assert.equal(w.stderr, `${dir}/no/such/folder.csv: cannot write: no such folder\n`);
});

test("validate: 0 valid, 1 invalid, 3 unreadable; engine diagnostics carry the file's line and column", () => {
  const dir = tmp();
  const recipe = JSON.parse(readFileSync(join(root, F, "recipe.json"), "utf8"));
  recipe.distributors.monthly.distributionResolver = "topScoreWin";
  const file = join(dir, "typo.json");
  writeFileSync(file, JSON.stringify(recipe, null, 2));
  const r = siren(["validate", file, "--from", "2026-01-01T00:00:00Z"]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`\\n  error   /distributors/monthly/distributionResolver \\(${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:9:31\\)  .*did you mean \`topScoreWins\`\\?.*  \\[distributor\\.unknownResolver\\]\\n`));
  const json = JSON.parse(siren(["validate", file, "--json", "--from", "2026-01-01T00:00:00Z"]).stdout);
  assert.deepEqual([json.results[0].errors[0].line, json.results[0].errors[0].column], [9, 31]);
  assert.equal(siren(["validate", `${F}/recipe.json`, "--from", "2026-01-01T00:00:00Z"]).status, 0);
});

test("`-` reads standard input: recipe, config, data files (CSV or JSON by content), validate; only one", () => {
  const expected = siren([...previewArgs(), "--json"]).stdout;
  const recipe = readFileSync(join(root, F, "recipe.json"), "utf8");
  const fromStdin = (over, input) => siren([...previewArgs(over), "--json"], { input });
  for (const [over, file] of [
    [{ recipe: "-" }, "recipe.json"],
    [{ config: "-" }, "config.json"],
    [{ events: "-" }, "events.csv"],
    [{ events: "-" }, "events.json"],
    [{ transactions: "-" }, "transactions.json"],
    [{ refunds: "-" }, "refunds.csv"],
    [{ collaborators: "-" }, "collaborators.json"],
  ]) {
    const r = fromStdin(over, readFileSync(join(root, F, file)));
    assert.equal(r.status, 0, `${file}: ${r.stderr}`);
    assert.equal(r.stdout, expected, file);
  }
  const v = siren(["validate", "-", "--from", "2026-01-01T00:00:00Z", "--runs", "1"], { input: recipe });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /\n<stdin>: valid \(0 error\(s\), 0 warning\(s\)\)\n  distributor monthly "Monthly Top Scorer" — schedule \["first day of next month"\]\n    run 1: 2026-02-01T00:00:00\+00:00\n/);
  // Errors in standard input are located too.
  const bad = fromStdin({ events: "-" }, "collaboratorId,type,occurredAt,points\nana,manual,2026-03-03T10:00:00Z,x\n");
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, '<stdin>:2:33: points must be a whole number, got "x"\n');
  const two = siren(previewArgs({ recipe: "-", events: "-" }), { input: recipe });
  assert.equal(two.status, 2);
  assert.equal(two.stderr, "siren: only one input can be standard input (-); got --recipe -, --events -\nRun `siren preview --help` for its options.\n");
  // --csv-out - writes only the CSV, on stdout.
  const csv = siren([...previewArgs(), "--csv-out", "-"]);
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(csv.stdout, "collaboratorId,amount,units\nana,5000.00,USD\n");
});

test("--data: a missing folder, a file, a folder without data files: said so, exit 3", () => {
  const empty = tmp();
  const cases = [
    [["--data", "samples/nope"], "--data samples/nope: no such folder\n"],
    [["--data", "README.md"], "--data README.md: not a folder\n"],
    [["--data", empty], `--data ${empty}: none of the data files is in this folder (events.csv, transactions.csv, refunds.csv, collaborators.csv, config.json, scenario.json)\n`],
  ];
  for (const [data, stderr] of cases) {
    for (const command of [["simulate"], ["compare", "--set-percentage", "6"]]) {
      const r = siren([...command, ...data, "--recipe", "samples/recipes/milestone-rewards.json"]);
      assert.equal(r.status, 3, `${command} ${data.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr, stderr);
      assert.equal(r.stdout, "");
    }
  }
});

test("input files are strict UTF-8: a Latin-1 byte is located; a BOM is skipped", () => {
  const dir = tmp();
  const latin1 = join(dir, "latin1.csv");
  writeFileSync(latin1, Buffer.concat([Buffer.from("id,name\nana,Ana\njose,Jos"), Buffer.from([0xe9]), Buffer.from("\n")]));
  const r = siren(previewArgs({ collaborators: latin1 }));
  assert.equal(r.status, 3);
  assert.equal(r.stderr, `${latin1}:3:9: not UTF-8 (byte 0xE9); save the file as UTF-8\n`);
  assert.equal(r.stdout, "");
  // The same from standard input, and in a JSON recipe.
  const s = siren(previewArgs({ collaborators: "-" }), { input: readFileSync(latin1) });
  assert.equal(s.stderr, "<stdin>:3:9: not UTF-8 (byte 0xE9); save the file as UTF-8\n");
  const recipe = join(dir, "recipe.json");
  writeFileSync(recipe, Buffer.concat([Buffer.from('{\n  "name": "Caf'), Buffer.from([0xe9, 0x22]), Buffer.from("\n}\n")]));
  for (const args of [previewArgs({ recipe }), ["validate", recipe]]) {
    const v = siren(args);
    assert.equal(v.status, 3);
    assert.ok(`${v.stdout}${v.stderr}`.includes(`${recipe}:2:15: not UTF-8 (byte 0xE9); save the file as UTF-8`), v.stdout + v.stderr);
  }
  // A byte-order mark is not data.
  const bom = join(dir, "bom-recipe.json");
  writeFileSync(bom, `\uFEFF${readFileSync(join(root, F, "recipe.json"), "utf8")}`);
  const bomEvents = join(dir, "bom-events.csv");
  writeFileSync(bomEvents, `\uFEFF${readFileSync(join(root, F, "events.csv"), "utf8")}`);
  const ok = siren([...previewArgs({ recipe: bom, events: bomEvents }), "--json"]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, siren([...previewArgs(), "--json"]).stdout);
});

test("a CSV file with semicolons or tabs gets a delimiter hint, not 'unknown column'", () => {
  const dir = tmp();
  const semi = join(dir, "events.csv");
  writeFileSync(semi, "id;collaboratorId;type;occurredAt;points\ne1;ana;manual;2026-03-03T10:00:00Z;8\n");
  const r = siren(previewArgs({ events: semi }));
  assert.equal(r.status, 3);
  assert.equal(r.stderr, `${semi}:1:1: this file seems to use ";" as its delimiter; the engine's CSV files use commas (docs/data-formats.md)\n`);
  const tabs = join(dir, "t.csv");
  writeFileSync(tabs, "transactionId\toccurredAt\ttotal\nt1\t2026-03-05T10:00:00Z\t10.00\n");
  const t = siren(previewArgs({ transactions: tabs }));
  assert.equal(t.status, 3);
  assert.equal(t.stderr, `${tabs}:1:1: this file seems to use tabs as its delimiter; the engine's CSV files use commas (docs/data-formats.md)\n`);
});

test("recipe and config JSON syntax errors are file:line:column: cause in every command", () => {
  const dir = tmp();
  const bad = join(dir, "bad.json");
  writeFileSync(bad, '{\n  "version": 1,\n  "name": "x"\n  "distributors": {}\n}\n');
  const message = `${bad}:4:3: not valid JSON: expected "," or "}" after a property value, found the string "distributors"`;
  const commands = [
    previewArgs({ recipe: bad }),
    previewArgs({ config: bad }),
    ["simulate", ...YEAR.slice(0, 2), "--recipe", bad],
    ["simulate", ...YEAR, "--config", bad],
    ["compare", ...YEAR, "--variant-config", bad],
  ];
  for (const args of commands) {
    const r = siren(args);
    assert.equal(r.status, 3, args.join(" "));
    assert.equal(r.stderr, `${message}\n`, args.join(" "));
  }
  for (const command of ["validate", "validate-config"]) {
    const r = siren([command, bad]);
    assert.equal(r.status, 3);
    assert.ok(r.stdout.includes(`bad.json: UNREADABLE (1 error(s), 0 warning(s))\n  error   ${message}  [input.notJson]\n`), r.stdout);
  }
  const trailing = join(dir, "trailing.json");
  writeFileSync(trailing, '{\n  "a": [1, 2,],\n}');
  assert.equal(siren(previewArgs({ config: trailing })).stderr, `${trailing}:2:13: not valid JSON: a comma before ] (JSON allows no trailing comma)\n`);
});

test("engine errors in JSON files point at the value: recipe, config, scenario.json", () => {
  const dir = tmp();
  const recipe = JSON.parse(readFileSync(join(root, "samples/recipes/milestone-rewards.json"), "utf8"));
  const key = Object.keys(recipe.distributors)[0];
  recipe.distributors[key].distributionResolver = "nope";
  const file = join(dir, "recipe.json");
  writeFileSync(file, JSON.stringify(recipe, null, 2));
  const text = readFileSync(file, "utf8");
  const line = text.slice(0, text.indexOf('"nope"')).split("\n").length;
  const column = text.slice(0, text.indexOf('"nope"')).split("\n").at(-1).length + 1;
  const r = siren(["simulate", "--data", "samples/year", "--recipe", file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${line}:${column}: .*\`nope\`.* \\[distributor\\.unknownResolver at /recipe/distributors/${key}/distributionResolver\\]\\n$`));
  // A value from scenario.json (not an option) is located in scenario.json.
  const data = join(dir, "year");
  cpSync(join(root, "samples/year"), data, { recursive: true });
  const scenario = JSON.parse(readFileSync(join(data, "scenario.json"), "utf8"));
  scenario.end = "2025-01-01T00:00:00Z";
  writeFileSync(join(data, "scenario.json"), JSON.stringify(scenario, null, 2));
  const s = siren(["simulate", "--data", data, "--recipe", "samples/recipes/milestone-rewards.json"]);
  assert.equal(s.status, 1);
  assert.match(s.stderr, new RegExp(`^${join(data, "scenario.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:7:10: .* \\[simulate\\.invalidRange at /end\\]\\n$`));
});

test("money in tables through Intl.NumberFormat with --locale; exact strings by default in pipes and in CSV/JSON", () => {
  const r = siren([...previewArgs(), "--locale", "de-DE"]);
  assert.equal(r.status, 0, r.stderr);
  const de = (amount) => new Intl.NumberFormat("de-DE", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  // What Node 20 prints for de-DE (a no-break space before the sign), and that it is Intl's.
  assert.equal(de("100000.00"), "100.000,00\u00a0$");
  assert.ok(r.stdout.includes("\n  Revenue  100.000,00\u00a0$ (sales 100.500,00\u00a0$, refunds 500,00\u00a0$)\n  Pool     5.000,00\u00a0$\n"), r.stdout);
  assert.ok(r.stdout.includes(`\n  Collaborator          Amount  Units\n  ana (Lopez, Ana)  ${de("5000.00")}  USD\n`), r.stdout);
  // en-US, and POSIX names (de_DE.UTF-8) are accepted.
  assert.ok(siren([...previewArgs(), "--locale", "en-US"]).stdout.includes("\n  Pool     $5,000.00\n"));
  assert.equal(siren([...previewArgs(), "--locale", "de_DE.UTF-8"]).stdout, r.stdout);
  // Piped without --locale (whatever LANG says), and with --locale C: the engine's exact strings.
  for (const [args, extraEnv] of [[[], { LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8" }], [["--locale", "C"], {}]]) {
    const plain = siren([...previewArgs(), ...args], { extraEnv });
    assert.ok(plain.stdout.includes("\n  Pool     5000.00 USD\n"), plain.stdout);
  }
  // --csv-out and --json keep the exact strings whatever the locale.
  assert.equal(siren([...previewArgs(), "--locale", "de-DE", "--csv-out", "-"]).stdout, "collaboratorId,amount,units\nana,5000.00,USD\n");
  assert.equal(JSON.parse(siren([...previewArgs(), "--locale", "de-DE", "--json"]).stdout).pool, "5000.00");
  // A simulation's table and totals.
  const sim = siren(["simulate", ...YEAR, "--locale", "en-US"]);
  assert.equal(sim.status, 0, sim.stderr);
  assert.ok(sim.stdout.includes("\n 0  2026-01-01T00:00:00-05:00  2026-02-01T00:00:00-05:00  distributed  $164,982.48   $8,249.12  USD    291 (Cleo Patel) $8,249.12\n"), sim.stdout);
  assert.ok(sim.stdout.includes("\n  revenue $2,076,849.89, pool $132,430.55, allocated $132,430.55, unawarded $0.00, carried over $0.00\n"), sim.stdout);
});

test("no progress and nothing else on stderr when it is not a terminal; progress when forced", () => {
  // samples/year/events.csv is over 1 MB: a terminal would get a progress line.
  const quiet = siren(["simulate", ...YEAR]);
  assert.equal(quiet.status, 0);
  assert.equal(quiet.stderr, "");
  const forced = siren(["simulate", ...YEAR, "--json"], { extraEnv: { SIREN_PROGRESS: "1" } });
  assert.equal(forced.status, 0);
  assert.match(forced.stderr, /^\rreading samples\/year\/transactions\.csv: /);
  assert.ok(forced.stderr.endsWith("\rsimulating…\r\x1b[K"), JSON.stringify(forced.stderr.slice(-80)));
  // Standard input over 1 MB, forced.
  const big = siren(previewArgs({ events: "-" }).concat("--json"), { input: readFileSync(join(root, "samples/year/events.csv")), extraEnv: { SIREN_PROGRESS: "1" } });
  assert.equal(big.status, 0, big.stderr);
  assert.match(big.stderr, /^\rreading <stdin>: \d+\.\d MB/);
});

test("the CLI runs from the npm package's layout (cli/, lib/, node/) and through a bin symlink", () => {
  const dir = tmp();
  const pkg = join(dir, "node_modules/siren-engine");
  mkdirSync(join(pkg, "cli"), { recursive: true });
  mkdirSync(join(pkg, "lib"), { recursive: true });
  for (const f of ["siren.mjs", "inputs.mjs", "format.mjs", "columns.mjs"]) cpSync(join(root, "cli", f), join(pkg, "cli", f));
  cpSync(join(root, "lib/records.mjs"), join(pkg, "lib/records.mjs"));
  cpSync(join(root, "pkg/node"), join(pkg, "node"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "siren-engine", version: "9.8.7" }));
  assert.equal(readFileSync(join(pkg, "cli/siren.mjs"), "utf8").split("\n")[0], "#!/usr/bin/env node");
  mkdirSync(join(dir, "node_modules/.bin"));
  symlinkSync("../siren-engine/cli/siren.mjs", join(dir, "node_modules/.bin/siren"));
  for (const script of [join(pkg, "cli/siren.mjs"), join(dir, "node_modules/.bin/siren")]) {
    const v = siren(["--version"], { script });
    assert.equal(v.stdout, `siren-engine 9.8.7 (engine ${engine.version()})\n`, v.stderr);
    const r = siren([...previewArgs(), "--json"], { script });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).pool, "5000.00");
  }
});

test("docs/cli.md: the records module example runs and prints what it says", () => {
  const doc = readFileSync(join(root, "docs/cli.md"), "utf8");
  const block = /<!-- records-example[^>]*-->\n```js\n([\s\S]*?)\n```/.exec(doc)[1];
  const expected = /\n  \/\/ (48036 .*)\n/.exec(block)[1];
  const dir = tmp();
  const script = join(dir, "example.mjs");
  writeFileSync(
    script,
    block
      .replace('"siren-engine/records"', JSON.stringify(join(root, "lib/records.mjs")))
      .replace('"siren-engine"', JSON.stringify(join(root, "pkg/index.mjs"))),
  );
  const r = spawnSync(process.execPath, [script], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${expected}\n`);
  // And its error path: a Latin-1 byte in the events is reported at its line and column.
  const bad = join(dir, "events.csv");
  writeFileSync(bad, Buffer.concat([Buffer.from("collaboratorId,type,occurredAt\nJos"), Buffer.from([0xe9]), Buffer.from(",manual,2026-03-03T10:00:00Z\n")]));
  writeFileSync(script, readFileSync(script, "utf8").replaceAll('"samples/year/events.csv"', JSON.stringify(bad)));
  const e = spawnSync(process.execPath, [script], { cwd: root, encoding: "utf8" });
  assert.equal(e.status, 1);
  assert.equal(e.stderr, `${bad}:2:4: not UTF-8 (byte 0xE9); save the file as UTF-8\n`);
});
