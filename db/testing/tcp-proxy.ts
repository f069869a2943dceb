import net from "node:net";

/**
 * A TCP proxy in front of the test PostgreSQL that can cut a connection at an exact point of the protocol: when a
 * client sends bytes containing the armed text (once per call of `cutNext`), both sides of that connection are closed
 * before the bytes reach the server; or, with `forwardFirst`, the bytes reach the server and the client's side is cut
 * before the answer comes back (the statement runs, its answer is lost). Fault tests use it to drop a connection while a given statement is in flight,
 * which timing alone (pg_terminate_backend from another session) cannot hit reliably.
 */
export type CuttingProxy = {
  /** The URL to connect through the proxy (same user, password and database as `target`). */
  url: string;
  /** Cut the next connection whose client sends a message containing `text`; resolves when it has been cut. */
  cutNext(text: string, opts?: { forwardFirst?: boolean }): Promise<void>;
  close(): Promise<void>;
};

export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const upstream = new URL(target);
  const sockets = new Set<net.Socket>();
  let armed: { text: string; forwardFirst: boolean; done: () => void } | null = null;
  const server = net.createServer((client) => {
    const server = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(server);
    let answerLost = false;
    const cut = () => {
      client.destroy();
      if (!answerLost) server.destroy();
    };
    client.on("data", (chunk: Buffer) => {
      if (armed && chunk.includes(armed.text)) {
        const { done, forwardFirst } = armed;
        armed = null;
        if (forwardFirst) {
          // the server gets the statement and runs it; the client never hears back
          answerLost = true;
          server.write(chunk);
          server.removeAllListeners("data");
          client.destroy();
          setTimeout(() => server.destroy(), 500).unref();
        } else cut();
        done();
        return;
      }
      server.write(chunk);
    });
    server.on("data", (chunk: Buffer) => client.write(chunk));
    for (const s of [client, server]) {
      s.on("error", cut);
      s.on("close", () => {
        sockets.delete(s);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    cutNext: (text, opts = {}) => new Promise<void>((resolve) => (armed = { text, forwardFirst: opts.forwardFirst ?? false, done: resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
