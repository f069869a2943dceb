"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export function PrintButton() {
  const t = useTranslations("kitting");
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <Button size="lg" disabled={!ready} onClick={() => window.print()}>
      {t("print")}
    </Button>
  );
}
