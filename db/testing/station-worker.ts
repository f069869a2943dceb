// The station service as a process of its own, for the app-kill fault test (server/services/station/fault-app-kill.int.test.ts),
// which kills it with SIGKILL under a load of installs and starts another:
//   DATABASE_URL=<test database> node --import tsx --conditions=react-server db/testing/station-worker.ts
// It opens the database as the app does (db/client.ts: the app role, a pool of four) and answers install commands read
// from standard input, one JSON per line ({"id", "actor", "cmd"}), several at a time, with one JSON line each on standard
// output: {"id", "ok": {movementId, unitId}} or {"id", "error": {code, message, retryable}}. It says {"ready": true} first.
import { createInterface } from "node:readline";
import { openDatabase } from "../client";
import type { Actor } from "../../server/auth/types";
import { classifyFailure } from "../../server/domain/shared/failure";
import { DomainError } from "../../server/domain/shared/errors";
import { consumeComponent, type ConsumeCommand } from "../../server/services/station/consume-component";
import { TEST_NOW } from "./clock";

async function main() {
  const database = await openDatabase({ max: 4 });
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  say({ ready: true, pid: process.pid });
  for await (const line of createInterface({ input: process.stdin })) {
    const { id, actor, cmd } = JSON.parse(line) as { id: number; actor: Actor; cmd: ConsumeCommand };
    consumeComponent(database.db, actor, cmd, TEST_NOW).then(
      (outcome) => say({ id, ok: { movementId: outcome.movementId, unitId: outcome.unitId } }),
      (e: unknown) => {
        const failure = e instanceof DomainError ? { code: e.code, message: e.message, retryable: false } : classifyFailure(e);
        say({ id, error: { code: failure.code, message: failure.message, retryable: failure.retryable } });
      },
    );
  }
  await database.close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(2);
});
