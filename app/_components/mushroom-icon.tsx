/** A plain mushroom glyph, so placeholders do not depend on an emoji font. */
export function MushroomIcon({ className = "h-8 w-8" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={className}>
      <path d="M3 15C3 8 9 3 16 3s13 5 13 12c0 1-1 2-2 2H5c-1 0-2-1-2-2z" fill="#9a3412" />
      <circle cx="11" cy="9" r="1.6" fill="#fde68a" />
      <circle cx="19" cy="7.5" r="1.3" fill="#fde68a" />
      <circle cx="23" cy="12" r="1.4" fill="#fde68a" />
      <path d="M12 17h8l1 10c0 1.5-2 2-5 2s-5-.5-5-2z" fill="#f5f5f4" stroke="#a8a29e" />
    </svg>
  );
}
