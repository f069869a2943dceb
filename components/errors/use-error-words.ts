"use client";

import { useTranslations } from "next-intl";
import { actionErrorMessage } from "@/components/ui/action-error";
import { operatorMessage, type ActionWords, type ErrorWords } from "./operator-message";

/**
 * Refusals and failures in the reader's language, for client islands: `operatorMessage(error, words)` and
 * `actionErrorMessage(error)` with the `errors` catalog of the page's locale.
 */
export function useErrorWords() {
  const t = useTranslations("errors") as unknown as ErrorWords;
  return {
    operatorMessage: (error: unknown, words?: ActionWords) => operatorMessage(error, words, t),
    actionErrorMessage: (error: unknown) => actionErrorMessage(error, t),
  };
}
