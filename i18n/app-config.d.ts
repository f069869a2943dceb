import type { Locale } from "./locales";
import type { Messages } from "./messages";

// next-intl's keys and locales are typed from the English catalogs: `t("station.install")` with a key that does not
// exist fails `tsc`.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
