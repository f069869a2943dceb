"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

export function PrintButton() {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return (
    <Button size="lg" disabled={!ready} onClick={() => window.print()}>
      Print label
    </Button>
  );
}
