import "server-only";

/** A LIKE/ILIKE pattern that matches `text` literally anywhere (%, _ and \ are escaped; \ is PostgreSQL's default escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
