/** A request body in one of the outbound formats. */
export type WireRequest = { contentType: string; body: string };

/** Identifies Traceline as the sender of confirmations (the `source` of its envelopes). */
export const TRACELINE_SOURCE = "TRACELINE";
