import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { ErrorScreen } from "./error-screen";

describe("the error page", () => {
  it("shows the reference (Next's digest: the correlation id of the log line) and never the error's message or stack", () => {
    const error = Object.assign(new Error('Failed query: select password_hash from users where id = $1'), { digest: "9f2c41d07a6b3e58" });
    const html = renderToStaticMarkup(createElement(ErrorScreen, { error, reset: () => {} }));
    expect(html).toContain("Reference: <span");
    expect(html).toContain("9f2c41d07a6b3e58");
    expect(html).toContain("Try again");
    expect(html).not.toMatch(/select|password|Failed query|at .*\(/);
  });
  it("shows no reference when there is none, or when the digest is not an id", () => {
    expect(renderToStaticMarkup(createElement(ErrorScreen, { error: new Error("x") }))).not.toContain("Reference");
    expect(renderToStaticMarkup(createElement(ErrorScreen, { error: Object.assign(new Error("x"), { digest: "<b>1</b>" }) }))).not.toContain("Reference");
  });
});
