import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { inRollback, useTestDatabase } from "@/db/testing/test-database";
import { actorFor } from "@/db/testing/actors";
import type { Actor } from "@/server/auth/types";
import { DomainError } from "@/server/domain/shared/errors";
import { refusalWords } from "@/server/api/refusal-words";
import { setBadgePin } from "@/server/auth/credentials";
import { translatorFor } from "@/i18n/server-translate";
import { TEST_NOW } from "@/db/testing/clock";
import { createUser, importBadges, resetSecret, setHoldReleaseRule, setUserRoles } from "./manage-users";

/*
 * Issue 18: every refusal of user administration carries its catalog message (DomainError.text), so a French reader
 * gets the specific reason (a password or PIN rule in French too), not the general VALIDATION_FAILED sentence; English
 * keeps the refusal's own message, unchanged.
 */

const t = useTestDatabase("demo");
let admin: Actor;
let notAdmin: Actor;

beforeAll(async () => {
  admin = await actorFor(t.db, "alex.morgan");
  notAdmin = await actorFor(t.db, "priya.raman");
});

const rid = () => randomUUID();
const ctx = () => ({ now: TEST_NOW, clientKey: `test-${randomUUID()}` });
const sig = { method: "password" as const, secret: "x", meaning: "responsibility" };

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** The refusal as an English and a French reader see it; every one has its own catalog message. */
function words(e: DomainError) {
  expect(e.text, e.message).not.toBeNull();
  expect(translatorFor("fr").has(`refusals.messages.${e.text!.key}` as never), e.text!.key).toBe(true);
  return [refusalWords(e, "office", "en", "UTC").message, refusalWords(e, "office", "fr", "Europe/Paris").message];
}

describe("user administration refusals in the reader's language", () => {
  it("creating a user: each rule in French, the password and PIN rules included; English unchanged", async () => {
    await inRollback(t.db, async (tx) => {
      const make = (cmd: Partial<Parameters<typeof createUser>[2]>, who = admin) =>
        refusal(createUser(tx, who, { requestId: rid(), displayName: "Jo Test", roles: ["operator"], ...cmd }, TEST_NOW, 4));
      const site = admin.siteName;
      expect(words(await make({ username: "jo.test", password: "pw" }, notAdmin))).toEqual([
        `Only an administrator of ${notAdmin.siteName} can create users.`,
        `Seul un administrateur de ${notAdmin.siteName} peut créer des utilisateurs.`,
      ]);
      expect(words(await make({ displayName: " " }))).toEqual(["Enter the person's name (at most 100 characters).", "Saisissez le nom de la personne (100 caractères au plus)."]);
      expect(words(await make({}))).toEqual(["Give a user name (office) or a badge (floor), or both.", "Indiquez un identifiant (bureau) ou un badge (atelier), ou les deux."]);
      expect(words(await make({ username: "a b" }))).toEqual(["A user name is 2 to 64 letters, digits and . _ @ - (no spaces).", "Un identifiant compte de 2 à 64 lettres, chiffres et . _ @ - (sans espace)."]);
      const short = await make({ username: "jo.test", password: "short" });
      expect(short.code).toBe("VALIDATION_FAILED");
      const [en, fr] = words(short);
      expect(en).toMatch(/^First password: A password has at least \d+ characters\.$/);
      expect(fr).toMatch(/^Premier mot de passe : Un mot de passe compte au moins \d+ caractères\.$/);
      expect(words(await make({ username: "jo.test.longname", password: "jo.test.longname" }))).toEqual([
        "First password: A password cannot be the user name.",
        "Premier mot de passe : Un mot de passe ne peut pas être l’identifiant.",
      ]);
      expect(words(await make({ badgeId: "B 1", pin: "1234" }))).toEqual([
        "Scan the badge: its id is 1 to 64 printable characters, no spaces.",
        "Scannez le badge : son identifiant compte de 1 à 64 caractères imprimables, sans espace.",
      ]);
      expect(words(await make({ badgeId: "B-NEW-1", pin: "12a4" }))).toEqual(["First PIN: A PIN is digits only.", "Premier code PIN : Un code PIN ne contient que des chiffres."]);
      expect(words(await make({ badgeId: "B-NEW-1", pin: "4826", roles: ["pilot"] }))).toEqual(["Unknown role: pilot.", "Rôle inconnu : pilot."]);
      expect(words(await make({ badgeId: "B-NEW-1", pin: "4826", roles: [] }))).toEqual([`Give at least one role at ${site}.`, `Donnez au moins un rôle à ${site}.`]);
      expect(words(await make({ badgeId: "B-NEW-1", pin: "4826", roles: ["enterprise"] }))).toEqual([
        "The enterprise role goes with the quality engineer or supervisor role at the same site.",
        "Le rôle multi-sites va avec le rôle d’ingénieur qualité ou de chef d’équipe sur le même site.",
      ]);
      expect(words(await make({ username: "alex.morgan", password: "a long enough password" }))).toEqual([
        "The user name alex.morgan is already taken.",
        "L’identifiant alex.morgan est déjà pris.",
      ]);
    });
  });

  it("resetting a password or PIN, roles, the badge import, the hold rule, a badge: in French; English unchanged", async () => {
    await inRollback(t.db, async (tx) => {
      const made = await createUser(tx, admin, { requestId: rid(), displayName: "Office Only", username: `office.${rid().slice(0, 6)}`, password: "a long enough password", roles: ["operator"] }, TEST_NOW, 4);
      const reset = (cmd: Partial<Parameters<typeof resetSecret>[2]>) =>
        refusal(resetSecret(tx, admin, { requestId: rid(), userId: made.userId, kind: "password", temporary: "a long enough password", reason: "Forgot", signature: sig, ...cmd }, ctx(), 4));
      expect(words(await reset({ temporary: "x" }))).toEqual([
        expect.stringMatching(/^Temporary password: A password has at least \d+ characters\.$/),
        expect.stringMatching(/^Mot de passe provisoire : Un mot de passe compte au moins \d+ caractères\.$/),
      ]);
      expect(words(await reset({ kind: "pin", temporary: "1111" }))).toEqual(["Temporary PIN: A PIN cannot be one digit repeated.", "Code PIN provisoire : Un code PIN ne peut pas être un seul chiffre répété."]);
      expect(words(await reset({ kind: "pin", temporary: "4826" }))).toEqual(["Office Only has no badge: set up a badge instead.", "Office Only n’a pas de badge : configurez plutôt un badge."]);
      expect(words(await reset({ reason: " " }))).toEqual(["Say why the reset is needed.", "Indiquez pourquoi la réinitialisation est nécessaire."]);
      expect(words(await reset({ userId: admin.userId }))).toEqual([
        "Change your own password or PIN at sign-in, or ask another administrator to reset it.",
        "Changez votre propre mot de passe ou code PIN à la connexion, ou demandez à un autre administrateur de le réinitialiser.",
      ]);
      expect(words(await reset({ userId: randomUUID() }))).toEqual(["No such user at this site.", "Cet utilisateur n’existe pas sur ce site."]);

      expect(words(await refusal(setUserRoles(tx, admin, { userId: admin.userId, roles: ["operator"], reason: "x" }, TEST_NOW)))).toEqual([
        "You cannot take away your own administrator role: ask another administrator.",
        "Vous ne pouvez pas vous retirer votre propre rôle d’administrateur : demandez à un autre administrateur.",
      ]);
      expect(words(await refusal(setUserRoles(tx, notAdmin, { userId: made.userId, roles: ["operator"], reason: "x" }, TEST_NOW)))[1]).toBe(
        `Seul un administrateur de ${notAdmin.siteName} peut attribuer des rôles.`,
      );
      const csv = "display_name,badge_id,pin,roles\nA,B-IMP-1,12,operator\n";
      expect(words(await refusal(importBadges(tx, admin, { requestId: rid(), csv }, TEST_NOW, 4)))).toEqual([
        "The file was not imported: 1 problem to correct (nothing was written).",
        "Le fichier n’a pas été importé : 1 problème à corriger (rien n’a été écrit).",
      ]);
      expect(words(await refusal(setHoldReleaseRule(tx, admin, { twoPerson: true, reason: "" }, TEST_NOW)))).toEqual(["Say why the rule changes.", "Indiquez pourquoi la règle change."]);
      expect(words(await refusal(setBadgePin(tx, admin, { userId: made.userId, badgeId: "B-SET-1", pin: "12" }, TEST_NOW, 4)))).toEqual([
        "A PIN has at least 4 digits here.",
        "Un code PIN compte au moins 4 chiffres ici.",
      ]);
      expect(words(await refusal(setBadgePin(tx, notAdmin, { userId: made.userId, badgeId: "B-SET-1", pin: "4826" }, TEST_NOW, 4)))).toEqual([
        "Only an administrator can set up a badge.",
        "Seul un administrateur peut configurer un badge.",
      ]);
    });
  });
});
