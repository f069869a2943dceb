import "server-only";
import type { Database } from "@/db/client";

/*
 * The WIP board's change feed, one per process. The database notifies the channel traceline_wip with a site's id at the
 * commit of every change the board shows (triggers of migration 0010: scans and completions, unit status, holds, kits,
 * stock, lots, released orders). The feed LISTENs once, and tells each site's subscribers (the open boards' event
 * streams, app/api/wip/events) that their site changed, at most once per COALESCE_MS, with a version number per site.
 * When the listen is (re)established every site counts as changed, since notifications may have been missed meanwhile.
 * Should LISTEN fail altogether, the feed says every site changed every FALLBACK_MS instead (slower, never wrong).
 */

export const WIP_CHANNEL = "traceline_wip";
export const COALESCE_MS = 200;
export const FALLBACK_MS = 1_500;

export type FeedListener = (version: number) => void;

type SiteFeed = { version: number; listeners: Set<FeedListener>; timer: ReturnType<typeof setTimeout> | null };

export class BoardFeed {
  private readonly sites = new Map<string, SiteFeed>();
  private started: Promise<void> | null = null;
  private fallback: ReturnType<typeof setInterval> | null = null;
  /** the last time the database told us anything (a notification, or the listen established) */
  lastHeardAt = 0;

  constructor(private readonly open: () => Promise<Pick<Database, "listen">>) {}

  private site(siteId: string): SiteFeed {
    let s = this.sites.get(siteId);
    if (!s) {
      s = { version: 0, listeners: new Set(), timer: null };
      this.sites.set(siteId, s);
    }
    return s;
  }

  /** Start listening (once). Resolves when the listen is in place, or the fallback is. */
  start(): Promise<void> {
    this.started ??= (async () => {
      try {
        const db = await this.open();
        await db.listen(
          WIP_CHANNEL,
          (payload) => {
            this.lastHeardAt = Date.now();
            this.changed(payload);
          },
          () => {
            this.lastHeardAt = Date.now();
            for (const id of this.sites.keys()) this.changed(id);
          },
        );
      } catch (e) {
        console.error(`WIP board feed: LISTEN ${WIP_CHANNEL} failed, telling open boards to refresh every ${FALLBACK_MS} ms instead:`, e instanceof Error ? e.message : e);
        this.fallback = setInterval(() => {
          for (const [id, s] of this.sites) if (s.listeners.size > 0) this.changed(id);
        }, FALLBACK_MS);
        this.fallback.unref?.();
      }
    })();
    return this.started;
  }

  /** A site's data changed: its subscribers hear of it once within COALESCE_MS, however many changes came. */
  changed(siteId: string): void {
    const s = this.sites.get(siteId);
    if (!s || s.timer) return;
    s.timer = setTimeout(() => {
      s.timer = null;
      s.version++;
      for (const l of s.listeners) {
        try {
          l(s.version);
        } catch {
          /* a closed stream: it unsubscribes itself */
        }
      }
    }, COALESCE_MS);
    s.timer.unref?.();
  }

  version(siteId: string): number {
    return this.sites.get(siteId)?.version ?? 0;
  }

  subscribe(siteId: string, listener: FeedListener): () => void {
    const s = this.site(siteId);
    s.listeners.add(listener);
    return () => {
      s.listeners.delete(listener);
    };
  }

  subscribers(siteId: string): number {
    return this.sites.get(siteId)?.listeners.size ?? 0;
  }
}

const holder = globalThis as unknown as { __tracelineWipFeed?: BoardFeed };

/** The process's feed over the app's database (one LISTEN however many boards are open). */
export async function wipBoardFeed(open: () => Promise<Pick<Database, "listen">>): Promise<BoardFeed> {
  holder.__tracelineWipFeed ??= new BoardFeed(open);
  await holder.__tracelineWipFeed.start();
  return holder.__tracelineWipFeed;
}
