import type { ReactNode } from "react";

/** A scrollable table card with a heading row; the rows are the caller's. */
export function DataTable({ headings, testId, children }: { headings: readonly string[]; testId: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead>
          <tr className="border-b">
            {headings.map((h) => (
              <th key={h} className="p-2 font-semibold">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
