/**
 * @module serve/listen
 * Starts `faultline serve` on an address and says where to open it. On a loopback address only
 * this machine can connect, and the Host and Origin checks keep other sites' pages out. On any
 * other address, anyone on the network can: the server then requires a token, drawn at random
 * at start and printed in the address the user opens (`?token=…`; the page keeps it and sends it
 * with every request).
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isLoopback } from "./guard.js";
import { createFaultlineServer, type ServeOptions } from "./server.js";

export interface ListenOptions extends ServeOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface Listening {
  readonly server: Server;
  /** The address to open, with the token when there is one. */
  readonly url: string;
  readonly token: string | null;
}

/** A token for a server that listens beyond loopback; null on loopback. */
export function tokenFor(host: string): string | null {
  return isLoopback(host) ? null : randomBytes(24).toString("base64url");
}

/** Listens; rejects with the listen error (EADDRINUSE…) as Node gives it. */
export async function listenFaultline(options: ListenOptions): Promise<Listening> {
  const token = options.token !== undefined ? options.token : tokenFor(options.host);
  const server = createFaultlineServer({ ...options, token });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port, options.host, () => {
      server.off("error", fail);
      ok();
    });
  });
  const address = server.address() as AddressInfo;
  // On every address, this machine reaches the server on loopback.
  const wildcard = address.address === "0.0.0.0" || address.address === "::";
  const shown = wildcard
    ? "127.0.0.1"
    : address.family === "IPv6"
      ? `[${address.address}]`
      : address.address;
  const query = token === null ? "" : `?token=${token}`;
  return { server, url: `http://${shown}:${address.port}/${query}`, token };
}
