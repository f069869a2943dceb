// npm run erp:sim -- --receive push|pull [options]: the simulated ERP on the receiving side of confirmations.
//   push: an HTTP endpoint Traceline pushes to (set the connection's confirmations to push to the printed address in
//         Admin > ERP connections); pull: a client that pulls GET /api/erp/v1/confirmations with the API key, applies and
//         acknowledges (the demo connection pulls).
// Faults (--faults a,b,... at --fault-rate): error-before, error-after, timeout-after, reset-before, reset-after, slow,
// burst-5xx; in pull mode --lose-acks RATE drops acknowledgements. --no-dedupe applies a resent message id again (so
// Traceline must ask before resending). At the end (Ctrl-C, or after --seconds), it reads the feed once more and checks
// every confirmation recorded since it started: exit code 1 on any double or gap, 0 otherwise, 2 for a bad command line.
import { DEMO_ERP_API_KEY } from "../db/seed/demo-erp-messages";
import { pullOnce, RECEIVER_FAULTS, ReceivingErp, type ReceiverFault } from "../server/integrations/erp/receiver-sim";
import type { JsonConfirmation } from "../server/integrations/erp/outbound/json";

export const RECEIVE_USAGE = `  --receive push|pull receive confirmations instead of sending master data:
                      push: listen for Traceline's pushes (--port, default 4100); pull: pull them from --url with --key
  --port N            (push) the port to listen on, on 127.0.0.1
  --token TOKEN       (push) the credential Traceline must present (the connection's outbound credential)
  --faults a,b        inject faults: ${RECEIVER_FAULTS.join(", ")}
  --fault-rate R      probability of a fault per request, 0-1 (default 0.2 when --faults is given)
  --lose-acks R       (pull) probability that an acknowledgement is not sent (the page is read again)
  --no-dedupe         apply a resent message id again, like an ERP that does not recognise resent ids
  --seconds N         stop after N seconds (default: run until Ctrl-C)`;

export type ReceiveCli = {
  mode: "push" | "pull";
  url: string;
  key: string;
  port: number;
  token: string | null;
  faults: ReceiverFault[];
  faultRate: number;
  loseAcks: number;
  dedupe: boolean;
  seconds: number | null;
};

export function parseReceiveCli(argv: string[], fail: (message: string) => never): ReceiveCli {
  const cli: ReceiveCli = { mode: "pull", url: "http://localhost:3000", key: DEMO_ERP_API_KEY, port: 4100, token: null, faults: [], faultRate: -1, loseAcks: 0, dedupe: true, seconds: null };
  const rate = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0 || n > 1) fail(`${flag} needs a number from 0 to 1, got ${v === undefined ? "nothing" : `"${v}"`}.`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case "--receive": {
        const m = value();
        if (m !== "push" && m !== "pull") fail(`--receive needs push or pull, got ${m === undefined ? "nothing" : `"${m}"`}.`);
        cli.mode = m;
        break;
      }
      case "--url":
        cli.url = (value() ?? fail("--url needs a value.")).replace(/\/+$/, "");
        if (!/^https?:\/\/./.test(cli.url)) fail(`--url must start with http:// or https://, got "${cli.url}".`);
        break;
      case "--key":
        cli.key = value() ?? fail("--key needs a value.");
        break;
      case "--port": {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 1 || p > 65535) fail("--port needs a port number (1-65535).");
        cli.port = p;
        break;
      }
      case "--token":
        cli.token = value() ?? fail("--token needs a value.");
        break;
      case "--faults": {
        const list = (value() ?? "").split(",").filter(Boolean);
        const unknown = list.filter((f) => !(RECEIVER_FAULTS as readonly string[]).includes(f));
        if (list.length === 0 || unknown.length > 0) fail(`--faults takes a comma-separated list of: ${RECEIVER_FAULTS.join(", ")}${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}.`);
        cli.faults = list as ReceiverFault[];
        break;
      }
      case "--fault-rate":
        cli.faultRate = rate("--fault-rate", value());
        break;
      case "--lose-acks":
        cli.loseAcks = rate("--lose-acks", value());
        break;
      case "--no-dedupe":
        cli.dedupe = false;
        break;
      case "--seconds": {
        const s = Number(value());
        if (!Number.isInteger(s) || s < 1) fail("--seconds needs a whole number of at least 1.");
        cli.seconds = s;
        break;
      }
      default:
        fail(`Unknown option for --receive: "${arg}".`);
    }
  }
  if (cli.faultRate < 0) cli.faultRate = cli.faults.length > 0 ? 0.2 : 0;
  if (cli.mode === "push" && cli.loseAcks > 0) fail("--lose-acks is for --receive pull (pushed confirmations are acknowledged by the answer).");
  return cli;
}

/** Every confirmation of the feed (from the start), to check the run against at the end. */
async function readWholeFeed(url: string, key: string): Promise<JsonConfirmation[]> {
  const all: JsonConfirmation[] = [];
  let cursor: string | null = null;
  for (;;) {
    const res = await fetch(`${url}/api/erp/v1/confirmations?limit=1000${cursor ? `&after=${encodeURIComponent(cursor)}` : ""}`, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`reading the feed answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const page = (await res.json()) as { confirmations: JsonConfirmation[]; next: string | null; more: boolean };
    all.push(...page.confirmations);
    cursor = page.next;
    if (!page.more) return all;
  }
}

export async function runReceiver(cli: ReceiveCli): Promise<number> {
  const started = new Date();
  const erp = new ReceivingErp({ dedupe: cli.dedupe, faultRate: cli.faultRate, faults: cli.faults, random: Math.random, holdMs: 20_000, slowMs: 1_500, burst: 5, token: cli.token });
  const faults = cli.faults.length ? `faults ${cli.faults.join(", ")} at ${cli.faultRate}` : "no faults";
  let stop = false;
  process.on("SIGINT", () => (stop = true));
  process.on("SIGTERM", () => (stop = true));
  const deadline = cli.seconds ? Date.now() + cli.seconds * 1000 : Infinity;
  const report = setInterval(() => {
    console.log(`applied ${erp.applied.size} (answers: applied ${erp.stats.applied}, duplicate ${erp.stats.duplicates}); requests ${erp.stats.requests}; faults ${JSON.stringify(erp.stats.faults)}; status queries ${erp.stats.statusQueries}`);
  }, 5_000);
  try {
    if (cli.mode === "push") {
      const endpoint = await erp.listen(cli.port);
      console.log(`Simulated ERP receiving pushed confirmations at ${endpoint} (${cli.dedupe ? "recognises resent ids" : "applies resent ids again"}; ${faults}).`);
      console.log(`Set the connection's confirmations to push to ${endpoint} in Admin > ERP connections. Ctrl-C to stop and check.`);
      while (!stop && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    } else {
      console.log(`Simulated ERP pulling confirmations from ${cli.url} (${faults}${cli.loseAcks ? `, losing ${cli.loseAcks} of acknowledgements` : ""}). Ctrl-C to stop and check.`);
      let cursor: string | null = null;
      while (!stop && Date.now() < deadline) {
        try {
          const page = await pullOnce(erp, { baseUrl: cli.url, apiKey: cli.key, cursor, limit: 500, loseAckRate: cli.loseAcks });
          cursor = page.cursor;
          if (!page.more) await new Promise((r) => setTimeout(r, 500));
        } catch (e) {
          console.log(`pull failed: ${(e as Error).message}; trying again in 2 s`);
          await new Promise((r) => setTimeout(r, 2_000));
        }
      }
    }
  } finally {
    clearInterval(report);
    await erp.close();
  }
  const doubles = erp.doubles();
  console.log(`\nApplied ${erp.applied.size} confirmation(s) (${erp.stats.duplicates} resent and recognised, ${doubles.length} applied twice).`);
  let gaps: JsonConfirmation[] = [];
  try {
    const feed = await readWholeFeed(cli.url, cli.key);
    const since = feed.filter((c) => new Date(c.occurredAt) >= started && (c as JsonConfirmation & { acknowledged?: boolean }).acknowledged);
    gaps = since.filter((c) => !erp.applied.has(c.messageId));
    console.log(`Checked against Traceline's feed: ${since.length} acknowledged since the start, ${gaps.length} never applied here.`);
  } catch (e) {
    console.log(`Could not read Traceline's feed to check for gaps (${(e as Error).message}).`);
  }
  for (const id of doubles) console.log(`  DOUBLE  ${id}`);
  for (const g of gaps) console.log(`  GAP     ${g.messageId}  ${g.type} ${g.orderingKey}`);
  return doubles.length > 0 || gaps.length > 0 ? 1 : 0;
}
