export function CautionNotice({ text }: { text: string }) {
  return (
    <section role="note" aria-label="Caution" className="rounded-lg border-l-4 border-red-700 bg-white p-4" data-testid="caution-notice">
      <h2 className="font-semibold">Caution</h2>
      <p className="mt-1 whitespace-pre-line">{text}</p>
    </section>
  );
}
