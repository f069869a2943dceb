import { useTranslations } from "next-intl";

/** The wall screen while the board loads: says so, in the wall's type. */
export default function Loading() {
  const t = useTranslations("wip.wall");
  return (
    <p role="status" className="text-5xl font-bold text-white">
      {t("loading")}
    </p>
  );
}
