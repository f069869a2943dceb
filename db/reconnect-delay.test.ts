import { describe, expect, it } from "vitest";
import { reconnectDelaySeconds } from "./client";

describe("reconnect delay after a connection closed with an error", () => {
  it.each([
    [1, 0.025, 0.05],
    [2, 0.05, 0.1],
    [5, 0.4, 0.8],
    [7, 1, 2],
    [30, 1, 2],
  ])("after %i errors it waits between %f and %f s (never the 20 s postgres-js defaults to)", (errors, min, max) => {
    for (let i = 0; i < 20; i++) {
      const d = reconnectDelaySeconds(errors);
      expect(d).toBeGreaterThanOrEqual(min);
      expect(d).toBeLessThanOrEqual(max);
    }
  });
});
