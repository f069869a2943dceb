import { createTranslator } from "next-intl";
import type { ItemLabelWordKey, LabelWords } from "@/server/domain/labels/item-label";
import type { KitLabelWords } from "@/server/domain/kitting/kit-label";
import { MESSAGES } from "./messages";
import type { Locale } from "./locales";

/*
 * The words printed on labels (ZPL), in the language of the person printing: the catalogs' labels.zplWords (lot and
 * serial labels) and labels.kit.zplWords (kit labels). The screens' printable labels use the same catalogs.
 */

export function itemLabelWords(locale: Locale): LabelWords<ItemLabelWordKey> {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: "labels.zplWords" });
  return (key, values) => t(key, values);
}

export function kitLabelWords(locale: Locale): KitLabelWords {
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: "labels.kit.zplWords" });
  return (key, values) => t(key, values);
}
