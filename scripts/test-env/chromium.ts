// The Chromium Playwright drives (never a downloaded one): CHROMIUM_PATH, else Debian's /usr/bin/chromium, else a
// Chromium or Chrome on PATH (or the macOS applications). None: as root on Debian/Ubuntu it is installed with apt-get;
// otherwise the run stops before Playwright with the commands to get one.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";

const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const MAC_APPS = ["/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** The browser to use, or undefined. A CHROMIUM_PATH that is not an executable is an error, not a reason to look elsewhere. */
export function findChromium(): string | undefined {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!isExecutable(chosen)) throw new Error(`CHROMIUM_PATH=${chosen} is not an executable file: point it to a Chromium or Chrome binary, or unset it.`);
    return chosen;
  }
  if (isExecutable("/usr/bin/chromium")) return "/usr/bin/chromium";
  for (const name of NAMES) {
    const found = onPath(name);
    if (found) return found;
  }
  return MAC_APPS.find(isExecutable);
}

/** True when this run may install Chromium itself: root on a machine with apt-get. */
export function canInstallChromium(): boolean {
  return process.getuid?.() === 0 && onPath("apt-get") !== undefined;
}

export const APT_INSTALL_CHROMIUM = ["apt-get update", "apt-get install -y chromium"];

/** What to tell a user who has no browser and cannot have one installed by this run. */
export function howToGetChromium(): string {
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  const apt = onPath("apt-get") !== undefined || existsSync("/etc/debian_version");
  return [
    `No Chromium found (looked at CHROMIUM_PATH, /usr/bin/chromium, and ${NAMES.join(", ")} on PATH). The browser tests need one:`,
    apt
      ? `  ${sudo}${APT_INSTALL_CHROMIUM.join(` && ${sudo}`)}`
      : "  install Chromium or Google Chrome with your system's package manager",
    "  or point CHROMIUM_PATH to a Chromium/Chrome binary, e.g. CHROMIUM_PATH=/opt/chrome/chrome npm test",
  ].join("\n");
}
