/**
 * A stand-in for Neptune's IAM check in front of a real Gremlin Server: it reads the WebSocket
 * upgrade request, verifies its SigV4 signature with the project's own verifier (the one the SSM
 * endpoint uses), and then either pipes the connection through to the server or answers 403 as
 * Neptune does.
 */
import net from "node:net";
import { parseAuthorization, verifySignature } from "../../../http/ssm-protocol/sigv4.js";

export interface SigV4Proxy {
  endpoint: string;
  /** What the last handshake's check concluded. */
  lastVerdict(): { ok: boolean; service?: string; region?: string; reason?: string } | undefined;
  close(): Promise<void>;
}

export async function startSigV4Proxy(upstream: string, secretAccessKey: string): Promise<SigV4Proxy> {
  const target = new URL(upstream);
  let verdict: ReturnType<SigV4Proxy["lastVerdict"]>;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    let head = Buffer.alloc(0);
    const onData = async (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      client.off("data", listener);
      client.pause();
      const [requestLine, ...lines] = head.subarray(0, end).toString("latin1").split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const [method, path] = requestLine!.split(" ") as [string, string];
      try {
        const auth = parseAuthorization(headers.authorization);
        if (auth === undefined) throw new Error("no Authorization header");
        await verifySignature(
          { method, url: new URL(`http://${headers.host}${path}`), headers, body: "" },
          auth,
          secretAccessKey,
        );
        verdict = { ok: true, service: auth.service, region: auth.region };
      } catch (error) {
        verdict = { ok: false, reason: (error as Error).message };
        const body = JSON.stringify({
          code: "AccessDeniedException",
          requestId: "test",
          detailedMessage: verdict.reason,
        });
        client.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      const server = net.connect(Number(target.port), target.hostname, () => {
        server.write(head);
        client.pipe(server);
        server.pipe(client);
        client.resume();
      });
      sockets.add(server);
      server.on("close", () => sockets.delete(server));
      server.on("error", () => client.destroy());
      client.on("error", () => server.destroy());
    };
    const listener = (chunk: Buffer) => void onData(chunk);
    client.on("data", listener);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `ws://127.0.0.1:${port}${target.pathname}`,
    lastVerdict: () => verdict,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
