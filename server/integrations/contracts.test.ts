import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/*
 * The third-party contracts the repository carries (B2MML schemas, GS1 syntax dictionary, label policy and vectors):
 * every file of each vendored folder has the sha256 its SOURCES.md lists, and the list names every file. The tests
 * read only the repository (a user's clone has nothing beside it); SOURCES.md records where each file came from.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const VENDORED = [
  { dir: "server/integrations/erp/b2mml-v0700", mustHave: ["LICENSE", "B2MML-Common.xsd"] },
  { dir: "server/domain/scan/gs1", mustHave: ["LICENSE", "gs1-syntax-dictionary.txt"] },
  { dir: "server/domain/scan/vectors", mustHave: ["NOTICE", "POLICY.md", "label-vectors.json"] },
] as const;

/** The folder's bookkeeping, not part of what is vendored. */
const BOOKKEEPING = new Set(["SOURCES.md", ".gitattributes"]);

type ManifestRow = { file: string; sha256: string; from: "upstream" | "written here" };

const ROW = /^\| `([^`]+)` \| `([0-9a-f]{64})` \| (upstream|written here) \|$/;

function readManifest(dir: string): ManifestRow[] {
  return readFileSync(path.join(dir, "SOURCES.md"), "utf8")
    .split("\n")
    .flatMap((line) => {
      const m = ROW.exec(line.trim());
      return m ? [{ file: m[1]!, sha256: m[2]!, from: m[3] as ManifestRow["from"] }] : [];
    });
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** The vendored entries of a folder (a sub-folder is listed too, so it is reported as not in the manifest). */
function entriesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !(e.isFile() && BOOKKEEPING.has(e.name)))
    .map((e) => (e.isFile() ? e.name : `${e.name}/`))
    .sort();
}

/** What is wrong with a folder against its manifest: changed, missing or unlisted files, rows listed twice. */
function manifestProblems(dir: string): string[] {
  const rows = readManifest(dir);
  const problems: string[] = [];
  if (rows.length === 0) problems.push("SOURCES.md lists no file");
  const listed = new Set<string>();
  for (const row of rows) {
    if (listed.has(row.file)) problems.push(`${row.file}: listed twice`);
    listed.add(row.file);
    const file = path.join(dir, row.file);
    if (!existsSync(file)) problems.push(`${row.file}: listed but missing`);
    else if (sha256(file) !== row.sha256) problems.push(`${row.file}: sha256 ${sha256(file)}, SOURCES.md says ${row.sha256}`);
  }
  for (const entry of entriesOf(dir)) if (!listed.has(entry)) problems.push(`${entry}: present but not in SOURCES.md`);
  return problems;
}

describe("vendored contracts match their sha256 manifests (SOURCES.md)", () => {
  it.each(VENDORED.map((v) => [v.dir, v] as const))("%s", (dir, v) => {
    const abs = path.join(REPO_ROOT, dir);
    const rows = readManifest(abs);
    for (const name of v.mustHave) expect(rows.map((r) => r.file), `SOURCES.md lists ${name}`).toContain(name);
    for (const row of rows) expect(sha256(path.join(abs, row.file)), `sha256 of ${dir}/${row.file}`).toBe(row.sha256);
    expect(manifestProblems(abs)).toEqual([]);
  });
});

describe("the checks themselves, on temporary copies", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "tl-contracts-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const copyOf = (name: string) => {
    const dir = path.join(tmp, name);
    cpSync(path.join(REPO_ROOT, "server/domain/scan/vectors"), dir, { recursive: true });
    return dir;
  };

  it("the manifest check reports a changed byte, a deleted file and an unlisted file", () => {
    const dir = copyOf("manifest");
    expect(manifestProblems(dir)).toEqual([]);
    const policy = readFileSync(path.join(dir, "POLICY.md"));
    policy[0] = policy[0]! ^ 1;
    writeFileSync(path.join(dir, "POLICY.md"), policy);
    rmSync(path.join(dir, "NOTICE"));
    writeFileSync(path.join(dir, "extra.json"), "[]");
    const problems = manifestProblems(dir);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POLICY\.md: sha256 [0-9a-f]{64}, SOURCES\.md says a47c5ed3/),
        "NOTICE: listed but missing",
        "extra.json: present but not in SOURCES.md",
      ]),
    );
  });
});
