"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import type { WipBoard, WipFilters } from "@/server/domain/wip/board";

/** No event (hello, change, ping) for this long and the connection counts as lost (the server pings every 10 s). */
const SILENCE_MS = 25_000;
/** An error that the browser's own reconnection does not mend within this time shows as lost. */
const LOST_AFTER_MS = 2_000;
/** The board is also read again this often: time at each operation and time-based blockers move with the clock. */
const REFRESH_MS = 60_000;

export type Connection = { state: "connecting" | "live" | "lost"; lastHeardAt: Date | null; lostSince: Date | null };

/**
 * The WIP board, kept live: the server's event stream (/api/wip/events) says when the site's data changed, and the board
 * is read again through tRPC (one read at a time; a change during a read reads again after it). Also says when the
 * server was last heard from, and whether the connection is lost.
 */
export function useWipLive(filters: WipFilters, initial: WipBoard) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.wip.board.queryOptions(filters),
    initialData: initial,
    staleTime: Infinity,
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: true,
  });
  const [connection, setConnection] = useState<Connection>({ state: "connecting", lastHeardAt: null, lostSince: null });
  const reading = useRef(false);
  const again = useRef(false);
  const { refetch } = query;

  const refresh = useCallback(() => {
    if (reading.current) {
      again.current = true;
      return;
    }
    reading.current = true;
    void refetch({ cancelRefetch: false }).finally(() => {
      reading.current = false;
      if (again.current) {
        again.current = false;
        refresh();
      }
    });
  }, [refetch]);

  useEffect(() => {
    let es: EventSource | null = null;
    let lostTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let lastHeard = Date.now();
    let connectedOnce = false;
    let stopped = false;
    const markLost = () => setConnection((c) => (c.state === "lost" ? c : { ...c, state: "lost", lostSince: new Date() }));
    const heard = () => {
      lastHeard = Date.now();
      if (lostTimer) clearTimeout(lostTimer);
      lostTimer = null;
      setConnection({ state: "live", lastHeardAt: new Date(), lostSince: null });
    };
    const connect = () => {
      if (stopped) return;
      es = new EventSource("/api/wip/events");
      es.addEventListener("hello", () => {
        heard();
        // on a reconnection changes may have been missed: read the board again
        if (connectedOnce) refresh();
        connectedOnce = true;
      });
      es.addEventListener("change", () => {
        heard();
        refresh();
      });
      es.addEventListener("ping", heard);
      es.onerror = () => {
        lostTimer ??= setTimeout(markLost, LOST_AFTER_MS);
        if (es && es.readyState === EventSource.CLOSED) {
          // refused or not an event stream (signed out, server restarting): try again in a while
          es.close();
          retryTimer = setTimeout(connect, 5_000);
        }
      };
    };
    connect();
    const watchdog = setInterval(() => {
      if (Date.now() - lastHeard > SILENCE_MS) markLost();
    }, 5_000);
    return () => {
      stopped = true;
      es?.close();
      clearInterval(watchdog);
      if (lostTimer) clearTimeout(lostTimer);
      if (retryTimer) clearTimeout(retryTimer);
    };
  }, [refresh]);

  return { board: query.data, connection, updatedAt: new Date(query.dataUpdatedAt) };
}
