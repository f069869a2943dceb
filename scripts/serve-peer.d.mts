import type { IncomingMessage } from "node:http";

export declare const PEER_HEADER: "x-traceline-peer";
export declare const PEER_STAMPED: unique symbol;
export declare function normalizePeer(address: string | undefined): string;
export declare function stampPeer(req: IncomingMessage): void;
export declare function bindHostFrom(env: Record<string, string | undefined>): string;
export declare function portFrom(env: Record<string, string | undefined>): number;
