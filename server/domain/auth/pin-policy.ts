/**
 * Badge PINs (pure): digits only, at least the plant's required length (4 by default; TRACELINE_PIN_LENGTH=6 requires
 * six, which makes a guessed PIN a hundred times less likely), at most 12. Checked when a PIN is set up; a PIN that was
 * set before the requirement was raised still signs in until it is changed.
 */
export const DEFAULT_PIN_LENGTH = 4;
export const MAX_PIN_LENGTH = 12;

export function requiredPinLengthFrom(env: Record<string, string | undefined>): number {
  const raw = env.TRACELINE_PIN_LENGTH?.trim();
  if (!raw) return DEFAULT_PIN_LENGTH;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < DEFAULT_PIN_LENGTH || n > MAX_PIN_LENGTH) {
    throw new Error(`TRACELINE_PIN_LENGTH must be a whole number from ${DEFAULT_PIN_LENGTH} to ${MAX_PIN_LENGTH}, got "${raw}".`);
  }
  return n;
}

/** Why a PIN cannot be set up, in words for the administrator, or null when it can. */
export function pinProblem(pin: string, requiredLength: number): string | null {
  if (!/^[0-9]+$/.test(pin)) return "A PIN is digits only.";
  if (pin.length < requiredLength) return `A PIN has at least ${requiredLength} digits here.`;
  if (pin.length > MAX_PIN_LENGTH) return `A PIN has at most ${MAX_PIN_LENGTH} digits.`;
  if (/^(\d)\1+$/.test(pin)) return "A PIN cannot be one digit repeated.";
  return null;
}
