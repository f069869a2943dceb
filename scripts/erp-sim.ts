// npm run erp:sim -- [--url http://127.0.0.1:3000] [--key KEY] [--batch N] [--duplicates] [--shuffle] [--split-boms [N]]
//                    [--malformed] [--newer-versions] [--rate N] [--dry-run]
// npm run erp:sim -- --receive push|pull [...]: the receiving side of confirmations (scripts/erp-sim-receive.ts)
// A simulated ERP: sends the demo plant's ERP message set (db/seed/demo-erp-messages.ts) to POST /api/erp/v1/messages
// with the Bearer key (default: the published demo key), with the faults asked for injected (the plan and the
// expected answers come from server/integrations/erp/simulator.ts). Prints the answers per status, every rejection
// with its field and reason, and every injected fault that was not answered as expected.
// Exit code: 0 when every injected fault was answered as expected, 1 otherwise (or when the server cannot be used),
// 2 for a bad command line.
import { demoErpMessages, DEMO_ERP_API_KEY } from "../db/seed/demo-erp-messages";
import { judgeSimulation, planSimulation, type Answer, type PlannedRequest, type SimulationOptions } from "../server/integrations/erp/simulator";
import { parseReceiveCli, RECEIVE_USAGE, runReceiver } from "./erp-sim-receive";

const USAGE = `Usage: npm run erp:sim -- [options]
  --url URL           the Traceline server (default http://127.0.0.1:3000)
  --key KEY           the connection's API key (default: the demo key ${DEMO_ERP_API_KEY})
  --batch N           messages per request, 1-1000 (default 50)
  --duplicates        send some messages again: each must answer "duplicate"
  --newer-versions    send newer versions of some parts: each must be "applied"
  --shuffle           send those newer versions first, then the older ones ("overtaken"); BOM segments out of order
  --split-boms [N]    re-send every BOM as a new version in N segments (default 3): "held" until the last, then "applied"
  --malformed         a body that is not JSON, missing fields, unknown type, unknown plant, a BOM naming an unknown part:
                      each must be "rejected" with the field at fault
  --rate N            at most N messages per second
  --dry-run           print what would be sent and the expected answers; send nothing
${RECEIVE_USAGE}`;

type Cli = { url: string; key: string; batch: number; rate: number | null; dryRun: boolean; faults: Omit<SimulationOptions, "runId" | "versionBase" | "batchSize"> };

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseCli(argv: string[]): Cli {
  const cli: Cli = { url: "http://127.0.0.1:3000", key: DEMO_ERP_API_KEY, batch: 50, rate: null, dryRun: false, faults: {} };
  const positive = (flag: string, value: string | undefined): number => {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) fail(`${flag} needs a whole number of at least 1, got ${value === undefined ? "nothing" : `"${value}"`}.`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--url":
        cli.url = (value() ?? fail("--url needs a value.")).replace(/\/+$/, "");
        if (!/^https?:\/\/./.test(cli.url)) fail(`--url must start with http:// or https://, got "${cli.url}".`);
        break;
      case "--key":
        cli.key = value() ?? fail("--key needs a value.");
        break;
      case "--batch":
        cli.batch = positive("--batch", value());
        if (cli.batch > 1000) fail("--batch can be at most 1000 (the endpoint's limit).");
        break;
      case "--rate":
        cli.rate = positive("--rate", value());
        break;
      case "--split-boms": {
        const next = inline ?? (argv[i + 1] && /^\d+$/.test(argv[i + 1]!) ? argv[++i] : undefined);
        cli.faults.splitBoms = next === undefined ? 3 : positive("--split-boms", next);
        if (cli.faults.splitBoms < 2) fail("--split-boms needs at least 2 segments.");
        break;
      }
      case "--duplicates":
        cli.faults.duplicates = true;
        break;
      case "--newer-versions":
        cli.faults.newerVersions = true;
        break;
      case "--shuffle":
        cli.faults.shuffle = true;
        break;
      case "--malformed":
        cli.faults.malformed = true;
        break;
      case "--dry-run":
        cli.dryRun = true;
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
      default:
        fail(`Unknown option "${arg}".`);
    }
  }
  return cli;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeAnswer(a: Answer): string {
  const fields = (a.error?.fields ?? []).map((f) => `\n      - ${f.field}: ${f.reason}`).join("");
  return a.error ? `${a.status} ${a.error.code}: ${a.error.message}${fields}` : a.status;
}

function countLine(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status} ${n}`).join(", ");
}

async function send(cli: Cli, request: PlannedRequest): Promise<Answer[]> {
  const body = request.kind === "raw" ? request.body : JSON.stringify(request.messages.map((m) => m.body));
  let response: Response;
  try {
    response = await fetch(`${cli.url}/api/erp/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${cli.key}`, "content-type": "application/json" },
      body,
    });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
    throw new Error(`Could not reach ${cli.url} (${cause}). Is Traceline running (npm run demo)?`);
  }
  const text = await response.text();
  let json: { results?: Answer[]; error?: string } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new Error(`The server answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (response.status === 401) throw new Error(`The server refused the API key (${json.error ?? "401"}). Pass the connection's key with --key.`);
  const expected = request.kind === "raw" ? 1 : request.messages.length;
  if (!Array.isArray(json.results) || json.results.length !== expected) {
    throw new Error(`The server answered ${response.status} without one result per message: ${json.error ?? text.slice(0, 200)}`);
  }
  return json.results;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.some((a) => a === "--receive" || a.startsWith("--receive="))) {
    process.exitCode = await runReceiver(parseReceiveCli(argv, fail));
    return;
  }
  const cli = parseCli(argv);
  const now = new Date();
  const base = demoErpMessages({ now });
  const plan = planSimulation(base, {
    ...cli.faults,
    runId: `${now.getTime().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase(),
    // Hundredths of a second since 1970: every run's injected versions are newer than any earlier run's.
    versionBase: Math.floor(now.getTime() / 10),
    batchSize: cli.batch,
  });
  const total = plan.requests.reduce((n, r) => n + (r.kind === "raw" ? 1 : r.messages.length), 0);
  console.log(
    `Simulated ERP -> ${cli.url}/api/erp/v1/messages: ${plan.baseCount} demo messages, ${total - plan.baseCount} injected` +
      ` (faults: ${plan.faults.length ? plan.faults.join(", ") : "none"}), ${plan.requests.length} requests`,
  );

  if (cli.dryRun) {
    plan.requests.forEach((request, r) => {
      console.log(`\n[${r + 1}/${plan.requests.length}] ${request.title}`);
      const messages = request.kind === "raw" ? [request.message] : request.messages;
      for (const m of messages) {
        const expect = m.expect.kind === "reported" ? "" : `  -> expect ${m.expect.kind === "status" ? `${m.expect.status}${m.expect.field ? ` (${m.expect.field})` : ""}` : "duplicate"}`;
        console.log(`  ${m.messageId}  ${m.label}${expect}`);
      }
    });
    console.log("\nDry run: nothing sent.");
    return;
  }

  const answers: (Answer[] | null)[] = [];
  const started = Date.now();
  let sent = 0;
  for (const [r, request] of plan.requests.entries()) {
    const size = request.kind === "raw" ? 1 : request.messages.length;
    if (cli.rate) {
      const wait = (sent * 1000) / cli.rate - (Date.now() - started);
      if (wait > 0) await sleep(wait);
    }
    const got = await send(cli, request);
    sent += size;
    answers.push(got);
    console.log(`[${r + 1}/${plan.requests.length}] ${request.title}: ${size} message${size === 1 ? "" : "s"}: ${countLine(got)}`);
  }

  const report = judgeSimulation(plan, answers);
  console.log(`\nAnswers by status: ${Object.entries(report.byStatus).map(([s, n]) => `${s} ${n}`).join(", ")}`);
  if (report.rejections.length > 0) {
    console.log(`\nRejections (${report.rejections.length}):`);
    for (const v of report.rejections) {
      const tag = v.message.fault ? ` [injected: ${v.message.fault}]` : "";
      console.log(`  ${v.answer!.messageId}  ${v.message.label}${tag}\n    ${describeAnswer(v.answer!)}`);
    }
  }
  if (plan.faults.length > 0) {
    const checked = Object.entries(report.checked).map(([fault, n]) => `${fault} ${n}`).join(", ");
    console.log(`\nInjected faults judged: ${checked}.`);
  }
  if (report.mismatches.length > 0) {
    console.log(`\nNOT answered as expected (${report.mismatches.length}):`);
    for (const v of report.mismatches) {
      console.log(`  ${v.message.messageId}  ${v.message.label}\n    expected ${v.expected}\n    got      ${v.answer ? describeAnswer(v.answer) : "no answer"}`);
    }
    process.exitCode = 1;
  } else if (plan.faults.length > 0) {
    console.log("Every injected fault was answered as expected.");
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
