// npm run db:migrate — apply pending migrations to DATABASE_URL or the embedded database (refused while the app runs).
import { openDatabase } from "../db/client";

const database = await openDatabase({ max: 1 });
try {
  await database.migrate();
  console.log(`Migrations applied to ${database.describe}`);
} finally {
  await database.close();
}
