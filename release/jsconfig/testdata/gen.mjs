// Called by gen.sh: loads each case directory's config with commitlint's
// own loader (@commitlint/load, as `commitlint` does) and lints every
// message with @commitlint/lint, printing {case: {message: verdict}}.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import load from "@commitlint/load";
import lint from "@commitlint/lint";

const here = process.argv[2];
const messages = JSON.parse(fs.readFileSync(path.join(here, "messages.json"), "utf8"));
const out = { commitlint: JSON.parse(fs.readFileSync("node_modules/@commitlint/lint/package.json", "utf8")).version, cases: {} };
const cases = fs.readdirSync(here).filter((d) => fs.statSync(path.join(here, d)).isDirectory() && d !== "bad").sort();
for (const c of cases) {
  // A copy next to node_modules, so that shareable configs resolve.
  const dir = fs.mkdtempSync(path.join(process.cwd(), "case-"));
  fs.cpSync(path.join(here, c), dir, { recursive: true });
  const cfg = await load({}, { cwd: dir });
  const opts = {
    parserOpts: cfg.parserPreset ? cfg.parserPreset.parserOpts : undefined,
    plugins: cfg.plugins,
    ignores: cfg.ignores,
    defaultIgnores: cfg.defaultIgnores,
  };
  const list = [...messages["*"], ...(messages[c] || [])];
  const verdicts = {};
  for (const m of list) {
    const r = await lint(m, cfg.rules, opts);
    verdicts[m] = {
      valid: r.valid,
      errors: r.errors.map((e) => e.name).sort(),
      warnings: r.warnings.map((e) => e.name).sort(),
    };
  }
  out.cases[c] = verdicts;
}
// The published shareable configs, which jsconfig.Builtin mirrors.
const conventional = (await import("@commitlint/config-conventional")).default;
const angular = (await import("@commitlint/config-angular")).default;
const version = (p) => JSON.parse(fs.readFileSync(`node_modules/${p}/package.json`, "utf8")).version;
out.shared = {
  "@commitlint/config-conventional": { version: version("@commitlint/config-conventional"), parserPreset: conventional.parserPreset, rules: conventional.rules },
  "@commitlint/config-angular": { version: version("@commitlint/config-angular"), parserPreset: { parserOpts: { headerPattern: angular.parserPreset.parserOpts.headerPattern.source } }, rules: angular.rules },
};
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
