export default function Loading() {
  return <p className="text-stone-600">Loading…</p>;
}
