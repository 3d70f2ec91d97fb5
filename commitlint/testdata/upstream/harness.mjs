// Records commitlint's own verdicts on the cases of its public test suites
// (@commitlint/rules/src/*.test.ts, @commitlint/is-ignored and
// @commitlint/config-conventional tests) as one JSON fixture per case.
//
// It runs the upstream test files against the real, published packages:
// each test file is transpiled with esbuild, and the rule, parse, isIgnored
// and lint functions it imports are wrapped so that every call made while
// its tests run is recorded with the value the real package returned. The
// verdicts are therefore commitlint's, not transcribed by hand.
//
// Usage (see gen.sh): node harness.mjs NODE_DIR SRC_DIR OUT_DIR
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import nodePath from "node:path";
import nodeUrl from "node:url";

const [nodeDir, srcDir, outDir] = process.argv.slice(2);
const req = createRequire(path.join(nodeDir, "package.json"));
const esbuild = req("esbuild");
const imp = (id) => import(pathToFileURL(req.resolve(id)).href);
const impFile = (f) => import(pathToFileURL(f).href);

const realParse = (await imp("@commitlint/parse")).default;
const realIsIgnored = (await imp("@commitlint/is-ignored")).default;
const realLint = (await imp("@commitlint/lint")).default;
const rulesDir = path.dirname(req.resolve("@commitlint/rules"));
const conventional = (await imp("@commitlint/config-conventional")).default;

// parsed commit -> {raw, opts}: only commits made by parse() are messages.
const parsedMeta = new WeakMap();
let current = null; // {suite, file, test}
const records = [];

function clean(v) {
	if (v === undefined) return null;
	return JSON.parse(JSON.stringify(v, (k, x) => (x === undefined ? null : typeof x === "function" ? { function: String(x) } : x instanceof RegExp ? { regexp: String(x) } : x)));
}

function record(r) {
	records.push({ suite: current.suite, file: current.file, test: current.test, ...r });
}

async function parse(message, parser, opts) {
	const p = await realParse(message, parser, opts);
	parsedMeta.set(p, { raw: message, parserOpts: opts === undefined ? null : clean(opts), customParser: parser !== undefined });
	return p;
}

function wrapRule(name, fn) {
	return (parsed, when, value) => {
		const out = fn(parsed, when, value);
		const meta = parsedMeta.get(parsed);
		const rec = (res) =>
			record({
				kind: "rule",
				rule: name,
				when: when === undefined ? null : when,
				value: clean(value),
				message: meta ? meta.raw : null,
				parserOpts: meta ? meta.parserOpts : null,
				handMade: meta ? null : clean(parsed),
				valid: res[0],
			});
		if (out && typeof out.then === "function") return out.then((r) => (rec(r), r));
		rec(out);
		return out;
	};
}

function isIgnored(message, opts) {
	const r = realIsIgnored(message, opts);
	record({ kind: "ignored", message: message === undefined ? null : message, opts: clean(opts), ignored: r });
	return r;
}

async function lint(message, rules, opts) {
	const r = await realLint(message, rules, opts);
	record({
		kind: "lint",
		message,
		config: "@commitlint/config-conventional",
		valid: r.valid,
		errors: r.errors.map((e) => e.name),
		warnings: r.warnings.map((e) => e.name),
	});
	return r;
}

// A tiny vitest: tests run in order after the file is loaded.
function vitest(tests) {
	// Assertions are not checked: the verdicts recorded are what the real
	// packages returned. toThrow still calls its function, so that calls
	// made inside it are recorded.
	const expect = (actual) => {
		const any = () => m;
		const m = new Proxy({}, { get: (_, k) => (k === "toThrow" || k === "toThrowError" ? () => { try { actual(); } catch {} } : k === "then" ? undefined : any) });
		return m;
	};
	for (const k of ["arrayContaining", "objectContaining", "stringContaining", "any", "anything"]) expect[k] = () => ({});
	let prefix = "";
	const fmt = (name, row) => name.replace(/%[sdio]/g, () => String(Array.isArray(row) ? row.shift?.() ?? "" : row)).replace(/\$(\w+)/g, (_, k) => (row && typeof row === "object" && k in row ? String(row[k]) : k));
	const test = (name, fn) => tests.push({ name: prefix + name, fn });
	test.each = (table) => (name, fn) => table.forEach((row) => tests.push({ name: prefix + fmt(name, Array.isArray(row) ? [...row] : row), fn: () => (Array.isArray(row) ? fn(...row) : fn(row)) }));
	const describe = (name, fn) => { const old = prefix; prefix = `${old}${name} > `; try { fn(); } finally { prefix = old; } };
	describe.each = (table) => (name, fn) => table.forEach((row) => describe(fmt(name, Array.isArray(row) ? [...row] : row), () => (Array.isArray(row) ? fn(...row) : fn(row))));
	return { test, it: test, expect, describe, vi: {} };
}

async function runFile(suite, file, resolveLocal) {
	const src = fs.readFileSync(file, "utf8");
	const { code } = esbuild.transformSync(src, { loader: "ts", format: "cjs", target: "node20" });
	const tests = [];
	const mods = new Map();
	const require = (id) => {
		if (id === "vitest") return vitest(tests);
		if (id === "@commitlint/parse") return { __esModule: true, default: parse, parse };
		if (id === "@commitlint/lint") return { __esModule: true, default: lint };
		if (id === "node:path") return nodePath;
		if (id === "node:url") return nodeUrl;
		if (id.startsWith("./")) return resolveLocal(id);
		if (mods.has(id)) return mods.get(id);
		throw new Error(`unexpected require ${id} in ${file}`);
	};
	// Modules a test may import by name: preloaded, since they are ESM.
	for (const id of ["conventional-changelog-angular", "conventional-changelog-conventionalcommits"]) {
		mods.set(id, { __esModule: true, ...(await imp(id)) });
	}
	const module = { exports: {} };
	// Dynamic imports (config-conventional loads its parserPreset) resolve
	// in the packages' directory.
	const dynImport = (id) => (id.startsWith("file:") ? import(id) : imp(id));
	new Function("require", "module", "exports", "__dynImport", code.replace(/\bimport\(/g, "__dynImport("))(require, module, module.exports, dynImport);
	const rel = path.relative(srcDir, file);
	let failed = 0;
	for (const t of tests) {
		current = { suite, file: rel, test: t.name };
		try {
			await t.fn();
		} catch (e) {
			failed++;
			console.error(`${rel}: ${t.name}: ${e.message}`);
		}
	}
	return { tests: tests.length, failed };
}

const ruleFiles = fs.readdirSync(path.join(srcDir, "@commitlint/rules/src")).filter((f) => f.endsWith(".test.ts") && f !== "index.test.ts").sort();
const preloaded = new Map();
for (const f of ruleFiles) {
	const stem = f.replace(/\.test\.ts$/, "");
	const m = await impFile(path.join(rulesDir, `${stem}.js`));
	const w = {};
	for (const [k, v] of Object.entries(m)) w[k] = typeof v === "function" ? wrapRule(stem, v) : v;
	preloaded.set(stem, w);
}
let total = 0, failed = 0;
for (const f of ruleFiles) {
	const r = await runFile("rules", path.join(srcDir, "@commitlint/rules/src", f), (id) => {
		const stem = id.replace(/^\.\//, "").replace(/\.js$/, "");
		if (!preloaded.has(stem)) throw new Error(`unexpected local import ${id}`);
		return preloaded.get(stem);
	});
	total += r.tests; failed += r.failed;
}
{
	const r = await runFile("is-ignored", path.join(srcDir, "@commitlint/is-ignored/src/is-ignored.test.ts"), () => ({ __esModule: true, default: isIgnored, isIgnored }));
	total += r.tests; failed += r.failed;
}
{
	const r = await runFile("config-conventional", path.join(srcDir, "@commitlint/config-conventional/src/index.test.ts"), () => ({ __esModule: true, default: conventional }));
	total += r.tests; failed += r.failed;
}

// One file per distinct case, named after its suite and test.
fs.rmSync(outDir, { recursive: true, force: true });
const seen = new Set();
const counts = {};
let written = 0;
for (const r of records) {
	const key = JSON.stringify({ ...r, test: undefined, file: undefined });
	if (seen.has(key)) continue;
	seen.add(key);
	const group = r.kind === "rule" ? r.rule : r.suite;
	counts[group] = (counts[group] || 0) + 1;
	const name = `${group}-${String(counts[group]).padStart(3, "0")}.json`;
	const dir = path.join(outDir, r.suite);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, name), JSON.stringify(r, null, "\t") + "\n");
	written++;
}
console.error(`${total} upstream tests (${failed} failed), ${records.length} recorded calls, ${written} distinct cases`);
