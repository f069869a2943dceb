import { openDatabase } from "../client";
import { TEST_NOW } from "./clock";

export type TemplateNames = { empty: string; demo: string };

/** Migrate both templates; load the demo plant into one. Connections are closed so the templates can be cloned. */
export async function prepareTemplates(urls: { emptyUrl: string; demoUrl: string }): Promise<void> {
  for (const url of [urls.emptyUrl, urls.demoUrl]) {
    const d = await openDatabase({ url, max: 1 });
    try {
      await d.migrate();
      // TL_SKIP_DEMO_TEMPLATE=1 speeds up a run of tests that only use the empty template (the demo one stays empty).
      if (url === urls.demoUrl && process.env.TL_SKIP_DEMO_TEMPLATE !== "1") {
        const { seedDemoPlant } = await import("../seed/demo-plant");
        await seedDemoPlant(d.db, { now: TEST_NOW });
      }
    } finally {
      await d.close();
    }
  }
}
