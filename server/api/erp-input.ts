import type { InputLimits } from "@/server/domain/shared/storable-input";

/**
 * What an ERP body may hold, checked before anything is stored (server/api/route-answers.ts unstorableInput): no NUL or
 * lone surrogate anywhere; strings up to 100,000 characters (a long text attribute), nesting up to 32 levels (the
 * deepest message is 5), and no practical limit on the number of values (the batch limits bound it).
 */
export const ERP_INPUT_LIMITS: InputLimits = { maxStringLength: 100_000, maxDepth: 32, maxValues: 50_000_000 };

/** The raw body text: only characters matter (its size has its own limit), so no string-length limit here. */
export const ERP_BODY_TEXT_LIMITS: InputLimits = { maxStringLength: Number.MAX_SAFE_INTEGER, maxDepth: 1, maxValues: 1 };
