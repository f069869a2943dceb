import { redirect } from "next/navigation";

/** The Quality area opens on its holds. */
export default function QualityPage() {
  redirect("/quality/holds");
}
