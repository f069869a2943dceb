"use client";

import { useCallback, useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

/*
 * An audible cue after each answer at the floor's scan fields: a rising two-tone chirp when a scan is recorded, a low
 * double buzz when it is refused, one mid tone when a scan shows something (a kit's content). Web Audio tones, nothing
 * to download. Switchable; the setting is remembered per device (localStorage), on by default.
 */

export type Cue = "accepted" | "refused" | "notice";

/** The tones of each cue: frequency (Hz), wave, start and length (seconds). Distinct in pitch and rhythm. */
export const CUE_TONES: Record<Cue, { hz: number; wave: OscillatorType; at: number; for: number }[]> = {
  accepted: [
    { hz: 880, wave: "sine", at: 0, for: 0.09 },
    { hz: 1320, wave: "sine", at: 0.1, for: 0.12 },
  ],
  refused: [
    { hz: 196, wave: "square", at: 0, for: 0.2 },
    { hz: 196, wave: "square", at: 0.28, for: 0.3 },
  ],
  notice: [{ hz: 660, wave: "triangle", at: 0, for: 0.15 }],
};

const STORAGE_KEY = "traceline.scanSound";
let context: AudioContext | null = null;

function playTones(cue: Cue): void {
  const Ctx = typeof window === "undefined" ? undefined : window.AudioContext;
  if (!Ctx) return;
  try {
    context ??= new Ctx();
    if (context.state === "suspended") void context.resume();
    const start = context.currentTime + 0.01;
    for (const t of CUE_TONES[cue]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = t.wave;
      osc.frequency.value = t.hz;
      gain.gain.setValueAtTime(0.0001, start + t.at);
      gain.gain.exponentialRampToValueAtTime(0.25, start + t.at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + t.at + t.for);
      osc.connect(gain).connect(context.destination);
      osc.start(start + t.at);
      osc.stop(start + t.at + t.for + 0.02);
    }
  } catch {
    // no audio output on this device: the screen still shows the answer
  }
}

/** Whether cues sound on this device (remembered), and a function that plays one when they do. */
export function useScanSound() {
  const [enabled, setEnabledState] = useState(true);
  useEffect(() => {
    setEnabledState(window.localStorage.getItem(STORAGE_KEY) !== "off");
  }, []);
  const setEnabled = useCallback((on: boolean) => {
    window.localStorage.setItem(STORAGE_KEY, on ? "on" : "off");
    setEnabledState(on);
  }, []);
  const play = useCallback(
    (cue: Cue) => {
      if (enabled) playTones(cue);
    },
    [enabled],
  );
  return { enabled, setEnabled, play };
}

/** The switch for the cues, a toggle button (pressed: sound on). */
export function SoundToggle({ enabled, onChange }: { enabled: boolean; onChange: (on: boolean) => void }) {
  const t = useTranslations("ui.sound");
  return (
    <Button type="button" size="lg" variant="secondary" aria-pressed={enabled} onClick={() => onChange(!enabled)}>
      {t("label")} <span aria-hidden="true">{enabled ? t("on") : t("off")}</span>
    </Button>
  );
}
