/** The wall screen while the board loads: says so, in the wall's type. */
export default function Loading() {
  return (
    <p role="status" className="text-5xl font-bold text-white">
      Loading the WIP board…
    </p>
  );
}
