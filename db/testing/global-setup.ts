import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, urlFor } from "./pg-admin";
import { prepareTemplates, type TemplateNames } from "./templates";

declare module "vitest" {
  export interface ProvidedContext {
    templates: TemplateNames;
  }
}

/** Once per run: migrated template databases (empty, and with the demo plant) that every test file clones. */
export default async function setup(project: TestProject) {
  const run = `${Date.now().toString(36)}_${process.pid}`;
  const names: TemplateNames = { empty: `tl_tmpl_empty_${run}`, demo: `tl_tmpl_demo_${run}` };
  await createDatabase(names.empty);
  await createDatabase(names.demo);
  await prepareTemplates({ emptyUrl: urlFor(names.empty), demoUrl: urlFor(names.demo) });
  project.provide("templates", names);
  return async () => {
    await dropDatabase(names.empty);
    await dropDatabase(names.demo);
  };
}
