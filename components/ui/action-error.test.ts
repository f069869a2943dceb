import { describe, expect, it } from "vitest";
import { INVALID_INPUT, actionErrorCode, actionErrorMessage } from "./action-error";

const trpcError = (message: string, data: Record<string, unknown>) => Object.assign(new Error(message), { data });

describe("actionErrorMessage", () => {
  it("shows a rule's refusal in the server's words, with what to do next and its code", () => {
    const e = trpcError("part.shelf_life_days is owned by ERP: change it in ERP, it reaches Traceline through the interface.", {
      code: "PRECONDITION_FAILED",
      domain: { code: "OWNED_BY_OTHER_SYSTEM", details: { owner: "erp" }, next: "Change it in the system that owns it." },
      zod: null,
    });
    expect(actionErrorMessage(e)).toMatch(/^part.shelf_life_days is owned by ERP: .* Change it in the system that owns it\.$/);
    expect(actionErrorCode(e)).toBe("OWNED_BY_OTHER_SYSTEM");
  });

  it("turns edge validation into the field sentences, never the raw issue list", () => {
    const e = trpcError('[{"code":"too_small","path":["name"]}]', {
      code: "BAD_REQUEST",
      domain: null,
      zod: { formErrors: [], fieldErrors: { name: ["Give the connection a name."], plants: ["Map at least one ERP plant to a site.", "Map at least one ERP plant to a site."] } },
    });
    expect(actionErrorMessage(e)).toBe("Give the connection a name. Map at least one ERP plant to a site.");
    expect(actionErrorMessage(trpcError("[]", { code: "BAD_REQUEST", zod: { formErrors: [], fieldErrors: {} } }))).toBe(INVALID_INPUT);
  });

  it("keeps role refusals and server failures in plain words", () => {
    expect(actionErrorMessage(trpcError("Your role at this site does not allow that.", { code: "FORBIDDEN", domain: null }))).toBe(
      "Your role at this site does not allow that. Ask a supervisor or an administrator.",
    );
    expect(actionErrorMessage(trpcError("relation does not exist", { code: "INTERNAL_SERVER_ERROR", domain: null }))).not.toMatch(/relation/);
    expect(actionErrorCode(null)).toBeNull();
  });
});
