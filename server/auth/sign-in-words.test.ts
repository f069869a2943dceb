import { describe, expect, it } from "vitest";
import enSignIn from "@/messages/en/signIn.json";
import { translatorFor } from "@/i18n/server-translate";
import { DomainError } from "@/server/domain/shared/errors";
import { passwordProblem } from "@/server/domain/auth/password-policy";
import { pinProblem } from "@/server/domain/auth/pin-policy";
import { throttledMessage } from "@/server/domain/auth/sign-in-throttle";
import { GENERIC_SIGN_IN_FAILURE, SIGN_IN_UNAVAILABLE } from "./sign-in-errors";
import { policyWords, signInRefusalWords, signInUnavailableWords, unstorableWords } from "./sign-in-words";

/*
 * Sign-in refusals in the page's language. English is the refusal's own message, so the English catalog must say
 * exactly what the server's code says (no drift); French says it in French.
 */
const en = translatorFor("en");

describe("the English catalog says what the sign-in code says", () => {
  it("the browser's fallbacks and the unavailable answer", () => {
    expect(enSignIn.refusals.generic).toBe(GENERIC_SIGN_IN_FAILURE);
    expect(enSignIn.refusals.unavailable).toBe(SIGN_IN_UNAVAILABLE);
    expect(signInUnavailableWords("en", "abc123", true)).toBe(`The database did not answer. ${SIGN_IN_UNAVAILABLE} Reference: abc123.`);
    expect(signInUnavailableWords("en", "abc123", false)).toBe(`${SIGN_IN_UNAVAILABLE} Reference: abc123.`);
  });

  it.each([1, 15])("throttled for %i minute(s)", (minutes) => {
    expect(en("signIn.refusals.throttledAccount", { minutes })).toBe(throttledMessage("account", minutes));
    expect(en("signIn.refusals.throttledClient", { minutes })).toBe(throttledMessage("client", minutes));
  });

  // every branch of the password and PIN rules, so a reworded rule cannot slip past the translation table
  const rules: [string, string][] = [
    ["short password", passwordProblem("short", null)!],
    ["long password", passwordProblem("x".repeat(2000), null)!],
    ["repeated password", passwordProblem("aaaaaaaaaaaaaaa", null)!],
    ["password = user name", passwordProblem("maria.lopez.1", "Maria.Lopez.1")!],
    ["PIN not digits", pinProblem("12a4", 4)!],
    ["short PIN", pinProblem("12", 4)!],
    ["long PIN", pinProblem("1".repeat(13) + "2", 4)!],
    ["repeated PIN", pinProblem("1111", 4)!],
  ];
  it.each(rules)("%s: translated to French, and the English table matches the rule's words", (_, why) => {
    expect(why).toBeTruthy();
    const fr = policyWords(why, "fr");
    expect(fr).not.toBe(why);
    expect(fr).toMatch(/^(Un mot de passe|Un code PIN)/);
  });
});

describe("signInRefusalWords", () => {
  const wrong = new DomainError("SIGN_IN_FAILED", "User name or password is wrong.", {}, { key: "wrongPassword" });
  const rule = new DomainError("SECRET_CHANGE_REQUIRED", "New PIN: A PIN is digits only.", { method: "badge" }, { key: "newSecretProblem", values: { word: "PIN", why: "A PIN is digits only." } });

  it("English is the refusal's own message", () => {
    expect(signInRefusalWords(wrong, "en")).toBe("User name or password is wrong.");
    expect(signInRefusalWords(rule, "en")).toBe("New PIN: A PIN is digits only.");
  });

  it("French from the catalog, the rule inside it too", () => {
    expect(signInRefusalWords(wrong, "fr")).toBe("Identifiant ou mot de passe incorrect.");
    expect(signInRefusalWords(rule, "fr")).toBe("Nouveau code PIN : Un code PIN ne contient que des chiffres.");
  });

  it("without a key, the code's general sentence", () => {
    expect(signInRefusalWords(new DomainError("ACCOUNT_DISABLED", "Disabled."), "fr")).toBe("Ce compte est désactivé.");
  });

  it("unstorable credentials: English names the field, French says it plainly", () => {
    expect(unstorableWords("en", 'The field "pin" contains a NUL character.')).toBe('The field "pin" contains a NUL character.');
    expect(unstorableWords("fr", 'The field "pin" contains a NUL character.')).toBe("Une partie de la saisie ne peut pas être enregistrée. Saisissez-la de nouveau.");
  });
});
